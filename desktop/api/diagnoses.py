"""Plain-language explanations of everything that can go wrong talking to Coze, in English and Chinese.

Each :class:`Diagnosis` answers two questions a user has when a chat fails: *what happened* (title)
and *what do I do now* (fix). Keys are stable ids other code (the doctor, stored error rows, tests)
can rely on; the wording may improve freely.

Some texts depend on the region of the profile: a token or bot from coze.cn does not work on
coze.com and vice versa, which is the most common cause of "authentication is invalid" and
"bot does not exist", so those fixes name the other site explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnosis:
    """What went wrong (``title``) and what to do (``fix``), in English and Simplified Chinese."""

    key: str
    title_en: str
    title_zh: str
    fix_en: str
    fix_zh: str

    def title(self, lang: str) -> str:
        return self.title_zh if lang.startswith("zh") else self.title_en

    def fix(self, lang: str) -> str:
        return self.fix_zh if lang.startswith("zh") else self.fix_en


# key -> (title_en, title_zh, fix_en, fix_zh). "{site}"/"{other}" are filled in by region.
_TEXTS: dict[str, tuple[str, str, str, str]] = {
    "auth_invalid": (
        "Coze did not accept the access token.",
        "扣子没有接受这个访问令牌（Token）。",
        "The token may be mistyped, revoked or expired: create a new personal access token and "
        "paste it into the profile. {region_hint}",
        "令牌可能填错、已被删除或已过期：请新建一个个人访问令牌并粘贴到配置中。{region_hint_zh}",
    ),
    "auth_studio": (
        "Coze Studio did not accept the access token.",
        "Coze Studio 没有接受这个访问令牌。",
        "Create a personal access token in your Coze Studio (API authorization page) and paste it "
        "into the profile. Tokens from coze.cn or coze.com do not work on a self-hosted server.",
        "请在你的 Coze Studio（API 授权页面）中新建个人访问令牌并填入配置。coze.cn 或 coze.com "
        "的令牌不能用于自部署的服务器。",
    ),
    "token_missing": (
        "No access token is set for this profile.",
        "这个配置还没有设置访问令牌。",
        "Open the profile and paste a personal access token (it starts with pat_).",
        "请打开配置，粘贴个人访问令牌（以 pat_ 开头）。",
    ),
    "token_malformed": (
        "The access token contains spaces, line breaks or other characters that cannot be sent.",
        "访问令牌里有空格、换行或其他无法发送的字符。",
        "Copy the token again, making sure nothing else is copied with it, and paste it into the "
        "profile.",
        "请重新复制令牌，注意不要多复制其他内容，然后粘贴到配置中。",
    ),
    "permission_denied": (
        "The token is valid but is not allowed to do this.",
        "令牌有效，但没有执行这个操作的权限。",
        "Edit the token's permissions on the Coze site (it needs at least the chat permission and "
        "access to the bot's workspace), or create a new token with the right permissions.",
        "请在扣子网站上修改令牌权限（至少需要“对话”权限和智能体所在空间的访问权），或新建一个有"
        "正确权限的令牌。",
    ),
    "bot_not_found": (
        "Coze cannot find this bot.",
        "扣子找不到这个智能体（Bot）。",
        "Check the bot id (the number in the bot editor's address). The bot must be published to "
        "the API channel, and it must live on the same site as the token. {region_hint}",
        "请检查智能体 ID（智能体编辑页地址中的那串数字）。智能体需要发布到 API 渠道，并且要和令牌在"
        "同一个站点。{region_hint_zh}",
    ),
    "bot_not_published": (
        "The bot is not published to the API channel.",
        "智能体还没有发布到 API 渠道。",
        "In the Coze editor, click Publish and tick the “API” channel, then try again. If it is "
        "already published, check that the profile's region matches the site of the bot.",
        "请在扣子编辑器中点击“发布”，勾选“API”渠道后再试。如果已经发布，请确认配置的区域和"
        "智能体所在站点一致。",
    ),
    "bad_request": (
        "Coze rejected the request as invalid.",
        "扣子认为请求参数不正确。",
        "Check the profile's bot id, user id and custom variables. The message from Coze below "
        "says which part it did not like.",
        "请检查配置中的智能体 ID、用户 ID 和自定义变量。下方扣子返回的信息会说明哪一项有问题。",
    ),
    "rate_limited": (
        "Too many requests: Coze asked us to slow down.",
        "请求太频繁，扣子要求放慢速度。",
        "Wait a little and send again. If it keeps happening, your plan's request limit may be "
        "too low for this use.",
        "请稍等片刻再发送。如果经常出现，说明当前套餐的请求频率上限可能不够用。",
    ),
    "conversation_busy": (
        "This conversation is still answering a previous message.",
        "这个会话还在回答上一条消息。",
        "Wait for the current answer to finish (or stop it), then send again.",
        "请等当前回答结束（或先停止它）后再发送。",
    ),
    "quota_exhausted": (
        "The free quota of this Coze account is used up.",
        "这个扣子账号的免费额度已经用完。",
        "Upgrade the plan or add credit on the Coze site, then try again.",
        "请在扣子网站上升级套餐或充值后再试。",
    ),
    "cannot_cancel": (
        "This answer has already finished, so it cannot be cancelled.",
        "这个回答已经结束，无法取消。",
        "Nothing to do: the answer is complete.",
        "无需处理：回答已经完成。",
    ),
    "server_error": (
        "Coze had an internal problem.",
        "扣子服务器内部出错。",
        "This is on Coze's side. Try again in a minute; if it persists, report it to Coze support "
        "with the log id below.",
        "这是扣子那边的问题。请过一分钟再试；如果一直出现，请带上下方的日志 ID 联系扣子客服。",
    ),
    "event_interval": (
        "The bot took too long between steps, so Coze stopped the answer.",
        "智能体两步之间耗时太久，扣子中止了回答。",
        "Try again. If a plugin or workflow of the bot is slow, speed it up or raise its timeout "
        "in the bot editor.",
        "请重试。如果智能体的某个插件或工作流很慢，请在编辑器中优化它或调大超时时间。",
    ),
    "studio_agent_not_exists": (
        "Coze Studio cannot find this agent, or it is not published.",
        "Coze Studio 找不到这个智能体，或它还没有发布。",
        "Check the bot id and publish the agent (with the API channel) in Coze Studio.",
        "请检查智能体 ID，并在 Coze Studio 中发布该智能体（包含 API 渠道）。",
    ),
    "studio_agent_run_error": (
        "Coze Studio could not run the agent.",
        "Coze Studio 无法运行这个智能体。",
        "Check that the agent is published and its model is configured in Coze Studio; the "
        "server log of Coze Studio has the details.",
        "请确认智能体已发布且在 Coze Studio 中配置了模型；详细原因见 Coze Studio 的服务器日志。",
    ),
    "studio_permission": (
        "Coze Studio says this agent or conversation belongs to someone else.",
        "Coze Studio 提示该智能体或会话不属于当前用户。",
        "Use a token of the account that owns the agent, or start a new session.",
        "请使用智能体所属账号的令牌，或新建一个会话。",
    ),
    "studio_conversation_not_found": (
        "Coze Studio cannot find this conversation.",
        "Coze Studio 找不到这个会话。",
        "Start a new session; the old conversation may have been deleted on the server.",
        "请新建会话；旧会话可能已在服务器上被删除。",
    ),
    "studio_error": (
        "Coze Studio reported an error.",
        "Coze Studio 返回了错误。",
        "Read the message below; the Coze Studio server log has the details.",
        "请查看下方信息；详细原因见 Coze Studio 的服务器日志。",
    ),
    "api_error": (
        "Coze reported an error.",
        "扣子返回了错误。",
        "Read the message below. If it is unclear, report it to Coze support with the log id.",
        "请查看下方信息。如果看不明白，请带上日志 ID 联系扣子客服。",
    ),
    "internal_error": (
        "Coze Desktop hit a bug: this is not a problem with Coze or your bot.",
        "Coze Desktop 出现了程序错误：这不是扣子或智能体的问题。",
        "What arrived is kept. Try again; if it happens again, report it to the Coze Desktop "
        "project with the log file named below (it holds the details).",
        "已收到的内容都保留了。请重试；如果再次出现，请把下方提到的日志文件发给 Coze Desktop 项目"
        "（里面有详细信息）。",
    ),
    "chat_failed": (
        "The bot failed to finish its answer.",
        "智能体没能完成回答。",
        "Try again. If it keeps failing, test the bot in the Coze editor to see which step breaks.",
        "请重试。如果一直失败，请在扣子编辑器里调试该智能体，看看是哪一步出错。",
    ),
    "stream_error": (
        "Coze reported an error in the middle of the answer.",
        "扣子在回答过程中报告了错误。",
        "Try again. If it repeats, report it to Coze support with the log id below.",
        "请重试。如果反复出现，请带上下方的日志 ID 联系扣子客服。",
    ),
    "unexpected_response": (
        "The server answered, but not with the kind of reply that was asked for.",
        "服务器有回应，但回应的格式不是所请求的。",
        "Check that the base URL points at the Coze API (for example https://api.coze.cn) and not "
        "at a different service.",
        "请确认接口地址指向扣子 API（例如 https://api.coze.cn），而不是其他服务。",
    ),
    "not_coze_response": (
        "This reply did not come from Coze: a proxy, firewall or gateway answered instead.",
        "这个回应不是扣子发出的：是代理、防火墙或网关替它回答了。",
        "Check the proxy settings and the base URL. If you use a company network, the proxy may be "
        "blocking Coze; if you use Coze Studio, check that its server is running.",
        "请检查代理设置和接口地址。在公司网络中可能是代理拦截了扣子；如果使用 Coze Studio，请确认"
        "它的服务正在运行。",
    ),
    "redirected": (
        "The server sent us to a different address.",
        "服务器要求跳转到另一个地址。",
        "Use the address shown below as the profile's base URL (for example https instead of "
        "http).",
        "请把下方显示的地址填为配置的接口地址（例如把 http 改为 https）。",
    ),
    "connect_refused": (
        "Nothing is answering at this address (connection refused).",
        "这个地址没有服务在响应（连接被拒绝）。",
        "Check the base URL and port. For Coze Studio, make sure its server is running (docker "
        "compose up) and listening on that port.",
        "请检查接口地址和端口。如果使用 Coze Studio，请确认服务已启动（docker compose up）并监听"
        "该端口。",
    ),
    "dns_failure": (
        "The server name could not be found (DNS).",
        "找不到服务器域名（DNS 解析失败）。",
        "Check the spelling of the base URL and that this computer is online. Some networks "
        "need a proxy to resolve outside names.",
        "请检查接口地址的拼写，并确认电脑已联网。有些网络需要通过代理才能解析外部域名。",
    ),
    "tls_failure": (
        "A secure (HTTPS) connection could not be set up.",
        "无法建立安全（HTTPS）连接。",
        "A company proxy that inspects traffic, a wrong system clock, or http/https mixed up in "
        "the base URL usually causes this. Check the clock and the proxy, or ask IT for their "
        "certificate.",
        "常见原因是公司代理在检查流量、系统时间不对，或接口地址的 http/https 写反了。请检查系统"
        "时间和代理，或向 IT 部门索取证书。",
    ),
    "proxy_failure": (
        "The proxy server refused or failed the connection.",
        "代理服务器拒绝或中断了连接。",
        "Check the proxy address in Settings (or the system proxy). Try 'No proxy' if this "
        "network can reach Coze directly.",
        "请检查设置中的代理地址（或系统代理）。如果当前网络可以直连扣子，可以试试“不使用代理”。",
    ),
    "connect_timeout": (
        "The server did not answer in time (connection timed out).",
        "服务器没有及时响应（连接超时）。",
        "Check the network and the base URL; a firewall may be dropping the connection. Try again "
        "in a moment.",
        "请检查网络和接口地址，可能是防火墙丢弃了连接。请稍后再试。",
    ),
    "read_timeout": (
        "The server stopped responding while we waited for its reply.",
        "等待服务器回复时，服务器不再响应。",
        "Try again. If the bot is slow to start, it may need more time than the timeout allows.",
        "请重试。如果智能体启动较慢，可能需要比超时时间更长的等待。",
    ),
    "stream_stalled": (
        "The answer stopped arriving midway (the server went silent).",
        "回答中途停止了（服务器不再发送内容）。",
        "The partial answer is kept. Send the message again to get a complete answer.",
        "已保留已收到的部分回答。请重新发送以获得完整回答。",
    ),
    "stream_cut": (
        "The connection was cut off before the answer was finished.",
        "回答还没结束，连接就被断开了。",
        "The partial answer is kept. Send the message again; if it happens often, a proxy may be "
        "closing long connections.",
        "已保留已收到的部分回答。请重新发送；如果经常发生，可能是代理在断开长连接。",
    ),
    "connection_closed": (
        "The server closed the connection without replying.",
        "服务器没有回复就关闭了连接。",
        "Try again. If it repeats, check the base URL (http vs https) and the proxy.",
        "请重试。如果反复出现，请检查接口地址（http 还是 https）和代理。",
    ),
    "network_error": (
        "A network error stopped the request.",
        "网络错误导致请求失败。",
        "Check that this computer is online and the proxy settings are right, then try again.",
        "请确认电脑已联网、代理设置正确，然后重试。",
    ),
}

_SITES = {"cn": "coze.cn", "com": "coze.com"}


def _region_hints(region: str | None) -> tuple[str, str]:
    """The sentence telling the user that tokens and bots of coze.cn and coze.com do not mix."""
    if region in _SITES:
        site, other = _SITES[region], _SITES["com" if region == "cn" else "cn"]
        return (
            f"This profile talks to {site}; a token or bot made on {other} does not work here — "
            f"if yours is from {other}, switch the profile's region to {other}.",
            f"当前配置连接的是 {site}；在 {other} 创建的令牌或智能体不能在这里使用——如果你的是在 "
            f"{other} 创建的，请把配置的区域切换为 {other}。",
        )
    return (
        "Tokens and bots of coze.cn and coze.com are separate: make sure the profile's region "
        "matches the site where you made them.",
        "coze.cn 和 coze.com 的令牌与智能体互不通用：请确认配置的区域与创建它们的站点一致。",
    )


def get(key: str, region: str | None = None) -> Diagnosis:
    """The diagnosis for ``key`` (``api_error`` if unknown), with region-specific advice filled in."""
    if key not in _TEXTS:
        key = "api_error"
    title_en, title_zh, fix_en, fix_zh = _TEXTS[key]
    hint_en, hint_zh = _region_hints(region)
    return Diagnosis(
        key=key,
        title_en=title_en,
        title_zh=title_zh,
        fix_en=fix_en.format(region_hint=hint_en).strip(),
        fix_zh=fix_zh.format(region_hint_zh=hint_zh).strip(),
    )


def all_keys() -> frozenset[str]:
    """Every diagnosis key, for tests and for the doctor."""
    return frozenset(_TEXTS)


# -- server-reported failures -> key ----------------------------------------------------------

_NOT_PUBLISHED = ("not currently published", "not published", "未发布")
_STUDIO_KEYS = {
    103100002: "studio_agent_not_exists",
    103100001: "studio_agent_run_error",
    103000001: "studio_permission",
    103000002: "studio_conversation_not_found",
}


def is_studio_code(code: int | None) -> bool:
    return code is not None and 103_000_000 <= code < 103_300_000


def _is_not_published(msg: str) -> bool:
    lowered = msg.lower()
    return any(marker in lowered for marker in _NOT_PUBLISHED)


def key_for(status: int | None, code: int | None, msg: str) -> str:
    """The diagnosis key for a server-reported failure: the Coze code wins over the HTTP status,
    and the msg text refines both (the "not published" message comes with several codes)."""
    if _is_not_published(msg):
        return "bot_not_published"
    if code == 700012006:
        return "auth_studio"
    if is_studio_code(code):
        if "agent not exist" in msg.lower():  # 103100001 wraps "agent not exists" failures too
            return "studio_agent_not_exists"
        return _STUDIO_KEYS.get(code or 0, "studio_error")
    by_code = {
        4100: "auth_invalid",
        4101: "permission_denied",
        4200: "bot_not_found",
        4000: "bad_request",
        4013: "rate_limited",
        4016: "conversation_busy",
        4028: "quota_exhausted",
        4104: "cannot_cancel",
    }
    if code in by_code:
        return by_code[code]
    if code == 5000 and "event interval" in msg.lower():
        return "event_interval"
    if code == 5000:
        return "server_error"
    return _key_from_status(status)


def _key_from_status(status: int | None) -> str:
    by_status = {
        401: "auth_invalid",
        403: "permission_denied",
        404: "bot_not_found",
        400: "bad_request",
        429: "rate_limited",
    }
    if status in by_status:
        return by_status[status]
    if status is not None and status >= 500:
        return "server_error"
    return "api_error"

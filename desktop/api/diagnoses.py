"""Plain-language explanations of everything that can go wrong talking to Coze, in English and Chinese.

Each :class:`Diagnosis` answers two questions a user has when a chat fails: *what happened* (title)
and *what do I do now* (fix). Keys are stable ids other code (the doctor, stored error rows, tests)
can rely on; the wording may improve freely.

Some texts depend on the region of the profile: a token or bot from coze.cn does not work on
coze.com and vice versa, which is the most common cause of "authentication is invalid" and
"bot does not exist", so those fixes name the other site explicitly. On a Coze Studio server
(region ``"studio"``, see :mod:`desktop.api.dialect`) they say to use that server's own token
and bot instead.

The codes of hosted Coze come from its official error-code table (:mod:`desktop.api.coze_codes`);
Coze Studio's own codes (``1030xxxxx``-``1032xxxxx``, ``700012006``) are mapped here.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.api.coze_codes import CODE_KEYS, TEXTS
from desktop.api.dialect import HOSTED, HOSTED_REGIONS, STUDIO


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


# key -> (title_en, title_zh, fix_en, fix_zh); the official codes' texts are in coze_codes.
_TEXTS: dict[str, tuple[str, str, str, str]] = {
    **TEXTS,
    "auth_studio": (
        "Coze Studio did not accept the access token.",
        "Coze Studio 没有接受这个访问令牌。",
        "Create a personal access token in your Coze Studio (API authorization page) and paste it "
        "into the profile. Tokens from coze.cn or coze.com do not work on a self-hosted server.",
        "请在你的 Coze Studio（API 授权页面）中新建个人访问令牌并填入配置。coze.cn 或 coze.com "
        "的令牌不能用于自部署的服务器。",
    ),
    "studio_server_error": (
        "Coze Studio had an internal problem.",
        "Coze Studio 服务器内部出错。",
        "Try again. If it persists, look up the log id below in the Coze Studio server log "
        "(docker compose logs coze-server).",
        "请重试。如果一直出现，请在 Coze Studio 的服务器日志中（docker compose logs coze-server）"
        "查找下方的日志 ID。",
    ),
    "studio_model_error": (
        "The agent's model failed while Coze Studio was answering.",
        "Coze Studio 回答时，智能体的模型出错了。",
        "Check the model's settings in Coze Studio (API key, endpoint, quota) and try again; the "
        "Coze Studio server log names the cause under the log id below.",
        "请检查 Coze Studio 中该模型的配置（API Key、接口地址、额度）后重试；Coze Studio 服务器日志"
        "中对应下方日志 ID 的记录会说明原因。",
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
    "rate_limited": (  # HTTP 429 without a Coze code; the coded limits are 4008/4009/4020
        "Too many requests: the server asked us to slow down.",
        "请求太频繁，服务器要求放慢速度。",
        "Wait a little and send again. If it keeps happening, your plan's request limit may be "
        "too low for this use.",
        "请稍等片刻再发送。如果经常出现，说明当前套餐的请求频率上限可能不够用。",
    ),
    "stream_ended_early": (
        "The stream ended early, after the answer was complete.",
        "回答已经完整，但数据流提前结束了。",
        "The answer is complete and kept; nothing to do. Coze did not send its usual closing "
        "events (token usage is unknown for this turn).",
        "回答完整并已保存，无需处理。扣子没有发送通常的结束事件（本轮的 Token 用量未知）。",
    ),
    "workflow_not_found": (
        "Coze cannot find this chatflow.",
        "扣子找不到这个对话流。",
        "Check the workflow id (the number after workflow_id= in the chatflow editor's address) "
        "and the app id. The chatflow must be published (in an app: the app published as an "
        "API service). {region_hint}",
        "请检查工作流 ID（对话流编辑器地址中 workflow_id= 后面的数字）和应用 ID。对话流必须已发布"
        "（应用中的对话流：应用需发布为 API 服务）。{region_hint_zh}",
    ),
    "tool_call_expired": (
        "This chat no longer waits for the tool's result.",
        "这次对话已不再等待工具结果。",
        "Coze keeps a chat that waits for a client-side tool only for a while (or it was already "
        "answered or canceled). Ask the question again to get a new tool call.",
        "扣子只会保留等待客户端工具结果的对话一段时间（也可能已被回答或取消）。请重新提问，"
        "以获得新的工具调用。",
    ),
    "tool_outputs_unsupported": (
        "This server cannot take a client-side tool's result.",
        "该服务器无法接收客户端工具的结果。",
        "Coze Studio has no /v3/chat/submit_tool_outputs endpoint, so a bot there cannot wait "
        "for a client-side tool. Use a server-side plugin or workflow instead.",
        "Coze Studio 没有 /v3/chat/submit_tool_outputs 接口，那里的智能体无法等待客户端工具。"
        "请改用服务端插件或工作流。",
    ),
    "attachment_missing": (
        "A file to send with this question is no longer where it was (moved or deleted), so it "
        "could not be uploaded.",
        "要随问题发送的文件已不在原处（被移动或删除），无法上传。",
        "Attach the file again and send the question as a new message.",
        "请重新添加该文件，再把问题作为新消息发送。",
    ),
    "empty_answer": (
        "The server said the answer is finished, but listed no answer.",
        "服务器表示回答已结束，却没有给出任何回答内容。",
        "Try again, or switch the profile to streaming. If it repeats, test the bot in its "
        "editor; the log id below identifies the request.",
        "请重试，或把配置改为流式输出。如果反复出现，请在编辑器中调试该智能体；下方日志 ID "
        "可用于定位请求。",
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
    "storage_failed": (
        "Could not save to the chat history: this is not a problem with Coze or your bot.",
        "无法保存到聊天记录：这不是扣子或智能体的问题。",
        "The answer is kept in this window: Export it, or press Save again once the history is free.",
        "回答保留在本窗口中：可以导出，或在聊天记录可用后点击“重新保存”。",
    ),
    "storage_locked": (
        "Could not save to the chat history (the database is locked by another program).",
        "无法保存到聊天记录（数据库被其他程序锁定）。",
        "The answer is kept in this window: Export it, or press Save again once the history is free. Close the other program that has the history open (another Coze Desktop, a "
        "database browser, a backup tool).",
        "回答保留在本窗口中：可以导出，或在聊天记录可用后点击“重新保存”。请关闭正在使用聊天记录的其他程序（另一个 Coze Desktop、数据库浏览器或备份工具）。",
    ),
    "storage_disk_full": (
        "Could not save to the chat history (the disk is full).",
        "无法保存到聊天记录（磁盘已满）。",
        "The answer is kept in this window: Export it, or press Save again once the history is free. Free some disk space first.",
        "回答保留在本窗口中：可以导出，或在聊天记录可用后点击“重新保存”。请先清理磁盘空间。",
    ),
    "storage_readonly": (
        "Could not save to the chat history (the file is read-only).",
        "无法保存到聊天记录（文件是只读的）。",
        "The answer is kept in this window: Export it, or press Save again once the history is free. Check the permissions of the Coze Desktop data folder.",
        "回答保留在本窗口中：可以导出，或在聊天记录可用后点击“重新保存”。请检查 Coze Desktop 数据文件夹的权限。",
    ),
    "storage_io": (
        "Could not save to the chat history (a disk error).",
        "无法保存到聊天记录（磁盘读写错误）。",
        "The answer is kept in this window: Export it, or press Save again once the history is free. Check the drive.",
        "回答保留在本窗口中：可以导出，或在聊天记录可用后点击“重新保存”。请检查磁盘。",
    ),
    "storage_corrupt": (
        "Could not save to the chat history (the history file is damaged).",
        "无法保存到聊天记录（聊天记录文件已损坏）。",
        "The answer is kept in this window: Export it. Then move the damaged file aside (the "
        "damaged chat's page offers it) to start a fresh history.",
        "回答保留在本窗口中：请先导出。然后把损坏的文件移开（损坏会话的页面上有此操作），"
        "以便重新开始新的聊天记录。",
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
    "tls_untrusted": (
        "This computer does not trust the server's certificate.",
        "这台电脑不信任服务器的证书。",
        "The message below names who issued it. On a company network that inspects HTTPS, "
        "install the company's root certificate in the operating system's certificate store "
        "(ask IT; Coze Desktop trusts that store, as browsers do) and try again. Otherwise check "
        "the base URL: the server is not the one you meant, or its certificate is self-made.",
        "下方信息写明了证书的签发者。如果公司网络会检查 HTTPS 流量，请把公司的根证书安装到操作"
        "系统的证书存储中（可向 IT 部门索取；Coze Desktop 与浏览器一样信任该存储），然后重试。"
        "否则请检查接口地址：服务器可能不是你要连接的那台，或它使用的是自签名证书。",
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
    "bad_base_url": (
        "The profile's base URL cannot be used, so nothing was sent.",
        "配置的接口地址无法使用，因此没有发送任何请求。",
        "Correct the base URL as the message below says (for example https://api.coze.cn, or "
        "http://localhost:8888 for a local Coze Studio).",
        "请按照下方信息修改接口地址（例如 https://api.coze.cn，本地 Coze Studio 可用 "
        "http://localhost:8888）。",
    ),
    "response_too_large": (
        "The server sent more than Coze Desktop accepts, so the answer was stopped.",
        "服务器发送的数据超出了 Coze Desktop 的上限，回答已停止。",
        "What arrived is kept. The message below names the limit and what the server sent; Coze "
        "itself never sends this much, so check the base URL and any proxy in between.",
        "已收到的内容都保留了。下方信息说明了超出的上限和服务器发送的内容；扣子本身不会发送这么多"
        "数据，请检查接口地址和中间的代理。",
    ),
    "server_trickling": (
        "The server sent its reply so slowly that Coze Desktop stopped waiting.",
        "服务器发送回复的速度太慢，Coze Desktop 停止了等待。",
        "What arrived is kept. Bytes kept trickling in without a new event (or without the "
        "reply's head completing); a proxy or gateway in between may be throttling the "
        "connection. Check the base URL and the proxy, then try again.",
        "已收到的内容都保留了。数据一直在缓慢到达，却没有新的事件（或回复头一直没有收完）；"
        "可能是中间的代理或网关在限速。请检查接口地址和代理后重试。",
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
    """The sentence telling the user that tokens and bots of coze.cn and coze.com do not mix
    (or, on Coze Studio, that they come from that server)."""
    if region == STUDIO:
        return (
            "This profile talks to a Coze Studio server: the token and the bot must both come "
            "from that server (tokens from coze.cn or coze.com do not work there).",
            "当前配置连接的是 Coze Studio 服务器：令牌和智能体都必须来自这台服务器（coze.cn 或 "
            "coze.com 的令牌不能在这里使用）。",
        )
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

AUTH_FAILED = 700012006  # "access token invalid": hosted Coze and Coze Studio both send it
_NOT_PUBLISHED = ("not currently published", "not published", "未发布")
_STUDIO_KEYS = {
    103100002: "studio_agent_not_exists",
    103100001: "studio_agent_run_error",
    103000001: "studio_permission",
    103000002: "studio_conversation_not_found",
    103200002: "studio_model_error",  # a model error during a run: "Internal Server Error"
}


def is_studio_code(code: int | None) -> bool:
    return code is not None and 103_000_000 <= code < 103_300_000


def _is_not_published(msg: str) -> bool:
    lowered = msg.lower()
    return any(marker in lowered for marker in _NOT_PUBLISHED)


def key_for(status: int | None, code: int | None, msg: str, region: str | None = None) -> str:
    """The diagnosis key for a server-reported failure: the Coze code wins over the HTTP status,
    and the msg text refines both (the "not published" message comes with several codes).

    ``region``: ``"cn"``/``"com"``, ``"studio"`` (a Coze Studio server), ``"hosted"`` (Coze
    behind a custom URL) or None/``"custom"`` (unknown); it decides what 700012006 means."""
    studio = region == STUDIO or is_studio_code(code)
    if _is_not_published(msg):
        return "studio_agent_not_exists" if studio else "bot_not_published"
    if code == AUTH_FAILED:
        hosted = region in HOSTED_REGIONS or region == HOSTED
        return "auth_invalid" if hosted else "auth_studio"
    if is_studio_code(code):
        if "agent not exist" in msg.lower():  # 103100001 wraps "agent not exists" failures too
            return "studio_agent_not_exists"
        return _STUDIO_KEYS.get(code or 0, "studio_error")
    if code == 5000 and "event interval" in msg.lower():
        return "event_interval"
    key = (CODE_KEYS.get(code) if code is not None else None) or _key_from_status(status)
    return "studio_server_error" if studio and key == "server_error" else key


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

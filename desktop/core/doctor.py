"""Profile doctor: find out why a bot profile does not work, one check at a time.

Checks, in order (each ends ``pass``/``warn``/``fail``/``skip`` with what it found and a one-line
fix, in English and Chinese):

``token_format``  the token's shape (empty, spaces or line breaks, ``pat_`` prefix, length);
``proxy``         the proxy the app will use (the proxy setting: custom URL, system/environment, or
                  none — then environment proxies are ignored) and whether it answers;
``token``         the token is accepted by the profile's site;
``region``        cn/com only, when the token is refused: does it work on the *other* site?
``bot``           the bot exists and is published (``GET /v1/bots/{id}``);
``streaming``     a tiny streaming chat really streams (deltas spread over time, not one burst);
``context``       a second turn with the same ``conversation_id`` stays in that conversation.

The doctor never raises for server or network faults; they become failed checks.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from desktop.api import errors
from desktop.api.client import REGION_BASE_URLS, ChatRequest, CozeClient
from desktop.api.events import ChatEvent, MessageDelta, StreamEvent
from desktop.core.doctor_checks import (
    TITLES,
    CheckResult,
    check_proxy,
    check_token_format,
    failed,
    format_report,
    other_region,
    result,
    skipped,
)

if TYPE_CHECKING:
    from desktop.storage.models import Profile

__all__ = ["CheckResult", "format_report", "run_doctor"]

ClientFactory = Callable[[str, str], CozeClient]  # (base_url, token) -> client
CheckCallback = Callable[[CheckResult], None]

PROBE_TEXT = "Hi! This is a connection test from Coze Desktop. Please answer in one short sentence."
FOLLOW_UP_TEXT = "Thanks! What did I just ask you?"
BURST_SECONDS = 0.03  # deltas spread over less than this arrived in one piece
MIN_DELTAS = 3


class _Doctor:
    def __init__(
        self,
        profile: Profile,
        token: str,
        make_client: ClientFactory,
        on_check: CheckCallback,
        proxy: str | None,
        env: dict[str, str] | None,
        proxy_mode: str,
    ) -> None:
        self.profile = profile
        self.token = token.strip()
        self.make_client = make_client
        self.on_check = on_check
        self.proxy = proxy
        self.env = env
        self.proxy_mode = proxy_mode
        self.results: list[CheckResult] = []
        self.conversation_id = ""

    def emit(self, res: CheckResult) -> CheckResult:
        self.results.append(res)
        self.on_check(res)
        return res

    async def run(self) -> list[CheckResult]:
        fmt = self.emit(check_token_format(self.token))
        base_url = self.profile.api_base_url
        self.emit(await check_proxy(base_url, self.proxy, self.env, mode=self.proxy_mode))
        if fmt.verdict == "fail":
            return self._skip_rest(
                "token_format", ("token", "region", "bot", "streaming", "context")
            )
        token_ok = await self._token()
        if not token_ok:
            return self._skip_rest("token", ("bot", "streaming", "context"))
        self.emit(skipped("region", "The token works on this site.", "令牌在当前站点可用。"))
        await self._bot()
        if await self._streaming():
            await self._context()
        else:
            self._skip_rest("streaming", ("context",))
        return self.results

    def _skip_rest(self, because: str, keys: tuple[str, ...]) -> list[CheckResult]:
        en, zh = TITLES[because]
        for key in keys:
            self.emit(skipped(key, f"Skipped: “{en}” failed.", f"已跳过：“{zh}”未通过。"))
        return self.results

    # -- token and region -----------------------------------------------------------------------

    async def _token(self) -> bool:
        error = await self._check_token(self.profile.api_base_url)
        if error is None:
            self.emit(
                result("token", "pass", "The site accepted the token.", "站点接受了这个令牌。")
            )
            return True
        self.emit(failed("token", error))
        if isinstance(error, errors.AuthError):
            await self._other_region()
        else:
            self.emit(skipped("region", "Not a token problem.", "不是令牌的问题。"))
        return False

    async def _check_token(self, base_url: str) -> errors.CozeError | None:
        """None when the token is not refused (another server error still proves it was read)."""
        client = self.make_client(base_url, self.token)
        bot_id = (
            self.profile.bot_id if self.profile.region == "custom" else ""
        )  # Studio: no workspaces
        try:
            await client.check_token(bot_id)
        except (errors.AuthError, errors.NetworkError, errors.NotCozeResponseError) as exc:
            return exc
        except errors.CozeError:
            return None
        finally:
            await client.aclose()
        return None

    async def _other_region(self) -> None:
        other = other_region(self.profile.region)
        if other is None:
            self.emit(
                skipped(
                    "region",
                    "Custom server: no other region to try.",
                    "自定义服务器：没有其他区域可试。",
                )
            )
            return
        error = await self._check_token(REGION_BASE_URLS[other])
        site = "coze.com" if other == "com" else "coze.cn"
        if error is None:
            self.emit(
                result(
                    "region",
                    "fail",
                    f"The token is refused here but works on {site}: it belongs to {site}.",
                    f"令牌在当前站点被拒绝，但在 {site} 可用：它属于 {site}。",
                    f"Switch the profile's region to {site} (and use a bot from {site}).",
                    f"请把配置的区域改为 {site}（并使用 {site} 上的智能体）。",
                )
            )
        else:
            self.emit(
                result(
                    "region",
                    "pass",
                    f"The token is not accepted on {site} either, so the region is not the cause.",
                    f"令牌在 {site} 上同样无效，所以不是区域的问题。",
                )
            )

    # -- bot --------------------------------------------------------------------------------------

    async def _bot(self) -> None:
        if self.profile.is_chatflow and not self.profile.bot_id:
            self.emit(skipped("bot", "A chatflow profile: the chat checks below run the chatflow.",
                              "对话流配置：下面的对话检查会运行这个对话流。"))  # fmt: skip
            return
        client = self.make_client(self.profile.api_base_url, self.token)
        try:
            info = await client.get_bot(self.profile.bot_id)
        except errors.PermissionDeniedError as exc:
            self.emit(failed("bot", exc, verdict="warn"))
            return
        except errors.CozeError as exc:
            self.emit(failed("bot", exc))
            return
        finally:
            await client.aclose()
        name = str(getattr(info, "name", "") or self.profile.bot_id)
        self.emit(result("bot", "pass", f"Found the bot “{name}”.", f"找到了智能体“{name}”。"))

    # -- streaming and context ------------------------------------------------------------------

    async def _streaming(self) -> bool:
        try:
            times, conversation_id = await self._timed_chat(PROBE_TEXT, "")
        except errors.CozeError as exc:
            self.emit(failed("streaming", exc))
            return False
        self.conversation_id = conversation_id
        self.emit(_streaming_verdict(times))
        return True

    async def _context(self) -> None:
        first = self.conversation_id
        try:
            _times, second = await self._timed_chat(FOLLOW_UP_TEXT, first)
        except errors.CozeError as exc:
            self.emit(failed("context", exc))
            return
        if first and second == first:
            self.emit(
                result(
                    "context",
                    "pass",
                    "The second turn stayed in the same conversation: the bot keeps context.",
                    "第二轮对话仍在同一个会话中：智能体能记住上下文。",
                )
            )
            return
        self.emit(
            result(
                "context",
                "fail",
                f"The second turn came back in another conversation ({first or '-'} -> {second or '-'}):"
                " the bot forgets the previous messages.",
                f"第二轮对话回到了另一个会话（{first or '-'} -> {second or '-'}）：智能体会忘记之前的内容。",
                "Something between you and Coze drops the conversation_id query parameter, or the "
                "server ignores it; check proxies/gateways and the server version.",
                "你和扣子之间的某个环节丢掉了 conversation_id 查询参数，或服务器忽略了它；请检查代理/网关"
                "和服务器版本。",
            )
        )

    async def _timed_chat(self, text: str, conversation_id: str) -> tuple[list[float], str]:
        """Run one streaming chat; return the arrival times of its deltas and the conversation."""
        client = self.make_client(self.profile.api_base_url, self.token)
        req = ChatRequest(
            bot_id=self.profile.bot_id,
            user_id=self.profile.user_id or "coze-desktop-doctor",
            text=text,
            conversation_id=conversation_id,
            custom_variables=dict(self.profile.custom_variables),
            workflow_id=self.profile.workflow_id,
            app_id=self.profile.app_id,
            parameters=dict(self.profile.parameters),
        )
        stream = client.stream_workflow_chat(req) if req.workflow_id else client.stream_chat(req)
        try:
            return await _collect(stream)
        finally:
            await client.aclose()


async def _collect(stream: AsyncGenerator[StreamEvent]) -> tuple[list[float], str]:
    times: list[float] = []
    conversation_id = ""
    async with aclosing(stream) as events:
        async for event in events:
            if isinstance(event, MessageDelta) and event.message.content:
                times.append(time.monotonic())
            elif isinstance(event, ChatEvent):
                conversation_id = event.chat.conversation_id or conversation_id
                _raise_if_failed(event)
    return times, conversation_id


def _raise_if_failed(event: ChatEvent) -> None:
    if event.chat.status == "failed":
        raise errors.ChatFailedError.from_chat(event.chat)


def _streaming_verdict(times: list[float]) -> CheckResult:
    if len(times) < MIN_DELTAS:
        return result(
            "streaming",
            "pass",
            f"The bot answered ({len(times)} piece(s)); too short to judge the typing effect.",
            f"智能体已回答（{len(times)} 段）；回答太短，无法判断逐字输出效果。",
        )
    spread = times[-1] - times[0]
    if spread < BURST_SECONDS:
        return result(
            "streaming",
            "warn",
            f"All {len(times)} pieces of the answer arrived at once ({spread * 1000:.0f} ms apart):"
            " something buffers the stream, so there is no typing effect.",
            f"回答的 {len(times)} 段内容同时到达（相隔 {spread * 1000:.0f} 毫秒）：有环节缓冲了数据流，"
            "所以看不到逐字输出效果。",
            "A proxy or gateway buffers responses: disable response buffering for text/event-stream "
            "(nginx: proxy_buffering off) or bypass the proxy.",
            "有代理或网关缓冲了响应：请为 text/event-stream 关闭响应缓冲（nginx：proxy_buffering off）"
            "或绕过该代理。",
        )
    return result(
        "streaming",
        "pass",
        f"The answer streamed in {len(times)} pieces over {spread:.2f} s.",
        f"回答分 {len(times)} 段、在 {spread:.2f} 秒内逐步到达。",
    )


async def run_doctor(
    profile: Profile,
    token: str,
    make_client: ClientFactory,
    on_check: CheckCallback | None = None,
    *,
    proxy: str | None = None,
    env: dict[str, str] | None = None,
    proxy_mode: str | None = None,
) -> list[CheckResult]:
    """Run every check for ``profile``; ``on_check`` is called as each result is known.

    ``proxy``/``proxy_mode``: the proxy setting the clients from ``make_client`` use (mode
    ``"custom"`` with its URL, ``"system"`` or ``"none"``); by default custom when ``proxy`` is
    given, else system. ``env``: the environment to read proxies from (default: the process's).
    """
    mode = proxy_mode or ("custom" if proxy else "system")
    doctor = _Doctor(profile, token, make_client, on_check or _ignore, proxy, env, mode)
    return await doctor.run()


def _ignore(_result: Any) -> None:
    return None

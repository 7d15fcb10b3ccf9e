r"""How a chat turn looks on a terminal: text with clearly marked extras, or JSON lines.

Text mode writes the answer as it streams. Thinking is a dim ``[thinking]`` block, plugin calls
are ``[tool] 天气查询(city=北京) -> 晴，25°C``, knowledge recall is ``[knowledge] …`` and the
suggested questions come last as ``[follow-up] …``. Verbose control packets are never printed.
When an answer's completed text differs from its streamed deltas (Coze sometimes streams
``50$\%$`` and completes with ``50%``), the completed text wins: what it adds is printed, or,
when it is not a continuation, it is printed again whole after ``[final]``.
Control characters from the bot (ESC of an ANSI sequence, BEL, backspace, NUL, DEL, the C1
range) are printed as their visible Unicode pictures (``\x1b`` -> ``␛``), so an answer can
neither recolour, retitle nor rewrite the terminal; newlines, tabs and carriage returns (CRLF
answers) pass, every other character is printed as it came. JSON mode escapes them anyway.
JSON mode writes one object per stream event (``{"event": ..., ...}``) and a final ``result``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

import msgspec

from desktop.api import events as ev
from desktop.core import transcript as tr
from desktop.netlog import scrub_strings, scrub_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.core.chat import TurnResult

DIM = "\x1b[2m"
RESET = "\x1b[0m"
TOOL_OUTPUT_MAX = 120
FLUSH_INTERVAL = 0.016  # s: a terminal sees the answer grow about once a frame
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PICTURES = {
    **{code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)},
    0x7F: 0x2421,  # ␡
    **{code: 0xFFFD for code in range(0x80, 0xA0)},  # C1 controls (a lone CSI, ...): �
}


def visible(text: str) -> str:
    """``text`` with terminal control characters shown as pictures (module docstring)."""
    return text.translate(_PICTURES) if _CONTROL.search(text) else text


def format_arguments(arguments: Any) -> str:
    """``{"city": "北京"}`` -> ``city=北京``; other shapes as compact text."""
    if isinstance(arguments, dict):
        return ", ".join(f"{k}={_scalar(v)}" for k, v in arguments.items())
    if isinstance(arguments, str):
        try:
            parsed = json.loads(arguments)
        except ValueError:
            return arguments
        return format_arguments(parsed) if isinstance(parsed, dict) else arguments
    return _scalar(arguments)


def _scalar(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def summarize_output(output: str) -> str:
    """A one-line summary of a plugin's output (``response_for_model`` when present)."""
    text = output
    try:
        parsed = json.loads(output)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("response_for_model"), str):
        text = parsed["response_for_model"]
    elif parsed is not None:
        text = json.dumps(parsed, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= TOOL_OUTPUT_MAX else text[: TOOL_OUTPUT_MAX - 1] + "…"


class Output:
    """Stdout for a streamed answer: writes coalesced, and a closed pipe survived
    (``coze-desktop chat ... | head``).

    The text goes out at most every ``FLUSH_INTERVAL`` (the typewriter effect is kept: a timer
    on the running event loop sends what is waiting when the stream pauses) and, to a terminal,
    at once when a write ends a line; one flush per delta would cost more than decoding it. A
    pipe gets the same frames without the per-line flushes (a program reading it still sees the
    answer arrive). ``flush`` sends everything: the CLI calls it at the end of a turn, before
    writing to stderr, and when the turn is stopped. The bytes are those the writes give, in
    order; only when they leave changes.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        interactive: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.closed = False
        self.on_closed: Callable[[], None] | None = None
        self.interactive = self.isatty() if interactive is None else interactive
        self._clock = clock
        self._parts: list[str] = []
        self._flushed_at = clock()
        self._timer: asyncio.TimerHandle | None = None

    def write(self, text: str) -> None:
        if self.closed or not text:
            return
        self._parts.append(text)
        now = self._clock()
        if (self.interactive and text[-1] == "\n") or now - self._flushed_at >= FLUSH_INTERVAL:
            self.flush()
        elif self._timer is None:
            self._flush_later(FLUSH_INTERVAL - (now - self._flushed_at))

    def flush(self) -> None:
        """Send and flush everything written so far."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._send(flush=True)
        self._flushed_at = self._clock()

    def _flush_later(self, delay: float) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a whole turn printed at once): flush() comes at the end
            return
        self._timer = loop.call_later(delay, self._timed_flush)

    def _timed_flush(self) -> None:
        self._timer = None
        self.flush()

    def _send(self, *, flush: bool) -> None:
        text = "".join(self._parts)
        self._parts.clear()
        if self.closed:
            return
        try:
            if text:
                self.stream.write(text)
            if flush:
                self.stream.flush()
        except BrokenPipeError:
            self._broken()

    def _broken(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError, ValueError):  # keep the interpreter's exit flush quiet
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
        if self.on_closed is not None:
            self.on_closed()

    def isatty(self) -> bool:
        try:
            return self.stream.isatty()
        except (AttributeError, ValueError):
            return False


def tool_line(step: tr.ToolStep, waiting: str = "") -> str:
    line = f"[tool] {step.name or 'tool'}({format_arguments(step.arguments)})"
    if step.output is not None:
        line += f" -> {summarize_output(step.output)}"
    elif waiting:
        line += f" -> {waiting}"
    return line


class TextPrinter:
    """Writes a turn to ``out`` as events arrive (or all at once with :meth:`print_state`)."""

    def __init__(self, out: Output, *, color: bool, waiting_text: str = "") -> None:
        self.out = out
        self.color = color
        self.waiting_text = waiting_text
        self.mode = ""  # "", "thinking", "answer", "line"
        self.printed_answers: set[str] = set()
        self.printed_text: dict[str, list[str]] = {}  # message id -> the fragments printed
        self.last_answer = ""
        self.pending_tools: list[tr.ToolStep] = []
        self.wrote = False

    # -- streaming ------------------------------------------------------------------------------

    def on_event(self, event: ev.StreamEvent) -> None:
        if type(event) is ev.MessageDelta:
            message = event.message
            if message.reasoning_content:
                self._thinking(message.reasoning_content)
            if message.content and message.type in ("answer", ""):
                self._answer(message.id, message.content)
        elif type(event) is ev.MessageCompleted:
            self._completed(event.message)
        elif type(event) is ev.ChatEvent and event.chat.status == "requires_action":
            names = {call.name for call in event.chat.tool_calls}
            self.pending_tools = [s for s in self.pending_tools if s.name not in names]
            for call in event.chat.tool_calls:
                step = tr.ToolStep(call.name, call.arguments, kind="client", call_id=call.id)
                self._line(tool_line(step, self.waiting_text))

    def _completed(self, message: ev.Message) -> None:
        kind = message.type
        if kind in ("answer", ""):
            if message.id not in self.printed_answers and message.content:
                self._answer(message.id, message.content)
            elif message.content:
                self._reconcile(message.id, message.content)
        elif kind == ev.TYPE_FUNCTION_CALL:
            call = ev.parse_function_call(message.content)
            self.pending_tools.append(tr.ToolStep(call.name, call.arguments))
        elif kind in (ev.TYPE_TOOL_RESPONSE, ev.TYPE_TOOL_OUTPUT):
            step = self.pending_tools.pop(0) if self.pending_tools else tr.ToolStep("", {})
            step.output = message.content
            self._line(tool_line(step))
        elif kind == ev.TYPE_KNOWLEDGE:
            self._line("[knowledge] " + summarize_output(message.content))
        elif kind == ev.TYPE_VERBOSE:
            recalled = ev.verbose_knowledge(message.content)
            if recalled is not None:
                self._line("[knowledge] " + summarize_output(recalled))

    def _reconcile(self, mid: str, final: str) -> None:
        """The completed text of an answer already streamed: print what differs from it."""
        printed = "".join(self.printed_text.get(mid, ()))
        if final == printed:
            return
        if final.startswith(printed):
            self._answer(mid, final[len(printed) :])
            return
        self._break()
        self._write("[final] ")
        self.mode = "answer"
        self.last_answer = mid
        self.printed_text[mid] = []
        self._write(visible(final))
        self.printed_text[mid].append(final)

    def _thinking(self, text: str) -> None:
        if self.mode != "thinking":
            self._break()
            self._write((DIM if self.color else "") + "[thinking] ")
            self.mode = "thinking"
        self._write(visible(text))

    def _answer(self, mid: str, text: str) -> None:
        if self.mode != "answer" or mid != self.last_answer:
            self._flush_tools()
            separator = self.mode == "answer" and mid != self.last_answer
            self._break()
            if separator:
                self._write("\n")
            self.mode = "answer"
            self.last_answer = mid
        self.printed_answers.add(mid)
        self.printed_text.setdefault(mid, []).append(text)
        self._write(visible(text))

    def _line(self, text: str) -> None:
        self._flush_tools()
        self._break()
        self._write(visible(text) + "\n")
        self.mode = "line"

    def _flush_tools(self) -> None:
        pending, self.pending_tools = self.pending_tools, []
        for step in pending:
            self._line(tool_line(step))

    def _break(self) -> None:
        """End the current block on its own line."""
        if self.mode == "thinking":
            self._write((RESET if self.color else "") + "\n\n")
        elif self.mode == "answer":
            self._write("\n")
        self.mode = ""

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.wrote = True

    # -- end of turn ----------------------------------------------------------------------------

    def finish(self, state: tr.TurnState) -> None:
        """Close open blocks and list the follow-up suggestions."""
        self._flush_tools()
        self._break()
        for question in state.follow_ups:
            self._write(f"[follow-up] {visible(question)}\n")

    def print_state(self, state: tr.TurnState) -> None:
        """A whole turn at once (non-stream mode)."""
        if state.reasoning:
            self._thinking(state.reasoning)
        for step in state.tools:
            self._line(tool_line(step, self.waiting_text if step.kind == "client" else ""))
        for item in state.knowledge:
            self._line("[knowledge] " + summarize_output(item))
        if state.answer:
            self._answer("", state.answer)
        self.finish(state)


class JsonPrinter:
    """One JSON object per line: every stream event, then ``{"event": "result", ...}``. A record
    with anything token-like in it has every string scrubbed first: a server may echo the token
    in any event (the check runs on the encoded line, once; most records need nothing)."""

    def __init__(self, out: Output) -> None:
        self.out = out

    def on_event(self, event: Any) -> None:
        self.emit(to_jsonable(event))

    def emit(self, obj: dict[str, Any]) -> None:
        line = json.dumps(obj, ensure_ascii=False)
        if scrub_text(line) != line:
            line = json.dumps(scrub_strings(obj), ensure_ascii=False)
        self.out.write(line + "\n")


def to_jsonable(event: Any) -> dict[str, Any]:
    if isinstance(event, msgspec.Struct):
        data = msgspec.to_builtins(event)
        data["event"] = getattr(event, "event", type(event).__name__)
        return {"event": data.pop("event"), **data}
    return {"event": "unknown", "value": str(event)}


def result_record(result: TurnResult) -> dict[str, Any]:
    """The closing ``{"event": "result", ...}`` object of ``--json``."""
    m = result.message
    return {
        "event": "result",
        "status": m.status,
        "conversation_id": result.conversation_id,
        "chat_id": m.chat_id,
        "log_id": m.log_id,
        "usage": dataclasses.asdict(m.usage) if m.usage is not None else None,
        "ttft_ms": m.ttft_ms,
        "total_ms": m.total_ms,
        "error": result.error.to_dict() if result.error else None,
        "notice": result.notice.to_dict() if result.notice else None,
        "waiting_for": [  # the client-side tool calls the bot waits for (status requires_action)
            {"id": call.id, "type": call.type, "name": call.name, "arguments": call.arguments}
            for call in (result.state.tool_calls if m.status == "requires_action" else ())
        ],
        "debug_url": result.state.debug_url or None,
    }

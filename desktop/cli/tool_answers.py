"""Client-side tools on the command line: ``--tool-output NAME=TEXT``, a prompt on a terminal,
and the report naming the tool when neither gave the bot its result.

A bot that calls a client-side tool (``conversation.chat.requires_action``) waits for the
result. :class:`ToolAnswers` is the session's tool handler: it answers each pending call from
the ``--tool-output`` values (by function name) or, on a terminal, asks for it on stderr; when a
call has neither, it answers nothing and the turn ends waiting (exit status 3).
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from typing import TYPE_CHECKING

from desktop.cli import common as c

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from desktop.api.events import ToolCall

MAX_ROUNDS = 8  # a bot that keeps asking again is not answered forever from one flag


def parse_outputs(values: Sequence[str], lang: str) -> dict[str, str]:
    """``NAME=TEXT`` pairs (NAME = the function name); a malformed one is a usage error."""
    outputs: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise c.CliError(
                c.t(
                    lang,
                    "--tool-output takes NAME=TEXT (the tool's function name, then its result); "
                    "got {0!r}.",
                    "--tool-output 的格式是 NAME=TEXT（工具的函数名和它的结果）；收到的是 {0!r}。",
                ).format(value)
            )
        outputs[name.strip()] = text
    return outputs


def interactive() -> bool:
    """Both ends are a terminal: a person can type a tool's result."""
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def describe_call(call: ToolCall, lang: str) -> str:
    """The call as a person reads it: the tool's name (or the bot's question) and arguments."""
    if call.type == "reply_message":
        return c.t(lang, "The bot asks: {0}", "智能体提问：{0}").format(question_text(call))
    head = c.t(lang, "The bot is waiting for you: {0}", "智能体在等你：{0}").format(call.name)
    return f"{head}\n{pretty_arguments(call.arguments)}"


def pretty_arguments(arguments: str) -> str:
    try:
        value = json.loads(arguments) if arguments else {}
    except ValueError:
        return arguments
    return json.dumps(value, ensure_ascii=False, indent=2)


def question_text(call: ToolCall) -> str:
    """A question node's text: its arguments' question/content field, else the raw string."""
    try:
        value = json.loads(call.arguments) if call.arguments else ""
    except ValueError:
        return call.arguments
    if isinstance(value, dict):
        for key in ("question", "content", "text", "message"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return call.arguments or call.name


def waiting_report(calls: Sequence[ToolCall], lang: str) -> str:
    """Why the command stopped: each call the bot waits for, and how to answer it."""
    lines = []
    for call in calls:
        lines.append(describe_call(call, lang))
        lines.append(
            c.t(
                lang,
                "The bot waits for the result of {0}: run the command again with "
                "--tool-output {0}=TEXT.",
                "智能体在等待 {0} 的结果：请加上 --tool-output {0}=TEXT 重新运行命令。",
            ).format(call.name or "tool")
        )
    return "\n".join(lines)


class ToolAnswers:
    """The CLI's tool handler: ``--tool-output`` values, else the terminal, else nothing."""

    def __init__(self, outputs: dict[str, str], lang: str, *, ask: bool) -> None:
        self.outputs = outputs
        self.lang = lang
        self.ask = ask
        self.rounds = 0
        self.before_asking: Callable[[], None] = _nothing

    async def __call__(self, calls: Sequence[ToolCall]) -> list[tuple[str, str]]:
        self.rounds += 1
        if self.rounds > MAX_ROUNDS:
            return []
        answered: list[tuple[str, str]] = []
        for call in calls:
            text = self.outputs.get(call.name)
            if text is None and self.ask:
                text = await self._prompt(call)
            if text is None:
                return []  # all calls are submitted at once, or none
            answered.append((call.id, text))
        return answered

    async def _prompt(self, call: ToolCall) -> str | None:
        self.before_asking()
        prompt = c.t(self.lang, "Result (one line; empty line or Ctrl+D gives up): ",
                     "结果（一行；空行或 Ctrl+D 放弃）：")  # fmt: skip
        sys.stderr.write(describe_call(call, self.lang) + "\n" + prompt)
        sys.stderr.flush()
        line = await _read_line()
        text = line.rstrip("\r\n")
        return text if text else None


async def _read_line() -> str:
    """One line of stdin, read in a daemon thread: Ctrl+C or a closed loop never waits on it."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def deliver(line: str) -> None:
        if not future.done():
            future.set_result(line)

    def read() -> None:
        try:
            line = sys.stdin.readline()
        except (OSError, ValueError):
            line = ""
        try:
            loop.call_soon_threadsafe(deliver, line)
        except RuntimeError:  # the loop closed meanwhile
            return

    threading.Thread(target=read, name="tool-output-prompt", daemon=True).start()
    return await future


def _nothing() -> None:
    return None

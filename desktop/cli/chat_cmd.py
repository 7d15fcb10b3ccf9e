"""``coze-desktop chat``: one turn from the command line, streamed to stdout.

With several ``--profile`` the question goes to all of them at once (``compare_cmd``).

The answer goes to stdout (text, or one JSON object per event with ``--json``); everything about
the run — the conversation id to continue with, a stop notice, a diagnosis — goes to stderr.
Exit status: 0 answered, 1 failed (diagnosis on stderr), 2 usage error, 3 the bot waits for a
client-side tool whose result was not given (``--tool-output NAME=TEXT``), 130 stopped by Ctrl+C.

Client-side tools (``conversation.chat.requires_action``): each ``--tool-output NAME=TEXT`` answers
the calls of the function NAME; on a terminal, a call without one is asked for interactively.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from desktop.cli import common as c
from desktop.cli import tool_answers as tools
from desktop.cli.render import JsonPrinter, Output, TextPrinter, result_record
from desktop.core.chat import ChatSession, TurnResult

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

    from desktop.storage import Database, Profile, Session


def add_parser(sub: Any) -> None:
    p = sub.add_parser("chat", help="send one message and stream the answer")
    c.add_target_options(p, several=True)
    p.add_argument("--conversation", metavar="ID", help="continue this Coze conversation")
    p.add_argument("--no-stream", action="store_true", help="create the chat and poll for it")
    p.add_argument("--json", action="store_true", help="one JSON object per event on stdout")
    p.add_argument("--workflow-id", metavar="W", help="chat with this chatflow (workflows/chat)")
    p.add_argument("--app-id", metavar="A", help="the app the chatflow belongs to")
    p.add_argument(
        "--parameters", metavar="JSON", help="the chatflow's input parameters (a JSON object)"
    )
    p.add_argument(
        "--tool-output",
        action="append",
        default=[],
        metavar="NAME=TEXT",
        help="the result of the client-side tool NAME when the bot asks for it (repeatable)",
    )
    p.add_argument("message", metavar="MESSAGE", help="the message ('-' reads it from stdin)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, lang: str) -> int:
    text = sys.stdin.read() if args.message == "-" else args.message
    if not text.strip():
        raise c.CliError(c.t(lang, "The message is empty.", "消息为空。"))
    profiles = args.profile or []
    if len(profiles) > 1:  # several bots at once: a comparison
        from desktop.cli import compare_cmd

        return compare_cmd.run(args, lang, text.strip())
    args.profile = profiles[0] if profiles else None
    if getattr(args, "demo", False) and args.conversation:
        raise c.CliError(_demo_forgets(lang))
    outputs = tools.parse_outputs(args.tool_output, lang)
    args.parameters = _parameters(args.parameters, lang)
    ask = args.message != "-" and not args.json and tools.interactive()
    answers = tools.ToolAnswers(outputs, lang, ask=ask)
    with c.demo_target(args, lang) as demo, _storage(args, demo) as db:
        target = demo or c.resolve_target(args, db, lang)
        token = c.require_token(target, lang)
        profile = _prepare_profile(db, target, args)
        session = _session(db, profile, args.conversation)
        turn = _turn(args, lang, db, profile, session, token, text.strip(), answers)
        return c.run_async(turn)


@contextmanager
def _storage(args: argparse.Namespace, demo: c.Target | None) -> Iterator[Database]:
    """The user's history for saved profiles; a throwaway in-memory one otherwise."""
    adhoc = demo is not None or bool(args.base_url)
    with c.open_db(":memory:" if adhoc else None) as db:
        yield db


def _prepare_profile(db: Database, target: c.Target, args: argparse.Namespace) -> Profile:
    profile = target.profile
    if not target.stored:
        profile = db.profiles.add(profile)
    if args.no_stream:
        profile = replace(profile, stream=False)
    if args.workflow_id:
        profile = replace(profile, workflow_id=args.workflow_id)
    if args.app_id:
        profile = replace(profile, app_id=args.app_id, bot_id="")
    if args.parameters is not None:
        profile = replace(profile, parameters=args.parameters)
    return profile


def _parameters(text: str | None, lang: str) -> dict[str, Any] | None:
    """``--parameters``: a JSON object, or a usage error saying what is wrong with it."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise c.CliError(
            c.t(
                lang, "--parameters is not valid JSON: {0}", "--parameters 不是有效的 JSON：{0}"
            ).format(exc)
        ) from exc
    if not isinstance(value, dict):
        raise c.CliError(
            c.t(lang, "--parameters must be a JSON object ({...}).",
                "--parameters 必须是 JSON 对象（{...}）。")
        )  # fmt: skip
    return value


def _session(db: Database, profile: Profile, conversation_id: str | None) -> Session:
    if conversation_id:
        for session in db.sessions.list(profile.id):
            if session.conversation_id == conversation_id:
                return session
        return db.sessions.create(profile.id, conversation_id=conversation_id)
    return db.sessions.create(profile.id)


async def _turn(
    args: argparse.Namespace,
    lang: str,
    db: Database,
    profile: Profile,
    session: Session,
    token: str,
    text: str,
    answers: tools.ToolAnswers,
) -> int:
    out = Output(sys.stdout)
    json_out = JsonPrinter(out) if args.json else None
    waiting = c.t(lang, "(waiting for the client)", "（等待客户端）")
    text_out = TextPrinter(out, color=c.use_color(sys.stdout), waiting_text=waiting)
    on_event: Any = json_out.on_event if json_out else None
    if json_out is None and profile.stream:
        on_event = text_out.on_event
    client = c.make_client(profile.api_base_url, token, context={"profile": profile.name})
    try:
        try:
            answers.before_asking = out.flush
            if profile.auto_local_tools:  # the profile's fixed results; the flags win
                answers.outputs = {**profile.local_tools, **answers.outputs}
            chat = ChatSession(
                client, db, profile, session, on_event=on_event, tool_handler=answers
            )
            out.on_closed = chat.cancel  # nobody reads the answer any more
            with _sigint_stops(chat, out):
                result = await chat.send(text)
        finally:
            await client.aclose()
        if json_out is not None:
            json_out.emit(result_record(result))
        elif profile.stream:
            text_out.finish(result.state)
        else:
            text_out.print_state(result.state)
    finally:
        out.flush()  # all of the answer is out before anything goes to stderr
    return _report(result, lang, demo=bool(getattr(args, "demo", False)))


@contextmanager
def _sigint_stops(chat: ChatSession, out: Output) -> Iterator[None]:
    """Ctrl+C stops the stream at once (the turn then ends ``stopped``); twice aborts. What was
    received is on the terminal at the press."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    presses = 0

    def on_sigint() -> None:
        nonlocal presses
        presses += 1
        out.flush()
        if presses == 1 and chat.busy:
            chat.cancel()
        elif main is not None:
            main.cancel()

    try:
        loop.add_signal_handler(signal.SIGINT, on_sigint)
    except (NotImplementedError, RuntimeError):  # Windows: KeyboardInterrupt does the job
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)


def _report(result: TurnResult, lang: str, *, demo: bool = False) -> int:
    """Stderr epilogue; returns the exit status."""
    code = c.EXIT_OK
    if result.message.status == "stopped":
        c.say(
            lang,
            "[stopped] the partial answer above was kept.",
            "[已停止] 已保留上面的部分回答。",
        )
        code = c.EXIT_INTERRUPTED
    elif result.error is not None:
        c.err(result.error.describe(lang))
        code = c.EXIT_FAILED
    elif result.notice is not None:  # the answer is whole; say what was irregular
        c.err(result.notice.describe(lang))
    elif result.state.status == "requires_action":
        c.err(tools.waiting_report(result.state.tool_calls, lang))
        code = c.EXIT_WAITING
    if result.state.debug_url:
        c.err(c.t(lang, "Open the run in Coze: {0}", "在扣子中查看这次运行：{0}").format(
            result.state.debug_url))  # fmt: skip
    if result.conversation_id and demo:
        c.err(_demo_forgets(lang))
    elif result.conversation_id:
        c.err(
            c.t(
                lang,
                "conversation: {0}  (continue with --conversation {0})",
                "会话：{0}（用 --conversation {0} 继续）",
            ).format(result.conversation_id)
        )
    return code


def _demo_forgets(lang: str) -> str:
    return c.t(
        lang,
        "The --demo bot lives only while one command runs, so it cannot continue a conversation. "
        "For several turns, start `coze-desktop simulator` and chat with --base-url and --bot-id.",
        "--demo 智能体只在一条命令运行期间存在，无法继续会话。需要多轮对话时，请先运行 "
        "`coze-desktop simulator`，再用 --base-url 和 --bot-id 对话。",
    )

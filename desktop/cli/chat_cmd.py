"""``coze-desktop chat``: one turn from the command line, streamed to stdout.

The answer goes to stdout (text, or one JSON object per event with ``--json``); everything about
the run — the conversation id to continue with, a stop notice, a diagnosis — goes to stderr.
Exit status: 0 answered, 1 failed (diagnosis on stderr), 2 usage error, 3 the bot waits for a
client-side tool whose result was not given (``--tool-output NAME=TEXT``), 130 stopped by Ctrl+C.

Client-side tools (``conversation.chat.requires_action``): each ``--tool-output NAME=TEXT`` answers
the calls of the function NAME; on a terminal, a call without one is asked for interactively.

Attachments (``--attach PATH``, repeatable): every file is opened and the limits checked before
anything is sent; a missing or unreadable file is a usage error naming it. The files are uploaded
(``POST /v1/files/upload``), then sent with the message as one ``object_string`` question.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import signal
import sys
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from desktop.cli import common as c
from desktop.cli import tool_answers as tools
from desktop.cli.render import JsonPrinter, Output, TextPrinter
from desktop.core import attachments as att
from desktop.core.chat import ChatSession, TurnResult

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator
    from pathlib import Path

    from desktop.storage import Database, Profile, Session


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "chat",
        help="send one message and stream the answer",
        description="Send one message and stream the answer. With --profile the turn is saved "
        "to the history (as in the window); with --base-url or --demo nothing is written to "
        "the history.",
    )
    c.add_target_options(p)
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
    p.add_argument(
        "--attach",
        action="append",
        default=[],
        metavar="PATH",
        help="send this file or image with the message (repeatable)",
    )
    p.add_argument("message", metavar="MESSAGE", help="the message ('-' reads it from stdin)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, lang: str) -> int:
    text = sys.stdin.read() if args.message == "-" else args.message
    if not text.strip():
        raise c.CliError(c.t(lang, "The message is empty.", "消息为空。"))
    if getattr(args, "demo", False) and args.conversation:
        raise c.CliError(_demo_forgets(lang))
    uploads = _attachments(args.attach, text, lang)
    outputs = tools.parse_outputs(args.tool_output, lang)
    args.parameters = _parameters(args.parameters, lang)
    ask = args.message != "-" and not args.json and tools.interactive()
    answers = tools.ToolAnswers(outputs, lang, ask=ask)
    with c.demo_target(args, lang) as demo, _storage(args, demo) as db:
        target = demo or c.resolve_target(args, db, lang)
        token = c.require_token(target, lang)
        profile = _prepare_profile(db, target, args)
        session = _session(db, profile, args.conversation)
        turn = _turn(args, lang, db, profile, session, token, text.strip(), answers, uploads)
        return c.run_async(turn)


def _attachments(paths: list[str], text: str, lang: str) -> list[att.Upload]:
    """``--attach``: each file opened now (a missing or unreadable one is a usage error naming
    it, and nothing is sent), then the message's limits checked."""
    uploads = []
    for path in paths:
        try:
            uploads.append(att.Upload.from_path(path))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise c.CliError(
                c.t(lang, "Cannot read the file to attach: {0} ({1})",
                    "无法读取要附加的文件：{0}（{1}）").format(path, reason)
            ) from exc  # fmt: skip
    problem = att.check_limits(text, uploads)
    if problem is not None:
        raise c.CliError(_limit_text(problem, lang))
    return uploads


def _limit_text(problem: att.LimitProblem, lang: str) -> str:
    if problem.kind == "too_many":
        return c.t(lang, "At most {0} files can go with one message.",
                   "一条消息最多附带 {0} 个文件。").format(problem.limit)  # fmt: skip
    if problem.kind == "too_large":
        return c.t(lang, "{0} is larger than Coze accepts ({1} at most).",
                   "{0} 超出了扣子的大小限制（最大 {1}）。").format(
            problem.name, att.human_size(problem.limit))  # fmt: skip
    if problem.kind == "empty":
        return c.t(lang, "{0} is empty.", "{0} 是空文件。").format(problem.name)
    return c.t(lang, "Write a message to go with the files.", "请写一句话和文件一起发送。")


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
    uploads: list[att.Upload],
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
                client, db, profile, session, on_event=on_event, tool_handler=answers,
                files_dir=_files_dir(db), on_upload=_upload_notes(lang, quiet=args.json),
            )  # fmt: skip
            out.on_closed = chat.cancel  # nobody reads the answer any more
            with _sigint_stops(chat, out) as signals:
                result = await chat.send(text, attachments=uploads)
        finally:
            await client.aclose()
        if json_out is not None:
            json_out.emit(_result_record(result))
        elif profile.stream:
            text_out.finish(result.state)
        else:
            text_out.print_state(result.state)
    finally:
        out.flush()  # all of the answer is out before anything goes to stderr
    code = _report(result, lang, demo=bool(getattr(args, "demo", False)))
    return EXIT_TERMINATED if signals.terminated else code


EXIT_TERMINATED = 128 + signal.SIGTERM  # the shell's status for a process ended by SIGTERM


@dataclasses.dataclass
class _Signals:
    terminated: bool = False  # SIGTERM arrived during the turn


def _files_dir(db: Database) -> Path | None:
    """Where small images are kept for the window's thumbnails: only for the saved history."""
    if db.path is None:
        return None
    from desktop import paths

    return paths.attachments_dir()


def _upload_notes(lang: str, *, quiet: bool) -> att.ProgressCallback | None:
    """One line on stderr as each file starts uploading (not with ``--json``)."""
    if quiet:
        return None

    def note(progress: att.UploadProgress) -> None:
        if progress.sent == 0:
            c.err(c.t(lang, "uploading {0} ({1})…", "正在上传 {0}（{1}）…").format(
                progress.name, att.human_size(progress.total)))  # fmt: skip

    return note


@contextmanager
def _sigint_stops(chat: ChatSession, out: Output) -> Iterator[_Signals]:
    """Ctrl+C stops the stream at once (the turn then ends ``stopped``); twice aborts. What was
    received is on the terminal at the press. SIGTERM stops it the same way (the partial answer
    and its ``[stopped]`` mark are printed, the cancel is sent); the exit status is then 143."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    presses = 0
    signals = _Signals()

    def on_sigint() -> None:
        nonlocal presses
        presses += 1
        out.flush()
        if presses == 1 and chat.busy:
            chat.cancel()
        elif main is not None:
            main.cancel()

    def on_sigterm() -> None:
        signals.terminated = True
        on_sigint()

    try:
        loop.add_signal_handler(signal.SIGINT, on_sigint)
        loop.add_signal_handler(signal.SIGTERM, on_sigterm)
    except (NotImplementedError, RuntimeError):  # Windows: KeyboardInterrupt does the job
        yield signals
        return
    try:
        yield signals
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        loop.remove_signal_handler(signal.SIGTERM)


def _result_record(result: TurnResult) -> dict[str, Any]:
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

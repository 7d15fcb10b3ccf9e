"""``coze-desktop sessions``, ``coze-desktop export`` and ``coze-desktop simulator``."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli import common as c
from desktop.core.export import FORMATS, ExportError, export_sessions

if TYPE_CHECKING:
    import argparse

    from desktop.storage import Session


def add_parsers(sub: Any) -> None:
    ls = sub.add_parser("sessions", help="list the saved chat sessions (the ids export takes)")
    ls.add_argument("--profile", metavar="NAME", help="only this profile's sessions")
    ls.add_argument("--search", metavar="TEXT", default="", help="only sessions containing TEXT")
    ls.add_argument("--json", action="store_true", help="one JSON object per session")
    ls.set_defaults(func=run_sessions)
    ex = sub.add_parser("export", help="export chat history as Markdown or JSON")
    ex.add_argument(
        "--session",
        type=int,
        action="append",
        metavar="ID",
        help="a session id (repeatable; default: every session)",
    )
    ex.add_argument("--format", choices=FORMATS, required=True)
    ex.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    ex.set_defaults(func=run_export)
    sim = sub.add_parser("simulator", help="run the Coze simulator until Ctrl+C")
    sim.add_argument("--port", type=int, default=None, help="port (default 8765; 0 = any)")
    sim.add_argument("--host", default="127.0.0.1")
    sim.set_defaults(func=run_simulator)


def run_sessions(args: argparse.Namespace, lang: str) -> int:
    """Id, last activity, bot, message count and title of each session, newest first."""
    with c.open_db() as db:
        names = {p.id: p.name for p in db.profiles.list()}
        profile_id = None
        if args.profile:
            profile = db.profiles.by_name(args.profile)
            if profile is None:
                raise c.CliError(
                    c.t(
                        lang,
                        f"No profile named “{args.profile}”.",
                        f"没有名为“{args.profile}”的配置。",
                    ),
                    c.EXIT_FAILED,
                )
            profile_id = profile.id
        sessions = db.sessions.list(profile_id=profile_id, query=args.search)
        rows = [(s, names.get(s.profile_id, "?"), db.messages.count(s.id)) for s in sessions]
    for session, bot, count in rows:
        sys.stdout.write(_session_line(session, bot, count, lang, as_json=args.json) + "\n")
    if not rows and not args.json:
        c.say(lang, "No saved sessions.", "没有保存的会话。")
    return c.EXIT_OK


def _session_line(session: Session, bot: str, count: int, lang: str, *, as_json: bool) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(session.updated_at or session.created_at))
    title = session.title or c.t(lang, "New chat", "新对话")
    if as_json:
        record = {"id": session.id, "updated": when, "profile": bot, "messages": count,
                  "title": title, "conversation_id": session.conversation_id,
                  "pinned": session.pinned}  # fmt: skip
        return json.dumps(record, ensure_ascii=False)
    return f"{session.id:>6}  {when}  {bot}  ({count})  {title}"


def run_export(args: argparse.Namespace, lang: str) -> int:
    with c.open_db() as db:
        try:
            text = export_sessions(db, args.session, args.format)
        except ExportError as exc:
            raise c.CliError(str(exc), c.EXIT_FAILED) from exc
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        c.say(lang, f"Exported to {args.output}.", f"已导出到 {args.output}。")
    else:
        sys.stdout.write(text)
    return c.EXIT_OK


def run_simulator(args: argparse.Namespace, lang: str) -> int:
    from desktop.simulator import bots
    from desktop.simulator.server import Simulator

    port = bots.DEFAULT_PORT if args.port is None else args.port
    sim = Simulator()
    try:
        base_url = sim.start(args.host, port)
    except OSError as exc:
        raise c.CliError(
            c.t(
                lang,
                f"Cannot listen on {args.host}:{port}: {exc.strerror or exc}",
                f"无法监听 {args.host}:{port}：{exc.strerror or exc}",
            ),
            c.EXIT_FAILED,
        ) from exc
    print(base_url, flush=True)
    c.err(c.t(lang, "Coze simulator running at", "Coze 模拟服务器运行于") + f" {base_url}")
    c.err(f"  COZE_API_TOKEN={bots.DEMO_TOKEN}")
    c.say(
        lang,
        f"  demo bot id: {bots.DEMO_BOT_ID}   (Ctrl+C to stop)",
        f"  演示智能体 ID：{bots.DEMO_BOT_ID}（按 Ctrl+C 停止）",
    )
    c.err(
        f'  coze-desktop chat --base-url {base_url} --bot-id {bots.DEMO_BOT_ID} "北京今天天气怎么样?"'
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    c.say(lang, "Simulator stopped.", "模拟服务器已停止。")
    return c.EXIT_OK

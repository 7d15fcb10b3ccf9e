"""``coze-desktop export`` and ``coze-desktop simulator``."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli import common as c
from desktop.core.export import FORMATS, ExportError, export_sessions

if TYPE_CHECKING:
    import argparse


def add_parsers(sub: Any) -> None:
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

"""Benchmark: the window's peak memory and longest main-loop stall against a hostile server.

    QT_QPA_PLATFORM=offscreen python -m tests.bench.bench_hostile_window [--cases endless,...]

``bench_hostile_memory`` measures the command line; this is the same hostile loopback server
(``tests/integration/hostile.py``) against a real main window (tests' harness: a temporary
SQLite history; the answer streams into the chat view and is saved). Each case runs in a fresh
child process (this script with ``--child CASE``) so that its peak RSS (``ru_maxrss``) is its
own; the child sends one question, waits for the turn to end and prints its peak RSS, the
longest gap of a 5 ms heartbeat timer while the answer streamed and was shown, the answer's
status, its diagnosis and the characters kept. The baseline is the same window answering the
simulator's demo bot. Goal: every peak < 300 MiB, every case ends with the limit's diagnosis.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.integration import hostile

if TYPE_CHECKING:
    from desktop.ui.bridge.controller import TurnFinished

ROOT = Path(__file__).resolve().parents[2]
GOAL_MIB = 300
CASES: dict[str, hostile.Script] = {
    "endless": hostile.endless,
    "endless-noise": hostile.endless_noise,
    "gzip-newlines": hostile.gzip_bomb(b"\n"),
    "gzip-zeros": hostile.gzip_bomb(b"\0"),
    "line-100mb": hostile.long_line(100_000_000),
}


async def _turn(case: str) -> dict[str, Any]:
    from desktop.simulator import DEMO_TOKEN, Simulator
    from desktop.storage import Database, Profile
    from desktop.ui.kit.intents import SendIntent
    from tests.bench.window import NoQtBot
    from tests.heartbeat import Heartbeat
    from tests.ui.harness import make_shell

    home = Path(tempfile.mkdtemp(prefix="bench-hostile-window-"))
    os.environ["COZE_DESKTOP_HOME"] = str(home)
    with Simulator(delay_scale=0) as sim:
        db = Database.open(home / "history.sqlite3")
        shell = make_shell(NoQtBot(), sim, db=db)  # type: ignore[arg-type]
        finished: asyncio.Future[TurnFinished] = asyncio.get_running_loop().create_future()
        shell.controller.turn_finished.connect(
            lambda event: finished.done() or finished.set_result(event)
        )
        beat = Heartbeat()
        if case == "baseline":
            profile = shell.add_profile("Demo", "7480000000000000001")
            server = None
        else:
            server = hostile.HostileServer(CASES[case])
            url = server.__enter__()
            profile = db.profiles.add(Profile(name="Hostile", region="custom", base_url=url,
                                              bot_id="1", user_id="u"))  # fmt: skip
            shell.secrets.set(profile.id, DEMO_TOKEN)
            shell.window.refresh_profiles()
        shell.start_chat(profile)
        beat.start()
        shell.window.chat.send(SendIntent("hi"))
        event = await asyncio.wait_for(finished, timeout=600)
        await asyncio.sleep(0.2)  # the heartbeat's next ticks: the final render is measured too
        beat.stop()
        if server is not None:
            server.__exit__(None, None, None)
        shell.controller.stop_all()
        shell.window.close()
        await shell.controller.shutdown()
        shell.demo.stop()
        db.close()
    return {
        "status": event.message.status,
        "diagnosis": event.error.diagnosis.key if event.error is not None else "none",
        "chars": len(event.message.content),
        "stall_ms": round(beat.longest * 1000, 1),
    }


def child(case: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.ui.bridge.loop import AppLoop

    logging.basicConfig(level=logging.CRITICAL)  # the expected turn failures stay quiet
    app: Any = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)
    loop = AppLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(_turn(case))
    result["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    sys.stdout.write(json.dumps(result) + "\n")


def run_case(case: str) -> dict[str, Any]:
    started = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "tests.bench.bench_hostile_window", "--child",
                           case], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900, check=False)  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"case": case, "error": f"exit {done.returncode}: {done.stderr[-400:]}"}
    result: dict[str, Any] = json.loads(lines[-1])
    result.update(case=case, wall_s=round(time.perf_counter() - started, 1))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="baseline," + ",".join(CASES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    worst = 0.0
    for case in args.cases.split(","):
        r = run_case(case)
        if "error" in r:
            sys.stdout.write(f"{case:14s} FAILED {r['error']}\n")
            continue
        worst = max(worst, r["peak_mib"]) if case != "baseline" else worst
        sys.stdout.write(f"{case:14s} peak RSS {r['peak_mib']:7.1f} MiB  longest stall "
                         f"{r['stall_ms']:8.1f} ms  {r['status']}/{r['diagnosis']}  "
                         f"{r['chars']:,} chars kept  ({r['wall_s']} s)\n")  # fmt: skip
    verdict = "met" if worst < GOAL_MIB else "MISSED"
    sys.stdout.write(f"worst hostile peak {worst:.1f} MiB (goal < {GOAL_MIB} MiB): {verdict}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

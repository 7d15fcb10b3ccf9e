"""Benchmark: the longest main-loop stall while another process holds the chat history locked.

    QT_QPA_PLATFORM=offscreen python -m tests.bench.bench_locked_history [--runs 3] [--busy-ms N]

A real main window (tests' harness: a temporary SQLite history, the loopback simulator) streams
the slow bot's answer (about 6 s of small deltas). Once the answer is streaming, a second Python
process takes the history's write lock (``BEGIN IMMEDIATE``) and holds it to the end of the
turn: every save of the answer then fails. A 5 ms heartbeat timer measures the longest gap of the
main loop from the moment the lock is held until just after the turn has finished (its final
render included); each run also streams the same turn without the lock (the baseline: the
window's own work at the end of a turn). The summary gives the outcome (locked: the answer ends
as a storage failure, its text kept) and the longest stalls.
``--busy-ms`` sets the window connection's busy timeout (default: the app's
``INTERACTIVE_BUSY_TIMEOUT_MS``; 5000 is what the window used before). Goal: the locked runs
stall no longer than the baseline plus a frame: no storage call holds the loop longer than that.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from desktop.simulator import SLOW_BOT_ID, Simulator
from desktop.storage import Database
from desktop.storage.db import INTERACTIVE_BUSY_TIMEOUT_MS
from desktop.ui.kit.intents import SendIntent
from tests.bench.window import NoQtBot
from tests.heartbeat import Heartbeat
from tests.history_faults import HeldLock

if TYPE_CHECKING:
    from desktop.ui.bridge.controller import TurnFinished, TurnUpdated


async def one_run(sim: Simulator, busy_ms: int, lock_it: bool) -> tuple[float, float, str, int]:
    from tests.ui.harness import make_shell

    home = Path(tempfile.mkdtemp(prefix="bench-locked-"))
    os.environ["COZE_DESKTOP_HOME"] = str(home)
    db = Database.open(home / "history.sqlite3")
    db.set_busy_timeout(busy_ms)
    shell = make_shell(NoQtBot(), sim, db=db)  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    streaming, finished = asyncio.Event(), loop.create_future()

    while_streaming = [0.0]  # the longest stall seen by the last update (the turn's end excluded)

    def on_update(event: TurnUpdated) -> None:
        if event.message.content:
            streaming.set()
        while_streaming[0] = beat.longest

    def on_finished(event: TurnFinished) -> None:
        if not finished.done():
            finished.set_result(event)

    shell.controller.turn_updated.connect(on_update)
    shell.controller.turn_finished.connect(on_finished)
    beat = Heartbeat()
    beat.start()
    shell.start_chat(shell.add_profile("Slow", SLOW_BOT_ID))
    shell.window.chat.send(SendIntent("type slowly"))
    await streaming.wait()
    lock = await loop.run_in_executor(None, HeldLock, db.path) if lock_it else None
    beat.reset()
    try:
        event = await asyncio.wait_for(finished, timeout=300)
        await asyncio.sleep(0.1)  # the heartbeat's next ticks: the turn's end is measured too
        stall = beat.longest
    finally:
        beat.stop()
        if lock is not None:
            lock.release()
    error = event.error.diagnosis.key if event.error is not None else "none"
    shell.controller.stop_all()
    shell.window.close()
    await shell.controller.shutdown()
    shell.demo.stop()
    db.close()
    return while_streaming[0], stall, f"{event.message.status}/{error}", len(event.message.content)


async def main(runs: int, busy_ms: int) -> None:
    with Simulator(delay_scale=0) as sim:
        stalls: dict[bool, list[float]] = {True: [], False: []}
        streaming: dict[bool, list[float]] = {True: [], False: []}
        for i in range(runs):
            for lock_it in (False, True):  # the same turn without the lock: the baseline
                during, stall, outcome, chars = await one_run(sim, busy_ms, lock_it)
                stalls[lock_it].append(stall)
                streaming[lock_it].append(during)
                label = "locked  " if lock_it else "baseline"
                print(f"run {i + 1} {label}: longest stall while streaming {during * 1000:.1f} "
                      f"ms, to the turn's end {stall * 1000:.1f} ms; turn {outcome}, {chars} "
                      "chars kept")  # fmt: skip
    for name, figures in (("while streaming", streaming), ("to the turn's end", stalls)):
        print(f"busy timeout {busy_ms} ms, longest main-loop stall {name}: locked by another "
              f"process {max(figures[True]) * 1000:.1f} ms (median {median(figures[True]) * 1000:.1f}), "
              f"not locked {max(figures[False]) * 1000:.1f} ms "
              f"(median {median(figures[False]) * 1000:.1f})")  # fmt: skip


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--busy-ms", type=int, default=INTERACTIVE_BUSY_TIMEOUT_MS)
    args = parser.parse_args(argv)
    from desktop.ui.bridge.loop import AppLoop

    logging.basicConfig(level=logging.ERROR)  # the expected "not saved" warnings stay quiet
    app: Any = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)  # each run closes its window; the loop goes on
    loop = AppLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(args.runs, args.busy_ms))


if __name__ == "__main__":
    run()

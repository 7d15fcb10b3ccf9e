"""Benchmark: N bots streaming the long demo answer at once into the compare view.

    QT_QPA_PLATFORM=offscreen python -m tests.bench.bench_compare [--bots 4] [--runs 3]
        [--deltas 2000] [--size 20000] [--delay-scale 1]

The simulator runs in a child process (``python -m desktop.simulator``, as in ``bench_stream``),
so its work does not share our interpreter; at ``--delay-scale 1`` (the default) the long bot
sends a delta every 0.5 ms, the demo's pace (``0``: as fast as the socket goes, where the
streams' own decoding keeps the loop busy). This process is the app's path: a ``ChatController``
on the qasync loop (``AppLoop``) runs one turn per column (``send_many``: one session, one
conversation and one HTTP stream each) against the long bot (``--deltas`` deltas of a
``--size``-character markdown answer, the demo default), and a shown 1400x800 ``CompareView``
receives every ``turn_started``/``turn_updated``/``turn_finished`` the way the window's compare
flow hands them on (the same ``ChatView`` renderer in each column). A 5 ms heartbeat timer
measures the main loop: the **longest stall** is the largest gap beyond its 5 ms, from the send
until every column shows its final answer and has no queued rendering left. Each round runs one
bot alone, then ``--bots`` bots (fresh sessions and view each time), after one unmeasured warm-up run of ``--bots`` bots
(the renderer's modules are imported on the first answer of any chat); the summary gives the
medians of the wall time, the longest stall and the 99th-percentile gap. Goal: the longest
stall with 4 bots < 16 ms (one frame).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median, quantiles

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.core.clients import ClientPool
from desktop.netlog import NetLog
from desktop.secrets import MemorySecretStore
from desktop.simulator import DEMO_TOKEN, LONG_BOT_ID
from desktop.storage import Database, Profile
from desktop.ui.bridge.controller import ChatController, TurnFinished, TurnStarted, TurnUpdated
from desktop.ui.bridge.loop import AppLoop
from desktop.ui.compare.view import CompareView
from tests.bench.bench_stream import QUESTION, USER_ID, simulator

HEARTBEAT_MS = 5


@dataclass
class Run:
    bots: int
    wall: float = 0.0
    cpu: float = 0.0  # this process's CPU seconds: well under ``wall`` on a busy machine
    gaps: list[float] = field(default_factory=list)  # ms beyond the heartbeat's 5 ms
    chars: int = 0

    @property
    def stall(self) -> float:
        return max(self.gaps, default=0.0)

    @property
    def p99(self) -> float:
        return quantiles(self.gaps, n=100)[98] if len(self.gaps) > 100 else self.stall


class Bench:
    def __init__(self, url: str, args: argparse.Namespace, home: Path) -> None:
        self.args = args
        self.db = Database.open(home / "history.sqlite3")
        self.secrets = MemorySecretStore()
        self.clients = ClientPool(NetLog())
        self.controller = ChatController(self.db, self.secrets, self.clients)
        self.profiles = [self._profile(url, i) for i in range(args.bots)]
        self.view: CompareView | None = None
        self.finished: set[int] = set()
        self.bots = 0
        self.all_done = asyncio.Event()
        self.controller.turn_started.connect(self._started)
        self.controller.turn_updated.connect(self._updated)
        self.controller.turn_finished.connect(self._finished)

    def _profile(self, url: str, index: int) -> Profile:
        variables = {"deltas": str(self.args.deltas), "size": str(self.args.size)}
        profile = self.db.profiles.add(Profile(name=f"Long {index + 1}", region="custom",
                                               base_url=url, bot_id=LONG_BOT_ID, user_id=USER_ID,
                                               custom_variables=variables))  # fmt: skip
        self.secrets.set(profile.id, DEMO_TOKEN)
        return profile

    # -- the compare flow's wiring ----------------------------------------------------------------

    def _started(self, event: TurnStarted) -> None:
        if self.view is not None:
            self.view.upsert(event.session_id, event.question)
            self.view.upsert(event.session_id, event.answer)

    def _updated(self, event: TurnUpdated) -> None:
        if self.view is not None:
            self.view.upsert(event.session_id, event.message)

    def _finished(self, event: TurnFinished) -> None:
        if self.view is not None:
            self.view.upsert(event.session_id, event.message)
        self.finished.add(event.session_id)
        if len(self.finished) == self.bots:
            self.all_done.set()

    # -- one run ----------------------------------------------------------------------------------

    async def run(self, bots: int) -> Run:
        sessions = [self.db.sessions.create(p.id) for p in self.profiles[:bots]]
        view = CompareView()
        view.resize(1400, 800)
        view.set_columns("bench", [(s.id, f"Long {i + 1}") for i, s in enumerate(sessions)])
        view.show()
        self.view, self.finished, self.bots = view, set(), bots
        self.all_done = asyncio.Event()
        await asyncio.sleep(0.2)  # shown and laid out before the clock starts
        result = Run(bots)
        clock = QElapsedTimer()
        heart = QTimer(interval=HEARTBEAT_MS)
        heart.setTimerType(Qt.TimerType.PreciseTimer)

        def beat() -> None:
            gap = max(0.0, clock.restart() - HEARTBEAT_MS)
            result.gaps.append(gap)

        heart.timeout.connect(beat)
        ids = [s.id for s in sessions]
        start, cpu = time.perf_counter(), time.process_time()
        clock.start()
        heart.start()
        outcomes = self.controller.send_many(ids, QUESTION)
        assert set(outcomes.values()) == {"started"}, outcomes
        await self.all_done.wait()
        while any(c.view.is_busy() for c in view.columns):  # noqa: ASYNC110 (no signal for it)
            await asyncio.sleep(0.005)
        result.wall = time.perf_counter() - start
        result.cpu = time.process_time() - cpu
        heart.stop()
        result.chars = sum(len(c.last_answer.content) for c in view.columns if c.last_answer)
        self.view = None
        view.close()
        view.deleteLater()
        return result

    async def close(self) -> None:
        await self.controller.shutdown()
        self.db.close()


async def rounds(bench: Bench, args: argparse.Namespace) -> list[tuple[Run, Run]]:
    await bench.run(args.bots)  # warm-up: the renderer's modules imported, the clients made
    pairs = []
    for index in range(args.runs):
        one = await bench.run(1)
        many = await bench.run(args.bots)
        pairs.append((one, many))
        print(f"round {index + 1}: 1 bot {one.wall:.2f} s (cpu {one.cpu:.2f} s), "
              f"stall {one.stall:.1f} ms | "
              f"{args.bots} bots {many.wall:.2f} s (cpu {many.cpu:.2f} s), stall {many.stall:.1f} ms, "
              f"p99 gap {many.p99:.1f} ms, {len(many.gaps)} beats, {many.chars:,} chars shown",
              flush=True)  # fmt: skip
    await bench.close()
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bots", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--deltas", type=int, default=2000)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--delay-scale", type=float, default=1.0,
                        help="the simulator's pace: 1 the demo's (0.5 ms a delta), 0 flat out")  # fmt: skip
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    loop = AppLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp, simulator(args.delay_scale) as url:
        os.environ["COZE_DESKTOP_HOME"] = tmp
        bench = Bench(url, args, Path(tmp))
        pairs = loop.run_until_complete(rounds(bench, args))
        loop.run_until_complete(loop.shutdown_asyncgens())  # as asyncio.run does for the app
    one = [p[0] for p in pairs]
    many = [p[1] for p in pairs]
    print()
    print(f"{'':14}{'wall s':>9}{'longest stall ms':>19}{'p99 gap ms':>13}")
    for label, runs in (("1 bot", one), (f"{args.bots} bots", many)):
        print(f"{label:14}{median(r.wall for r in runs):9.2f}"
              f"{median(r.stall for r in runs):19.1f}{median(r.p99 for r in runs):13.1f}")  # fmt: skip
    worst = max(r.stall for r in many)
    print(f"\nlongest main-loop stall with {args.bots} bots streaming: median "
          f"{median(r.stall for r in many):.1f} ms, worst {worst:.1f} ms (goal < 16 ms)")  # fmt: skip


if __name__ == "__main__":
    main()

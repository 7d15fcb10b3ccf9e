"""Benchmark: ``coze-desktop`` as a user starts it, under Xvfb, against a bare PySide6 window.

    python -m tests.bench.bench_startup_x11 [--rounds 5] [--poll xmap|xdotool] [--frozen PATH]

Every start is a fresh process of the real entry point (``tests/bench/entry.py``: the console
script when it imports this checkout, else the same lines with ``python -c``) on a private
``Xvfb``, timed from just before the spawn until the X server maps its first window (the
``MapNotify`` event, or ``--poll xdotool``: ``xdotool search --onlyvisible --pid`` every ~10 ms,
the issue's method). The **baseline** is a bare ``QMainWindow`` (1200x800) started the same way
(``python -c``) in the same round. Cases:

* **first run** — an empty ``COZE_DESKTOP_HOME`` (new every start): the welcome page;
* **returning** — 500 sessions / 50,000 messages (as ``bench_startup``), settings kept;
* **--demo** — the same history plus the demo profiles (a returning demo user);
* **--demo first run** — ``--demo`` on an empty home (profiles created after the first frame);
* **frozen returning** — the PyInstaller bundle on the returning history, when one exists.

Each round runs every case next to a baseline start, in alternating order. At the map the
child's CPU time and minor page faults (``/proc/PID/stat``) and RSS are read; RSS again
``--settle`` s later (the backend built, the app idle). Medians are printed; ratios are
app/baseline of the medians.
Goals: returning <= 1.3x, --demo <= 1.5x, RSS after the first frame <= baseline + 40 MiB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tests.bench import entry
from tests.bench.x11 import MapWatch, Xvfb, xdotool_mapped

if TYPE_CHECKING:
    from collections.abc import Callable

BARE = (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv)\n"
    "window = QMainWindow()\n"
    "window.resize(1200, 800)\n"
    "window.show()\n"
    "sys.exit(app.exec())\n"
)
# README's first command on a fresh machine is "--demo first run": the newcomer's start
GOALS = {"returning": 1.3, "--demo": 1.5, "--demo first run": 1.5}
GOAL_RSS_MIB = 40.0
TICK = os.sysconf("SC_CLK_TCK")


def proc_stat(pid: int) -> tuple[float, int]:
    """The process's CPU seconds (user + system) and its minor page faults (pages it touched
    for the first time: kernel time that ``bench_startup_instructions`` does not count)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK, int(fields[7])


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Case:
    """One way to start: its command, and the home it runs in (made fresh when ``fresh``)."""

    def __init__(self, name: str, cmd: list[str], home: str | None, fresh: bool = False) -> None:
        self.name, self.cmd, self.home, self.fresh = name, cmd, home, fresh
        self.runs: list[dict[str, float]] = []


class Runner:
    def __init__(self, args: argparse.Namespace, xvfb: Xvfb, work: Path) -> None:
        self.args, self.work = args, work
        self.env = entry.child_env(DISPLAY=xvfb.display, QT_QPA_PLATFORM="xcb",
                                   PYTHONPYCACHEPREFIX=str(work / "pycache"))  # fmt: skip
        self.watch = MapWatch(xvfb.display) if args.poll == "xmap" else None

    def start(self, case: Case) -> dict[str, float]:
        home = case.home
        if case.fresh:
            home = tempfile.mkdtemp(prefix="first-", dir=self.work)
        env = dict(self.env, COZE_DESKTOP_HOME=home or str(self.work / "none"))
        if self.watch is not None:
            self.watch.drain()
        log = open(self.work / f"{case.name.strip('-').replace(' ', '-')}.stderr", "w")  # noqa: SIM115
        t0 = time.monotonic()
        proc = subprocess.Popen(case.cmd, env=env, cwd=self.work, stdout=subprocess.DEVNULL,
                                stderr=log, stdin=subprocess.DEVNULL)  # fmt: skip
        try:
            mapped = self._mapped(proc)
            if not mapped:
                raise RuntimeError(f"{case.name}: no window (exit {proc.poll()}), see {log.name}")
            (cpu, faults), rss = proc_stat(proc.pid), rss_mib(proc.pid)
            time.sleep(self.args.settle)
            result = {"start": mapped - t0, "cpu": cpu, "rss": rss, "rss_settled": rss_mib(proc.pid),
                      "cpu_settled": proc_stat(proc.pid)[0], "faults": faults}  # fmt: skip
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
            log.close()
            if case.fresh and home:
                shutil.rmtree(home, ignore_errors=True)
        return result

    def _mapped(self, proc: subprocess.Popen[bytes]) -> float:
        if self.watch is not None:
            return self.watch.wait(proc.pid, alive=lambda: proc.poll() is None)
        return xdotool_mapped(proc.pid, self.env)


def history_home(work: Path, args: argparse.Namespace) -> str:
    """The returning user's home: ``bench_startup``'s history written into it."""
    from tests.bench.bench_startup import build_history

    home = work / "returning"
    home.mkdir()
    old = os.environ.get("COZE_DESKTOP_HOME")
    os.environ["COZE_DESKTOP_HOME"] = str(home)
    try:
        info = build_history(args.sessions, args.messages, args.big)
    finally:
        if old is None:
            os.environ.pop("COZE_DESKTOP_HOME", None)
        else:
            os.environ["COZE_DESKTOP_HOME"] = old
    print(f"history: {info['sessions']} sessions, {info['messages']:,} messages")
    return str(home)


def make_cases(args: argparse.Namespace, work: Path, runner: Runner) -> tuple[Case, list[Case]]:
    app_cmd, label = entry.real_entry(runner.env)
    print(f"entry point: {label}")
    returning = history_home(work, args)
    demo_home = str(work / "demo")
    shutil.copytree(returning, demo_home)
    bare = Case("baseline", [sys.executable, "-c", BARE], None)
    cases = [
        Case("first run", app_cmd, None, fresh=True),
        Case("returning", app_cmd, returning),
        Case("--demo", [*app_cmd, "--demo"], demo_home),
        Case("--demo first run", [*app_cmd, "--demo"], None, fresh=True),
    ]
    frozen = entry.frozen_entry(args.frozen)
    if frozen is not None:
        frozen_home = str(work / "frozen")
        shutil.copytree(returning, frozen_home)
        cases.append(Case("frozen returning", [str(frozen)], frozen_home))
        print(f"frozen app: {frozen}")
    else:
        print("frozen app: not built (dist/coze-desktop/coze-desktop); pass --frozen PATH")
    return bare, cases


def run(args: argparse.Namespace, runner: Runner, bare: Case, cases: list[Case]) -> None:
    for case in (bare, *cases):  # untimed: bytecode cache, page cache, demo profiles
        runner.start(case)
    for i in range(args.rounds):
        line = []
        for n, case in enumerate(cases):
            pair = (bare, case) if (i + n) % 2 == 0 else (case, bare)
            for kind in pair:
                kind.runs.append(runner.start(kind))
            line.append(f"{case.name} {case.runs[-1]['start']:.3f}/{bare.runs[-1]['start']:.3f}")
        print(f"  round {i + 1}/{args.rounds}: " + "  ".join(line), flush=True)


def med(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def report(bare: Case, cases: list[Case]) -> list[str]:
    rows: list[tuple[str, Callable[[list[dict[str, float]]], float], str]] = [
        ("spawn -> window mapped, s", lambda r: med(r, "start"), "x"),
        ("CPU at the map, s", lambda r: med(r, "cpu"), "x"),
        ("page faults at the map", lambda r: med(r, "faults"), "x"),
        ("RSS at the map, MiB", lambda r: med(r, "rss"), "+"),
        ("RSS settled, MiB", lambda r: med(r, "rss_settled"), "+"),
        ("CPU settled, s", lambda r: med(r, "cpu_settled"), "x"),
    ]
    names = ["baseline", *(c.name for c in cases)]
    print(
        f"\n{'median of ' + str(len(cases[0].runs)) + ' rounds':<28}"
        + "".join(f"{n:>18}" for n in names)
    )
    for label, get, how in rows:
        b = get(bare.runs)
        cells = [f"{b:18.3f}"]
        for case in cases:
            a = get(case.runs)
            rel = f"{a / b:.2f}x" if how == "x" else f"{a - b:+.1f}"
            cells.append(f"{a:9.3f} ({rel:>6})")
        print(f"{label:<28}" + "".join(cells))
    verdicts = []
    for case in cases:
        ratio = med(case.runs, "start") / med(bare.runs, "start")
        goal = GOALS.get(case.name)
        if goal is not None:
            verdicts.append(f"{case.name}: {ratio:.2f}x the bare window (goal <= {goal}x) "
                            f"{'met' if ratio <= goal else 'MISSED'}")  # fmt: skip
        extra = med(case.runs, "rss_settled") - med(bare.runs, "rss_settled")
        at_map = med(case.runs, "rss") - med(bare.runs, "rss")
        verdicts.append(f"{case.name}: RSS +{at_map:.1f} MiB at the map, +{extra:.1f} MiB settled "
                        f"(goal <= +{GOAL_RSS_MIB:.0f}) {'met' if extra <= GOAL_RSS_MIB else 'MISSED'}")  # fmt: skip
    return verdicts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--poll", choices=("xmap", "xdotool"), default="xmap")
    parser.add_argument("--settle", type=float, default=1.0, help="s after the map for RSS")
    parser.add_argument("--frozen", help="the frozen app (default: dist/coze-desktop/coze-desktop)")
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--big", type=int, default=5_000)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    xvfb = Xvfb()
    try:
        with tempfile.TemporaryDirectory(prefix="coze-x11-") as tmp:
            work = Path(tmp)
            runner = Runner(args, xvfb, work)
            bare, cases = make_cases(args, work, runner)
            print(f"Xvfb {xvfb.display}; window seen by {args.poll}; {args.rounds} rounds; "
                  f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
            run(args, runner, bare, cases)
            verdicts = report(bare, cases)
    finally:
        xvfb.close()
    print()
    for line in verdicts:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

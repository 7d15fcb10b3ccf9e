"""Benchmark: cold start of the main window on a large history, and opening a 5,000-message session.

    python -m tests.bench.bench_startup [--rounds 5] [--sessions 500] [--messages 50000] [--big 5000]

A history of ``--sessions`` sessions and ``--messages`` messages (one session holds ``--big`` of
them) is written with ``MessageRepo.add_many`` into a temporary ``COZE_DESKTOP_HOME``. Every round
then starts two fresh child processes (``QT_QPA_PLATFORM=offscreen``), in alternating order:

* **baseline**: a bare PySide6 ``QMainWindow`` (1200x800) shown until its first frame;
* **app**: Coze Desktop started exactly as ``python -m desktop`` starts it (Qt imported, the
  garbage collector paused, then ``desktop.app.main``'s steps: ``parse_args``,
  ``setup_logging``, ``create_application``, ``build_window``, ``window.show`` until the first
  frame, then the collector resumed, ``attach_services`` and ``reporter.install``) but waiting on a plain Qt event loop
  instead of entering the app's long-running qasync loop. "ready" is when the services are
  attached (the window is complete and takes input); for the baseline it is its first frame.

"First frame" is measured the same way for both: an event filter on the top-level window sees
its first ``UpdateRequest``/``Paint``; a zero-delay timer queued from there fires once that
repaint (children included) is done. The child's CPU time (user + system, ``time.process_time``)
at that moment is reported too: unlike the wall-clock time it hardly changes when other work
competes for the machine. Start-up time runs from the parent's clock just before
spawning the child, so interpreter start and imports count. RSS is read from /proc after the first
frame and a settling pass of the event loop.

The app child then opens the big session like a user: it selects the session's row in the
sidebar (``currentItemChanged`` -> ``MainWindow.open_session`` -> the storage's paged load ->
``ChatView.set_history``) and reports the synchronous stall, the time to the next painted frame,
the time until the chat view has no queued render work, and the longest main-loop stall seen by a
5 ms heartbeat. As a stress figure it also hands all of the session's messages to
``ChatView.set_history``. Goal: app start-up <= 1.5x the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

GOAL_RATIO = 1.5
RESULT_PREFIX = "BENCH-RESULT "
WINDOW_SIZE = (1200, 800)
WORDS = [
    "stream",
    "render",
    "layout",
    "widget",
    "天气",
    "数据",
    "token",
    "markdown",
    "answer",
    "model",
    "latency",
    "cache",
    "buffer",
    "用户",
    "segment",
    "parser",
    "session",
    "history",
    "会话",
    "消息",
    "profile",
    "bot",
    "plugin",
    "workflow",
    "知识库",
]


# -- the history database (parent) ----------------------------------------------------------------


def answer_text(rnd: random.Random, n: int) -> str:
    """A markdown answer of ~0.5-2.5 KB: prose, a list, sometimes a table or a code block."""
    prose = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(60, 250)))
    items = "\n".join(f"- point {i}: {rnd.choice(WORDS)} {rnd.choice(WORDS)}" for i in range(4))
    parts = [f"### Answer {n}", prose, items]
    if n % 3 == 0:
        rows = "\n".join(f"| {i} | {rnd.choice(WORDS)} | {rnd.randint(1, 99)} |" for i in range(5))
        parts.append("| # | name | value |\n|---|---|---|\n" + rows)
    if n % 4 == 0:
        parts.append(f"```python\ndef f{n}(x: int) -> int:\n    return x * {n}\n```")
    return "\n\n".join(parts)


def message_rows(session_id: int, count: int, start: float, rnd: random.Random) -> Iterator[dict]:
    """``count`` alternating question/answer rows for ``add_many``, one second apart."""
    for i in range(count):
        stamp = start + i
        if i % 2 == 0:
            question = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(5, 25))) + "?"
            yield {"session_id": session_id, "role": "user", "kind": "question",
                   "content": question, "status": "complete", "created_at": stamp}  # fmt: skip
        else:
            yield {"session_id": session_id, "role": "assistant", "kind": "answer",
                   "content": answer_text(rnd, i), "status": "complete", "created_at": stamp,
                   "follow_ups": ["Tell me more", "再详细一点"] if i % 10 == 1 else [],
                   "usage": {"token_count": 900, "output_count": 700, "input_count": 200},
                   "chat_id": f"chat-{session_id}-{i}", "log_id": f"2026{session_id:06d}{i:08d}",
                   "total_ms": 2000 + i % 700}  # fmt: skip


def build_history(sessions: int, messages: int, big: int) -> dict[str, Any]:
    """Write the history under ``$COZE_DESKTOP_HOME``; returns what the children need to know."""
    from desktop import paths
    from desktop.storage import Database, Profile

    rnd = random.Random(20261124)
    db = Database.open(paths.db_path())
    try:
        profile = db.profiles.add(Profile(name="Bench bot", region="custom",
                                          base_url="http://127.0.0.1:9", bot_id="7400000000000000001",
                                          user_id="bench-user"))  # fmt: skip
        ids = [db.sessions.create(profile.id, title=f"Session {i}").id for i in range(sessions)]
        per_small, extra = divmod(messages - big, max(1, sessions - 1))
        start = time.time() - 400 * 86_400  # the big session is the oldest: not opened at start
        db.messages.add_many(message_rows(ids[0], big, start, rnd))
        for n, sid in enumerate(ids[1:], 1):
            count = per_small + (1 if n <= extra else 0)
            db.messages.add_many(message_rows(sid, count, start + n * 10_000 + big, rnd))
        total = sum(db.messages.count(sid) for sid in ids)
    finally:
        db.close()
    return {"big_session": ids[0], "big_count": big, "sessions": sessions, "messages": total}


# -- child side: shared measuring helpers ---------------------------------------------------------


def rss_mib() -> float:
    """Resident set size in MiB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def make_frame_watch(window: Any) -> Any:
    """An event filter on ``window``: ``wait()`` returns when its next repaint has completed."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    paint_events = (QEvent.Type.UpdateRequest, QEvent.Type.Paint)

    class FrameWatch(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.armed = True
            self.done_at = 0.0
            self.loop = QEventLoop()
            # A timer object, as desktop.ui.window_frame uses: it fires right after the repaint.
            # QTimer.singleShot(0, callable) would be a posted call that waits for zero-delay
            # timers started during the paint too (the sidebar's deferred rows): work that is
            # not part of the frame.
            self.done = QTimer(self)
            self.done.setSingleShot(True)
            self.done.timeout.connect(self._painted)
            window.installEventFilter(self)

        def eventFilter(self, obj: Any, event: Any) -> bool:
            if self.armed and obj is window and event.type() in paint_events:
                self.armed = False
                self.done.start(0)  # fires once this repaint has finished
            return False

        def _painted(self) -> None:
            self.done_at = time.monotonic()
            self.loop.quit()

        def wait(self, timeout_ms: int = 60_000) -> float:
            if not self.done_at:
                QTimer.singleShot(timeout_ms, self.loop.quit)
                self.loop.exec()
            window.removeEventFilter(self)
            return self.done_at

    return FrameWatch()


def settle(rounds: int = 5) -> None:
    """Let queued work (deferred layouts, zero timers) run before reading RSS."""
    from PySide6.QtWidgets import QApplication

    for _ in range(rounds):
        QApplication.processEvents()


def emit(result: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(result), flush=True)


# -- child: bare QMainWindow -------------------------------------------------------------------


def bare_window() -> tuple[Any, Any]:
    """The baseline's application and window, not shown yet."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    return app, window


def child_baseline(t0: float) -> dict[str, Any]:
    import PySide6.QtWidgets  # noqa: F401  (imported before the clock reads "imported")

    imported = time.monotonic()
    app, window = bare_window()
    built = time.monotonic()
    watch = make_frame_watch(window)
    window.show()
    painted = watch.wait()
    cpu = time.process_time()
    settle()
    del app
    return {"start": painted - t0, "cpu": cpu, "imports": imported - t0, "build": built - imported,
            "paint": painted - built, "ready": painted - t0, "attach": 0.0, "rss": rss_mib(),
            "painted": bool(painted)}  # fmt: skip


# -- child: Coze Desktop -----------------------------------------------------------------------------


def import_app() -> Any:
    """``desktop.app`` imported as ``python -m desktop`` imports it: Qt first, then the garbage
    collector paused."""
    from desktop.ui import qt_startup

    qt_startup.pause_collector()
    from desktop import app as desktop_app

    return desktop_app


def build_app(desktop_app: Any) -> Any:
    """``desktop.app.main``'s steps up to the window's ``Startup`` (not shown yet)."""
    from desktop import paths
    from desktop.logsetup import setup_logging

    args = desktop_app.parse_args([])
    log_path = setup_logging(paths.log_dir())
    qapp = desktop_app.create_application([])
    return desktop_app.build_window(args, qapp, log_path)


def child_app(t0: float, big_session: int) -> dict[str, Any]:
    from desktop.ui import qt_startup

    desktop_app = import_app()
    imported = time.monotonic()
    start = build_app(desktop_app)
    window = start.window
    built = time.monotonic()
    watch = make_frame_watch(window)
    window.show()
    painted = watch.wait()
    cpu = time.process_time()
    qt_startup.resume_collector()
    built_app = desktop_app.attach_services(start)
    built_app.reporter.install()
    ready = time.monotonic()
    settle()
    result = {"start": painted - t0, "cpu": cpu, "imports": imported - t0, "build": built - imported,
              "paint": painted - built, "ready": ready - t0, "attach": ready - painted,
              "rss": rss_mib(), "painted": bool(painted),
              "initial_session": window.session_id}  # fmt: skip
    if window.session_id == big_session:
        raise RuntimeError("the big session is already open at start: nothing to measure")
    result["open"] = measure_open(window, lambda: select_in_sidebar(window, big_session))
    result["open"]["rss"] = rss_mib()
    db = built_app.services.db
    result["all"] = measure_open(
        window, lambda: window.chat_view.set_history(db.messages.list(big_session))
    )
    result["last_shown"] = shows_last_message(window, db, big_session)
    built_app.reporter.uninstall()
    return result


def select_in_sidebar(window: Any, session_id: int) -> None:
    """What a click on the session's row does: make it the list's current item."""
    from desktop.ui.sidebar import ID_ROLE

    sessions = window.sidebar.session_list
    for row in range(sessions.count()):
        item = sessions.item(row)
        if item.data(ID_ROLE) == session_id:
            sessions.setCurrentItem(item)
            return
    raise LookupError(f"session {session_id} is not in the sidebar")


def shows_last_message(window: Any, db: Any, session_id: int) -> bool:
    last = db.messages.list(session_id, limit=1)
    return bool(last) and window.chat_view.row_for(last[0].id) is not None


def measure_open(window: Any, action: Callable[[], None]) -> dict[str, float]:
    """Run ``action``; time its synchronous part, the next frame and the view's render queue."""
    heart = make_heartbeat()
    watch = make_frame_watch(window)
    start = time.monotonic()
    action()
    returned = time.monotonic()
    painted = watch.wait()
    idle = wait_idle(window.chat_view)
    stall = heart.stop()
    return {"sync": returned - start, "frame": painted - start, "idle": idle - start,
            "stall": max(stall, returned - start)}  # fmt: skip


def wait_idle(view: Any, timeout: float = 20.0) -> float:
    """Spin the event loop until the chat view has no queued render/highlight work."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while view.is_busy() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.0005)  # let timers come due instead of spinning on an empty queue
    return time.monotonic()


def make_heartbeat() -> Any:
    """A 5 ms precise timer; ``stop()`` returns the longest gap beyond 5 ms (a main-loop stall)."""
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer

    class Heartbeat:
        def __init__(self) -> None:
            self.longest = 0.0
            self.clock = QElapsedTimer()
            self.timer = QTimer()
            self.timer.setInterval(5)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.timeout.connect(self._beat)
            self.clock.start()
            self.timer.start()

        def _beat(self) -> None:
            self.longest = max(self.longest, self.clock.restart() / 1000 - 0.005)

        def stop(self) -> float:
            self.timer.stop()
            return self.longest

    return Heartbeat()


def child_main(args: argparse.Namespace) -> int:
    if args.child == "baseline":
        result = child_baseline(args.t0)
    elif args.profile:
        result = profiled(lambda: child_app(args.t0, args.big_id))
    else:
        result = child_app(args.t0, args.big_id)
    emit(result)
    sys.stdout.flush()
    os._exit(0)  # skip teardown: nothing after the measurement matters


def profiled(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``work`` (the app child, after its imports) under cProfile; print the hot spots."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    result = profiler.runcall(work)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(35)
    return result


# -- parent: rounds and the table ------------------------------------------------------------------


def spawn(kind: str, env: dict[str, str], big_id: int, *, profile: bool = False) -> dict[str, Any]:
    """One fresh child process; returns its result dict (a profile's text is printed)."""
    cmd = [sys.executable, "-m", "tests.bench.bench_startup", "--child", kind,
           "--big-id", str(big_id), *(["--profile"] if profile else []), "--t0"]  # fmt: skip
    t0 = time.monotonic()
    proc = subprocess.run([*cmd, repr(t0)], env=env, capture_output=True, text=True, timeout=180,
                          cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    for line in proc.stdout.splitlines():
        if profile and not line.startswith(RESULT_PREFIX):
            print(line)
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return result
    raise RuntimeError(f"{kind} child failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")


def reset_state() -> None:
    """Forget what the previous child saved (last session, window geometry, log file), so every
    start sees the same state: the database only."""
    from desktop import paths

    for folder in (paths.config_dir(), paths.log_dir()):
        shutil.rmtree(folder, ignore_errors=True)


def child_env(home: str) -> dict[str, str]:
    """Offscreen Qt, the bench's home, and bytecode caching on (into the temp dir), because an
    installed app runs from .pyc files: compiling every module from source is not its start-up."""
    env = dict(os.environ, COZE_DESKTOP_HOME=home, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPYCACHEPREFIX"] = str(Path(home) / "pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("COZE_API_TOKEN", None)
    return env


def warm_up(env: dict[str, str], big_id: int) -> None:
    """One untimed start of each kind: writes the bytecode cache, warms the page cache."""
    for kind in ("baseline", "app"):
        reset_state()
        spawn(kind, env, big_id)


def run_rounds(rounds: int, env: dict[str, str], big_id: int) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {"baseline": [], "app": []}
    for i in range(rounds):
        order = ["baseline", "app"] if i % 2 == 0 else ["app", "baseline"]
        for kind in order:
            reset_state()
            results[kind].append(spawn(kind, env, big_id))
        print(f"  round {i + 1}/{rounds}: baseline {results['baseline'][-1]['start']:.3f}s  "
              f"app {results['app'][-1]['start']:.3f}s", flush=True)  # fmt: skip
    return results


def med(runs: list[dict], *keys: str) -> float:
    """Median of a (nested) field over runs."""
    values = []
    for run in runs:
        value: Any = run
        for key in keys:
            value = value[key]
        values.append(float(value))
    return statistics.median(values)


def print_startup(results: dict[str, list[dict]]) -> float:
    base, app = results["baseline"], results["app"]
    print(f"\n{'start-up (median, s)':<26} {'baseline':>10} {'app':>10} {'ratio':>7}")
    for label, key in (
        ("spawn -> first frame", "start"),
        ("  interpreter + imports", "imports"),
        ("  build window", "build"),
        ("  show -> first frame", "paint"),
        ("CPU time to first frame", "cpu"),
        ("spawn -> ready", "ready"),
        ("  first frame -> ready", "attach"),
    ):
        b, a = med(base, key), med(app, key)
        ratio = f"{a / b:7.2f}" if b else f"{'':>7}"
        print(f"{label:<26} {b:10.3f} {a:10.3f} {ratio}")
    b_rss, a_rss = med(base, "rss"), med(app, "rss")
    print(f"{'RSS after first frame MiB':<26} {b_rss:10.1f} {a_rss:10.1f} {a_rss / b_rss:7.2f}")
    return med(app, "start") / med(base, "start")


def print_open(app: list[dict], info: dict[str, Any]) -> None:
    print(f"\nopening the {info['big_count']:,}-message session (median ms; app process)")
    print(f"{'path':<42} {'sync':>7} {'frame':>7} {'idle':>7} {'stall':>7}")
    for label, key in (
        ("sidebar click -> open_session (paged load)", "open"),
        ("ChatView.set_history(all messages)", "all"),
    ):
        cells = [med(app, key, f) * 1000 for f in ("sync", "frame", "idle", "stall")]
        print(f"{label:<42} " + " ".join(f"{c:7.1f}" for c in cells))
    print(
        f"RSS after opening it: {med(app, 'open', 'rss'):.1f} MiB; newest message shown: "
        f"{all(r['last_shown'] for r in app)}"
    )
    print(
        "sync = the call itself; frame = until the next frame is painted; idle = until the "
        "view has no queued render work; stall = longest main-loop gap (5 ms heartbeat)"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--big", type=int, default=5_000, help="messages in the big session")
    parser.add_argument(
        "--profile", action="store_true", help="one extra app start under cProfile (after imports)"
    )
    parser.add_argument("--child", choices=("baseline", "app"), help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--big-id", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    with tempfile.TemporaryDirectory(prefix="coze-bench-") as home:
        os.environ["COZE_DESKTOP_HOME"] = home
        started = time.monotonic()
        info = build_history(args.sessions, args.messages, args.big)
        print(f"history: {info['sessions']} sessions, {info['messages']:,} messages "
              f"(big session: {info['big_count']:,}) written in {time.monotonic() - started:.1f} s; "
              f"{args.rounds} rounds")  # fmt: skip
        warm_up(child_env(home), info["big_session"])
        results = run_rounds(args.rounds, child_env(home), info["big_session"])
        if args.profile:
            print("\ncProfile of one app start (build, first frame, opening the big session):")
            reset_state()
            spawn("app", child_env(home), info["big_session"], profile=True)
    ratio = print_startup(results)
    print_open(results["app"], info)
    verdict = "met" if ratio <= GOAL_RATIO else "MISSED"
    print(f"\nstart-up ratio app/baseline: {ratio:.2f}x (goal <= {GOAL_RATIO}x) {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: cold start of the main window on a large history, and opening a 5,000-message session.

    python -m tests.bench.bench_startup [--rounds 5] [--sessions 500] [--messages 50000] [--big 5000]

A history of ``--sessions`` sessions and ``--messages`` messages (one session holds ``--big`` of
them) is written with ``MessageRepo.add_many`` into a temporary ``COZE_DESKTOP_HOME``. Every round
then starts two fresh child processes (``QT_QPA_PLATFORM=offscreen``), in alternating order. They
run ``tests.bench.startup_child``, which until the first frame imports only what the measured
start-up imports (not this module, whose imports would count as start-up work):

* **baseline**: a bare PySide6 ``QMainWindow`` (1200x800) shown until its first frame;
* **app**: Coze Desktop started exactly as ``python -m desktop`` starts it (Qt imported, the
  garbage collector paused, then ``desktop.app.main``'s steps: ``parse_args``,
  ``setup_logging``, ``create_application``, ``build_window``, ``window.show`` until the first
  frame, then the collector resumed, ``attach_services`` and ``reporter.install``) but waiting
  on a plain Qt event loop instead of entering the app's long-running qasync loop. "ready" is when the services are
  attached (the window is complete and takes input); for the baseline it is its first frame.

"First frame" is measured the same way for both: an event filter on the top-level window sees
its first ``UpdateRequest``/``Paint``; a zero-delay timer queued from there fires once that
repaint (children included) is done. The child's CPU time (user + system, ``time.process_time``)
at that moment is reported too: unlike the wall-clock time it hardly changes when other work
competes for the machine. Start-up time runs from the parent's clock just before
spawning the child, so interpreter start and imports count. RSS is read from /proc after the first
frame and a settling pass of the event loop.

The app child then opens the big session like a user, once start-up's deferred work is done
(``STARTUP_TAIL_S``: the chat view warms its lexers and text pipeline up 300 ms after it is
made): it selects the session's row in the sidebar (``currentItemChanged`` ->
``MainWindow.open_session`` -> the storage's paged load -> ``ChatView.set_history``) and reports
the synchronous stall, the time to the next painted frame, the time until the chat view has no
queued render work, and the longest main-loop stall seen by a 5 ms heartbeat. As a stress
figure it also hands all of the session's messages to ``ChatView.set_history``. Goal: app start-up <= 1.5x the baseline.
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.bench.startup_child import make_frame_watch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from desktop.storage.db import Database

GOAL_RATIO = 1.5
RESULT_PREFIX = "BENCH-RESULT "
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
    from desktop.storage.parts import UsageRecord

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
                   "usage": UsageRecord(token_count=900, output_count=700, input_count=200),
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


# The chat view warms its lexers and its text pipeline up 300 ms after it is made
# (``ChatView._prewarm``, ~40 ms, then ``render.warmup``, ~28 ms):
# a click before that measured the warm-up in about half the rounds (46 or 88 ms to the frame)
STARTUP_TAIL_S = 0.5


def settle(rounds: int = 5) -> None:
    """Let queued work (deferred layouts, zero timers) run before reading RSS."""
    from PySide6.QtWidgets import QApplication

    for _ in range(rounds):
        QApplication.processEvents()


def emit(result: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(result), flush=True)


# -- child side, after the first frame (tests.bench.startup_child measures up to it) ---------------


def report_baseline(stamps: dict[str, Any]) -> dict[str, Any]:
    """The bare window's figures: its start-up ``stamps`` and the RSS after the first frame."""
    settle()
    return {**stamps, "rss": rss_mib()}


def report_app(stamps: dict[str, Any], built_app: Any, big_session: int) -> dict[str, Any]:
    """The app's figures: start-up ``stamps``, RSS, and opening the big session."""
    window = built_app.window
    settle()
    result = {**stamps, "rss": rss_mib(), "initial_session": window.session_id}
    if window.session_id == big_session:
        raise RuntimeError("the big session is already open at start: nothing to measure")
    from tests.bench.window import idle_for  # (after the first frame: not start-up work)

    idle_for(STARTUP_TAIL_S)  # the click comes once start-up's deferred work is done
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
    from desktop.ui.sidebar.panel import ID_ROLE

    sessions = window.sidebar.session_list
    for row in range(sessions.count()):
        item = sessions.item(row)
        if item.data(ID_ROLE) == session_id:
            sessions.setCurrentItem(item)
            return
    raise LookupError(f"session {session_id} is not in the sidebar")


def shows_last_message(window: Any, db: Database, session_id: int) -> bool:
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


# -- parent: rounds and the table ------------------------------------------------------------------


def spawn(kind: str, env: dict[str, str], big_id: int, *, profile: bool = False) -> dict[str, Any]:
    """One fresh child process; returns its result dict (a profile's text is printed)."""
    t0 = time.monotonic()
    cmd = [sys.executable, "-m", "tests.bench.startup_child", kind, repr(t0), str(big_id),
           *(["--profile"] if profile else [])]  # fmt: skip
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180,
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
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
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

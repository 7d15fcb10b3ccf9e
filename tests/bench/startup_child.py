"""The start-up benches' child processes, up to the first frame.

    python -m tests.bench.startup_child baseline|app T0 [BIG_ID] [--exit] [--profile]

Until its first frame a child imports only what the start-up it measures imports: the bare
window PySide6, the app what ``python -m desktop`` imports. The benches' own modules (json,
subprocess, tempfile, statistics, ...) would otherwise count as start-up work, and more for the
bare window (about 39 M instructions, 6 % of it) than for the app, which imports some of them
itself. What a child reports afterwards (RSS, opening the big session) is imported from
``bench_startup`` once the measurement is over.

``T0`` is the parent's ``time.monotonic()`` just before the spawn. ``--exit`` ends the process
right after the first frame (``bench_startup_instructions``); ``--profile`` runs the app's
start-up and the rest under cProfile and prints its hot spots.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

WINDOW_SIZE = (1200, 800)


def bare_window() -> tuple[Any, Any]:
    """The baseline's application and window, not shown yet."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    return app, window


def import_app() -> Any:
    """``desktop.app`` imported as ``python -m desktop`` imports it: Qt first, then the garbage
    collector paused."""
    from desktop.ui.kit import qt_startup

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
            # A timer object, as desktop.ui.window.first_frame uses: it fires right after the repaint.
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


def show(window: Any, exit_at_frame: bool) -> tuple[float, float]:
    """Show ``window``; the monotonic time and the CPU time at its first frame."""
    watch = make_frame_watch(window)
    window.show()
    painted = watch.wait()
    cpu = time.process_time()
    if exit_at_frame:
        sys.stdout.flush()
        os._exit(0)
    return painted, cpu


def stamps(
    t0: float, imported: float, built: float, painted: float, cpu: float, ready: float
) -> dict[str, Any]:
    """A child's start-up in seconds from ``t0``: imports, building the window, its first frame
    (``start``), and when it took input (``ready``)."""
    return {"start": painted - t0, "cpu": cpu, "imports": imported - t0, "build": built - imported,
            "paint": painted - built, "ready": ready - t0, "attach": ready - painted,
            "painted": bool(painted)}  # fmt: skip


def start_baseline(t0: float, exit_at_frame: bool) -> dict[str, Any]:
    import PySide6.QtWidgets  # noqa: F401  (imported before the clock reads "imported")

    imported = time.monotonic()
    _qapp, window = bare_window()  # the application lives until this returns
    built = time.monotonic()
    painted, cpu = show(window, exit_at_frame)
    from tests.bench import bench_startup

    return bench_startup.report_baseline(stamps(t0, imported, built, painted, cpu, painted))


def start_app(t0: float, big_session: int, exit_at_frame: bool) -> dict[str, Any]:
    desktop_app = import_app()
    imported = time.monotonic()
    if exit_at_frame:  # under callgrind timers come due ~50x early: the highlighter warm-up
        from desktop.ui.chat import (
            view as chat_view,  # (300 ms after start) would run before the frame
        )

        chat_view.ChatView._prewarm = lambda self: None  # type: ignore[method-assign]
    start = build_app(desktop_app)
    built = time.monotonic()
    painted, cpu = show(start.window, exit_at_frame)
    from desktop.ui.kit import qt_startup

    qt_startup.resume_collector()
    built_app = desktop_app.attach_services(start)
    built_app.reporter.install()
    ready = time.monotonic()
    from tests.bench import bench_startup

    result = stamps(t0, imported, built, painted, cpu, ready)
    return bench_startup.report_app(result, built_app, big_session)


def profiled(work: Any) -> dict[str, Any]:
    """Run ``work`` under cProfile; print the hot spots."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    result: dict[str, Any] = profiler.runcall(work)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(35)
    return result


def main(argv: list[str]) -> None:
    kind, t0 = argv[0], float(argv[1])
    big_session = int(argv[2]) if len(argv) > 2 and argv[2].isdigit() else 0
    exit_at_frame = "--exit" in argv
    if kind == "baseline":
        work = lambda: start_baseline(t0, exit_at_frame)  # noqa: E731
    else:
        work = lambda: start_app(t0, big_session, exit_at_frame)  # noqa: E731
    result = profiled(work) if "--profile" in argv else work()
    from tests.bench.bench_startup import emit

    emit(result)
    sys.stdout.flush()
    os._exit(0)  # skip teardown: nothing after the measurement matters


if __name__ == "__main__":
    main(sys.argv[1:])

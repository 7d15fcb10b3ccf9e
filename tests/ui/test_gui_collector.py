"""Garbage collection runs on the GUI thread only: another thread's allocations never collect
a Qt object there (which crashes or hangs Qt), and the GUI thread's timer collects what is due."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from desktop.ui.kit import gui_collector, qt_startup
from desktop.ui.kit.gui_collector import due_generation

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QObject
    from pytestqt.qtbot import QtBot


@pytest.mark.parametrize(
    ("counts", "thresholds", "due"),
    [
        ((10, 0, 0), (700, 10, 10), None),
        ((701, 0, 0), (700, 10, 10), 0),
        ((701, 11, 0), (700, 10, 10), 1),
        ((701, 11, 11), (700, 10, 10), 2),
        ((5, 0, 11), (700, 10, 10), 2),
        ((701, 11, 11), (700, 10, 1 << 30), 1),  # full collections held (a stream)
        ((10_000, 50, 50), (0, 10, 10), None),  # collection switched off
    ],
)
def test_the_due_generation_follows_cpythons_trigger(
    counts: tuple[int, int, int], thresholds: tuple[int, int, int], due: int | None
) -> None:
    assert due_generation(counts, thresholds) == due


def test_the_oldest_generation_waits_until_enough_was_promoted_into_it() -> None:
    assert due_generation((701, 11, 11), (700, 10, 10), full_allowed=False) == 1
    assert due_generation((701, 5, 11), (700, 10, 10), full_allowed=False) == 0
    assert due_generation((5, 5, 11), (700, 10, 10), full_allowed=False) is None


class Cycle:
    """A Qt object in a reference cycle, as a controller whose children hold its methods."""

    def __init__(self) -> None:
        from PySide6.QtCore import QObject, QTimer

        self.owner = QObject()
        self.timer = QTimer(self.owner, singleShot=True, interval=10_000)
        self.timer.timeout.connect(self.fired)
        self.timer.start()
        self.me = self

    def fired(self) -> None:
        pass


def _churn(done: Callable[[], bool]) -> None:
    """What a simulator thread does: allocate, with plenty of cyclic garbage."""
    while not done():
        for _ in range(1000):
            node: list[object] = []
            node.append(node)


def test_another_threads_allocations_never_collect_and_the_gui_thread_does(
    qtbot: QtBot, qloop: object
) -> None:
    assert gui_collector.running() is not None  # as in the app after its first frame
    threads: set[str] = set()

    def seen(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            threads.add(threading.current_thread().name)

    cycle = Cycle()
    died_on: list[str] = []
    weakref.finalize(cycle, lambda: died_on.append(threading.current_thread().name))
    del cycle
    stop = threading.Event()
    worker = threading.Thread(target=_churn, args=(stop.is_set,), name="churn")
    gc.callbacks.append(seen)
    try:
        worker.start()
        qtbot.waitUntil(lambda: bool(died_on), timeout=10_000)
    finally:
        stop.set()
        worker.join()
        gc.callbacks.remove(seen)
    assert died_on == [threading.main_thread().name]
    assert threads == {threading.main_thread().name}


def test_it_ticks_often_while_garbage_comes_and_rarely_when_idle(qapp: object) -> None:
    running = gui_collector.running()
    assert running is not None
    young = gc.get_threshold()[0]
    made = [[[]] for _ in range(young * 2)]  # noqa: F841  (young objects: a collection is due)
    assert running.collect_due() is not None  # young objects past the threshold: collected
    assert running.interval() == gui_collector.BUSY_MS
    gc.collect()
    waits = []
    for _ in range(10):
        assert running.collect_due() is None
        waits.append(running.interval())
    assert waits[0] == 2 * gui_collector.BUSY_MS
    assert waits == sorted(waits)  # doubling
    assert waits[-1] == gui_collector.IDLE_MS  # capped


def test_a_full_collection_waits_for_a_quarter_more_long_lived_objects(
    qapp: QObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As CPython's own trigger: the oldest generation's count alone is not enough."""
    collector = gui_collector.GuiCollector(qapp)  # not started: ticked by hand
    ran: list[int] = []
    monkeypatch.setattr(gc, "get_count", lambda: (701, 11, 11))
    monkeypatch.setattr(gc, "get_threshold", lambda: (700, 10, 10))
    monkeypatch.setattr(gc, "collect", lambda generation=2: ran.append(generation) or 0)
    collector._long_lived, collector._pending = 1000, 0
    assert collector.collect_due() == 1  # what it promoted is counted
    assert collector._pending > 0  # the young objects it examined and did not collect
    collector._pending = 251
    assert collector.collect_due() == 2
    assert ran == [1, 2]
    assert collector._pending == 0
    assert collector._long_lived > 0  # what the full collection left
    collector.deleteLater()


def test_held_full_collections_are_held_by_the_gui_threads_collector(qapp: object) -> None:
    running = gui_collector.running()
    assert running is not None
    before = gc.get_threshold()
    qt_startup.hold_full_collections(True)
    try:
        assert due_generation((701, 11, 11), gc.get_threshold()) == 1
    finally:
        qt_startup.hold_full_collections(False)
    assert gc.get_threshold() == before


CHILD = """
import gc, sys, threading, time, weakref
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
from desktop.ui.kit import gui_collector
from tests.ui.test_gui_collector import Cycle, _churn

app = QApplication([])
gui_thread = sys.argv[1] == "gui-thread"
if gui_thread:
    gui_collector.start()
died_on = []
gc.disable()
for _ in range(300):
    cycle = Cycle()
    weakref.finalize(cycle, lambda: died_on.append(threading.current_thread().name))
del cycle
deadline = time.monotonic() + 20
done = lambda: len(died_on) == 300 or time.monotonic() > deadline
if gui_thread:
    worker = threading.Thread(target=_churn, args=(done,), name="churn")
    worker.start()
    while not done():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
else:  # the churning thread turns the automatic collector on and allocates at once
    worker = threading.Thread(target=lambda: (gc.enable(), _churn(done)), name="churn")
    worker.start()
worker.join()  # allocating nothing meanwhile: only the churning thread can collect
print(sorted(set(died_on)))
"""


def _child(mode: str, timeout: int = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, mode],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_without_it_qt_objects_die_on_the_allocating_thread_and_with_it_on_the_gui_thread() -> None:
    """The hazard is real: left to the automatic collector, the churning thread destroys the Qt
    objects (and Qt often crashes); with the GUI thread's collector all die there, cleanly."""
    try:
        automatic = _child("automatic", timeout=30)
    except subprocess.TimeoutExpired:  # Qt deadlocked: the hazard too
        pass
    else:
        assert automatic.returncode != 0 or "churn" in automatic.stdout
    gui = _child("gui-thread")
    assert gui.returncode == 0, gui.stderr
    assert gui.stdout.strip() == "['MainThread']"
    assert "another thread" not in gui.stderr

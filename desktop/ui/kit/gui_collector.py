"""Garbage collection on the GUI thread only.

CPython's cyclic garbage collector runs in whichever thread happens to push the allocation
count past its threshold. Coze Desktop runs Python in other threads too: the history search's
workers and its indexer, the history read at start-up, the TLS issuer lookup, the demo
simulator's request handlers. A collection in one of them that finds a Qt object in a reference
cycle (the chat controller, whose child objects hold its bound methods; a closed dialog and its
slots) destroys that object on the wrong thread, and Qt, stopping the object's timers from
another thread, crashes or deadlocks the whole app (``tests/ui/test_gui_collector.py``).

So, once the window is up, the automatic collector is switched off and a timer on the GUI
thread collects instead. At each tick it reads the same counts and thresholds CPython's own
trigger reads and collects the oldest generation that is due, or nothing. While garbage comes
in it ticks every ``BUSY_MS``, so each collection stays as small as the automatic collector's
(a tick every 250 ms made four streaming answers pause 5-10 ms longer, ``bench_compare``); with
nothing due the wait doubles, up to ``IDLE_MS``, so an idle app wakes once a second. Other
threads never collect; cyclic garbage they leave waits for the next tick. Changed thresholds
(a stream holding full collections off, ``qt_startup.hold_full_collections``) apply at the next
tick.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from shiboken6 import isValid

BUSY_MS = 20
IDLE_MS = 1000
GENERATIONS = (2, 1, 0)  # oldest first, as CPython's trigger looks at them


def due_generation(
    counts: tuple[int, int, int], thresholds: tuple[int, ...], full_allowed: bool = True
) -> int | None:
    """The oldest generation whose count is past its threshold; None when none is, or when
    collection is off (a first threshold of 0). The oldest one only when ``full_allowed``:
    CPython collects it only once the objects promoted into it since its last collection
    outnumber a quarter of those that survived it (``GuiCollector`` counts both)."""
    if not thresholds or thresholds[0] == 0:
        return None
    for generation in GENERATIONS:
        if generation == 2 and not full_allowed:
            continue
        if counts[generation] > thresholds[generation]:
            return generation
    return None


class GuiCollector(QObject):
    """The timer that collects on the GUI thread (see the module docstring)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, interval=BUSY_MS)
        self._timer.timeout.connect(self.collect_due)
        self._long_lived = 0  # objects in the oldest generation after its last collection
        self._pending = 0  # objects promoted into it since

    def start(self) -> None:
        gc.disable()
        self._long_lived = len(gc.get_objects(2))
        self._timer.start()

    def stop(self) -> None:
        """No more ticks (the module's ``stop`` brings the automatic collector back)."""
        self._timer.stop()

    def is_active(self) -> bool:
        return self._timer.isActive()

    def interval(self) -> int:
        return self._timer.interval()

    def collect_due(self) -> int | None:
        """Collect the generation that is due, if any (which one it was), and set the wait for
        the next tick."""
        full_allowed = self._pending > self._long_lived // 4
        generation = due_generation(gc.get_count(), gc.get_threshold(), full_allowed)
        if generation is None:
            self._timer.setInterval(min(self._timer.interval() * 2, IDLE_MS))
            return None
        if generation == 1:  # its survivors go to the oldest generation: count them
            examined = len(gc.get_objects(0)) + len(gc.get_objects(1))
            self._pending += max(0, examined - gc.collect(1))
        else:
            gc.collect(generation)
        if generation == 2:
            self._long_lived, self._pending = len(gc.get_objects(2)), 0
        self._timer.setInterval(BUSY_MS)
        return generation


_running: GuiCollector | None = None


def start() -> GuiCollector | None:
    """Collect on the GUI thread from now on (once; the application's own timer). Without a
    Qt application there is no GUI thread to collect on, and the automatic collector is kept."""
    global _running
    if running() is not None:
        return _running
    app = QCoreApplication.instance()
    if app is None:
        gc.enable()
        return None
    _running = GuiCollector(app)
    _running.start()
    return _running


def running() -> GuiCollector | None:
    """The GUI thread's collector while it ticks."""
    alive = _running is not None and isValid(_running) and _running.is_active()
    return _running if alive else None


def stop() -> None:
    """Back to the automatic collector (tests that end a Qt session; nothing in the app)."""
    global _running
    if _running is not None and isValid(_running):
        _running.stop()
        _running.deleteLater()
    _running = None
    gc.enable()

"""One time slice of rendering per pass of the event loop, shared by every chat view.

Rendering that does not fit one slice (a long answer's segments, pending segments coming near
the viewport, lexing code) goes on in the next pass of the event loop. Several answers render
at once in a comparison (one per column): if each took a slice of its own per pass, N columns
would hold the window N times as long before input and painting got their turn. So the work is
queued here instead: each pass runs the queued jobs round robin until the one slice is spent,
and the jobs left over (or with more to do) go on in the next pass, in turn.

The queue also knows which answers are streaming: a streaming answer paces its frames by its own
cost times the number of answers streaming, so N columns together take the share of the loop
that one chat takes, and the streams' own reading keeps its turn; with several streaming, a
slice that took most of its time is followed by as long a pause. While any answer streams or
any rendering is queued, the garbage collector makes no full collection
(``qt_startup.hold_full_collections``).

A job works in steps (a segment rendered, a code block lexed) and checks ``fits`` before each:
the slices learn what a character of rendering costs, so a step that would run far past the
deadline waits for the next pass, unless nothing was done in this one yet.

A job is a callable taking the slice's deadline (``time.perf_counter()`` seconds) and returning
whether it has more to do; it is queued for an owner ``QObject`` and dropped with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from shiboken6 import isValid

from desktop.ui.kit.qt_startup import hold_full_collections

SLICE_S = 0.006  # one pass's rendering: short enough to never show as a pause
_FIRST_GUESS_S = 2e-6  # what a character of markdown costs to render, until measured
RECOUNT_MS = 1000  # while answers stream: how often the ones gone are counted out
LAYOUT_PASSES = 10  # passes of posted layout requests after a slice (``settle_layouts``)
_LEARN_MIN_CHARS = 200  # shorter steps say more about fixed costs than about characters

Job = Callable[[float], bool]


class Slices(QObject):
    """The queue of rendering jobs and the timer that runs one slice of them per pass."""

    def __init__(self, parent: QObject | None = None, seconds: float = SLICE_S) -> None:
        super().__init__(parent)
        self.seconds = seconds
        self._jobs: dict[Job, QObject] = {}  # in turn order (insertion order)
        self._streaming: set[QObject] = set()
        self.per_char = _FIRST_GUESS_S  # seconds a rendered character costs (learnt)
        self._running = False
        self._spent = False  # this pass's slice did some work already
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.run)
        self._recount = QTimer(self)
        self._recount.setInterval(RECOUNT_MS)
        self._recount.timeout.connect(self.streaming)

    def request(self, owner: QObject, job: Job) -> None:
        """Run ``job`` in a coming slice (once, however often it is requested before)."""
        if job not in self._jobs:
            self._jobs[job] = owner
            if len(self._jobs) == 1:
                self._hold()
        if not self._timer.isActive():
            self._timer.start(0)

    def cancel(self, job: Job) -> None:
        if self._jobs.pop(job, None) is not None and not self._jobs:
            self._hold()  # the last job gone: a held full collection may come again

    def queued(self, job: Job) -> bool:
        return job in self._jobs

    def __len__(self) -> int:
        return len(self._jobs)

    @property
    def idle(self) -> bool:
        """Nothing is queued and no answer streams."""
        return not self._jobs and not self._streaming

    @property
    def running(self) -> bool:
        """A slice is running now (its jobs share its time)."""
        return self._running

    def fits(self, chars: int, deadline: float) -> bool:
        """Whether a step over ``chars`` characters may start now and end by ``deadline``:
        always for the first step of a pass (something must move), then by the learnt cost."""
        if self._running and not self._spent:
            return True
        return time.perf_counter() + chars * self.per_char <= deadline

    def spend(self) -> None:
        """A step of this pass's slice ran (lexing, say): the next one must fit in what is left."""
        self._spent = True

    def learn(self, chars: int, seconds: float) -> None:
        """A step over ``chars`` characters took ``seconds``."""
        self._spent = True
        if chars >= _LEARN_MIN_CHARS:
            self.per_char += (seconds / chars - self.per_char) * 0.2

    def set_streaming(self, owner: QObject, streaming: bool) -> None:
        """``owner`` (an answer) streams now, or no longer."""
        if streaming:
            self._streaming.add(owner)
        else:
            self._streaming.discard(owner)
        self._hold()

    def streaming(self) -> int:
        """How many answers are streaming (at least 1: the one asking)."""
        self._hold()
        return max(1, len(self._streaming))

    def _hold(self) -> None:
        """No full collection while answers stream or rendering is queued (the end of a
        comparison: its columns' last segments, off-screen rows and code colours, right when the
        streams let go of it). Answers gone mid-stream (their chat closed) are counted out
        here, and every second while any streams, so they do not hold the collector."""
        self._streaming = {owner for owner in self._streaming if isValid(owner)}
        hold_full_collections(bool(self._streaming) or bool(self._jobs))
        if self._streaming and not self._recount.isActive():
            self._recount.start()
        elif not self._streaming:
            self._recount.stop()

    def run(self) -> None:
        """One slice: the queued jobs in turn until it is spent (a job's own work may run past
        the deadline by its last step); a job with more to do goes to the back of the queue."""
        start = time.perf_counter()
        deadline = start + self.seconds
        self._running, self._spent = True, False
        try:
            for job in list(self._jobs):
                if time.perf_counter() >= deadline:
                    break
                owner = self._jobs.pop(job, None)
                if owner is None or not isValid(owner):
                    continue
                if job(deadline):
                    self._jobs[job] = owner
        finally:
            self._running = False
        settle_layouts()
        if self._jobs:
            self._timer.start(self._pause(time.perf_counter() - start))
        else:
            self._hold()  # all drawn: a held full collection may come now

    def _pause(self, spent: float) -> int:
        """Milliseconds until the next slice. Several answers streaming (a comparison) keep
        the loop's other work coming (their reading, their last saves, painting): a slice that
        took most of its time is followed by as long a breath, so a timer or an input event
        due meanwhile always goes before the next slice, not after it."""
        if len(self._streaming) < 2 or spent < self.seconds / 2:
            return 0
        return min(round(spent * 1000), round(self.seconds * 1000))


def settle_layouts() -> None:
    """Bring the layouts up to the scroll area in line with what a slice changed, before the
    next frame is drawn. A size change climbs one level of nesting per pass of posted layout
    requests (each pass sends only what was posted before it): in a chat view a code block's text
    -> the code block -> the answer's column -> its bubble -> the row -> the view's content -> the
    scroll area, six passes. Left to the event loop, a frame was drawn in between with the answer
    squeezed into its old height: what the reader looks at hundreds of pixels off for that frame,
    whenever segments above the viewport rendered. Ten passes with nothing posted take about 3 µs."""
    for _ in range(LAYOUT_PASSES):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


@cache
def shared() -> Slices:
    """The application's one queue (made with the first job, owned by the application)."""
    return Slices(QCoreApplication.instance())

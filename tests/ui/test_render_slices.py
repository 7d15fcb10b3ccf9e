"""The shared rendering slices: one budget per pass, round robin, jobs dropped with owners."""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget
from shiboken6 import delete

from desktop.ui.chat.render.slices import Slices, shared

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


@pytest.fixture(autouse=True)
def _collector_free(qtbot: QtBot) -> None:
    """The tests below read the collector's thresholds: what earlier tests left rendering or
    streaming goes with their views (destroyed now) and is counted out first."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    shared().streaming()
    qtbot.waitUntil(lambda: gc.get_threshold()[2] < 1000, timeout=3000)


STEP_S = 0.002


class Worker:
    """A job with ``steps`` steps of (at least) ``STEP_S`` each: one step, then more until the
    slice's deadline."""

    def __init__(self, name: str, steps: int, log: list[str]) -> None:
        self.name, self.left, self.log = name, steps, log

    def __call__(self, deadline: float) -> bool:
        first = True
        while self.left and (first or time.perf_counter() < deadline):
            first = False
            end = time.perf_counter() + STEP_S
            while time.perf_counter() < end:
                pass
            self.left -= 1
            self.log.append(self.name)
        return self.left > 0


def test_jobs_share_one_slice_per_pass_in_turn(qapp: object) -> None:
    owner = QObject()
    slices = Slices(seconds=0.006)
    log: list[str] = []
    a, b = Worker("a", 9, log), Worker("b", 9, log)
    slices.request(owner, a)
    slices.request(owner, b)
    slices.request(owner, a)  # requested again before it ran: still once, in its place
    passes: list[list[str]] = []
    while len(slices):
        before = len(log)
        slices.run()
        passes.append(log[before:])
    assert not a.left
    assert not b.left
    names = ["".join(sorted(set(ran))) for ran in passes]
    assert names[:4] == ["a", "b", "a", "b"]  # one job per pass; the one that waited goes next
    # a job stops at the deadline: at most the steps that fit in it and one past (a slower,
    # busier machine only runs fewer)
    assert max(len(ran) for ran in passes) <= round(0.006 / STEP_S) + 1


def test_a_job_whose_owner_is_gone_is_dropped(qtbot: QtBot) -> None:
    slices = Slices()
    owner = QObject()
    log: list[str] = []
    slices.request(owner, Worker("gone", 3, log))
    delete(owner)  # the widget went before its job's turn came
    qtbot.waitUntil(lambda: not len(slices))
    assert log == []


def test_streaming_answers_are_counted_until_they_end_or_go(qapp: object) -> None:
    slices = Slices()
    one, two = QObject(), QObject()
    assert slices.streaming() == 1  # the one asking counts itself
    slices.set_streaming(one, True)
    slices.set_streaming(two, True)
    slices.set_streaming(two, True)
    assert slices.streaming() == 2
    slices.set_streaming(one, False)
    assert slices.streaming() == 1
    delete(two)
    slices.set_streaming(one, True)
    assert slices.streaming() == 1


def test_a_step_that_would_overrun_the_slice_waits_unless_it_is_the_passs_first(
    qapp: object,
) -> None:
    owner = QObject()
    slices = Slices(seconds=0.006)
    slices.learn(1000, 0.005)  # 5 us a character, learnt from steps measured
    slices.learn(1000, 0.005)
    seen: list[tuple[bool, bool]] = []

    def job(deadline: float) -> bool:
        first = slices.fits(4000, deadline)  # ~20 ms: too long, but nothing ran in this pass
        slices.learn(10, 0.001)
        seen.append((first, slices.fits(4000, deadline)))  # now it waits for the next pass
        return False

    slices.request(owner, job)
    slices.run()
    assert seen == [(True, False)]
    assert slices.fits(100, time.perf_counter() + 0.006)  # a short one fits outside a slice
    assert 2e-6 < slices.per_char < 5e-6  # learnt toward what was measured


def test_lexing_code_counts_as_the_passs_first_step(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A render step after a lexing step in the same pass must fit in what is left of it (it
    had run as if first, and the two made one pause of 11-17 ms on a first answer)."""
    from desktop.ui.chat.render.highlighter import HighlightQueue

    queue = HighlightQueue()
    owner = QObject()
    shown = QWidget()  # the code's block, on screen: lexed at once
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    coloured: list[object] = []
    after_lexing: list[bool] = []
    monkeypatch.setattr(shared(), "seconds", 1.0)  # a long slice: both steps in one pass
    queue.prewarm(("python",))
    queue.submit(shown, "x = 1\n", "python", False, coloured.append)

    def render_step(deadline: float) -> bool:
        after_lexing.append(shared().fits(10**9, deadline))  # a step far longer than a slice
        return False

    shared().request(owner, render_step)
    qtbot.waitUntil(lambda: bool(after_lexing))
    assert after_lexing == [False]  # it waits for the next pass
    qtbot.waitUntil(lambda: bool(coloured))
    queue.discard()


def test_no_full_collection_runs_while_an_answer_streams(qtbot: QtBot) -> None:
    slices = Slices()
    before = gc.get_threshold()
    one, two = QObject(), QObject()
    full: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(count)
    try:
        slices.set_streaming(one, True)
        slices.set_streaming(two, True)
        kept = [[] for _ in range(300_000)]  # survivors enough for several full collections
        slices.set_streaming(one, False)
        assert gc.get_threshold()[2] > 1000  # one still streams
        delete(two)  # its chat closed mid-stream: it no longer holds the collector
        qtbot.waitUntil(lambda: gc.get_threshold() == before)
    finally:
        gc.callbacks.remove(count)
        slices.set_streaming(one, False)
    assert full == []
    assert len(kept) == 300_000


def test_cancelling_the_last_queued_job_lets_full_collections_run_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held: list[bool] = []  # this queue's decisions (the real hold is shared by every queue)
    monkeypatch.setattr("desktop.ui.chat.render.slices.hold_full_collections", held.append)
    slices = Slices()
    owner = QObject()

    def job(_deadline: float) -> bool:
        return False

    slices.request(owner, job)
    assert held[-1] is True  # held while the job waits
    slices.cancel(job)  # e.g. a chat switched away before its rows were built
    assert held[-1] is False


def test_no_full_collection_runs_while_rendering_is_queued(qtbot: QtBot) -> None:
    slices = Slices()
    before = gc.get_threshold()
    owner = QObject()
    full: list[int] = []
    left = [5]

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    def job(_deadline: float) -> bool:  # no answer streams: a long history being drawn
        garbage.extend([] for _ in range(60_000))  # survivors enough for full collections
        left[0] -= 1
        return left[0] > 0

    garbage: list[list[object]] = []
    assert before[2] < 1000  # nothing holds the collector yet
    gc.callbacks.append(count)
    try:
        slices.request(owner, job)
        assert gc.get_threshold()[2] > 1000
        qtbot.waitUntil(lambda: left[0] == 0)
        qtbot.waitUntil(lambda: gc.get_threshold() == before)  # all drawn: released
    finally:
        gc.callbacks.remove(count)
    assert full == []
    assert len(garbage) == 300_000


def _order_after_a_full_slice(qtbot: QtBot, streaming: int) -> list[str]:
    """What runs first after a slice that used all its time: the next slice, or a timer that
    fell due a millisecond after it ended."""
    slices = Slices(seconds=0.006)
    owners = [QObject() for _ in range(streaming)]
    for owner in owners:
        slices.set_streaming(owner, True)
    order: list[str] = []
    other = QTimer(singleShot=True, interval=1, timerType=Qt.TimerType.PreciseTimer)
    other.timeout.connect(lambda: order.append("timer"))

    def job(deadline: float) -> bool:
        while time.perf_counter() < deadline:
            pass
        order.append("slice")
        if order.count("slice") == 1:
            other.start()
        return order.count("slice") < 3

    try:
        slices.request(owners[0], job)
        qtbot.waitUntil(lambda: len(order) == 4)
    finally:
        for owner in owners:
            slices.set_streaming(owner, False)
    return order


def test_with_several_answers_streaming_a_full_slice_lets_the_loop_breathe(qtbot: QtBot) -> None:
    assert _order_after_a_full_slice(qtbot, streaming=2)[:2] == ["slice", "timer"]


def test_with_one_answer_streaming_the_next_slice_follows_at_once(qtbot: QtBot) -> None:
    assert _order_after_a_full_slice(qtbot, streaming=1)[:2] == ["slice", "slice"]


def test_in_a_shared_slice_only_the_first_answer_steps_past_its_cost(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop.ui.chat.render.context import RenderContext
    from desktop.ui.chat.render.markdown_view import MarkdownBody
    from desktop.ui.chat.render.slices import shared
    from desktop.ui.kit.theme import chat_colors

    owner = QWidget()
    qtbot.addWidget(owner)
    ctx = RenderContext(chat_colors(QApplication.palette(), False), lambda *_a: None, owner)
    bodies = [MarkdownBody(ctx) for _ in range(2)]
    for body in bodies:
        qtbot.addWidget(body)
        body.resize(400, 200)
        body.show()
    slices = shared()
    learnt, seconds = slices.per_char, slices.seconds
    slices.per_char = 1.0  # every step "far too long": only a pass's first may run,
    slices.seconds = 30.0  # however long the slice (the first render may take a while)
    try:
        for n, body in enumerate(bodies):
            body.set_text(f"Answer {n}: a first paragraph of the stream.", streaming=True)
        slices.run()  # one pass
        shown = [bool(body.blocks) for body in bodies]
        assert shown == [True, False]  # the second waits for the next pass, not the first's
        qtbot.waitUntil(lambda: all(body.blocks for body in bodies))
    finally:
        slices.per_char, slices.seconds = learnt, seconds
        for body in bodies:
            body.set_text(body.text, streaming=False)

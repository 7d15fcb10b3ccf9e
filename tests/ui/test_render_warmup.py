"""The text pipeline's warm-up: a sample answer rendered off screen once, nothing left behind."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import pytest
from PySide6.QtCore import QObject, Qt
from shiboken6 import isValid

from desktop.ui.chat.render import warmup
from desktop.ui.chat.render.markdown_view import MarkdownBody
from desktop.ui.chat.render.prose import ProseBlock
from desktop.ui.chat.render.slices import shared
from desktop.ui.chat.view import ChatView
from tests.waiting import run_queued

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.ui.chat.render.context import RenderContext


class _Kept(MarkdownBody):
    """The warm-up's body, remembered for the test with what it showed before it went."""

    made: ClassVar[list[MarkdownBody]] = []
    seen: ClassVar[list[tuple[bool, bool, int, list[str], str]]] = []

    def __init__(self, ctx: RenderContext) -> None:
        super().__init__(ctx)
        _Kept.made.append(self)

    def discard(self) -> None:
        prose = [b for b in self.blocks if isinstance(b, ProseBlock)]
        html = "".join(b.document().toHtml() for b in prose)
        off_screen = self.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        langs = [c.lang for c in self.code_blocks()]
        _Kept.seen.append((off_screen, self.isVisible(), len(prose), langs, html))
        super().discard()


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> list[MarkdownBody]:
    """A process that has not warmed up yet; the bodies the warm-up makes."""
    monkeypatch.setattr(warmup, "_warmed", False)
    monkeypatch.setattr(warmup, "MarkdownBody", _Kept)
    _Kept.made, _Kept.seen = [], []
    return _Kept.made


def test_the_warm_up_renders_a_sample_of_every_kind_off_screen_and_leaves_nothing(
    qtbot: QtBot, fresh: list[MarkdownBody]
) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    ctx = view._ctx
    learnt = (ctx.height_scale, ctx.paint_seconds, ctx.queue, shared().per_char, len(shared()))
    assert warmup.pending()
    warmup.warm_up(ctx, view.styleSheet(), 800, 2.0)
    ((off_screen, shown, prose, langs, html),) = _Kept.seen
    assert off_screen  # rendered as a shown answer is, never put on the screen
    assert shown
    assert prose == 1
    assert langs == ["python"]
    assert "<table" in html
    assert "天气" in html
    assert "<li" in html
    (body,) = fresh
    assert not isValid(body)  # gone at once, not left to a later deferred delete
    # the view's rendering goes on as if nothing had happened: not its highlight queue (not
    # even made), nor the render cost the shared slices learnt, nor a job left queued there
    assert (ctx.height_scale, ctx.paint_seconds, ctx.queue, shared().per_char, len(shared())) == (
        learnt
    )
    assert not warmup.pending()
    warmup.warm_up(ctx, view.styleSheet(), 800, 1.0)
    assert len(fresh) == 1  # once per process


def test_the_chat_view_warms_up_once_shown_and_idle(
    qtbot: QtBot, fresh: list[MarkdownBody], monkeypatch: pytest.MonkeyPatch
) -> None:
    hidden = ChatView()  # the welcome page is shown, say
    qtbot.addWidget(hidden)
    qtbot.waitUntil(lambda: hidden._warm_when_shown, timeout=5_000)
    assert fresh == []
    busy = QObject()
    shared().set_streaming(busy, True)  # an answer streams: no warm-up in the middle of it
    try:
        hidden.resize(900, 600)
        hidden.show()
        qtbot.waitUntil(lambda: not hidden._warm_when_shown)
        run_queued(qtbot)
        assert fresh == []
    finally:
        shared().set_streaming(busy, False)
    qtbot.waitUntil(lambda: len(fresh) == 1, timeout=5_000)  # tried again, idle now
    second = ChatView()  # a comparison's column: the pipeline is warm already
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: not warmup.pending())
    run_queued(qtbot)
    assert len(fresh) == 1

"""The text pipeline's warm-up: a sample answer rendered off screen once, nothing left behind."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from shiboken6 import isValid

from desktop.ui.chat.render import warmup
from desktop.ui.chat.render.markdown_view import MarkdownBody
from desktop.ui.chat.render.prose import ProseBlock
from desktop.ui.chat.render.slices import shared
from desktop.ui.chat.view import ChatView

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.ui.chat.render.context import RenderContext


class _Kept(MarkdownBody):
    """The warm-up's body, remembered for the test with what it showed before it was hidden."""

    made: ClassVar[list[MarkdownBody]] = []
    seen: ClassVar[list[tuple[bool, bool, int, list[str], str]]] = []

    def __init__(self, ctx: RenderContext) -> None:
        super().__init__(ctx)
        _Kept.made.append(self)

    def hide(self) -> None:
        prose = [b for b in self.blocks if isinstance(b, ProseBlock)]
        html = "".join(b.document().toHtml() for b in prose)
        off_screen = self.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        langs = [c.lang for c in self.code_blocks()]
        _Kept.seen.append((off_screen, self.isVisible(), len(prose), langs, html))
        super().hide()


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
    scale, painted = ctx.height_scale, ctx.paint_seconds
    assert warmup.warm_up(ctx, view.styleSheet(), 800)
    ((off_screen, shown, prose, langs, html),) = _Kept.seen
    assert off_screen
    assert shown
    assert prose == 1
    assert langs == ["python"]
    assert "<table" in html
    assert "天气" in html
    assert "<li" in html
    (body,) = fresh
    assert not body.isVisible()
    assert ctx.highlights.pending == 0  # its code block is not coloured in the background
    assert not shared().queued(body._pump_slice)
    assert not shared().queued(body._fill_slice)
    assert (ctx.height_scale, ctx.paint_seconds) == (scale, painted)  # the view learnt nothing
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not isValid(body)


def test_the_chat_view_warms_up_once_per_process_after_it_is_made(
    qtbot: QtBot, fresh: list[MarkdownBody], monkeypatch: pytest.MonkeyPatch
) -> None:
    results: list[bool] = []
    original = warmup.warm_up

    def spy(ctx: RenderContext, sheet: str, width: int) -> bool:
        results.append(original(ctx, sheet, width))
        return results[-1]

    monkeypatch.setattr(warmup, "warm_up", spy)
    first = ChatView()
    qtbot.addWidget(first)
    first.resize(900, 600)
    first.show()
    qtbot.waitUntil(lambda: len(results) == 1, timeout=5_000)
    assert results == [True]
    assert len(fresh) == 1
    second = ChatView()  # a comparison's column, say: the pipeline is warm already
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5_000)
    assert results == [True, False]
    assert len(fresh) == 1

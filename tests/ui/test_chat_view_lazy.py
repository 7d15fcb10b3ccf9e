"""Long answers: segments far from the viewport wait as placeholders and are rendered when they
come near it or in the background; a fast stream is shown in paced frames."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from desktop.storage import StoredMessage
from desktop.ui.chat.render import markdown_view
from desktop.ui.chat.render.lazy import PendingBlock
from desktop.ui.chat.render.markdown_view import CodeBlock, MarkdownBody, ProseBlock
from desktop.ui.chat.render.segments import segment_all
from desktop.ui.chat.render.slices import shared as shared_slices
from tests.ui.chat_layout import FrameSpy, settled

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.ui.chat.view import ChatView


def long_text(paragraphs: int = 160) -> str:
    parts = []
    for i in range(paragraphs):
        parts.append(f"Paragraph {i}: " + "stream render layout 天气 数据 " * 12)
        if i % 20 == 5:
            parts.append("```python\n" + "\n".join(f"x_{n} = {n}" for n in range(40)) + "\n```")
        if i % 20 == 12:
            parts.append("| a | b |\n|---|---|\n| 1 | 2 |")
    return "\n\n".join(parts) + "\n"


def answer(message_id: int, text: str, **fields: Any) -> StoredMessage:
    return StoredMessage(id=message_id, role="assistant", kind="answer", content=text, **fields)


@pytest.fixture
def no_background(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pending segments are rendered only when they come near the viewport."""
    monkeypatch.setattr(markdown_view, "_BACKGROUND_DELAY_MS", 600_000)


def body_of(view: ChatView, message_id: int) -> MarkdownBody:
    row = view.row_for(message_id)
    assert row is not None
    return row.body  # type: ignore[attr-defined, no-any-return]


def rendered(body: MarkdownBody) -> list[tuple[str, str]]:
    out = []
    for block in body.blocks:
        assert not isinstance(block, PendingBlock)
        assert block.segment is not None
        out.append((block.segment.kind, block.segment.text))
    return out


def canonical(text: str) -> list[tuple[str, str]]:
    return [(seg.kind, seg.text) for seg in segment_all(text)]


def on_screen(view: ChatView, widget: Any) -> bool:
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def test_a_long_answer_shows_its_end_at_once_and_the_rest_in_the_background(
    view: ChatView, qtbot: QtBot
) -> None:
    text = long_text()
    view.set_history([answer(2, text)])
    body = body_of(view, 2)
    qtbot.waitUntil(lambda: not view.is_busy())
    assert body.pending > 0  # far above the viewport: not laid out yet
    last = body.blocks[-1]
    assert isinstance(last, ProseBlock)
    assert "Paragraph 159" in last.toPlainText()
    qtbot.waitUntil(lambda: on_screen(view, last))
    deadline = time.monotonic() + 5
    while body.pending and time.monotonic() < deadline:  # the end stays in view meanwhile
        qtbot.wait(5)
        assert on_screen(view, last)
    assert rendered(body) == canonical(text)
    bar = view._scroll.verticalScrollBar()
    assert bar.value() == bar.maximum()  # still following the end


def test_pending_segments_render_when_scrolled_to(
    view: ChatView, qtbot: QtBot, no_background: None
) -> None:
    text = long_text()
    view.set_history([answer(2, text)])
    body = body_of(view, 2)
    qtbot.waitUntil(lambda: not view.is_busy())
    assert isinstance(body.blocks[0], PendingBlock)
    bar = view._scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    bar.setValue(0)
    qtbot.waitUntil(lambda: isinstance(body.blocks[0], ProseBlock), timeout=3000)
    assert "Paragraph 0:" in body.blocks[0].toPlainText()
    assert body.pending > 0  # only what came near the viewport was rendered


def test_rendering_above_the_viewport_keeps_the_view_still(
    view: ChatView, qtbot: QtBot, no_background: None
) -> None:
    view.set_history([answer(2, long_text(240))])
    body = body_of(view, 2)
    qtbot.waitUntil(lambda: not view.is_busy())
    bar = view._scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    bar.setValue(bar.maximum() // 2)  # the user scrolls up to read: no longer following
    viewport = view._scroll.viewport()

    def near_viewport_rendered() -> bool:  # ``busy``: segments near the viewport still wait
        shown = any(isinstance(b, ProseBlock) and on_screen(view, b) for b in body.blocks)
        return shown and not view.is_busy()

    qtbot.waitUntil(near_viewport_rendered, timeout=3000)
    qtbot.waitUntil(lambda: settled(view))  # rows just rendered sit squeezed until it grows
    anchor = next(b for b in body.blocks if isinstance(b, ProseBlock) and on_screen(view, b))
    before = anchor.mapTo(viewport, QPoint(0, 0)).y()
    above = [b for b in body.blocks[: body.blocks.index(anchor)] if isinstance(b, PendingBlock)]
    assert above, "something above the viewport is still pending"
    frames = FrameSpy(view.window(), lambda: anchor.mapTo(viewport, QPoint(0, 0)).y())
    slices = shared_slices()
    while body.pending:  # the background fill, a slice at a time
        body._fill_all = True
        slices.request(body, body._fill_slice)
        slices.run()
        QApplication.processEvents()
    qtbot.waitUntil(lambda: settled(view))
    assert abs(anchor.mapTo(viewport, QPoint(0, 0)).y() - before) <= 2
    assert frames.seen, "the window drew frames meanwhile"
    assert all(abs(y - before) <= 2 for y in frames.seen), frames.seen  # not even for a frame


def test_height_estimates_learn_from_rendered_segments(view: ChatView, qtbot: QtBot) -> None:
    text = long_text()
    view.set_history([answer(2, text)])
    body = body_of(view, 2)
    qtbot.waitUntil(lambda: body.pending == 0, timeout=5000)
    prose = [b for b in body.blocks if isinstance(b, ProseBlock)]
    ratios = [b.height() / body._estimate(b.segment) for b in prose]  # type: ignore[arg-type]
    assert all(0.7 < r < 1.4 for r in ratios), ratios


def test_a_fast_stream_ends_exactly_like_a_fresh_render(view: ChatView, qtbot: QtBot) -> None:
    text = long_text()
    final = answer(2, text)
    step = len(text) // 60
    for end in range(step, len(text), step):  # as fast as the loop allows, no pause
        view.upsert(replace(final, content=text[:end], status="streaming"))
        QApplication.processEvents()
    view.upsert(final)
    body = body_of(view, 2)
    qtbot.waitUntil(lambda: not view.is_busy())
    last = body.blocks[-1]
    assert isinstance(last, ProseBlock | CodeBlock)
    qtbot.waitUntil(lambda: on_screen(view, last))
    qtbot.waitUntil(lambda: body.pending == 0, timeout=5000)
    assert rendered(body) == canonical(text)


def test_streaming_frames_are_paced_by_their_cost(
    view: ChatView, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.upsert(answer(2, "start", status="streaming"))
    body = body_of(view, 2)
    now = 100.0
    monkeypatch.setattr(markdown_view.time, "perf_counter", lambda: now)
    body._frame_start, body._frame_chars = 100.0, 1000
    body._paint_mark = view._ctx.paint_seconds
    body._frame_cost = 0.002  # a cheap frame: the next one may start at once
    assert body._frame_wait(1100) == 0.0
    body._frame_cost = 0.010  # a normal stream (100 chars in 10 ms): 4x the cost apart
    now = 100.010
    assert body._frame_wait(1100) == pytest.approx(0.030)
    view._ctx.paint_seconds += 0.005  # the paint after the render counts too
    assert body._frame_wait(1100) == pytest.approx(0.050)
    assert body._frame_wait(1000 + 50_000) == pytest.approx(0.170)  # a torrent: 12x
    body._frame_cost = 0.050
    assert body._frame_wait(1000 + 50_000) == pytest.approx(0.390)  # never above 0.4 s apart


def test_only_code_blocks_where_the_view_is_count_as_on_screen(
    view: ChatView, qtbot: QtBot
) -> None:
    from desktop.ui.chat.render.highlighter import _on_screen

    middle = "\n\n".join(f"Line {i}: some words to fill the chunk." for i in range(30))
    text = f"```python\nfirst = 1\n```\n\n{middle}\n\n```python\nlast = 2\n```\n"
    view.resize(900, 300)
    view.set_history([answer(2, text)])
    body = body_of(view, 2)
    qtbot.waitUntil(lambda: not view.is_busy() and not body.pending)
    assert len(body.blocks) == 1  # one prose chunk holding both code blocks
    first, last = body.code_blocks()
    bar = view._scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(0)
    QApplication.processEvents()
    assert _on_screen(first)
    assert not _on_screen(last)
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert _on_screen(last)
    assert not _on_screen(first)


def test_a_chunk_boundary_looks_like_any_paragraph_break(view: ChatView, qtbot: QtBot) -> None:
    paragraphs = [f"Paragraph {i}: " + "lorem ipsum " * 30 for i in range(12)]
    view.resize(700, 4000)  # every segment on screen
    view.set_history([answer(2, "\n\n".join(paragraphs))])
    body = body_of(view, 2)
    qtbot.waitUntil(lambda: not view.is_busy() and not body.pending)
    blocks = [b for b in body.blocks if isinstance(b, ProseBlock)]
    assert len(blocks) >= 2  # the answer is split into chunks
    doc = blocks[0].document()
    first, second = doc.begin().layout(), doc.begin().next().layout()
    inside = second.position().y() - (first.position().y() + first.boundingRect().height())
    assert inside > 0

    def gaps() -> list[int]:
        return [
            below.y() - (above.y() + above.height()) for above, below in itertools.pairwise(blocks)
        ]

    expected = [round(inside)] * (len(blocks) - 1)
    # the column is laid out in coming passes (heights follow the rendered text): wait for it to
    # settle; a gap that stays different fails here
    qtbot.waitUntil(lambda: blocks[-1].y() > 0 and gaps() == expected)
    assert gaps() == expected

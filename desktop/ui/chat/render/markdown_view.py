"""Markdown of one message as a column of segment widgets: prose chunks and long code blocks.

``MarkdownBody.set_text`` turns the text into a *target* list of segments (:mod:`segments`):
while streaming, segments already settled stay as they are and only the new ones and the tail are
added; when the message is final, only the text after the settled prefix is scanned again (the
prefix is already canonical), so an unchanged tail costs nothing. A *pump* then brings the widgets
in line with the target, skipping everything already shown, within a time slice per event-loop
turn (:data:`SLICE_S`); the rest continues on the next turn, so even a 200 KB answer arriving at
once never blocks the window. The slice is one for every answer on screen (:mod:`slices`): the
columns of a comparison take turns in it rather than each taking one. A new row is rendered
when it is shown, at its real width.

Streaming frames are paced by their whole cost (every slice of the render and the paint after
it): the next frame waits :data:`FRAME_SPACING` times that cost from the start of the last one,
:data:`FAST_FRAME_SPACING` times while the text arrives faster than :data:`FAST_CHARS_PER_S`,
and N times as long with N answers streaming at once, never more than :data:`MAX_FRAME_GAP_S`.
What arrives while a frame waits is split into segments at once, and the next prose widget is
made between frames, so neither falls on the frame that shows the text, nor on the final one.
Entries far from the viewport get a ``lazy.PendingBlock`` instead of a widget; see :mod:`lazy`.

A ``ProseBlock`` parses and styles its markdown in a detached document (formatting it costs no
re-layout) and copies the result into the shown document in one edit block: one layout per
render. Its short code blocks are drawn inside it (:mod:`embedded`, with a Copy link); a long code
block is a ``CodeBlock`` widget that shows plain text at once (a live block grows by appending)
and is coloured later. Both are lexed by the shared :class:`HighlightQueue`.

Laying out (and colouring) a code document costs time in proportion to its lines, in one piece:
a block longer than ``segments.CODE_SHOW_MAX_LINES`` shows its first lines and a note saying how
many there are (Copy copies the whole block), one longer than ``CODE_COLOUR_MAX_LINES`` stays
plain, and a table too long to lay out (``segments.TABLE_MAX_ROWS``) comes as such a block too.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFontDatabase, QFontMetricsF, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.ui.chat.render.embedded import EmbeddedCode, code_label
from desktop.ui.chat.render.highlighter import CodeHighlighter, Span
from desktop.ui.chat.render.lazy import Band, PendingBlock, estimate_height
from desktop.ui.chat.render.prose import ProseBlock
from desktop.ui.chat.render.segments import (
    CODE_COLOUR_MAX_LINES,
    CODE_SHOW_MAX_LINES,
    TABLE_LANG,
    Segment,
    head_lines,
    scan,
    split_prose,
)
from desktop.ui.chat.render.slices import SLICE_S
from desktop.ui.chat.render.slices import shared as shared_slices
from desktop.ui.chat.render.styles import code_scrollbar_sheet
from desktop.ui.chat.render.textview import FitBrowser, set_code_font

if TYPE_CHECKING:
    from desktop.ui.chat.render.context import RenderContext

__all__ = ["CodeBlock", "MarkdownBody", "ProseBlock"]

SEGMENT_GAP = 6  # between segments: the gap between two paragraphs of one document (Qt's
# markdown paragraphs have 6 px margins), so a chunk boundary looks like any paragraph break
_CHEAP_FRAME_S = 0.004
FRAME_SPACING = 4  # while streaming, a frame (render + paint) is followed by 3x its cost idle
FAST_FRAME_SPACING = 12  # ... and by 11x when the text arrives faster than anyone reads:
FAST_CHARS_PER_S = 20_000  # a normal answer streams at a few hundred characters a second
MAX_FRAME_GAP_S = 0.4  # even a torrent of text is shown more than twice a second
_HOLD_S = 0.2  # how long one streaming update defers syntax highlighting
_CALIBRATE_CHARS = 1000  # prose segments at least this long teach the height estimate
_BACKGROUND_DELAY_MS = 30  # pending segments are rendered this long after the answer is final
_EMBED_PAD_PX = 2 * 10 + 4  # an embedded code block's padding and border (``embedded._PAD``)


class CodeBlock(QFrame):
    """A long fenced code block (a short one is drawn inside its prose chunk): language label,
    a Copy button, and the code (coloured when settled)."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeBlock")
        self._ctx = ctx
        self.segment: Segment | None = None
        self.final = False
        self.highlighted = False
        self._shown = ""
        self.lines = 0  # lines of the code
        self.collapsed = False  # only the head is shown (CODE_SHOW_MAX_LINES, SHOW_MAX_CHARS)
        self._label = QLabel(self)
        self._label.setObjectName("codeLang")
        self.copy_button = QToolButton(self)
        self.copy_button.setObjectName("codeCopy")
        self.copy_button.clicked.connect(self._copy)
        self.body = FitBrowser(self, wrap=False)
        self.body.setObjectName("codeBody")
        self._bar_colors: object = None  # the colours the scroll bar was styled for
        self.body.horizontalScrollBar().rangeChanged.connect(self._style_bar)
        set_code_font(self.body.document())
        self._highlighter = CodeHighlighter(self.body.document())
        self.more = QLabel(self)
        self.more.setObjectName("codeMore")
        self.more.setWordWrap(True)
        self.more.hide()
        self._layout()
        self.retranslate()

    def _layout(self) -> None:
        header = QWidget(self)
        header.setObjectName("codeHeader")
        row = QHBoxLayout(header)
        row.setContentsMargins(10, 2, 4, 2)
        row.addWidget(self._label)
        row.addStretch(1)
        row.addWidget(self.copy_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(header)
        col.addWidget(self.body)
        col.addWidget(self.more)
        self.more.setContentsMargins(10, 0, 10, 8)
        self.body.setViewportMargins(10, 8, 10, 8)

    @property
    def code(self) -> str:
        """The block's source without the final newline."""
        text = self.segment.text if self.segment else ""
        return text[:-1] if text.endswith("\n") else text

    def show_segment(self, seg: Segment, final: bool) -> bool:
        """Show ``seg`` (plain); queue highlighting once final. False when unchanged."""
        if seg == self.segment and final == self.final:
            return False
        lang_changed = self.segment is None or seg.lang != self.segment.lang
        self.segment, self.final = seg, final
        if lang_changed:
            self._label.setText(code_label(seg.lang))
        self._show_plain(self.code)
        if final:
            self.rerender()
        return True

    def _show_plain(self, full: str) -> None:
        code, self.lines = head_lines(full, CODE_SHOW_MAX_LINES)
        self.collapsed = len(code) < len(full)
        self.more.setVisible(self.collapsed)
        if self.collapsed:
            self._say_more()
        if code == self._shown:
            return
        if self._shown and code.startswith(self._shown) and not self.highlighted:
            self.body.append_plain(code[len(self._shown) :])
        else:
            self._highlighter.lines = None
            self.highlighted = False
            self.body.set_plain(code)
        self._shown = code
        self.body.refit()

    def _style_bar(self, _low: int = 0, high: int = 0) -> None:
        """Style the horizontal scroll bar once it is needed (a line wider than the block), and
        again after a theme switch (``rerender``)."""
        bar = self.body.horizontalScrollBar()
        if (high or bar.maximum()) and self._bar_colors != self._ctx.colors:
            self._bar_colors = self._ctx.colors
            bar.setStyleSheet(code_scrollbar_sheet(self._ctx.colors))

    def rerender(self) -> None:
        """(Re)queue highlighting with the current theme."""
        if self.segment is None:
            return
        self._style_bar()
        if self.collapsed or self.lines > CODE_COLOUR_MAX_LINES or self.segment.lang == TABLE_LANG:
            self._ctx.highlights.cancel(self)  # plain: colouring would block the window
        else:
            self._ctx.highlights.submit(
                self, self.code, self.segment.lang, self._ctx.colors.dark, self._apply
            )

    def _apply(self, lines: list[list[Span]]) -> None:
        self._highlighter.set_lines(lines)
        self.highlighted = True

    def discard(self) -> None:
        self._ctx.highlights.cancel(self)

    def _copy(self) -> None:
        self._ctx.copy(self.code)
        self.copy_button.setText(QCoreApplication.translate("CodeBlock", "Copied"))
        QTimer.singleShot(1500, self.retranslate)

    def retranslate(self) -> None:
        self.copy_button.setText(QCoreApplication.translate("CodeBlock", "Copy"))
        self.copy_button.setToolTip(QCoreApplication.translate("CodeBlock", "Copy the code"))
        if self.segment is not None:
            self._label.setText(code_label(self.segment.lang))
        if self.collapsed:
            self._say_more()

    def _say_more(self) -> None:
        code = self.code
        text = QCoreApplication.translate(
            "CodeBlock", "Showing the beginning only (%1 lines, %2 characters). Copy copies all."
        )
        self.more.setText(text.replace("%1", f"{self.lines:,}").replace("%2", f"{len(code):,}"))


class WideProse(QWidget):
    """A prose segment whose short code blocks are wider than the column (a narrow window):
    its markdown runs as ``ProseBlock``s and its code blocks as ``CodeBlock`` widgets, which
    scroll sideways instead of wrapping mid-identifier. ``MarkdownBody`` picks it per width
    (``_fits``); the segments themselves do not depend on the width."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wideProse")
        self._ctx = ctx
        self.segment: Segment | None = None
        self.final = False
        self.parts: list[ProseBlock | CodeBlock] = []
        self._col = QVBoxLayout(self)
        self._col.setContentsMargins(0, 0, 0, 0)
        self._col.setSpacing(8)

    @property
    def codes(self) -> list[CodeBlock | EmbeddedCode]:
        out: list[CodeBlock | EmbeddedCode] = []
        for part in self.parts:
            out.extend([part] if isinstance(part, CodeBlock) else part.codes)
        return out

    def show_segment(self, seg: Segment, final: bool) -> bool:
        if seg == self.segment and final == self.final:
            return False
        self.segment, self.final = seg, final
        pieces = [
            (CodeBlock, Segment("code", p.text + "\n", p.lang, p.closed))
            if p.lang is not None
            else (ProseBlock, Segment("prose", p.text))
            for p in split_prose(seg.text)
        ]
        for index, (kind, piece) in enumerate(pieces):
            widget = self.parts[index] if index < len(self.parts) else None
            if not isinstance(widget, kind):
                widget = self._put(index, kind(self._ctx, self))
            widget.show_segment(piece, final and piece.closed)
        for old in self.parts[len(pieces) :]:
            _dispose(old)
        del self.parts[len(pieces) :]
        return True

    def _put(self, index: int, fresh: ProseBlock | CodeBlock) -> ProseBlock | CodeBlock:
        if index < len(self.parts):
            _dispose(self.parts[index])
            self._col.takeAt(index)
            self.parts[index] = fresh
        else:
            self.parts.append(fresh)
        self._col.insertWidget(index, fresh)
        if self.isVisible():
            fresh.resize(self.width(), fresh.height())
            fresh.show()
        return fresh

    def rerender(self) -> None:
        for part in self.parts:
            part.rerender()

    def retranslate(self) -> None:
        for part in self.parts:
            part.retranslate()

    def discard(self) -> None:
        for part in self.parts:
            part.discard()


@lru_cache(maxsize=1)
def _code_char_width() -> float:
    """The advance of one character of the fixed-pitch code font."""
    return QFontMetricsF(
        QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    ).horizontalAdvance("m")


def _widest_code_line(text: str) -> int:
    """The longest line (in characters) of the code blocks of a prose segment's source."""
    if "```" not in text and "~~~" not in text:
        return 0
    lines = (line for p in split_prose(text) if p.lang is not None for line in p.text.split("\n"))
    return max((len(line.expandtabs(4)) for line in lines), default=0)


# finished segments only (asked again on every resize): a streaming segment's text is new on
# every frame, and caching each of its lengths would only hold on to growing copies of it
_widest_code_line_of_final = lru_cache(maxsize=256)(_widest_code_line)


SegmentWidget = ProseBlock | CodeBlock | WideProse | PendingBlock


class MarkdownBody(QWidget):
    """The rendered answer text of one message."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markdownBody")
        self._ctx = ctx
        self._col = QVBoxLayout(self)
        self._col.setContentsMargins(0, 0, 0, 0)
        self._col.setSpacing(SEGMENT_GAP)
        self.blocks: list[SegmentWidget] = []
        self._text = ""
        self._target: list[tuple[Segment, bool]] = []
        self._settled_src = ""
        self._end = 0
        self._settled = 0  # target entries that are settled (final)
        self._synced = 0  # leading target entries rendered and final
        self._frame_start = 0.0  # the current frame: when it started, what it cost so far,
        self._frame_cost = 0.0  # and the context's paint clock at its start
        self._paint_mark = 0.0
        self._frame_due = False  # the timer starts a new (paced) frame, not another slice
        self._frame_chars = 0  # the text's length when the frame started
        self._streamed = False
        self._release_held = False  # the stream ended: lexing is let go by the final render
        self._await_show = False
        self._spare: ProseBlock | None = None  # made between streaming frames (``_prepare``)
        self._timer = QTimer(self)  # the next paced streaming frame
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._slices = shared_slices()  # the rest of a frame, pending segments: shared slices
        self._metrics: QFontMetricsF | None = None
        self._estimates: dict[int, tuple[Segment, int]] = {}  # by segment identity
        self._background = QTimer(self)  # renders pending segments once the answer is final
        self._background.setSingleShot(True)
        self._fill_all = True
        self._background.timeout.connect(self._request_fill)

    @property
    def text(self) -> str:
        return self._text

    @property
    def busy(self) -> bool:
        """True while some segments near the viewport still wait to be rendered."""
        if self._await_show:
            return bool(self._target) and self.window().isVisible()
        if self._timer.isActive() and self._frame_due:
            return True
        return self._slices.queued(self._pump_slice) and self._synced < len(self._target)

    @property
    def pending(self) -> int:
        """Segments far from the viewport not rendered yet (see :mod:`lazy`)."""
        return sum(1 for block in self.blocks if isinstance(block, PendingBlock))

    def set_text(self, text: str, *, streaming: bool) -> None:
        """Show ``text``; while ``streaming`` only new segments and the tail are rendered."""
        if not text.startswith(self._settled_src):
            self._target, self._settled_src, self._end, self._settled = [], "", 0, 0
            self._synced = 0
        self._text = text
        if streaming:
            self._ctx.highlights.hold(_HOLD_S)
            self._release_held = False
            if not self._streamed:
                self._streamed = True
                self._slices.set_streaming(self, True)
                QTimer.singleShot(0, self, self._prepare)
            wait = self._frame_wait(len(text))
            if wait > 0:
                if not self._slices.queued(self._pump_slice):  # (not in the middle of a frame)
                    self._retarget_streaming(text)  # the scan keeps up between frames: not
                    if not self._timer.isActive():  # all of it left for the last one
                        self._frame_due = True
                        self._timer.start(max(1, round(wait * 1000)))
                return
            self._retarget_streaming(text)
        else:
            # The settled prefix is canonical already (``segments``): only the rest is scanned,
            # and the streaming boundary is kept so that a later update re-scans from there.
            del self._target[self._settled :]
            self._synced = min(self._synced, self._settled)
            self._target.extend((seg, True) for seg in scan(text, self._end, final=True).settled)
            if self._streamed:
                self._streamed = False
                self._slices.set_streaming(self, False)
                self._release_held = True  # with the final text's first slice (``_pump``)
        self._timer.stop()
        self._begin_frame()
        if self._target and not self.isVisible() and self.window().isVisible():
            self._await_show = True  # a new row: render once it is shown at its real width
            return
        self._slices.cancel(self._pump_slice)
        if streaming or len(self._slices):  # in the shared slices: several answers rendering
            self._request_pump()  # at once (a comparison) share one per pass
        else:  # the final text, nothing else rendering: at once (the rest in coming slices)
            self._pump()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._await_show:
            self._await_show = False
            self._pump()

    def _frame_wait(self, length: int) -> float:
        """Seconds until the next streaming frame may start: frames are paced by their whole
        cost (every slice and the paint after it), more sparsely when the text arrives faster
        than anyone reads, so a fast stream is not slowed down by showing it."""
        cost = self._frame_cost + self._ctx.paint_seconds - self._paint_mark
        if cost <= _CHEAP_FRAME_S:
            return 0.0
        now = time.perf_counter()
        rate = (length - self._frame_chars) / max(1e-3, now - self._frame_start)
        spacing = FAST_FRAME_SPACING if rate > FAST_CHARS_PER_S else FRAME_SPACING
        spacing *= self._slices.streaming()  # N answers at once share one answer's frames
        return self._frame_start + min(spacing * cost, MAX_FRAME_GAP_S) - now

    def _on_timer(self) -> None:
        if self._frame_due:
            wait = self._frame_wait(len(self._text))  # the frame's whole cost is known now
            if wait > 0.001:
                self._timer.start(max(1, round(wait * 1000)))
                return
            self._retarget_streaming(self._text)
            self._begin_frame()
        self._request_pump()

    def _request_pump(self) -> None:
        """Render the frame in the coming shared slices (``slices``)."""
        if self._await_show:
            return
        self._slices.request(self, self._pump_slice)

    def _pump_slice(self, deadline: float) -> bool:
        self._pump(deadline)
        return False  # ``_pump`` queues itself again while the frame is not complete

    def _begin_frame(self) -> None:
        self._frame_due = False
        self._frame_start = time.perf_counter()
        self._frame_cost = 0.0
        self._frame_chars = len(self._text)
        self._paint_mark = self._ctx.paint_seconds

    def _retarget_streaming(self, text: str) -> None:
        text = _without_fence_on_its_way(text)
        result = scan(text, self._end)
        del self._target[self._settled :]
        self._synced = min(self._synced, self._settled)
        self._target.extend((seg, True) for seg in result.settled)
        self._settled = len(self._target)
        self._target.extend((seg, False) for seg in result.tail)
        if result.end != self._end:
            self._end, self._settled_src = result.end, text[: result.end]

    def _pump(self, deadline: float | None = None) -> None:
        start = time.perf_counter()
        deadline = start + SLICE_S if deadline is None else deadline
        keep = self._near_viewport()
        index = self._synced
        slices, rendered_any = self._slices, False
        while index < len(self._target):
            seg, final = self._target[index]
            shown = self._shown_as(index, seg)
            near = keep is None or keep[index] or shown
            if (
                near
                and not shown
                and (rendered_any or slices.running)  # (a slice's first step: one per pass,
                and not slices.fits(self._render_chars(index, seg), deadline)  # not per answer)
            ):
                slices.request(self, self._pump_slice)
                self.setUpdatesEnabled(False)  # one paint when the frame is complete
                break
            if near:
                rendered_any = self._show_timed(index, seg, final=final) or rendered_any
            else:
                self._defer(index, seg, final)
            if final and index == self._synced:
                self._synced += 1
            index += 1
        else:
            self._truncate(len(self._target))
            if not self.updatesEnabled():
                self.setUpdatesEnabled(True)
            if self._streamed and len(self._text) != self._frame_chars:
                self._frame_due = True  # text came while the frame rendered: the next frame
                self._timer.start(max(1, round(self._frame_wait(len(self._text)) * 1000)))
            if not self._streamed:
                self._drop_spare()
                if self.pending and not self._background.isActive():
                    self._fill_all = True
                    self._background.start(_BACKGROUND_DELAY_MS)  # after on-screen work settles
        if self._release_held:  # the stream's end is on screen now: the code there is coloured
            self._release_held = False  # next, not the blocks the final text pushed away
            self._ctx.highlights.release()
        self._frame_cost += time.perf_counter() - start

    # -- segments far from the viewport (``lazy``) ---------------------------------------------

    def _near_viewport(self) -> list[bool] | None:
        """Per target entry: is it near the viewport? None when everything is."""
        band = self._ctx.band(self)
        if band is None:
            return None
        heights = [self._height_of(i, seg) for i, (seg, _final) in enumerate(self._target)]
        gap = self._col.spacing()
        total = sum(heights) + gap * max(0, len(heights) - 1)
        keep, y = [], 0
        for height in heights:
            keep.append(band.keeps(y, height, total))
            y += height + gap
        return keep

    def _shown_as(self, index: int, seg: Segment) -> bool:
        """Whether a rendered (not pending) widget shows ``seg`` at ``index`` already."""
        widget = self.blocks[index] if index < len(self.blocks) else None
        return widget is not None and not isinstance(widget, PendingBlock) and widget.segment == seg

    def _height_of(self, index: int, seg: Segment) -> int:
        widget = self.blocks[index] if index < len(self.blocks) else None
        if widget is None or widget.segment != seg:
            return self._estimate(seg)
        return _height(widget)

    def _estimate(self, seg: Segment) -> int:
        cached = self._estimates.get(id(seg))
        if cached is not None and cached[0] is seg:
            guess = cached[1]
        else:
            guess = self._guess(seg, self.width())
            if len(self._estimates) > 4 * len(self._target) + 16:
                self._estimates.clear()
            self._estimates[id(seg)] = (seg, guess)
        return guess if seg.kind == "code" else round(guess * self._ctx.height_scale)

    def _guess(self, seg: Segment, width: int) -> int:
        if self._metrics is None:
            self._metrics = QFontMetricsF(self.font())
        return estimate_height(seg, max(1, width), self._metrics)

    def _calibrate(self, widget: ProseBlock) -> None:
        """Learn how far the estimates are off (fonts, paragraph margins, tables) from a
        prose segment just laid out: a running average shared by every answer."""
        seg = widget.segment
        if seg is None or len(seg.text) < _CALIBRATE_CHARS:
            return
        ratio = widget.height() / max(1, self._guess(seg, widget.width()))
        self._ctx.height_scale += (ratio - self._ctx.height_scale) * 0.25

    def _defer(self, index: int, seg: Segment, final: bool) -> bool:
        """Stand a placeholder in for ``seg`` (rendered when it nears the viewport)."""
        widget = self.blocks[index] if index < len(self.blocks) else None
        if isinstance(widget, PendingBlock):
            changed = widget.hold(seg, final, self._estimate(seg))
            if changed:
                self._resized()
            return changed
        fresh = PendingBlock()
        fresh.hold(seg, final, self._estimate(seg))
        if widget is None:
            self.blocks.append(fresh)
            self._col.addItem(fresh.item)
            self._resized()
        else:
            self._replace(index, fresh)
        return True

    def revisit(self) -> None:
        """The viewport moved or resized: render the pending segments that came near it."""
        frame = self._timer.isActive() or self._slices.queued(self._pump_slice)
        if self.pending and not frame:
            self._fill_all = self._fill_all and self._slices.queued(self._fill_slice)
            self._slices.request(self, self._fill_slice)

    def _request_fill(self) -> None:
        self._slices.request(self, self._fill_slice)

    def _fill_slice(self, deadline: float) -> bool:
        """Render pending segments (near the viewport only, or all: ``_fill_all``) in a shared
        slice, the last first; queued again while some are left."""
        band = self._ctx.band(self)
        todo = self._pending_indices(None if self._fill_all else self._near_viewport())
        while todo and self._slices.fits(self._chars_at(todo[-1]), deadline):
            self._render_pending(todo.pop(), band)
        if todo:
            self._slices.request(self, self._fill_slice)
        elif self.pending and not self._streamed and not self._background.isActive():
            self._fill_all = True
            self._background.start(_BACKGROUND_DELAY_MS)
        return False

    def _chars_at(self, index: int) -> int:
        segment = self.blocks[index].segment
        return len(segment.text) if segment is not None else 0

    def _pending_indices(self, keep: list[bool] | None) -> list[int]:
        return [
            i
            for i, block in enumerate(self.blocks)
            if isinstance(block, PendingBlock) and (keep is None or (i < len(keep) and keep[i]))
        ]

    def _render_pending(self, index: int, band: Band | None) -> None:
        """Render the pending segment at ``index``; if it starts above the viewport, its growth
        would push what the user reads down: the view is told to scroll along."""
        block = self.blocks[index]
        if not isinstance(block, PendingBlock) or block.segment is None:
            return
        above = band is not None and not band.from_end and block.y() < band.visible_top
        before = block.height()
        self._show_timed(index, block.segment, final=block.final)
        if above:  # a spacer takes no layout spacing, the widget that replaces it does
            self._ctx.shift(_height(self.blocks[index]) + self._col.spacing() - before)

    def _fits(self, seg: Segment, final: bool) -> bool:
        """Whether a prose segment's code blocks fit the column (else: ``WideProse``)."""
        cols = (_widest_code_line_of_final if final else _widest_code_line)(seg.text)
        if not cols or self.width() <= 0:
            return True
        return cols * _code_char_width() + _EMBED_PAD_PX <= self.width()

    def _kind_for(self, seg: Segment, final: bool) -> type[CodeBlock | ProseBlock | WideProse]:
        if seg.kind == "code":
            return CodeBlock
        return ProseBlock if self._fits(seg, final) else WideProse

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A narrower (or wider) column: prose whose code no longer fits (or fits again) is
        shown the other way (``WideProse``)."""
        super().resizeEvent(event)
        if event.size().width() == event.oldSize().width():
            return
        for index, block in enumerate(self.blocks):
            seg = block.segment if isinstance(block, (ProseBlock, WideProse)) else None
            if seg is not None and not isinstance(block, self._kind_for(seg, block.final)):
                self._show(index, seg, final=block.final)

    def _show_timed(self, index: int, seg: Segment, *, final: bool) -> bool:
        """``_show``, teaching the shared slices what its characters cost when it rendered."""
        chars = self._render_chars(index, seg)
        began = time.perf_counter()
        rendered = self._show(index, seg, final=final)
        if rendered:
            self._slices.learn(chars, time.perf_counter() - began)
        return rendered

    def _render_chars(self, index: int, seg: Segment) -> int:
        """The characters showing ``seg`` at ``index`` renders: a growing prose chunk renders
        what follows the part it keeps (``ProseBlock``), anything else all of its text."""
        widget = self.blocks[index] if index < len(self.blocks) else None
        if isinstance(widget, ProseBlock):
            return widget.render_chars(seg.text)
        return len(seg.text)

    def _show(self, index: int, seg: Segment, *, final: bool) -> bool:
        widget = self.blocks[index] if index < len(self.blocks) else None
        wanted = self._kind_for(seg, final)
        if not isinstance(widget, wanted):
            fresh = self._made(wanted)
            if widget is None:
                self.blocks.append(fresh)
                self._col.addWidget(fresh)
            else:
                self._replace(index, fresh)
            widget = fresh
            if self.isVisible():  # lay the text out once, at its final width
                fresh.resize(self.width(), fresh.height())
                fresh.show()
        changed = widget.show_segment(seg, final)
        if changed and final and isinstance(widget, ProseBlock) and widget.isVisible():
            self._calibrate(widget)
        return changed

    def _made(
        self, kind: type[CodeBlock | ProseBlock | WideProse]
    ) -> CodeBlock | ProseBlock | WideProse:
        """A new widget of ``kind``: for prose while streaming, the one made beforehand."""
        spare = self._spare
        if kind is not ProseBlock or spare is None:
            return kind(self._ctx, self)
        self._spare = None
        QTimer.singleShot(0, self, self._prepare)  # the next one, after this frame
        if not self.isVisible():  # shown with this body, as a widget made now would be
            spare.show()
        return spare

    def _prepare(self) -> None:
        """While the answer streams, make its next prose widget between frames (a child of
        this body, not shown, outside the column): a frame that starts a segment, and the final
        text's first one, then spend nothing on building a text browser (about 1 ms)."""
        if self._streamed and self._spare is None:
            self._spare = ProseBlock(self._ctx, self)
            self._spare.hide()  # explicitly: showing this body again must not show it

    def _drop_spare(self) -> None:
        if self._spare is not None:
            self._spare.deleteLater()
            self._spare = None

    def _replace(self, index: int, fresh: SegmentWidget) -> None:
        old = self.blocks[index]
        self._col.takeAt(index)
        if isinstance(fresh, PendingBlock):
            self._col.insertItem(index, fresh.item)
        else:
            self._col.insertWidget(index, fresh)
        self.blocks[index] = fresh
        _dispose(old)
        self._resized()

    def _resized(self) -> None:
        """A spacer came, went or changed: the column and every layout above it must follow
        (a widget tells its parent layout by itself, a spacer item does not)."""
        self._col.invalidate()
        self.updateGeometry()

    def _truncate(self, count: int) -> None:
        while len(self.blocks) > count:
            old = self.blocks.pop()
            self._col.takeAt(len(self.blocks))
            _dispose(old)
            self._resized()

    def restyle(self) -> None:
        """Re-render every block with the current colours (theme switch)."""
        for block in self.blocks:
            block.rerender()

    def retranslate(self) -> None:
        for block in self.blocks:
            block.retranslate()

    def discard(self) -> None:
        """Going away: no more work for it (rendering, highlighting, the background fill)."""
        self._timer.stop()
        self._background.stop()
        self._slices.cancel(self._pump_slice)
        self._slices.cancel(self._fill_slice)
        self._drop_spare()
        for block in self.blocks:
            block.discard()

    def code_blocks(self) -> list[CodeBlock | EmbeddedCode]:
        """Every code block shown, in order: standalone widgets and blocks inside prose."""
        out: list[CodeBlock | EmbeddedCode] = []
        for block in self.blocks:
            if isinstance(block, CodeBlock):
                out.append(block)
            elif isinstance(block, (ProseBlock, WideProse)):
                out.extend(block.codes)
        return out


_FENCE_CHARS = re.compile(r"[ \t>]*(?:`+|~+)")  # (indented in a list item, in a quote)


def _without_fence_on_its_way(text: str) -> str:
    """A streaming ``text`` without its last line while that line is unfinished and nothing but
    fence characters: the start of a code fence (a closing one arrives as ``` `` ``` first),
    which for a frame showed as stray backticks at the end of the code."""
    start = text.rfind("\n") + 1
    tail = text[start:]
    return text[:start] if tail and _FENCE_CHARS.fullmatch(tail) else text


def _height(block: SegmentWidget) -> int:
    """A block's height in the column: a code block's from its layout, a text block's is fixed
    (its laid-out text), a placeholder's is its estimate."""
    if isinstance(block, (CodeBlock, WideProse)):
        return block.sizeHint().height()
    return block.height()


def _dispose(widget: SegmentWidget) -> None:
    widget.discard()
    if not isinstance(widget, PendingBlock):
        widget.hide()
        widget.deleteLater()

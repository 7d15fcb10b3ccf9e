"""Markdown of one message as a column of segment widgets: prose chunks and long code blocks.

``MarkdownBody.set_text`` turns the text into a *target* list of segments (:mod:`segments`):
while streaming, segments already settled stay as they are and only the new ones and the tail are
added; when the message is final, only the text after the settled prefix is scanned again (the
prefix is already canonical), so an unchanged tail costs nothing. A *pump* then brings the widgets
in line with the target, skipping everything already shown, within a time slice per event-loop
turn (:data:`SLICE_S`); the rest continues on the next turn, so even a 200 KB answer arriving at
once never blocks the window. A slow tail render spaces the next streaming pump to 3x its cost.

A ``ProseBlock`` parses and styles its markdown in a detached document (formatting it costs no
re-layout) and copies the result into the shown document in one edit block: one layout per
render. Its short code blocks are drawn inside it (:mod:`embedded`, with a Copy link); a long code
block is a ``CodeBlock`` widget that shows plain text at once (a live block grows by appending)
and is coloured later. Both are lexed by the shared :class:`HighlightQueue`.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.ui.render.context import RenderContext
from desktop.ui.render.embedded import EmbeddedCode, code_label
from desktop.ui.render.highlighter import CodeHighlighter, Span
from desktop.ui.render.prose import ProseBlock
from desktop.ui.render.segments import Segment, scan
from desktop.ui.render.textview import FitBrowser, set_code_font

__all__ = ["CodeBlock", "MarkdownBody", "ProseBlock"]

SLICE_S = 0.005
_CHEAP_RENDER_S = 0.004
_HOLD_S = 0.2  # how long one streaming update defers syntax highlighting


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
        self._label = QLabel(self)
        self._label.setObjectName("codeLang")
        self.copy_button = QToolButton(self)
        self.copy_button.setObjectName("codeCopy")
        self.copy_button.clicked.connect(self._copy)
        self.body = FitBrowser(self, wrap=False)
        self.body.setObjectName("codeBody")
        set_code_font(self.body.document())
        self._highlighter = CodeHighlighter(self.body.document())
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

    def _show_plain(self, code: str) -> None:
        if code == self._shown:
            return
        if self._shown and code.startswith(self._shown) and not self.highlighted:
            self.body.append_plain(code[len(self._shown):])
        else:
            self._highlighter.lines = None
            self.highlighted = False
            self.body.set_plain(code)
        self._shown = code
        self.body.refit()

    def rerender(self) -> None:
        """(Re)queue highlighting with the current theme."""
        if self.segment is not None:
            self._ctx.highlights.submit(self, self.code, self.segment.lang,
                                        self._ctx.colors.dark, self._apply)

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


SegmentWidget = ProseBlock | CodeBlock


class MarkdownBody(QWidget):
    """The rendered answer text of one message."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markdownBody")
        self._ctx = ctx
        self._col = QVBoxLayout(self)
        self._col.setContentsMargins(0, 0, 0, 0)
        self._col.setSpacing(8)
        self.blocks: list[SegmentWidget] = []
        self._text = ""
        self._target: list[tuple[Segment, bool]] = []
        self._settled_src = ""
        self._end = 0
        self._settled = 0  # target entries that are settled (final)
        self._synced = 0  # leading target entries rendered and final
        self._cost = 0.0
        self._last_pump = 0.0
        self._streamed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._pump)

    @property
    def text(self) -> str:
        return self._text

    @property
    def busy(self) -> bool:
        """True while some segments still wait to be rendered."""
        return self._synced < len(self._target) and self._timer.isActive()

    def set_text(self, text: str, *, streaming: bool) -> None:
        """Show ``text``; while ``streaming`` only new segments and the tail are rendered."""
        if not text.startswith(self._settled_src):
            self._target, self._settled_src, self._end, self._settled = [], "", 0, 0
            self._synced = 0
        self._text = text
        if streaming:
            self._ctx.highlights.hold(_HOLD_S)
            self._streamed = True
            self._retarget_streaming(text)
            wait = self._last_pump + 3 * self._cost - time.perf_counter()
            if self._cost > _CHEAP_RENDER_S and wait > 0:
                if not self._timer.isActive():
                    self._timer.start(max(1, round(wait * 1000)))
                return
        else:
            # The settled prefix is canonical already (``segments``): only the rest is scanned,
            # and the streaming boundary is kept so that a later update re-scans from there.
            del self._target[self._settled:]
            self._synced = min(self._synced, self._settled)
            self._target.extend((seg, True) for seg in scan(text, self._end, final=True).settled)
            if self._streamed:
                self._streamed = False
                self._ctx.highlights.release()
        self._timer.stop()
        self._pump()

    def _retarget_streaming(self, text: str) -> None:
        result = scan(text, self._end)
        del self._target[self._settled:]
        self._synced = min(self._synced, self._settled)
        self._target.extend((seg, True) for seg in result.settled)
        self._settled = len(self._target)
        self._target.extend((seg, False) for seg in result.tail)
        if result.end != self._end:
            self._end, self._settled_src = result.end, text[: result.end]

    def _pump(self) -> None:
        start = time.perf_counter()
        deadline = start + SLICE_S
        index = self._synced
        while index < len(self._target):
            seg, final = self._target[index]
            rendered = self._show(index, seg, final=final)
            if final and index == self._synced:
                self._synced += 1
            index += 1
            if rendered and index < len(self._target) and time.perf_counter() > deadline:
                self._timer.start(0)
                break
        else:
            self._truncate(len(self._target))
        self._last_pump = time.perf_counter()
        self._cost = self._last_pump - start

    def _show(self, index: int, seg: Segment, *, final: bool) -> bool:
        widget = self.blocks[index] if index < len(self.blocks) else None
        wanted = CodeBlock if seg.kind == "code" else ProseBlock
        if not isinstance(widget, wanted):
            fresh = wanted(self._ctx, self)
            if widget is None:
                self.blocks.append(fresh)
                self._col.addWidget(fresh)
            else:
                self._replace(index, fresh)
            widget = fresh
            if self.isVisible():  # lay the text out once, at its final width
                fresh.resize(self.width(), fresh.height())
                fresh.show()
        return widget.show_segment(seg, final)

    def _replace(self, index: int, fresh: SegmentWidget) -> None:
        old = self.blocks[index]
        self._col.replaceWidget(old, fresh)
        self.blocks[index] = fresh
        _dispose(old)

    def _truncate(self, count: int) -> None:
        while len(self.blocks) > count:
            old = self.blocks.pop()
            self._col.removeWidget(old)
            _dispose(old)

    def restyle(self) -> None:
        """Re-render every block with the current colours (theme switch)."""
        for block in self.blocks:
            block.rerender()

    def retranslate(self) -> None:
        for block in self.blocks:
            block.retranslate()

    def code_blocks(self) -> list[CodeBlock | EmbeddedCode]:
        """Every code block shown, in order: standalone widgets and blocks inside prose."""
        out: list[CodeBlock | EmbeddedCode] = []
        for block in self.blocks:
            if isinstance(block, CodeBlock):
                out.append(block)
            else:
                out.extend(block.codes)
        return out


def _dispose(widget: SegmentWidget) -> None:
    widget.discard()
    widget.hide()
    widget.deleteLater()

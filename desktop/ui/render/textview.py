"""A read-only, selectable text widget that is exactly as tall as its content.

``FitBrowser`` is a ``QTextBrowser`` without a vertical scroll bar whose fixed height follows its
document's laid-out height (``documentSizeChanged``), so a column of them scrolls as one page in
the chat view's scroll area. Links open in the system browser, never inside the widget.
``style_markdown`` post-processes a document made by ``setMarkdown`` (md4c) with theme colours:
table borders and header shading, inline-code background, tamer heading sizes.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFontDatabase,
    QFontMetricsF,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
)
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from desktop.ui.theme import ChatColors

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_HEADING_SIZE = {1: 4, 2: 3, 3: 2, 4: 1}  # QTextCharFormat font-size adjustments, like md4c's


def open_link(url: QUrl) -> None:
    """Open http(s)/mailto links in the system browser; ignore everything else."""
    if url.scheme().lower() in _SAFE_SCHEMES:
        QDesktopServices.openUrl(url)


class FitBrowser(QTextBrowser):
    """Selectable rich text sized to its content; ``shrink`` makes the width hug the text."""

    def __init__(self, parent: QWidget | None = None, *, wrap: bool = True,
                 shrink: bool = False) -> None:
        super().__init__(parent)
        self._wrap, self._shrink, self._natural = wrap, shrink, 0
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if wrap else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        if not wrap:
            self.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.setOpenLinks(False)
        self.anchorClicked.connect(open_link)
        self.document().setDocumentMargin(0)
        self.viewport().setAutoFillBackground(False)
        horizontal = QSizePolicy.Policy.Preferred if shrink else QSizePolicy.Policy.Expanding
        self.setSizePolicy(horizontal, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.setFixedHeight(self._line_height())

    def _line_height(self) -> int:
        return math.ceil(QFontMetricsF(self.font()).lineSpacing())

    def _fit(self, *_args: object) -> None:
        height = math.ceil(self.document().size().height()) + 2 * self.frameWidth()
        if not self._wrap and self.document().idealWidth() > self.viewport().width() + 1:
            height += self.horizontalScrollBar().sizeHint().height()
        height = max(height, self._line_height() if self.document().isEmpty() else 1)
        if height != self.height():
            self.setFixedHeight(height)

    def refit(self) -> None:
        """Recompute the height now (after the document changed outside ``set_*``)."""
        self._fit()

    def set_plain(self, text: str) -> None:
        """Show ``text`` verbatim; in shrink mode the width hint hugs the longest line."""
        self.setPlainText(text)
        if self._shrink:
            fm = QFontMetricsF(self.font())
            lines = text.split("\n", 400)[:400]
            self._natural = math.ceil(max((fm.horizontalAdvance(s) for s in lines), default=0))
            self.updateGeometry()
        self._fit()

    def append_plain(self, text: str) -> None:
        """Append ``text`` at the end without re-laying out what is already there."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self._shrink:
            return QSize(self._natural + 2 * self.frameWidth() + 4, self.height())
        return QSize(hint.width(), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.height())


def set_code_font(doc: QTextDocument) -> None:
    """Use the system's fixed-pitch font for a code document."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    doc.setDefaultFont(font)


def style_markdown(doc: QTextDocument, colors: ChatColors) -> None:
    """Apply theme colours to a document produced by ``setMarkdown``."""
    for frame in doc.rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            _style_table(frame, colors)
    inline: list[tuple[int, int]] = []
    block = doc.begin()
    while block.isValid():
        _style_block(block, colors, inline)
        block = block.next()
    if inline:
        _shade_inline_code(doc, inline, colors)


def _style_block(block: QTextBlock, colors: ChatColors, inline: list[tuple[int, int]]) -> None:
    fmt = block.blockFormat()
    if fmt.hasProperty(QTextFormat.Property.BlockCodeFence) or fmt.nonBreakableLines():
        cursor = QTextCursor(block)
        bf = QTextBlockFormat()
        bf.setBackground(QColor(colors.code_bg))
        cursor.mergeBlockFormat(bf)
        return
    level = fmt.headingLevel()
    if level:
        _resize_heading(block, level)
    start = block.position()
    for run in block.textFormats():  # one call per block instead of a fragment iterator
        if run.format.fontFixedPitch():
            inline.append((start + run.start, run.length))


def _resize_heading(block: QTextBlock, level: int) -> None:
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cf = QTextCharFormat()
    cf.setProperty(QTextFormat.Property.FontSizeAdjustment, _HEADING_SIZE.get(level, 0) - 2)
    cursor.mergeCharFormat(cf)


def _shade_inline_code(doc: QTextDocument, spans: list[tuple[int, int]],
                       colors: ChatColors) -> None:
    cf = QTextCharFormat()
    cf.setBackground(QColor(colors.inline_code_bg))
    cursor = QTextCursor(doc)
    for pos, length in spans:
        cursor.setPosition(pos)
        cursor.setPosition(pos + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(cf)


def _style_table(table: QTextTable, colors: ChatColors) -> None:
    fmt = table.format()
    fmt.setBorder(1)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(QColor(colors.border))
    fmt.setBorderCollapse(True)
    fmt.setCellPadding(6)
    fmt.setCellSpacing(0)
    fmt.setTopMargin(4)
    fmt.setBottomMargin(8)
    fmt.setWidth(QTextLength(QTextLength.Type.VariableLength, 0))
    table.setFormat(fmt)
    header = QColor(colors.code_header)
    for col in range(table.columns()):
        cell = table.cellAt(0, col)
        cf = cell.format()
        cf.setBackground(header)
        cell.setFormat(cf)

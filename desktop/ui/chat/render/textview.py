"""A read-only, selectable text widget that is exactly as tall as its content.

``FitBrowser`` is a ``QTextBrowser`` without a vertical scroll bar whose fixed height follows its
document's laid-out height (``documentSizeChanged``), so a column of them scrolls as one page in
the chat view's scroll area. Links open in the system browser, never inside the widget, and the
widget loads no resource (image, style sheet) at all: answers come from a bot.
``style_markdown`` post-processes a document made by ``setMarkdown`` (md4c) with theme colours:
table borders and header shading, inline-code background, tamer heading sizes.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPainter,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextLayout,
    QTextLength,
    QTextTable,
)
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

if TYPE_CHECKING:
    from desktop.ui.kit.theme import ChatColors

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_HEADING_SIZE = {1: 4, 2: 3, 3: 2, 4: 1}  # QTextCharFormat font-size adjustments, like md4c's
QUOTE_INDENT = 14
MARKDOWN_ONLY = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)  # GitHub markdown with raw HTML shown as text


def open_link(url: QUrl) -> None:
    """Open http(s)/mailto links in the system browser; ignore everything else."""
    if url.scheme().lower() in _SAFE_SCHEMES:
        QDesktopServices.openUrl(url)


class FitBrowser(QTextBrowser):
    """Selectable rich text sized to its content; ``shrink`` makes the width hug the text."""

    def __init__(
        self, parent: QWidget | None = None, *, wrap: bool = True, shrink: bool = False
    ) -> None:
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
        margins = self.viewportMargins()  # a code block's padding: the text must fit inside
        height = (
            math.ceil(self.document().size().height())
            + 2 * self.frameWidth()
            + margins.top()
            + margins.bottom()
        )
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

    def loadResource(self, type: int, name: QUrl | str) -> object:
        """Nothing is fetched: neither a local file nor a remote address (see module doc)."""
        del type, name
        return None

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self._shrink:
            return QSize(self._natural + 2 * self.frameWidth() + 4, self.height())
        return QSize(hint.width(), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.height())


def images_to_links(doc: QTextDocument) -> None:
    """Replace every image of ``doc`` by a link to it, showing its alt text (or address)."""
    found: list[tuple[int, str, str]] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat():
                alt = fmt.property(QTextFormat.Property.ImageAltText)
                name = fmt.toImageFormat().name()
                for i in range(fragment.length()):
                    found.append((fragment.position() + i, name, str(alt or "")))
            it += 1
        block = block.next()
    cursor = QTextCursor(doc)
    for pos, name, alt in reversed(found):
        cursor.setPosition(pos)
        cursor.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
        link = QTextCharFormat()
        link.setAnchor(True)
        link.setAnchorHref(name)
        link.setToolTip(name)
        link.setFontUnderline(True)
        cursor.insertText(f"[{alt or name}]", link)


def set_code_font(doc: QTextDocument) -> None:
    """Use the system's fixed-pitch font for a code document."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    doc.setDefaultFont(font)


def style_markdown(doc: QTextDocument, colors: ChatColors) -> bool:
    """Apply theme colours to a document produced by ``setMarkdown``; True when it has block
    quotes (their bar is painted by the widget, see :func:`paint_quote_bars`)."""
    for frame in doc.rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            _style_table(frame, colors)
    inline: list[tuple[int, int]] = []
    quotes = False
    block = doc.begin()
    while block.isValid():
        quotes = _style_block(block, colors, inline) or quotes
        block = block.next()
    if inline:
        _shade_inline_code(doc, inline, colors)
    return quotes


def _style_block(block: QTextBlock, colors: ChatColors, inline: list[tuple[int, int]]) -> bool:
    fmt = block.blockFormat()
    if fmt.hasProperty(QTextFormat.Property.BlockCodeFence) or fmt.nonBreakableLines():
        cursor = QTextCursor(block)
        bf = QTextBlockFormat()
        bf.setBackground(QColor(colors.code_bg))
        cursor.mergeBlockFormat(bf)
        return False
    quote = fmt.intProperty(QTextFormat.Property.BlockQuoteLevel)
    if quote > 0:
        _style_quote(block, quote, colors)
    level = fmt.headingLevel()
    if level:
        _resize_heading(block, level)
    start = block.position()
    for run in block.textFormats():  # one call per block instead of a fragment iterator
        if run.format.fontFixedPitch():
            inline.append((start + run.start, run.length))
    return quote > 0


def _style_quote(block: QTextBlock, level: int, colors: ChatColors) -> None:
    """md4c indents a quote by 40 px per level with nothing drawn: indent it by a bar's width
    instead (the widget paints the bar) and mute its text, so it reads as an aside."""
    cursor = QTextCursor(block)
    bf = QTextBlockFormat()
    bf.setLeftMargin(QUOTE_INDENT * level)
    bf.setRightMargin(0)
    cursor.mergeBlockFormat(bf)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cf = QTextCharFormat()
    cf.setForeground(QColor(colors.muted))
    cursor.mergeCharFormat(cf)


def paint_quote_bars(view: QTextBrowser, colors: ChatColors, clip: QRect) -> None:
    """Draw the bar left of every block quote line of ``view``'s document that meets ``clip``
    (viewport coordinates)."""
    doc = view.document()
    layout = doc.documentLayout()
    dy = -view.verticalScrollBar().value()
    first = layout.hitTest(QPointF(0, clip.top() - dy), Qt.HitTestAccuracy.FuzzyHit)
    block = doc.findBlock(max(0, first))
    while (
        block.isValid()
        and block.previous().isValid()
        and block.previous().blockFormat().intProperty(QTextFormat.Property.BlockQuoteLevel)
    ):
        block = block.previous()  # a quote starting above the clip still shows its bar
    painter = QPainter(view.viewport())
    color = QColor(colors.border)
    while block.isValid():
        rect = layout.blockBoundingRect(block)  # the lines only, without the margins
        if rect.top() + dy > clip.bottom():
            break
        level = block.blockFormat().intProperty(QTextFormat.Property.BlockQuoteLevel)
        if level > 0:
            for n in range(level):
                painter.fillRect(
                    QRectF(n * QUOTE_INDENT + 2, rect.top() + dy, 3, rect.height()), color
                )
        block = block.next()
    painter.end()


def _resize_heading(block: QTextBlock, level: int) -> None:
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cf = QTextCharFormat()
    cf.setProperty(QTextFormat.Property.FontSizeAdjustment, _HEADING_SIZE.get(level, 0) - 2)
    cursor.mergeCharFormat(cf)


def _shade_inline_code(
    doc: QTextDocument, spans: list[tuple[int, int]], colors: ChatColors
) -> None:
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
    _even_cell_lines(table)


def _even_cell_lines(table: QTextTable) -> None:
    """Give every cell line the same height, so baselines line up across a row.

    A cell of Latin text only ("12°C") is laid out with the primary font's smaller ascent,
    a cell with CJK text with the taller fallback font's: top-aligned, their baselines differ
    by a few pixels. A fixed line height puts every baseline at 80 % of the line (Qt's rule).
    """
    doc = table.document()
    bf = QTextBlockFormat()
    bf.setLineHeight(
        _mixed_line_height(doc.defaultFont()), QTextBlockFormat.LineHeightTypes.FixedHeight.value
    )
    cursor = QTextCursor(doc)
    cursor.setPosition(table.firstPosition())
    cursor.setPosition(table.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeBlockFormat(bf)


def _mixed_line_height(font: QFont) -> float:
    """The natural height of a line mixing Latin and CJK text in ``font`` (with fallbacks)."""
    key = font.key()
    height = _LINE_HEIGHTS.get(key)
    if height is None:
        layout = QTextLayout("Ag国", font)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1000)
        layout.endLayout()
        height = _LINE_HEIGHTS[key] = math.ceil(line.height())
    return height


_LINE_HEIGHTS: dict[str, float] = {}

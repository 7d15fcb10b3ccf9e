"""Short fenced code blocks drawn inside a prose document, with a header and a Copy link.

A prose segment's short fences (``segments.split_prose``) are replaced by placeholder paragraphs
before the markdown is parsed; each placeholder then becomes a ``QTextFrame`` (border, code
background) holding a header frame — the language on the left, a "Copy" link (``copy:<index>``)
on the right at a right tab stop that follows the width — and the code in the fixed-pitch font.
No widget per block: a column of prose chunks with their code stays a handful of widgets however
many snippets an answer has (a long block still gets a ``CodeBlock`` widget of its own).

Colours come from Pygments through the shared ``HighlightQueue`` like standalone blocks; the
spans are applied by a ``QSyntaxHighlighter`` (layout formats, no re-insertion) and kept on the
block's ``EmbeddedCode``, so re-rendering the live tail re-colours finished snippets without
lexing them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QRect
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QSyntaxHighlighter,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrame,
    QTextFrameFormat,
    QTextOption,
)

from desktop.ui.chat.render.highlight import language_label

if TYPE_CHECKING:
    from desktop.ui.chat.render.highlighter import Span
    from desktop.ui.chat.render.segments import Part
    from desktop.ui.kit.theme import ChatColors

COPY_SCHEME = "copy"
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_PAD = 10


@dataclass(eq=False)
class EmbeddedCode:
    """One code block inside a prose document (also the highlight job's owner)."""

    widget: object  # the ProseBlock showing it (what the highlight queue checks for visibility)
    index: int
    code: str
    lang: str
    closed: bool
    frame: QTextFrame | None = None
    highlighted: bool = False
    copied: bool = False
    lines: list[list[Span]] | None = field(default=None, repr=False)  # Pygments spans
    dark: bool = False  # the theme ``lines`` were made for
    queued: bool | None = None  # the theme of the queued highlight job, if any

    def area(self) -> QRect | None:
        """Where the block is drawn in its widget (None before its document is laid out), so
        the highlight queue can tell a block on screen from one scrolled out of a long chunk."""
        if self.frame is None:
            return None
        layout = self.frame.document().documentLayout()
        return layout.frameBoundingRect(self.frame).toAlignedRect()


def placeholder(index: int) -> str:
    return f"{_MARK_OPEN}{index}{_MARK_CLOSE}"


def markdown_with_placeholders(parts: list[Part], first: int = 0) -> str:
    """The markdown of ``parts`` with each code block replaced by a placeholder paragraph (the
    blocks numbered from ``first``)."""
    out: list[str] = []
    index = first
    for part in parts:
        if part.lang is None:
            out.append(part.text)
        else:
            out.append(f"\n\n{placeholder(index)}\n\n")
            index += 1
    return "".join(out)


def build_frames(
    doc: QTextDocument, codes: list[EmbeddedCode], colors: ChatColors, width: float
) -> None:
    """Replace each placeholder paragraph of ``doc`` by its code block frame."""
    if not codes:
        return
    wanted = {placeholder(code.index): code for code in codes}
    found: list[tuple[QTextBlock, EmbeddedCode]] = []
    block = doc.begin()
    while block.isValid():
        code = wanted.get(block.text())
        if code is not None:
            found.append((block, code))
        block = block.next()
    for block, code in reversed(found):  # back to front: earlier positions stay valid
        _build_frame(block, code, colors, width)


def _build_frame(block: QTextBlock, code: EmbeddedCode, colors: ChatColors, width: float) -> None:
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    ff = QTextFrameFormat()
    ff.setBorder(1)
    ff.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    ff.setBorderBrush(QColor(colors.border))
    ff.setBackground(QColor(colors.code_bg))
    ff.setPadding(0)
    ff.setTopMargin(4)
    ff.setBottomMargin(4)
    frame = cursor.insertFrame(ff)
    code.frame = frame
    inner = frame.firstCursorPosition()
    inner.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    header = inner.insertFrame(_header_frame_format(colors))
    inner.setBlockFormat(_header_format(width))
    _write_header(inner, code, colors)
    inner.setPosition(header.lastPosition() + 1)  # the block after the header, in the frame
    char_format = _code_char_format()
    inner.setBlockFormat(_code_format())
    inner.setBlockCharFormat(char_format)
    inner.insertText(code.code, char_format)
    inner.insertBlock(_spacer_format(_PAD - 2), _tiny_char_format())  # bottom padding: block
    _hide_empty_neighbours(frame)  # margins inside a frame are ignored


def _hide_empty_neighbours(frame: QTextFrame) -> None:
    """The paragraph split around a frame leaves empty blocks: draw them with no height."""
    doc = frame.document()
    for block in (
        doc.findBlock(frame.firstPosition() - 1),
        frame.firstCursorPosition().block(),
        doc.findBlock(frame.lastPosition() + 1),
    ):
        if block.isValid() and not block.text() and block.layout() is not None:
            cursor = QTextCursor(block)
            cursor.setBlockFormat(_spacer_format(0))
            cursor.setBlockCharFormat(_tiny_char_format())


def _spacer_format(height: int) -> QTextBlockFormat:
    """An empty block exactly ``height`` px tall."""
    fmt = QTextBlockFormat()
    fmt.setTopMargin(0)
    fmt.setBottomMargin(0)
    fmt.setLineHeight(height, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    return fmt


def _tiny_char_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontPointSize(1)
    return fmt


def _header_frame_format(colors: ChatColors) -> QTextFrameFormat:
    fmt = QTextFrameFormat()
    fmt.setBackground(QColor(colors.code_header))
    fmt.setBorder(0)
    fmt.setMargin(0)
    fmt.setBottomMargin(_PAD - 2)
    fmt.setPadding(4)
    return fmt


def _header_format(width: float) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setLeftMargin(_PAD - 4)
    fmt.setTopMargin(0)
    fmt.setBottomMargin(0)
    fmt.setTabPositions(
        [QTextOption.Tab(max(0.0, width - 2 * _PAD - 8), QTextOption.TabType.RightTab)]
    )
    fmt.setNonBreakableLines(True)
    return fmt


def _code_format() -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setLeftMargin(_PAD)
    fmt.setRightMargin(_PAD)
    return fmt


def _code_char_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return fmt


def _write_header(cursor: QTextCursor, code: EmbeddedCode, colors: ChatColors) -> None:
    """Replace the selection (or insert at the cursor) with "<language>\\t<Copy>"."""
    label = QTextCharFormat()
    label.setForeground(QColor(colors.muted))
    label.setFontPointSize(
        max(6.0, QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSizeF() - 1.5)
    )
    translate = QCoreApplication.translate
    cursor.insertText(code_label(code.lang) + "\t", label)
    link = QTextCharFormat(label)
    link.setAnchor(True)
    link.setAnchorHref(f"{COPY_SCHEME}:{code.index}")
    link.setToolTip(translate("CodeBlock", "Copy the code"))
    word = translate("CodeBlock", "Copied") if code.copied else translate("CodeBlock", "Copy")
    cursor.insertText(word, link)


def code_label(lang: str) -> str:
    """The language shown in a code block's header; a translated "text" when none is given,
    "table" for a table shown as text (``segments.TABLE_LANG``)."""
    if lang == "table":
        return QCoreApplication.translate("CodeBlock", "table", "label of a table shown as text")
    return language_label(lang) or QCoreApplication.translate(
        "CodeBlock", "text", "label of a code block without a language"
    )


def refresh_header(code: EmbeddedCode, colors: ChatColors, width: float) -> None:
    """Re-write a block's header (language change, "Copied", retranslate, new width)."""
    cursor = _header_cursor(code)
    if cursor is None:
        return
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.setBlockFormat(_header_format(width))
    _write_header(cursor, code, colors)


def set_header_width(code: EmbeddedCode, colors: ChatColors, width: float) -> None:
    """Move the Copy link's tab stop after the document width changed."""
    cursor = _header_cursor(code)
    if cursor is not None:
        cursor.setBlockFormat(_header_format(width))


def _header_cursor(code: EmbeddedCode) -> QTextCursor | None:
    if code.frame is None:
        return None
    return code.frame.childFrames()[0].firstCursorPosition()


def first_code_block(code: EmbeddedCode) -> QTextBlock | None:
    if code.frame is None:
        return None
    header = code.frame.childFrames()[0]
    return code.frame.document().findBlock(header.lastPosition() + 1)


class DocHighlighter(QSyntaxHighlighter):
    """Applies per-block spans (keyed by block number) of the embedded code blocks."""

    def __init__(self, doc: QTextDocument) -> None:
        super().__init__(doc)
        self.spans: dict[int, list[Span]] = {}

    def highlightBlock(self, text: str) -> None:
        spans = self.spans.get(self.currentBlock().blockNumber())
        if spans:
            for start, length, fmt in spans:
                self.setFormat(start, length, fmt)

    def forget(self, first_block: int) -> None:
        """Drop the spans of the blocks from ``first_block`` on (about to be rendered again)."""
        self.spans = {number: line for number, line in self.spans.items() if number < first_block}

    def apply(self, code: EmbeddedCode, lines: list[list[Span]]) -> None:
        """Colour ``code``'s lines now, in one pass (``reformat``)."""
        block = first_code_block(code)
        first = last = None
        for line in lines:
            if block is None or not block.isValid():
                break
            self.spans[block.blockNumber()] = line
            if line:
                first, last = first or block, block
            block = block.next()
        if first is not None and last is not None:
            reformat(self.document(), first.position(), last.position() + last.length() - 1)


def reformat(doc: QTextDocument, start: int, end: int) -> None:
    """Have ``doc``'s syntax highlighter colour the blocks from ``start`` to ``end`` now, laid
    out once. An empty format merged over the range is an edit, which the highlighter answers
    by formatting those blocks inside the document's change, so the layout runs once at its
    end; ``rehighlightBlock`` lays out each block on its own (two 25-line blocks in one
    answer: about 5.5 ms instead of 8.5). For embedded blocks (``segments.EMBED_MAX_LINES``):
    a long block's single pass would be one long stall. A highlighter just made ignores edits
    until its own pass over the whole document, a loop turn later, which colours them then."""
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(QTextCharFormat())

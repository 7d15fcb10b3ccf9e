"""A chunk of markdown prose with its short code blocks drawn inside (see :mod:`embedded`).

The markdown is parsed and styled in a detached document, which has no layout, so formatting it
costs no re-layout; the result is copied into the shown document in one edit block, so a render
lays the text out once. Finished code blocks are coloured through the shared highlight queue;
their spans survive re-renders of the live tail (kept per block while its text is unchanged).

Bot text is markdown only: raw HTML (``<img>``, ``<title>``, ``<textarea>``...) is shown as the
text it is (md4c's no-HTML flags), and a markdown image becomes a link with its alt text, so no
local or remote resource is loaded unless the user clicks (``textview.open_link``: http(s) only).
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import (
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)

from desktop.ui.chat.render.embedded import (
    COPY_SCHEME,
    DocHighlighter,
    EmbeddedCode,
    build_frames,
    markdown_with_placeholders,
    refresh_header,
    set_header_width,
)
from desktop.ui.chat.render.segments import Part, Segment, last_cut, split_prose
from desktop.ui.chat.render.textview import (
    MARKDOWN_ONLY,
    FitBrowser,
    images_to_links,
    paint_quote_bars,
    style_markdown,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop.ui.chat.render.context import RenderContext
    from desktop.ui.chat.render.highlighter import Span


class _Kept(NamedTuple):
    """What a prose block keeps drawn across re-renders of a growing text: ``text`` (its
    start, up to a cut), drawn before document ``position``, holding the first ``codes`` code
    blocks and, when ``quotes``, a block quote."""

    text: str = ""
    position: int = 0
    codes: int = 0
    quotes: bool = False


def _parts(piece: str) -> list[Part]:
    """The markdown runs and code blocks of ``piece`` (none to find without a fence)."""
    return split_prose(piece) if ("```" in piece or "~~~" in piece) else []


class ProseBlock(FitBrowser):
    """A chunk of markdown prose, with its short code blocks drawn inline (``embedded``)."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prose")
        self.document().setIndentWidth(22)
        self._ctx = ctx
        self.segment: Segment | None = None
        self.final = False
        self.codes: list[EmbeddedCode] = []
        self._highlighter: DocHighlighter | None = None
        self._header_width = 0
        self._quotes = False  # the document has block quotes: paint their bars
        self._kept = _Kept()
        self.anchorClicked.connect(self._anchor)

    def show_segment(self, seg: Segment, final: bool) -> bool:
        """Render ``seg``; False when it was already shown (being final changes nothing)."""
        self.final = final
        if seg == self.segment:
            return False
        self.segment = seg
        self._render(seg.text)
        return True

    def render_chars(self, text: str) -> int:
        """How many characters of ``text`` showing it would parse and lay out (``_render``)."""
        return len(text) - len(self._continued(text).text)

    def rerender(self) -> None:
        """Render the whole segment again (a theme change)."""
        if self.segment is not None:
            self._kept = _Kept()
            self._render(self.segment.text)

    def _continued(self, text: str) -> _Kept:
        """What stays drawn when ``text`` is shown: the kept part if ``text`` goes on from it
        (a link definition may change what comes before it: then nothing)."""
        kept = self._kept
        if kept.text and text.startswith(kept.text) and "]:" not in text:
            return kept
        return _Kept()

    def _render(self, text: str) -> None:
        """Show ``text``. When it goes on from the text shown before (the streaming tail), what
        lay before that text's last cut (:func:`~desktop.ui.chat.render.segments.last_cut`)
        stays as it is: only the rest is parsed and laid out again, so a frame's re-render costs
        the last paragraphs, not the whole chunk."""
        kept = self._kept = self._continued(text)
        # a final chunk drawn afresh will not grow: one piece, nothing to keep for next time
        cut = 0 if self.final and not kept.text else last_cut(text, len(kept.text))
        pieces = [text[len(kept.text) : cut], text[cut:]]
        parts = [_parts(piece) for piece in pieces]
        self._set_codes([p for run in parts for p in run if p.lang is not None], kept.codes)
        doc = self.document()
        if self._highlighter is not None:
            self._highlighter.forget(doc.findBlock(kept.position).blockNumber() if kept.text else 0)
        if not kept.text:
            doc.clear()
        batch = QTextCursor(doc)
        batch.beginEditBlock()
        if kept.text:  # what followed the kept part goes (with the break when nothing follows)
            batch.setPosition(kept.position - (len(text) == len(kept.text)))
            batch.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            batch.removeSelectedText()
        ahead, mark = kept, None
        if pieces[0]:
            ahead = self._insert(batch, pieces[0], parts[0], kept)
            batch.insertBlock()  # the cut: a paragraph break, as in the whole document
        at = batch.position()
        rest = self._insert(batch, pieces[1], parts[1], ahead) if pieces[1] else ahead
        if ahead is not kept:  # made after the insertion at its place, which would move it
            mark = QTextCursor(doc)  # along; follows the frames built before it below
            mark.setPosition(at)
        self._quotes = rest.quotes
        self._header_width = self.viewport().width()
        build_frames(doc, self.codes[kept.codes :], self._ctx.colors, self._header_width)
        batch.endEditBlock()
        if mark is not None:
            self._kept = ahead._replace(position=mark.position())
        self.refit()
        for code in self.codes[kept.codes :]:
            self._colour(code)

    def _insert(self, batch: QTextCursor, piece: str, parts: list[Part], before: _Kept) -> _Kept:
        """Parse and style ``piece`` (split into ``parts``) in a detached document (no layout:
        formatting it costs no re-layout), then insert it at ``batch`` (the start of an empty
        block) in the shown one; ``before`` is what precedes it. Returns what then precedes the
        next piece."""
        codes = sum(part.lang is not None for part in parts)
        source = QTextDocument()
        markdown = markdown_with_placeholders(parts, before.codes) if codes else piece
        source.setMarkdown(markdown, MARKDOWN_ONLY)
        if "![" in piece:
            images_to_links(source)
        quotes = style_markdown(source, self._ctx.colors)
        start = batch.position()
        batch.insertFragment(QTextDocumentFragment(source))
        head = QTextCursor(batch.document())
        head.setPosition(start)
        head.setBlockFormat(source.begin().blockFormat())  # not carried by a fragment
        return _Kept(before.text + piece, 0, before.codes + codes, before.quotes or quotes)

    def _set_codes(self, fresh: list[Part], keep: int) -> None:
        """The code blocks: the first ``keep`` stay drawn (before the kept cut) with their
        frames, ``fresh`` follow them. Keep the objects (and highlight jobs) of unchanged
        blocks across re-renders."""
        old, self.codes = self.codes, self.codes[:keep]
        for i, part in enumerate(fresh, start=keep):
            prev = old[i] if i < len(old) else None
            if prev is not None and (prev.code, prev.lang, prev.closed) == (
                part.text,
                part.lang,
                part.closed,
            ):
                prev.frame = None
                self.codes.append(prev)
                continue
            if prev is not None:
                self._ctx.highlights.cancel(prev)
            self.codes.append(EmbeddedCode(self, i, part.text, part.lang or "", part.closed))
        for prev in old[keep + len(fresh) :]:
            self._ctx.highlights.cancel(prev)

    def _colour(self, code: EmbeddedCode) -> None:
        """Apply known colours at once; queue lexing of a finished block otherwise."""
        dark = self._ctx.colors.dark
        if code.lines is not None and code.dark == dark:
            self._apply(code, code.lines)
        elif code.closed and code.queued != dark:
            code.queued = dark
            self._ctx.highlights.submit(
                code, code.code, code.lang, dark, partial(self._done, code, dark)
            )

    def _done(self, code: EmbeddedCode, dark: bool, lines: list[list[Span]]) -> None:
        code.lines, code.dark, code.queued = lines, dark, None
        if any(c is code for c in self.codes) and code.frame is not None:
            self._apply(code, lines)

    def _apply(self, code: EmbeddedCode, lines: list[list[Span]]) -> None:
        if self._highlighter is None:
            self._highlighter = DocHighlighter(self.document())
        self._highlighter.apply(code, lines)
        code.highlighted = True

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() == COPY_SCHEME and url.path().isdigit():
            index = int(url.path())
            if index < len(self.codes):
                self.copy_code(self.codes[index])

    def copy_code(self, code: EmbeddedCode) -> None:
        """Copy ``code`` to the clipboard; its header says "Copied" for a moment."""
        self._ctx.copy(code.code)
        code.copied = True
        refresh_header(code, self._ctx.colors, self._header_width)
        QTimer.singleShot(1500, self, lambda: self._uncopy(code))

    def _uncopy(self, code: EmbeddedCode) -> None:
        code.copied = False
        if any(c is code for c in self.codes):
            refresh_header(code, self._ctx.colors, self._header_width)

    def paintEvent(self, event: QPaintEvent) -> None:
        start = time.perf_counter()
        super().paintEvent(event)
        if self._quotes:
            paint_quote_bars(self, self._ctx.colors, event.rect())
        self._ctx.paint_seconds += time.perf_counter() - start

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        if self.codes and width != self._header_width:
            self._header_width = width
            for code in self.codes:
                set_header_width(code, self._ctx.colors, width)

    def retranslate(self) -> None:
        for code in self.codes:
            refresh_header(code, self._ctx.colors, self._header_width)

    def discard(self) -> None:
        for code in self.codes:
            self._ctx.highlights.cancel(code)

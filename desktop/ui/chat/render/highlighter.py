"""Syntax highlighting of settled code blocks, off the critical path.

A code block first shows plain text. ``HighlightQueue`` then lexes it in time slices of a few
ms (with its tree-sitter grammar for the common languages, ``syntax_tree``; with Pygments for
the rest), and a ``QSyntaxHighlighter`` applies the token colours as layout formats — the text
itself is never re-inserted, so highlighting costs no re-parse and no stall even for a
200 KB answer full of code. Blocks on screen go first (every event-loop turn, newest first);
off-screen blocks are done in the background (one slice every 30 ms) or as soon as they are
scrolled into view. While an answer streams (``hold``), lexing yields to rendering: a block is
coloured once it has stayed on screen for :data:`HOLD_GRACE_S` (so blocks that a fast stream
scrolls away at once are never lexed in the middle of it) and background work waits until the
stream ends (``release``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from desktop.ui.chat.render import syntax_tree
from desktop.ui.chat.render.highlight import DARK_STYLE, LIGHT_STYLE, canonical, lexer_for
from desktop.ui.chat.render.slices import shared as shared_slices

if TYPE_CHECKING:  # Pygments is imported when the first block is lexed, not at start
    from pygments.token import _TokenType

Span = tuple[int, int, QTextCharFormat]

BACKGROUND_MS = 30
HOLD_GRACE_S = 0.25
_HOLD_POLL_MS = 50


@lru_cache(maxsize=4)
def _formats(style_name: str) -> dict[_TokenType, QTextCharFormat | None]:
    from pygments.styles import get_style_by_name

    out: dict[_TokenType, QTextCharFormat | None] = {}
    for ttype, spec in get_style_by_name(style_name):
        if not (spec["color"] or spec["bold"] or spec["italic"]):
            out[ttype] = None
            continue
        fmt = QTextCharFormat()
        if spec["color"]:
            fmt.setForeground(QColor("#" + spec["color"]))
        if spec["bold"]:
            fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setFontItalic(bool(spec["italic"]))
        out[ttype] = fmt
    return out


def _format_for(
    ttype: _TokenType, table: dict[_TokenType, QTextCharFormat | None]
) -> QTextCharFormat | None:
    while ttype not in table and ttype.parent is not None:
        ttype = ttype.parent
    return table.get(ttype)


class TokenSpans:
    """Per-line format spans of one code text, filled a slice at a time: from its tree-sitter
    syntax tree where the language has a grammar (``syntax_tree``), else from Pygments' tokens."""

    def __init__(self, code: str, lang: str, dark: bool) -> None:
        self._code, self._lang = code, lang
        self._tokens: Iterator[tuple[_TokenType, str]] | None = None
        self._tree: syntax_tree.TreeSpans | None = None
        self._style = DARK_STYLE if dark else LIGHT_STYLE
        self._table: dict[_TokenType, QTextCharFormat | None] = {}
        self._found: dict[_TokenType, QTextCharFormat | None] = {}  # by token type: its format
        self.lines: list[list[Span]] = [[]]
        self._col = 0

    def step(self, deadline: float) -> bool:
        """Lex until ``deadline`` (perf_counter); True when the whole text is done."""
        if self._tree is not None:
            return self._tree.step(deadline, self._add_node)
        if self._tokens is None:  # first use of a language loads its grammar or lexer module
            self._table = _formats(self._style)
            grammar = self._grammar()
            if grammar is not None:
                self._tree = syntax_tree.TreeSpans(self._code, grammar)
                self.lines = [[] for _ in range(self._tree.rows)]
            else:
                self._tokens = iter(lexer_for(self._lang).get_tokens(self._code))
            return False
        for count, (ttype, value) in enumerate(self._tokens, 1):
            self._add(ttype, value)
            if count % 64 == 0 and time.perf_counter() > deadline:
                return False
        return True

    def _grammar(self) -> syntax_tree.Grammar | None:
        if len(self._code) > syntax_tree.MAX_CHARS:
            return None
        return syntax_tree.grammar_for(canonical(self._lang))

    def _format(self, ttype: _TokenType) -> QTextCharFormat | None:
        try:
            return self._found[ttype]
        except KeyError:
            fmt = self._found[ttype] = _format_for(ttype, self._table)
            return fmt

    def _add(self, ttype: _TokenType, value: str) -> None:
        fmt = self._format(ttype)
        pieces = value.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                self.lines.append([])
                self._col = 0
            if piece and fmt is not None:
                self.lines[-1].append((self._col, len(piece), fmt))
            self._col += len(piece)

    def _add_node(self, row: int, col: int, length: int, ttype: _TokenType) -> None:
        fmt = self._format(ttype)
        if fmt is not None:
            self.lines[row].append((col, length, fmt))


class CodeHighlighter(QSyntaxHighlighter):
    """Applies precomputed spans to a code document's blocks."""

    def __init__(self, doc: QTextDocument) -> None:
        super().__init__(doc)
        self.lines: list[list[Span]] | None = None

    def set_lines(self, lines: list[list[Span]] | None) -> None:
        self.lines = lines
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        lines = self.lines
        number = self.currentBlock().blockNumber()
        if lines is None or number >= len(lines):
            return
        for start, length, fmt in lines[number]:
            self.setFormat(start, length, fmt)


Done = Callable[[list[list[Span]]], None]


class HighlightQueue(QObject):
    """Lexes submitted code in time slices on the event loop; newest submission first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[object, tuple[TokenSpans, Done, float]] = {}
        self._hold_until = 0.0
        self._timer = QTimer(self)  # a held or background pass: later
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._request)
        self._slices = shared_slices()  # lexing shares the rendering's slices (``slices``)

    def submit(self, owner: object, code: str, lang: str, dark: bool, done: Done) -> None:
        """(Re)start highlighting for ``owner``; ``done(lines)`` is called when finished."""
        self._jobs.pop(owner, None)
        self._jobs[owner] = (TokenSpans(code, lang, dark), done, time.perf_counter())
        self._request()

    def hold(self, seconds: float) -> None:
        """A stream is rendering: defer lexing for the next ``seconds`` (see module docstring)."""
        self._hold_until = time.perf_counter() + seconds

    def release(self) -> None:
        """The stream ended: lex on-screen blocks at once."""
        self._hold_until = 0.0
        self.poke()

    def prewarm(self, langs: tuple[str, ...] = ("python", "json")) -> None:
        """Load the commonest grammar and lexers now, in idle time, not in the middle of a
        stream (each further one loads with its first block: 3-10 ms, about 1 MiB). Pygments'
        Python lexer too, for code too long for one parse (``syntax_tree.MAX_CHARS``): its
        import takes 25 ms, which would be one long pause of the window."""
        for lang in langs:
            syntax_tree.grammar_for(canonical(lang))
            lexer_for(lang)

    def cancel(self, owner: object) -> None:
        self._jobs.pop(owner, None)

    def discard(self) -> None:
        """Going away: no job left, none queued in the shared slices."""
        self._jobs.clear()
        self._timer.stop()
        self._slices.cancel(self._work)

    @property
    def pending(self) -> int:
        return len(self._jobs)

    @property
    def pending_on_screen(self) -> int:
        return sum(1 for owner in self._jobs if _on_screen(owner))

    def poke(self) -> None:
        """Something scrolled: look for on-screen blocks at once."""
        if self._jobs:
            self._request()

    def _request(self) -> None:
        self._timer.stop()
        self._slices.request(self, self._work)

    def _work(self, deadline: float) -> bool:
        now = time.perf_counter()
        held = now < self._hold_until
        ripe = now - HOLD_GRACE_S if held else None
        background = False
        while self._jobs and time.perf_counter() < deadline:
            owner = self._next_owner(ripe)
            if owner is None and held:
                break
            background = owner is None
            owner = owner if owner is not None else next(reversed(self._jobs))
            spans, done, _since = self._jobs[owner]
            self._slices.spend()
            if spans.step(deadline):
                del self._jobs[owner]
                if _alive(owner):
                    done(spans.lines)
            if background:
                break
        if self._jobs:
            if held:
                wait = min(_HOLD_POLL_MS, (self._hold_until - time.perf_counter()) * 1000)
                self._timer.start(max(1, round(wait)))
            elif background:
                self._timer.start(BACKGROUND_MS)
            else:
                self._request()
        return False

    def _next_owner(self, ripe: float | None = None) -> object | None:
        """The newest job whose widget is on screen (submitted before ``ripe``), if any."""
        for owner, (_spans, _done, since) in reversed(self._jobs.items()):
            if (ripe is None or since <= ripe) and _on_screen(owner):
                return owner
        return None


def _alive(owner: object) -> bool:
    widget = getattr(owner, "widget", owner)
    return not isinstance(widget, QObject) or isValid(widget)


def _on_screen(owner: object) -> bool:
    widget = getattr(owner, "widget", owner)  # an embedded code block: its prose widget
    if not isinstance(widget, QWidget) or not isValid(widget) or not widget.isVisible():
        return False
    region = widget.visibleRegion()
    if region.isEmpty():
        return False
    area = getattr(owner, "area", None)  # an embedded block: its own place in that widget
    rect = area() if callable(area) and widget is not owner else None
    return rect is None or region.intersects(rect)

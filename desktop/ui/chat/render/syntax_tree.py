"""Syntax highlighting through tree-sitter for the languages answers use most.

Pygments lexes with a loop of regular expressions in Python: about 2.5 ms for a kilobyte of
Python code. A tree-sitter grammar parses it in C and its highlight query names the nodes to
colour; with the spans made from them, the same block takes about a quarter of that, and other
languages 0.4-0.85x of their Pygments time (``tests/bench/bench_highlight``). JSON and CSS stay
with Pygments, whose lexers for them are as fast. TypeScript's and C++'s queries extend
JavaScript's and C's (``_Source.base``), as their grammars extend those languages. The capture
names (``keyword``, ``string``, ``function.builtin``...) are mapped onto Pygments' token types,
so the colours stay those of the app's Pygments styles (:func:`token_for`).

A language without a grammar here, code longer than :data:`MAX_CHARS` (one parse is one step
that cannot be cut into slices) and a grammar that cannot be loaded are lexed by Pygments as
before (``highlighter.TokenSpans``).

Each grammar's query was written for one rule of precedence when several patterns capture the
same node: the first pattern wins (tree-sitter's own highlighter) or the last one does (the
later convention, which lists ``(identifier) @variable`` first). :data:`GRAMMARS` records which.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pygments.token import _TokenType

log = logging.getLogger(__name__)

MAX_CHARS = 16_000  # parsed in one step: 2-4 ms (JavaScript the slowest); longer code: Pygments
_BYTES_PER_STEP = 1_000  # captures are read this much code at a time between deadline checks
# (by bytes, not lines: a minified file is one long line; 1-2.5 ms of dense code)


@dataclass(frozen=True)
class _Source:
    module: str  # the grammar's package on PyPI, imported on first use
    first_wins: bool  # the query's precedence rule (see the module docstring)
    base: str = ""  # a grammar package whose query this one's extends (put before it)
    entry: str = "language"  # the package's function that gives the language


GRAMMARS: dict[str, _Source] = {
    "python": _Source("tree_sitter_python", first_wins=False),
    "javascript": _Source("tree_sitter_javascript", first_wins=False),  # (JSX too)
    "typescript": _Source(
        "tree_sitter_typescript", False, "tree_sitter_javascript", "language_typescript"
    ),
    "tsx": _Source("tree_sitter_typescript", False, "tree_sitter_javascript", "language_tsx"),
    "bash": _Source("tree_sitter_bash", first_wins=False),
    "go": _Source("tree_sitter_go", first_wins=True),
    "rust": _Source("tree_sitter_rust", first_wins=False),
    "java": _Source("tree_sitter_java", first_wins=False),
    "c": _Source("tree_sitter_c", first_wins=False),
    "cpp": _Source("tree_sitter_cpp", False, "tree_sitter_c"),
    "yaml": _Source("tree_sitter_yaml", first_wins=False),
}


# capture name -> Pygments token type; a dotted name not listed falls back to its parent name
_TOKENS = {
    "keyword": "Keyword",
    "string": "Literal.String",
    "string.special": "Literal.String.Other",
    "string.special.key": "Name.Tag",
    "string.escape": "Literal.String.Escape",
    "string.regex": "Literal.String.Regex",
    "escape": "Literal.String.Escape",
    "character": "Literal.String.Char",
    "embedded": "Literal.String.Interpol",
    "comment": "Comment",
    "number": "Literal.Number",
    "float": "Literal.Number.Float",
    "boolean": "Keyword.Constant",
    "constant": "Name.Constant",
    "constant.builtin": "Keyword.Constant",
    "function": "Name.Function",
    "function.builtin": "Name.Builtin",
    "function.macro": "Name.Function.Magic",  # (as Pygments' Rust lexer)
    "function.special": "Comment.Preproc",
    "constructor": "Name.Class",
    "type": "Name.Class",
    "type.builtin": "Keyword.Type",
    "variable": "Name",
    "variable.builtin": "Name.Builtin.Pseudo",
    "variable.parameter": "Name.Variable",
    "property": "Name.Attribute",
    "attribute": "Name.Decorator",
    "tag": "Name.Tag",
    "label": "Name.Label",
    "module": "Name.Namespace",
    "namespace": "Name.Namespace",
    "operator": "Operator",
    "punctuation": "Punctuation",
    "delimiter": "Punctuation",
}


@cache
def token_for(capture: str) -> _TokenType | None:
    """The Pygments token type a capture name colours as; None for names that colour nothing
    (private ``_names`` a query uses in its predicates, names this table does not know)."""
    from pygments.token import string_to_tokentype

    name = capture
    while name and not name.startswith("_"):
        if name in _TOKENS:
            return string_to_tokentype(_TOKENS[name])
        name = name.rpartition(".")[0]
    return None


class Grammar:
    """A language's parser and compiled highlight query. The binding's objects do not keep what
    they point into alive (a query outliving its language crashes the process), so a grammar
    holds all of them and is never freed (:data:`_LOADED`)."""

    __slots__ = ("first_wins", "language", "parser", "query")

    def __init__(self, source: _Source) -> None:
        from tree_sitter import Language, Parser, Query

        module: Any = importlib.import_module(source.module)
        self.language = Language(getattr(module, source.entry)())
        self.parser = Parser(self.language)
        text = "".join(_highlights(name) for name in (source.base, source.module) if name)
        self.query = Query(self.language, text)
        self.first_wins = source.first_wins
        _LOADED.append(self)


_LOADED: list[Grammar] = []  # every grammar made, for the life of the process (see Grammar)


def _highlights(module: str) -> str:
    """A grammar package's highlight query (package data: the bundle ships it as such)."""
    return (resources.files(module) / "queries" / "highlights.scm").read_text(encoding="utf-8")


@cache
def grammar_for(name: str) -> Grammar | None:
    """The grammar for a canonical language name (``highlight.canonical``); None when there is
    none or it cannot be loaded (Pygments lexes that code instead)."""
    source = GRAMMARS.get(name)
    if source is None:
        return None
    try:
        return Grammar(source)
    # a grammar package missing, built for another tree-sitter, or its query left out: Pygments
    except (ImportError, AttributeError, OSError, ValueError) as exc:  # (QueryError: ValueError)
        log.warning("tree-sitter grammar for %s unavailable, using Pygments: %r", name, exc)
        return None


Add = Callable[[int, int, int, "_TokenType"], None]  # line, column, length, token type


class TreeSpans:
    """Hands the captured nodes of one code text to ``add`` a slice at a time, a span per line
    they cover, in an order in which a later span may be drawn over an earlier one: outer nodes
    before the nodes inside them. Columns are UTF-16 code units, as Qt counts them."""

    def __init__(self, code: str, grammar: Grammar) -> None:
        self._lines = code.split("\n")
        self._grammar = grammar
        source = code.encode()
        self._size = len(source)
        self._tree: Any = grammar.parser.parse(source)
        self._at = 0  # bytes read so far
        self._seen: set[tuple[int, int]] = set()  # nodes handed out by an earlier step

    @property
    def rows(self) -> int:
        return len(self._lines)

    def step(self, deadline: float, add: Add) -> bool:
        """Capture until ``deadline`` (perf_counter); True when the whole text is done."""
        from tree_sitter import QueryCursor

        while self._at < self._size:
            end = min(self._size, self._at + _BYTES_PER_STEP)
            # a cursor per call: none outlives a step, so a job dropped half-way (its block
            # gone) frees only its tree, and the binding's lifetimes stay simple
            cursor = QueryCursor(self._grammar.query)
            cursor.set_byte_range(self._at, end)
            matches = cursor.matches(self._tree.root_node)
            del cursor
            self._emit(matches, add)
            self._at = end
            if time.perf_counter() > deadline and self._at < self._size:
                return False
        self._tree = None
        return True

    def _emit(self, matches: list[tuple[int, dict[str, list[Any]]]], add: Add) -> None:
        chosen: dict[tuple[int, int], tuple[int, Any, _TokenType]] = {}
        first_wins = self._grammar.first_wins
        for pattern, captures in matches:
            for name, nodes in captures.items():
                ttype = token_for(name)
                if ttype is None:
                    continue
                for node in nodes:
                    key = (node.start_byte, node.end_byte)
                    held = chosen.get(key)
                    if held is None or (pattern < held[0] if first_wins else pattern > held[0]):
                        chosen[key] = (pattern, node, ttype)
        for key in sorted(chosen, key=lambda k: (k[0], -k[1])):
            if key in self._seen:
                continue
            self._seen.add(key)
            _pattern, node, ttype = chosen[key]
            (row, col), (end_row, end_col) = node.start_point, node.end_point
            for line in range(row, min(end_row, len(self._lines) - 1) + 1):
                start = self._column(line, col) if line == row else 0
                stop = self._column(line, end_col if line == end_row else None)
                if stop > start:
                    add(line, start, stop - start, ttype)

    def _column(self, row: int, byte_col: int | None) -> int:
        """UTF-16 column of byte ``byte_col`` in line ``row``; None: the line's end."""
        line = self._lines[row]
        if line.isascii():
            return len(line) if byte_col is None else byte_col
        head = line if byte_col is None else line.encode()[:byte_col].decode("utf-8", "ignore")
        return len(head.encode("utf-16-le")) // 2

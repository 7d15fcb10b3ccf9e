"""Code colouring through tree-sitter grammars (``render.syntax_tree``), Pygments for the rest."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from pygments.token import Comment, Keyword, Name, String, _TokenType

from desktop.ui.chat.render import syntax_tree
from desktop.ui.chat.render.highlight import LIGHT_STYLE
from desktop.ui.chat.render.highlighter import TokenSpans, _format_for, _formats

if TYPE_CHECKING:
    from collections.abc import Iterator

    from PySide6.QtGui import QTextCharFormat


def lexed(code: str, lang: str, *, step_s: float = 1.0) -> TokenSpans:
    spans = TokenSpans(code, lang, False)
    while not spans.step(time.perf_counter() + step_s):
        pass
    return spans


def colour(fmt: QTextCharFormat | None) -> str:
    return "" if fmt is None else fmt.foreground().color().name()


def expected(ttype: _TokenType) -> str:
    return colour(_format_for(ttype, _formats(LIGHT_STYLE)))


def coloured(code: str, spans: TokenSpans) -> Iterator[tuple[int, str, str]]:
    """(line number, the text a span covers, its colour), in the order they are drawn."""
    for number, line in enumerate(code.split("\n")):
        units = line.encode("utf-16-le")
        for start, length, fmt in spans.lines[number]:
            text = units[2 * start : 2 * (start + length)].decode("utf-16-le")
            yield number, text, colour(fmt)


def colour_of(code: str, spans: TokenSpans, text: str) -> str:
    """The colour drawn last over ``text`` (a later span is drawn over an earlier one)."""
    found = [c for _n, t, c in coloured(code, spans) if t == text]
    assert found, f"{text!r} is not coloured"
    return found[-1]


@pytest.mark.parametrize("name", sorted(syntax_tree.GRAMMARS))
def test_every_grammar_loads_and_colours_its_language(name: str, qapp: object) -> None:
    samples = {
        "python": "def f(x):\n    return 1  # done\n",
        "javascript": "function f(x) { return 1; } // done\n",
        "typescript": "function f(x: number): string { return `${x}`; } // done\n",
        "tsx": 'const A = (p: P) => <div className="a">{p.x}</div>; // done\n',
        "cpp": "template <typename T> T f(T x) { return x; } // done\n",
        "bash": 'for f in *; do echo "$f"; done  # done\n',
        "go": 'package main\nfunc main() { println("hi") }\n',
        "rust": 'fn main() { let x = 1; println!("{}", x); } // done\n',
        "java": "class A { int f() { return 1; } } // done\n",
        "c": "int main(void) { return 1; } // done\n",
        "yaml": "key: value\nlist:\n  - 1\n",
    }
    assert syntax_tree.grammar_for(name) is not None
    spans = lexed(samples[name], name)
    assert spans._tree is not None  # the grammar coloured it, not Pygments
    colours = {c for _n, _t, c in coloured(samples[name], spans) if c}
    assert len(colours) >= 2  # more than one kind of token told apart


def test_python_keeps_the_colours_of_the_pygments_style(qapp: object) -> None:
    code = 'import os\n\ndef f(x):\n    """Doc."""\n    return print(len(x), "s")  # note\n'
    spans = lexed(code, "py")  # (the fence's short name)
    assert colour_of(code, spans, "def") == expected(Keyword)
    assert colour_of(code, spans, "return") == expected(Keyword)
    assert colour_of(code, spans, '"s"') == expected(String)
    assert colour_of(code, spans, '"""Doc."""') == expected(String)
    assert colour_of(code, spans, "# note") == expected(Comment)
    # several patterns capture ``print``: this query's later, more specific one wins
    assert colour_of(code, spans, "print") == expected(Name.Builtin)


def test_where_a_query_lists_its_specific_patterns_first_the_first_one_wins(qapp: object) -> None:
    """Go's query: a called method's name is a method (its first pattern), not a property."""
    code = 'package main\n\nfunc main() { fmt.Println("hi") }\n'
    spans = lexed(code, "golang")
    assert colour_of(code, spans, "Println") == expected(Name.Function)
    assert expected(Name.Function) != expected(Name.Attribute)


def test_columns_count_utf16_units_after_chinese_and_emoji(qapp: object) -> None:
    code = 's = "天气😀"  # 注释 note\nx = 1\n'
    spans = lexed(code, "python")
    drawn = {text: (number, c) for number, text, c in coloured(code, spans)}
    assert drawn['"天气😀"'] == (0, expected(String))
    assert drawn["# 注释 note"] == (0, expected(Comment))


def test_a_string_over_several_lines_is_coloured_on_each(qapp: object) -> None:
    code = 'x = """one\ntwo 二\nthree"""\ny = 2\n'
    spans = lexed(code, "python")
    strings = [(n, t) for n, t, c in coloured(code, spans) if c == expected(String)]
    assert strings == [(0, '"""one'), (1, "two 二"), (2, 'three"""')]


def stepped(code: str, lang: str) -> tuple[TokenSpans, int]:
    """``code`` lexed with every deadline already passed: one step at a time; the steps taken."""
    spans = TokenSpans(code, lang, False)
    steps = 1
    while not spans.step(0.0):
        steps += 1
    assert spans._tree is not None
    return spans, steps


def test_a_long_block_is_coloured_in_slices_with_every_span_once(qapp: object) -> None:
    step = syntax_tree._BYTES_PER_STEP
    width = 28
    lines = [f"v{i:05d} = {i:05d}  # {i:08d}"[:width] for i in range(3 * step // width)]
    across = step // (width + 1) - 1  # a string from this line over the first step's end
    lines[across] = 's = """' + "x" * (width - 7)
    lines[across + 1] = "y" * (width - 3) + '"""'
    code = "\n".join(lines) + "\n"
    spans, steps = stepped(code, "python")
    assert steps >= 4  # the grammar, then three steps of code
    drawn = list(coloured(code, spans))
    assert len(drawn) == len(set(drawn))  # no span drawn twice (one per line and text here)
    assert {n for n, _t, _c in drawn} == set(range(code.count("\n")))  # every line coloured
    assert (across + 1, lines[across + 1], expected(String)) in drawn


def test_a_long_single_line_is_coloured_in_slices_too(qapp: object) -> None:
    """Minified code is one line: it is cut by bytes, not by lines."""
    count = 3 * syntax_tree._BYTES_PER_STEP // 12
    code = " ".join(f"let a{i} = {i};" for i in range(count)) + "\n"
    spans, steps = stepped(code, "js")
    assert steps >= 4
    keywords = [t for _n, t, c in coloured(code, spans) if t == "let"]
    assert len(keywords) == count  # each coloured, once
    assert colour_of(code, spans, "let") == expected(Keyword)


def test_other_languages_and_very_long_code_are_lexed_by_pygments(qapp: object) -> None:
    haskell = 'main = putStrLn "hi" -- done\n'
    spans = lexed(haskell, "haskell")
    assert spans._tree is None
    assert colour_of(haskell, spans, "-- done") == expected(Comment)
    long = "x = 1  # c\n" * (syntax_tree.MAX_CHARS // 10)
    spans = lexed(long, "python", step_s=0.001)
    assert spans._tree is None
    assert colour_of(long, spans, "# c") == expected(Comment)


@pytest.mark.expect_log("desktop.ui.chat.render.syntax_tree")
def test_a_grammar_that_cannot_be_loaded_falls_back_to_pygments(
    qapp: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    missing = syntax_tree._Source("tree_sitter_no_such_language", first_wins=False)
    monkeypatch.setitem(syntax_tree.GRAMMARS, "python", missing)
    syntax_tree.grammar_for.cache_clear()
    try:
        code = "def f():\n    return 1\n"
        spans = lexed(code, "python")
        assert spans._tree is None
        assert colour_of(code, spans, "def") == expected(Keyword)
        assert "tree-sitter grammar for python unavailable" in caplog.text
    finally:
        syntax_tree.grammar_for.cache_clear()  # the real grammar again for the next tests

"""Syntax highlighting with Pygments, emitted as the small HTML subset QTextDocument renders.

Only settled code blocks are highlighted (a live block shows plain text until its closing fence
arrives). Lexers are looked up once per language name and cached; the token -> inline-style map
is cached per Pygments style, so a block costs one lexer pass and one string join.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pygments itself is imported on first use, after the window's first frame
    from pygments.lexer import Lexer
    from pygments.token import _TokenType

LIGHT_STYLE = "xcode"
DARK_STYLE = "one-dark"
_ALIASES = {
    "py": "python",
    "sh": "bash",
    "shell": "bash",
    "zsh": "bash",
    "js": "javascript",
    "ts": "typescript",
    "yml": "yaml",
    "c++": "cpp",
    "cc": "cpp",
    "cxx": "cpp",
    "hpp": "cpp",
    "h": "c",
    "jsx": "javascript",
    "jsonc": "json",
    "golang": "go",
    "python3": "python",
    "py3": "python",
    "node": "javascript",
    "mjs": "javascript",
}


def canonical(lang: str) -> str:
    """A fence's language name as Pygments and ``syntax_tree`` know it (``py`` -> ``python``)."""
    low = lang.lower()
    return _ALIASES.get(low, low)


@lru_cache(maxsize=64)
def lexer_for(lang: str) -> Lexer:
    """A cached lexer for a fence's language name; plain text when unknown."""
    from pygments.lexers import get_lexer_by_name
    from pygments.lexers.special import TextLexer
    from pygments.util import ClassNotFound

    name = canonical(lang)
    if not name:
        return TextLexer(stripnl=False, ensurenl=False)
    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)


@lru_cache(maxsize=8)
def _style_map(style_name: str) -> dict[_TokenType, str]:
    """Token type -> inline CSS for every token type the style defines."""
    from pygments.styles import get_style_by_name

    style = get_style_by_name(style_name)
    out: dict[_TokenType, str] = {}
    for ttype, spec in style:
        css = []
        if spec["color"]:
            css.append(f"color:#{spec['color']}")
        if spec["bold"]:
            css.append("font-weight:bold")
        if spec["italic"]:
            css.append("font-style:italic")
        out[ttype] = ";".join(css)
    return out


def _css_for(ttype: _TokenType, styles: dict[_TokenType, str]) -> str:
    while ttype not in styles and ttype.parent is not None:
        ttype = ttype.parent
    return styles.get(ttype, "")


def highlight_html(code: str, lang: str, dark: bool) -> str:
    """Highlighted ``code`` as ``<pre>`` HTML with inline colours (no background)."""
    styles = _style_map(DARK_STYLE if dark else LIGHT_STYLE)
    parts: list[str] = []
    for ttype, value in lexer_for(lang).get_tokens(code):
        text = html.escape(value, quote=False)
        css = _css_for(ttype, styles)
        parts.append(f'<span style="{css}">{text}</span>' if css and value.strip() else text)
    return "<pre style='margin:0'>" + "".join(parts) + "</pre>"


@lru_cache(maxsize=128)
def language_label(lang: str) -> str:
    """The name shown in a code block's header (from Pygments' table: no lexer import); "" for
    a fence without a language (the caller shows its translated word for plain text)."""
    if not lang:
        return ""
    alias = canonical(lang)
    from pygments.lexers._mapping import LEXERS

    for _module, name, aliases, _files, _mimes in LEXERS.values():
        if alias in aliases:
            return str(name)
    return lang

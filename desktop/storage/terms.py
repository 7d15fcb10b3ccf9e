"""What the short-term search index stores for a message: CJK characters and pairs of them.

The trigram index finds any substring of three characters or more. Most Chinese words are
two characters (骑行, 天气) and many searches one; Chinese has no spaces, so a word tokenizer
sees a whole sentence as one token. ``short_terms`` rewrites a message for a second FTS5 table
(``unicode61`` tokenizer): every run of CJK characters becomes its single characters and its
overlapping pairs ("今天天气" -> "今 天 天 气 今天 天天 天气"), so a one- or two-character CJK
query is one exact term; other text is left as it is, so Latin words stay words and a short
Latin query matches the words it starts (``py`` -> python, pytest).

SQLite calls ``short_terms`` from the index triggers: every connection that writes messages
registers it (``register``).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

SQL_FUNCTION = "search_short_terms"

# Han (with extensions A and the compatibility block), kana, Hangul syllables, CJK symbols
# excluded: punctuation stays a separator.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A CJK run, and text that is one: compiled on first use, not at import (the character
    class takes about 5 ms to compile, and the window's first frame imports this module)."""
    return re.compile(f"[{CJK_CHARS}]+"), re.compile(f"[{CJK_CHARS}]+\\Z")


def _expand(match: re.Match[str]) -> str:
    run = match.group()
    pairs = " ".join(run[i : i + 2] for i in range(len(run) - 1))
    return f" {' '.join(run)} {pairs} "


def short_terms(text: str | None) -> str:
    """``text`` with each CJK run replaced by its characters and character pairs."""
    if not text:
        return ""
    return _patterns()[0].sub(_expand, text)


def is_cjk(text: str) -> bool:
    """Whether ``text`` is made of CJK characters only (and is not empty)."""
    return _patterns()[1].match(text) is not None


def register(conn: sqlite3.Connection) -> None:
    """Make ``short_terms`` callable from SQL on ``conn`` (the triggers need it)."""
    conn.create_function(SQL_FUNCTION, 1, short_terms, deterministic=True)

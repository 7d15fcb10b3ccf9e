"""Finding sessions by their titles and what was said in them, with a snippet of each match.

``search`` picks an index for the query (``plan``):

- three characters or more: the trigram index (any substring, case folded);
- one or two CJK characters (骑行, 天): the short-term index, one exact term
  (``terms.short_terms`` indexed every CJK character and character pair);
- one or two letters or digits (``py``): the short-term index, words starting with them;
- anything else short (``c#``), or a history without FTS5: ``LIKE`` over the ``LIKE_SCAN``
  newest messages (and, while ``backfill`` has not indexed the older messages yet, over the
  newest ``LIKE_SCAN`` of those, for a short query).

The work is bounded whatever the query matches: only the ``scan`` newest matching messages are
read (an index walks them newest first), grouped by session; the sessions are listed as the
sidebar lists them (pinned first, then most recently active), at most ``limit`` of them. Each
hit keeps the newest matching message of its session, and a ``Snippet`` of it: the text around
the first match with every match marked, for the sidebar to highlight.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.storage.migrations import BACKFILL_TABLE, FTS_TABLE, SESSION_OF_INDEX, SHORT_FTS_TABLE
from desktop.storage.models import SESSION_COLUMNS, SESSION_ORDER, Session, row_to_session
from desktop.storage.terms import CJK_CHARS, is_cjk

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from desktop.storage.store import Store

LIMIT = 60  # sessions returned (a few screenfuls of the sidebar)
SCAN = 2000  # newest matching messages read (a few ms at 500,000 messages)
LIKE_SCAN = 10_000  # newest messages a LIKE reads (a short query the indexes cannot answer)
TRIGRAM_MIN = 3  # the trigram index finds nothing shorter
SNIPPET_BEFORE = 16  # characters of context kept before the first match
SNIPPET_WIDTH = 160  # characters of a snippet (the sidebar elides it to its width)
_SNIPPET_RAW = 200  # characters of the message read before its first match (3x in all)

# A letter or digit that is not CJK: a short Latin query matches where none comes before it.
_WORD_CHAR = f"[^\\W_{CJK_CHARS}]"


@dataclass(frozen=True)
class Snippet:
    """A piece of a message around a match; ``marks`` are (start, length) of each match."""

    text: str
    marks: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchHit:
    """A session that matched: by its title only (``message_id`` None) or by a message."""

    session: Session
    message_id: int | None
    snippet: Snippet | None
    title_marks: tuple[tuple[int, int], ...] = ()  # the matches in the session's title


@dataclass(frozen=True)
class SearchResults:
    """What ``search`` found; ``complete`` False when more messages matched than it read
    (``SCAN``): the sessions of older matches may be missing."""

    hits: list[SearchHit]
    complete: bool
    indexing: bool = False  # older messages are still being added to the short-term index


@dataclass(frozen=True)
class Plan:
    """How a query is looked up: an FTS table and its MATCH text, or LIKE (``table`` None)."""

    table: str | None
    match: str
    word_start: bool  # the query matches the starts of words (a short Latin query)


def plan(query: str, fts: bool, short_fts: bool) -> Plan:
    """The index and expression for ``query`` (stripped, not empty)."""
    if fts and len(query) >= TRIGRAM_MIN:
        return Plan(FTS_TABLE, fts_phrase(query), word_start=False)
    if short_fts and len(query) < TRIGRAM_MIN:
        if is_cjk(query):
            return Plan(SHORT_FTS_TABLE, fts_phrase(query), word_start=False)
        if query.isalnum():
            return Plan(SHORT_FTS_TABLE, fts_phrase(query) + "*", word_start=True)
    return Plan(None, like_pattern(query), word_start=False)


def pending_to(db: Store) -> int:
    """The newest message id the short-term index does not hold yet (0: it holds them all);
    ``backfill`` indexes those."""
    if not db.short_fts:
        return 0
    rows = db.query(f"SELECT pending_to FROM {BACKFILL_TABLE}")
    return int(rows[0][0]) if rows else 0


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere (``\\`` escapes wildcards)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(text: str) -> str:
    """An FTS5 query matching ``text`` literally."""
    return '"' + text.replace('"', '""') + '"'


def message_clause(db: Store, query: str) -> tuple[str, list[Any]]:
    """A condition on ``s`` (sessions) true when one of its messages matches ``query`` (all of
    them: unbounded, for the command line's listing)."""
    how = plan(query, db.fts, db.short_fts)
    like = (
        "EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id {older}"
        "AND m.content LIKE ? ESCAPE '\\')"
    )
    if how.table is None:
        return like.format(older=""), [like_pattern(query)]
    indexed = (
        f"s.id IN (SELECT m.session_id FROM {how.table} f JOIN messages m "
        f"ON m.id = f.rowid WHERE {how.table} MATCH ?)"
    )
    pending = pending_to(db) if how.table == SHORT_FTS_TABLE else 0
    if not pending:
        return indexed, [how.match]
    older = like.format(older="AND m.id <= ? ")
    return f"({indexed} OR {older})", [how.match, pending, like_pattern(query)]


def search(
    db: Store, query: str, profile_id: str | None = None, limit: int = LIMIT,
    scan: int | None = None,
) -> SearchResults:  # fmt: skip
    """Sessions (of one profile, or all) whose title or messages contain ``query``, read from
    the ``scan`` (default ``SCAN``) newest matching messages."""
    scan = SCAN if scan is None else scan
    query = query.strip()
    if not query:
        return SearchResults([], complete=True)
    how = plan(query, db.fts, db.short_fts)
    hits, complete, indexing = _message_hits(db, how, query, scan)
    ids = set(hits) | _title_matches(db, query)
    sessions = _sessions(db, ids, profile_id, limit)
    contents = _contents(db, (hits[s.id] for s in sessions if s.id in hits))
    found = []
    for session in sessions:
        message_id = hits.get(session.id)
        text = contents.get(message_id) if message_id is not None else None
        cut = snippet(text, query, how.word_start) if text is not None else None
        title = tuple((start, len(query)) for start in _matches(session.title, query, False))
        found.append(SearchHit(session, message_id, cut, title))
    return SearchResults(found, complete, indexing)


def _message_hits(db: Store, how: Plan, query: str, scan: int) -> tuple[dict[int, int], bool, bool]:
    """{session id: its newest matching message id}, whether every match was read, and whether
    older messages are still waiting for the short-term index (``backfill``)."""
    if how.table is None:
        hits, complete = _like_hits(db, like_pattern(query), _newest_id(db))
        return hits, complete, False
    hits, complete = _index_hits(db, how, scan)
    pending = pending_to(db) if how.table == SHORT_FTS_TABLE else 0
    if pending:
        older, older_complete = _like_hits(db, like_pattern(query), pending)
        for session_id, message_id in older.items():
            hits.setdefault(session_id, message_id)  # an indexed match is the newer one
        complete = complete and older_complete
    return hits, complete, pending > 0


def _index_hits(db: Store, how: Plan, scan: int) -> tuple[dict[int, int], bool]:
    """Matches from an FTS index: the ``scan`` newest."""
    newest = (
        f"SELECT rowid AS id FROM {how.table} WHERE {how.table} MATCH ? ORDER BY rowid DESC LIMIT ?"
    )
    rows = db.query(
        f"SELECT m.session_id, max(m.id), count(*) FROM ({newest}) f "
        f"JOIN messages m INDEXED BY {SESSION_OF_INDEX} ON m.id = f.id GROUP BY m.session_id",
        (how.match, scan),
    )
    read = sum(int(row[2]) for row in rows)
    return {int(row[0]): int(row[1]) for row in rows}, read < scan


def _like_hits(db: Store, pattern: str, top: int) -> tuple[dict[int, int], bool]:
    """Matches by ``LIKE`` among the ``LIKE_SCAN`` messages up to id ``top``."""
    rows = db.query(
        "SELECT session_id, max(id) FROM messages WHERE id > ? AND id <= ? "
        "AND status != 'streaming' AND content LIKE ? ESCAPE '\\' GROUP BY session_id",
        (top - LIKE_SCAN, top, pattern),
    )
    return {int(row[0]): int(row[1]) for row in rows}, top <= LIKE_SCAN


def _newest_id(db: Store) -> int:
    return int(db.query("SELECT coalesce(max(id), 0) FROM messages")[0][0])


def _title_matches(db: Store, query: str) -> set[int]:
    rows = db.query("SELECT id FROM sessions WHERE title LIKE ? ESCAPE '\\'",
                    (like_pattern(query),))  # fmt: skip
    return {int(row[0]) for row in rows}


def _sessions(db: Store, ids: set[int], profile_id: str | None, limit: int) -> list[Session]:
    if not ids:
        return []
    mine, params = "", [json.dumps(sorted(ids))]
    if profile_id is not None:
        mine, params = "AND s.profile_id = ?", [*params, profile_id]
    rows = db.query(
        f"SELECT {SESSION_COLUMNS} FROM sessions s "
        f"WHERE s.id IN (SELECT value FROM json_each(?)) {mine} {SESSION_ORDER} LIMIT ?",
        (*params, limit),
    )
    return [row_to_session(row) for row in rows]


def _contents(db: Store, message_ids: Iterable[int]) -> Mapping[int, str]:
    wanted = sorted(message_ids)
    if not wanted:
        return {}
    rows = db.query(
        "SELECT id, content FROM messages WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(wanted),),
    )
    return {int(row[0]): str(row[1]) for row in rows}


def _pattern(query: str, word_start: bool) -> str:
    pattern = re.escape(query)
    return f"(?<!{_WORD_CHAR}){pattern}" if word_start else pattern


def _matches(text: str, query: str, word_start: bool) -> list[int]:
    return [m.start() for m in re.finditer(_pattern(query, word_start), text, re.IGNORECASE)]


# Markdown marks a snippet shows as text: headings, emphasis, code ticks, quotes, link targets.
_MARKUP = re.compile(r"(?m)^\s{0,3}(?:#{1,6}|>+|[-*+]|\d+\.)\s+|\*\*|__|`+|!?\[|\]\([^)]*\)")


def snippet(content: str, query: str, word_start: bool = False) -> Snippet:
    """The text of ``content`` around the first match of ``query`` (markdown marks dropped,
    whitespace collapsed), a "…" in front when it starts inside the message, every match in
    it marked. Only the part of a long message around that match is looked at."""
    first = re.search(_pattern(query, word_start), content, re.IGNORECASE)
    begin = max(0, first.start() - _SNIPPET_RAW) if first else 0
    part = content[begin : begin + 3 * _SNIPPET_RAW]
    lead = "…" if begin else ""
    flat = lead + " ".join(_MARKUP.sub(" ", part).split())
    starts = _matches(flat, query, word_start)
    if not starts:  # the query spans markup, or matched as indexed but not as written
        flat = lead + " ".join(part.split())
        starts = _matches(flat, query, word_start)
    if not starts:
        return Snippet(flat[:SNIPPET_WIDTH], ())
    return _cut(flat, starts, len(query))


def _cut(flat: str, starts: list[int], length: int) -> Snippet:
    begin = max(0, starts[0] - SNIPPET_BEFORE)
    space = flat.find(" ", begin, starts[0])
    if begin and space >= 0:  # start at a word, not inside one
        begin = space + 1
    prefix = "…" if begin and not flat.startswith("…", begin) else ""
    text = prefix + flat[begin : begin + SNIPPET_WIDTH]
    shift = len(prefix) - begin
    marks = tuple((start + shift, length) for start in starts
                  if start + shift >= 0 and start + shift + length <= len(text))  # fmt: skip
    return Snippet(text, marks)

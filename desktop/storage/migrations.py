"""Schema migrations, tracked in ``PRAGMA user_version``.

``MIGRATIONS[i]`` upgrades a database from version ``i`` to ``i + 1``; each runs
in its own transaction together with the version bump, so an interrupted upgrade
leaves the previous version intact. Before upgrading a database that already
holds a schema, a copy is taken with SQLite's backup API (``<db>.bak-v<N>``).
A database written by a newer release is refused and left untouched.

Never edit a shipped migration: append a new one.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING

from desktop.storage import terms

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

log = logging.getLogger(__name__)

FTS_TABLE = "messages_fts"
SHORT_FTS_TABLE = "messages_fts_short"

_V1_TABLES = (
    """CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        region TEXT NOT NULL,
        base_url TEXT NOT NULL DEFAULT '',
        bot_id TEXT NOT NULL DEFAULT '',
        user_id TEXT NOT NULL DEFAULT '',
        stream INTEGER NOT NULL DEFAULT 1,
        auto_save_history INTEGER NOT NULL DEFAULT 1,
        custom_variables TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL)""",
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        conversation_id TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        pinned INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL)""",
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        kind TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        reasoning TEXT NOT NULL DEFAULT '',
        tools TEXT NOT NULL DEFAULT '[]',
        follow_ups TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL,
        usage TEXT,
        log_id TEXT NOT NULL DEFAULT '',
        chat_id TEXT NOT NULL DEFAULT '',
        error TEXT,
        ttft_ms INTEGER,
        total_ms INTEGER,
        created_at REAL NOT NULL)""",
)

_V2_INDEXES = (
    "CREATE INDEX messages_by_session ON messages(session_id, id)",
    # Partial index: finding leftover streaming rows at startup touches only them.
    "CREATE INDEX messages_streaming ON messages(id) WHERE status = 'streaming'",
    "CREATE INDEX sessions_by_recency ON sessions(pinned DESC, updated_at DESC, id DESC)",
    "CREATE INDEX sessions_by_profile ON sessions(profile_id, pinned DESC, updated_at DESC, id DESC)",
)

# Full-text search over finished messages. The trigram tokenizer matches any
# substring (Chinese has no spaces between words) and folds case. Rows still
# streaming are indexed once they finish, so the many streaming updates stay cheap.
_V2_FTS = (
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        content, content='messages', content_rowid='id', tokenize='trigram')""",
    f"""CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
        WHEN new.status != 'streaming' BEGIN
        INSERT INTO {FTS_TABLE}(rowid, content) VALUES (new.id, new.content); END""",
    f"""CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
        WHEN old.status != 'streaming' BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, content)
        VALUES ('delete', old.id, old.content); END""",
    # One trigger so the old entry is removed before the new one is added.
    f"""CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, status ON messages
        WHEN old.status != 'streaming' OR new.status != 'streaming' BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, content)
        SELECT 'delete', old.id, old.content WHERE old.status != 'streaming';
        INSERT INTO {FTS_TABLE}(rowid, content)
        SELECT new.id, new.content WHERE new.status != 'streaming'; END""",
    f"""INSERT INTO {FTS_TABLE}(rowid, content)
        SELECT id, content FROM messages WHERE status != 'streaming'""",
)


def _run(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.execute(statement)


def _v1_tables(conn: sqlite3.Connection) -> None:
    """Profiles (no secrets), sessions and messages."""
    _run(conn, _V1_TABLES)


def _v2_search(conn: sqlite3.Connection) -> None:
    """Indexes for listing and lazy loading; FTS5 search when SQLite has it."""
    _run(conn, _V2_INDEXES)
    if fts5_available(conn):
        _run(conn, _V2_FTS)
    else:
        log.warning("SQLite has no FTS5 trigram tokenizer; search falls back to LIKE")


def _v3_chatflows(conn: sqlite3.Connection) -> None:
    """A profile can target a chatflow: its workflow id, app id and input parameters; it may
    hold fixed results for client-side tools; an answer keeps the chatflow run's debug link."""
    _run(conn, (
        "ALTER TABLE profiles ADD COLUMN workflow_id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE profiles ADD COLUMN app_id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE profiles ADD COLUMN parameters TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE profiles ADD COLUMN local_tools TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE profiles ADD COLUMN auto_local_tools INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE messages ADD COLUMN debug_url TEXT NOT NULL DEFAULT ''",
    ))  # fmt: skip


_V4_ACCOUNT = (
    # The composer's unsent text, per chat: it survives a restart and a crash.
    "ALTER TABLE sessions ADD COLUMN draft TEXT NOT NULL DEFAULT ''",
    # What the server last said about each profile's bot (GET /v1/bots/{id}), so an offline
    # start still shows the bot's name, avatar, prologue and suggested questions.
    """CREATE TABLE bot_info (
        profile_id TEXT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
        bot_id TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        icon_url TEXT NOT NULL DEFAULT '',
        icon_file TEXT NOT NULL DEFAULT '',
        prologue TEXT NOT NULL DEFAULT '',
        suggested_questions TEXT NOT NULL DEFAULT '[]',
        fetched_at REAL NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        error_at REAL NOT NULL DEFAULT 0)""",
)


def _v4_account(conn: sqlite3.Connection) -> None:
    """Per-chat composer drafts; the bot-info cache."""
    _run(conn, _V4_ACCOUNT)


_V5_SERVER_IDS = (
    # The Coze message id an imported row came from: importing or syncing a conversation
    # again skips what is already here (one row per server message id and session).
    "ALTER TABLE messages ADD COLUMN server_id TEXT NOT NULL DEFAULT ''",
    "CREATE UNIQUE INDEX messages_by_server_id ON messages(session_id, server_id) "
    "WHERE server_id != ''",
    "CREATE INDEX sessions_by_conversation ON sessions(profile_id, conversation_id) "
    "WHERE conversation_id != ''",
)


def _v5_server_ids(conn: sqlite3.Connection) -> None:
    """Server message ids on messages (de-duplicated imports); sessions found by conversation."""
    _run(conn, _V5_SERVER_IDS)


def _v6_attachments(conn: sqlite3.Connection) -> None:
    """A question keeps the files and images sent with it (name, size, type, Coze file id and
    the app's copy of a small image), as a JSON list."""
    _run(conn, ("ALTER TABLE messages ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]'",))


# Queries of one or two characters (most Chinese words): a word index over ``terms.short_terms``
# of each finished message, which spells CJK text as single characters and pairs; prefix indexes
# of one and two characters answer a short Latin query (``py*``) without merging every word.
# Contentless: it stores no text (the messages hold it), so a delete repeats the indexed terms.
#
# Messages stored before this index existed are indexed afterwards, newest first, in small
# transactions (``storage.backfill``), not during the upgrade: at 500,000 messages that takes
# minutes. ``search_backfill.pending_to`` is the newest message not indexed yet (0: none); the
# triggers leave those alone (the backfill indexes them as they are when it gets there), so the
# index never holds, nor is told to delete, terms it did not get.
BACKFILL_TABLE = "search_backfill"
_SHORT_TERMS = f"{terms.SQL_FUNCTION}({{row}}.content)"
_INDEXED = f"{{row}}.id > (SELECT pending_to FROM {BACKFILL_TABLE})"
_V7_SHORT_FTS = (
    f"""CREATE VIRTUAL TABLE {SHORT_FTS_TABLE} USING fts5(
        terms, content='', tokenize='unicode61 remove_diacritics 0', prefix='1 2')""",
    f"""CREATE TABLE {BACKFILL_TABLE} (
        one INTEGER PRIMARY KEY CHECK (one = 1), pending_to INTEGER NOT NULL)""",
    f"""INSERT INTO {BACKFILL_TABLE} (one, pending_to)
        SELECT 1, coalesce(max(id), 0) FROM messages""",
    f"""CREATE TRIGGER messages_fts_short_insert AFTER INSERT ON messages
        WHEN new.status != 'streaming' AND {_INDEXED.format(row="new")} BEGIN
        INSERT INTO {SHORT_FTS_TABLE}(rowid, terms)
        VALUES (new.id, {_SHORT_TERMS.format(row="new")}); END""",
    f"""CREATE TRIGGER messages_fts_short_delete AFTER DELETE ON messages
        WHEN old.status != 'streaming' AND {_INDEXED.format(row="old")} BEGIN
        INSERT INTO {SHORT_FTS_TABLE}({SHORT_FTS_TABLE}, rowid, terms)
        VALUES ('delete', old.id, {_SHORT_TERMS.format(row="old")}); END""",
    f"""CREATE TRIGGER messages_fts_short_update AFTER UPDATE OF content, status ON messages
        WHEN (old.status != 'streaming' OR new.status != 'streaming')
        AND {_INDEXED.format(row="new")} BEGIN
        INSERT INTO {SHORT_FTS_TABLE}({SHORT_FTS_TABLE}, rowid, terms)
        SELECT 'delete', old.id, {_SHORT_TERMS.format(row="old")}
        WHERE old.status != 'streaming';
        INSERT INTO {SHORT_FTS_TABLE}(rowid, terms)
        SELECT new.id, {_SHORT_TERMS.format(row="new")} WHERE new.status != 'streaming'; END""",
)
# A search reads thousands of matching message ids and needs each one's session: this index
# answers that from a few small pages instead of one page of the (large) row each.
SESSION_OF_INDEX = "messages_session_of"


def _v7_search_bigrams(conn: sqlite3.Connection) -> None:
    """Search for one- and two-character terms (CJK characters and pairs, short Latin word
    starts) through an index; the messages already stored are indexed later, in the
    background (``storage.backfill``)."""
    conn.execute(f"CREATE INDEX {SESSION_OF_INDEX} ON messages(id, session_id)")
    if not fts5_available(conn):
        return
    terms.register(conn)
    _run(conn, _V7_SHORT_FTS)


_V8_COMPARISONS = (
    # A comparison: one question asked of several bots side by side; each column is a normal
    # session (its own conversation), linked here in column order.
    """CREATE TABLE comparisons (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL)""",
    """CREATE TABLE comparison_sessions (
        comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        PRIMARY KEY (comparison_id, position))""",
    "CREATE INDEX comparisons_by_recency ON comparisons(updated_at DESC, id DESC)",
)


def _v8_comparisons(conn: sqlite3.Connection) -> None:
    """Saved comparisons: several sessions asked the same questions side by side."""
    _run(conn, _V8_COMPARISONS)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_tables,
    _v2_search,
    _v3_chatflows,
    _v4_account,
    _v5_server_ids,
    _v6_attachments,
    _v7_search_bigrams,
    _v8_comparisons,
)
SCHEMA_VERSION = len(MIGRATIONS)


def fts5_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite build can create an FTS5 table with the trigram tokenizer."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._fts_probe USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    conn.execute("DROP TABLE temp._fts_probe")
    return True


def has_fts(conn: sqlite3.Connection, table: str = FTS_TABLE) -> bool:
    """Whether the search table ``table`` exists in this database."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return row is not None


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the database header."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, db_path: Path | None, target: int = SCHEMA_VERSION) -> int:
    """Upgrade to ``target``; back the file up first if it already had a schema.

    Returns the version found before migrating. The caller has checked that the
    database is not newer than this release.
    """
    found = user_version(conn)
    if found >= target:
        return found
    if found > 0 and db_path is not None:
        backup(conn, backup_path(db_path, found))
    for version in range(found, target):
        _apply(conn, version)
    return found


def _apply(conn: sqlite3.Connection, version: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        MIGRATIONS[version](conn)
        conn.execute(f"PRAGMA user_version = {version + 1}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    log.info("chat history schema upgraded to v%d", version + 1)


def backup_path(db_path: Path, version: int) -> Path:
    """``<db>.bak-v<N>``: the copy taken before upgrading from version N."""
    return db_path.with_name(f"{db_path.name}.bak-v{version}")


def backup(conn: sqlite3.Connection, destination: Path) -> None:
    """A consistent copy of the open database (SQLite online backup API)."""
    target = sqlite3.connect(destination)
    try:
        conn.backup(target)
    finally:
        target.close()
    log.info("chat history backed up to %s", destination.name)

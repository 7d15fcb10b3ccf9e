"""The chat history database: one SQLite file in WAL mode.

``Database.open(path)`` connects, refuses a file written by a newer release
(without touching it), migrates older files (after a backup copy), and turns
rows left ``streaming`` by a crash into ``interrupted``. WAL with
``synchronous=NORMAL`` keeps every committed transaction across application
crashes at ~0.03 ms a commit. All access goes through one connection guarded by
a lock, so the repositories may be called from a worker thread too; ``reader()`` gives a thread
a connection of its own for long reads (search).
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.storage import terms
from desktop.storage.bots import BotInfoRepo
from desktop.storage.errors import StorageError, translated
from desktop.storage.messages import MessageRepo
from desktop.storage.migrations import (
    SCHEMA_VERSION,
    SHORT_FTS_TABLE,
    has_fts,
    migrate,
    user_version,
)
from desktop.storage.repos import ProfileRepo, SessionRepo

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from types import TracebackType

    from desktop.storage.models import Profile

BUSY_TIMEOUT_MS = 5000
READER_CACHE_KIB = 16384  # a search reader's page cache (SQLite's default: 2 MiB)
READER_MMAP_BYTES = 256 * 2**20  # and its memory-mapped reads (index pages without copies)
# The window's connection waits at most this long for a lock another process holds (less than
# a frame): a write that finds the history locked fails at once and is tried again later.
INTERACTIVE_BUSY_TIMEOUT_MS = 10
DAMAGED_SUFFIX = ".damaged"


class Database:
    """An open chat history with ``profiles``, ``sessions`` and ``messages`` repositories."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.fts = has_fts(conn)
        self.short_fts = has_fts(conn, SHORT_FTS_TABLE)
        self.profiles = ProfileRepo(self)
        self.sessions = SessionRepo(self)
        self.messages = MessageRepo(self)
        self.bots = BotInfoRepo(self)
        self.interrupted_at_open = 0

    @classmethod
    def open(cls, path: str | Path | None = None) -> Database:
        """Open (creating or upgrading) the history at ``path`` (default: ``paths.db_path()``)."""
        db_file = _resolve(path)
        with translated():
            conn = _connect(db_file)
        try:
            with translated():
                _check_version(conn, db_file)
                _configure(conn)
                migrate(conn, db_file)
            db = cls(conn, db_file)
            db.interrupted_at_open = db.messages.mark_interrupted()
        except BaseException:
            conn.close()
            raise
        return db

    def reader(self) -> Database:
        """The same history through a connection of its own, for reading on another thread
        (search): WAL lets it read while this one writes. An in-memory history has no second
        connection: it is itself (its lock keeps the threads apart)."""
        if self.path is None:
            return self
        return self.sibling(read_only=True)

    def sibling(self, read_only: bool = False) -> Database:
        """A second connection to this (file) history, already upgraded, for another thread."""
        if self.path is None:
            raise StorageError("An in-memory history has no second connection.", "other")
        with translated():
            conn = _connect(self.path)
            if read_only:
                conn.execute("PRAGMA query_only = ON")
                conn.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
                conn.execute(f"PRAGMA mmap_size = {READER_MMAP_BYTES}")
            else:
                _configure(conn)
        return Database(conn, self.path)

    @property
    def conn(self) -> sqlite3.Connection:
        """The raw connection, for diagnostics and tests (hold no transaction open)."""
        return self._conn

    @property
    def schema_version(self) -> int:
        with self.read() as conn:
            return user_version(conn)

    def set_busy_timeout(self, ms: int) -> None:
        """How long a statement waits for a lock held by another process before it fails."""
        with self.read() as conn:
            conn.execute(f"PRAGMA busy_timeout = {int(ms)}")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @classmethod
    def start_fresh(cls, path: Path, profiles: Sequence[Profile]) -> None:
        """Create a fresh history at ``path`` holding ``profiles`` (kept from a damaged one)."""
        with cls.open(path) as db:
            for profile in profiles:
                db.profiles.add(profile)

    def move_aside(self) -> Path:
        """Close the history and rename its file (with its WAL and shared-memory files) to
        ``<name>.damaged-<time>``, so the next open starts a fresh one; returns the new path."""
        if self.path is None:
            raise StorageError("An in-memory history has no file to move.", "other")
        self.close()
        return move_aside(self.path)

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is saved, or none of it."""
        with self._lock, translated():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                _rollback(self._conn)
                raise
            self._commit()

    def _commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error:
            _rollback(self._conn)
            raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Read access (each statement sees a consistent snapshot)."""
        with self._lock, translated():
            yield self._conn

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run a SELECT and fetch every row."""
        with self.read() as conn:
            return conn.execute(sql, params).fetchall()

    def checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the database file, as far as no reader
        needs it (``PASSIVE``: never waits)."""
        with self.read() as conn:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def integrity_check(self) -> str:
        """``"ok"`` when SQLite finds the file consistent (slow: reads everything)."""
        rows = self.query("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in rows)


def move_aside(db_file: Path) -> Path:
    """Rename ``db_file`` and its ``-wal``/``-shm`` companions out of the way (nothing deleted)."""
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = db_file.with_name(f"{db_file.name}{DAMAGED_SUFFIX}-{stamp}")
    try:
        for suffix in ("-wal", "-shm"):
            companion = db_file.with_name(db_file.name + suffix)
            if companion.exists():
                companion.replace(target.with_name(target.name + suffix))
        db_file.replace(target)
    except OSError as exc:
        raise StorageError(
            f"The chat history file could not be moved aside ({exc}); move {db_file} yourself "
            "while Coze Desktop is closed.",
            "io",
        ) from exc
    return target


def _resolve(path: str | Path | None) -> Path | None:
    if path is None:
        return paths.db_path()
    if str(path) == ":memory:":
        return None
    resolved = Path(path)
    resolved.parent.mkdir(parents=True, exist_ok=True)
    return resolved


def _connect(db_file: Path | None) -> sqlite3.Connection:
    target = ":memory:" if db_file is None else str(db_file)
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    terms.register(conn)  # the short-term search index's triggers call it
    return conn


def _check_version(conn: sqlite3.Connection, db_file: Path | None) -> None:
    """Refuse a newer schema before anything (even the journal mode) is written."""
    found = user_version(conn)
    if found > SCHEMA_VERSION:
        where = f" ({db_file})" if db_file is not None else ""
        raise StorageError(
            f"This history was written by a newer version of Coze Desktop "
            f"(schema {found} > {SCHEMA_VERSION}); update Coze Desktop to open it. "
            f"The file was not changed{where}.",
            "newer_schema",
        )


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open (SQLite may already have ended it)."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")

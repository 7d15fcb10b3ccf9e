"""The chat history database: one SQLite file in WAL mode.

``Database.open(path)`` connects, refuses a file written by a newer release
(without touching it), migrates older files (after a backup copy), and turns
rows left ``streaming`` by a crash into ``interrupted``. WAL with
``synchronous=NORMAL`` keeps every committed transaction across application
crashes at ~0.03 ms a commit. All access goes through one connection guarded by
a lock, so the repositories may be called from a worker thread too.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.storage.bots import BotInfoRepo
from desktop.storage.comparisons import ComparisonRepo
from desktop.storage.errors import StorageError, translated
from desktop.storage.messages import MessageRepo
from desktop.storage.migrations import SCHEMA_VERSION, has_fts, migrate, user_version
from desktop.storage.repos import ProfileRepo, SessionRepo

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from types import TracebackType

BUSY_TIMEOUT_MS = 5000


class Database:
    """An open chat history with ``profiles``, ``sessions`` and ``messages`` repositories."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.fts = has_fts(conn)
        self.profiles = ProfileRepo(self)
        self.sessions = SessionRepo(self)
        self.messages = MessageRepo(self)
        self.bots = BotInfoRepo(self)
        self.comparisons = ComparisonRepo(self)
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

    @property
    def conn(self) -> sqlite3.Connection:
        """The raw connection, for diagnostics and tests (hold no transaction open)."""
        return self._conn

    @property
    def schema_version(self) -> int:
        with self.read() as conn:
            return user_version(conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

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

    def integrity_check(self) -> str:
        """``"ok"`` when SQLite finds the file consistent (slow: reads everything)."""
        rows = self.query("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in rows)


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

"""Indexing the messages stored before the short-term search index existed, in the background.

The upgrade that adds the index (``migrations._v7_search_bigrams``) only records how far back
the messages go (``search_backfill.pending_to``): indexing 500,000 of them takes minutes, too
long to hold a start-up. ``Backfill`` does it afterwards on a thread of its own, through its own
connection, newest messages first, in transactions sized to about ``BUDGET_S`` (3 ms: the
window's connection waits at most 10 ms for a lock), with a pause between, and a checkpoint
after each, so that no commit of the window's has to copy the backfill's pages into the
database file. It
lowers ``pending_to`` in the same transaction, so it resumes where it stopped after a quit or a
crash. Until it is done, ``search`` looks for short terms in the messages not indexed yet with
``LIKE``, within bounds.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from desktop.storage.errors import StorageError
from desktop.storage.migrations import BACKFILL_TABLE, SHORT_FTS_TABLE, has_fts
from desktop.storage.search import pending_to
from desktop.storage.terms import SQL_FUNCTION

if TYPE_CHECKING:
    from desktop.storage.db import Database

log = logging.getLogger(__name__)

CHUNK = 50  # messages indexed per transaction at first; then sized to BUDGET_S
BUDGET_S = 0.003  # a transaction's target length: well under the window's busy timeout (10 ms)
MAX_CHUNK = 400
PAUSE_S = 0.02  # between two transactions: other writers get the lock in between

_INDEX_RANGE = (
    f"INSERT INTO {SHORT_FTS_TABLE}(rowid, terms) SELECT id, {SQL_FUNCTION}(content) "
    "FROM messages WHERE id > ? AND id <= ? AND status != 'streaming'"
)


def index_chunk(db: Database, chunk: int = CHUNK) -> int:
    """Index the ``chunk`` newest messages not indexed yet; returns what is left (``pending_to``)."""
    with db.transaction() as conn:
        top = int(conn.execute(f"SELECT pending_to FROM {BACKFILL_TABLE}").fetchone()[0])
        if top <= 0:
            return 0
        low = max(top - chunk, 0)
        conn.execute(_INDEX_RANGE, (low, top))
        conn.execute(f"UPDATE {BACKFILL_TABLE} SET pending_to = ?", (low,))
    return low


def next_chunk(chunk: int, took: float) -> int:
    """The next transaction's size: halved when one took over twice ``BUDGET_S`` (the window's
    writes wait for it: its connection gives up after 10 ms), grown while under half of it."""
    if took > 2 * BUDGET_S:
        return max(1, chunk // 2)
    if took < BUDGET_S / 2:
        return min(MAX_CHUNK, chunk * 2)
    return chunk


class Backfill:
    """Indexes ``db``'s pending messages on a background thread (``start``, ``stop``)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @staticmethod
    def needed(db: Database) -> bool:
        return db.short_fts and has_fts(db.conn, BACKFILL_TABLE) and pending_to(db) > 0

    def start(self) -> None:
        """Start indexing, if anything is pending (a file history only)."""
        if self._thread is not None or self._db.path is None or not self.needed(self._db):
            return
        self._thread = threading.Thread(target=self._run, name="coze-search-index", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the current transaction (what was indexed stays indexed)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            writer = self._db.sibling()
        except StorageError as exc:
            log.warning("search index: cannot open the history: %s", exc)
            return
        try:
            self._index_all(writer)
        finally:
            writer.close()

    def _index_all(self, writer: Database) -> None:
        start = pending_to(writer)
        log.info("search index: indexing %d older messages", start)
        left, chunk = start, CHUNK
        while left > 0 and not self._stop.is_set():
            try:
                began = time.perf_counter()
                left = index_chunk(writer, chunk)
                chunk = next_chunk(chunk, time.perf_counter() - began)
                writer.checkpoint()
            except StorageError as exc:  # locked too long, disk full: try again next start
                log.warning("search index: stopped at message %d: %s", left, exc)
                return
            self._stop.wait(PAUSE_S)
        if left == 0:
            log.info("search index: older messages indexed")

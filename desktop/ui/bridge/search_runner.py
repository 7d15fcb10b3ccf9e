"""History search off the GUI thread: each query runs on a worker thread with its own read
connection, and only the newest request's answer reaches the window.

``submit`` returns at once with a ticket; the search runs on one of ``WORKERS`` threads
(``Database.reader()``: one SQLite connection per thread, reading while the GUI thread writes,
thanks to WAL). Its answer comes back on the GUI thread (a queued signal) and is handed on as
``finished(SearchDone)`` only if no newer request was submitted meanwhile: an older, slower
query's results never replace a newer one's. Two workers, so a new query does not wait for a
stale one to finish. Nothing here is async: no event loop is needed, only Qt's.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.storage.errors import StorageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.storage.db import Database
    from desktop.storage.search import SearchResults

    Search = Callable[[Database, str, str | None], SearchResults]

log = logging.getLogger(__name__)
WORKERS = 2


@dataclass(frozen=True)
class SearchDone:
    """The answer to request ``ticket``: ``results``, or the storage ``error`` that ended it."""

    ticket: int
    query: str
    profile_id: str  # "" = all bots
    results: SearchResults | None
    error: StorageError | None = None


def _search(reader: Database, query: str, profile_id: str | None) -> SearchResults:
    return reader.sessions.search(query, profile_id)


class SearchRunner(QObject):
    """Runs ``search`` (default: ``SessionRepo.search``) for the window.

    Signals:
        finished(SearchDone)  (on the GUI thread; only the newest request's)
    """

    finished = Signal(SearchDone)
    _arrived = Signal(SearchDone)  # emitted on a worker thread, delivered on this object's

    def __init__(self, db: Database, search: Search = _search,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._db = db
        self._search = search
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="coze-search")
        self._local = threading.local()
        self._readers: list[Database] = []
        self._readers_lock = threading.Lock()
        self._ticket = 0
        self._closed = False
        self._arrived.connect(self._deliver)

    @property
    def latest(self) -> int:
        """The ticket of the newest request (0 before the first)."""
        return self._ticket

    def submit(self, query: str, profile_id: str = "") -> int:
        """Search ``query`` among the sessions of ``profile_id`` ("" = all); returns its ticket."""
        self._ticket += 1
        if not self._closed:
            self._pool.submit(self._work, self._ticket, query, profile_id)
        return self._ticket

    def close(self) -> None:
        """Wait for running searches (each is short), then close the workers' connections."""
        if self._closed:
            return
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for reader in readers:
            if reader is not self._db:
                reader.close()

    # -- on a worker thread -----------------------------------------------------------------

    def _reader(self) -> Database:
        reader: Database | None = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._db.reader()
            self._local.reader = reader
            with self._readers_lock:
                self._readers.append(reader)
        return reader

    def _work(self, ticket: int, query: str, profile_id: str) -> None:
        if ticket != self._ticket:  # a newer request came while this one waited
            return
        try:
            results = self._search(self._reader(), query, profile_id or None)
        except StorageError as exc:
            self._arrived.emit(SearchDone(ticket, query, profile_id, None, exc))
            return
        except Exception:  # a bug of ours: logged (nothing else would see it on this thread)
            log.exception("search for %r failed", query)
            return
        self._arrived.emit(SearchDone(ticket, query, profile_id, results))

    # -- on the GUI thread ------------------------------------------------------------------

    def _deliver(self, done: SearchDone) -> None:
        if done.ticket != self._ticket:
            log.debug("search %r answered after a newer one: dropped", done.query)
            return
        self.finished.emit(done)

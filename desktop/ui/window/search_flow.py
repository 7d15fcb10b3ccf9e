"""The sidebar's search, answered off the GUI thread.

While the search box holds text, ``MainWindow.refresh_sessions`` hands the query here instead
of reading the list itself: ``SearchRunner`` (``ui/bridge``) runs it on a worker thread with
its own read connection, and its answer fills the sidebar with the matching sessions, each
with the snippet of its newest matching message, the match highlighted. An answer that no
longer fits the box (the user typed on, or picked another bot) is not shown; the runner has
already dropped those overtaken by a newer request. When more messages matched than a search
reads (``storage.search.SCAN``), the status bar says so. After an upgrade it also runs the
``storage.backfill`` that indexes the older messages.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktop.ui.sidebar.rows import search_rows

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.storage.backfill import Backfill
    from desktop.ui.bridge.search_runner import SearchDone, SearchRunner
    from desktop.ui.window.host import WindowHost

log = logging.getLogger(__name__)


class SearchFlow:
    """Runs the sidebar's searches for ``host``; the runner (and its threads) is made on the
    first search, so a start-up that never searches never imports it."""

    def __init__(self, host: WindowHost, profile_filter: Callable[[], str]) -> None:
        self._host = host
        self._profile_filter = profile_filter
        self._runner: SearchRunner | None = None
        self._backfill: Backfill | None = None

    def start_indexing(self) -> None:
        """Index the messages stored before the short-term index existed, in the background
        (after an upgrade; nothing to do otherwise)."""
        from desktop.storage.backfill import Backfill

        if self._backfill is None:
            self._backfill = Backfill(self._host.db)
            self._backfill.start()

    @property
    def runner(self) -> SearchRunner:
        if self._runner is None:
            from desktop.ui.bridge.search_runner import SearchRunner

            self._runner = SearchRunner(self._host.db)
            self._runner.finished.connect(self._show)
        return self._runner

    def run(self, query: str) -> int:
        """Search the sessions of the selected bot for ``query``; returns the request's ticket."""
        return self.runner.submit(query, self._profile_filter())

    def close(self) -> None:
        if self._backfill is not None:
            self._backfill.stop()
        if self._runner is not None:
            self._runner.close()

    def _show(self, done: SearchDone) -> None:
        host = self._host
        if done.query != host.sidebar.query() or done.profile_id != self._profile_filter():
            return  # the box or the bot changed while it ran
        if done.results is None:
            log.warning("search for %r failed: %s", done.query, done.error)
            host.statusBar().showMessage(str(done.error), 8000)
            host.sidebar.set_sessions([], host.session_id)
            return
        names = {p.id: p.name for p in host.profiles()}
        host.sidebar.set_sessions(search_rows(done.results.hits, names), host.session_id)
        if done.results.indexing:
            text = QCoreApplication.translate(
                "SearchFlow",
                "Older messages are still being indexed for search; more of them are found "
                "in a few minutes.",
            )
            host.statusBar().showMessage(text, 8000)
        elif not done.results.complete:
            from desktop.storage import search  # loaded by the search that ran

            text = QCoreApplication.translate(
                "SearchFlow",
                "Showing the chats of the newest {count} matching messages; type more to narrow "
                "the search.",
            )
            host.statusBar().showMessage(text.format(count=f"{search.SCAN:,}"), 8000)

"""What a repository needs of the database: the ``Store`` protocol.

``Database`` (``db.py``) builds the repositories and satisfies this protocol; the repositories
(``repos.py``, ``messages.py``) see only these three members, so they do not import the module
that builds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from contextlib import AbstractContextManager


class Store(Protocol):
    """One SQLite history: writes in transactions, reads by query."""

    @property
    def fts(self) -> bool:
        """Whether the full-text index exists (SQLite built with FTS5)."""
        ...

    @property
    def short_fts(self) -> bool:
        """Whether the index of one- and two-character terms exists (``terms.short_terms``)."""
        ...

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]: ...

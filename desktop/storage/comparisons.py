"""Saved comparisons: one question asked of several bots side by side.

A comparison is a row linking 2-4 sessions in column order (``comparison_sessions``); each
session is a normal chat with its own Coze conversation, so a column can be opened on its own.
Deleting a session drops it from its comparisons (a comparison left with no column is deleted
too); deleting a comparison keeps its sessions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from desktop.storage.models import now

if TYPE_CHECKING:
    import builtins
    from collections.abc import Sequence

    from desktop.storage.store import Store

MAX_COLUMNS = 4


class Comparison(NamedTuple):
    """A saved comparison: its sessions in column order."""

    id: int
    title: str
    session_ids: tuple[int, ...]
    created_at: float = 0.0
    updated_at: float = 0.0


class ComparisonRepo:
    """Comparisons, newest activity first."""

    def __init__(self, db: Store) -> None:
        self._db = db

    def create(self, session_ids: Sequence[int], title: str = "") -> Comparison:
        if not 1 <= len(session_ids) <= MAX_COLUMNS:
            raise ValueError(f"a comparison has 1 to {MAX_COLUMNS} sessions")
        stamp = now()
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO comparisons (title, created_at, updated_at) VALUES (?, ?, ?)",
                (title, stamp, stamp),
            )
            assert cursor.lastrowid is not None
            comparison_id = cursor.lastrowid
            conn.executemany(
                "INSERT INTO comparison_sessions (comparison_id, position, session_id) "
                "VALUES (?, ?, ?)",
                [(comparison_id, i, sid) for i, sid in enumerate(session_ids)],
            )
        return Comparison(comparison_id, title, tuple(session_ids), stamp, stamp)

    def get(self, comparison_id: int) -> Comparison | None:
        rows = self._db.query(
            "SELECT id, title, created_at, updated_at FROM comparisons WHERE id = ?",
            (comparison_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return Comparison(row[0], row[1], self._sessions(row[0]), row[2], row[3])

    def _sessions(self, comparison_id: int) -> tuple[int, ...]:
        rows = self._db.query(
            "SELECT session_id FROM comparison_sessions WHERE comparison_id = ? ORDER BY position",
            (comparison_id,),
        )
        return tuple(int(row[0]) for row in rows)

    def list(self) -> list[Comparison]:
        """Every comparison that still has a column, most recently active first."""
        rows = self._db.query(
            "SELECT id, title, created_at, updated_at FROM comparisons "
            "ORDER BY updated_at DESC, id DESC"
        )
        found = [Comparison(row[0], row[1], self._sessions(row[0]), row[2], row[3]) for row in rows]
        return [comparison for comparison in found if comparison.session_ids]

    def of_session(self, session_id: int) -> builtins.list[int]:
        """The comparisons a session is a column of."""
        rows = self._db.query(
            "SELECT comparison_id FROM comparison_sessions WHERE session_id = ?", (session_id,)
        )
        return [int(row[0]) for row in rows]

    def rename(self, comparison_id: int, title: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("UPDATE comparisons SET title = ? WHERE id = ?", (title, comparison_id))

    def touch(self, comparison_id: int) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE comparisons SET updated_at = ? WHERE id = ?", (now(), comparison_id)
            )

    def delete(self, comparison_id: int) -> bool:
        """Forget the comparison (its sessions stay, as normal chats)."""
        with self._db.transaction() as conn:
            cursor = conn.execute("DELETE FROM comparisons WHERE id = ?", (comparison_id,))
        return cursor.rowcount > 0

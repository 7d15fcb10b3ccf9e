"""The message repository: chat messages, including answers still streaming.

An answer is inserted with ``status='streaming'`` when its stream starts and
updated (throttled by the caller) as text arrives; every update is a single
transaction, so after a crash the row holds the text of the last update.
``mark_interrupted`` (run at open) turns such leftovers into ``interrupted``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.storage.models import (
    KINDS,
    MESSAGE_MUTABLE_FIELDS,
    ROLES,
    STATUSES,
    StoredMessage,
    column_list,
    from_json,
    now,
    row_reader,
    to_json,
)

if TYPE_CHECKING:
    import builtins
    from collections.abc import Iterable, Mapping
    from types import ModuleType

    from desktop.storage.store import Store

_COLUMNS = column_list(StoredMessage)
_INSERT_COLUMNS = ("session_id", *MESSAGE_MUTABLE_FIELDS, "created_at")
_INSERT_SQL = (
    f"INSERT INTO messages ({', '.join(_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _INSERT_COLUMNS)})"
)
_JSON_FIELDS = {"tools": list, "follow_ups": list, "usage": None, "error": None,
                "attachments": list}  # fmt: skip
_CHOICES = {"role": ROLES, "kind": KINDS, "status": STATUSES}
# What an insert stores for the fields it is not given (role and kind are always given).
_BLANK = StoredMessage()
_DEFAULTS: dict[str, Any] = {
    name: getattr(_BLANK, name) for name in MESSAGE_MUTABLE_FIELDS if name not in ("role", "kind")
}


def _parts() -> ModuleType:
    from desktop.storage import parts  # with the first row, not for the first frame

    return parts


_row_to_message = row_reader(
    StoredMessage,
    {
        "tools": lambda text: _parts().tools_from_json(text),
        "follow_ups": lambda text: from_json(text, []),
        "usage": lambda text: _parts().usage_from_json(text),
        "error": lambda text: _parts().error_from_json(text),
        "attachments": lambda text: _parts().attachments_from_json(text),
    },
)


def _check(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(MESSAGE_MUTABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown message field(s): {', '.join(sorted(unknown))}")
    for name, choices in _CHOICES.items():
        if name in fields and fields[name] not in choices:
            raise ValueError(f"{name} must be one of {', '.join(choices)} (got {fields[name]!r})")


def _column_value(name: str, value: Any) -> Any:
    if name == "follow_ups":
        return to_json(list(value))
    if name in _JSON_FIELDS:
        return _parts().to_json(list(value) if _JSON_FIELDS[name] is list else value)
    return value


def _insert_params(session_id: int, created_at: float, fields: Mapping[str, Any]) -> list[Any]:
    merged = {**_DEFAULTS, **fields}
    values = [_column_value(name, merged[name]) for name in MESSAGE_MUTABLE_FIELDS]
    return [session_id, *values, created_at]


def message_fields(message: StoredMessage) -> dict[str, Any]:
    """The mutable fields of ``message`` as keyword arguments for ``add``/``update``."""
    return {name: getattr(message, name) for name in MESSAGE_MUTABLE_FIELDS}


class MessageRepo:
    """Messages of a session, in chronological (id) order."""

    def __init__(self, db: Store) -> None:
        self._db = db

    def add(
        self,
        session_id: int,
        role: str,
        kind: str,
        content: str = "",
        *,
        created_at: float | None = None,
        **fields: Any,
    ) -> StoredMessage:
        """Insert one message and mark its session active; returns the stored row."""
        fields = {"role": role, "kind": kind, "content": content, **fields}
        _check(fields)
        stamp = now() if created_at is None else created_at
        with self._db.transaction() as conn:
            cursor = conn.execute(_INSERT_SQL, _insert_params(session_id, stamp, fields))
            conn.execute(
                "UPDATE sessions SET updated_at = max(updated_at, ?) WHERE id = ?",
                (stamp, session_id),
            )
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM messages WHERE id = ?", (cursor.lastrowid,)
            ).fetchone()
        return _row_to_message(row)

    def add_message(self, message: StoredMessage) -> StoredMessage:
        """Insert a ``StoredMessage`` built elsewhere (its ``id`` is ignored)."""
        created = message.created_at or None
        return self.add(message.session_id, created_at=created, **message_fields(message))

    def add_many(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Bulk insert in one transaction (imports, benchmarks); returns the row count.

        Each row needs ``session_id``, ``role`` and ``kind``; other fields default.
        Sessions are marked active up to their newest inserted message.
        """
        params: list[list[Any]] = []
        latest: dict[int, float] = {}
        for row in rows:
            fields = {k: v for k, v in row.items() if k not in ("session_id", "created_at")}
            _check(fields)
            stamp = float(row.get("created_at") or now())
            params.append(_insert_params(int(row["session_id"]), stamp, fields))
            latest[int(row["session_id"])] = max(stamp, latest.get(int(row["session_id"]), 0.0))
        with self._db.transaction() as conn:
            conn.executemany(_INSERT_SQL, params)
            conn.executemany(
                "UPDATE sessions SET updated_at = max(updated_at, ?) WHERE id = ?",
                [(stamp, sid) for sid, stamp in latest.items()],
            )
        return len(params)

    def update(self, message_id: int, **fields: Any) -> None:
        """Change some fields of one message in a single transaction."""
        if not fields:
            return
        _check(fields)
        assignments = ", ".join(f"{name} = ?" for name in fields)
        values = [_column_value(name, value) for name, value in fields.items()]
        with self._db.transaction() as conn:
            conn.execute(f"UPDATE messages SET {assignments} WHERE id = ?", (*values, message_id))

    def replace(self, message: StoredMessage) -> None:
        """Save every mutable field of ``message`` (e.g. a streaming snapshot) by its id."""
        self.update(message.id, **message_fields(message))

    def get(self, message_id: int) -> StoredMessage | None:
        rows = self._db.query(f"SELECT {_COLUMNS} FROM messages WHERE id = ?", (message_id,))
        return _row_to_message(rows[0]) if rows else None

    def list(
        self, session_id: int, limit: int | None = None, before_id: int | None = None
    ) -> list[StoredMessage]:
        """Messages in chronological order: all, or the latest ``limit`` before ``before_id``."""
        sql = f"SELECT {_COLUMNS} FROM messages WHERE session_id = ?"
        params: list[Any] = [session_id]
        if before_id is not None:
            sql += " AND id < ?"
            params.append(before_id)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self._db.query(sql, params)
        return [_row_to_message(row) for row in reversed(rows)]

    def readable(self, session_id: int) -> tuple[builtins.list[StoredMessage], int]:
        """The session's messages that can still be read from a damaged file, one row at a time
        (a damaged page spoils only the rows on it), and how many could not be read."""
        from desktop.storage.errors import StorageError

        ids = self._db.query(
            "SELECT id FROM messages WHERE session_id = ? ORDER BY id", (session_id,)
        )
        kept: builtins.list[StoredMessage] = []
        for row in ids:
            try:
                message = self.get(int(row[0]))
            except StorageError:
                continue
            if message is not None:
                kept.append(message)
        return kept, len(ids) - len(kept)

    def find_latest(
        self, session_id: int, *, log_id: str = "", question: bool = False, up_to: int | None = None
    ) -> StoredMessage | None:
        """The newest message of the session (with ``log_id``; a user question; id <= ``up_to``)."""
        sql = f"SELECT {_COLUMNS} FROM messages WHERE session_id = ?"
        params: list[Any] = [session_id]
        if log_id:
            sql += " AND log_id = ?"
            params.append(log_id)
        if question:
            sql += " AND role = 'user' AND kind = 'question'"
        if up_to is not None:
            sql += " AND id <= ?"
            params.append(up_to)
        rows = self._db.query(sql + " ORDER BY id DESC LIMIT 1", params)
        return _row_to_message(rows[0]) if rows else None

    def server_keys(self, session_id: int) -> tuple[set[str], set[tuple[str, str]]]:
        """What the session already holds of its server conversation: the server message ids
        of imported rows, and ``(chat_id, role)`` of the rows sent from this machine (they carry
        the chat id, not the message id)."""
        rows = self._db.query(
            "SELECT server_id, chat_id, role FROM messages WHERE session_id = ? "
            "AND (server_id != '' OR chat_id != '')",
            (session_id,),
        )
        server_ids = {str(r[0]) for r in rows if r[0]}
        turns = {(str(r[1]), str(r[2])) for r in rows if r[1] and not r[0]}
        return server_ids, turns

    def last_kind(self, session_id: int) -> str | None:
        """The kind of the session's newest message ("question", "divider"…; None: empty).
        Reads one column: cheap enough for every repaint of the window's chrome."""
        rows = self._db.query(
            "SELECT kind FROM messages WHERE session_id = ? ORDER BY id DESC LIMIT 1",
            (session_id,),
        )
        return str(rows[0][0]) if rows else None

    def count(self, session_id: int) -> int:
        rows = self._db.query("SELECT count(*) FROM messages WHERE session_id = ?", (session_id,))
        return int(rows[0][0])

    def delete(self, message_id: int) -> bool:
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM messages WHERE id = ?", (message_id,)).rowcount > 0

    def delete_from(self, session_id: int, message_id: int) -> int:
        """Delete ``message_id`` and every later message of the session (edit/regenerate)."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM messages WHERE session_id = ? AND id >= ?", (session_id, message_id)
            )
            return cursor.rowcount

    def mark_interrupted(self) -> int:
        """Turn rows left ``streaming`` (by a crash or a kill) into ``interrupted``."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'"
            )
            return cursor.rowcount

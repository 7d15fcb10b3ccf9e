"""Profile and session repositories (SQL in, dataclasses out)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from desktop.storage.errors import StorageError
from desktop.storage.models import (
    REGIONS,
    SESSION_COLUMNS,
    SESSION_ORDER,
    Profile,
    Session,
    column_list,
    from_json,
    now,
    row_reader,
    row_to_session,
    to_json,
)

if TYPE_CHECKING:
    import builtins
    from collections.abc import Sequence

    from desktop.storage.search import SearchResults
    from desktop.storage.store import Store

_PROFILE_COLUMNS = column_list(Profile)


_row_to_profile = row_reader(
    Profile,
    {
        "stream": bool,
        "auto_save_history": bool,
        "custom_variables": lambda text: from_json(text, {}),
        "parameters": lambda text: _object(from_json(text, {})),
        "local_tools": lambda text: {
            str(k): str(v) for k, v in _object(from_json(text, {})).items()
        },
        "auto_local_tools": bool,
    },
)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# What add/update write, in the order of ``_profile_params`` (the id last, for ``WHERE id = ?``).
_PROFILE_WRITTEN = (
    "name",
    "region",
    "base_url",
    "bot_id",
    "user_id",
    "stream",
    "auto_save_history",
    "custom_variables",
    "workflow_id",
    "app_id",
    "parameters",
    "local_tools",
    "auto_local_tools",
    "updated_at",
)
_PROFILE_INSERT = (
    f"INSERT INTO profiles ({', '.join(_PROFILE_WRITTEN)}, id, created_at) "
    f"VALUES ({', '.join('?' for _ in _PROFILE_WRITTEN)}, ?, ?)"
)
_PROFILE_UPDATE = (
    f"UPDATE profiles SET {', '.join(f'{name} = ?' for name in _PROFILE_WRITTEN)} WHERE id = ?"
)


def _profile_params(p: Profile) -> tuple[Any, ...]:
    return (
        p.name,
        p.region,
        p.base_url,
        p.bot_id,
        p.user_id,
        int(p.stream),
        int(p.auto_save_history),
        to_json(p.custom_variables),
        p.workflow_id,
        p.app_id,
        to_json(p.parameters),
        to_json(p.local_tools),
        int(p.auto_local_tools),
        p.updated_at,
        p.id,
    )


def _validate_profile(p: Profile) -> None:
    if not p.name.strip():
        raise ValueError("A profile needs a name")
    if p.region not in REGIONS:
        raise ValueError(f"region must be one of {', '.join(REGIONS)} (got {p.region!r})")
    if p.region == "custom" and not p.base_url.strip():
        raise ValueError("A custom-region profile needs a base URL")


def _name_taken(p: Profile, exc: StorageError) -> StorageError:
    if exc.kind == "constraint" and "name" in str(exc):
        return StorageError(f"A profile named {p.name!r} already exists.", "constraint")
    return exc


class ProfileRepo:
    """Bot profiles. Tokens are not here: they live in the keyring under ``Profile.id``."""

    def __init__(self, db: Store) -> None:
        self._db = db

    def add(self, profile: Profile) -> Profile:
        """Insert ``profile`` (timestamps set now) and return the stored copy."""
        _validate_profile(profile)
        stamp = now()
        stored = dataclasses.replace(profile, created_at=stamp, updated_at=stamp)
        try:
            with self._db.transaction() as conn:
                conn.execute(_PROFILE_INSERT, (*_profile_params(stored), stamp))
        except StorageError as exc:
            raise _name_taken(profile, exc) from exc
        return stored

    def update(self, profile: Profile) -> Profile:
        """Save every field of an existing profile; returns it with ``updated_at`` bumped."""
        _validate_profile(profile)
        stored = dataclasses.replace(profile, updated_at=now())
        try:
            with self._db.transaction() as conn:
                changed = conn.execute(_PROFILE_UPDATE, _profile_params(stored)).rowcount
        except StorageError as exc:
            raise _name_taken(profile, exc) from exc
        if not changed:
            raise StorageError(f"Profile {profile.name!r} no longer exists.", "not_found")
        return stored

    def get(self, profile_id: str) -> Profile | None:
        rows = self._db.query(
            f"SELECT {_PROFILE_COLUMNS} FROM profiles WHERE id = ?", (profile_id,)
        )
        return _row_to_profile(rows[0]) if rows else None

    def by_name(self, name: str) -> Profile | None:
        """Exact name first, else a case-insensitive match."""
        rows = self._db.query(
            f"SELECT {_PROFILE_COLUMNS} FROM profiles WHERE name = ? OR lower(name) = lower(?) "
            "ORDER BY name = ? DESC LIMIT 1",
            (name, name, name),
        )
        return _row_to_profile(rows[0]) if rows else None

    def list(self) -> list[Profile]:
        """All profiles by name."""
        rows = self._db.query(f"SELECT {_PROFILE_COLUMNS} FROM profiles ORDER BY lower(name), id")
        return [_row_to_profile(row) for row in rows]

    def delete(self, profile_id: str) -> bool:
        """Delete a profile with its sessions and messages; False if it was not there."""
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM profiles WHERE id = ?", (profile_id,)).rowcount > 0


# A chat nobody wrote in: no message, no draft, no title of its own, not pinned.
_UNTOUCHED = (
    "s.pinned = 0 AND s.title = '' AND s.draft = '' "
    "AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id)"
)


class SessionRepo:
    """Chat sessions, listed pinned first, then most recently active first."""

    def __init__(self, db: Store) -> None:
        self._db = db

    def create(self, profile_id: str, title: str = "", conversation_id: str = "") -> Session:
        stamp = now()
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (profile_id, conversation_id, title, pinned, created_at, "
                "updated_at) VALUES (?, ?, ?, 0, ?, ?)",
                (profile_id, conversation_id, title, stamp, stamp),
            )
        assert cursor.lastrowid is not None
        return Session(cursor.lastrowid, profile_id, conversation_id, title, False, stamp, stamp)

    def get(self, session_id: int) -> Session | None:
        rows = self._db.query(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        return row_to_session(rows[0]) if rows else None

    def list(
        self, profile_id: str | None = None, query: str = "", limit: int | None = None,
        offset: int = 0,
    ) -> list[Session]:  # fmt: skip
        """Sessions (of one profile, or all) whose title or messages contain ``query``, pinned
        first, newest first; at most ``limit`` of them, after skipping the first ``offset``."""
        clauses: list[str] = []
        params: list[Any] = []
        if profile_id is not None:
            clauses.append("s.profile_id = ?")
            params.append(profile_id)
        if query.strip():
            clause, search_params = self._search_clause(query.strip())
            clauses.append(clause)
            params.extend(search_params)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT {SESSION_COLUMNS} FROM sessions s {where} {SESSION_ORDER}"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params.extend([-1 if limit is None else limit, offset])
        return [row_to_session(row) for row in self._db.query(sql, params)]

    def _search_clause(self, query: str) -> tuple[str, builtins.list[Any]]:
        from desktop.storage import search  # with the first search, not for the first frame

        title = "s.title LIKE ? ESCAPE '\\'"
        body, params = search.message_clause(self._db, query)
        return f"({title} OR {body})", [search.like_pattern(query), *params]

    def search(self, query: str, profile_id: str | None = None) -> SearchResults:
        """Sessions matching ``query`` with a snippet of their newest matching message, in
        list order, found in a bounded time (see ``desktop.storage.search``). Its module (four
        record classes) loads with the first search, not on the way to the first frame."""
        from desktop.storage import search

        return search.search(self._db, query, profile_id)

    def count(self, profile_id: str | None = None) -> int:
        if profile_id is None:
            rows = self._db.query("SELECT count(*) FROM sessions")
        else:
            rows = self._db.query(
                "SELECT count(*) FROM sessions WHERE profile_id = ?", (profile_id,)
            )
        return int(rows[0][0])

    def rename(self, session_id: int, title: str) -> None:
        self._set(session_id, "title", title)

    def set_pinned(self, session_id: int, pinned: bool) -> None:
        self._set(session_id, "pinned", int(pinned))

    def set_conversation_id(self, session_id: int, conversation_id: str) -> None:
        self._set(session_id, "conversation_id", conversation_id)

    def bind_conversation(
        self, session_id: int, conversation_id: str, chat_id: str, message_ids: Sequence[int]
    ) -> None:
        """The server announced the turn's conversation (``conversation.chat.created``): store
        it on the session and the chat id on the turn's question and answer rows, in one
        transaction, so no crash can leave a session that had a turn without its conversation."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE sessions SET conversation_id = ? WHERE id = ?",
                (conversation_id, session_id),
            )
            if chat_id:
                conn.executemany(
                    "UPDATE messages SET chat_id = ? WHERE id = ? AND session_id = ?",
                    [(chat_id, message_id, session_id) for message_id in message_ids],
                )

    def by_conversation(self, profile_id: str) -> dict[str, int]:
        """The profile's sessions bound to a server conversation: conversation id -> session id
        (the oldest session when several share one)."""
        rows = self._db.query(
            "SELECT conversation_id, id FROM sessions WHERE profile_id = ? "
            "AND conversation_id != '' ORDER BY id DESC",
            (profile_id,),
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def had_turns(self, session_id: int) -> bool:
        """Whether the server has answered in this session (an answer row with a chat id)."""
        rows = self._db.query(
            "SELECT 1 FROM messages WHERE session_id = ? AND chat_id != '' LIMIT 1",
            (session_id,),
        )
        return bool(rows)

    def find_empty(self, profile_id: str) -> Session | None:
        """The newest untouched chat of the profile (no messages, no draft, no title, not
        pinned): "New chat" reuses it instead of adding another empty row."""
        rows = self._db.query(
            f"SELECT {SESSION_COLUMNS} FROM sessions s "
            f"WHERE s.profile_id = ? AND {_UNTOUCHED}"
            " ORDER BY s.updated_at DESC, s.id DESC LIMIT 1",
            (profile_id,),
        )
        return row_to_session(rows[0]) if rows else None

    def is_untouched(self, session_id: int) -> bool:
        """Whether nobody wrote in the chat (see ``find_empty``; False when it does not exist)."""
        rows = self._db.query(
            f"SELECT 1 FROM sessions s WHERE s.id = ? AND {_UNTOUCHED}", (session_id,)
        )
        return bool(rows)

    def delete_untouched(self, keep: int | None = None) -> int:
        """Delete the chats nobody wrote in (see ``find_empty``), except ``keep``; how many."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                f"DELETE FROM sessions AS s WHERE {_UNTOUCHED} AND s.id IS NOT ?", (keep,)
            )
            return cursor.rowcount

    def draft(self, session_id: int) -> str:
        """The composer's unsent text of the session ("" when none)."""
        rows = self._db.query("SELECT draft FROM sessions WHERE id = ?", (session_id,))
        return str(rows[0][0]) if rows else ""

    def set_draft(self, session_id: int, text: str) -> None:
        """Keep the composer's unsent text (not a change of activity: the order stays)."""
        self._set(session_id, "draft", text)

    def touch(self, session_id: int, at: float | None = None) -> None:
        """Mark the session active now (moves it up the list)."""
        self._set(session_id, "updated_at", now() if at is None else at)

    def delete(self, session_id: int) -> bool:
        """Delete a session and its messages; False if it was not there."""
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount > 0

    def _set(self, session_id: int, column: str, value: Any) -> None:
        with self._db.transaction() as conn:
            conn.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (value, session_id))

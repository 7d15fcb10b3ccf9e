"""The bot-info cache: what ``GET /v1/bots/{id}`` last said about each profile's bot.

One row per profile (deleted with it): the bot's name, description, avatar (its URL and the file
it was saved to), prologue and suggested questions, when they were fetched, and the last error
of a refresh (kept beside the last good answer, for the doctor). Read at start-up, before any
network, so the window shows the bot's face at once (a named tuple: first-frame rule 3).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, NamedTuple

from desktop.storage.models import now

if TYPE_CHECKING:
    from desktop.storage.store import Store


class BotCard(NamedTuple):
    """The cached face of a profile's bot (``fetched_at`` 0: never fetched)."""

    profile_id: str
    bot_id: str = ""
    name: str = ""
    description: str = ""
    icon_url: str = ""
    icon_file: str = ""  # the avatar saved on disk ("" while not fetched)
    prologue: str = ""
    suggested_questions: tuple[str, ...] = ()
    fetched_at: float = 0.0
    error: str = ""  # why the last refresh failed ("" when it worked)
    error_at: float = 0.0


_COLUMNS = ", ".join(BotCard._fields)


def _questions(text: str) -> tuple[str, ...]:
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(q) for q in value if q) if isinstance(value, list) else ()


class BotInfoRepo:
    """Bot cards by profile id."""

    def __init__(self, db: Store) -> None:
        self._db = db

    def get(self, profile_id: str) -> BotCard | None:
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM bot_info WHERE profile_id = ?", (profile_id,)
        )
        if not rows:
            return None
        values = dict(zip(BotCard._fields, tuple(rows[0]), strict=True))
        values["suggested_questions"] = _questions(values["suggested_questions"])
        return BotCard(**values)

    def save(self, card: BotCard) -> BotCard:
        """Store a successful fetch (``fetched_at`` now, the error cleared)."""
        stored = card._replace(fetched_at=now(), error="", error_at=0.0)
        values = list(stored)
        values[BotCard._fields.index("suggested_questions")] = json.dumps(
            list(stored.suggested_questions), ensure_ascii=False
        )
        marks = ", ".join("?" for _ in values)
        with self._db.transaction() as conn:  # nothing when the profile was deleted meanwhile
            conn.execute(
                f"INSERT OR REPLACE INTO bot_info ({_COLUMNS}) SELECT {marks} "
                "WHERE EXISTS (SELECT 1 FROM profiles WHERE id = ?)",
                (*values, stored.profile_id),
            )
        return stored

    def fail(self, profile_id: str, bot_id: str, error: str) -> BotCard:
        """Note why a refresh failed; the last good answer (if any) stays."""
        stamp = now()
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO bot_info (profile_id, bot_id, error, error_at) SELECT ?, ?, ?, ? "
                "WHERE EXISTS (SELECT 1 FROM profiles WHERE id = ?) "
                "ON CONFLICT(profile_id) DO UPDATE SET error = excluded.error, "
                "error_at = excluded.error_at",
                (profile_id, bot_id, error, stamp, profile_id),
            )
        card = self.get(profile_id)  # None: the profile was deleted meanwhile
        return card or BotCard(profile_id, bot_id, error=error, error_at=stamp)

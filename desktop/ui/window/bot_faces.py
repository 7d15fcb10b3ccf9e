"""The bot's face in the window: the cached card of a profile's bot, read from the database.

The card (``db.bots``, filled by the controller's background refresh) gives the header, the
profile picker and the empty chat the bot's own name, avatar, prologue and suggested questions.
It is read before the first frame, without any network: a card for another bot id (the profile
was edited) or one never fetched is ignored, and the window shows the profile's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.ui.sidebar.panel import ProfileChoice

if TYPE_CHECKING:
    from desktop.storage import Database, Profile
    from desktop.storage.bots import BotCard


def card_for(db: Database, profile: Profile | None) -> BotCard | None:
    """The cached face of ``profile``'s bot, or None when there is no usable one."""
    if profile is None:
        return None
    card = db.bots.get(profile.id)
    if card is None or card.bot_id != profile.bot_id or not card.fetched_at:
        return None
    return card


def failure_of(db: Database, profile: Profile | None) -> str:
    """Why the last refresh of ``profile``'s bot info failed ("" when it did not)."""
    if profile is None:
        return ""
    card = db.bots.get(profile.id)
    return card.error if card is not None and card.bot_id == profile.bot_id else ""


def choices(db: Database, profiles: list[Profile]) -> list[ProfileChoice]:
    """The profile picker's entries, with each bot's avatar and own name where known."""
    made = []
    for profile in profiles:
        card = card_for(db, profile)
        if card is None:
            made.append(ProfileChoice(profile.id, profile.name))
            continue
        tip = "\n".join(part for part in (card.name, card.description) if part)
        made.append(ProfileChoice(profile.id, profile.name, card.icon_file, tip))
    return made

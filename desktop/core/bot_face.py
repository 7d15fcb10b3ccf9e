"""The bot's own face: name, description, avatar, prologue and suggested questions.

:func:`refresh` asks ``GET /v1/bots/{bot_id}`` and stores the answer in the bot-info cache
(``db.bots``); the avatar (``icon_url``) is fetched once, without the token, into the icons
directory, and fetched again only when its URL changes or its file is gone. A failure (an
unpublished bot, a wrong region, no network) keeps the last good card and records why, for the
doctor: the window then falls back to the profile's name and shows no dialog.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop.api import errors
from desktop.settings import atomic_write_bytes
from desktop.storage.bots import BotCard

if TYPE_CHECKING:
    from desktop.api.client import CozeClient
    from desktop.api.models import BotInfo
    from desktop.storage import Database, Profile

log = logging.getLogger(__name__)

_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")


def card_from(profile: Profile, info: BotInfo, icon_file: str = "") -> BotCard:
    return BotCard(
        profile_id=profile.id,
        bot_id=info.id or profile.bot_id,
        name=info.name,
        description=info.description,
        icon_url=info.icon_url,
        icon_file=icon_file,
        prologue=info.prologue,
        suggested_questions=info.suggested_questions,
    )


def icon_name(profile_id: str, url: str) -> str:
    """The avatar's file name: one per profile and URL (a new URL is a new file)."""
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return f"{profile_id}-{digest}{suffix if suffix in _IMAGE_SUFFIXES else '.img'}"


async def refresh(client: CozeClient, db: Database, profile: Profile, icons: Path) -> BotCard:
    """Fetch the bot's info (and avatar when new) and cache it; on failure record the error
    and return the cached card (with ``error`` set). Never raises a Coze or network error."""
    try:
        info = await client.get_bot(profile.bot_id)
    except errors.CozeError as exc:
        log.info("bot info of profile %s not refreshed: %s", profile.id, exc)
        return db.bots.fail(profile.id, profile.bot_id, exc.summary())
    cached = db.bots.get(profile.id)
    icon_file = await _icon(client, profile, info.icon_url, cached, icons)
    return db.bots.save(card_from(profile, info, icon_file))


async def _icon(
    client: CozeClient, profile: Profile, url: str, cached: BotCard | None, icons: Path
) -> str:
    """The avatar's file: the cached one when the URL is unchanged, else fetched now ("" when
    there is none or it cannot be fetched: the window then draws the bot's initial)."""
    if not url:
        return ""
    kept = _kept_icon(cached, url)
    if kept:
        return kept
    try:
        data = await client.fetch_icon(url)
    except errors.CozeError as exc:
        log.info("avatar of profile %s not fetched: %s", profile.id, exc)
        return ""
    return _store_icon(icons / icon_name(profile.id, url), data, cached)


def _kept_icon(cached: BotCard | None, url: str) -> str:
    """The cached avatar's file when it is still the one at ``url`` and still on disk."""
    if cached is None or cached.icon_url != url or not cached.icon_file:
        return ""
    return cached.icon_file if Path(cached.icon_file).is_file() else ""


def _store_icon(target: Path, data: bytes, cached: BotCard | None) -> str:
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        log.info("avatar not saved to %s: %s", target.name, exc)
        return ""
    if cached is not None and cached.icon_file and cached.icon_file != str(target):
        Path(cached.icon_file).unlink(missing_ok=True)  # the previous avatar
    return str(target)

"""``coze-desktop bot``: what the server says about a bot (``GET /v1/bots/{bot_id}``).

Prints the bot's name, description, avatar URL, prologue and suggested questions (``--json``:
one object). For a saved profile the answer also refreshes the window's cache (the avatar is
fetched once), so the app shows the bot's face even when it next starts offline. Exit status 1
when the server refuses (an unpublished bot, a wrong region or token).
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.api import errors
from desktop.cli import common as c
from desktop.core import bot_face

if TYPE_CHECKING:
    import argparse

    from desktop.storage import Database
    from desktop.storage.bots import BotCard


def add_parser(sub: Any) -> None:
    p = sub.add_parser("bot", help="show the bot's name, avatar, prologue and suggested questions")
    c.add_target_options(p)
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, lang: str) -> int:
    with c.demo_target(args, lang) as demo:
        if demo is not None:
            with c.open_db(":memory:") as db:
                return c.run_async(_show(demo, db, args.json, lang))
        with c.open_db(":memory:" if args.base_url else None) as db:
            target = c.resolve_target(args, db, lang)
            return c.run_async(_show(target, db, args.json, lang))


async def _show(target: c.Target, db: Database, as_json: bool, lang: str) -> int:
    profile = target.profile
    token = c.require_token(target, lang)
    async with c.make_client(profile.api_base_url, token, context={"bot": "1"}) as client:
        if target.stored:
            card = await bot_face.refresh(client, db, profile, paths.icons_dir())
            if card.error:
                raise c.CliError(card.error, c.EXIT_FAILED)
        else:
            try:
                info = await client.get_bot(profile.bot_id)
            except errors.CozeError as exc:
                raise c.CliError(exc.describe(lang), c.EXIT_FAILED) from exc
            card = bot_face.card_from(profile, info)
    sys.stdout.write(_render(card, as_json, lang) + "\n")
    return c.EXIT_OK


def card_json(card: BotCard) -> dict[str, Any]:
    return {
        "bot_id": card.bot_id,
        "name": card.name,
        "description": card.description,
        "icon_url": card.icon_url,
        "icon_file": card.icon_file,
        "prologue": card.prologue,
        "suggested_questions": list(card.suggested_questions),
    }


def _render(card: BotCard, as_json: bool, lang: str) -> str:
    if as_json:
        return json.dumps(card_json(card), ensure_ascii=False)
    lines = [f"{card.name or '-'}  ({c.t(lang, 'bot', '智能体')} {card.bot_id})"]
    if card.description:
        lines.append(card.description)
    if card.icon_url:
        lines.append(c.t(lang, f"Avatar: {card.icon_url}", f"头像：{card.icon_url}"))
    if card.prologue:
        lines += ["", c.t(lang, "Prologue:", "开场白："), card.prologue]
    if card.suggested_questions:
        lines += ["", c.t(lang, "Suggested questions:", "推荐问题：")]
        lines += [f"  - {q}" for q in card.suggested_questions]
    return "\n".join(lines)

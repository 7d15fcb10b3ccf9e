"""``coze-desktop conversations`` and ``coze-desktop import``: the bot's conversations on the
Coze server, and bringing them into the local history.

``conversations`` prints one line per server conversation, newest first: its id, created time,
whether a local session already holds it, and its title (``--json``: one object a line).
``import --conversation ID`` (repeatable) or ``import --all`` stores their messages in the
user's history — again later, it brings only what is new — so ``export`` holds them. With
``--base-url URL --bot-id ID`` the sessions go to the saved profile of that bot (one is made
when there is none). Progress goes to stderr; Ctrl+C or a failure keeps what was imported.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from desktop.cli import common as c
from desktop.core import conversations as cv

if TYPE_CHECKING:
    import argparse

    from desktop.api.client import CozeClient
    from desktop.storage import Database, Profile


def add_parsers(sub: Any) -> None:
    ls = sub.add_parser("conversations", help="list the bot's conversations on the Coze server")
    c.add_target_options(ls)
    ls.add_argument("--json", action="store_true", help="one JSON object per conversation")
    ls.set_defaults(func=run_list)
    im = sub.add_parser("import", help="import conversations from the Coze server")
    c.add_target_options(im)
    which = im.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--conversation", action="append", metavar="ID", help="a conversation id (repeatable)"
    )
    which.add_argument("--all", action="store_true", help="every conversation of the bot")
    im.set_defaults(func=run_import)


def _no_demo(args: argparse.Namespace, lang: str) -> None:
    if getattr(args, "demo", False):
        raise c.CliError(
            c.t(
                lang,
                "--demo keeps nothing on a server between runs: use --profile, or --base-url "
                "and --bot-id of a running 'coze-desktop simulator'.",
                "--demo 在两次运行之间不会在服务器上保留任何内容：请使用 --profile，"
                "或正在运行的 'coze-desktop simulator' 的 --base-url 和 --bot-id。",
            )
        )


def run_list(args: argparse.Namespace, lang: str) -> int:
    _no_demo(args, lang)
    with c.open_db() as db:
        target = c.resolve_target(args, db, lang)
        profile = _stored_profile(db, target, create=False) or target.profile
        token = c.require_token(target, lang)
        return c.run_async(_list(profile, token, db, lang, as_json=args.json))


async def _list(profile: Profile, token: str, db: Database, lang: str, *, as_json: bool) -> int:
    async with _client(profile, token) as client:
        items = await cv.list_conversations(client, db, profile)
    for item in items:
        sys.stdout.write(_line(item, lang, as_json=as_json) + "\n")
    if not items and not as_json:
        c.say(
            lang, "The server has no conversations with this bot.", "服务器上没有与该智能体的会话。"
        )
    return c.EXIT_OK


def _line(item: cv.ServerConversation, lang: str, *, as_json: bool) -> str:
    created = (
        time.strftime("%Y-%m-%d %H:%M", time.localtime(item.created_at)) if item.created_at else "-"
    )
    if as_json:
        record = {"id": item.id, "created_at": item.created_at, "created": created,
                  "title": item.title, "local_session": item.session_id}  # fmt: skip
        return json.dumps(record, ensure_ascii=False)
    local = (
        c.t(lang, f"local #{item.session_id}", f"本地 #{item.session_id}") if item.local else "-"
    )
    title = item.title or c.t(lang, "(untitled)", "（无标题）")
    return f"{item.id}  {created}  {local:<10}  {title}"


def run_import(args: argparse.Namespace, lang: str) -> int:
    _no_demo(args, lang)
    with c.open_db() as db:
        target = c.resolve_target(args, db, lang)
        token = c.require_token(target, lang)
        profile = _stored_profile(db, target, create=True, lang=lang)
        assert profile is not None
        return c.run_async(_import(profile, token, db, args.conversation, lang))


async def _import(
    profile: Profile, token: str, db: Database, ids: list[str] | None, lang: str
) -> int:
    async with _client(profile, token) as client:
        items = await _chosen(client, db, profile, ids)
        summary = await cv.import_all(
            client, db, profile, items, on_progress=lambda p: _progress(p, lang)
        )
    return _report(summary, lang)


async def _chosen(
    client: CozeClient, db: Database, profile: Profile, ids: list[str] | None
) -> list[cv.ServerConversation]:
    listed = await cv.list_conversations(client, db, profile)
    if ids is None:
        return listed
    titles = {item.id: item for item in listed}
    return [titles.get(cid, cv.ServerConversation(cid)) for cid in ids]


def _progress(p: cv.ImportProgress, lang: str) -> None:
    c.say(
        lang,
        f"[{p.index}/{p.count}] {p.conversation_id}: {p.added} messages",
        f"[{p.index}/{p.count}] {p.conversation_id}：{p.added} 条消息",
    )


def _report(summary: cv.ImportSummary, lang: str) -> int:
    for r in summary.results:
        if r.session_id is not None:
            c.say(
                lang,
                f"{r.conversation_id} -> session {r.session_id}: {r.added} new messages",
                f"{r.conversation_id} -> 会话 {r.session_id}：新增 {r.added} 条消息",
            )
    if summary.error is not None:
        c.err(summary.error.describe(lang))
        c.say(
            lang,
            f"The import stopped part-way; the {summary.added} messages imported are kept. "
            "Run the same command again to bring the rest.",
            f"导入中途停止；已导入的 {summary.added} 条消息已保留。再次运行同一命令即可导入其余部分。",
        )
        return c.EXIT_FAILED
    c.say(lang, f"Imported {summary.added} new messages.", f"共导入 {summary.added} 条新消息。")
    return c.EXIT_OK


def _client(profile: Profile, token: str) -> CozeClient:
    return c.make_client(profile.api_base_url, token, context={"import": "1"})


def _stored_profile(
    db: Database, target: c.Target, *, create: bool, lang: str = "en"
) -> Profile | None:
    """The saved profile of the target's bot: the target itself, the saved profile with the
    same API URL and bot id, or (``create``) a new one, so imported sessions have an owner."""
    if target.stored:
        return target.profile
    wanted = target.profile
    for profile in db.profiles.list():
        if profile.api_base_url == wanted.api_base_url and profile.bot_id == wanted.bot_id:
            return replace(profile, user_id=profile.user_id or wanted.user_id)
    if not create:
        return None
    name = _free_name(db, f"{wanted.api_base_url.split('://')[-1]} · {wanted.bot_id}")
    profile = db.profiles.add(replace(wanted, name=name))
    c.say(lang, f"Saved as the profile “{name}”.", f"已保存为配置“{name}”。")
    return profile


def _free_name(db: Database, base: str) -> str:
    taken = {p.name.lower() for p in db.profiles.list()}
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base} ({n})", n + 1
    return name

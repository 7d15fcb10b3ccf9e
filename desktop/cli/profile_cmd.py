"""``coze-desktop profile add|list|remove|set-token``: manage bot profiles.

Tokens never travel as command-line argument values (they would land in shell history and the
process list): ``add`` and ``set-token`` read the token from stdin (piped, or typed without echo),
and ``COZE_API_TOKEN`` can be used at run time instead of storing one at all.
"""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING, Any

from desktop.api.models import REGION_BASE_URLS
from desktop.cli import common as c
from desktop.netlog.masking import mask_url_credentials
from desktop.secrets import SecretStore, SecretStoreError, token_from_env
from desktop.storage import Database, Profile

if TYPE_CHECKING:
    import argparse


def add_parser(sub: Any) -> None:
    p = sub.add_parser("profile", help="manage bot profiles")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a profile (token read from stdin)")
    add.add_argument("--name", required=True)
    add.add_argument("--region", choices=("cn", "com", "custom"), required=True)
    add.add_argument("--base-url", metavar="URL", default="", help="for --region custom")
    add.add_argument("--bot-id", metavar="ID", required=True)
    add.add_argument("--user-id", metavar="U", default="")
    add.add_argument("--no-stream", action="store_true", help="use create + poll, not streaming")
    add.add_argument("--no-token", action="store_true", help="do not ask for a token")
    add.set_defaults(func=run_add)
    actions.add_parser("list", help="list profiles").set_defaults(func=run_list)
    remove = actions.add_parser("remove", help="remove a profile and its stored token")
    remove.add_argument("name")
    remove.set_defaults(func=run_remove)
    st = actions.add_parser("set-token", help="store a profile's token (read from stdin)")
    st.add_argument("name")
    st.add_argument(
        "--from-env", action="store_true", help="store the value of COZE_API_TOKEN instead"
    )
    st.set_defaults(func=run_set_token)


def run_add(args: argparse.Namespace, lang: str) -> int:
    if args.region == "custom" and not args.base_url:
        raise c.CliError(
            c.t(lang, "--region custom needs --base-url.", "--region custom 需要 --base-url。")
        )
    base_url = c.checked_base_url(args.base_url, lang) if args.base_url else ""
    profile = Profile(
        name=args.name,
        region=args.region,
        base_url=base_url or REGION_BASE_URLS.get(args.region, ""),
        bot_id=args.bot_id.strip(),
        user_id=args.user_id or c.default_user_id(),
        stream=not args.no_stream,
    )
    with c.open_db() as db:
        stored = _add(db, profile)
        c.say(lang, f"Added profile {stored.name}.", f"已添加配置 {stored.name}。")
        if not args.no_token:
            token = read_token(lang, required=False)
            if token:
                _store_token(c.secret_store(), stored.id, token, lang)
    return c.EXIT_OK


def _add(db: Database, profile: Profile) -> Profile:
    try:
        return db.profiles.add(profile)
    except ValueError as exc:
        raise c.CliError(str(exc)) from exc


def run_list(args: argparse.Namespace, lang: str) -> int:  # noqa: ARG001 - every command's signature
    store = c.secret_store()
    with c.open_db() as db:
        profiles = db.profiles.list()
    if not profiles:
        c.say(
            lang,
            "No profiles yet: coze-desktop profile add ...",
            "还没有配置：coze-desktop profile add ...",
        )
        return c.EXIT_OK
    rows: list[tuple[str, ...]] = [("NAME", "REGION", "BASE URL", "BOT ID", "USER ID", "TOKEN")]
    rows += [_row(p, store, lang) for p in profiles]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return c.EXIT_OK


def _row(p: Profile, store: SecretStore, lang: str) -> tuple[str, ...]:
    try:
        has_token = store.get(p.id) is not None
    except SecretStoreError:
        has_token = False
    token = c.t(lang, "stored", "已保存") if has_token else c.t(lang, "not set", "未设置")
    # a profile saved before credentials in base URLs were refused: never print them
    return (p.name, p.region, mask_url_credentials(p.api_base_url), p.bot_id, p.user_id, token)


def run_remove(args: argparse.Namespace, lang: str) -> int:
    with c.open_db() as db:
        profile = _find(db, args.name, lang)
        db.profiles.delete(profile.id)
    try:
        c.secret_store().delete(profile.id)
    except SecretStoreError as exc:
        c.err(str(exc))
    c.say(lang, f"Removed profile {profile.name}.", f"已删除配置 {profile.name}。")
    return c.EXIT_OK


def run_set_token(args: argparse.Namespace, lang: str) -> int:
    with c.open_db() as db:
        profile = _find(db, args.name, lang)
    if args.from_env:
        token = token_from_env()
        if not token:
            raise c.CliError(c.t(lang, "COZE_API_TOKEN is not set.", "未设置 COZE_API_TOKEN。"))
    else:
        token = read_token(lang, required=True)
    _store_token(c.secret_store(), profile.id, token, lang)
    return c.EXIT_OK


def _find(db: Database, name: str, lang: str) -> Profile:
    profile = db.profiles.by_name(name)
    if profile is None:
        raise c.CliError(c.t(lang, f"No profile named {name!r}.", f"没有名为 {name!r} 的配置。"))
    return profile


def read_token(lang: str, *, required: bool) -> str:
    """The token from piped stdin, or typed at a hidden prompt."""
    if sys.stdin.isatty():
        prompt = c.t(
            lang, "Token (input hidden, empty to skip): ", "令牌（输入不显示，留空跳过）："
        )
        token = getpass.getpass(prompt)
    else:
        token = sys.stdin.read()
    token = token.strip()
    if required and not token:
        raise c.CliError(
            c.t(
                lang,
                "No token on stdin. Example: coze-desktop profile set-token NAME < token.txt",
                "标准输入中没有令牌。例如：coze-desktop profile set-token 名称 < token.txt",
            )
        )
    return token


def _store_token(store: SecretStore, profile_id: str, token: str, lang: str) -> None:
    try:
        store.set(profile_id, token)
    except SecretStoreError as exc:
        raise c.CliError(str(exc), c.EXIT_FAILED) from exc
    if not store.persistent:  # kept in this process's memory only: nothing was saved
        raise c.CliError(c.no_keyring_text(lang), c.EXIT_FAILED)
    c.say(lang, f"Token stored in {store.backend_name}.", f"令牌已保存到 {store.backend_name}。")

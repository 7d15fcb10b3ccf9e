"""Shared CLI plumbing: language, output helpers, opening storage, choosing the bot and token.

The CLI shares the GUI's core (storage, secrets, client, ChatSession, doctor); nothing here
imports Qt. Failures the user can fix are raised as :class:`CliError` with a plain message and
an exit code; ``desktop.cli.main`` prints them without a traceback.
"""

from __future__ import annotations

import asyncio
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TextIO

from desktop import paths
from desktop.api.client import ClientConfig, CozeClient
from desktop.api.models import BASE_URL_PROBLEMS, base_url_problem, normalise_base_url, region_of
from desktop.secrets import SecretStore, open_secret_store, resolve_token
from desktop.settings import Settings, load_settings
from desktop.storage import Database, Profile

if TYPE_CHECKING:
    import argparse
    from collections.abc import Coroutine, Iterator

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_WAITING = 3  # the bot waits for a client-side tool's result
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A problem the user can fix; ``str()`` is the message, ``code`` the exit status."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# -- language and text ------------------------------------------------------------------------------


def detect_lang(explicit: str | None = None, env: dict[str, str] | None = None) -> str:
    """``--lang`` > the settings' language > LC_ALL/LC_MESSAGES/LANG > English."""
    if explicit in ("en", "zh"):
        return explicit
    env = dict(os.environ) if env is None else env
    language = _settings().language
    if language in ("en", "zh"):
        return language
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _settings() -> Settings:
    """The app's settings (defaults when unreadable, or when the config folder cannot be made)."""
    try:
        return load_settings(paths.settings_path())
    except OSError:
        return Settings()


def t(lang: str, en: str, zh: str) -> str:
    """Pick the text for ``lang``."""
    return zh if lang == "zh" else en


def err(text: str, stream: TextIO | None = None) -> None:
    """Write a line to stderr (flushed: the CLI interleaves stdout and stderr)."""
    out = stream or sys.stderr
    out.write(text + "\n")
    out.flush()


def say(lang: str, en: str, zh: str) -> None:
    """Write the text for ``lang`` to stderr."""
    err(t(lang, en, zh))


def use_color(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


# -- storage and secrets ----------------------------------------------------------------------------


@contextmanager
def open_db(path: str | None = None) -> Iterator[Database]:
    db = Database.open(path)
    try:
        yield db
    finally:
        db.close()


def secret_store() -> SecretStore:
    return open_secret_store()


def no_keyring_text(lang: str) -> str:
    """What to do on a machine without an OS keyring (tokens cannot be saved there)."""
    return t(
        lang,
        "This machine has no system keyring (such as GNOME Keyring or KWallet), so tokens cannot "
        "be saved here. Give the token in the environment for each run instead:\n"
        '  COZE_API_TOKEN=pat_... coze-desktop chat --profile NAME "hello"',
        "这台机器没有系统密钥环（例如 GNOME Keyring 或 KWallet），因此无法在这里保存令牌。"
        "请在每次运行时通过环境变量提供令牌：\n"
        '  COZE_API_TOKEN=pat_... coze-desktop chat --profile 名称 "你好"',
    )


# -- choosing the bot -------------------------------------------------------------------------------


@dataclass
class Target:
    """What to talk to: a profile (stored or ad hoc), its token, and where it lives."""

    profile: Profile
    token: str | None = field(repr=False)
    stored: bool  # the profile is in the user's history database
    demo_hint: str = ""
    store: SecretStore | None = field(default=None, repr=False)  # where the token was looked up


def add_target_options(parser: argparse.ArgumentParser, *, several: bool = False) -> None:
    """``--profile NAME | --base-url URL --bot-id ID``, ``--user-id``, ``--demo``; with
    ``several``, ``--profile`` may be repeated (a list in ``args.profile``)."""
    if several:
        parser.add_argument(
            "--profile", metavar="NAME", action="append",
            help="a saved profile (see 'profile list'); repeat it to ask several bots at once",
        )  # fmt: skip
    else:
        parser.add_argument(
            "--profile", metavar="NAME", help="a saved profile (see 'profile list')"
        )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL, e.g. https://api.coze.cn: a one-off target, not a saved profile "
        "(a chat with it writes no history)",
    )
    parser.add_argument("--bot-id", metavar="ID", help="the bot id (with --base-url, or override)")
    parser.add_argument("--user-id", metavar="U", help="the user id sent to Coze")
    parser.add_argument(
        "--demo", action="store_true", help="use the built-in simulator and its demo bot"
    )


def resolve_target(
    args: argparse.Namespace, db: Database, lang: str, store: SecretStore | None = None
) -> Target:
    """Pick the profile from the options (or the only saved one) and resolve its token (from
    ``store`` when given: a command probes the keyring once, however many profiles it uses)."""
    if args.base_url:
        target = _adhoc(args, lang)
    else:
        target = Target(_saved_profile(args.profile, db, lang), None, stored=True)
    overrides: dict[str, Any] = {}
    if args.bot_id and not args.base_url:
        overrides["bot_id"] = args.bot_id
    if args.user_id:
        overrides["user_id"] = args.user_id
    if overrides:
        target.profile = replace(target.profile, **overrides)
    if not target.profile.user_id:
        target.profile.user_id = default_user_id()
    target.store = _store_or_none(target, store)
    target.token = resolve_token(target.store, target.profile.id)
    return target


def _store_or_none(target: Target, store: SecretStore | None) -> SecretStore:
    from desktop.secrets import MemorySecretStore

    if not target.stored:
        return MemorySecretStore()
    return store if store is not None else secret_store()


def _adhoc(args: argparse.Namespace, lang: str) -> Target:
    if not args.bot_id and not getattr(args, "workflow_id", None):
        raise CliError(
            t(lang, "--base-url needs --bot-id.", "使用 --base-url 时需要同时给出 --bot-id。")
        )
    base_url = checked_base_url(args.base_url, lang)
    region = region_of(base_url)
    profile = Profile(
        name=t(lang, "(command line)", "命令行参数"),
        region=region,  # type: ignore[arg-type]
        base_url=base_url,
        bot_id=args.bot_id or "",
        user_id=args.user_id or "",
    )
    return Target(profile, None, stored=False)


def _saved_profile(name: str | None, db: Database, lang: str) -> Profile:
    if name:
        profile = db.profiles.by_name(name)
        if profile is None:
            names = ", ".join(p.name for p in db.profiles.list()) or "-"
            raise CliError(
                t(
                    lang,
                    f"No profile named {name!r} (saved profiles: {names}).",
                    f"没有名为 {name!r} 的配置（已保存的配置：{names}）。",
                )
            )
        return profile
    profiles = db.profiles.list()
    if len(profiles) == 1:
        return profiles[0]
    if not profiles:
        raise CliError(
            t(
                lang,
                "No profile yet. Add one with 'coze-desktop profile add', pass --base-url and "
                "--bot-id, or try --demo.",
                "还没有配置。请用 'coze-desktop profile add' 添加，或使用 --base-url 和 --bot-id，"
                "或试试 --demo。",
            )
        )
    names = ", ".join(p.name for p in profiles)
    raise CliError(
        t(
            lang,
            f"Several profiles exist; choose one with --profile ({names}).",
            f"有多个配置，请用 --profile 选择一个（{names}）。",
        )
    )


def default_user_id() -> str:
    return "coze-desktop-cli"


def require_token(target: Target, lang: str) -> str:
    if target.token:
        return target.token
    from desktop.api import diagnoses

    diagnosis = diagnoses.get("token_missing")
    store = target.store  # the one the token was looked up in: no second keyring probe
    if target.stored and not (store if store is not None else secret_store()).persistent:
        hint = no_keyring_text(lang)
    else:
        hint = t(
            lang,
            "Set COZE_API_TOKEN, or store one: coze-desktop profile set-token NAME < token.txt",
            "请设置 COZE_API_TOKEN，或保存令牌：coze-desktop profile set-token 名称 < token.txt",
        )
    raise CliError(f"{diagnosis.title(lang)}\n{diagnosis.fix(lang)}\n{hint}", EXIT_FAILED)


def checked_base_url(value: str, lang: str) -> str:
    """``value`` normalised, or a usage error saying why it cannot be a base URL."""
    base_url = normalise_base_url(value)
    problem = base_url_problem(base_url)
    if problem:
        raise CliError(t(lang, *BASE_URL_PROBLEMS[problem]))
    return base_url


def make_client(base_url: str, token: str, *, context: dict[str, str] | None = None) -> CozeClient:
    """A client for ``base_url`` honouring the proxy setting (system, none or custom), as the app."""
    settings = _settings()
    config = ClientConfig(
        base_url=base_url,
        token=token,
        proxy=settings.proxy(),
        trust_env=settings.proxy_mode != "none",
        context=context or {},
    )
    return CozeClient(config)


# -- demo and async ---------------------------------------------------------------------------------


@contextmanager
def demo_target(args: argparse.Namespace, lang: str) -> Iterator[Target | None]:
    """With ``--demo``: the embedded simulator, its demo bot and demo token; else None."""
    if not getattr(args, "demo", False):
        yield None
        return
    from desktop.simulator import bots
    from desktop.simulator.server import Simulator

    sim = Simulator()
    base_url = sim.start()
    err(t(lang, f"Demo: simulator at {base_url}", f"演示：模拟服务器 {base_url}"))
    profile = Profile(
        name="Demo (simulator)",
        region="custom",
        base_url=base_url,
        bot_id=args.bot_id or bots.DEMO_BOT_ID,
        user_id=args.user_id or bots.DEMO_USER_ID,
    )
    try:
        yield Target(profile, bots.DEMO_TOKEN, stored=False)
    finally:
        sim.stop()


def run_async(coro: Coroutine[Any, Any, int]) -> int:
    """Run the command's coroutine; Ctrl+C outside a stream ends it with status 130."""
    try:
        return asyncio.run(coro)
    except (KeyboardInterrupt, asyncio.CancelledError):
        err("[stopped]")
        return EXIT_INTERRUPTED

"""``coze-desktop chat --profile A --profile B ... MESSAGE``: one question to several bots at once.

Every profile gets its own session (and Coze conversation); the turns run concurrently
(``desktop.core.compare.ask_all``). Text mode prints each answer whole under its profile's name
as soon as it is complete (in order of completion), with its figures (time to first token, total
time, tokens, log id); ``--json`` prints every stream event and one ``result`` per profile, each
tagged ``"profile": NAME``. A profile that fails gets its diagnosis on stderr under its name; the
others are unaffected. Exit status: 0 all answered, 1 at least one failed, 130 stopped (Ctrl+C).
Saved profiles keep their sessions and the comparison in the history (the window lists it);
with ``--demo`` the demo profiles ("Demo bot", "Demo: echo bot", "Demo: wrong token") talk to
the embedded simulator and nothing is kept.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from desktop.cli import common as c
from desktop.cli.render import JsonPrinter, Output, TextPrinter, result_record, to_jsonable
from desktop.core.chat import ChatSession
from desktop.core.compare import ask_all, stats_of
from desktop.storage.comparisons import MAX_COLUMNS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from desktop.api.client import CozeClient
    from desktop.core.chat import TurnResult
    from desktop.storage import Database

# options that make sense for one conversation only
_SINGLE_ONLY = ("conversation", "base_url", "workflow_id", "app_id", "parameters")


def run(args: argparse.Namespace, lang: str, text: str) -> int:
    names: list[str] = list(args.profile)
    _check(args, names, lang)
    with _targets(args, names, lang) as (db, targets, keep):
        columns = [_column(db, target, args, lang) for target in targets]
        if keep:
            db.comparisons.create([session.id for _name, _profile, session, _t in columns])
        return c.run_async(_ask(args, lang, db, columns, text))


def _check(args: argparse.Namespace, names: list[str], lang: str) -> None:
    used = [f"--{o.replace('_', '-')}" for o in _SINGLE_ONLY if getattr(args, o, None)]
    if used or args.tool_output:
        flags = ", ".join(used + (["--tool-output"] if args.tool_output else []))
        raise c.CliError(c.t(lang, "{0} cannot be used with several --profile.",
                             "{0} 不能与多个 --profile 一起使用。").format(flags))  # fmt: skip
    if len(set(names)) != len(names):
        raise c.CliError(c.t(lang, "Each --profile may be given once.",
                             "每个 --profile 只能给出一次。"))  # fmt: skip
    if len(names) > MAX_COLUMNS:
        raise c.CliError(c.t(lang, "At most {0} profiles can be compared.",
                             "最多可以比较 {0} 个配置。").format(MAX_COLUMNS))  # fmt: skip


@contextmanager
def _targets(
    args: argparse.Namespace, names: list[str], lang: str
) -> Iterator[tuple[Database, list[c.Target], bool]]:
    """The targets of ``names``: saved profiles (kept: True), or the demo profiles."""
    if not getattr(args, "demo", False):
        with c.open_db(None) as db:
            targets = []
            store = c.secret_store()  # one keyring probe for all the profiles
            for name in names:
                one = argparse.Namespace(**{**vars(args), "profile": name, "base_url": None})
                targets.append(c.resolve_target(one, db, lang, store))
            yield db, targets, True
        return
    from desktop.demo import DemoEnvironment
    from desktop.secrets import MemorySecretStore
    from desktop.simulator.server import Simulator

    with c.open_db(":memory:") as db:
        store = MemorySecretStore()
        demo = DemoEnvironment(db, store, Simulator)
        try:
            demo.ensure_profiles()
            c.err(c.t(lang, f"Demo: simulator at {demo.base_url}",
                      f"演示：模拟服务器 {demo.base_url}"))  # fmt: skip
            targets = []
            for name in names:
                profile = db.profiles.by_name(name)
                if profile is None:
                    known = ", ".join(p.name for p in db.profiles.list())
                    raise c.CliError(c.t(lang, f"No demo profile named {name!r} ({known}).",
                                         f"没有名为 {name!r} 的演示配置（{known}）。"))  # fmt: skip
                targets.append(c.Target(profile, store.get(profile.id), stored=True, store=store))
            yield db, targets, False
        finally:
            demo.stop()


Column = tuple[str, Any, Any, str]  # (name, profile, session, token)


def _column(db: Database, target: c.Target, args: argparse.Namespace, lang: str) -> Column:
    token = c.require_token(target, lang)
    profile = target.profile
    if args.no_stream:
        profile = replace(profile, stream=False)
    return (profile.name, profile, db.sessions.create(profile.id), token)


async def _ask(
    args: argparse.Namespace, lang: str, db: Database, columns: list[Column], text: str
) -> int:
    out = Output(sys.stdout)
    json_out = JsonPrinter(out) if args.json else None
    clients: list[CozeClient] = []
    chats = []
    for name, profile, session, token in columns:
        client = c.make_client(profile.api_base_url, token, context={"profile": name})
        clients.append(client)
        on_event = _tagged(json_out, name) if json_out is not None else None
        chats.append(ChatSession(client, db, profile, session, on_event=on_event))

    def done(index: int, result: TurnResult) -> None:
        name = columns[index][0]
        if json_out is not None:
            json_out.emit({**result_record(result), "profile": name})
        else:
            _print_block(out, name, result, lang)
        out.flush()
        if result.error is not None and result.message.status != "stopped":
            c.err(f"[{name}] {result.error.describe(lang)}")

    try:
        with _sigint_stops(chats, out):
            results = await ask_all(chats, text, done)
    finally:
        for client in clients:
            await client.aclose()
        out.flush()
    return _exit_code(results)


def _tagged(printer: JsonPrinter, name: str) -> Any:
    def on_event(event: Any) -> None:
        printer.emit({**to_jsonable(event), "profile": name})

    return on_event


def _print_block(out: Output, name: str, result: TurnResult, lang: str) -> None:
    stats = stats_of(result.message)
    facts = []
    if stats.ttft_ms is not None:
        facts.append(c.t(lang, f"first token {stats.ttft_ms} ms", f"首字 {stats.ttft_ms} ms"))
    if stats.total_ms is not None:
        facts.append(c.t(lang, f"total {stats.total_ms} ms", f"总计 {stats.total_ms} ms"))
    if stats.tokens is not None:
        facts.append(c.t(lang, f"{stats.tokens} tokens", f"{stats.tokens} 个 token"))
    if stats.log_id:
        facts.append(f"log id {stats.log_id}")
    out.write(f"== {name} ==" + (f"  ({' · '.join(facts)})" if facts else "") + "\n")
    printer = TextPrinter(out, color=c.use_color(sys.stdout))
    printer.print_state(result.state)
    status = result.message.status
    if status == "stopped":
        out.write(c.t(lang, "[stopped] the partial answer above was kept.\n",
                      "[已停止] 已保留上面的部分回答。\n"))  # fmt: skip
    elif result.error is not None:
        out.write(f"[{status}] {result.error.summary()}\n")
    out.write("\n")


def _exit_code(results: list[TurnResult]) -> int:
    if any(r.message.status == "stopped" for r in results):
        return c.EXIT_INTERRUPTED
    if any(r.error is not None for r in results):
        return c.EXIT_FAILED
    return c.EXIT_OK


@contextmanager
def _sigint_stops(chats: list[ChatSession], out: Output) -> Iterator[None]:
    """Ctrl+C stops every stream at once (each turn ends ``stopped``); twice aborts."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    presses = 0

    def on_sigint() -> None:
        nonlocal presses
        presses += 1
        out.flush()
        if presses == 1 and any(chat.busy for chat in chats):
            for chat in chats:
                chat.cancel()
        elif main is not None:
            main.cancel()

    try:
        loop.add_signal_handler(signal.SIGINT, on_sigint)
    except (NotImplementedError, RuntimeError):  # Windows: KeyboardInterrupt does the job
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)

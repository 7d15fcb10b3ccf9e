"""Comparisons: one question asked of several bots at once, each in its own session.

Qt-free, shared by the window (through ``ui/bridge``) and ``coze-desktop chat --profile A
--profile B``: :func:`ask_all` runs one turn per :class:`ChatSession` concurrently on the running
loop and reports each outcome as it completes; :func:`to_markdown` exports a saved comparison
with one section per bot; :func:`stats_of` gives a column's figures (time to first token, total
time, tokens, log id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from desktop.core import export

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from desktop.core.chat import ChatSession, TurnResult, UpdateCallback
    from desktop.storage.comparisons import Comparison
    from desktop.storage.db import Database
    from desktop.storage.models import StoredMessage


class ColumnStats(NamedTuple):
    """What a comparison column shows of its last answer (None: not known yet)."""

    ttft_ms: int | None
    total_ms: int | None
    tokens: int | None
    log_id: str


def stats_of(message: StoredMessage) -> ColumnStats:
    usage = message.usage
    tokens = usage.token_count if usage is not None and usage.token_count else None
    return ColumnStats(message.ttft_ms, message.total_ms, tokens, message.log_id)


async def ask_all(
    chats: Sequence[ChatSession],
    text: str,
    on_done: Callable[[int, TurnResult], None] | None = None,
    on_update: Callable[[int], UpdateCallback] | None = None,
) -> list[TurnResult]:
    """Send ``text`` in every chat at once; ``on_done(index, result)`` as each one completes
    (in order of completion). Returns the results in the order of ``chats``. A failed turn is a
    result like any other (``ChatSession.send`` returns errors); cancelling stops them all."""
    import asyncio  # here: the window names its comparisons before its first frame (rule 1)

    async def one(index: int, chat: ChatSession) -> TurnResult:
        notify = on_update(index) if on_update is not None else None
        result = await chat.send(text, notify)
        if on_done is not None:
            on_done(index, result)
        return result

    tasks = [asyncio.ensure_future(one(i, chat)) for i, chat in enumerate(chats)]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def title_for(db: Database, comparison: Comparison) -> str:
    """The comparison's title, else its first question, else the bots' names."""
    if comparison.title:
        return comparison.title
    for session_id in comparison.session_ids:
        session = db.sessions.get(session_id)
        if session is not None and session.title:
            return session.title
    return " vs ".join(column_names(db, comparison))


def column_names(db: Database, comparison: Comparison) -> list[str]:
    """The profile name of each column (``?`` for a profile deleted meanwhile)."""
    names = []
    for session_id in comparison.session_ids:
        session = db.sessions.get(session_id)
        profile = db.profiles.get(session.profile_id) if session is not None else None
        names.append(profile.name if profile is not None else "?")
    return names


def to_markdown(db: Database, comparison: Comparison) -> str:
    """The comparison as Markdown: a ``#`` title, then one ``##`` section per bot (column
    order) with its turns and the figures of each answer. Never contains a token."""
    lines = [f"# {title_for(db, comparison)}", ""]
    names = column_names(db, comparison)
    lines += ["Compared: " + ", ".join(names), ""]
    for name, session_id in zip(names, comparison.session_ids, strict=True):
        lines += _column_md(db, name, session_id)
    return "\n".join(lines).rstrip() + "\n"


def _column_md(db: Database, name: str, session_id: int) -> list[str]:
    lines = [f"## {name}", ""]
    session = db.sessions.get(session_id)
    if session is not None and session.conversation_id:
        lines += [f"conversation `{session.conversation_id}`", ""]
    for message in db.messages.list(session_id):
        body = export.message_md(message)
        lines += [("#" + line) if line.startswith("## ") else line for line in body]
        if message.role == "assistant" and message.kind == "answer":
            lines += _stats_md(stats_of(message))
    return lines


def _stats_md(stats: ColumnStats) -> list[str]:
    facts = []
    if stats.ttft_ms is not None:
        facts.append(f"first token {stats.ttft_ms} ms")
    if stats.total_ms is not None:
        facts.append(f"total {stats.total_ms} ms")
    if stats.tokens is not None:
        facts.append(f"{stats.tokens} tokens")
    if stats.log_id:
        facts.append(f"log id `{stats.log_id}`")
    return [f"*{' · '.join(facts)}*", ""] if facts else []

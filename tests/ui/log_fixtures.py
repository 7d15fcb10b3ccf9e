"""Helpers for the log dock and doctor UI tests: record real exchanges against the simulator."""

from __future__ import annotations

import asyncio
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from desktop.api.client import ChatRequest, ClientConfig, CozeClient
from desktop.api.errors import CozeError
from desktop.simulator import DEMO_TOKEN, Simulator

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.netlog import NetLog

CONTEXT = {"profile": "Sim", "profile_id": "p1", "session_id": "7"}


def run(qtbot: QtBot, coro: Any, timeout: int = 15_000) -> Any:
    """Run ``coro`` on the shared qasync loop while Qt spins."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


async def chat(
    sim: Simulator, netlog: NetLog, bot_id: str, text: str = "hi", token: str = DEMO_TOKEN,
    conversation_id: str = "", context: dict[str, str] | None = None,
) -> CozeError | None:  # fmt: skip
    """One streaming chat; returns the error it ended with (None on success)."""
    config = ClientConfig(base_url=sim.base_url, token=token, max_retries=1, timeout_read=3,
                          context=context or CONTEXT)  # fmt: skip
    client = CozeClient(config, netlog=netlog)
    request = ChatRequest(bot_id=bot_id, user_id="u", text=text, conversation_id=conversation_id)
    try:
        async with aclosing(client.stream_chat(request)) as events:
            async for _event in events:
                pass
    except CozeError as exc:
        return exc
    finally:
        await client.aclose()
    return None

"""ClientPool: a retired client is closed once the tasks using it are done."""

from __future__ import annotations

import asyncio

from desktop.core.clients import ClientPool
from desktop.storage.models import Profile


def _closed(client: object) -> bool:
    return bool(client._http._client.is_closed)  # type: ignore[attr-defined]


def test_retired_client_closes_after_its_last_task() -> None:
    async def scenario() -> None:
        pool = ClientPool()
        profile = Profile(name="p", base_url="https://api.example.com")
        first = pool.client_for(profile, "t")
        assert pool.client_for(profile, "t") is first  # two tasks share it
        pool.forget(profile.id)
        await pool.release(first)
        assert not _closed(first)
        await pool.release(first)
        assert _closed(first)
        idle = pool.client_for(profile, "t")
        await pool.release(idle)
        pool.set_proxy("http://127.0.0.1:9")  # idle: closed in the background
        await asyncio.sleep(0)
        await pool.aclose()
        assert _closed(idle)

    asyncio.run(scenario())

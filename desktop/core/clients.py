"""A small pool of ``CozeClient`` objects, one per (profile, base URL, token).

Built by the composition root and handed to the controller; nothing else creates HTTP
clients. Reusing a client keeps its connection pool warm between turns; a client whose
profile or the proxy changed is retired and closed once no task uses it any more
(``client_for`` leases a client, ``release`` returns it).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.api.client import ClientConfig, CozeClient
from desktop.storage.models import Profile

if TYPE_CHECKING:
    from desktop.netlog import NetLog

log = logging.getLogger(__name__)

ClientFactory = Callable[[Profile, str], CozeClient]


class ClientPool:
    """Creates and caches API clients; closes retired ones once idle, the rest at shutdown."""

    def __init__(
        self, netlog: NetLog | None = None, proxy: str | None = None, trust_env: bool = True
    ) -> None:
        self._netlog = netlog
        self._proxy = proxy
        self._trust_env = trust_env  # False: the "no proxy" setting (ignore environment proxies)
        self._cache: dict[tuple[str, str, str], CozeClient] = {}
        self._retired: list[CozeClient] = []
        self._leases: dict[int, int] = {}  # id(client) -> tasks using it
        self._closing: set[asyncio.Task[None]] = set()

    @property
    def proxy(self) -> str | None:
        return self._proxy

    @property
    def proxy_mode(self) -> str:
        """The proxy setting in effect: "custom" (``proxy``), "system" or "none"."""
        if self._proxy:
            return "custom"
        return "system" if self._trust_env else "none"

    @property
    def netlog(self) -> NetLog | None:
        return self._netlog

    def make(self, profile: Profile, token: str) -> CozeClient:
        """A new client for ``profile`` (the caller closes it)."""
        context = {"profile": profile.name, "profile_id": profile.id}
        return self.make_for_url(profile.api_base_url, token, context)

    def make_for_url(
        self, base_url: str, token: str, context: dict[str, str] | None = None
    ) -> CozeClient:
        """A new client for ``base_url`` (the doctor's factory; the caller closes it)."""
        return self._new(base_url, token, self._proxy, self._trust_env, context)

    def make_for_proxy(
        self,
        base_url: str,
        token: str,
        proxy: str | None,
        trust_env: bool,
        *,
        timeout: float,
        context: dict[str, str] | None = None,
    ) -> CozeClient:
        """A new client with a proxy choice of its own (the settings' "Test", before the choice
        is saved), short timeouts and one attempt; the caller closes it."""
        limits = {"timeout_connect": timeout, "timeout_read": timeout, "max_retries": 1}
        return self._new(base_url, token, proxy, trust_env, context, **limits)

    def _new(
        self,
        base_url: str,
        token: str,
        proxy: str | None,
        trust_env: bool,
        context: dict[str, str] | None,
        **limits: Any,
    ) -> CozeClient:
        config = ClientConfig(base_url=base_url, token=token, proxy=proxy, trust_env=trust_env,
                              context=context or {}, **limits)  # fmt: skip
        return CozeClient(config, netlog=self._netlog)

    def client_for(self, profile: Profile, token: str) -> CozeClient:
        """The pooled client for this profile/token (created on first use), leased until
        ``release``. A proxy change retires every client, so the key leaves the proxy out."""
        key = (profile.id, profile.api_base_url, _fingerprint(token))
        client = self._cache.get(key)
        if client is None:
            self._retire(profile.id)
            client = self._cache[key] = self.make(profile, token)
        self._leases[id(client)] = self._leases.get(id(client), 0) + 1
        return client

    async def release(self, client: CozeClient) -> None:
        """A task leased from ``client_for`` is done with ``client``: close it if it was
        retired and nothing else uses it."""
        count = self._leases.pop(id(client), 0) - 1
        if count > 0:
            self._leases[id(client)] = count
        elif client in self._retired:
            self._retired.remove(client)
            await _close(client)

    def set_proxy(self, proxy: str | None, trust_env: bool = True) -> None:
        """Use ``proxy`` (``trust_env``: honour environment proxies) for new clients; existing
        ones are retired."""
        if (proxy, trust_env) != (self._proxy, self._trust_env):
            self._proxy, self._trust_env = proxy, trust_env
            self._retire(None)

    def forget(self, profile_id: str) -> None:
        """The profile was edited or deleted: its next turn gets a fresh client."""
        self._retire(profile_id)

    def _retire(self, profile_id: str | None) -> None:
        for key in [k for k in self._cache if profile_id is None or k[0] == profile_id]:
            client = self._cache.pop(key)
            if self._leases.get(id(client)):
                self._retired.append(client)  # closed by ``release`` once its tasks are done
            else:
                self._spawn_close(client)

    def _spawn_close(self, client: CozeClient) -> None:
        """Close an idle retired client in the background (at shutdown if no loop runs)."""
        try:
            task = asyncio.get_running_loop().create_task(_close(client))
        except RuntimeError:
            self._retired.append(client)
            return
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def aclose(self) -> None:
        """Close every client (pooled and retired)."""
        clients = [*self._cache.values(), *self._retired]
        self._cache.clear()
        self._retired.clear()
        self._leases.clear()
        for client in clients:
            await _close(client)
        if self._closing:
            await asyncio.wait(list(self._closing))


async def _close(client: CozeClient) -> None:
    try:
        await client.aclose()
    except Exception:  # closing must never stop the caller (a turn's end, the shutdown)
        log.exception("closing an API client failed")


def _fingerprint(token: str) -> str:
    """Cache key part for a token, so the dict never holds the token text twice."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]

"""The proxy "Test" of the settings dialog: the doctor's network checks, run as a task.

:func:`desktop.core.network_check.check_network` runs on the controller's task owner with clients
from the :class:`~desktop.core.clients.ClientPool` (nothing else constructs HTTP clients), made
for the proxy choice being tested, which is not saved yet. The result comes back as a signal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.core.network_check import check_network
from desktop.ui.kit.ports import NetworkTestDone, ProxyTestIntent

if TYPE_CHECKING:
    from desktop.api.client import CozeClient
    from desktop.core.clients import ClientPool

Spawn = Callable[[Coroutine[Any, Any, Any], str], asyncio.Task[Any]]
TEST_TIMEOUT = 8.0


class NetworkTester(QObject):
    """Runs :func:`check_network` as a task of the controller and reports by signal.

    Signals:
        finished(NetworkTestDone)
    """

    finished = Signal(NetworkTestDone)

    def __init__(self, spawn: Spawn, clients: ClientPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._spawn = spawn
        self._clients = clients
        self._task: asyncio.Task[Any] | None = None

    def run(self, base_url: str, intent: ProxyTestIntent) -> None:
        """Test ``intent``'s proxy choice against ``base_url``; a test still running is replaced."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = self._spawn(self._run(base_url, intent), "network-test")

    async def _run(self, base_url: str, intent: ProxyTestIntent) -> None:
        results = await check_network(base_url, intent.mode, intent.url, self._make_client)
        self.finished.emit(NetworkTestDone(tuple(results)))

    def _make_client(
        self, base_url: str, token: str, proxy: str | None, trust_env: bool
    ) -> CozeClient:
        return self._clients.make_for_proxy(
            base_url,
            token,
            proxy,
            trust_env,
            timeout=TEST_TIMEOUT,
            context={"purpose": "network test"},
        )

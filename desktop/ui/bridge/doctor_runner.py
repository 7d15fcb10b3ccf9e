"""Runs the profile doctor for the UI and reports each check as a Qt signal."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.core.doctor import CheckResult, run_doctor
from desktop.ui.kit.ports import DoctorCheck, DoctorFinished

if TYPE_CHECKING:
    from desktop.core.clients import ClientPool
    from desktop.storage.models import Profile

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, Any], str], asyncio.Task[Any]]


class DoctorRunner(QObject):
    """Starts doctor runs on the controller's task owner.

    Signals:
        check_done(DoctorCheck), finished(DoctorFinished)
    """

    check_done = Signal(DoctorCheck)
    finished = Signal(DoctorFinished)

    def __init__(self, clients: ClientPool, spawn: Spawn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clients = clients
        self._spawn = spawn
        self._next_id = 0
        self._running: dict[int, asyncio.Task[Any]] = {}

    def run(self, profile: Profile, token: str) -> int:
        """Start diagnosing ``profile`` with ``token`` (may be an unsaved draft); returns the run id."""
        self._next_id += 1
        run_id = self._next_id
        task = self._spawn(self._run(run_id, profile, token), f"doctor-{run_id}")
        self._running[run_id] = task
        task.add_done_callback(lambda _t: self._running.pop(run_id, None))
        return run_id

    def cancel(self, run_id: int) -> None:
        task = self._running.get(run_id)
        if task is not None:
            task.cancel()

    def is_running(self, run_id: int) -> bool:
        return run_id in self._running

    async def _run(self, run_id: int, profile: Profile, token: str) -> None:
        def on_check(result: CheckResult) -> None:
            self.check_done.emit(DoctorCheck(run_id, result))

        results: list[CheckResult] = []
        try:
            clients = self._clients
            results = await run_doctor(
                profile,
                token,
                lambda base_url, tok: self._make_client(profile, base_url, tok),
                on_check,
                proxy=clients.proxy,
                proxy_mode=clients.proxy_mode,
            )
        finally:
            self.finished.emit(DoctorFinished(run_id, tuple(results), profile.id))

    def _make_client(self, profile: Profile, base_url: str, token: str) -> Any:
        context = {"profile": profile.name, "profile_id": profile.id, "purpose": "doctor"}
        return self._clients.make_for_url(base_url, token, context)

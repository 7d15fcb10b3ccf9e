"""The bridge's services as the widgets see them: Protocols, and the payloads they signal.

The payloads here are those of the doctor and network-test runs (``DoctorCheck``,
``DoctorFinished``, ``ProxyTestIntent``, ``NetworkTestDone``).

A dialog takes a doctor runner without importing ``desktop.ui.bridge`` (which is async code):
``desktop.ui.bridge.doctor_runner.DoctorRunner`` satisfies :class:`DoctorRuns`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from desktop.core.doctor import CheckResult
    from desktop.storage.models import Profile


@dataclass(frozen=True)
class DoctorCheck:
    """One finished check of run ``run_id``."""

    run_id: int
    result: CheckResult


@dataclass(frozen=True)
class DoctorFinished:
    """Run ``run_id`` ended; ``results`` in order (empty when it was cancelled)."""

    run_id: int
    results: tuple[CheckResult, ...]
    profile_id: str


@dataclass(frozen=True)
class ProxyTestIntent:
    """Test the network with this proxy choice (not saved yet)."""

    mode: str
    url: str


@dataclass(frozen=True)
class NetworkTestDone:
    """The results of a network test (proxy check, Coze reachable)."""

    results: tuple[CheckResult, ...]


class DoctorRuns(Protocol):
    """Starts and stops doctor runs. Signals: check_done(DoctorCheck), finished(DoctorFinished)."""

    @property
    def check_done(self) -> SignalInstance: ...
    @property
    def finished(self) -> SignalInstance: ...
    def run(self, profile: Profile, token: str) -> int: ...
    def cancel(self, run_id: int) -> None: ...
    def is_running(self, run_id: int) -> bool: ...

"""Shared test isolation: no test touches the real home, token or keyring.

Every test gets ``COZE_DESKTOP_HOME`` pointing at its own temporary directory,
no ``COZE_API_TOKEN``, and an in-memory keyring backend — except tests marked
``keyring_real``, which talk to the real Secret Service on purpose.

A ``logging`` record at WARNING or above fails the test that caused it (see ``fail_on_log``),
unless the test is marked ``@pytest.mark.expect_log`` for that logger.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import keyring
import keyring.backend
import keyring.core
import keyring.errors
import pytest

import desktop.secrets

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from desktop.simulator import Simulator
    from desktop.storage import Database


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend holding passwords in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(f"{username} not found")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every file the app writes at a fresh temporary directory."""
    home = tmp_path / "coze-home"
    monkeypatch.setenv("COZE_DESKTOP_HOME", str(home))
    monkeypatch.delenv("COZE_API_TOKEN", raising=False)
    return home


@pytest.fixture(autouse=True)
def memory_keyring(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MemoryKeyring | None]:
    """An in-memory keyring for the test (``None`` for ``keyring_real`` tests), trusted by the
    app like an OS keyring (``desktop.secrets.OS_BACKEND_MODULES``)."""
    previous = keyring.get_keyring()
    backend = None if request.node.get_closest_marker("keyring_real") else MemoryKeyring()
    if backend is not None:
        trusted = desktop.secrets.OS_BACKEND_MODULES | {MemoryKeyring.__module__}
        monkeypatch.setattr(desktop.secrets, "OS_BACKEND_MODULES", trusted)
    if backend is None:
        # keyring's auto-detection would also pick test doubles defined in tests/.
        keyring.core.init_backend(limit=_not_a_test_double)
    else:
        keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def _not_a_test_double(backend: keyring.backend.KeyringBackend) -> bool:
    return not type(backend).__module__.startswith("tests.")


class LogFailHandler(logging.Handler):
    """Collects every record at WARNING or above that reaches the root logger."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keeps the call phase's report on the item, for fixtures that check after a passed test."""
    report = yield
    if call.when == "call":
        item._call_report = report  # type: ignore[attr-defined]
    return report


@pytest.fixture(autouse=True)
def fail_on_log(request: pytest.FixtureRequest) -> Iterator[LogFailHandler]:
    """Fails the test when the code under test logs a warning or an error it did not expect.

    A test that provokes such records on purpose says which loggers it expects them from with
    ``@pytest.mark.expect_log("desktop.settings", ...)`` (those loggers and their children; a
    bare ``expect_log`` accepts any logger). The expectation is checked too: a marked test that
    logs nothing at WARNING or above from those loggers fails. Records logged while the test's
    other fixtures are torn down count as well.
    """
    handler = LogFailHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    marker = request.node.get_closest_marker("expect_log")
    allowed: tuple[str, ...] = () if marker is None else tuple(marker.args)
    expected = [r for r in handler.records if marker is not None and _from(r.name, allowed)]
    unexpected = [r for r in handler.records if r not in expected]
    if unexpected:
        lines = "\n".join(f"  {r.levelname} {r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(
            "unexpected log records at WARNING or above (mark the test expect_log if they are "
            f"intended):\n{lines}",
            pytrace=False,
        )
    call = getattr(request.node, "_call_report", None)
    if marker is not None and not expected and call is not None and call.passed:
        pytest.fail(
            f"expect_log{allowed or ''}: no record at WARNING or above was logged", pytrace=False
        )


def _from(name: str, loggers: tuple[str, ...]) -> bool:
    """Whether logger ``name`` is one of ``loggers`` or a child of one (any, when empty)."""
    return not loggers or any(name == n or name.startswith(n + ".") for n in loggers)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A chat history in a real SQLite file (tests/unit/ has its own, in memory)."""
    from desktop.storage import Database

    database = Database.open(tmp_path / "history.sqlite3")
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    """Takes off (and closes) the root logger's handlers a test added; restores its level."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A loopback Coze simulator of the test's own, with no scripted pauses (the slow bot stays
    slow); ``tests/integration``'s ``simulator`` is one per module."""
    from desktop.simulator import Simulator

    simulator = Simulator(delay_scale=0)
    simulator.start()
    yield simulator
    simulator.stop()

"""Shared test isolation: no test touches the real home, token or keyring.

Every test gets ``COZE_DESKTOP_HOME`` pointing at its own temporary directory,
no ``COZE_API_TOKEN``, and an in-memory keyring backend — except tests marked
``keyring_real``, which talk to the real Secret Service on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import keyring.errors
import pytest


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
def memory_keyring(request: pytest.FixtureRequest) -> Iterator[MemoryKeyring | None]:
    """An in-memory keyring for the test (``None`` for ``keyring_real`` tests)."""
    previous = keyring.get_keyring()
    backend = None if request.node.get_closest_marker("keyring_real") else MemoryKeyring()
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

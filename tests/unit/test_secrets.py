"""Secret stores: memory and keyring round-trips, fallback without a keyring, no token leaks."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from desktop.secrets import (
    NO_KEYRING_WARNING,
    KeyringSecretStore,
    MemorySecretStore,
    SecretStore,
    SecretStoreError,
    open_secret_store,
    resolve_token,
)
from tests.conftest import MemoryKeyring

if TYPE_CHECKING:
    from pathlib import Path

TOKEN = "pat_" + "x" * 60 + "abcd"


class LockedKeyring(keyring.backend.KeyringBackend):
    """Like a Secret Service whose collection cannot be unlocked."""

    priority = 5  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.InitError("Failed to create the collection: Prompt dismissed.")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.InitError("Failed to create the collection: Prompt dismissed.")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.InitError("Failed to create the collection: Prompt dismissed.")


@pytest.mark.parametrize("store", [MemorySecretStore(), KeyringSecretStore()], ids=["mem", "kr"])
def test_round_trip_strips_whitespace(store: SecretStore) -> None:
    assert isinstance(store, SecretStore)
    assert store.get("p1") is None
    store.set("p1", f"  {TOKEN}\n")
    assert store.get("p1") == TOKEN
    store.delete("p1")
    assert store.get("p1") is None
    store.delete("p1")  # deleting twice is fine


def test_keyring_store_uses_service_and_profile_id(memory_keyring: MemoryKeyring) -> None:
    store = KeyringSecretStore()
    store.set("profile-a", TOKEN)
    assert memory_keyring.passwords == {("coze-desktop", "profile-a"): TOKEN}
    assert store.persistent is True
    assert store.warning == ""


def test_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        MemorySecretStore().set("p", "  \n")


def test_repr_never_shows_the_token() -> None:
    for store in (MemorySecretStore(), KeyringSecretStore()):
        store.set("p", TOKEN)
        assert TOKEN not in repr(store)
        assert "pat_" not in repr(store)


def test_open_uses_a_working_keyring() -> None:
    store = open_secret_store()
    assert isinstance(store, KeyringSecretStore)
    assert store.persistent
    assert store.backend_name.endswith("MemoryKeyring")


@pytest.mark.expect_log("desktop.secrets")
@pytest.mark.parametrize(
    "backend",
    [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring(), LockedKeyring()],
    ids=["fail", "null", "locked"],
)
def test_open_falls_back_to_memory(backend: keyring.backend.KeyringBackend) -> None:
    keyring.set_keyring(backend)
    store = open_secret_store()
    assert isinstance(store, MemorySecretStore)
    assert store.persistent is False
    assert store.warning == NO_KEYRING_WARNING
    store.set("p", TOKEN)
    assert store.get("p") == TOKEN


@pytest.mark.parametrize("action", ["get", "set", "delete"])
def test_keyring_errors_become_plain_messages(action: str) -> None:
    keyring.set_keyring(LockedKeyring())
    store = KeyringSecretStore()
    args = ("p", TOKEN) if action == "set" else ("p",)
    method = getattr(store, action)
    with pytest.raises(SecretStoreError) as info:
        method(*args)
    message = str(info.value)
    assert "system keyring" in message
    assert "Prompt dismissed" in message
    assert TOKEN not in message


def test_env_token_wins_and_is_not_persisted() -> None:
    store = MemorySecretStore()
    store.set("p", "pat_stored")
    env = {"COZE_API_TOKEN": "  pat_from_env \n"}
    assert resolve_token(store, "p", env) == "pat_from_env"
    assert store.get("p") == "pat_stored"
    assert resolve_token(store, "other", env) == "pat_from_env"


def test_stored_token_used_without_env() -> None:
    store = MemorySecretStore()
    store.set("p", "pat_stored")
    assert resolve_token(store, "p", {}) == "pat_stored"
    assert resolve_token(store, "p", {"COZE_API_TOKEN": "   "}) == "pat_stored"
    assert resolve_token(store, "missing", {}) is None


def test_default_env_is_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemorySecretStore()
    assert resolve_token(store, "p") is None
    monkeypatch.setenv("COZE_API_TOKEN", "pat_env")
    assert resolve_token(store, "p") == "pat_env"


class PlaintextFileKeyring(MemoryKeyring):
    """Stands for keyrings.alt's ``PlaintextKeyring`` (a base64 file): a backend keyring finds
    whose module is not an OS store's. (Its real module is kept: keyring registers every
    backend class, and a faked module would let real-keyring tests pick this double.)"""

    priority = 9  # type: ignore[assignment]


@pytest.mark.expect_log("desktop.secrets")
def test_a_plaintext_keyring_is_not_a_keyring() -> None:
    plaintext = PlaintextFileKeyring()
    keyring.set_keyring(plaintext)
    store = open_secret_store()
    assert not store.persistent
    assert store.warning == NO_KEYRING_WARNING
    store.set("p1", TOKEN)
    assert plaintext.passwords == {}  # nothing written to the file store


def test_a_chain_uses_its_os_keyring_never_the_plaintext_one() -> None:
    from keyring.backends.chainer import ChainerBackend

    plaintext, os_store = PlaintextFileKeyring(), MemoryKeyring()  # trusted like an OS store

    class Chain(ChainerBackend):
        backends = (plaintext, os_store)  # highest priority first, as keyring sorts them

    keyring.set_keyring(Chain())
    store = open_secret_store()
    assert store.persistent
    store.set("p1", TOKEN)
    assert plaintext.passwords == {}
    assert os_store.passwords == {("coze-desktop", "p1"): TOKEN}


def test_without_a_session_bus_no_backend_is_imported_to_find_none(tmp_path: Path) -> None:
    """A Linux server or container (no D-Bus session bus, nothing configuring keyring): the
    session-only store at once, without keyring's discovery importing every backend."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the D-Bus session bus is Linux's")
    runtime = tmp_path / "run"
    runtime.mkdir()  # no "bus" socket in it
    env = {k: v for k, v in os.environ.items()
           if k not in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")}  # fmt: skip
    env.update(XDG_RUNTIME_DIR=str(runtime), HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    probe = (
        "import sys; from desktop.secrets import open_secret_store; s = open_secret_store();"
        "print(type(s).__name__, s.persistent,"
        " [m for m in ('keyring.backends.macOS', 'keyring.backends.SecretService',"
        " 'keyring.backends.kwallet') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    assert done.stdout.split() == ["MemorySecretStore", "False", "[]"]
    assert "no D-Bus session bus" in done.stderr

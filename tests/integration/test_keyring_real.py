"""The token really goes through the OS keyring (Secret Service on Linux).

Skipped when no keyring is reachable, unless ``COZE_REQUIRE_REAL_KEYRING=1``
(CI), where a missing keyring is a failure. On Linux CI run it inside a D-Bus
session with an unlocked gnome-keyring::

    dbus-run-session -- sh -c 'echo "" | gnome-keyring-daemon --unlock \\
        --components=secrets >/dev/null; pytest -m keyring_real tests/integration'
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest

from desktop.secrets import SERVICE, KeyringSecretStore, open_secret_store, resolve_token

pytestmark = pytest.mark.keyring_real

TOKEN = "pat_real_keyring_test_" + "0" * 40


def _real_store() -> KeyringSecretStore:
    store = open_secret_store()
    if isinstance(store, KeyringSecretStore):
        return store
    reason = "No system keyring reachable (Linux: run gnome-keyring in a D-Bus session)"
    if os.environ.get("COZE_REQUIRE_REAL_KEYRING") == "1":
        pytest.fail(f"COZE_REQUIRE_REAL_KEYRING=1 but: {reason}")
    pytest.skip(reason)


def _secret_tool_lookup(profile_id: str) -> str | None:
    """What another Secret Service client sees (proves it is not an in-process store)."""
    if not sys.platform.startswith("linux") or shutil.which("secret-tool") is None:
        return None
    result = subprocess.run(
        ["secret-tool", "lookup", "service", SERVICE, "username", profile_id],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return result.stdout


def test_token_round_trip_through_the_real_keyring() -> None:
    store = _real_store()
    profile_id = f"test-{uuid.uuid4().hex}"
    try:
        store.set(profile_id, f"  {TOKEN}\n")
        assert store.get(profile_id) == TOKEN
        assert resolve_token(store, profile_id, env={}) == TOKEN
        seen = _secret_tool_lookup(profile_id)
        if seen is not None:
            assert seen.strip() == TOKEN
        assert store.backend_name != "memory"
        assert "Memory" not in store.backend_name
    finally:
        store.delete(profile_id)
    assert store.get(profile_id) is None
    seen = _secret_tool_lookup(profile_id)
    if seen is not None:
        assert seen.strip() == ""


def test_the_secret_service_is_opened_without_trying_every_other_backend() -> None:
    """On Linux, with nothing configuring keyring, the Secret Service backend is made directly:
    keyring's discovery would first import every installed backend (the macOS one runs a
    library search on import)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the direct path is Linux's")
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    probe = (
        "import sys; from desktop.secrets import open_secret_store; s = open_secret_store();"
        "print(s.backend_name, 'keyring.backends.macOS' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    backend, macos_loaded = done.stdout.split()
    if backend == "memory":
        _real_store()  # skips, or fails under COZE_REQUIRE_REAL_KEYRING=1
    assert backend == "SecretService.Keyring"
    assert macos_loaded == "False"

"""Where API tokens live: the OS keyring, or memory when there is none.

Tokens are stored per profile id under the service name ``coze-desktop``. They
are never written to a plain file: when no working keyring exists (headless
Linux without a Secret Service, a locked collection, the ``null`` backend)
``open_secret_store`` returns a ``MemorySecretStore`` whose ``warning`` tells the
user that tokens last for this session only.

``COZE_API_TOKEN`` in the environment beats any stored token and is never
persisted (``resolve_token``). No ``repr`` here ever shows a token.

``keyring`` is imported on first use, not with this module: importing it and detecting its
backend take ~0.1 s, which the app spends after its window is on screen.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Mapping

    import keyring.backend

log = logging.getLogger(__name__)

SERVICE = "coze-desktop"
TOKEN_ENV = "COZE_API_TOKEN"
NO_KEYRING_WARNING = "No system keyring: tokens are kept for this session only"
_PROBE_USER = "__coze_desktop_probe__"
# The operating systems' own secret stores: Secret Service (GNOME Keyring, KeePassXC...),
# KWallet, the macOS Keychain, the Windows Credential Locker. Anything else keyring may find
# (keyrings.alt's plaintext or "encrypted" files, the fail and null backends) is not a keyring
# to us: the token then stays in memory and the window says so.
OS_BACKEND_MODULES = frozenset({
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
})  # fmt: skip


class SecretStoreError(Exception):
    """The keyring refused an operation; the message is fit for the user."""


@runtime_checkable
class SecretStore(Protocol):
    """Per-profile token storage."""

    @property
    def persistent(self) -> bool: ...

    @property
    def backend_name(self) -> str: ...

    @property
    def warning(self) -> str: ...

    def get(self, profile_id: str) -> str | None: ...

    def set(self, profile_id: str, token: str) -> None: ...

    def delete(self, profile_id: str) -> None: ...


def clean_token(token: str) -> str:
    """Strip surrounding whitespace (pasted tokens often carry a newline)."""
    cleaned = token.strip()
    if not cleaned:
        raise ValueError("The token is empty")
    return cleaned


class MemorySecretStore:
    """Tokens in a dict for the life of the process (tests, or no keyring)."""

    def __init__(self, *, persistent: bool = False, warning: str = "") -> None:
        self._tokens: dict[str, str] = {}
        self._persistent = persistent
        self._warning = warning

    @property
    def persistent(self) -> bool:
        return self._persistent

    @property
    def backend_name(self) -> str:
        return "memory"

    @property
    def warning(self) -> str:
        return self._warning

    def get(self, profile_id: str) -> str | None:
        return self._tokens.get(profile_id)

    def set(self, profile_id: str, token: str) -> None:
        self._tokens[profile_id] = clean_token(token)

    def delete(self, profile_id: str) -> None:
        self._tokens.pop(profile_id, None)

    def __repr__(self) -> str:
        return f"MemorySecretStore(persistent={self._persistent}, profiles={len(self._tokens)})"


class KeyringSecretStore:
    """Tokens in the OS keyring (Keychain, Credential Locker, Secret Service)."""

    def __init__(
        self, service: str = SERVICE, backend: keyring.backend.KeyringBackend | None = None
    ) -> None:
        self._service = service
        self._backend = backend

    @property
    def persistent(self) -> bool:
        return True

    @property
    def backend_name(self) -> str:
        return backend_label(self._keyring())

    @property
    def warning(self) -> str:
        return ""

    @property
    def service(self) -> str:
        return self._service

    def get(self, profile_id: str) -> str | None:
        import keyring.errors

        try:
            return self._keyring().get_password(self._service, profile_id)
        except keyring.errors.KeyringError as exc:
            raise self._error("read the token from", exc) from exc

    def set(self, profile_id: str, token: str) -> None:
        import keyring.errors

        cleaned = clean_token(token)
        try:
            self._keyring().set_password(self._service, profile_id, cleaned)
        except keyring.errors.KeyringError as exc:
            raise self._error("save the token in", exc) from exc

    def delete(self, profile_id: str) -> None:
        """Remove the token; deleting a token that is not there is not an error."""
        import keyring.errors

        try:
            self._keyring().delete_password(self._service, profile_id)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            raise self._error("delete the token from", exc) from exc

    def _keyring(self) -> keyring.backend.KeyringBackend:
        import keyring

        return self._backend if self._backend is not None else keyring.get_keyring()

    def _error(self, action: str, exc: Exception) -> SecretStoreError:
        detail = str(exc) or type(exc).__name__
        return SecretStoreError(
            f"Could not {action} the system keyring ({self.backend_name}): {detail}. "
            "Unlock the keyring (or sign in to the desktop session) and try again."
        )

    def __repr__(self) -> str:
        return f"KeyringSecretStore(service={self._service!r}, backend={self.backend_name!r})"


def open_secret_store(service: str = SERVICE) -> SecretStore:
    """The keyring store if a real backend answers, else a session-only memory store."""
    direct = _linux_unconfigured()
    if direct and _no_session_bus():
        log.warning("%s (no D-Bus session bus)", NO_KEYRING_WARNING)
        return MemorySecretStore(persistent=False, warning=NO_KEYRING_WARNING)
    found = (_direct_backend() if direct else None) or _discovered_backend()
    backend = os_backend(found)
    problem = _probe(backend, service) if backend is not None else "not an OS keyring"
    if backend is None or problem:
        log.warning("%s (%s: %s)", NO_KEYRING_WARNING, backend_label(found), problem)
        return MemorySecretStore(persistent=False, warning=NO_KEYRING_WARNING)
    return KeyringSecretStore(service, backend=backend)


def _discovered_backend() -> keyring.backend.KeyringBackend:
    """What ``keyring`` itself chooses: its configuration, else every installed backend tried
    in priority order (importing each, the macOS one included: about 60 ms on Linux)."""
    import keyring

    return keyring.get_keyring()


def _linux_unconfigured() -> bool:
    """On Linux, with nothing configuring keyring (``PYTHON_KEYRING_BACKEND``, a
    ``keyringrc.cfg``, a backend already chosen or set with ``keyring.set_keyring``)."""
    if not sys.platform.startswith("linux") or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return False
    import keyring.core
    from keyring.util import platform_

    if getattr(keyring.core, "_keyring_backend", None) is not None:  # set by keyring.set_keyring
        return False
    return not (Path(platform_.config_root()) / "keyringrc.cfg").exists()


def _no_session_bus(env: Mapping[str, str] | None = None) -> bool:
    """No D-Bus session bus to reach (asked on Linux with nothing configuring keyring): every
    OS keyring there (Secret Service, KWallet, libsecret) speaks D-Bus, so none can answer, and
    the discovery would only import every backend to find that out (about 90 ms: the macOS one
    runs the compiler to look for a library). A server or container, mostly."""
    env = os.environ if env is None else env
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    runtime = env.get("XDG_RUNTIME_DIR", "")
    return not (runtime and (Path(runtime) / "bus").exists())  # the bus's usual socket


def _direct_backend() -> keyring.backend.KeyringBackend | None:
    """The Secret Service backend made directly (asked on Linux when nothing configures keyring
    otherwise: ``_linux_unconfigured``) when it is available: the discovery would choose it too,
    after importing every other backend. None: discover."""
    from keyring.backends import SecretService

    backend = SecretService.Keyring()  # type: ignore[no-untyped-call]
    try:
        viable = backend.priority > 0
    except Exception:  # noqa: BLE001 - keyring's "not available" is any exception from priority
        return None
    return backend if viable else None


def os_backend(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend | None:
    """``backend`` if it is an OS secret store; for keyring's chain of backends, the first
    (highest-priority) one that is; else None. Never the chain itself: it would write to a
    plaintext file when the OS store refuses."""
    children = getattr(backend, "backends", None)
    candidates = list(children) if children is not None else [backend]
    return next((b for b in candidates if type(b).__module__ in OS_BACKEND_MODULES), None)


def _probe(backend: keyring.backend.KeyringBackend, service: str) -> str:
    """Empty when the backend works; otherwise why not."""
    import keyring.errors

    try:
        backend.get_password(service, _PROBE_USER)
    except keyring.errors.KeyringError as exc:
        return str(exc) or type(exc).__name__
    return ""


def backend_label(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__.removeprefix('keyring.backends.')}.{cls.__name__}"


def token_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """``COZE_API_TOKEN`` stripped, or None when unset or blank."""
    env = os.environ if env is None else env
    value = env.get(TOKEN_ENV, "").strip()
    return value or None


def resolve_token(
    store: SecretStore, profile_id: str, env: Mapping[str, str] | None = None
) -> str | None:
    """The token to use: ``COZE_API_TOKEN`` first (never stored), then the profile's entry."""
    from_env = token_from_env(env)
    if from_env is not None:
        return from_env
    return store.get(profile_id) if profile_id else None

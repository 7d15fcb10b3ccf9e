"""One window per history: a second start raises the running window instead of opening another.

Two windows on one database would both write it: the second's start would mark the first's
live answer interrupted, its Regenerate delete the first's turn in flight. So before anything
opens the database, ``claim`` takes a ``QLockFile`` in the data directory (``QtCore``: costs the
first frame nothing; a lock left by a process that died is taken over). The first instance then,
after its first frame (first-frame rule 1: QtNetwork loads later), listens on a ``QLocalServer``
named after that directory (``COZE_DESKTOP_HOME``-aware, see ``desktop.paths``); a second start
that finds the lock taken connects to it, asks it to raise its window and exits with 0, having
opened nothing. The command line is not affected: it is not a window.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCryptographicHash, QLockFile

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from PySide6.QtCore import QObject
    from PySide6.QtNetwork import QLocalServer

log = logging.getLogger(__name__)

LOCK_FILE = "window.lock"
RAISE = b"raise\n"
CONNECT_TIMEOUT_S = 10.0  # the first window may still be starting (its server comes later)


def server_name(data_dir: Path) -> str:
    """The local socket name for a data directory (the same directory: the same name)."""
    algorithm = QCryptographicHash.Algorithm.Sha256  # QtCore's: hashlib would load OpenSSL first
    digest = QCryptographicHash.hash(str(data_dir.resolve()).encode(), algorithm).toHex()
    return f"coze-desktop-{bytes(digest.data()).decode()[:16]}"


def claim(data_dir: Path) -> QLockFile | None:
    """The lock on ``data_dir`` for this process; None when another live process holds it."""
    lock = QLockFile(str(data_dir / LOCK_FILE))
    lock.setStaleLockTime(0)  # never stale by age: only when its process is gone
    return lock if lock.tryLock(0) else None


def ask_to_raise(data_dir: Path, timeout: float = CONNECT_TIMEOUT_S) -> bool:
    """Tell the running window to come to the front; False when it could not be reached."""
    import time

    from PySide6.QtNetwork import QLocalSocket

    deadline = time.monotonic() + timeout
    name = server_name(data_dir)
    while True:
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(500):
            socket.write(RAISE)
            socket.waitForBytesWritten(2000)  # False when the write went out at once
            socket.disconnectFromServer()
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)  # the first window has not started listening yet: ask again


def listen(data_dir: Path, parent: QObject, on_raise: Callable[[], None]) -> QLocalServer | None:
    """Serve raise requests for ``data_dir`` (after the first frame); None when it cannot."""
    from PySide6.QtNetwork import QLocalServer

    name = server_name(data_dir)
    server = QLocalServer(parent)
    QLocalServer.removeServer(name)  # a socket file left by a crash (we hold the lock)
    if not server.listen(name):
        log.warning("cannot listen for a second start: %s", server.errorString())
        return None

    def accept() -> None:
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: _read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(socket: object) -> None:
        data = bytes(socket.readAll().data())  # type: ignore[attr-defined]
        if RAISE.strip() in data:
            log.info("a second start asked this window to come to the front")
            on_raise()

    server.newConnection.connect(accept)
    log.info("listening for a second start")
    return server

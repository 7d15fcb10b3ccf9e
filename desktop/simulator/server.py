"""The simulator's lifecycle and request log: start on loopback, stop cleanly, record requests.

``Simulator`` runs a ``ThreadingHTTPServer`` (one thread per connection, see
:mod:`desktop.simulator.http_handler`) in a daemon thread. ``stop()`` shuts the listener, cuts
every open connection (so stalled or slow streams end at once) and joins the worker threads.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.netlog import mask_authorization
from desktop.simulator.bots import DEMO_TOKEN
from desktop.simulator.chat_api import Backend
from desktop.simulator.http_handler import SimHTTPServer
from desktop.simulator.store import Store

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from desktop.simulator.protocol import Request


@dataclass(frozen=True)
class RequestRecord:
    """What the client sent (``Authorization`` masked) — for tests to assert on."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    body_size: int
    auth_ok: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class Simulator:
    """A Coze-compatible server on loopback.

    ``base_url = sim.start()`` ... ``sim.stop()``, or ``with Simulator(delay_scale=0) as sim:``.
    ``delay_scale`` multiplies every scripted pause (0 = as fast as possible);
    ``nonstream_latency`` is how long a non-stream chat stays ``in_progress`` at least.
    """

    token = DEMO_TOKEN

    def __init__(
        self,
        delay_scale: float = 1.0,
        *,
        nonstream_latency: float = 0.3,
        stall_cap: float = 60.0,
        max_requests: int = 1000,
    ) -> None:
        self.stopping = threading.Event()
        self.stall_cap = stall_cap
        self.store = Store()
        self.backend = Backend(
            self.store,
            delay_scale=delay_scale,
            nonstream_latency=nonstream_latency,
            spawn=self._spawn,
            stopping=self.stopping,
        )
        self._requests: deque[RequestRecord] = deque(maxlen=max_requests)
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._workers: set[threading.Thread] = set()  # chats running without a client
        self._server: SimHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on *host*:*port* (0 = any free port); returns the base URL."""
        if self._server is not None:
            raise RuntimeError("simulator already started")
        self.stopping.clear()
        self._server = SimHTTPServer((host, port), self)
        bound_host, bound_port = self._server.server_address[:2]
        self.base_url = f"http://{bound_host!s}:{bound_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="coze-simulator",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving, cut open connections and wait (briefly) for worker threads."""
        server, self._server = self._server, None
        if server is None:
            return
        self.stopping.set()
        server.shutdown()
        with self._lock:
            conns, threads = list(self._conns), list(self._threads)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for thread in threads:
            thread.join(timeout=2)

    def __enter__(self) -> Simulator:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1]) if self.base_url else 0

    # -- request log -------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """Received requests, oldest first (bounded; a snapshot)."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def last_request(self, path: str | None = None) -> RequestRecord | None:
        """The most recent request (to *path*, if given)."""
        for record in reversed(self.requests):
            if path is None or record.path == path:
                return record
        return None

    def record_request(self, req: Request) -> None:
        headers = dict(req.headers)
        auth = headers.get("authorization")
        if auth is not None:
            headers["authorization"] = mask_authorization(auth)
        record = RequestRecord(
            req.method,
            req.path,
            dict(req.query),
            headers,
            req.json,
            len(req.body),
            auth_ok=auth == f"Bearer {DEMO_TOKEN}",
        )
        with self._lock:
            self._requests.append(record)

    # -- threads -----------------------------------------------------------------------------------

    def track_connection(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
                self._threads.add(threading.current_thread())
            else:
                self._conns.discard(conn)
                self._threads.discard(threading.current_thread())

    def wait_for_background(self, timeout: float = 10.0) -> bool:
        """Wait until the chats that run without a client (non-stream chats) have stopped
        changing; False if some still run after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            workers = list(self._workers)
        for thread in workers:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in workers)

    def _spawn(self, target: Callable[[], None]) -> None:
        def run() -> None:
            try:
                target()
            finally:
                with self._lock:
                    self._threads.discard(threading.current_thread())
                    self._workers.discard(threading.current_thread())

        thread = threading.Thread(target=run, name="coze-simulator-chat", daemon=True)
        with self._lock:
            self._threads.add(thread)
            self._workers.add(thread)
        thread.start()

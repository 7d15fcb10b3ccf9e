"""The HTTP/1.1 side of the simulator: parse requests, write responses on the real socket.

JSON bodies go out with Content-Length (keep-alive works); event streams use chunked transfer
encoding, batched into large writes when nothing paces them; faults drop the socket in the
middle of a chunked body or stall silently until the client gives up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import socket
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from desktop.simulator.protocol import (
    DropResponse,
    JsonResponse,
    RawResponse,
    Request,
    Response,
    StreamResponse,
    error,
)
from desktop.simulator.routes import dispatch
from desktop.simulator.store import new_logid
from desktop.simulator.turn import Drop, Pause, Stall

if TYPE_CHECKING:
    import threading

    from desktop.simulator.chat_api import Backend

log = logging.getLogger(__name__)

BATCH_CHARS = 64 * 1024  # join this much SSE text per socket write when nothing paces the stream


class ServerHooks(Protocol):
    """What the handler needs from the simulator that owns it."""

    backend: Backend
    stopping: threading.Event
    stall_cap: float

    def record_request(self, req: Request) -> None: ...

    def track_connection(self, conn: socket.socket, *, add: bool) -> None: ...


class SimHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sim: ServerHooks) -> None:
        self.sim = sim
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver calls this from its except block: exc_info is the connection's error
        log.debug("simulator connection error from %s", client_address, exc_info=True)  # noqa: LOG014


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CozeSimulator/1.0"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 600
    server: SimHTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.sim.track_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.sim.track_connection(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("simulator: " + format, *args)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    # -- request -----------------------------------------------------------------------------------

    def _serve(self) -> None:
        sim = self.server.sim
        try:
            req = self._read_request()
            sim.record_request(req)
            response = dispatch(sim.backend, req)
        except (OSError, ValueError):
            self.close_connection = True
            return
        except Exception:
            log.exception("simulator route failed")
            response = error(500, 5000, "simulator internal error")
        try:
            self._send(response, new_logid())
        except OSError:
            self.close_connection = True

    def _read_request(self) -> Request:
        parts = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        body = self._read_body(headers)
        data = None
        if body and "multipart/" not in headers.get("content-type", ""):
            try:
                data = json.loads(body)
            except ValueError:
                data = None
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        return Request(self.command, parts.path, query, headers, body, data)

    def _read_body(self, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        length = int(headers.get("content-length") or 0)
        rate = self.server.sim.backend.upload_rate
        if rate > 0 and "multipart/" in headers.get("content-type", ""):
            return self._read_slowly(length, rate)
        return self.rfile.read(length) if length > 0 else b""

    def _read_slowly(self, length: int, rate: float) -> bytes:
        """Read an upload at ``rate`` bytes a second (a slow uplink), giving up when the
        client goes away or the simulator stops."""
        out = bytearray()
        step = max(1, int(rate / 20))
        while len(out) < length and not self.server.sim.stopping.is_set():
            chunk = self.rfile.read(min(step, length - len(out)))
            if not chunk:
                raise OSError("the client went away during the upload")
            out += chunk
            self.server.sim.stopping.wait(len(chunk) / rate)
        return bytes(out)

    def _read_chunked(self) -> bytes:
        out = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(out)
            out += self.rfile.read(size)
            self.rfile.readline()

    # -- responses ---------------------------------------------------------------------------------

    def _send(self, response: Response, logid: str) -> None:
        if getattr(response, "studio", False):
            logid = str(uuid.uuid4())  # Coze Studio's X-Log-Id is a uuid
        if isinstance(response, JsonResponse):
            self._send_json(response, logid)
        elif isinstance(response, StreamResponse):
            self._send_stream(response, logid)
        elif isinstance(response, RawResponse):
            self._send_body(
                response.status,
                response.content_type,
                response.body,
                logid,
                response.headers,
                studio=response.studio,
            )
        elif isinstance(response, DropResponse):
            self._drop()

    def _send_json(self, response: JsonResponse, logid: str) -> None:
        body = dict(response.body)
        if not response.studio:
            body.setdefault("detail", {"logid": logid})
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        self._send_body(
            response.status,
            "application/json; charset=utf-8",
            data,
            logid,
            response.headers,
            studio=response.studio,
        )

    def _send_body(
        self,
        status: int,
        ctype: str,
        data: bytes,
        logid: str,
        extra: dict[str, str],
        *,
        studio: bool = False,
    ) -> None:
        self.send_response(status)
        self._headers(
            {
                "Content-Type": ctype,
                "Content-Length": str(len(data)),
                **_logid(logid, studio),
                **extra,
            }
        )
        self.wfile.write(data)

    def _headers(self, headers: dict[str, str]) -> None:
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _start_stream(self, response: StreamResponse, logid: str) -> None:
        self.send_response(response.status)
        self._headers(
            {
                "Content-Type": response.content_type,
                "Transfer-Encoding": "chunked",
                **_logid(logid, response.studio),
                **response.headers,
            }
        )

    def _chunk(self, parts: list[str]) -> None:
        if parts:
            data = "".join(parts).encode()
            self.wfile.write(b"%x\r\n%b\r\n" % (len(data), data))

    def _send_stream(self, response: StreamResponse, logid: str) -> None:
        if response.buffered:
            self._send_buffered(response, logid)
            return
        self._start_stream(response, logid)
        try:
            self._pump(response)
        except OSError:
            if response.on_abandon is not None:
                response.on_abandon()
            raise

    def _pump(self, response: StreamResponse) -> None:
        """Write the steps: batched chunks, flushed before every pause, drop or stall."""
        stopping = self.server.sim.stopping
        buf: list[str] = []
        size = 0
        for step in response.steps:
            if type(step) is str:
                buf.append(step)
                size += len(step)
                if size >= BATCH_CHARS:
                    self._chunk(buf)
                    buf, size = [], 0
                continue
            self._chunk(buf)
            buf, size = [], 0
            if isinstance(step, Pause) and stopping.wait(step.seconds):
                self._drop()
                return
            if isinstance(step, Drop | Stall):
                self._drop() if isinstance(step, Drop) else self._stall()
                return
        self._chunk(buf)
        self.wfile.write(b"0\r\n\r\n")

    def _send_buffered(self, response: StreamResponse, logid: str) -> None:
        """A buffering proxy: wait for the whole stream, then one write with everything."""
        frames, waited = [], 0.0
        for step in response.steps:
            if type(step) is str:
                frames.append(step)
            elif isinstance(step, Pause):
                waited += step.seconds
        if self.server.sim.stopping.wait(waited):
            self._drop()
            return
        data = "".join(frames).encode()
        self.send_response(response.status)
        for name, value in {
            "Content-Type": response.content_type,
            "Transfer-Encoding": "chunked",
            **_logid(logid, response.studio),
            **response.headers,
        }.items():
            self.send_header(name, value)
        self._headers_buffer.append(b"\r\n%x\r\n%b\r\n0\r\n\r\n" % (len(data), data))  # type: ignore[attr-defined]
        self.flush_headers()

    def _drop(self) -> None:
        """Close the socket mid-response (no terminating chunk)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _stall(self) -> None:
        """Stay silent until the client disconnects, the simulator stops, or the cap passes."""
        sim = self.server.sim
        deadline = sim.stall_cap
        waited = 0.0
        while waited < deadline and not sim.stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.2)
            waited += 0.2
            if readable and not self.connection.recv(1, socket.MSG_PEEK):
                break
        self._drop()


def _logid(logid: str, studio: bool) -> dict[str, str]:
    """The log-id header of the dialect: hosted Coze's X-Tt-Logid, Coze Studio's X-Log-Id."""
    return {"X-Log-Id": logid} if studio else {"x-tt-logid": logid}

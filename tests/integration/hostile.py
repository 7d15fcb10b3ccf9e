"""A hostile HTTP server on loopback: it answers every request with one scripted misbehaviour
(a gzip bomb, an endless stream, a line without end, a head or body trickled a byte at a time, a
token echoed in a header), optionally over TLS. Used by the client's own tests and by
``tests/bench/bench_hostile_memory.py``.
"""

from __future__ import annotations

import contextlib
import json
import socketserver
import threading
import zlib
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import socket
    import ssl

Script = Callable[["Reply"], None]

_SSE_HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-tt-logid: hostile-1\r\n"


class Reply:
    """The socket side of one request: its head and body already read."""

    def __init__(self, wfile: IO[bytes], request_head: str, stop: threading.Event) -> None:
        self.wfile = wfile
        self.request_head = request_head
        self.stop = stop

    def send(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def head(self, extra: str = "", *, chunked: bool = False) -> None:
        te = "transfer-encoding: chunked\r\n" if chunked else "connection: close\r\n"
        self.send((_SSE_HEAD + extra + te + "\r\n").encode())

    def chunk(self, data: bytes) -> None:
        if data:
            self.send(b"%x\r\n%s\r\n" % (len(data), data))

    def delta(self, text: str) -> bytes:
        data = json.dumps({"content": text, "type": "answer", "role": "assistant", "id": "m1"})
        return f"event:conversation.message.delta\ndata:{data}\n\n".encode()


def _read_request(rfile: IO[bytes]) -> str:
    raw = b""
    while not raw.endswith(b"\r\n\r\n"):
        line = rfile.readline(65536)
        if not line:
            break
        raw += line
    text = raw.decode("latin-1")
    length = 0
    for header in text.split("\r\n"):
        name, _, value = header.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length:
        rfile.read(length)
    return text


class HostileServer:
    """``with HostileServer(script) as url:`` — every request is answered by ``script``."""

    def __init__(self, script: Script, *, tls: ssl.SSLContext | None = None) -> None:
        self.script = script
        self.tls = tls
        self.stop = threading.Event()
        self.requests: list[str] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                head = _read_request(self.rfile)  # type: ignore[arg-type]
                outer.requests.append(head)
                # the client hanging up is what it is supposed to do
                with contextlib.suppress(OSError, ValueError):
                    outer.script(Reply(self.wfile, head, outer.stop))  # type: ignore[arg-type]

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

            def get_request(self) -> tuple[socket.socket, object]:
                sock, addr = super().get_request()
                if outer.tls is not None:
                    sock = outer.tls.wrap_socket(sock, server_side=True)
                return sock, addr

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a TLS handshake the client refused ends here

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def __enter__(self) -> str:
        self._thread.start()
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()


# -- scripts ----------------------------------------------------------------------------------


def gzip_bomb(fill: bytes = b"\0") -> Script:
    """A gzip body of ``fill`` (zeros: one endless line; newlines: empty lines), compressed about
    1000:1, for as long as the client reads."""

    def script(reply: Reply) -> None:
        reply.head("content-encoding: gzip\r\n", chunked=True)
        z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        reply.chunk(z.compress(reply.delta("hello ")) + z.flush(zlib.Z_SYNC_FLUSH))
        block = fill * (1 << 20)
        while not reply.stop.is_set():
            reply.chunk(z.compress(block) + z.flush(zlib.Z_SYNC_FLUSH))

    return script


def long_line(size: int) -> Script:
    """``data:`` and then ``size`` characters without a line end, then the stream's end."""

    def script(reply: Reply) -> None:
        reply.head(chunked=True)
        reply.chunk(reply.delta("hello "))
        reply.chunk(b"data:")
        piece = b"x" * (1 << 16)
        for _ in range(size // len(piece)):
            reply.chunk(piece)
        reply.send(b"0\r\n\r\n")

    return script


def endless(reply: Reply) -> None:
    """Deltas of answer text, as fast as the client reads, for ever."""
    reply.head(chunked=True)
    block = reply.delta("y" * 60_000) * 16
    while not reply.stop.is_set():
        reply.chunk(block)


def endless_noise(reply: Reply) -> None:
    """Unknown events, as fast as the client reads, for ever (no answer text)."""
    reply.head(chunked=True)
    block = b"event:noise\ndata:" + b"z" * 60_000 + b"\n\n"
    while not reply.stop.is_set():
        reply.chunk(block * 16)


def trickle(parts: Iterator[bytes], interval: float) -> Script:
    def script(reply: Reply) -> None:
        for data in parts:
            if reply.stop.wait(interval):
                return
            reply.send(data)

    return script


def trickled_head(interval: float) -> Script:
    """A response head sent one byte per ``interval``, never finished."""

    def bytes_forever() -> Iterator[bytes]:
        while True:
            yield from (bytes([b]) for b in b"HTTP/1.1 200 OK\r\nx-pad: " + b"a" * 10_000)

    return trickle(bytes_forever(), interval)


def trickled_body(interval: float) -> Script:
    """One delta, then a comment trickled one byte per ``interval``: no event ever again."""

    def script(reply: Reply) -> None:
        reply.head()
        reply.send(reply.delta("hello "))
        while not reply.stop.wait(interval):
            reply.send(b":")

    return script


def echo_header(name: str, value: str) -> Script:
    """A finished chat whose response carries ``name: value`` (a token echoed back)."""

    def script(reply: Reply) -> None:
        reply.head(f"{name}: {value}\r\n")
        chat = json.dumps({"id": "c1", "conversation_id": "v1", "status": "completed"})
        reply.send(reply.delta("hi") + f"event:conversation.chat.completed\ndata:{chat}\n\n"
                   .encode() + b"event:done\ndata:\"[DONE]\"\n\n")  # fmt: skip

    return script


def echo_token_in_error(token: str) -> Script:
    """A delta that quotes ``token``, then an ``event:error`` whose msg carries it and a
    ``Bearer`` header (a buggy gateway echoing the request back)."""

    def script(reply: Reply) -> None:
        reply.head()
        error = json.dumps({"code": 4100, "msg": f"bad token {token} (Bearer {token})"})
        reply.send(reply.delta(f"you sent {token}.") + f"event:error\ndata:{error}\n\n".encode())

    return script


# Answers past a limit, each with words its error message says: the CLI and the window tests
# both run every one (``pytest.mark.parametrize(("script", "words"), LIMIT_CASES)``).
LIMIT_CASES: list[tuple[Script, str]] = [
    (gzip_bomb(b"\n"), "inflated"),
    (gzip_bomb(b"\0"), "a line of"),
    (long_line(3_000_000), "a line of"),
]

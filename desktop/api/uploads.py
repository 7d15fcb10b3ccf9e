"""The body of ``POST /v1/files/upload``: one multipart part named ``file``, streamed.

httpx's own ``files=`` builds the body in memory and reports nothing while it is sent. This one
is written chunk by chunk from the bytes or the file on disk, so a large file does not sit in
memory twice, the caller hears how far the upload is (``on_progress(sent, total)`` after each
chunk) and a cancelled task stops sending at the next chunk. The ``Content-Length`` is exact
(computed up front), so no chunked transfer encoding is needed.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

CHUNK = 256 * 1024

Progress = Callable[[int, int], None]  # (file bytes sent, file size)


@dataclass(frozen=True)
class UploadSource:
    """What to upload: ``data``, or the file at ``path`` when it is set."""

    name: str
    mime: str
    data: bytes = b""
    path: Path | None = None

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.path is not None else len(self.data)


class MultipartBody:
    """One ``file`` part; each :meth:`stream` call writes the whole body again (a retry)."""

    def __init__(self, source: UploadSource, on_progress: Progress | None = None) -> None:
        self.source = source
        self.on_progress = on_progress
        self.boundary = secrets.token_hex(16)
        self.size = source.size
        name = _quoted(source.name)
        self._head = (
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: {source.mime}\r\n\r\n"
        ).encode()
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def content_length(self) -> int:
        return len(self._head) + self.size + len(self._tail)

    async def stream(self) -> AsyncIterator[bytes]:
        yield self._head
        sent = 0
        self._report(0)
        for chunk in self._chunks():
            sent += len(chunk)
            yield chunk
            self._report(sent)
        yield self._tail

    def _chunks(self) -> Iterable[bytes]:
        if self.source.path is None:
            data = self.source.data
            return [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)]
        return _FileChunks(self.source.path, self.size)

    def _report(self, sent: int) -> None:
        if self.on_progress is not None:
            self.on_progress(sent, self.size)


class _FileChunks:
    """The file's bytes in ``CHUNK`` pieces, never more than the size measured up front (a file
    growing meanwhile would break the announced ``Content-Length``)."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = size

    def __iter__(self) -> _FileIterator:
        return _FileIterator(self.path, self.size)


class _FileIterator:
    def __init__(self, path: Path, size: int) -> None:
        self._file = path.open("rb")
        self._left = size

    def __iter__(self) -> _FileIterator:
        return self

    def __next__(self) -> bytes:
        chunk = self._file.read(min(CHUNK, self._left)) if self._left > 0 else b""
        if not chunk:
            self._file.close()
            if self._left > 0:
                raise OSError(f"the file shrank while it was sent ({self._left} bytes missing)")
            raise StopIteration
        self._left -= len(chunk)
        return chunk

    def __del__(self) -> None:
        self._file.close()


def _quoted(name: str) -> str:
    """A file name for the ``filename=""`` parameter (the way browsers escape it)."""
    return name.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")

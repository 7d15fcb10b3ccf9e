"""A spec-compliant Server-Sent Events decoder (bytes in, frames out) that survives Coze's quirks.

Follows the WHATWG event-stream rules (CR, LF and CRLF line ends; one leading space stripped from
values; ``:`` comments; multi-line ``data``; ``id``/``retry``) and adds what real Coze traffic
needs:

* the last event often has no trailing blank line: :meth:`SSEDecoder.close` dispatches it at EOF;
* a bare JSON line such as ``{"code":4100,"msg":"..."}`` inside an event-stream response is an
  error from the server, so it becomes a frame with ``bare=True`` instead of being dropped;
* bytes may be split anywhere, including inside a multi-byte UTF-8 character or a CRLF pair.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_DEFAULT_EVENT = "message"


@dataclass(frozen=True, slots=True)
class SSEFrame:
    """One dispatched event. ``bare`` marks a bare JSON line (``event`` is then ``""``)."""

    event: str
    data: str
    id: str = ""
    retry: int | None = None
    bare: bool = False


class SSEDecoder:
    """Incremental decoder: call :meth:`feed` per network chunk and :meth:`close` at EOF."""

    __slots__ = ("_data", "_event", "_has_data", "_last_id", "_pending_cr", "_retry", "_tail", "_utf8")

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._tail = ""
        self._pending_cr = False
        self._event = ""
        self._data: list[str] = []
        self._has_data = False
        self._last_id = ""
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[SSEFrame]:
        """Decode one chunk; return the frames it completed (possibly none)."""
        return self._feed_text(self._utf8.decode(chunk))

    def close(self) -> list[SSEFrame]:
        """End of stream: flush the last partial line and dispatch an unterminated event."""
        frames = self._feed_text(self._utf8.decode(b"", final=True))
        if self._tail:
            line, self._tail = self._tail, ""
            self._line(line, frames)
        self._dispatch(frames)
        return frames

    def _feed_text(self, text: str) -> list[SSEFrame]:
        frames: list[SSEFrame] = []
        if not text:
            return frames
        if self._pending_cr and text[0] == "\n":
            text = text[1:]  # second half of a CRLF split across chunks
        self._pending_cr = text.endswith("\r")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = (self._tail + text).split("\n")
        self._tail = lines.pop()
        for line in lines:
            self._line(line, frames)
        return frames

    def _line(self, line: str, frames: list[SSEFrame]) -> None:
        if not line:
            self._dispatch(frames)
            return
        if line.startswith("{"):
            # Not a field a server can send; Coze sends bare JSON errors like this.
            frames.append(SSEFrame("", line, self._last_id, bare=True))
            return
        name, colon, value = line.partition(":")
        if not colon:
            value = ""
        elif value.startswith(" "):
            value = value[1:]
        self._field(name, value)

    def _field(self, name: str, value: str) -> None:
        if name == "data":
            self._data.append(value)
            self._has_data = True
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        # anything else (including "" for ":" comments) is ignored, as the spec says

    def _dispatch(self, frames: list[SSEFrame]) -> None:
        if self._has_data:
            frames.append(
                SSEFrame(
                    self._event or _DEFAULT_EVENT,
                    "\n".join(self._data),
                    self._last_id,
                    self._retry,
                )
            )
        self._event = ""
        self._data = []
        self._has_data = False

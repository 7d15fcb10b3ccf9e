"""A spec-compliant Server-Sent Events decoder (bytes in, frames out) that survives Coze's quirks.

Follows the WHATWG event-stream rules (CR, LF and CRLF line ends; one leading space stripped from
values; ``:`` comments; multi-line ``data``; ``id``/``retry``) and adds what real Coze traffic
needs:

* the last event often has no trailing blank line: :meth:`SSEDecoder.close` dispatches it at EOF;
* a bare JSON line such as ``{"code":4100,"msg":"..."}`` inside an event-stream response is an
  error from the server, so it becomes a frame with ``bare=True`` instead of being dropped;
* bytes may be split anywhere, including inside a multi-byte UTF-8 character or a CRLF pair.

A line's pieces are joined once its end arrives: a long line in many chunks costs linear time.
A line longer than ``max_line`` characters, or an event whose data passes ``max_event``, raises
:class:`SSELimitError` as soon as it does (the decoder never holds much more than that).
"""

# Per-token hot path: measured by tests/bench/bench_stream.py; keep allocations out of the per-delta code.

from __future__ import annotations

import codecs

import msgspec

_DEFAULT_EVENT = "message"
_MAX_NAMES = 64  # distinct event names shared per decoder (a stream uses about ten)
_UNLIMITED = 1 << 62


class SSELimitError(ValueError):
    """A line or an event passed the decoder's limit; the message says which and by how much."""


class SSEFrame(msgspec.Struct, frozen=True, gc=False):
    """One dispatched event. ``bare`` marks a bare JSON line (``event`` is then ``""``)."""

    event: str
    data: str
    id: str = ""
    retry: int | None = None
    bare: bool = False


class SSEDecoder:
    """Incremental decoder: call :meth:`feed` per network chunk and :meth:`close` at EOF."""

    __slots__ = (
        "_data",
        "_event",
        "_has_data",
        "_last_id",
        "_max_event",
        "_max_line",
        "_names",
        "_open",
        "_pending_cr",
        "_retry",
        "_tail",
        "_tail_len",
        "_utf8",
    )

    def __init__(self, max_line: int = _UNLIMITED, max_event: int = _UNLIMITED) -> None:
        self._max_line = max_line
        self._max_event = max_event
        self._tail_len = 0  # characters in ``_tail``
        self._open = 0  # at least the characters of the open event's data (an upper bound)
        # "utf-8-sig": one leading byte-order mark is dropped, as the WHATWG decoder does (kept,
        # it would become part of the first field name and that event's name would be lost)
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        self._tail: list[str] = []  # the pieces of the unfinished last line
        self._pending_cr = False
        self._event = ""
        self._data: list[str] = []
        self._has_data = False
        self._last_id = ""
        self._retry: int | None = None
        # One shared str per event name: a recorded stream (the netlog keeps 50,000 frames)
        # then holds one "conversation.message.delta", not a 75-byte copy per frame.
        self._names: dict[str, str] = {}

    def feed(self, chunk: bytes) -> list[SSEFrame]:
        """Decode one chunk; return the frames it completed (possibly none)."""
        return self._feed_text(self._utf8.decode(chunk))

    def close(self) -> list[SSEFrame]:
        """End of stream: flush the last partial line and dispatch an unterminated event."""
        frames = self._feed_text(self._utf8.decode(b"", final=True))
        if self._tail:
            line = "".join(self._tail)
            self._tail = []
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
        tail = self._tail
        if "\n" not in text:
            if text:
                tail.append(text)  # the line goes on: join it once it ends
                self._tail_len += len(text)
                if self._tail_len > self._max_line:
                    self._line_too_long(self._tail_len, ended=False)
            return frames
        if tail:
            tail.append(text)
            text = "".join(tail)
        lines = text.split("\n")
        last = lines.pop()
        self._tail = [last] if last else []
        self._tail_len = len(last)
        if len(text) > self._max_line:
            self._check_lines(lines, last)
        data = self._data
        for line in lines:
            # Fast path for the two fields Coze sends (this loop runs ~3x per streamed token);
            # everything else goes through the general _line().
            if line.startswith("data:"):
                value = line[5:]
                data.append(value[1:] if value.startswith(" ") else value)
                self._has_data = True
            elif line.startswith("event:"):
                value = line[6:]
                if value.startswith(" "):
                    value = value[1:]
                self._event = self._names.get(value) or self._name(value)
            elif line:
                self._line(line, frames)
            elif self._has_data:
                self._dispatch(frames)
                data = self._data  # _dispatch started a new list
            else:
                self._event = ""
        if self._has_data:
            self._open += len(text)
            if self._open > self._max_event:
                self._check_event()
        return frames

    def _check_lines(self, lines: list[str], last: str) -> None:
        longest = max(len(last), *(len(line) for line in lines)) if lines else len(last)
        if longest > self._max_line:
            self._line_too_long(longest, ended=longest != len(last))

    def _line_too_long(self, size: int, *, ended: bool) -> None:
        self._tail, self._tail_len = [], 0
        state = "" if ended else ", and it had not ended yet"
        raise SSELimitError(
            f"the server sent a line of {_chars(size)}{state}; the limit is "
            f"{_chars(self._max_line)}"
        )

    def _check_event(self) -> None:
        size = sum(len(d) for d in self._data)
        self._open = size
        if size > self._max_event:
            self._data, self._has_data, self._open = [], False, 0
            raise SSELimitError(
                f"the server sent an event of more than {_chars(size)} of data (still open); "
                f"the limit is {_chars(self._max_event)}"
            )

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
            self._event = self._name(value)
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        # anything else (including "" for ":" comments) is ignored, as the spec says

    def _name(self, value: str) -> str:
        """The shared copy of an event name (unseen names are kept up to ``_MAX_NAMES``)."""
        names = self._names
        shared = names.get(value)
        if shared is not None:
            return shared
        if len(names) < _MAX_NAMES:
            names[value] = value
        return value

    def _dispatch(self, frames: list[SSEFrame]) -> None:
        if self._has_data:
            data = self._data
            joined = data[0] if len(data) == 1 else "\n".join(data)
            frames.append(
                SSEFrame(self._event or _DEFAULT_EVENT, joined, self._last_id, self._retry)
            )
            self._data = []
            self._has_data = False
            self._open = 0
        self._event = ""


def _chars(n: int) -> str:
    return f"{n:,} characters"

"""The network log across restarts: the last exchanges, masked and bounded, in a file.

Each finished exchange is appended to ``netlog.jsonl`` in the data folder as one line of the
JSON-lines export (``netlog.export.jsonl_line``: the one place that masks an export), shortened
first when it is large (the first and last frames of a long stream, the head of a long body). The
file is bounded in count and bytes: once it holds more than ``max_exchanges`` (plus a quarter) or
``max_bytes``, it is rewritten with the newest records that fit in three quarters of both.

At start ``read`` parses the file as it was when the history was opened (records appended
since are this run's, already in memory) on a worker thread, and ``NetLog.restore`` puts them
before the new ones, so "Open in log" on an older error finds its request. A damaged line is
skipped; an unreadable file gives an empty history, never an error.

Qt-free; the token never reaches the file (it is masked when recorded, and again on writing).
"""

from __future__ import annotations

import json
import logging
import os
from collections import deque
from typing import TYPE_CHECKING, Any

from desktop.netlog.export import exchange_record, jsonl_line
from desktop.netlog.records import Exchange, NetLog
from desktop.settings import atomic_write_text

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.netlog.records import RawFrame, RecordedError

log = logging.getLogger(__name__)

HISTORY_FILE = "netlog.jsonl"
MAX_EXCHANGES = 200
MAX_BYTES = 8_000_000
RECORD_FRAMES = 400  # a longer stream keeps its first and last 200 frames on disk
RECORD_BODY_CHARS = 64_000


class LogHistory:
    """Appends finished exchanges of a ``NetLog`` to a file and reads an earlier run's back."""

    def __init__(
        self, path: Path, *, max_exchanges: int = MAX_EXCHANGES, max_bytes: int = MAX_BYTES
    ) -> None:
        self.path = path
        self._max_exchanges = max_exchanges
        self._max_bytes = max_bytes
        self._earlier = _size(path)  # what ``read`` reads: the file before this run wrote to it
        self._count = -1  # records in the file (unknown until read)
        self._bytes = self._earlier
        self._unsubscribe: Any = None

    def attach(self, netlog: NetLog) -> None:
        """Keep every exchange ``netlog`` finishes from now on."""
        self._unsubscribe = netlog.subscribe(self._on_netlog)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_netlog(self, ex: Exchange | None, kind: str) -> None:
        if ex is not None and kind == "finish":
            self.append(ex)
        elif kind == "clear":
            self.clear()

    # -- writing -------------------------------------------------------------------------------

    def append(self, ex: Exchange) -> None:
        """Add one finished exchange (masked, shortened); never raises for disk errors."""
        line = jsonl_line(shortened(exchange_record(ex))).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as handle:
                handle.write(line)
        except OSError as exc:
            log.warning("could not keep the network log on disk: %s", exc)
            return
        self._bytes += len(line)
        if self._count >= 0:
            self._count += 1
        if self._bytes > self._max_bytes or self._count > self._max_exchanges * 5 // 4:
            self.compact()

    def compact(self) -> None:
        """Rewrite the file with the newest records that fit in 3/4 of both bounds."""
        lines = _lines(self.path, None)
        keep: deque[bytes] = deque()
        size = 0
        for line in reversed(lines):
            if len(keep) >= self._max_exchanges * 3 // 4:
                break
            if size + len(line) > self._max_bytes * 3 // 4:
                break
            keep.appendleft(line)
            size += len(line)
        try:
            atomic_write_text(self.path, b"".join(keep).decode("utf-8", "replace"))
        except OSError as exc:
            log.warning("could not shorten the network log on disk: %s", exc)
            return
        self._count, self._bytes = len(keep), size
        self._earlier = min(self._earlier, size)

    def clear(self) -> None:
        """Forget the history (the log was cleared)."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not clear the network log on disk: %s", exc)
        self._count, self._bytes, self._earlier = 0, 0, 0

    # -- reading -------------------------------------------------------------------------------

    def read(self) -> list[Exchange]:
        """The exchanges of earlier runs, oldest first (safe on a worker thread: it reads only
        the bytes that were there when the history was opened)."""
        lines = _lines(self.path, self._earlier)
        if self._count < 0:
            self._count = len(lines)
        out: list[Exchange] = []
        for line in lines[-self._max_exchanges :]:
            try:
                out.append(exchange_from_record(json.loads(line)))
            except (ValueError, TypeError, KeyError, AttributeError):
                continue  # a damaged line (a crash mid-write): skipped
        return out

    def restore_into(self, netlog: NetLog) -> int:
        """``read`` and put the result before ``netlog``'s records; how many."""
        return netlog.restore(self.read())


def shortened(record: dict[str, Any]) -> dict[str, Any]:
    """An exchange record small enough for the history: first and last frames, body head."""
    frames = record["frames"]
    if len(frames) > RECORD_FRAMES:
        half = RECORD_FRAMES // 2
        record["frames_dropped"] += len(frames) - RECORD_FRAMES
        gap = record["frames_gap_at"]
        record["frames_gap_at"] = half if gap < 0 or gap > half else gap
        record["frames"] = [*frames[:half], *frames[-half:]]
    body = record["response_body"]
    if len(body) > RECORD_BODY_CHARS:
        record["response_body"], record["body_truncated"] = body[:RECORD_BODY_CHARS], True
    return record


def exchange_from_record(data: dict[str, Any]) -> Exchange:
    """An ``Exchange`` (finished) from an ``exchange_record``; the inverse of that function."""
    from desktop.netlog.masking import TokenShape

    frames: list[RawFrame] = [(float(t), str(e), str(d)) for t, e, d in data["frames"]]
    gap = int(data.get("frames_gap_at", -1))
    head, tail = (frames[:gap], frames[gap:]) if gap >= 0 else (frames, [])
    token = data.get("token")
    ex = Exchange(
        id=int(data["id"]),
        started_at=float(data["started_at"]),
        method=str(data["method"]),
        url=str(data["url"]),
        request_headers=[(str(k), str(v)) for k, v in data["request_headers"]],
        request_body=str(data["request_body"]),
        token=TokenShape(**token) if isinstance(token, dict) else None,
        status=data.get("status"),
        response_headers=[(str(k), str(v)) for k, v in data["response_headers"]],
        log_id=str(data.get("log_id", "")),
        response_body=str(data.get("response_body", "")),
        body_truncated=bool(data.get("body_truncated")),
        is_stream=bool(data.get("is_stream")),
        head_frames=head,
        tail_frames=deque(tail),
        event_count=int(data.get("event_count", len(frames))),
        timings={str(k): float(v) for k, v in dict(data.get("timings") or {}).items()},
        attempt=int(data.get("attempt", 1)),
        error=_error(data.get("error")),
        context={str(k): str(v) for k, v in dict(data.get("context") or {}).items()},
        cancelled=bool(data.get("cancelled")),
        done=True,
    )
    ex._head_cap = len(head)
    return ex


def _error(data: object) -> RecordedError | None:
    """The recorded error of an earlier run, as the API's error with its diagnosis."""
    if not isinstance(data, dict):
        return None
    from desktop.api import diagnoses
    from desktop.api.error_types import CozeError

    diagnosis = diagnoses.get(str(data.get("diagnosis") or CozeError.default_key))
    code = data.get("code")
    status = data.get("status")
    return CozeError(
        str(data.get("msg") or ""),
        status=status if isinstance(status, int) else None,
        code=code if isinstance(code, int) else None,
        log_id=str(data.get("log_id") or ""),
        url=str(data.get("url") or ""),
        diagnosis=diagnosis,
    )


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _lines(path: Path, limit: int | None) -> list[bytes]:
    """The complete lines of the file's first ``limit`` bytes (all without a limit)."""
    try:
        with path.open("rb") as handle:
            data = handle.read() if limit is None else handle.read(limit)
    except OSError:
        return []
    lines = data.splitlines(keepends=True)
    return [line for line in lines if line.endswith(b"\n")]

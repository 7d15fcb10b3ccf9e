"""In-memory records of every HTTP exchange with Coze, as plain data, bounded in size.

The client writes here while a request is in flight (request, response head, body or SSE frames,
timings, final error); the log dock and the exports read from here. No second request is ever
needed to fill the log.

Memory is bounded three ways: the number of exchanges kept, the characters of a body kept, and the
frames kept per stream (later frames are counted in ``frames_dropped``). Recording a frame is on
the streaming hot path, so it is one slots object and one list append; subscribers hear about
frames at most every ``_FRAME_NOTIFY_INTERVAL`` seconds.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.netlog.masking import TokenShape, mask_header, scrub_text, token_shape

if TYPE_CHECKING:
    from desktop.api.errors import CozeError

_log = logging.getLogger(__name__)
_FRAME_NOTIFY_INTERVAL = 0.25
_LOG_ID_HEADER = "x-tt-logid"

Subscriber = Callable[["Exchange", str], None]


@dataclass(slots=True)
class Frame:
    """One SSE frame as received; ``t`` is seconds since the request started."""

    t: float
    event: str
    data: str


@dataclass(eq=False)
class Exchange:
    """One HTTP request/response (one attempt). Mutable while in flight; ``done`` when finished."""

    id: int
    started_at: float
    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: str
    token: TokenShape | None
    status: int | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    log_id: str = ""
    response_body: str = ""
    body_truncated: bool = False
    is_stream: bool = False
    raw_frames: list[tuple[float, str, str]] = field(default_factory=list, repr=False)
    frames_dropped: int = 0
    event_count: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    attempt: int = 1
    error: CozeError | None = None
    context: dict[str, str] = field(default_factory=dict)
    upload: tuple[str, int] | None = None  # (file name, size) of a multipart upload
    cancelled: bool = False  # the caller stopped it (Stop, a closed stream, a cancelled task)
    done: bool = False
    t0: float = field(default=0.0, repr=False)  # perf_counter() at begin
    last_notify: float = field(default=0.0, repr=False)
    _frames_built: list[Frame] = field(default_factory=list, repr=False)

    @property
    def frames(self) -> list[Frame]:
        """The recorded frames (built lazily from compact tuples and cached)."""
        built = self._frames_built
        raw = self.raw_frames
        if len(built) < len(raw):
            built.extend(Frame(t, e, d) for t, e, d in raw[len(built) :])
        return built

    @property
    def coze_code(self) -> int | None:
        """The Coze ``code`` of the outcome: the error's, else 0 for a finished success."""
        if self.error is not None:
            return self.error.code
        return 0 if self.done and self.status == 200 else None

    @property
    def duration(self) -> float | None:
        return self.timings.get("total")

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0


class NetLog:
    """The bounded list of exchanges plus change notifications.

    ``subscribe(callback)``: ``callback(exchange, kind)`` with kind ``"begin"``, ``"update"`` or
    ``"finish"``; it runs on the caller's thread (the event loop), so keep it cheap.
    """

    def __init__(
        self, max_exchanges: int = 2000, max_body_chars: int = 256_000, max_frames: int = 50_000
    ) -> None:
        self._exchanges: deque[Exchange] = deque(maxlen=max_exchanges)
        self._max_body = max_body_chars
        self._max_frames = max_frames
        self._subscribers: list[Subscriber] = []
        self._ids = itertools.count(1)

    # -- writing -------------------------------------------------------------------------------

    def begin(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: str,
        context: Mapping[str, str] | None = None,
        *,
        attempt: int = 1,
        is_stream: bool = False,
        upload: tuple[str, int] | None = None,
    ) -> Exchange:
        """Record a request about to be sent; the Authorization header is masked here."""
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        ex = Exchange(
            id=next(self._ids),
            started_at=time.time(),
            method=method,
            url=url,
            request_headers=[(k, mask_header(k, v)) for k, v in headers.items()],
            request_body=self._cap(scrub_text(body))[0],
            token=token_shape(auth) if auth is not None else None,
            is_stream=is_stream,
            attempt=attempt,
            context=dict(context or {}),
            upload=upload,
            t0=time.perf_counter(),
        )
        self._exchanges.append(ex)
        self._notify(ex, "begin")
        return ex

    def timing(self, ex: Exchange, name: str, seconds: float) -> None:
        ex.timings[name] = seconds

    def response(self, ex: Exchange, status: int, headers: Mapping[str, str]) -> None:
        """The response head arrived: status, headers, log id, time to first byte."""
        ex.status = status
        ex.response_headers = [(k, mask_header(k, v)) for k, v in headers.items()]
        ex.log_id = next((v for k, v in headers.items() if k.lower() == _LOG_ID_HEADER), "")
        ex.timings["ttfb"] = ex.elapsed()
        self._notify(ex, "update")

    def body(self, ex: Exchange, text: str, *, log_id: str = "") -> None:
        """A (non-stream) body; kept up to the body cap. ``log_id`` from ``detail.logid``."""
        ex.response_body, ex.body_truncated = self._cap(scrub_text(text))
        if log_id and not ex.log_id:
            ex.log_id = log_id
        self._notify(ex, "update")

    def frame(self, ex: Exchange, event: str, data: str) -> None:
        """One SSE frame (hot path: keep it cheap)."""
        t = time.perf_counter() - ex.t0
        ex.event_count += 1
        # a plain tuple of str/float: the garbage collector stops tracking it, which keeps a
        # 50,000-frame log from slowing every later collection (Frame objects are built lazily)
        if len(ex.raw_frames) < self._max_frames:
            ex.raw_frames.append((t, event, data))
        else:
            ex.frames_dropped += 1
        if t - ex.last_notify >= _FRAME_NOTIFY_INTERVAL:
            ex.last_notify = t
            self._notify(ex, "update")

    def finish(self, ex: Exchange, error: CozeError | None = None) -> None:
        """The exchange is over (successfully when ``error`` is None). Idempotent."""
        if ex.done:
            return
        ex.error = error
        if error is not None and error.log_id and not ex.log_id:
            ex.log_id = error.log_id
        ex.timings["total"] = ex.elapsed()
        ex.done = True
        self._notify(ex, "finish")

    # -- reading -------------------------------------------------------------------------------

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Register ``callback``; returns a function that unregisters it."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def exchanges(self) -> list[Exchange]:
        return list(self._exchanges)

    def find(self, *, log_id: str = "", chat_id: str = "") -> Exchange | None:
        """The newest exchange with this log id, or whose frames/body mention this chat id."""
        for ex in reversed(self._exchanges):
            if log_id and ex.log_id == log_id:
                return ex
            if chat_id and _mentions(ex, chat_id):
                return ex
        return None

    def clear(self) -> None:
        self._exchanges.clear()

    # -- internals -----------------------------------------------------------------------------

    def _cap(self, text: str) -> tuple[str, bool]:
        if len(text) <= self._max_body:
            return text, False
        return text[: self._max_body], True

    def _notify(self, ex: Exchange, kind: str) -> None:
        for callback in list(self._subscribers):
            try:
                callback(ex, kind)
            except Exception:  # a broken view must not break the request
                _log.exception("netlog subscriber failed")


def _mentions(ex: Exchange, chat_id: str) -> bool:
    if chat_id in ex.url or chat_id in ex.response_body:
        return True
    return any(chat_id in data for _, _, data in ex.raw_frames[:4])


def exchange_record(ex: Exchange) -> dict[str, Any]:
    """A JSON-serialisable dict of everything recorded (already masked)."""
    return {
        "id": ex.id,
        "started_at": ex.started_at,
        "method": ex.method,
        "url": ex.url,
        "attempt": ex.attempt,
        "context": ex.context,
        "request_headers": [list(h) for h in ex.request_headers],
        "request_body": ex.request_body,
        "token": None if ex.token is None else asdict(ex.token),
        "status": ex.status,
        "response_headers": [list(h) for h in ex.response_headers],
        "log_id": ex.log_id,
        "is_stream": ex.is_stream,
        "response_body": ex.response_body,
        "body_truncated": ex.body_truncated,
        "frames": [[round(t, 6), event, data] for t, event, data in ex.raw_frames],
        "frames_dropped": ex.frames_dropped,
        "event_count": ex.event_count,
        "timings": dict(ex.timings),
        "error": None if ex.error is None else ex.error.to_dict(),
        "cancelled": ex.cancelled,
        "done": ex.done,
    }

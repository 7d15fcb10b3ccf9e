"""In-memory records of every HTTP exchange with Coze, as plain data, bounded in size.

The client writes here while a request is in flight (request, response head, body or SSE frames,
timings, final error); the log dock and the exports read from here. No second request is ever
needed to fill the log.

Memory is bounded three ways: the number of exchanges kept, the characters of a body kept, and the
frames kept per stream. A stream keeps its first frames (``head_frames``, up to half the frame cap
and half the character budget) and its last frames (``tail_frames``, a bounded deque with the
other half): the end of a stream — ``message.completed``, ``chat.completed`` with usage,
``chat.failed``, ``error``, ``done`` — is what a diagnosis needs most. The frames in between are
counted in ``frames_dropped``; every frame has a sequence number (its position in the stream,
``0 .. event_count - 1``), so readers can show where the gap is (``gap_at``). Recording a frame is
one tuple and one append (plus an eviction once the tail is full); subscribers hear about frames
at most every ``_FRAME_NOTIFY_INTERVAL`` seconds.
"""

# Per-token hot path: measured by tests/bench/bench_stream.py and bench_log_dock.py; keep allocations out of the per-frame code.

from __future__ import annotations

import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from desktop.netlog.masking import TokenShape, mask_header, scrub_text, token_shape

_log = logging.getLogger(__name__)
_FRAME_NOTIFY_INTERVAL = 0.25
# hosted Coze names a response with X-Tt-Logid, Coze Studio with X-Log-Id (a uuid)
_LOG_ID_HEADERS = ("x-tt-logid", "x-log-id")


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


class RecordedError(Protocol):
    """What the log keeps of a failed exchange: the API layer's error (``CozeError``), seen
    through the few members the log and its readers use, so the log does not import the API."""

    @property
    def code(self) -> int | None: ...
    @property
    def msg(self) -> str: ...
    @property
    def log_id(self) -> str: ...
    @property
    def diagnosis(self) -> _Keyed: ...
    def summary(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...


# (exchange, kind): kind "begin", "update", "finish"; with None: "clear" or "restored"
Subscriber = Callable[["Exchange | None", str], None]
RawFrame = tuple[float, str, str]  # (t, event, data): what is stored per frame


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
    head_frames: list[RawFrame] = field(default_factory=list, repr=False)  # the first frames
    tail_frames: deque[RawFrame] = field(default_factory=deque, repr=False)  # the last frames
    event_count: int = 0  # every frame received, kept or not
    timings: dict[str, float] = field(default_factory=dict)
    attempt: int = 1
    error: RecordedError | None = None
    context: dict[str, str] = field(default_factory=dict)
    upload: tuple[str, int] | None = None  # (file name, size) of a multipart upload
    cancelled: bool = False  # the caller stopped it (Stop, a closed stream, a cancelled task)
    done: bool = False
    t0: float = field(default=0.0, repr=False)  # perf_counter() at begin
    last_notify: float = field(default=0.0, repr=False)
    _frames_built: list[Frame] = field(default_factory=list, repr=False)
    _frames_key: int = field(default=0, repr=False)  # frames_dropped when _frames_built was made
    # bookkeeping of NetLog.frame (see there)
    _head_cap: int = field(default=0, repr=False)  # head_frames may grow up to this many
    _head_chars: int = field(
        default=0, repr=False
    )  # data characters of head_frames[:_head_counted]
    _head_counted: int = field(default=0, repr=False)
    _tail_plain: bool = field(default=True, repr=False)  # every tail frame is small: no counting
    _tail_chars: int = field(default=0, repr=False)  # data characters in the tail when not plain
    _small_run: int = field(default=0, repr=False)  # small frames appended since a long one

    # -- the kept frames: head, then (after a gap of frames_dropped) tail ------------------------

    @property
    def frames_dropped(self) -> int:
        """Frames received but not kept (all from the middle of the stream)."""
        return self.event_count - len(self.head_frames) - len(self.tail_frames)

    @property
    def kept_count(self) -> int:
        return len(self.head_frames) + len(self.tail_frames)

    @property
    def tail_start(self) -> int:
        """Sequence number of the first tail frame (``event_count`` when the tail is empty)."""
        return self.event_count - len(self.tail_frames)

    @property
    def gap_at(self) -> int:
        """Index in :meth:`kept_frames` where frames were dropped, -1 when none were."""
        return len(self.head_frames) if self.frames_dropped else -1

    def kept_frames(self) -> list[RawFrame]:
        """Every kept frame in order (a new list: head, then tail)."""
        return [*self.head_frames, *self.tail_frames]

    def frame_at(self, seq: int) -> RawFrame | None:
        """The frame with sequence number ``seq``, or None when it was not kept."""
        head = self.head_frames
        if 0 <= seq < len(head):
            return head[seq]
        offset = seq - self.tail_start
        return self.tail_frames[offset] if 0 <= offset < len(self.tail_frames) else None

    def next_kept(self, seq: int) -> int:
        """The first kept sequence number >= ``seq`` (``event_count`` when there is none)."""
        return seq if seq < len(self.head_frames) else max(seq, self.tail_start)

    def kept_between(self, start: int, end: int) -> Iterator[tuple[int, RawFrame]]:
        """``(seq, frame)`` of the kept frames with ``start <= seq < end``, in order."""
        head = self.head_frames
        for seq in range(max(0, start), min(end, len(head))):
            yield seq, head[seq]
        tail_start = self.tail_start
        first = max(start, tail_start, len(head))
        if first < end:
            tail = self.tail_frames
            stop = min(end, self.event_count) - tail_start
            yield from enumerate(itertools.islice(tail, first - tail_start, stop), first)

    def kept_chars(self) -> int:
        """Data characters of the kept frames (counted now)."""
        return sum(len(f[2]) for f in itertools.chain(self.head_frames, self.tail_frames))

    def last_frames(self, n: int) -> list[RawFrame]:
        """The last ``n`` kept frames (the tail first, then the head's end), in order."""
        tail = self.tail_frames
        if len(tail) >= n:
            return list(itertools.islice(tail, len(tail) - n, None))
        rest = n - len(tail)
        return [*self.head_frames[-rest:], *tail] if rest else list(tail)

    @property
    def frames(self) -> list[Frame]:
        """The kept frames as :class:`Frame` objects (built lazily from the tuples and cached)."""
        built = self._frames_built
        dropped = self.frames_dropped
        if dropped != self._frames_key:  # the tail moved on: rebuild
            built.clear()
            self._frames_key = dropped
        if len(built) < self.kept_count:
            kept = itertools.chain(self.head_frames, self.tail_frames)
            built.extend(Frame(t, e, d) for t, e, d in itertools.islice(kept, len(built), None))
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
    ``"finish"``, or ``callback(None, kind)`` with ``"clear"`` (every record forgotten) or
    ``"restored"`` (records of an earlier run put before the others, ``restore``); it runs on
    the caller's thread (the event loop), so keep it cheap.
    """

    def __init__(
        self,
        max_exchanges: int = 2000,
        max_body_chars: int = 256_000,
        max_frames: int = 50_000,
        max_frame_chars: int = 16_000_000,
    ) -> None:
        """``max_frames`` and ``max_frame_chars`` (data characters) bound each stream's frames:
        half of each for the first frames, the rest for the last ones."""
        self._exchanges: deque[Exchange] = deque(maxlen=max_exchanges)
        self._max_body = max_body_chars
        self._head_max = max(0, max_frames) // 2
        self._tail_max = max(0, max_frames) - self._head_max
        self._head_budget = max(0, max_frame_chars) // 2
        self._tail_budget = max(0, max_frame_chars) - self._head_budget
        # a frame no longer than this cannot break the budget (count cap x this <= budget)
        self._head_small = self._head_budget // self._head_max if self._head_max else 0
        self._tail_small = self._tail_budget // self._tail_max if self._tail_max else -1
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
            tail_frames=deque(maxlen=self._tail_max),
            _head_cap=self._head_max,
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
        found = {k.lower(): v for k, v in headers.items() if k.lower() in _LOG_ID_HEADERS}
        ex.log_id = next((found[name] for name in _LOG_ID_HEADERS if found.get(name)), "")
        ex.timings["ttfb"] = ex.elapsed()
        self._notify(ex, "update")

    def body(self, ex: Exchange, text: str, *, log_id: str = "") -> None:
        """A (non-stream) body; kept up to the body cap. ``log_id`` from ``detail.logid``."""
        ex.response_body, ex.body_truncated = self._cap(scrub_text(text))
        if log_id and not ex.log_id:
            ex.log_id = log_id
        self._notify(ex, "update")

    def frame(self, ex: Exchange, event: str, data: str) -> None:
        """One SSE frame.

        The first frames fill the head, up to half the frame cap and half the character budget;
        later ones go to the tail, which forgets its oldest frames to stay within the other half
        (the newest frame is always kept, however long). Characters are only counted for "long"
        frames: as long as every frame is at most budget / count cap long, the count cap alone
        keeps the budget, so the common case is one length check and one append.
        """
        t = time.perf_counter() - ex.t0
        ex.event_count += 1
        # a plain tuple of str/float: the garbage collector stops tracking it, which keeps a
        # 50,000-frame log from slowing every later collection (Frame objects are built lazily)
        head = ex.head_frames
        if len(head) < ex._head_cap:
            if len(data) <= self._head_small:
                head.append((t, event, data))
            else:
                self._long_head_frame(ex, (t, event, data))
        elif ex._tail_plain and len(data) <= self._tail_small:
            ex.tail_frames.append((t, event, data))  # full: the deque forgets its oldest
        else:
            self._tail_frame(ex, (t, event, data))
        if t - ex.last_notify >= _FRAME_NOTIFY_INTERVAL:
            ex.last_notify = t
            self._notify(ex, "update")

    def finish(self, ex: Exchange, error: RecordedError | None = None) -> None:
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
        self._notify(None, "clear")

    def restore(self, older: list[Exchange]) -> int:
        """Put exchanges of an earlier run (finished, oldest first) before the ones recorded
        since, as far as the cap allows; subscribers hear ``"restored"`` once. How many."""
        room = (self._exchanges.maxlen or len(older)) - len(self._exchanges)
        kept = older[-room:] if room > 0 else []
        for ex in reversed(kept):
            ex.id = next(self._ids)
            self._exchanges.appendleft(ex)
        if kept:
            self._notify(None, "restored")
        return len(kept)

    # -- internals -----------------------------------------------------------------------------

    def _cap(self, text: str) -> tuple[str, bool]:
        if len(text) <= self._max_body:
            return text, False
        return text[: self._max_body], True

    def _long_head_frame(self, ex: Exchange, frame: RawFrame) -> None:
        """A long frame while the head is open: keep it if the head's budget allows."""
        head = ex.head_frames
        chars = ex._head_chars + sum(len(f[2]) for f in head[ex._head_counted :]) + len(frame[2])
        if chars > self._head_budget:
            ex._head_cap = len(head)  # the head is closed
            self._tail_frame(ex, frame)
            return
        head.append(frame)
        ex._head_chars, ex._head_counted = chars, len(head)
        # from now on, only as many short frames as surely fit in what is left of the budget
        room = (self._head_budget - chars) // max(1, self._head_small)
        ex._head_cap = min(ex._head_cap, len(head) + room)

    def _tail_frame(self, ex: Exchange, frame: RawFrame) -> None:
        """Append to the tail counting characters, forgetting its oldest frames to stay within
        both budgets; back to plain appends once every frame it keeps is short again."""
        tail = ex.tail_frames
        if not tail.maxlen:
            return
        size = len(frame[2])
        if ex._tail_plain:
            ex._tail_plain, ex._tail_chars = False, sum(len(f[2]) for f in tail)
        chars = ex._tail_chars + size
        while tail and (len(tail) == tail.maxlen or chars > self._tail_budget):
            chars -= len(tail.popleft()[2])
        tail.append(frame)
        ex._tail_chars = chars
        ex._small_run = ex._small_run + 1 if size <= self._tail_small else 0
        if ex._small_run >= tail.maxlen:
            ex._tail_plain, ex._small_run = True, 0

    def _notify(self, ex: Exchange | None, kind: str) -> None:
        for callback in list(self._subscribers):
            try:
                callback(ex, kind)
            except Exception:  # noqa: BLE001 - a broken view must not break the request (logged)
                _log.exception("netlog subscriber failed")


def _mentions(ex: Exchange, chat_id: str) -> bool:
    if chat_id in ex.url or chat_id in ex.response_body:
        return True
    return any(chat_id in data for _, _, data in ex.head_frames[:4])

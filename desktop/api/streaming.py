"""Turns an open ``text/event-stream`` response into typed events.

How a stream ends decides what the caller sees:

* ``done`` / Coze Studio's ``conversation.stream.done`` -> the generator ends after yielding it;
* EOF (or a dropped socket) *after* a terminal chat event -> normal end: recorded Coze streams
  often lack the final blank line or the ``done`` event entirely;
* ``event:error`` or a bare JSON error line -> the :class:`ErrorEvent` is yielded, then
  :class:`StreamErrorEvent` is raised;
* EOF, a dropped socket or a read timeout *before* a terminal chat event -> :class:`StreamCutError`
  / :class:`CozeTimeoutError` with ``partial`` telling whether any event had arrived;
* EOF or a drop after the answer's ``conversation.message.completed`` but before any terminal
  chat event (recorded from coze.com) -> :class:`StreamCutError` with ``answer_complete``: the
  stream ended early, the answer itself is whole.

Error events are diagnosed in the dialect of the response (:mod:`desktop.api.dialect`): a Coze
Studio server's codes and messages read differently from hosted Coze's.

The response is always closed in ``finally`` — also when the consumer stops early and closes the
generator (``contextlib.aclosing``), so Stop really frees the socket.

What a server may send is bounded (:class:`desktop.api.models.Limits`): the body is read through
:func:`desktop.api.body.body_chunks` (size, decompression), the decoder bounds lines and events,
the parser the answer text, and a stream whose bytes trickle in without a new event for
``progress_seconds`` fails as stalled — each a plain diagnosis, with what arrived kept.

Per frame the work is: one netlog append, one typed msgspec decode, one ``yield``.
"""

# Per-token hot path: measured by tests/bench/bench_stream.py; keep allocations out of the per-delta code.

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable

import httpx

from desktop.api import diagnoses
from desktop.api.body import body_chunks, limit_error, size_text
from desktop.api.dialect import dialect_of
from desktop.api.errors import (
    CozeError,
    CozeTimeoutError,
    NetworkError,
    ResponseLimitError,
    StreamCutError,
    StreamErrorEvent,
    diagnose,
    error_from_exception,
)
from desktop.api.events import (
    ChatEvent,
    DoneEvent,
    ErrorEvent,
    MessageCompleted,
    MessageDelta,
    StreamEvent,
    StreamOpened,
    parse_bare_json,
    parse_event,
)
from desktop.api.models import Limits
from desktop.api.sse import SSEDecoder, SSEFrame, SSELimitError
from desktop.netlog import Exchange, NetLog


class _Parser:
    """Frames -> events, recording each frame and remembering whether the chat has ended."""

    __slots__ = ("answer_cap", "answered", "chars", "count", "ex", "netlog", "over", "terminal")

    def __init__(self, netlog: NetLog, ex: Exchange, answer_cap: int) -> None:
        self.netlog = netlog
        self.ex = ex
        self.terminal = False
        self.answered = False  # an answer's message.completed arrived
        self.count = 0
        self.chars = 0  # answer and reasoning text so far
        self.answer_cap = answer_cap
        self.over = False  # the answer passed ``answer_cap``: the frames after it were dropped

    def events(self, frames: list[SSEFrame]) -> list[StreamEvent]:
        record = self.netlog.frame
        ex = self.ex
        out: list[StreamEvent] = []
        for frame in frames:
            event = frame.event
            record(ex, event, frame.data)
            if frame.bare:
                out.append(parse_bare_json(frame.data))
                continue
            parsed = parse_event(event, frame.data)
            if type(parsed) is MessageDelta:
                message = parsed.message
                self.chars += len(message.content) + len(message.reasoning_content)
                if self.chars > self.answer_cap:
                    self.over = True
                    break
            elif type(parsed) is ChatEvent:
                if parsed.chat.is_terminal:
                    self.terminal = True
            elif type(parsed) is MessageCompleted and parsed.message.type in _ANSWER:
                self.answered = True
            out.append(parsed)
        self.count += len(out)
        return out


_ANSWER = frozenset({"answer", ""})


def _stream_error(ev: ErrorEvent, ex: Exchange, region: str) -> StreamErrorEvent:
    dialect = dialect_of(region, dict(ex.response_headers))
    diagnosis = diagnose(None, ev.code or None, ev.msg, region=dialect)
    if diagnosis.key == "api_error":
        diagnosis = diagnoses.get("stream_error", region)
    return StreamErrorEvent(
        ev.msg or "error event",
        status=ex.status,
        code=ev.code or None,
        log_id=ex.log_id,
        url=ex.url,
        diagnosis=diagnosis,
    )


def _cut(parser: _Parser, ex: Exchange, exc: BaseException | None, region: str) -> NetworkError:
    """The error for a stream that ended before a terminal chat event."""
    if parser.answered:
        early = StreamCutError(
            "the stream ended after the answer, without the chat's closing events",
            url=ex.url,
            status=ex.status,
            log_id=ex.log_id,
            diagnosis=diagnoses.get("stream_ended_early", region),
        )
        early.answer_complete = True
        return early
    if exc is None:
        error: NetworkError = StreamCutError(
            "the stream ended before the answer was complete",
            url=ex.url,
            diagnosis=diagnoses.get("stream_cut", region),
        )
    else:
        error = error_from_exception(exc, ex.url, partial=True, region=region)
    error.partial = parser.count > 0
    error.status = ex.status
    error.log_id = ex.log_id
    return error


Opener = Callable[[], Awaitable[tuple[httpx.Response, Exchange]]]


def _over_limit(parser: _Parser, ex: Exchange, what: str, region: str) -> ResponseLimitError:
    error = limit_error(what, ex.url, region, partial=parser.count > 0)
    error.status, error.log_id = ex.status, ex.log_id
    return error


def _trickling(parser: _Parser, ex: Exchange, limits: Limits, region: str) -> CozeTimeoutError:
    return CozeTimeoutError(
        f"no new event for {limits.progress_seconds:g} s while bytes kept arriving",
        partial=parser.count > 0,
        status=ex.status,
        log_id=ex.log_id,
        url=ex.url,
        diagnosis=diagnoses.get("server_trickling", region),
    )


async def iter_events(
    open_stream: Opener, netlog: NetLog, region: str, limits: Limits | None = None
) -> AsyncGenerator[StreamEvent]:
    """Send the request (``open_stream``) on first iteration, then yield the stream's events.

    One generator does both so there is a single async-generator layer per event and a single
    ``finally`` that closes the response.
    """
    limits = limits or Limits()
    response, ex = await open_stream()
    decoder = SSEDecoder(limits.line_chars, limits.event_chars)
    parser = _Parser(netlog, ex, limits.answer_chars)
    feed, events = decoder.feed, parser.events
    clock, idle = time.monotonic, limits.progress_seconds
    error: CozeError | None = None
    try:
        yield StreamOpened(ex)
        try:
            progress = clock()
            async for chunk in body_chunks(response, limits):
                frames = feed(chunk)
                now = clock()
                if not frames:
                    if now - progress > idle:
                        raise _trickling(parser, ex, limits, region)
                    continue
                progress = now
                for ev in events(frames):
                    yield ev
                    if type(ev) is not MessageDelta and _ends(ev, ex, region):
                        return
                if parser.over:
                    raise _over_limit(
                        parser, ex, f"the answer passed the {size_text(limits.answer_chars)} "
                        "text limit (the stream was still sending)", region,
                    )  # fmt: skip
        except SSELimitError as exc:
            raise _over_limit(parser, ex, str(exc), region) from None
        except ResponseLimitError as exc:
            exc.partial, exc.status, exc.log_id = parser.count > 0, ex.status, ex.log_id
            raise
        except httpx.HTTPError as exc:
            if parser.terminal:
                return  # the answer is complete; a late drop does not matter
            raise _cut(parser, ex, exc, region) from exc
        for ev in events(decoder.close()):
            yield ev
            if _ends(ev, ex, region):
                return
        if not parser.terminal:
            raise _cut(parser, ex, None, region)
    except CozeError as exc:
        error = exc
        raise
    except (GeneratorExit, asyncio.CancelledError):
        ex.cancelled = True  # the consumer stopped early (Stop button, aclosing, task cancel)
        raise
    finally:
        await response.aclose()
        netlog.finish(ex, error)


def _ends(ev: StreamEvent, ex: Exchange, region: str) -> bool:
    """True after ``done``; raises after an error event (which has been yielded already)."""
    if type(ev) is ErrorEvent:
        raise _stream_error(ev, ex, region)
    return type(ev) is DoneEvent

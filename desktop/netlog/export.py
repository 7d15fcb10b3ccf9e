"""Exports of recorded exchanges: copy-as-cURL, HAR 1.2 and JSON lines — all masked.

The records are masked when written (see :mod:`desktop.netlog.masking`) except the SSE frames,
which the hot path records raw; every export masks its structure once more, string by string,
*before* encoding it, so a HAR or JSON-lines file always parses and a header is masked once. cURL
uses ``$COZE_API_TOKEN`` for the token unless the caller explicitly passes the real one (e.g.
"copy with token" after a confirmation); its words are masked before they are quoted, so the
command always parses as shell.
"""

from __future__ import annotations

import json
import shlex
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from desktop.netlog.masking import scrub_strings, scrub_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from desktop.netlog.records import Exchange

# curl computes these itself; copying them would make the command wrong or noisy.
_CURL_SKIP = frozenset(
    {"authorization", "content-length", "host", "connection", "accept-encoding", "user-agent"}
)
_CREATOR = {"name": "Coze Desktop", "version": "0.1.0"}


def _header(headers: list[tuple[str, str]], name: str) -> str:
    return next((v for k, v in headers if k.lower() == name), "")


def to_curl(ex: Exchange, token: str | None = None) -> str:
    """A shell command reproducing the request (``-N`` for streams so output is not buffered)."""
    clean = scrub_text if token is None else _same
    parts = ["curl"]
    if ex.is_stream:
        parts.append("-N")
    parts += ["-X", ex.method, shlex.quote(clean(ex.url))]
    if ex.token is not None:
        if token is None:
            # double quotes so the shell expands the variable
            parts += ["-H", '"Authorization: Bearer $COZE_API_TOKEN"']
        else:
            parts += ["-H", shlex.quote(f"Authorization: Bearer {token}")]
    multipart = "multipart/" in _header(ex.request_headers, "content-type")
    for name, value in ex.request_headers:
        if name.lower() in _CURL_SKIP or (multipart and name.lower() == "content-type"):
            continue
        parts += ["-H", shlex.quote(clean(f"{name}: {value}"))]
    if ex.upload is not None:
        parts += ["-F", shlex.quote(clean(f"file=@{ex.upload[0]}"))]
    elif ex.request_body:
        parts += ["--data-raw", shlex.quote(clean(ex.request_body))]
    return " ".join(parts)


def _same(text: str) -> str:
    return text


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _har_headers(headers: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in headers]


def _sse_text(ex: Exchange) -> str:
    """The kept frames as an SSE body; a gap is an SSE comment saying how many were not kept."""
    parts = [f"event:{event}\ndata:{data}\n\n" for _t, event, data in ex.kept_frames()]
    if ex.frames_dropped:
        parts.insert(ex.gap_at, f": {ex.frames_dropped} frames not kept (netlog frame cap)\n\n")
    return "".join(parts)


def _ms(seconds: float | None) -> float:
    return -1 if seconds is None else round(seconds * 1000, 3)


def _har_timings(ex: Exchange) -> dict[str, float]:
    t = ex.timings
    ttfb = t.get("ttfb")
    total = t.get("total", ttfb or 0.0)
    connect, tls = t.get("connect"), t.get("tls")
    setup = (connect or 0.0) + (tls or 0.0)
    wait = max(0.0, (ttfb - setup)) if ttfb is not None else total
    receive = max(0.0, total - ttfb) if ttfb is not None else 0.0
    return {
        "blocked": -1,
        "dns": -1,
        "connect": _ms(None if connect is None else connect + (tls or 0.0)),
        "ssl": _ms(tls),
        "send": 0,
        "wait": _ms(wait),
        "receive": _ms(receive),
    }


def _har_request(ex: Exchange) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": ex.method,
        "url": ex.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _har_headers(ex.request_headers),
        "queryString": [{"name": k, "value": v} for k, v in parse_qsl(urlsplit(ex.url).query)],
        "headersSize": -1,
        "bodySize": len(ex.request_body.encode()) if ex.request_body else 0,
    }
    if ex.request_body:
        mime = _header(ex.request_headers, "content-type") or "application/json"
        request["postData"] = {"mimeType": mime, "text": ex.request_body}
    return request


def _har_response(ex: Exchange) -> dict[str, Any]:
    text = _sse_text(ex) if ex.is_stream and ex.kept_count else ex.response_body
    mime = _header(ex.response_headers, "content-type")
    return {
        "status": ex.status or 0,
        "statusText": "",
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _har_headers(ex.response_headers),
        "content": {"size": len(text.encode()), "mimeType": mime, "text": text},
        "redirectURL": _header(ex.response_headers, "location"),
        "headersSize": -1,
        "bodySize": -1,
    }


def _har_entry(ex: Exchange) -> dict[str, Any]:
    return {
        "startedDateTime": _iso(ex.started_at),
        "time": _ms(ex.timings.get("total", ex.timings.get("ttfb", 0.0))),
        "request": _har_request(ex),
        "response": _har_response(ex),
        "cache": {},
        "timings": _har_timings(ex),
        # custom fields start with "_" as HAR 1.2 allows
        "_logId": ex.log_id,
        "_attempt": ex.attempt,
        "_eventCount": ex.event_count,
        "_framesDropped": ex.frames_dropped,
        "_framesGapAt": ex.gap_at,  # index in _frames where the dropped frames were, -1 if none
        "_frames": [[round(f.t, 6), f.event, f.data] for f in ex.frames],
        "_error": None if ex.error is None else ex.error.to_dict(),
        "_context": ex.context,
    }


def to_har(exchanges: Iterable[Exchange]) -> dict[str, Any]:
    """A HAR 1.2 document (a JSON-serialisable dict), masked."""
    har: dict[str, Any] = {
        "log": {
            "version": "1.2",
            "creator": dict(_CREATOR),
            "pages": [],
            "entries": [_har_entry(ex) for ex in exchanges],
        }
    }
    masked: dict[str, Any] = scrub_strings(har)
    return masked


def to_jsonl(exchanges: Iterable[Exchange]) -> str:
    """One JSON object per exchange per line (every recorded field; see ``exchange_record``),
    masked."""
    return "".join(jsonl_line(exchange_record(ex)) for ex in exchanges)


def jsonl_line(record: dict[str, Any]) -> str:
    """One ``exchange_record`` (possibly shortened) as a masked JSON line: what the JSON-lines
    export writes and the network log's history keeps on disk."""
    return json.dumps(scrub_strings(record), ensure_ascii=False) + "\n"


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
        "token": None if ex.token is None else ex.token._asdict(),
        "status": ex.status,
        "response_headers": [list(h) for h in ex.response_headers],
        "log_id": ex.log_id,
        "is_stream": ex.is_stream,
        "response_body": ex.response_body,
        "body_truncated": ex.body_truncated,
        "frames": [[round(t, 6), event, data] for t, event, data in ex.kept_frames()],
        "frames_dropped": ex.frames_dropped,  # not kept, from the middle of the stream
        "frames_gap_at": ex.gap_at,  # index in "frames" where they were, -1 when none
        "event_count": ex.event_count,
        "timings": dict(ex.timings),
        "error": None if ex.error is None else ex.error.to_dict(),
        "cancelled": ex.cancelled,
        "done": ex.done,
    }

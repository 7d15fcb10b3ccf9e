"""Transport-neutral request and response values passed between the HTTP layer and the routes.

Routes are functions ``(Backend, Request) -> Response``; the HTTP handler turns a
:data:`Response` into bytes on the socket. Keeping them apart lets the routes stay small and
lets the handler own every socket detail (chunking, keep-alive, dropping, stalling).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from desktop.simulator.turn import Step


@dataclass(frozen=True)
class Request:
    """A parsed HTTP request (header names lower-case, single-valued query)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""
    json: Any = None
    studio: bool = False  # it names a Coze Studio bot or chat (decided by the router)


@dataclass
class JsonResponse:
    """A JSON body; the HTTP layer adds ``detail.logid`` and ``x-tt-logid`` — or, for a Coze
    Studio answer (``studio``), only an ``X-Log-Id`` uuid header."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    studio: bool = False


@dataclass
class StreamResponse:
    """A chunked stream of steps; *buffered* sends all of it in one write at the end.

    *on_abandon* runs when the client goes away mid-stream: like hosted Coze, the bot keeps
    generating (so the chat still completes unless it is cancelled).
    """

    steps: Iterator[Step]
    buffered: bool = False
    status: int = 200
    content_type: str = "text/event-stream"
    headers: dict[str, str] = field(default_factory=dict)
    on_abandon: Callable[[], None] | None = None
    studio: bool = False


@dataclass
class RawResponse:
    """Any other body (the gateway's HTML page)."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    studio: bool = False


@dataclass
class DropResponse:
    """Close the connection without answering."""


Response = JsonResponse | StreamResponse | RawResponse | DropResponse


def ok(data: Any = None, **extra: Any) -> JsonResponse:
    """A successful Coze envelope ``{"code":0,"msg":"","data":...}``."""
    body: dict[str, Any] = {"code": 0, "msg": ""}
    if data is not None:
        body["data"] = data
    body.update(extra)
    return JsonResponse(200, body)


def error(status: int, code: int, msg: str, headers: dict[str, str] | None = None) -> JsonResponse:
    """A Coze error envelope ``{"code","msg","detail":{"logid"}}`` (logid filled in later)."""
    return JsonResponse(status, {"code": code, "msg": msg}, dict(headers or {}))


def studio_ok(data: Any = None, **extra: Any) -> JsonResponse:
    """Coze Studio's success envelope: ``{"data":...,"code":0,"msg":"","BaseResp":null}`` (or,
    with ``data=None``, only the given top-level keys, as its message list and cancel answer)."""
    body: dict[str, Any] = {} if data is None else {"data": data}
    body.update(extra)
    if data is not None or "Messages" in extra:
        body.update(code=0, msg="", BaseResp=None)
    return JsonResponse(200, body, studio=True)


def bad_request(msg: str) -> JsonResponse:
    return error(400, 4000, f"Invalid request parameters: {msg}")

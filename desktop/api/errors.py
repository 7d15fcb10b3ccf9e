"""The errors the Coze client raises, each carrying a plain-language :class:`Diagnosis`.

Coze reports failures in many shapes (a JSON ``{"code","msg"}`` body with HTTP 200 or an error
status, ``event:error`` or a bare JSON line inside a stream, ``conversation.chat.failed``), and the
network adds its own (refused, DNS, TLS, proxy, timeouts, a cut stream, an HTML page from a
gateway). Everything becomes one :class:`CozeError` subclass with the HTTP status, the Coze code and
msg, the log id support asks for, and a diagnosis saying what happened and what to do.

Error texts never contain the access token: messages are scrubbed of anything token-shaped.
"""

from __future__ import annotations

import errno
import math
import re
import socket
import ssl
from collections.abc import Mapping
from typing import Any

import httpx

from desktop.api import diagnoses
from desktop.api.diagnoses import Diagnosis
from desktop.api.dialect import STUDIO, dialect_of, is_studio_response, log_id_of
from desktop.api.error_types import (
    AuthError,
    BadConfigError,
    BadRequestError,
    ChatFailedError,
    ConnectRefusedError,
    ConversationBusyError,
    CozeAPIError,
    CozeError,
    CozeTimeoutError,
    DNSError,
    HistorySaveError,
    InternalError,
    NetworkError,
    NotCozeResponseError,
    NotFoundError,
    PermissionDeniedError,
    ProxyError,
    QuotaError,
    RateLimitError,
    ResponseLimitError,
    ServerError,
    StreamCutError,
    StreamErrorEvent,
    StudioError,
    TLSError,
)
from desktop.api.tls import is_untrusted
from desktop.api.wire import json_object

__all__ = [
    "AuthError",
    "BadConfigError",
    "BadRequestError",
    "ChatFailedError",
    "ConnectRefusedError",
    "ConversationBusyError",
    "CozeAPIError",
    "CozeError",
    "CozeTimeoutError",
    "DNSError",
    "Diagnosis",
    "HistorySaveError",
    "InternalError",
    "NetworkError",
    "NotCozeResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProxyError",
    "QuotaError",
    "RateLimitError",
    "ResponseLimitError",
    "ServerError",
    "StreamCutError",
    "StreamErrorEvent",
    "StudioError",
    "TLSError",
    "api_error",
    "body_log_id",
    "diagnose",
    "error_from_exception",
    "error_from_response",
    "json_object",
    "parse_retry_after",
]

# ---------------------------------------------------------------------------------------------
# Classification of server-reported failures
# ---------------------------------------------------------------------------------------------


def diagnose(
    status: int | None, code: int | None, msg: str, *, region: str | None = None
) -> Diagnosis:
    """The diagnosis for a server-reported failure (``region`` may be a dialect: ``"studio"``)."""
    return diagnoses.get(diagnoses.key_for(status, code, msg, region), region)


_CLASS_BY_KEY: dict[str, type[CozeAPIError]] = {
    "auth_invalid": AuthError,
    "auth_studio": AuthError,
    "permission_denied": PermissionDeniedError,
    "bot_not_found": NotFoundError,
    "bot_not_published": NotFoundError,
    "chat_not_found": NotFoundError,
    "conversation_not_found": NotFoundError,
    "bad_request": BadRequestError,
    "meta_data_too_large": BadRequestError,
    "too_many_messages": BadRequestError,
    "message_invalid": BadRequestError,
    "rate_limited": RateLimitError,
    "system_busy": RateLimitError,  # 4009: retry later
    "rpm_exceeded": RateLimitError,  # 4020: per-minute quota, a later attempt may pass
    "daily_limit": QuotaError,  # 4008: not before tomorrow, so never retried
    "token_balance": QuotaError,
    "account_overdue": QuotaError,
    "model_overdue": QuotaError,
    "conversation_busy": ConversationBusyError,
    "quota_exhausted": QuotaError,
    "server_error": ServerError,
    "studio_server_error": ServerError,
    "event_interval": ServerError,
}


def api_error(
    status: int | None,
    code: int | None,
    msg: str,
    *,
    log_id: str = "",
    url: str = "",
    region: str | None = None,
    retry_after: float | None = None,
) -> CozeAPIError:
    """Build the right :class:`CozeAPIError` subclass for a status/code/msg triple."""
    diagnosis = diagnose(status, code, msg, region=region)
    cls = (
        StudioError
        if diagnoses.is_studio_code(code)
        else _CLASS_BY_KEY.get(diagnosis.key, CozeAPIError)
    )
    kw: dict[str, Any] = {"status": status, "code": code, "log_id": log_id, "url": url}
    if cls is RateLimitError:
        return RateLimitError(msg, retry_after=retry_after, diagnosis=diagnosis, **kw)
    return cls(msg, diagnosis=diagnosis, **kw)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds (HTTP dates are rare from Coze and treated as unknown; so are
    ``inf`` and ``nan``)."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _code_of(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def body_log_id(obj: Mapping[str, Any]) -> str:
    detail = obj.get("detail")
    if isinstance(detail, Mapping) and detail.get("logid"):
        return str(detail["logid"])
    return ""


def _body_excerpt(body: bytes) -> str:
    text = body[:400].decode("utf-8", "replace")
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        return title.group(1).strip()
    return " ".join(text.split())[:200]


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body_bytes: bytes,
    url: str,
    *,
    region: str | None = None,
) -> CozeAPIError | NotCozeResponseError:
    """The error for a response that is not what was asked for (decided by the caller).

    A JSON body with a non-zero ``code`` (any HTTP status) is a :class:`CozeAPIError` subclass;
    a JSON body with code 0 is "unexpected" (e.g. JSON where a stream was requested); anything
    that is not JSON came from something that is not Coze.
    """
    log_id = log_id_of(headers)
    region = dialect_of(region, headers)
    obj = json_object(body_bytes)
    if obj is None and region == STUDIO and is_studio_response(headers):
        # Coze Studio answers some failures (a failed retrieve) with HTTP 500 text/plain
        text = body_bytes[:2000].decode("utf-8", "replace").strip()
        return api_error(status, None, text, log_id=log_id, url=url, region=region)
    if obj is None:
        return _not_coze(status, headers, body_bytes, url, log_id)
    code = _code_of(obj.get("code"))
    msg = str(obj.get("msg") or obj.get("message") or obj.get("error") or "")
    log_id = log_id or body_log_id(obj)
    retry_after = parse_retry_after(headers.get("retry-after"))
    if code or status >= 400:
        return api_error(
            status, code, msg, log_id=log_id, url=url, region=region, retry_after=retry_after
        )
    return CozeAPIError(
        msg or "the server sent JSON where an event stream was expected",
        status=status,
        code=code,
        log_id=log_id,
        url=url,
        diagnosis=diagnoses.get("unexpected_response", region),
    )


def _not_coze(
    status: int, headers: Mapping[str, str], body: bytes, url: str, log_id: str
) -> NotCozeResponseError:
    content_type = headers.get("content-type", "") or "no content type"
    location = headers.get("location", "")
    if 300 <= status < 400 and location:
        return NotCozeResponseError(
            f"redirect to {location}",
            status=status,
            log_id=log_id,
            url=url,
            diagnosis=diagnoses.get("redirected"),
        )
    excerpt = _body_excerpt(body)
    msg = f"{content_type}: {excerpt}" if excerpt else content_type
    return NotCozeResponseError(msg, status=status, log_id=log_id, url=url)


# ---------------------------------------------------------------------------------------------
# Transport exceptions
# ---------------------------------------------------------------------------------------------

_DNS_MARKERS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "temporary failure in name resolution",
    "no address associated",
    "name resolution",
    "[errno -2]",
    "[errno -3]",
    "[errno 8]",
    "[errno 11001]",
)
_REFUSED_MARKERS = ("connection refused", "[errno 111]", "[errno 61]", "10061", "actively refused")
_TLS_MARKERS = ("ssl", "certificate", "tls", "handshake")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from (httpx wraps httpcore wraps OSError)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _connect_error_class(exc: BaseException) -> type[NetworkError]:
    chain = _chain(exc)
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain):
        return TLSError
    if any(isinstance(e, socket.gaierror) for e in chain) or any(m in text for m in _DNS_MARKERS):
        return DNSError
    refused = any(
        isinstance(e, ConnectionRefusedError)
        or (isinstance(e, OSError) and e.errno == errno.ECONNREFUSED)
        for e in chain
    )
    if refused or any(m in text for m in _REFUSED_MARKERS):
        return ConnectRefusedError
    if any(m in text for m in _TLS_MARKERS):
        return TLSError
    return NetworkError


def _classify(exc: BaseException, partial: bool, via_proxy: bool) -> tuple[type[NetworkError], str]:
    """(error class, diagnosis key) for a transport exception."""
    if isinstance(exc, httpx.ProxyError):
        return ProxyError, "proxy_failure"
    if isinstance(exc, httpx.ConnectTimeout):
        return CozeTimeoutError, "connect_timeout"
    if isinstance(exc, httpx.TimeoutException):
        return CozeTimeoutError, "stream_stalled" if partial else "read_timeout"
    if isinstance(exc, httpx.ConnectError | ssl.SSLError | OSError):
        cls = _connect_error_class(exc)
        if via_proxy and cls in (ConnectRefusedError, NetworkError):
            return ProxyError, "proxy_failure"  # we never reached Coze, only the proxy
        return cls, cls.default_key
    if partial:
        return StreamCutError, "stream_cut"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return NetworkError, "connection_closed"
    return NetworkError, "network_error"


def error_from_exception(
    exc: BaseException,
    url: str,
    *,
    partial: bool = False,
    via_proxy: bool = False,
    region: str | None = None,
) -> NetworkError:
    """Map an httpx (or OS) exception to a :class:`NetworkError` subclass.

    ``partial``: part of a streamed answer had already arrived (a drop is then a cut stream and a
    read timeout a stalled one). ``via_proxy``: the request went through a proxy, so "refused"
    means the proxy is not reachable.
    """
    cls, key = _classify(exc, partial, via_proxy)
    if cls is TLSError and any(is_untrusted(e) for e in _chain(exc)):
        key = "tls_untrusted"
    text = str(exc) or type(exc).__name__
    if cls is StreamCutError:
        return StreamCutError(text, url=url, diagnosis=diagnoses.get(key, region))
    return cls(text, partial=partial, url=url, diagnosis=diagnoses.get(key, region))

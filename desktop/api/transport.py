"""One httpx.AsyncClient, the retry policy, and the network log, for every Coze request.

Rules that are easy to get wrong and therefore live in one place:

* Retries happen only *before the first streamed byte*: connect failures, HTTP 429 (honouring
  ``Retry-After``) and 5xx, at most ``max_retries`` attempts and ``retry_cap_seconds`` of total
  waiting. A stream that has started is never replayed (that would duplicate the answer and the
  bill). Each attempt is its own netlog exchange.
* The status and content type are checked before a stream is iterated: a JSON error body, an
  HTML page from a gateway or JSON where a stream was requested all become :class:`CozeError`.
* What a server may send is bounded (:class:`desktop.api.models.Limits`): the response head and a
  JSON body must each arrive within ``progress_seconds`` (a read timeout alone resets on every
  trickled byte), bodies are read through :func:`desktop.api.body.body_chunks`.
* No custom transport is built unless one is given, because httpx ignores the environment's
  proxies (``HTTPS_PROXY`` …) as soon as a transport is passed; an explicit ``proxy=`` is honoured.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from desktop.api import diagnoses
from desktop.api.body import ACCEPT_ENCODING, body_chunks
from desktop.api.errors import (
    AuthError,
    BadConfigError,
    ConnectRefusedError,
    CozeError,
    CozeTimeoutError,
    NetworkError,
    NotCozeResponseError,
    RateLimitError,
    ServerError,
    body_log_id,
    error_from_exception,
    error_from_response,
    json_object,
)
from desktop.api.models import BASE_URL_PROBLEMS, ClientConfig, base_url_problem, normalise_base_url
from desktop.api.tls import peer_issuer, ssl_context
from desktop.netlog import Exchange, NetLog
from desktop.netlog.masking import remember_secret

if TYPE_CHECKING:
    from desktop.api.uploads import MultipartBody

Sleep = Callable[[float], Awaitable[None]]
_Outcome = tuple[httpx.Response, Exchange, Mapping[str, Any] | None]

_USER_AGENT = "coze-desktop/0.1"
_JSON_READ_TIMEOUT = 60.0
_ERROR_BODY_CAP = 1_000_000  # an error page bigger than this is not worth reading whole
_BACKOFF_BASE = 0.5
_BACKOFF_MAX = 4.0


@dataclass(frozen=True)
class Call:
    """One logical request (possibly sent several times)."""

    method: str
    path: str
    params: Mapping[str, str] | None = None
    json_body: Any = None
    upload: MultipartBody | None = None  # a streamed ``file`` part (``POST /v1/files/upload``)
    stream: bool = False
    context: Mapping[str, str] | None = None  # network-log labels added to the client's own


class _Tracer:
    """httpx ``trace`` extension: records TCP connect and TLS handshake durations."""

    __slots__ = ("ex", "netlog", "starts")

    def __init__(self, netlog: NetLog) -> None:
        self.netlog = netlog
        self.ex: Exchange | None = None
        self.starts: dict[str, float] = {}

    async def __call__(self, name: str, info: Mapping[str, Any]) -> None:  # noqa: ARG002 - httpcore's trace signature
        step, _, phase = name.rpartition(".")
        label = {"connect_tcp": "connect", "start_tls": "tls"}.get(step.rpartition(".")[2])
        if label is None:
            return
        if phase == "started":
            self.starts[label] = time.perf_counter()
        elif phase == "complete" and label in self.starts and self.ex is not None:
            self.netlog.timing(self.ex, label, time.perf_counter() - self.starts[label])


def _token_problem(token: str) -> str:
    """A reason not to send the token at all (it would fail, or leak into an exception)."""
    if not token.strip():
        return "token_missing"
    if any(ch.isspace() or ord(ch) < 33 or ord(ch) > 126 for ch in token.strip()):
        return "token_malformed"
    return ""


def _env_proxy_for(url: str) -> bool:
    """Whether the environment/system proxy settings route ``url`` through a proxy."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    if not (proxies.get(parts.scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(parts.hostname or "")


class HttpCore:
    """Sends :class:`Call` objects with retries, recording each attempt in the netlog."""

    def __init__(
        self,
        config: ClientConfig,
        netlog: NetLog,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.config = config
        self.netlog = netlog
        self.base_url = normalise_base_url(config.base_url)
        self.region = config.region
        self.sleep: Sleep = sleep or asyncio.sleep
        token = config.token.strip()
        remember_secret(token)  # masked in the log, exports and errors, whatever its shape
        self._token_problem = _token_problem(token)
        self._url_problem = base_url_problem(self.base_url)
        if self._url_problem:  # never handed to httpx: it would send it (or fail obscurely)
            self.base_url = ""
        headers = {"User-Agent": _USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
        if not self._token_problem:
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=self._timeout(config.timeout_read),
            # proxy only without a custom transport: with one, httpx would bypass it anyway
            proxy=config.proxy if transport is None else None,
            transport=transport,
            trust_env=config.trust_env,
            # the system's certificate store, then certifi; never off. One context for every
            # client (cached in tls): httpx would build one per client, reading the CA bundle each
            # time (~40 ms on the event loop, four at once when a comparison starts)
            verify=ssl_context(),
            follow_redirects=False,  # a redirected POST turns into a GET; report it instead
        )
        self.via_proxy = bool(config.proxy) or (
            transport is None and config.trust_env and _env_proxy_for(self.base_url)
        )

    def _timeout(self, read: float) -> httpx.Timeout:
        return httpx.Timeout(connect=self.config.timeout_connect, read=read, write=10.0, pool=10.0)

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- public --------------------------------------------------------------------------------

    async def json(self, call: Call) -> Mapping[str, Any]:
        """Send a JSON call; return the whole envelope (``code`` 0 checked, ``data`` not)."""
        _, _, envelope = await self._send_with_retries(call)
        return envelope or {}

    async def json_exchange(self, call: Call) -> tuple[Mapping[str, Any], Exchange]:
        """``json``, with the network-log exchange of the attempt that answered."""
        _, ex, envelope = await self._send_with_retries(call)
        return envelope or {}, ex

    async def open_stream(self, call: Call) -> tuple[httpx.Response, Exchange]:
        """Send a streaming call; the returned response is 2xx ``text/event-stream``, unread."""
        response, ex, _ = await self._send_with_retries(call)
        return response, ex

    async def download(self, url: str, max_bytes: int) -> bytes:
        """GET an absolute URL (a bot's avatar on a CDN) *without* the token, redirects followed;
        recorded in the network log; raise a :class:`CozeError` on a network fault or non-2xx
        answer, or when the body is longer than ``max_bytes``."""
        request = self._client.build_request("GET", url, timeout=self._timeout(_JSON_READ_TIMEOUT))
        request.headers.pop("Authorization", None)  # the token is for the API, not a CDN
        ex = self.netlog.begin("GET", str(request.url), request.headers, "", self.config.context)
        with self._failure_recorded(ex):
            response = await self._send_head(request, ex, follow_redirects=True)
        self.netlog.response(ex, response.status_code, response.headers)
        try:
            with self._failure_recorded(ex):
                body = await self._read_within(response, ex, max_bytes + 1)
        finally:
            await response.aclose()
        self.netlog.body(ex, f"({len(body)} bytes of {response.headers.get('content-type', '')})")
        if not 200 <= response.status_code < 300 or len(body) > max_bytes:
            error = error_from_response(
                response.status_code if len(body) <= max_bytes else 413,
                response.headers, b"", ex.url, region=self.region,
            )  # fmt: skip
            self.netlog.finish(ex, error)
            raise error
        self.netlog.finish(ex)
        return body

    # -- sending -------------------------------------------------------------------------------

    async def _send_with_retries(self, call: Call) -> _Outcome:
        self._check_token()
        waited = 0.0
        attempt = 1
        while True:
            try:
                return await self._attempt(call, attempt)
            except CozeError as error:
                delay = self._retry_delay(error, attempt)
                if delay is None or waited + delay > self.config.retry_cap_seconds:
                    raise
                await self.sleep(delay)
                waited += delay
                attempt += 1

    def _check_token(self) -> None:
        if self._url_problem:
            raise BadConfigError(
                BASE_URL_PROBLEMS[self._url_problem][0],
                diagnosis=diagnoses.get("bad_base_url", self.region),
            )
        if self._token_problem:
            raise AuthError(
                "",
                url=self.base_url,
                diagnosis=diagnoses.get(self._token_problem, self.region),
            )

    def _retry_delay(self, error: CozeError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when this error is final."""
        if attempt >= self.config.max_retries or not _is_retryable(error):
            return None
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            return error.retry_after
        # jitter so that many clients hit by the same outage do not retry in lockstep
        return min(_BACKOFF_BASE * 2.0 ** (attempt - 1), _BACKOFF_MAX) * random.uniform(0.8, 1.2)

    def _build(self, call: Call, tracer: _Tracer) -> httpx.Request:
        read = self.config.timeout_read if call.stream else _JSON_READ_TIMEOUT
        headers = {"Accept": "text/event-stream"} if call.stream else {"Accept": "application/json"}
        content = None
        if call.upload is not None:  # a fresh stream per attempt
            content = call.upload.stream()
            headers["Content-Type"] = call.upload.content_type
            headers["Content-Length"] = str(call.upload.content_length)
        return self._client.build_request(
            call.method,
            call.path,
            params=dict(call.params) if call.params else None,
            json=call.json_body,
            content=content,
            headers=headers,
            timeout=self._timeout(read),
            extensions={"trace": tracer},
        )

    def _begin(self, call: Call, request: httpx.Request, attempt: int) -> Exchange:
        upload = None
        if call.upload is not None:
            name, size = call.upload.source.name, call.upload.size
            upload = (name, size)
            body = f"(multipart upload: file={name}, {size} bytes)"
        else:
            body = request.content.decode("utf-8", "replace")
        return self.netlog.begin(
            call.method,
            str(request.url),
            request.headers,
            body,
            {**self.config.context, **call.context} if call.context else self.config.context,
            attempt=attempt,
            is_stream=call.stream,
            upload=upload,
        )

    async def _attempt(self, call: Call, attempt: int) -> _Outcome:
        tracer = _Tracer(self.netlog)
        request = self._build(call, tracer)
        ex = tracer.ex = self._begin(call, request, attempt)
        with self._failure_recorded(ex):
            response = await self._send_head(request, ex)
        self.netlog.response(ex, response.status_code, response.headers)
        if call.stream and _is_event_stream(response):
            return response, ex, None
        return await self._read_body(call, response, ex)

    async def _send_head(
        self, request: httpx.Request, ex: Exchange, *, follow_redirects: bool = False
    ) -> httpx.Response:
        """Send ``request`` and wait for the response head, for at most the connect timeout plus
        ``progress_seconds`` in all (a head trickled a byte at a time never resets it)."""
        seconds = self.config.timeout_connect + self.config.limits.progress_seconds
        try:
            async with asyncio.timeout(seconds):
                return await self._client.send(
                    request, stream=True, follow_redirects=follow_redirects
                )
        except TimeoutError:
            raise self._trickled(ex, f"the response head took more than {seconds:g} s") from None
        except httpx.ConnectError as exc:
            error = error_from_exception(exc, ex.url, via_proxy=self.via_proxy, region=self.region)
            if error.diagnosis.key == "tls_untrusted":
                raise await self._name_issuer(error, ex) from exc
            raise

    async def _name_issuer(self, error: CozeError, ex: Exchange) -> CozeError:
        """``error`` (a certificate this computer does not trust) naming the certificate's
        issuer, read from the server ``ex`` went to (the API, or a CDN for a download)."""
        proxy = self.config.proxy
        if proxy is None and self.config.trust_env and self.via_proxy:
            proxy = urllib.request.getproxies().get("https")
        issuer = await asyncio.to_thread(peer_issuer, ex.url, proxy)
        if issuer:
            shown = "".join(ch if ch.isprintable() else "?" for ch in issuer[:200])
            error.msg = f"the certificate was issued by {shown}, which is not trusted ({error.msg})"
        return error

    async def _read_within(self, response: httpx.Response, ex: Exchange, limit: int) -> bytes:
        """Up to ``limit`` bytes of a (small) body, read within ``progress_seconds``."""
        seconds = self.config.limits.progress_seconds
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(seconds):
                async for chunk in body_chunks(response, self.config.limits, partial=False):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= limit:
                        break
        except TimeoutError:
            raise self._trickled(ex, f"the response body took more than {seconds:g} s") from None
        return b"".join(chunks)

    def _trickled(self, ex: Exchange, what: str) -> CozeTimeoutError:
        return CozeTimeoutError(
            f"{what} while bytes kept arriving" if ex.status is not None else what,
            status=ex.status,
            log_id=ex.log_id,
            url=ex.url,
            diagnosis=diagnoses.get("server_trickling", self.region),
        )

    @contextlib.contextmanager
    def _failure_recorded(self, ex: Exchange) -> Iterator[None]:
        """Finish ``ex`` when the body raises: a network failure becomes a :class:`CozeError`;
        anything else (a cancelled task) marks the exchange cancelled and propagates."""
        try:
            yield
        except CozeError as own:  # a limit or deadline of our own
            self.netlog.finish(ex, own)
            raise
        except (httpx.HTTPError, OSError) as exc:
            error = error_from_exception(exc, ex.url, via_proxy=self.via_proxy, region=self.region)
            self.netlog.finish(ex, error)
            raise error from exc
        except BaseException:
            ex.cancelled = True
            self.netlog.finish(ex, None)
            raise

    async def _read_body(self, call: Call, response: httpx.Response, ex: Exchange) -> _Outcome:
        """Read a whole (small) body; raise unless it is a successful JSON envelope."""
        try:
            with self._failure_recorded(ex):
                body = await self._read_within(response, ex, _ERROR_BODY_CAP)
        finally:
            await response.aclose()
        self.netlog.body(ex, body.decode("utf-8", "replace"))
        envelope = _ok_envelope(response.status_code, body) if not call.stream else None
        if envelope is None:
            error = error_from_response(
                response.status_code, response.headers, body, ex.url, region=self.region
            )
            self.netlog.finish(ex, error)
            raise error
        ex.log_id = ex.log_id or body_log_id(envelope)
        self.netlog.finish(ex)
        return response, ex, envelope


def _is_retryable(error: CozeError) -> bool:
    """Transient failures that happened before any answer byte: safe to send again."""
    if isinstance(error, RateLimitError | ServerError):
        return True
    if isinstance(error, NotCozeResponseError):
        return (error.status or 0) in (502, 503, 504)  # a gateway between us and Coze hiccuped
    if isinstance(error, ConnectRefusedError):
        return True
    key = error.diagnosis.key
    if isinstance(error, CozeTimeoutError):
        return key == "connect_timeout"
    return type(error) is NetworkError and key == "network_error"


def _is_event_stream(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type", "")
    return 200 <= response.status_code < 300 and "text/event-stream" in content_type


def _ok_envelope(status: int, body: bytes) -> Mapping[str, Any] | None:
    """The parsed body when it is a 2xx JSON object whose ``code`` is 0 (or absent)."""
    if not 200 <= status < 300:
        return None
    value = json_object(body)
    if value is None or value.get("code") not in (0, "0", None):
        return None
    return value

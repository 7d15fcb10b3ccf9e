"""Reading a response body within :class:`desktop.api.models.Limits`, whatever the server sends.

httpx would inflate a compressed chunk whole (a 64 KB gzip chunk of zeros is 64 MB) and accepts
any ``Content-Encoding`` it can decode. Here the raw bytes are read and inflated in steps of at
most ``_STEP`` bytes, so one chunk never becomes more than that in memory, and the body stops as
soon as it passes a limit:

* ``body_bytes``: the body, decompressed (an endless stream ends here);
* ``decompressed_bytes`` and ``ratio`` (checked past ``ratio_after_bytes``): a compressed body
  that inflates too far, or too fast for its size (a "zip bomb");
* only ``gzip`` and ``deflate`` are asked for (``Accept-Encoding``) and decoded; any other
  encoding is refused with a plain message rather than decoded without bounds.

Each failure is a :class:`ResponseLimitError` whose message says which limit and what the server
did; a damaged compressed body is an ``httpx.DecodingError`` (classified like any transport fault).
"""

# Per-token hot path: measured by tests/bench/bench_stream.py; one generator step per chunk.

from __future__ import annotations

import asyncio
import zlib
from typing import TYPE_CHECKING

import httpx

from desktop.api import diagnoses
from desktop.api.errors import ResponseLimitError

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator

    from desktop.api.models import Limits

ACCEPT_ENCODING = "gzip, deflate"
_STEP = 256 * 1024  # the most one inflate step produces
_GZIP = frozenset({"gzip", "x-gzip"})


def size_text(n: int) -> str:
    """``1.0 MiB``, ``3.4 KiB``, ``12 bytes``: sizes in a diagnosis."""
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.1f} KiB"
    return f"{n} bytes"


def limit_error(what: str, url: str, region: str | None, *, partial: bool) -> ResponseLimitError:
    return ResponseLimitError(
        what, url=url, partial=partial, diagnosis=diagnoses.get("response_too_large", region)
    )


class _Inflater:
    """``zlib`` in bounded steps; ``deflate`` tries the zlib wrapper first, then raw deflate (as
    servers disagree on what "deflate" means)."""

    __slots__ = ("_raw_fallback", "_z")

    def __init__(self, encoding: str) -> None:
        gzip = encoding in _GZIP
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)
        self._raw_fallback = not gzip

    def step(self, data: bytes) -> tuple[bytes, bool]:
        """(at most ``_STEP`` inflated bytes, whether to call again: input is left, or zlib may
        hold more output; call again with ``b""``)."""
        while True:
            try:
                piece = self._z.decompress(data if data else self._z.unconsumed_tail, _STEP)
            except zlib.error as exc:
                if not self._raw_fallback:
                    raise httpx.DecodingError(f"the compressed body is damaged ({exc})") from exc
                self._raw_fallback = False
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_fallback = False
            return piece, bool(self._z.unconsumed_tail) or len(piece) == _STEP


def _encoding(response: httpx.Response) -> str:
    value = response.headers.get("content-encoding", "").strip().lower()
    return "" if value == "identity" else value


async def body_chunks(
    response: httpx.Response, limits: Limits, *, partial: bool = True
) -> AsyncGenerator[bytes]:
    """The body's decoded bytes, chunk by chunk, within ``limits`` (see the module)."""
    url, encoding = str(response.request.url), _encoding(response)
    # a response built whole in memory (``httpx.MockTransport``) is handed on as httpx has it
    whole = response.is_stream_consumed
    if not encoding or whole:
        size, cap = 0, limits.body_bytes
        async for raw in response.aiter_bytes() if whole else response.aiter_raw():
            size += len(raw)
            if size > cap:
                raise limit_error(
                    f"the response passed the {size_text(cap)} body limit (it was still sending)",
                    url, None, partial=partial,
                )  # fmt: skip
            yield raw
        return
    if encoding not in _GZIP and encoding != "deflate":
        raise httpx.DecodingError(f"unsupported content encoding {encoding[:40]!r} (asked for "
                                  f"{ACCEPT_ENCODING})")  # fmt: skip
    async for piece in _inflated(response, limits, encoding, url, partial):
        yield piece


async def _inflated(
    response: httpx.Response, limits: Limits, encoding: str, url: str, partial: bool
) -> AsyncGenerator[bytes]:
    inflater = _Inflater(encoding)
    raw_size = size = 0
    cap = min(limits.decompressed_bytes, limits.body_bytes)
    async for raw in response.aiter_raw():
        raw_size += len(raw)
        data, again = raw, True
        while again:
            piece, again = inflater.step(data)
            data = b""
            if piece:
                size += len(piece)
                if size > cap:
                    raise limit_error(
                        f"the {encoding} body inflated past the {size_text(cap)} limit "
                        f"({size_text(raw_size)} compressed so far)", url, None, partial=partial,
                    )  # fmt: skip
                if size > limits.ratio_after_bytes and size > limits.ratio * raw_size:
                    raise limit_error(
                        f"the {encoding} body inflated {size // max(1, raw_size)}:1 "
                        f"({size_text(raw_size)} to {size_text(size)}; the limit is "
                        f"{limits.ratio:g}:1 past {size_text(limits.ratio_after_bytes)})",
                        url, None, partial=partial,
                    )  # fmt: skip
                yield piece
                if again:  # more from the same compressed chunk: let the loop run in between
                    await asyncio.sleep(0)  # (a bomb inflates for ever without awaiting I/O)

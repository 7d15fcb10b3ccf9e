"""Which Coze is answering, read from the response itself: hosted Coze or Coze Studio.

Hosted Coze (coze.cn / coze.com) names each response with an ``X-Tt-Logid`` header (and
``detail.logid`` in JSON bodies); the open-source Coze Studio sets ``X-Log-Id`` (a uuid) instead.
A profile with a custom base URL may be a Coze Studio server or a proxy in front of hosted Coze,
so the dialect of a custom server is decided per response by its log-id header.

Coze Studio's error ``msg`` is Go's ``err.Error()``, which can carry a stack trace:
``code=N message=M`` + newline + ``stack=<frames>``. :func:`split_stack` keeps the message for the
user and hands the stack back separately (for the log).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

HOSTED_LOG_ID = "x-tt-logid"
STUDIO_LOG_ID = "x-log-id"
LOG_ID_HEADERS = (HOSTED_LOG_ID, STUDIO_LOG_ID)

HOSTED_REGIONS = frozenset({"cn", "com"})
STUDIO = "studio"  # the dialect of a Coze Studio server
HOSTED = "hosted"  # hosted Coze behind a custom base URL (a proxy): the site is unknown

_GO_ERROR = re.compile(r"\Acode=(-?\d+) message=(.*)\Z", re.DOTALL)


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:  # a plain dict with the server's spelling
        value = next((v for k, v in headers.items() if k.lower() == name), "")
    return str(value or "")


def log_id_of(headers: Mapping[str, str]) -> str:
    """The response's log id: hosted Coze's ``X-Tt-Logid`` or Coze Studio's ``X-Log-Id``."""
    return _header(headers, HOSTED_LOG_ID) or _header(headers, STUDIO_LOG_ID)


def is_studio_response(headers: Mapping[str, str]) -> bool:
    """Coze Studio's log-id header is there and hosted Coze's is not."""
    return bool(_header(headers, STUDIO_LOG_ID)) and not _header(headers, HOSTED_LOG_ID)


def dialect_of(region: str | None, headers: Mapping[str, str] | None = None) -> str | None:
    """``"cn"``/``"com"`` for the hosted regions; for a custom server ``"studio"`` unless the
    response carries hosted Coze's log id (then ``"hosted"``: a proxy in front of Coze)."""
    if region in HOSTED_REGIONS or region is None:
        return region
    if headers is not None and _header(headers, HOSTED_LOG_ID):
        return HOSTED
    return STUDIO


def split_stack(msg: str) -> tuple[str, str]:
    """``(message, stack)`` of a Coze Studio error msg; ``stack`` is ``""`` when there is none.

    ``code=100000000 message=agent not published, agentID=1\\nstack=goroutine…`` gives
    ``("agent not published, agentID=1", "stack=goroutine…")``.
    """
    head, sep, tail = msg.partition("\nstack=")
    stack = "stack=" + tail if sep else ""
    match = _GO_ERROR.match(head.strip())
    if match:
        head = match.group(2)
    return head.strip(), stack

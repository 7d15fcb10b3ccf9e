"""Faults that happen before a chat exists: HTTP errors, gateways, broken streams.

Faults that happen *inside* a stream (chat.failed, event:error, drop, stall) are scenarios in
:mod:`desktop.simulator.scenarios`; this module answers the request instead of starting a chat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.simulator.bots import NOT_PUBLISHED_MSG, BotSpec
from desktop.simulator.protocol import DropResponse, RawResponse, Response, StreamResponse, error

if TYPE_CHECKING:
    from desktop.simulator.store import Store

SERVER_ERROR_MSG = (
    "We're currently experiencing server issues. Please try your request again after a short "
    "delay. If the problem persists, contact our support team."
)
RATE_LIMIT_MSG = "You have exceeded the rate limit for this API. Please try again later."
PERMISSION_MSG = (
    "The token you entered does not have permission to access this resource. Check the token's "
    "permissions and that its workspace contains the bot."
)
BUSY_MSG = (
    "Conversation occupied: a chat is already in progress in this conversation. "
    "Wait for it to finish or cancel it, then try again."
)
BAD_REQUEST_MSG = "Invalid request parameters: additional_messages[0].content_type is invalid."
BARE_JSON_BODY = '{"code":4100,"msg":"authentication is invalid"}\n'
STUDIO_ERROR_CODE = 103100001
STUDIO_ERROR_MSG = "agent not exists"
GATEWAY_HTML = b"""<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


def _studio_error(stream: bool) -> Response:
    if not stream:
        return error(200, STUDIO_ERROR_CODE, STUDIO_ERROR_MSG)
    data = f'{{"code":{STUDIO_ERROR_CODE},"msg":"{STUDIO_ERROR_MSG}"}}'
    return StreamResponse(
        iter([f"event:error\ndata:{data}\n\n"]), headers={"X-Accel-Buffering": "no"}
    )


def _fixed(name: str, stream: bool) -> Response | None:
    if name == "BAD_REQUEST":
        return error(400, 4000, BAD_REQUEST_MSG)
    if name == "PERMISSION":
        return error(403, 4101, PERMISSION_MSG)
    if name == "NOT_PUBLISHED":
        return error(200, 4200, NOT_PUBLISHED_MSG)
    if name == "RATE_LIMIT":
        return error(429, 4013, RATE_LIMIT_MSG, {"Retry-After": "1"})
    if name == "SERVER_ERROR":
        return error(500, 5000, SERVER_ERROR_MSG)
    if name == "BUSY":
        return error(200, 4016, BUSY_MSG)
    if name == "BARE_JSON":
        return StreamResponse(iter([BARE_JSON_BODY]))
    if name == "GATEWAY_HTML":
        return RawResponse(502, "text/html", GATEWAY_HTML, {"Server": "nginx"})
    if name == "STUDIO_ERROR":
        return _studio_error(stream)
    if name == "DROP" and not stream:
        return DropResponse()
    return None


def pre_fault(store: Store, spec: BotSpec, stream: bool) -> Response | None:
    """The response of a fault bot that fails before chatting, or None to chat normally."""
    name = spec.fault
    if not name:
        return None
    if name == "RATE_LIMIT_ONCE" and store.first_time(spec.bot_id):
        return error(429, 4013, RATE_LIMIT_MSG, {"Retry-After": "1"})
    if name == "SERVER_ERROR_ONCE" and store.first_time(spec.bot_id):
        return error(500, 5000, SERVER_ERROR_MSG)
    return _fixed(name, stream)


def bot_info_fault(spec: BotSpec) -> Response | None:
    """`GET /v1/bots/{id}` of a fault bot: only access faults show up there."""
    if spec.fault in ("PERMISSION", "NOT_PUBLISHED", "GATEWAY_HTML"):
        return _fixed(spec.fault, stream=False)
    return None

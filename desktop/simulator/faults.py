"""Faults that happen before a chat exists: HTTP errors, gateways, broken streams.

Faults that happen *inside* a stream (chat.failed, event:error, drop, stall) are scenarios in
:mod:`desktop.simulator.scenarios`; this module answers the request instead of starting a chat.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from desktop.simulator.bots import NOT_PUBLISHED_MSG, BotSpec
from desktop.simulator.protocol import (
    DropResponse,
    JsonResponse,
    RawResponse,
    Response,
    StreamResponse,
    error,
)

if TYPE_CHECKING:
    from desktop.simulator.store import Store

SERVER_ERROR_MSG = (
    "We're currently experiencing server issues. Please try your request again after a short "
    "delay. If the problem persists, contact our support team."
)
RATE_LIMIT_MSG = "Your requests per minute exceed the RPM quota you purchased."
DAILY_LIMIT_MSG = "The bot has reached its usage limit for today. Please try again tomorrow."
SYSTEM_BUSY_MSG = "The system request limit has been reached. Please try again later."
RPM_CODE, DAILY_LIMIT_CODE, SYSTEM_BUSY_CODE = 4020, 4008, 4009
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
STUDIO_AUTH_CODE = 700012006
STUDIO_AUTH_MSG = "authentication failed: CheckPermission failed"
# Coze Studio's msg is Go's err.Error(): "code=N message=M", a newline, then the stack
STUDIO_STACK = "\n".join(
    [
        "stack=github.com/coze-dev/coze-studio/backend/pkg/errorx.New",
        "\t/app/backend/pkg/errorx/error.go:53",
        "github.com/coze-dev/coze-studio/backend/domain/agent/singleagent/service.(*impl)."
        "ObtainAgentByIdentity",
        "\t/app/backend/domain/agent/singleagent/service/single_agent_impl.go:233",
        "github.com/coze-dev/coze-studio/backend/application/conversation.(*OpenapiAgentRun"
        "Application).checkAgent",
        "\t/app/backend/application/conversation/openapi_agent_run.go:151",
        "github.com/coze-dev/coze-studio/backend/application/conversation.(*OpenapiAgentRun"
        "Application).OpenapiAgentRun",
        "\t/app/backend/application/conversation/openapi_agent_run.go:66",
        "github.com/coze-dev/coze-studio/backend/api/handler/coze.ChatV3",
        "\t/app/backend/api/handler/coze/agent_run_service.go:84",
        "runtime.goexit",
        "\t/usr/local/go/src/runtime/asm_amd64.s:1700",
    ]
)


def studio_go_error(code: int, message: str) -> str:
    """A Coze Studio error msg as it is on the wire: ``code=N message=M`` plus a Go stack."""
    return f"code={code} message={message}\n{STUDIO_STACK}"


def studio_not_published_msg(bot_id: str) -> str:
    return studio_go_error(100000000, f"agent not published, agentID={bot_id} connectorID=1024")


GATEWAY_HTML = b"""<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


def _studio_error(spec: BotSpec, stream: bool) -> Response:
    """An unpublished agent on Coze Studio: one ``error`` event (HTTP 200), then EOF."""
    msg = studio_not_published_msg(spec.bot_id)
    if not stream:
        return JsonResponse(200, {"code": STUDIO_ERROR_CODE, "msg": msg}, studio=True)
    data = json.dumps({"code": STUDIO_ERROR_CODE, "msg": msg}, separators=(",", ":"))
    return StreamResponse(
        iter([f"event:error\ndata:{data}\n\n"]),
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        studio=True,
    )


def _fixed(spec: BotSpec, stream: bool) -> Response | None:
    name = spec.fault
    if name == "BAD_REQUEST":
        return error(400, 4000, BAD_REQUEST_MSG)
    if name == "PERMISSION":
        return error(403, 4101, PERMISSION_MSG)
    if name == "NOT_PUBLISHED":
        return error(200, 4200, NOT_PUBLISHED_MSG)
    if name == "RATE_LIMIT":
        return error(429, RPM_CODE, RATE_LIMIT_MSG, {"Retry-After": "1"})
    if name == "DAILY_LIMIT":
        return error(200, DAILY_LIMIT_CODE, DAILY_LIMIT_MSG)
    if name == "SYSTEM_BUSY":
        return error(200, SYSTEM_BUSY_CODE, SYSTEM_BUSY_MSG)
    if name == "SERVER_ERROR":
        return error(500, 5000, SERVER_ERROR_MSG)
    if name == "BUSY":
        return error(200, 4016, BUSY_MSG)
    if name == "BARE_JSON":
        return StreamResponse(iter([BARE_JSON_BODY]))
    if name == "GATEWAY_HTML":
        return RawResponse(502, "text/html", GATEWAY_HTML, {"Server": "nginx"})
    if name == "STUDIO_ERROR":
        return _studio_error(spec, stream)
    if name == "DROP" and not stream:
        return DropResponse()
    return None


def pre_fault(store: Store, spec: BotSpec, stream: bool) -> Response | None:
    """The response of a fault bot that fails before chatting, or None to chat normally."""
    name = spec.fault
    if not name:
        return None
    if name == "RATE_LIMIT_ONCE" and store.first_time(spec.bot_id):
        return error(429, RPM_CODE, RATE_LIMIT_MSG, {"Retry-After": "1"})
    if name == "SERVER_ERROR_ONCE" and store.first_time(spec.bot_id):
        return error(500, 5000, SERVER_ERROR_MSG)
    return _fixed(spec, stream)


def bot_info_fault(spec: BotSpec) -> Response | None:
    """`GET /v1/bots/{id}` of a fault bot: only access faults show up there."""
    if spec.fault in ("PERMISSION", "NOT_PUBLISHED", "GATEWAY_HTML"):
        return _fixed(spec, stream=False)
    return None

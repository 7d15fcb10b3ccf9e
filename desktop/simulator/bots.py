"""The simulator's catalogue: the demo token and every scripted or faulty bot.

Other modules (the demo profile, the CLI, the test suite) import these constants from here, so
they are stable. Bot ids are 19-digit numeric strings like real Coze bot ids.

Scripted bots behave like healthy bots with a particular personality (weather demo, echo, long
answers, slow typing, client-side tools, the Coze Studio dialect, a buffering proxy, lost
context). ``FAULT_*`` bots reproduce one failure each, exactly as a client meets it on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEMO_TOKEN = "pat_demo_coze_desktop_simulator_token_0000000000000000000000000000000"

DEMO_BOT_ID = "7480000000000000001"
ECHO_BOT_ID = "7480000000000000002"
LONG_BOT_ID = "7480000000000000003"
SLOW_BOT_ID = "7480000000000000004"
TOOL_BOT_ID = "7480000000000000005"
STUDIO_BOT_ID = "7480000000000000006"
BUFFERED_BOT_ID = "7480000000000000007"
CONTEXT_LOST_BOT_ID = "7480000000000000008"
FILES_BOT_ID = "7480000000000000009"

FAULT_BAD_REQUEST_BOT_ID = "7489000000000000001"
FAULT_PERMISSION_BOT_ID = "7489000000000000002"
FAULT_NOT_PUBLISHED_BOT_ID = "7489000000000000003"
FAULT_RATE_LIMIT_BOT_ID = "7489000000000000004"
FAULT_RATE_LIMIT_ONCE_BOT_ID = "7489000000000000005"
FAULT_SERVER_ERROR_BOT_ID = "7489000000000000006"
FAULT_SERVER_ERROR_ONCE_BOT_ID = "7489000000000000007"
FAULT_BUSY_BOT_ID = "7489000000000000008"
FAULT_QUOTA_BOT_ID = "7489000000000000009"
FAULT_CHAT_FAILED_BOT_ID = "7489000000000000010"
FAULT_ERROR_EVENT_BOT_ID = "7489000000000000011"
FAULT_DROP_BOT_ID = "7489000000000000012"
FAULT_STALL_BOT_ID = "7489000000000000013"
FAULT_BARE_JSON_BOT_ID = "7489000000000000014"
FAULT_GATEWAY_HTML_BOT_ID = "7489000000000000015"
FAULT_STUDIO_ERROR_BOT_ID = "7489000000000000016"
FAULT_STUDIO_RUN_FAILED_BOT_ID = "7489000000000000017"
FAULT_STUDIO_MODEL_ERROR_BOT_ID = "7489000000000000018"
FAULT_MODEL_ERROR_BOT_ID = "7489000000000000019"
FAULT_DAILY_LIMIT_BOT_ID = "7489000000000000020"
FAULT_SYSTEM_BUSY_BOT_ID = "7489000000000000021"
FAULT_ENDS_EARLY_BOT_ID = "7489000000000000022"

WORKSPACE_ID = "7480000000000000900"
DEMO_USER_ID = "coze-desktop-demo-user"
DEFAULT_PORT = 8765

NOT_PUBLISHED_MSG = (
    "The Bot is not currently published to the corresponding platform. "
    "Please publish the Bot to the API channel and try again."
)


@dataclass(frozen=True)
class BotSpec:
    """What `GET /v1/bots/{id}` tells about a bot, plus the scenario it runs."""

    bot_id: str
    name: str
    description: str
    scenario: str
    prologue: str = ""
    suggested_questions: tuple[str, ...] = ()
    fault: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def studio(self) -> bool:
        """The bot lives on a (simulated) Coze Studio server and speaks its dialect."""
        return self.scenario == "studio" or self.fault.startswith("STUDIO")

    def info(self) -> dict[str, Any]:
        """The BotInfo object of `GET /v1/bots/{bot_id}`."""
        return {
            "bot_id": self.bot_id,
            "name": self.name,
            "description": self.description,
            "icon_url": "",
            "create_time": 1732406400,
            "update_time": 1732406400,
            "version": "1732406400000",
            "bot_mode": 0,
            "prompt_info": {"prompt": f"You are {self.name}, a simulated Coze bot."},
            "onboarding_info": {
                "prologue": self.prologue,
                "suggested_questions": list(self.suggested_questions),
            },
            "model_info": {"model_id": "1706077826", "model_name": "Simulated model"},
            "plugin_info_list": [],
            "workflow_info_list": [],
            "shortcut_commands": [],
        }


def _fault(bot_id: str, name: str, description: str) -> BotSpec:
    return BotSpec(bot_id, f"Fault: {name}", description, scenario="fault", fault=name)


_SCRIPTED = (
    BotSpec(
        DEMO_BOT_ID,
        "天气助手 Weather Demo",
        "Demo bot: thinks, calls the 天气查询 plugin, answers in markdown, suggests follow-ups.",
        scenario="weather",
        prologue="你好！我可以帮你查询天气。Hi! Ask me about the weather in any city.",
        suggested_questions=(
            "北京今天天气怎么样？",
            "上海明天会下雨吗？",
            "What's the weather in Shenzhen?",
        ),
    ),
    BotSpec(
        FILES_BOT_ID,
        "文件助手 File Describer",
        "Describes the files and images it is sent: name, type, size, image width and height.",
        scenario="files",
        prologue="发给我文件或图片，我来描述它。Send me a file or an image and I will describe it.",
        suggested_questions=("What can you do?",),
    ),
    BotSpec(ECHO_BOT_ID, "Echo", "Answers 'Echo: <text>' and counts turns.", scenario="echo"),
    BotSpec(
        LONG_BOT_ID,
        "Long Answer",
        "A long markdown answer (custom_variables size/deltas).",
        scenario="long",
    ),
    BotSpec(SLOW_BOT_ID, "Slow Typist", "One small delta every ~50 ms.", scenario="slow"),
    BotSpec(
        TOOL_BOT_ID,
        "本地时间 Local Tool",
        "Asks the client to run a tool (requires_action): get_local_time, then answers with it.",
        scenario="tool",
        prologue="我会请你的电脑告诉我本地时间。I ask your computer for its local time.",
        suggested_questions=("现在几点了？", "What time is it where I am?"),
    ),
    BotSpec(
        STUDIO_BOT_ID,
        "Coze Studio Bot",
        "Speaks the Coze Studio stream dialect.",
        scenario="studio",
    ),
    BotSpec(
        BUFFERED_BOT_ID,
        "Buffered Proxy",
        "The whole stream arrives in one write.",
        scenario="buffered",
    ),
    BotSpec(
        CONTEXT_LOST_BOT_ID,
        "Context Lost",
        "Ignores conversation_id: every turn starts a new conversation.",
        scenario="context_lost",
    ),
)

_FAULTS = (
    _fault(FAULT_BAD_REQUEST_BOT_ID, "BAD_REQUEST", "HTTP 400, code 4000."),
    _fault(FAULT_PERMISSION_BOT_ID, "PERMISSION", "HTTP 403, code 4101."),
    _fault(FAULT_NOT_PUBLISHED_BOT_ID, "NOT_PUBLISHED", "HTTP 200, code 4200: bot not published."),
    _fault(FAULT_RATE_LIMIT_BOT_ID, "RATE_LIMIT", "HTTP 429, code 4020, Retry-After: 1, always."),
    _fault(FAULT_RATE_LIMIT_ONCE_BOT_ID, "RATE_LIMIT_ONCE", "HTTP 429 once, then echo."),
    _fault(FAULT_SERVER_ERROR_BOT_ID, "SERVER_ERROR", "HTTP 500, code 5000, always."),
    _fault(FAULT_SERVER_ERROR_ONCE_BOT_ID, "SERVER_ERROR_ONCE", "HTTP 500 once, then echo."),
    _fault(FAULT_BUSY_BOT_ID, "BUSY", "Code 4016: conversation already has a chat in progress."),
    _fault(FAULT_QUOTA_BOT_ID, "QUOTA", "chat.failed with last_error 4028 (quota used up)."),
    _fault(FAULT_CHAT_FAILED_BOT_ID, "CHAT_FAILED", "Some deltas, then chat.failed 5000."),
    _fault(FAULT_ERROR_EVENT_BOT_ID, "ERROR_EVENT", "Some deltas, then event:error 5000."),
    _fault(FAULT_DROP_BOT_ID, "DROP", "Some deltas, then the socket closes mid-body."),
    _fault(FAULT_STALL_BOT_ID, "STALL", "Some deltas, then silence (cap ~60 s)."),
    _fault(FAULT_BARE_JSON_BOT_ID, "BARE_JSON", "text/event-stream whose body is bare JSON 4100."),
    _fault(FAULT_GATEWAY_HTML_BOT_ID, "GATEWAY_HTML", "HTTP 502 nginx HTML page."),
    _fault(
        FAULT_STUDIO_ERROR_BOT_ID,
        "STUDIO_ERROR",
        "Coze Studio, unpublished agent: one event:error 103100001 with a Go stack, then EOF.",
    ),
    _fault(
        FAULT_STUDIO_RUN_FAILED_BOT_ID,
        "STUDIO_RUN_FAILED",
        "Coze Studio: some deltas, then event:error and nothing more.",
    ),
    _fault(
        FAULT_STUDIO_MODEL_ERROR_BOT_ID,
        "STUDIO_MODEL_ERROR",
        "Coze Studio: some deltas, event:error 103200002, then chat.completed and stream.done.",
    ),
    _fault(FAULT_MODEL_ERROR_BOT_ID, "MODEL_ERROR", "chat.failed with last_error 4013 (model)."),
    _fault(FAULT_DAILY_LIMIT_BOT_ID, "DAILY_LIMIT", "HTTP 200, code 4008 (daily usage limit)."),
    _fault(FAULT_SYSTEM_BUSY_BOT_ID, "SYSTEM_BUSY", "HTTP 200, code 4009 (system busy)."),
    _fault(
        FAULT_ENDS_EARLY_BOT_ID,
        "ENDS_EARLY",
        "The answer and a verbose packet complete, then EOF: no chat events, no done.",
    ),
)

BOTS: dict[str, BotSpec] = {spec.bot_id: spec for spec in _SCRIPTED + _FAULTS}
SCRIPTED_BOT_IDS: tuple[str, ...] = tuple(spec.bot_id for spec in _SCRIPTED)
FAULT_BOT_IDS: dict[str, str] = {spec.fault: spec.bot_id for spec in _FAULTS}


def bot_spec(bot_id: str) -> BotSpec | None:
    """The catalogue entry of *bot_id*, or None for an unknown bot."""
    return BOTS.get(str(bot_id))


def not_found_msg(name: str, value: str) -> str:
    """Hosted Coze's wording for an unknown resource id (code 4200)."""
    return (
        f"Requested resource {name}={value} does not exist. "
        "Ensure you are the correct resource identifier."
    )

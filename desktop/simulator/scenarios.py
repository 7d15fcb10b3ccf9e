"""What each scripted bot says: generators of steps over a :class:`~desktop.simulator.turn.Turn`.

Every scenario starts with ``chat.created`` + ``chat.in_progress`` and ends the way hosted Coze
does (verbose finish, follow-ups, ``chat.completed`` with usage, ``done``) unless it is a fault.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from desktop.simulator import files, weather
from desktop.simulator.faults import STUDIO_ERROR_CODE, studio_go_error
from desktop.simulator.turn import Drop, Stall, Step, Turn, dumps, frame, split_even, split_text

Scenario = Callable[[Turn], Iterator[Step]]

LOCAL_TOOL_NAME = "get_local_time"
ERROR_EVENT_MSG = "Internal server error: the model service returned an error. Please retry later."
MODEL_ERROR_MSG = "Model error: the model service reported an error. Please try again later."
STUDIO_MODEL_ERROR = {"code": 103200002, "msg": "Internal Server Error"}
QUOTA_MSG = "Your free quota has been used up. Please upgrade to a paid plan to continue: https://console.volcengine.com/coze-pro"

# Default pause between deltas (seconds, multiplied by the simulator's delay_scale).
PER_DELTA = {"weather": 0.02, "echo": 0.03, "long": 0.0005, "studio": 0.03, "buffered": 0.03}
SLOW_PER_DELTA = 0.05  # the slow typist ignores delay_scale: it exists to be slow
SLOW_TEXT = (
    "I am a slow typist. Every tiny piece of this answer arrives about fifty milliseconds after "
    "the previous one, so you can watch it type, press Stop halfway, or see how the app handles a "
    "long, steady trickle of events. 我是一个慢速打字员，每个片段之间大约间隔五十毫秒。"
)


# custom_variables {"sim_hold": "created"}: the stream goes silent right after chat.created
# (before any delta) until the client leaves, e.g. to kill the client at that moment in a test.
HOLD_VARIABLE = "sim_hold"


def prelude(turn: Turn) -> Iterator[Step]:
    yield turn.chat_event("created")
    if turn.variables.get(HOLD_VARIABLE) == "created":
        yield Stall()
    yield turn.chat_event("in_progress")


# -- weather demo ------------------------------------------------------------------------------


def _previous_weather(turn: Turn) -> dict[str, Any] | None:
    """The last 天气查询 result in the conversation's current context section."""
    for msg in reversed(turn.conversation.section_messages()):
        if msg.get("type") != "tool_response" or msg.get("chat_id") == turn.chat.id:
            continue
        try:
            data = json.loads(msg.get("content", ""))
        except ValueError:
            continue
        if isinstance(data, dict) and "city" in data and "today" in data:
            return data
    return None


def weather_bot(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    city = weather.find_city(turn.query)
    prev = _previous_weather(turn)
    same_city = prev is not None and city in (None, prev["city"])
    if prev is not None and same_city and _mentions(turn.query, weather.ACTIVITY_WORDS):
        yield from _weather_activity(turn, prev)
    elif prev is not None and same_city and _mentions(turn.query, weather.TOMORROW_WORDS):
        yield from _weather_tomorrow(turn, prev)
    else:
        yield from _weather_report(turn, city or (prev["city"] if prev else weather.DEFAULT_CITY))


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in words)


def _weather_report(turn: Turn, city: str) -> Iterator[Step]:
    yield from turn.timing.pause(0.4)
    result = weather.plugin_result(city)
    yield from turn.tool_messages(weather.function_call(city), result)
    yield from turn.timing.pause(0.3)
    reasoning = weather.report_reasoning(city)
    yield from turn.answer(weather.report_answer(result), piece=5, reasoning=reasoning)
    yield from turn.finish(weather.report_follow_ups(city))


def _weather_activity(turn: Turn, prev: dict[str, Any]) -> Iterator[Step]:
    city, today = prev["city"], weather.day_from(prev["today"])
    yield from turn.timing.pause(0.3)
    reasoning = weather.activity_reasoning(city, today)
    yield from turn.answer(weather.activity_answer(city, today), piece=5, reasoning=reasoning)
    yield from turn.finish(weather.activity_follow_ups(city))


def _weather_tomorrow(turn: Turn, prev: dict[str, Any]) -> Iterator[Step]:
    city, tomorrow = prev["city"], weather.day_from(prev["tomorrow"])
    yield from turn.timing.pause(0.3)
    reasoning = weather.tomorrow_reasoning(city, tomorrow)
    yield from turn.answer(weather.tomorrow_answer(city, tomorrow), piece=5, reasoning=reasoning)
    yield from turn.finish(weather.tomorrow_follow_ups(city))


# -- echo, long, slow, studio --------------------------------------------------------------------


def echo_text(turn: Turn) -> str:
    questions = sum(1 for m in turn.conversation.messages if m.get("type") == "question")
    return f"Echo: {turn.query}\n\n(turn {max(1, questions)} in this conversation)"


ECHO_FOLLOW_UPS = ("Say it again", "这是第几轮对话？", "What can you do?")


def echo_bot(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield from turn.answer(echo_text(turn), piece=4)
    yield from turn.finish(ECHO_FOLLOW_UPS)


FILES_HELLO = (
    "Send me a file or an image (the attach button, drag and drop, or paste an image) and I "
    "will tell you what arrived: its name, type and size, and an image's width and height.\n\n"
    "发给我一个文件或一张图片，我会告诉你收到了什么：名称、类型、大小，以及图片的宽和高。"
)
FILES_FOLLOW_UPS = ("What can you do?", "这些文件是什么类型？")


def files_text(turn: Turn) -> str:
    """What the file bot says: each attachment described, then the text that came with them."""
    if not turn.files:
        return FILES_HELLO
    lines = [files.describe(item, turn.store.file(str(item.get("file_id") or "")))
             for item in turn.files]  # fmt: skip
    count = len(lines)
    head = f"I received {count} attachment{'s' if count != 1 else ''}:"
    said = turn.query.split(" [", 1)[0].strip()  # the text item (file placeholders follow)
    tail = f"\n\nYour message: “{said}”" if said else ""
    return head + "\n\n" + "\n".join(lines) + tail


def files_bot(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield from turn.answer(files_text(turn), piece=6)
    yield from turn.finish(FILES_FOLLOW_UPS)


def studio_bot(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield from turn.answer(f"Coze Studio 回复 (self-hosted): {turn.query}", piece=4)
    yield from turn.finish(("Tell me more", "再来一次"))


def _int_var(turn: Turn, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(turn.variables.get(name, default))
    except (TypeError, ValueError):
        value = default
    return max(low, min(high, value))


def long_markdown(size: int) -> str:
    """A markdown document of exactly *size* characters (headings, prose, lists, code, tables)."""
    blocks: list[str] = []
    total, n = 0, 0
    while total < size:
        n += 1
        block = (
            f"## Section {n}: streaming at scale\n\n"
            f"This is paragraph {n} of a long simulated answer. It exists to exercise the client's "
            "incremental rendering, its **bold text**, `inline code` and [links](https://www.coze.cn). "
            "长回答用于测试增量渲染与滚动性能。\n\n"
            f"- item {n}.1: deltas arrive in order\n- item {n}.2: nothing is lost\n- item {n}.3: 完整无缺\n\n"
            f"```python\ndef section_{n}(x: int) -> int:\n    return x * {n}\n```\n\n"
            f"| key | value |\n| --- | --- |\n| section | {n} |\n| chars so far | {total} |\n\n"
        )
        blocks.append(block)
        total += len(block)
    return "".join(blocks)[:size]


def long_bot(turn: Turn) -> Iterator[Step]:
    count = _int_var(turn, "deltas", 2000, 1, 5_000_000)
    size = max(count, _int_var(turn, "size", 20_000, 1, 200_000_000))
    text = long_markdown(size)
    yield from prelude(turn)
    yield from turn.answer_pieces(text, split_even(text, count))
    yield from turn.finish(("Make it longer", "Summarise it", "再长一点"))


def slow_bot(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield from turn.answer(SLOW_TEXT, piece=2)
    yield from turn.finish(("Type faster", "再慢一点"))


# -- client-side tool ----------------------------------------------------------------------------


def tool_bot(turn: Turn) -> Iterator[Step]:
    """Asks the client to run a local tool; the answer comes after submit_tool_outputs."""
    yield from prelude(turn)
    call_id = f"call_{turn.store.new_id()}"
    arguments = {"timezone": "Asia/Shanghai"}
    call = {
        "name": LOCAL_TOOL_NAME,
        "arguments": arguments,
        "plugin_id": 7480000000000001003,
        "api_id": 7480000000000001004,
        "plugin_type": 2,
        "thought": "需要客户端提供本地时间",
    }
    yield turn.completed(turn.message("function_call", dumps(call)))
    tool_call = {
        "id": call_id,
        "type": "function",
        "function": {"name": LOCAL_TOOL_NAME, "arguments": dumps(arguments)},
    }
    with turn.store.lock:
        turn.chat.required_action = {
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {"tool_calls": [tool_call]},
        }
    yield turn.chat_event("requires_action")
    yield turn.done()


def tool_resume(turn: Turn, outputs: list[tuple[str, str]]) -> Iterator[Step]:
    """The rest of a tool turn once the client submitted its outputs."""
    yield turn.chat_event("in_progress")
    output = outputs[0][1] if outputs else ""
    yield turn.completed(turn.message("tool_response", output))
    text = f"本地工具 `{LOCAL_TOOL_NAME}` 返回了：**{output}**\n\nThanks — your local tool answered: {output}"
    yield from turn.answer(text, piece=4)
    yield from turn.finish(("Run the tool again", "再查一次"))


# -- faults that happen inside a stream -----------------------------------------------------------


def _partial_answer(turn: Turn) -> Iterator[Step]:
    msg = turn.message("answer")
    yield from turn.deltas(
        msg, split_text("This answer starts normally, then something breaks… ", 6)
    )


def quota_fault(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield turn.fail(4028, QUOTA_MSG)
    yield turn.done()


def chat_failed_fault(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield from _partial_answer(turn)
    yield turn.fail(5000, "event interval error")
    yield turn.done()


def error_event_fault(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield from _partial_answer(turn)
    turn.mark_failed(5000, ERROR_EVENT_MSG)
    yield frame("error", {"code": 5000, "msg": ERROR_EVENT_MSG})


def model_error_fault(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield turn.fail(4013, MODEL_ERROR_MSG)
    yield turn.done()


def ends_early_fault(turn: Turn) -> Iterator[Step]:
    """As recorded from coze.com: the answer and a verbose packet complete, then EOF."""
    yield from prelude(turn)
    yield from turn.answer("The whole answer arrived; only the closing events are missing.")
    yield turn.completed(turn.message("verbose", turn.verbose_content()))


# -- Coze Studio failures: it never sends conversation.chat.failed -------------------------------


def studio_run_failed(turn: Turn) -> Iterator[Step]:
    """A run that fails: event:error, then nothing (Studio's StepToFailed)."""
    yield from prelude(turn)
    yield from _partial_answer(turn)
    msg = studio_go_error(777000001, "plugin call failed: upstream timeout")
    turn.mark_failed(STUDIO_ERROR_CODE, msg)
    yield frame("error", {"code": STUDIO_ERROR_CODE, "msg": msg})


def studio_model_error(turn: Turn) -> Iterator[Step]:
    """A model error mid-run: event:error, then a deferred chat.completed and stream.done."""
    yield from prelude(turn)
    yield from _partial_answer(turn)
    yield frame("error", STUDIO_MODEL_ERROR)
    yield turn.chat_event("completed")
    yield turn.done()


def drop_fault(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield from _partial_answer(turn)
    yield Drop()


def stall_fault(turn: Turn) -> Iterator[Step]:
    yield from prelude(turn)
    yield from _partial_answer(turn)
    yield Stall()


SCENARIOS: dict[str, Scenario] = {
    "weather": weather_bot,
    "echo": echo_bot,
    "long": long_bot,
    "slow": slow_bot,
    "tool": tool_bot,
    "studio": studio_bot,
    "files": files_bot,
    "buffered": echo_bot,
    "context_lost": echo_bot,
    "QUOTA": quota_fault,
    "CHAT_FAILED": chat_failed_fault,
    "ERROR_EVENT": error_event_fault,
    "DROP": drop_fault,
    "STALL": stall_fault,
    "MODEL_ERROR": model_error_fault,
    "ENDS_EARLY": ends_early_fault,
    "STUDIO_RUN_FAILED": studio_run_failed,
    "STUDIO_MODEL_ERROR": studio_model_error,
    "RATE_LIMIT_ONCE": echo_bot,
    "SERVER_ERROR_ONCE": echo_bot,
}

"""Network log: masking at write time, bounded memory, notifications, and masked exports."""

from __future__ import annotations

import itertools
import json
import shlex
import subprocess
from typing import TYPE_CHECKING

import pytest

from desktop.api.errors import AuthError
from desktop.core.log_insights import chat_failure, is_error, outcome_code
from desktop.netlog import (
    Exchange,
    NetLog,
    mask_authorization,
    mask_token,
    scrub_text,
    to_curl,
    to_har,
    to_jsonl,
    token_shape,
)

if TYPE_CHECKING:
    import pathlib

TOKEN = "pat_" + "Q7" * 32 + "abcd"  # 4 + 64 + 4 = 72 chars
URL = "https://api.coze.cn/v3/chat?conversation_id=123"


def headers(auth: str = f"Bearer {TOKEN}") -> dict[str, str]:
    return {
        "Authorization": auth,
        "Content-Type": "application/json",
        "Accept": "text/event-stream",
    }


def record(log: NetLog, *, stream: bool = True, auth: str = f"Bearer {TOKEN}"):
    ex = log.begin("POST", URL, headers(auth), '{"bot_id":"1"}', {"profile": "p"}, is_stream=stream)
    log.response(ex, 200, {"content-type": "text/event-stream", "x-tt-logid": "LOG1"})
    return ex


def everything_text(log: NetLog) -> str:
    exchanges = log.exchanges()
    return to_jsonl(exchanges) + json.dumps(to_har(exchanges)) + "".join(map(to_curl, exchanges))


# -- masking -------------------------------------------------------------------------------------


def test_mask_token_shows_prefix_tail_and_length_only() -> None:
    assert mask_token(TOKEN) == f"pat_…abcd (len {len(TOKEN)})"
    assert mask_authorization(f"Bearer {TOKEN}") == f"Bearer pat_…abcd (len {len(TOKEN)})"
    assert mask_token("short") == "…(len 5)".replace("…(", "… (")
    assert mask_token("") == "(empty)"


@pytest.mark.parametrize(
    ("value", "problem", "well_formed"),
    [
        (f"Bearer {TOKEN}", "", True),
        (f"Bearer {TOKEN}\n", "whitespace", False),
        (f"Bearer  {TOKEN}", "whitespace", False),
        (f"Bearer pat_abc {TOKEN}", "whitespace", False),
        (TOKEN, "no Bearer", False),
        (f"Token {TOKEN}", "no Bearer", False),
        ("Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig", "not pat_", True),
    ],
)
def test_token_shape(value: str, problem: str, well_formed: bool) -> None:
    shape = token_shape(value)
    assert (shape.problem, shape.well_formed) == (problem, well_formed)
    assert TOKEN not in shape.masked


def test_request_is_masked_at_write_time() -> None:
    log = NetLog()
    ex = record(log)
    assert dict(ex.request_headers)["Authorization"] == f"Bearer pat_…abcd (len {len(TOKEN)})"
    assert ex.token is not None
    assert ex.token.well_formed
    assert ex.token.length == len(TOKEN)
    assert ex.log_id == "LOG1"
    assert TOKEN not in repr(ex)


def test_token_echoed_in_a_body_is_scrubbed() -> None:
    log = NetLog()
    ex = record(log, stream=False)
    log.body(ex, f'{{"code":4100,"msg":"bad token {TOKEN}"}}')
    assert TOKEN not in ex.response_body
    assert "pat_…abcd" in ex.response_body


def test_cookies_are_hidden() -> None:
    log = NetLog()
    ex = log.begin("GET", URL, {"Cookie": "session=secret"}, "")
    log.response(ex, 200, {"Set-Cookie": "a=b"})
    assert dict(ex.request_headers)["Cookie"] == "(hidden)"
    assert dict(ex.response_headers)["Set-Cookie"] == "(hidden)"


# -- bounds and lifecycle ------------------------------------------------------------------------


def test_frames_are_capped_keeping_the_first_and_the_last() -> None:
    log = NetLog(max_frames=4)
    ex = record(log)
    for i in range(7):
        log.frame(ex, "conversation.message.delta", str(i))
    assert [f.data for f in ex.frames] == ["0", "1", "5", "6"]
    assert (ex.event_count, ex.frames_dropped, ex.gap_at) == (7, 3, 2)
    assert all(b.t >= a.t >= 0 for a, b in itertools.pairwise(ex.frames))
    assert [seq for seq, _frame in ex.kept_between(0, 7)] == [0, 1, 5, 6]
    assert ex.frame_at(3) is None
    assert ex.frame_at(5) == ex.tail_frames[0]


def long_stream(log: NetLog, deltas: int) -> Exchange:
    """A chat stream of ``deltas`` answer pieces ending as Coze ends one (completed, usage, done)."""
    ex = record(log)
    log.frame(ex, "conversation.chat.created", '{"id":"C1","status":"created"}')
    for i in range(deltas):
        log.frame(ex, "conversation.message.delta", f'{{"type":"answer","content":"p{i} "}}')
    log.frame(ex, "conversation.message.completed", '{"type":"answer","content":"all"}')
    usage = '{"token_count":30,"input_count":10,"output_count":20}'
    log.frame(
        ex, "conversation.chat.completed", f'{{"id":"C1","status":"completed","usage":{usage}}}'
    )
    log.frame(ex, "done", '"[DONE]"')
    log.finish(ex)
    return ex


def test_a_long_stream_keeps_its_end_with_usage_and_done() -> None:
    log = NetLog(max_frames=10)
    ex = long_stream(log, 1000)
    events = [f.event for f in ex.frames]
    assert events[:2] == ["conversation.chat.created", "conversation.message.delta"]
    assert events[-3:] == ["conversation.message.completed", "conversation.chat.completed", "done"]
    assert '"usage"' in ex.frames[-2].data
    assert (ex.event_count, ex.kept_count, ex.frames_dropped) == (1004, 10, 994)
    assert ex.frames[4].data == '{"type":"answer","content":"p3 "}'  # the head: first 5 frames
    assert ex.frames[5].data == '{"type":"answer","content":"p998 "}'  # the tail: last 5
    assert ex.gap_at == 5


def test_frame_character_budget_splits_head_and_tail() -> None:
    log = NetLog(max_frames=1000, max_frame_chars=40)  # 20 characters each side
    ex = record(log)
    for i in range(100):
        log.frame(ex, "conversation.message.delta", f"{i:04d}")  # 4 characters each
    assert [f.data for f in ex.frames] == ["0000", "0001", "0002", "0003", "0004",
                                           "0095", "0096", "0097", "0098", "0099"]  # fmt: skip
    assert (ex.event_count, ex.frames_dropped, ex.kept_chars()) == (100, 90, 40)
    log.frame(ex, "error", "x" * 500)  # longer than the budget: the newest frame is still kept
    assert [f.event for f in ex.frames][-1] == "error"
    assert ex.kept_count == 6
    log.frame(ex, "done", "d")
    assert [f.data for f in ex.frames][-1:] == ["d"]
    assert ex.kept_chars() == 21
    assert ex.frames_dropped == ex.event_count - ex.kept_count == 96


def test_a_long_frame_early_shrinks_what_the_head_can_take() -> None:
    log = NetLog(max_frames=20, max_frame_chars=40)  # 10 frames / 20 characters each side
    ex = record(log)
    log.frame(ex, "conversation.chat.created", "c" * 15)  # long: counted; 5 characters left
    for i in range(30):
        log.frame(ex, "conversation.message.delta", str(i % 10))
    # short frames are up to 2 characters here: room for 2 more, then the head is closed
    assert [f[2] for f in ex.head_frames] == ["c" * 15, "0", "1"]
    assert [f[2] for f in ex.tail_frames][-2:] == ["8", "9"]
    assert len(ex.tail_frames) == 10
    for _ in range(3):
        log.frame(ex, "conversation.message.completed", "m" * 8)  # long for the tail
    assert sum(len(f.data) for f in ex.frames[ex.gap_at :]) <= 20
    assert ex.frames[-1].data == "m" * 8
    assert ex.frames_dropped == ex.event_count - ex.kept_count


def test_failure_at_the_end_of_a_long_stream_is_seen() -> None:
    log = NetLog(max_frames=6)
    ex = record(log)
    for i in range(500):
        log.frame(ex, "conversation.message.delta", f'{{"content":"{i}"}}')
    last_error = '{"code":4028,"msg":"quota exceeded"}'
    log.frame(
        ex, "conversation.chat.failed", f'{{"id":"C1","status":"failed","last_error":{last_error}}}'
    )
    log.frame(ex, "done", '"[DONE]"')
    log.finish(ex)
    assert chat_failure(ex) == (4028, "quota exceeded")
    assert is_error(ex)
    assert outcome_code(ex) == 4028


def test_frames_view_follows_a_rolling_tail() -> None:
    log = NetLog(max_frames=2)
    ex = record(log)
    log.frame(ex, "a", "1")
    log.frame(ex, "b", "2")
    assert [f.data for f in ex.frames] == ["1", "2"]
    log.frame(ex, "c", "3")
    assert [f.data for f in ex.frames] == ["1", "3"]
    assert ex.frames_dropped == 1
    log.frame(ex, "d", "4")
    assert [f.data for f in ex.frames] == ["1", "4"]
    assert ex.frames_dropped == 2


def test_frames_view_grows_with_new_frames() -> None:
    log = NetLog()
    ex = record(log)
    log.frame(ex, "a", "1")
    first = ex.frames
    log.frame(ex, "b", "2")
    assert [f.event for f in ex.frames] == ["a", "b"]
    assert first[0] is ex.frames[0]  # built once, then cached


def test_body_and_exchange_count_are_capped() -> None:
    log = NetLog(max_exchanges=2, max_body_chars=10)
    for _ in range(3):
        ex = record(log, stream=False)
        log.body(ex, "x" * 50)
    assert len(log.exchanges()) == 2
    assert log.exchanges()[0].id == 2
    assert ex.response_body == "x" * 10
    assert ex.body_truncated


def test_finish_records_total_error_and_is_idempotent() -> None:
    log = NetLog()
    ex = record(log, stream=False)
    error = AuthError("authentication is invalid", status=401, code=4100, log_id="E1")
    log.finish(ex, error)
    total = ex.timings["total"]
    log.finish(ex, None)
    assert ex.done
    assert ex.error is error
    assert ex.timings["total"] == total
    assert ex.coze_code == 4100
    assert ex.timings["ttfb"] <= total


def test_subscribers_hear_begin_update_finish_and_can_unsubscribe() -> None:
    log = NetLog()
    seen: list[str] = []
    unsubscribe = log.subscribe(lambda ex, kind: seen.append(kind))
    ex = record(log)
    log.finish(ex)
    assert seen == ["begin", "update", "finish"]
    unsubscribe()
    record(log)
    assert seen == ["begin", "update", "finish"]


@pytest.mark.expect_log("desktop.netlog")
def test_a_failing_subscriber_does_not_break_recording() -> None:
    log = NetLog()
    log.subscribe(lambda ex, kind: 1 / 0)
    ex = record(log)
    log.finish(ex)
    assert ex.done


def test_find_by_log_id_and_chat_id() -> None:
    log = NetLog()
    ex = record(log)
    log.frame(ex, "conversation.chat.created", '{"id":"CHAT9"}')
    assert log.find(log_id="LOG1") is ex
    assert log.find(chat_id="CHAT9") is ex
    assert log.find(log_id="nope") is None


# -- exports -------------------------------------------------------------------------------------


def test_curl_uses_the_env_variable_and_round_trips_through_a_shell() -> None:
    log = NetLog()
    ex = record(log)
    command = to_curl(ex)
    assert TOKEN not in command
    assert '"Authorization: Bearer $COZE_API_TOKEN"' in command
    args = shlex.split(command)
    assert args[:5] == ["curl", "-N", "-X", "POST", URL]
    assert args[args.index("--data-raw") + 1] == '{"bot_id":"1"}'
    assert "Accept: text/event-stream" in args


def test_curl_with_an_explicit_token() -> None:
    log = NetLog()
    command = to_curl(record(log), token=TOKEN)
    assert f"Authorization: Bearer {TOKEN}" in shlex.split(command)


def test_curl_for_an_upload_uses_a_form_field() -> None:
    log = NetLog()
    ex = log.begin(
        "POST",
        "https://api.coze.cn/v1/files/upload",
        {"Authorization": f"Bearer {TOKEN}", "Content-Type": "multipart/form-data; boundary=x"},
        "(multipart upload)",
        upload=("photo.png", 10),
    )
    args = shlex.split(to_curl(ex))
    assert args[args.index("-F") + 1] == "file=@photo.png"
    assert not any(a.lower().startswith("content-type") for a in args)


def test_har_is_valid_shape_serialisable_and_masked() -> None:
    log = NetLog()
    ex = record(log)
    log.frame(ex, "conversation.message.delta", '{"content":"hi"}')
    log.finish(ex)
    har = to_har(log.exchanges())
    text = json.dumps(har)
    assert TOKEN not in text
    assert har["log"]["version"] == "1.2"
    (entry,) = har["log"]["entries"]
    assert entry["request"]["method"] == "POST"
    assert entry["request"]["queryString"] == [{"name": "conversation_id", "value": "123"}]
    assert entry["response"]["status"] == 200
    assert "event:conversation.message.delta" in entry["response"]["content"]["text"]
    assert (entry["_framesDropped"], entry["_framesGapAt"]) == (0, -1)
    assert entry["_logId"] == "LOG1"
    assert entry["startedDateTime"].endswith("Z")
    assert all(entry["timings"][k] >= 0 for k in ("send", "wait", "receive"))


def test_jsonl_has_one_masked_record_per_exchange() -> None:
    log = NetLog()
    ex = record(log)
    log.frame(ex, "done", '"[DONE]"')
    log.finish(ex, AuthError("x", code=4100))
    record(log)
    lines = to_jsonl(log.exchanges()).splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["frames"][0][1:] == ["done", '"[DONE]"']
    assert first["error"]["type"] == "AuthError"
    assert first["token"]["masked"] == f"Bearer pat_…abcd (len {len(TOKEN)})"
    assert TOKEN not in everything_text(log)


def test_exports_mark_the_gap_and_keep_the_end() -> None:
    log = NetLog(max_frames=6)
    ex = long_stream(log, 100)
    (entry,) = to_har([ex])["log"]["entries"]
    text = entry["response"]["content"]["text"]
    assert ": 98 frames not kept" in text
    assert text.index("not kept") < text.index("event:conversation.chat.completed")
    assert text.rstrip().endswith('event:done\ndata:"[DONE]"')
    assert (entry["_eventCount"], entry["_framesDropped"], entry["_framesGapAt"]) == (104, 98, 3)
    assert [f[1] for f in entry["_frames"]][-2:] == ["conversation.chat.completed", "done"]
    (line,) = to_jsonl([ex]).splitlines()
    rec = json.loads(line)
    assert (
        rec["event_count"],
        rec["frames_dropped"],
        rec["frames_gap_at"],
        len(rec["frames"]),
    ) == (104, 98, 3, 6)
    assert rec["frames"][-1][1:] == ["done", '"[DONE]"']


def _bearer_everywhere(log: NetLog) -> Exchange:
    """A stream whose frames and echoed header talk about "Bearer ..." (an answer explaining
    auth, a server echoing the token), the case that once broke exports."""
    ex = record(log)
    log.frame(ex, "conversation.message.delta", '{"content":"use Bearer YOUR_TOKEN"}')
    log.frame(ex, "conversation.message.delta", f'{{"content":"echo Bearer {TOKEN}"}}')
    log.finish(ex)
    return ex


def test_exports_mask_once_and_always_parse() -> None:
    log = NetLog()
    _bearer_everywhere(log)
    har_text = json.dumps(to_har(log.exchanges()), ensure_ascii=False)
    har = json.loads(har_text)  # still JSON
    lines = to_jsonl(log.exchanges()).splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 1
    for text in (har_text, *lines):
        assert TOKEN not in text
        assert ") (len" not in text  # never masked twice
    (entry,) = har["log"]["entries"]
    auth = next(h["value"] for h in entry["request"]["headers"] if h["name"] == "Authorization")
    assert auth == f"Bearer pat_…abcd (len {len(TOKEN)})"
    frames = [data for _t, _event, data in records[0]["frames"]]
    assert json.loads(frames[0]) == {"content": "use Bearer YOUR_… (len 10)"}
    assert json.loads(frames[1]) == {"content": f"echo Bearer pat_…abcd (len {len(TOKEN)})"}


def test_masked_curl_is_valid_shell(tmp_path: pathlib.Path) -> None:
    log = NetLog()
    ex = _bearer_everywhere(log)
    command = to_curl(ex)
    assert '"Authorization: Bearer $COZE_API_TOKEN"' in command  # untouched by masking
    script = tmp_path / "curl.sh"
    script.write_text(command + "\n", encoding="utf-8")
    checked = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert TOKEN not in command


def test_scrub_leaves_masked_values_and_shell_variables_alone() -> None:
    once = scrub_text(f"Authorization: Bearer {TOKEN}")
    assert scrub_text(once) == once
    assert scrub_text('-H "Authorization: Bearer $COZE_API_TOKEN"') == (
        '-H "Authorization: Bearer $COZE_API_TOKEN"'
    )
    assert scrub_text('{"h":"Bearer abc"}') == '{"h":"Bearer … (len 3)"}'  # the quote stays

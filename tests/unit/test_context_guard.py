"""The context-lost detector and the per-exchange insights (Qt-free)."""

from __future__ import annotations

from desktop.core.context_guard import ContextGuard, url_conversation_id
from desktop.core.log_insights import chat_failure, insights, is_error, outcome_code
from desktop.netlog import NetLog

URL = "https://api.coze.cn/v3/chat"


def test_first_turn_and_continuing_turns_are_fine() -> None:
    guard = ContextGuard()
    assert guard.check(1, "", URL, "c1") is None
    assert guard.check(1, "c1", URL + "?conversation_id=c1", "c1") is None
    assert guard.known(1) == "c1"


def test_server_answering_in_another_conversation_is_replaced() -> None:
    warning = ContextGuard().check(1, "c1", URL + "?conversation_id=c1", "c2")
    assert warning is not None
    assert warning.reason == "replaced"
    assert (warning.expected, warning.got) == ("c1", "c2")
    assert "c1" in warning.text("en")
    assert "c2" in warning.text("zh")
    assert "上下文" in warning.text("zh")


def test_request_without_the_conversation_is_dropped() -> None:
    guard = ContextGuard()
    guard.check(3, "", URL, "c1")
    warning = guard.check(3, "", URL, "c9")  # the session forgot it: the guard did not
    assert warning is not None
    assert warning.reason == "dropped"
    assert "did not carry" in warning.text()
    dropped = ContextGuard().check(4, "c1", URL, "c5")
    assert dropped is not None
    assert dropped.reason == "dropped"


def test_forget_and_failed_turns_do_not_warn() -> None:
    guard = ContextGuard()
    guard.check(1, "", URL, "c1")
    assert guard.check(1, "c1", URL + "?conversation_id=c1", "") is None
    guard.forget(1)
    assert guard.check(1, "", URL, "c2") is None
    assert url_conversation_id(URL + "?a=1&conversation_id=x") == "x"


def test_insights_for_chat_failed_inside_a_stream() -> None:
    log = NetLog()
    ex = log.begin("POST", URL, {}, "{}", is_stream=True)
    log.response(ex, 200, {"x-tt-logid": "L1"})
    log.frame(
        ex,
        "conversation.chat.failed",
        '{"id":"1","conversation_id":"c","status":"failed","last_error":{"code":4028,"msg":"quota"}}',
    )
    log.finish(ex)
    assert chat_failure(ex) == (4028, "quota")
    assert is_error(ex)
    assert outcome_code(ex) == 4028
    found = insights(ex)
    assert found[0].level == "error"
    assert found[0].title_zh
    # a first message (no conversation_id anywhere) is healthy: no context warning added
    assert not any("conversation_id" in item.title_en for item in found)


def test_conversation_id_in_the_body_is_the_one_context_mistake_flagged() -> None:
    log = NetLog()
    first = log.begin("POST", URL, {}, '{"bot_id":"1","additional_messages":[]}', is_stream=True)
    log.response(first, 200, {})
    log.finish(first)
    assert [item.level for item in insights(first)] == ["ok"]  # a healthy first message
    wrong = log.begin("POST", URL, {}, '{"bot_id":"1","conversation_id":"c9"}', is_stream=True)
    log.response(wrong, 200, {})
    log.finish(wrong)
    (hint,) = [item for item in insights(wrong) if "conversation_id" in item.title_en]
    assert hint.level == "warn"
    assert "JSON body" in hint.title_en
    assert "query parameter" in hint.fix_en


def test_insights_ok_and_burst() -> None:
    log = NetLog()
    ex = log.begin("POST", URL + "?conversation_id=c", {}, "{}", is_stream=True)
    log.response(ex, 200, {})
    for _ in range(5):
        log.frame(ex, "conversation.message.delta", "{}")
    log.finish(ex)
    levels = [item.level for item in insights(ex)]
    assert levels == ["warn"]
    assert "typing effect" in insights(ex)[0].title_en
    get = log.begin("GET", "https://api.coze.cn/v1/bots/1", {}, "")
    log.response(get, 200, {})
    log.finish(get)
    assert [item.level for item in insights(get)] == ["ok"]

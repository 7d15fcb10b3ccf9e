"""The network log dock against the simulator's fault bots: diagnoses, masking, model behaviour."""

from __future__ import annotations

import json
import subprocess
import threading
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from desktop.core.log_insights import insights
from desktop.netlog import Exchange, NetLog
from desktop.simulator import DEMO_TOKEN, Simulator, bots
from desktop.ui.logdock.dock import GoToMessageIntent, LogDock
from desktop.ui.logdock.export import support_bundle
from desktop.ui.logdock.model import COLUMNS, FilterState, cell_text
from desktop.ui.logdock.stream_tab import StreamView
from desktop.ui.logdock.text import LINE_LIMIT, display_chunks, display_lines, merged_text
from tests.ui.log_fixtures import chat, run
from tests.waiting import run_queued

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot

FAULTS = [
    (bots.FAULT_BAD_REQUEST_BOT_ID, "bad_request", "4000"),
    (bots.FAULT_PERMISSION_BOT_ID, "permission_denied", "4101"),
    (bots.FAULT_NOT_PUBLISHED_BOT_ID, "bot_not_published", "4200"),
    (bots.FAULT_RATE_LIMIT_BOT_ID, "rpm_exceeded", "4020"),
    (bots.FAULT_SERVER_ERROR_BOT_ID, "server_error", "5000"),
    (bots.FAULT_BUSY_BOT_ID, "conversation_busy", "4016"),
    (bots.FAULT_QUOTA_BOT_ID, "quota_exhausted", "4028"),
    (bots.FAULT_ERROR_EVENT_BOT_ID, "server_error", "5000"),
    (bots.FAULT_DROP_BOT_ID, "stream_cut", ""),
    (bots.FAULT_BARE_JSON_BOT_ID, "auth_invalid", "4100"),
    (bots.FAULT_GATEWAY_HTML_BOT_ID, "not_coze_response", ""),
    (bots.FAULT_STUDIO_ERROR_BOT_ID, "studio_agent_not_exists", "103100001"),
]


@pytest.fixture
def netlog() -> NetLog:
    return NetLog()


@pytest.fixture
def dock(qtbot: QtBot, netlog: NetLog) -> Iterator[LogDock]:
    widget = LogDock(netlog, lambda: "en", lambda _ex: DEMO_TOKEN)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    yield widget
    widget.model.close()


def rendered(dock: LogDock) -> str:
    """Everything the dock shows for the selected exchange, tab by tab."""
    texts = []
    for tab in ("request", "response", "timing", "diagnosis"):
        dock.detail.select_tab(tab)
        texts += [dock.detail.request.toPlainText(), dock.detail.body.toPlainText(),
                  dock.detail.diagnosis.toPlainText(), dock.detail.stream.merged.toPlainText()]  # fmt: skip
    stream = dock.detail.stream
    stream.inner.setCurrentIndex(1)
    texts.append(stream.merged.toPlainText())
    model = stream.model
    texts += [
        str(model.index(r, c).data()) for r in range(min(model.rowCount(), 50)) for c in range(4)
    ]
    texts += [cell_text(ex, c) for ex in dock.model.exchanges() for c in COLUMNS]
    return "\n".join(texts)


@pytest.mark.parametrize(("bot_id", "key", "code"), FAULTS)
def test_fault_shows_its_diagnosis(qtbot: QtBot, qloop: object, sim: Simulator, netlog: NetLog,
                                   dock: LogDock, bot_id: str, key: str, code: str) -> None:  # fmt: skip
    error = run(qtbot, chat(sim, netlog, bot_id))
    dock.model.flush()
    ex = netlog.exchanges()[-1]
    assert dock.select_exchange(log_id=ex.log_id)
    assert dock.selected() is ex
    dock.detail.select_tab("diagnosis")
    text = dock.detail.diagnosis.toPlainText()
    from desktop.api import diagnoses

    assert diagnoses.get(key).title("en") in text
    if error is not None:
        assert error.diagnosis.key == key
    if code:
        assert code in text
        assert cell_text(ex, "code") == code
    assert ex.log_id in text
    assert dock.error_count() >= 1


def test_token_never_shown_exported_or_copied(qtbot: QtBot, qloop: object, sim: Simulator,
                                              netlog: NetLog, dock: LogDock, tmp_path: Path) -> None:  # fmt: skip
    run(qtbot, chat(sim, netlog, bots.DEMO_BOT_ID, "北京天气"))
    run(qtbot, chat(sim, netlog, bots.ECHO_BOT_ID, f"echo my token {DEMO_TOKEN}"))
    run(qtbot, chat(sim, netlog, bots.FAULT_BAD_REQUEST_BOT_ID))
    dock.model.flush()
    clipboard = QGuiApplication.clipboard()
    for row in range(dock.model.rowCount()):
        dock.table.selectRow(row)
        assert DEMO_TOKEN not in rendered(dock)
        for action in ("copy_curl", "copy_log_id", "copy_bundle"):
            dock.trigger(action)
            assert DEMO_TOKEN not in clipboard.text()
    dock.trigger("copy_curl")
    assert "$COZE_API_TOKEN" in clipboard.text()
    assert (
        "Bearer pat_…" in dock.detail.request.toPlainText()
        or dock.detail.select_tab("request") is None
    )
    for fmt in ("har", "jsonl"):
        path = tmp_path / f"log.{fmt}"
        assert dock.exporter.write(dock.visible_exchanges(), fmt, path)  # type: ignore[arg-type]
        content = path.read_text(encoding="utf-8")
        assert DEMO_TOKEN not in content
        assert "pat_…" in content
    json.loads((tmp_path / "log.har").read_text(encoding="utf-8"))


def test_real_token_only_after_confirmation(qtbot: QtBot, qloop: object, sim: Simulator,
                                            netlog: NetLog, dock: LogDock) -> None:  # fmt: skip
    run(qtbot, chat(sim, netlog, bots.ECHO_BOT_ID))
    dock.model.flush()
    dock.table.selectRow(0)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("before")
    box = dock.ask_copy_curl_with_token()
    assert box is not None
    assert box.isVisible()
    assert box.objectName() == "confirmTokenCopy"
    box.done(QMessageBox.StandardButton.Cancel)
    assert clipboard.text() == "before"
    box = dock.ask_copy_curl_with_token()
    assert box is not None
    box.done(QMessageBox.StandardButton.Yes)
    assert f"Authorization: Bearer {DEMO_TOKEN}" in clipboard.text()


def test_stream_frames_filter_and_merged_view(qtbot: QtBot, qloop: object, sim: Simulator,
                                              netlog: NetLog, dock: LogDock) -> None:  # fmt: skip
    run(qtbot, chat(sim, netlog, bots.DEMO_BOT_ID, "北京天气"))
    dock.model.flush()
    dock.table.selectRow(0)
    dock.detail.select_tab("response")
    stream = dock.detail.stream
    ex = netlog.exchanges()[0]
    assert stream.model.rowCount() == ex.kept_count == ex.event_count
    assert stream.model.index(1, 1).data().startswith("+")  # gap since the previous frame
    stream.event_filter.setCurrentIndex(stream.event_filter.findData("conversation.message.delta"))
    deltas = [f for f in ex.kept_frames() if f[1] == "conversation.message.delta"]
    assert 0 < stream.model.rowCount() == len(deltas) < ex.kept_count
    stream.inner.setCurrentIndex(1)
    merged = stream.merged.toPlainText()
    assert "天气" in merged
    assert "Usage" in merged
    assert "Tool call" in merged
    assert merged == merged_text(ex, {"reasoning": "Reasoning", "tool": "Tool call", "answer": "Answer",
                                      "follow_ups": "Follow-ups", "usage": "Usage"})  # fmt: skip
    dock.detail.select_tab("request")
    assert '"bot_id"' in dock.detail.request.toPlainText()
    assert "Bearer pat_…" in dock.detail.request.toPlainText()


def test_capped_model_drops_oldest_and_coalesces(qtbot: QtBot, netlog: NetLog) -> None:
    dock = LogDock(netlog, lambda: "en", cap=100)
    qtbot.addWidget(dock)
    inserts: list[int] = []
    dock.model.rowsInserted.connect(lambda *_: inserts.append(1))
    for i in range(1000):
        ex = netlog.begin("GET", f"http://x/v1/n/{i}", {}, "", {"profile": "p"})
        netlog.finish(ex)
    assert dock.model.rowCount() == 0  # nothing applied until the next tick
    qtbot.waitUntil(lambda: dock.model.rowCount() == 100)
    assert len(inserts) == 1
    assert cell_text(dock.model.exchange(0), "path").endswith("/900")  # type: ignore[arg-type]


def test_filters(
    qtbot: QtBot, qloop: object, sim: Simulator, netlog: NetLog, dock: LogDock
) -> None:
    run(qtbot, chat(sim, netlog, bots.ECHO_BOT_ID, context={"profile": "A", "session_id": "1"}))
    run(
        qtbot,
        chat(
            sim, netlog, bots.FAULT_PERMISSION_BOT_ID, context={"profile": "B", "session_id": "2"}
        ),
    )
    dock.model.flush()
    assert dock.proxy.rowCount() == 2
    dock.bar.errors_only.setChecked(True)
    assert [ex.context["profile"] for ex in dock.visible_exchanges()] == ["B"]
    dock.bar.reset_filters()
    dock.proxy.set_state(FilterState(profile="A"))
    assert dock.proxy.rowCount() == 1
    dock.proxy.set_state(FilterState(session="2"))
    assert dock.visible_exchanges()[0].status == 403
    dock.proxy.set_state(FilterState(text="4101"))
    assert dock.proxy.rowCount() == 1
    assert dock.bar.profile.count() == 3
    assert dock.bar.session.count() == 3
    # selecting a hidden exchange clears the filters
    assert dock.select_exchange(log_id=netlog.exchanges()[0].log_id)
    assert dock.proxy.rowCount() == 2


def test_sticky_autoscroll(qtbot: QtBot, netlog: NetLog) -> None:
    dock = LogDock(netlog, lambda: "en")
    qtbot.addWidget(dock)
    dock.resize(900, 500)
    dock.show()
    add = lambda n: [netlog.finish(netlog.begin("GET", "http://x/a", {}, "")) for _ in range(n)]  # noqa: E731
    add(200)
    dock.model.flush()
    bar = dock.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    top = bar.maximum()
    add(5)
    dock.model.flush()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > top)
    bar.setValue(0)
    add(5)
    dock.model.flush()
    run_queued(qtbot)
    assert bar.value() == 0


def long_stream(netlog: NetLog, deltas: int, *, end: bool = True) -> Exchange:
    """A recorded chat stream of ``deltas`` answer pieces, ended as Coze ends one when ``end``."""
    ex = netlog.begin(
        "POST", "https://api.coze.cn/v3/chat?conversation_id=1", {}, "", is_stream=True
    )
    netlog.response(ex, 200, {"content-type": "text/event-stream"})
    netlog.frame(ex, "conversation.chat.created", '{"id":"C1","status":"created"}')
    for i in range(deltas):
        netlog.frame(ex, "conversation.message.delta", f'{{"type":"answer","content":"p{i} "}}')
    if end:
        netlog.frame(
            ex, "conversation.message.completed", '{"type":"answer","content":"ALL OF IT"}'
        )
        usage = '{"token_count":30,"input_count":10,"output_count":20}'
        netlog.frame(
            ex, "conversation.chat.completed", f'{{"id":"C1","status":"completed","usage":{usage}}}'
        )
        netlog.frame(ex, "done", '"[DONE]"')
        netlog.finish(ex)
    return ex


def frame_rows(stream: StreamView) -> list[tuple[str, str]]:
    model = stream.model
    return [(model.index(r, 2).data(), model.index(r, 3).data()) for r in range(model.rowCount())]


def test_long_stream_shows_first_and_last_frames_with_a_gap(qtbot: QtBot) -> None:
    netlog = NetLog(max_frames=10)
    dock = LogDock(netlog, lambda: "en")
    qtbot.addWidget(dock)
    dock.show()
    ex = long_stream(netlog, 2000)
    dock.model.flush()
    assert cell_text(ex, "events") == "2004"  # every frame counted, kept or not
    dock.table.selectRow(0)
    dock.detail.select_tab("response")
    stream = dock.detail.stream
    rows = frame_rows(stream)
    assert len(rows) == 11
    assert rows[5] == ("⋯", "1994 frames not kept")
    assert [event for event, _ in rows[-3:]] == ["conversation.message.completed",
                                                 "conversation.chat.completed", "done"]  # fmt: skip
    assert "usage" in stream.model.index(9, 3).data()
    assert "10 of 2004 frames" in stream.count_label.text()
    assert "1994 not kept" in stream.count_label.text()
    stream.table.selectRow(5)
    assert "1994 frames from the middle" in stream.frame_detail.toPlainText()
    stream.inner.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not stream.is_merging())
    merged = stream.merged.toPlainText()
    assert "[1994 frames from the middle of the stream were not kept]" in merged
    assert "ALL OF IT" in merged
    assert "tokens: 30" in merged
    burst = insights(ex)[0]  # recorded in a blink: the deltas "arrived at once"
    assert burst.level == "warn"
    assert burst.title("en").startswith("All 6+ answer pieces")
    dock.model.close()


def test_live_stream_table_follows_the_rolling_tail(qtbot: QtBot) -> None:
    netlog = NetLog(max_frames=6)
    view = StreamView()
    qtbot.addWidget(view)
    ex = long_stream(netlog, 2, end=False)  # 3 frames: all in the head
    view.show_exchange(ex, "")
    assert view.model.rowCount() == 3
    for i in range(2, 5):  # the tail fills: nothing dropped yet
        netlog.frame(ex, "conversation.message.delta", f'{{"type":"answer","content":"p{i} "}}')
    view.show_exchange(ex, "")
    assert view.model.rowCount() == 6
    assert ex.frames_dropped == 0
    for i in range(5, 50):
        netlog.frame(ex, "conversation.message.delta", f'{{"type":"answer","content":"p{i} "}}')
    view.show_exchange(ex, "")  # the same exchange: rows are updated, not rebuilt
    rows = frame_rows(view)
    assert rows[3] == ("⋯", "45 frames not kept")
    assert [data for _, data in rows[4:]] == ["[answer] p47 ", "[answer] p48 ", "[answer] p49 "]
    netlog.frame(ex, "done", '"[DONE]"')
    view.show_exchange(ex, "")
    rows = frame_rows(view)
    assert rows[3] == ("⋯", "46 frames not kept")
    assert rows[-1][0] == "done"
    assert len(rows) == 7
    view.event_filter.setCurrentIndex(view.event_filter.findData("done"))
    assert frame_rows(view) == [("⋯", "46 frames not kept"), ("done", '"[DONE]"')]


def test_cross_thread_notifications_reach_the_model(
    qtbot: QtBot, netlog: NetLog, dock: LogDock
) -> None:
    worker = threading.Thread(
        target=lambda: netlog.finish(netlog.begin("GET", "http://x/t", {}, ""))
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1)


def test_select_by_chat_id_and_go_to_message(qtbot: QtBot, qloop: object, sim: Simulator,
                                             netlog: NetLog, dock: LogDock) -> None:  # fmt: skip
    run(qtbot, chat(sim, netlog, bots.ECHO_BOT_ID))
    run(qtbot, chat(sim, netlog, bots.ECHO_BOT_ID))
    first = netlog.exchanges()[0]
    chat_id = json.loads(first.head_frames[0][2])["id"]
    assert dock.select_exchange(chat_id=chat_id)
    assert dock.selected() is first
    assert not dock.select_exchange(log_id="nope")
    with qtbot.waitSignal(dock.go_to_message_requested) as blocker:
        dock.trigger("go_to_message")
    assert blocker.args[0] == GoToMessageIntent(7, first.log_id)


def test_clear(qtbot: QtBot, netlog: NetLog, dock: LogDock) -> None:
    netlog.finish(netlog.begin("GET", "http://x/a", {}, ""))
    dock.model.flush()
    dock.table.selectRow(0)
    dock.trigger("clear")
    assert dock.model.rowCount() == 0
    assert netlog.exchanges() == []
    assert dock.detail.exchange is None


def test_session_filter_shows_chat_titles(qtbot: QtBot, netlog: NetLog) -> None:
    titles = {"1": "Weather in Beijing · Demo"}
    dock = LogDock(netlog, lambda: "en", session_label=titles.get)
    qtbot.addWidget(dock)
    for session_id in ("1", "2"):
        netlog.finish(
            netlog.begin("GET", "http://x/a", {}, "", {"profile": "Demo", "session_id": session_id})
        )
    dock.model.flush()
    combo = dock.bar.session
    labels = {combo.itemData(i): combo.itemText(i) for i in range(1, combo.count())}
    assert labels == {"1": "Weather in Beijing · Demo", "2": "Session 2"}  # unknown chat: its id
    combo.setCurrentIndex(combo.findData("1"))
    assert {ex.context["session_id"] for ex in dock.visible_exchanges()} == {"1"}
    titles["1"] = "Renamed · Demo"  # a chat renamed later: relabelled when the list opens
    combo.showPopup()
    combo.hidePopup()
    assert combo.itemText(combo.findData("1")) == "Renamed · Demo"


def test_display_chunks_break_long_lines_and_keep_the_text() -> None:
    text = "short line\n" + "word " * 1000 + "\n" + "字" * 2500
    lines = list(display_lines(text, 1000))
    assert max(len(line) for line in lines) <= 1000
    assert lines[0] == "short line"
    assert lines[1].endswith("word ")  # broken after a space
    assert "".join(lines[1:]) == "word " * 1000 + "字" * 2500
    chunks = display_chunks(text, 1000, 2048)
    assert len(chunks) > 2
    assert all(len(c) <= 2048 + 1000 for c in chunks)
    assert "\n".join(chunks) == "\n".join(lines)
    assert display_chunks("") == [""]


def merged_view_of_one_line(
    netlog: NetLog, dock: LogDock, pieces: int
) -> tuple[Exchange, StreamView]:
    """A stream whose answer is ``pieces`` deltas on a single line, its merged view opened."""
    ex = netlog.begin("POST", "http://x/v3/chat", {}, "{}", {"profile": "p"}, is_stream=True)
    netlog.response(ex, 200, {"content-type": "text/event-stream"})
    for i in range(pieces):
        data = json.dumps({"id": "m1", "chat_id": "c1", "conversation_id": "v1", "role": "assistant",
                           "type": "answer", "content": f"piece {i} 天气 ", "content_type": "text"})  # fmt: skip
        netlog.frame(ex, "conversation.message.delta", data)
    netlog.finish(ex)
    dock.model.flush()
    dock.table.selectRow(0)
    dock.detail.select_tab("response")
    view = dock.detail.stream
    view.inner.setCurrentIndex(1)
    return ex, view


def test_huge_merged_answer_is_shown_incrementally(
    qtbot: QtBot, netlog: NetLog, dock: LogDock
) -> None:
    ex, view = merged_view_of_one_line(netlog, dock, 12_000)  # ~170 KB of answer on a single line
    assert view.is_merging()  # folded and shown over several event-loop turns, not in one go
    steps = 0
    while view.is_merging():
        qtbot.wait(1)
        steps += 1
        assert steps < 2000
    document = view.merged.document()
    assert document.blockCount() > 100  # one huge paragraph would be laid out in one piece
    longest = max(len(document.findBlockByNumber(i).text()) for i in range(document.blockCount()))
    assert longest <= LINE_LIMIT
    shown = view.merged.toPlainText()
    labels = {"reasoning": "Reasoning", "tool": "Tool call", "answer": "Answer", "follow_ups": "Follow-ups",
              "usage": "Usage"}  # fmt: skip
    assert shown == "\n".join(display_chunks(merged_text(ex, labels)))
    assert "piece 0 天气" in shown
    assert "piece 11999 天气" in shown.replace("\n", "")
    assert view.merged.verticalScrollBar().value() == 0  # stays at the start of the answer


def test_copy_from_the_merged_view_gives_the_lines_unbroken(
    qtbot: QtBot, netlog: NetLog, dock: LogDock
) -> None:
    _ex, view = merged_view_of_one_line(netlog, dock, 600)  # ~9 KB, shown in lines <= LINE_LIMIT
    qtbot.waitUntil(lambda: not view.is_merging())
    answer = "".join(f"piece {i} 天气 " for i in range(600)).strip()
    assert answer not in view.merged.toPlainText()  # broken for display
    view.merged.selectAll()
    qtbot.keyClick(view.merged, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert answer in copied
    assert copied.startswith("## Answer\n")
    cursor = view.merged.textCursor()  # a part of the broken line, across a display break
    cursor.setPosition(len("## Answer\n") + 990)
    cursor.setPosition(len("## Answer\n") + 1020, cursor.MoveMode.KeepAnchor)
    view.merged.setTextCursor(cursor)
    menu = view.merged.context_menu(QPoint(5, 5))
    next(a for a in menu.actions() if a.objectName() == "edit-copy").trigger()
    menu.deleteLater()
    part = QGuiApplication.clipboard().text()
    assert "\n" not in part
    assert part in answer
    assert len(part) in (29, 30)


def test_support_bundle_masks_once_and_its_curl_line_runs_as_printed(tmp_path: Path) -> None:
    token = "pat_" + "Zx" * 32 + "wxyz"
    log = NetLog()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    ex = log.begin("POST", "https://api.coze.cn/v3/chat", headers, '{"bot_id":"1"}', is_stream=True)
    log.response(ex, 401, {"content-type": "application/json", "x-tt-logid": "LOGB"})
    log.body(ex, '{"code":4100,"msg":"use Bearer YOUR_TOKEN"}')
    log.finish(ex)
    bundle = support_bundle(ex)
    assert token not in bundle
    assert "log id: LOGB" in bundle
    curl = bundle.splitlines()[-1]
    assert curl.startswith("curl ")
    assert '"Authorization: Bearer $COZE_API_TOKEN"' in curl
    script = tmp_path / "bundle.sh"
    script.write_text(curl + "\n", encoding="utf-8")
    checked = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

"""Comparisons through the window: 2-3 bots asked at once over loopback, stored in SQLite."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from desktop import paths
from desktop.demo import DEMO_PROFILE_NAME, ECHO_PROFILE_NAME, WRONG_TOKEN_PROFILE_NAME
from desktop.simulator import SLOW_BOT_ID
from desktop.storage import Database
from desktop.ui.kit.intents import SendIntent
from tests.ui.harness import Shell, make_shell

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from desktop.simulator import Simulator
    from desktop.storage import Profile
    from desktop.ui.bridge.controller import TurnFinished


def demo_profiles(shell: Shell, *names: str) -> list[Profile]:
    shell.demo.ensure_profiles()
    shell.window.refresh_profiles()
    found = [shell.db.profiles.by_name(name) for name in names]
    assert all(p is not None for p in found)
    return [p for p in found if p is not None]


def ask(shell: Shell, text: str, columns: int, timeout: int = 20_000) -> list[TurnFinished]:
    """Type ``text`` in the compare composer and press Enter; wait for every column."""
    finished: list[TurnFinished] = []
    shell.controller.turn_finished.connect(finished.append)
    view = shell.window.compare.view
    view.composer.edit.setPlainText(text)
    shell.qtbot.keyClick(view.composer.edit, Qt.Key.Key_Return)
    shell.qtbot.waitUntil(lambda: len(finished) == columns, timeout=timeout)
    shell.controller.turn_finished.disconnect(finished.append)
    return finished


def column_text(shell: Shell, session_id: int) -> str:
    column = shell.window.compare.view.column(session_id)
    assert column is not None
    answer = column.last_answer
    return answer.content if answer is not None else ""


def test_three_demo_bots_answer_side_by_side_and_follow_ups_go_to_each(
    shell: Shell, tmp_path: Path
) -> None:
    profiles = demo_profiles(shell, DEMO_PROFILE_NAME, ECHO_PROFILE_NAME, WRONG_TOKEN_PROFILE_NAME)
    comparison = shell.window.compare.start([p.id for p in profiles])
    assert comparison is not None
    view = shell.window.compare.view
    assert shell.window.pages.currentWidget() is view
    assert [c.name for c in view.columns] == [p.name for p in profiles]
    demo_id, echo_id, wrong_id = comparison.session_ids

    first = {e.session_id: e for e in ask(shell, "北京今天天气怎么样?", 3)}
    assert set(first) == set(comparison.session_ids)
    assert first[demo_id].message.status == "complete"
    assert "北京" in first[demo_id].message.content
    assert first[echo_id].message.content.startswith("Echo: 北京今天天气怎么样?")
    assert first[wrong_id].message.status == "failed"  # its own error, the others unharmed
    error = first[wrong_id].error
    assert error is not None
    assert error.code == 4100
    # each column its own session and conversation, the figures shown under each name
    conversations = {shell.db.sessions.get(sid).conversation_id for sid in (demo_id, echo_id)}  # type: ignore[union-attr]
    assert len(conversations) == 2
    assert "" not in conversations
    for session_id in (demo_id, echo_id):
        column = view.column(session_id)
        assert column is not None
        stats = column.stats.text()
        assert "first token" in stats
        assert "tokens" in stats
        assert column.last_answer is not None
        assert column.last_answer.log_id
        assert column.last_answer.log_id in column.log_id.text()
    wrong_column = view.column(wrong_id)
    assert wrong_column is not None
    assert "failed" in wrong_column.stats.text()
    assert not view.composer.busy

    # a follow-up goes to every column, each in its own conversation
    second = {e.session_id: e for e in ask(shell, "and tomorrow?", 3)}
    assert "(turn 2 in this conversation)" in second[echo_id].message.content
    assert second[demo_id].conversation_id == first[demo_id].conversation_id
    sim = shell.demo.simulator
    assert sim is not None
    sent = [r for r in sim.requests if r.path == "/v3/chat" and r.auth_ok][-2:]
    expected = {first[demo_id].conversation_id, first[echo_id].conversation_id}
    assert {r.query.get("conversation_id") for r in sent} == expected
    for session_id in (demo_id, echo_id):
        questions = [m for m in shell.db.messages.list(session_id) if m.role == "user"]
        assert [q.content for q in questions] == ["北京今天天气怎么样?", "and tomorrow?"]

    # listed in the sidebar; a column opens as a normal chat and the comparison comes back
    sidebar = shell.window.sidebar
    assert sidebar.comparison_ids() == [comparison.id]
    view.column(echo_id).open_button.click()  # type: ignore[union-attr]
    assert shell.window.pages.currentWidget() is not view
    assert shell.window.session_id == echo_id
    assert "turn 2" in shell.window.chat_view.row_for(second[echo_id].message.id).message.content  # type: ignore[union-attr]
    assert sidebar.comparison_list is not None
    sidebar.comparison_list.itemClicked.emit(sidebar.comparison_list.item(0))
    assert shell.window.pages.currentWidget() is view

    # Markdown export: one section per bot, in column order
    out = tmp_path / "comparison.md"
    assert shell.window.compare.write_export(comparison.id, out)
    text = out.read_text(encoding="utf-8")
    sections = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert sections == [p.name for p in profiles]
    assert text.count("### You") == 6
    assert "(turn 2 in this conversation)" in text
    assert "code 4100" in text


def test_the_comparison_survives_a_restart(qtbot: QtBot, qloop: Any, sim: Simulator) -> None:
    first = make_shell(qtbot, sim)
    try:
        profiles = demo_profiles(first, DEMO_PROFILE_NAME, ECHO_PROFILE_NAME)
        comparison = first.window.compare.start([p.id for p in profiles])
        assert comparison is not None
        ask(first, "hello", 2)
    finally:
        first.close()

    db = Database.open(paths.db_path())  # the same SQLite file, opened anew
    reopened = make_shell(qtbot, sim, db=db)
    try:
        saved = reopened.db.comparisons.list()
        assert [c.session_ids for c in saved] == [comparison.session_ids]
        assert reopened.window.sidebar.comparison_ids() == [comparison.id]
        assert reopened.window.compare.open(comparison.id)
        view = reopened.window.compare.view
        assert [c.name for c in view.columns] == [DEMO_PROFILE_NAME, ECHO_PROFILE_NAME]
        echo_id = comparison.session_ids[1]
        assert column_text(reopened, echo_id).startswith("Echo: hello")
        assert view.title.text() == "hello"
    finally:
        reopened.close()


def test_stop_one_column_leaves_the_others_streaming(shell: Shell) -> None:
    slow_a = shell.add_profile("Slow A", SLOW_BOT_ID)
    slow_b = shell.add_profile("Slow B", SLOW_BOT_ID)
    comparison = shell.window.compare.start([slow_a.id, slow_b.id])
    assert comparison is not None
    a_id, b_id = comparison.session_ids
    view = shell.window.compare.view
    finished: dict[int, TurnFinished] = {}
    shell.controller.turn_finished.connect(lambda e: finished.setdefault(e.session_id, e))
    shell.window.compare.send(SendIntent("type slowly"))
    shell.qtbot.waitUntil(lambda: len(column_text(shell, a_id)) > 10, timeout=10_000)
    shell.qtbot.waitUntil(lambda: len(column_text(shell, b_id)) > 10, timeout=10_000)
    column_a = view.column(a_id)
    assert column_a is not None
    assert column_a.stop_button.isEnabled()
    assert shell.window.actions_.stop.isEnabled()  # Esc stops all here
    column_a.stop_button.click()
    shell.qtbot.waitUntil(lambda: a_id in finished, timeout=5_000)
    assert finished[a_id].message.status == "stopped"
    assert shell.controller.is_busy(b_id)  # B goes on
    seen = len(column_text(shell, b_id))
    shell.qtbot.waitUntil(lambda: len(column_text(shell, b_id)) > seen + 6, timeout=5_000)
    assert not column_a.stop_button.isEnabled()
    assert view.stop_all_button.isEnabled()
    shell.window.actions_.stop.trigger()  # Esc: Stop all ends the rest
    shell.qtbot.waitUntil(lambda: b_id in finished, timeout=5_000)
    assert finished[b_id].message.status == "stopped"
    assert shell.db.messages.get(finished[a_id].message.id).status == "stopped"  # type: ignore[union-attr]


def test_columns_become_tabs_when_the_window_is_narrow(shell: Shell) -> None:
    profiles = demo_profiles(shell, DEMO_PROFILE_NAME, ECHO_PROFILE_NAME, WRONG_TOKEN_PROFILE_NAME)
    shell.window.compare.start([p.id for p in profiles])
    view = shell.window.compare.view
    shell.window.resize(1400, 800)
    shell.qtbot.waitUntil(lambda: not view.tabbed)
    assert view.splitter.count() == 3
    shell.window.resize(700, 800)
    shell.qtbot.waitUntil(lambda: view.tabbed)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [p.name for p in profiles]
    shell.window.resize(1400, 800)
    shell.qtbot.waitUntil(lambda: not view.tabbed)
    assert view.splitter.count() == 3


def test_a_narrow_comparison_offers_the_sidebar_back(shell: Shell) -> None:
    profiles = demo_profiles(shell, DEMO_PROFILE_NAME, ECHO_PROFILE_NAME)
    shell.window.compare.start([p.id for p in profiles])
    view = shell.window.compare.view
    sidebar = shell.window.sidebar
    shell.window.resize(1400, 800)
    shell.qtbot.waitUntil(lambda: sidebar.isVisible())
    assert view.sidebar_button is None or not view.sidebar_button.isVisible()
    shell.window.resize(640, 800)
    shell.qtbot.waitUntil(lambda: not sidebar.isVisible())
    button = view.sidebar_button
    assert button is not None
    assert button.isVisible()
    shell.services.translations.apply("zh")
    try:
        shell.qtbot.waitUntil(lambda: button.toolTip() == "显示侧边栏")
    finally:
        shell.services.translations.apply("en")
    shell.qtbot.waitUntil(lambda: button.toolTip() == "Show the sidebar")
    shell.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert sidebar.isVisible()
    assert not button.isVisible()
    assert shell.window.compare.showing  # still the comparison


def test_new_comparison_action_opens_the_picker(shell: Shell, qtbot: QtBot) -> None:
    from desktop.ui.compare.picker import ComparePicker

    demo_profiles(shell, DEMO_PROFILE_NAME, ECHO_PROFILE_NAME)
    actions = shell.window.actions_
    assert actions.new_comparison.isEnabled()
    assert actions.new_comparison.shortcut().toString() == "Ctrl+Shift+N"
    actions.new_comparison.trigger()
    picker = shell.window.findChild(ComparePicker)
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    assert len(picker.chosen()) == 2
    picker.set_checked([])
    assert not picker.ok_button.isEnabled()  # fewer than two: OK is off
    every = [p.id for p in shell.db.profiles.list()][:3]
    picker.set_checked(every)
    picker.accept()
    assert shell.window.pages.currentWidget() is shell.window.compare.view
    assert len(shell.window.compare.view.columns) == len(every) == 3


def test_columns_keep_their_width_while_an_answers_figures_grow(qtbot: QtBot) -> None:
    """The figures under a bot's name grow as its answer streams; the columns must not
    re-share the width then (each would lay its whole answer out again, at every change)."""
    from desktop.storage.models import StoredMessage
    from desktop.storage.parts import UsageRecord
    from desktop.ui.compare.view import CompareView

    view = CompareView()
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.set_columns("widths", [(1, "A"), (2, "B"), (3, "C"), (4, "D")])
    view.show()
    qtbot.waitExposed(view)
    before = [column.width() for column in view.columns]
    assert max(before) - min(before) <= 2
    answer = StoredMessage(id=7, session_id=1, role="assistant", kind="answer",
                           content="hi", status="interrupted", ttft_ms=21, total_ms=123_456,
                           log_id="20261202031415B2F9C80C98F30B5E4D3E" * 2,
                           usage=UsageRecord(token_count=1_234_567))  # fmt: skip
    view.upsert(1, answer)
    column = view.columns[0]
    qtbot.waitUntil(lambda: "1,234,567" in column.stats.text() and column.log_id.isVisible())
    view.layout().activate()
    view.splitter.refresh()
    assert [c.width() for c in view.columns] == before

"""The sidebar's search: answered off the GUI thread, stale answers dropped, each hit with its
snippet and the match highlighted, and the keyboard path from the search box into the results."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from desktop.simulator import ECHO_BOT_ID
from desktop.storage import Database, Session
from desktop.storage.repos import SessionRepo
from desktop.storage.search import SearchResults
from desktop.ui.bridge.search_runner import SearchDone, SearchRunner
from desktop.ui.sidebar.delegate import MARKS_ROLE, SNIPPET_ROLE, split_marks
from desktop.ui.sidebar.panel import ID_ROLE, SessionRow, Sidebar
from tests.waiting import run_queued

if TYPE_CHECKING:
    import pytest
    from pytestqt.qtbot import QtBot

    from tests.ui.harness import Shell


def _results(query: str) -> SearchResults:
    now = time.time()
    session = Session(id=len(query), profile_id="p", title=query, created_at=now, updated_at=now)
    from desktop.storage.search import SearchHit

    return SearchResults([SearchHit(session, None, None)], complete=True)


def test_a_slow_stale_answer_is_not_shown(qtbot: QtBot) -> None:
    release = threading.Event()
    ran: list[str] = []

    def search(_reader: Database, query: str, _profile_id: str | None) -> SearchResults:
        ran.append(query)
        if query == "slow":
            assert release.wait(10)
        return _results(query)

    db = Database.open()
    runner = SearchRunner(db, search=search)
    shown: list[SearchDone] = []
    runner.finished.connect(shown.append)
    try:
        runner.submit("slow")
        qtbot.waitUntil(lambda: ran == ["slow"], timeout=5_000)
        with qtbot.waitSignal(runner.finished, timeout=5_000):
            newest = runner.submit("fast")  # the second worker answers while "slow" runs
        assert [(d.ticket, d.query) for d in shown] == [(newest, "fast")]
        release.set()
    finally:
        release.set()
        runner.close()  # waits for "slow": its answer is queued by now
        db.close()
    run_queued(qtbot)
    assert [d.query for d in shown] == ["fast"]


def test_a_search_error_is_reported_not_raised(qtbot: QtBot) -> None:
    from desktop.storage import StorageError

    def search(_reader: Database, _query: str, _profile_id: str | None) -> SearchResults:
        raise StorageError("The history could not be read (disk I/O error).", "io")

    db = Database.open()
    runner = SearchRunner(db, search=search)
    try:
        with qtbot.waitSignal(runner.finished, timeout=5_000) as blocker:
            runner.submit("x", "p1")
    finally:
        runner.close()
        db.close()
    done = blocker.args[0]
    assert (done.results, done.profile_id, done.error.kind) == (None, "p1", "io")


def test_window_search_finds_a_cjk_word_off_the_gui_thread_with_snippet(
    shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = SessionRepo.search

    def spy(self: SessionRepo, *args: Any, **kwargs: Any) -> SearchResults:
        threads.append(threading.current_thread().name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SessionRepo, "search", spy)
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    ride = shell.db.sessions.create(profile.id, "周末")
    shell.db.messages.add(ride.id, "assistant", "answer", "明天天气晴，适合去西湖边骑行。")
    rain = shell.db.sessions.create(profile.id, "下雨")
    shell.db.messages.add(rain.id, "assistant", "answer", "带伞。")
    shell.window.open_session(rain.id)
    sidebar = shell.window.sidebar
    sidebar.search.setFocus()
    sidebar.search.setText("骑行")
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 1, timeout=5_000)
    item = sidebar.session_list.item(0)
    assert item.data(ID_ROLE) == ride.id
    snippet = item.data(SNIPPET_ROLE)
    (start, length), *_ = item.data(MARKS_ROLE)
    assert snippet[start : start + length] == "骑行"
    assert threads
    assert all(name != threading.main_thread().name for name in threads)
    # Down, then Enter: the hit opens and the composer takes the keys
    qtbot.keyClick(sidebar.search, Qt.Key.Key_Down)
    assert sidebar.session_list.hasFocus()
    assert shell.window.session_id == rain.id  # moving onto a result does not open it
    qtbot.keyClick(sidebar.session_list, Qt.Key.Key_Return)
    assert shell.window.session_id == ride.id
    assert shell.window.composer.edit.hasFocus()
    sidebar.search.setText("")
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 2, timeout=5_000)
    assert sidebar.session_list.item(0).data(SNIPPET_ROLE) is None


def _sidebar(qtbot: QtBot, rows: list[SessionRow], current: int | None) -> Sidebar:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(280, 400)
    sidebar.set_sessions(rows, current)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    return sidebar


def test_the_match_is_painted_highlighted(qtbot: QtBot) -> None:
    text = "…我们周末去骑行吧"
    assert split_marks(text, [(6, 2)]) == [("…我们周末去", False), ("骑行", True), ("吧", False)]
    assert split_marks("abc", [(2, 5), (-1, 1)]) == [("abc", False)]  # bad marks are ignored
    plain = _sidebar(qtbot, [SessionRow(1, "周末", "Echo · 10:00", False, text, ())], None)
    marked = _sidebar(qtbot, [SessionRow(1, "周末", "Echo · 10:00", False, text, ((6, 2),))], None)
    meta = _sidebar(qtbot, [SessionRow(1, "周末", "Echo · 10:00", False)], None)
    images = [s.session_list.viewport().grab().toImage() for s in (plain, marked, meta)]
    assert images[0] != images[1]  # the highlight
    assert images[0] != images[2]  # the snippet instead of "bot · time"


def test_down_enter_escape_from_the_search_box(qtbot: QtBot) -> None:
    rows = [SessionRow(i, f"chat {i}", "Echo · 10:00", False, f"match {i}", ((0, 5),))
            for i in (1, 2, 3)]  # fmt: skip
    sidebar = _sidebar(qtbot, rows, current=3)
    selected: list[int] = []
    clicked: list[int] = []
    sidebar.session_selected.connect(lambda intent: selected.append(intent.session_id))
    sidebar.session_clicked.connect(lambda intent: clicked.append(intent.session_id))
    sidebar.activateWindow()
    sidebar.focus_search()
    qtbot.waitUntil(sidebar.search.hasFocus, timeout=3_000)
    qtbot.keyClick(sidebar.search, Qt.Key.Key_Down)
    assert sidebar.session_list.hasFocus()
    assert sidebar.current_session_id() == 1
    qtbot.keyClick(sidebar.session_list, Qt.Key.Key_Down)
    assert sidebar.current_session_id() == 2
    assert selected == []  # browsing the results opens nothing
    qtbot.keyClick(sidebar.session_list, Qt.Key.Key_Escape)
    assert sidebar.search.hasFocus()
    assert sidebar.current_session_id() == 3  # the open chat is marked again
    qtbot.keyClick(sidebar.search, Qt.Key.Key_Down)
    qtbot.keyClick(sidebar.session_list, Qt.Key.Key_Down)
    qtbot.keyClick(sidebar.session_list, Qt.Key.Key_Enter)
    assert (selected, clicked) == ([2], [2])


def test_a_search_cut_short_says_so(
    shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.storage import search

    monkeypatch.setattr(search, "SCAN", 1)
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    for title in ("one", "two"):
        session = shell.db.sessions.create(profile.id, title)
        shell.db.messages.add(session.id, "user", "question", "骑行")
    sidebar = shell.window.sidebar
    sidebar.search.setText("骑行")
    qtbot.waitUntil(lambda: "newest 1 matching" in shell.window.statusBar().currentMessage(),
                    timeout=5_000)  # fmt: skip
    assert sidebar.session_list.count() == 1
    assert sidebar.session_list.item(0).text() == "two"

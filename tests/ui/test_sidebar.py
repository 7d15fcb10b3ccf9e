"""The sidebar's session list: rows made on demand, a screenful first, the rest after a paint."""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QHoverEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.storage.models import Session
from desktop.ui.sessions import SessionRows, session_rows
from desktop.ui.sidebar import FIRST_ROWS, Sidebar


class CountingSessions(Sequence[Session]):
    """Sessions that count how many of them were read one by one (slices included)."""

    reads = 0

    def __init__(self, items: list[Session]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return CountingSessions(self.items[index])
        item = self.items[index]
        CountingSessions.reads += 1
        return item


def sessions(count: int) -> list[Session]:
    now = time.time()
    return [Session(id=i + 1, profile_id="p1", title=f"chat {i + 1}", pinned=i == 0,
                    created_at=now - i * 60, updated_at=now - i * 60) for i in range(count)]  # fmt: skip


def test_rows_are_made_only_when_read() -> None:
    CountingSessions.reads = 0
    rows = SessionRows(CountingSessions(sessions(100)), {"p1": "Echo"})
    head = rows[:3]
    assert len(rows) == 100 and CountingSessions.reads == 0  # slicing and len read nothing
    assert [row.title for row in head] == ["chat 1", "chat 2", "chat 3"]
    assert CountingSessions.reads == 3
    assert head[0].pinned and not head[1].pinned
    assert head[0].meta.startswith("Echo · ")
    assert rows[-1].id == 100 and len(rows[40:]) == 60
    assert list(session_rows(iter(sessions(2)), {}))[1].meta.startswith("? · ")


def test_rest_of_the_list_waits_for_the_first_paint(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_sessions(session_rows(sessions(70), {"p1": "Echo"}), 65)
    assert sidebar.session_list.count() == FIRST_ROWS
    assert sidebar.current_session_id() is None  # row 65 is not in the list yet
    qtbot.wait(30)
    assert sidebar.session_list.count() == FIRST_ROWS  # nothing painted: nothing more added
    sidebar.show()
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 70)
    assert sidebar.current_session_id() == 65  # selected once its row exists
    sidebar.set_sessions(session_rows(sessions(50), {"p1": "Echo"}), None)
    assert sidebar.session_list.count() == FIRST_ROWS
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 50)  # painted before: next turn


def test_a_late_row_is_selected_once_it_is_added(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_sessions(session_rows(sessions(60), {"p1": "Echo"}), None)
    with qtbot.assertNotEmitted(sidebar.session_selected):
        sidebar.select_session(55)
        assert sidebar.current_session_id() is None
        sidebar.show()
        qtbot.waitUntil(lambda: sidebar.session_list.count() == 60)
    assert sidebar.current_session_id() == 55


def test_selected_and_hovered_rows_are_tinted(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(280, 500)
    sidebar.set_sessions(session_rows(sessions(5), {"p1": "Echo"}), 1)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    listing = sidebar.session_list
    viewport = listing.viewport()

    def fill(row: int) -> tuple[int, int, int]:
        rect = listing.visualItemRect(listing.item(row))
        colour = viewport.grab().toImage().pixelColor(rect.left() + 6, rect.center().y())
        return colour.red(), colour.green(), colour.blue()

    plain, selected = fill(2), fill(0)
    assert selected != plain
    centre = QPointF(listing.visualItemRect(listing.item(3)).center())
    move = QHoverEvent(QEvent.Type.HoverMove, centre, viewport.mapToGlobal(centre), QPointF(-1, -1))
    QApplication.sendEvent(viewport, move)
    hovered = fill(3)
    assert hovered not in (plain, selected)
    assert fill(2) == plain
    leave = QHoverEvent(QEvent.Type.HoverLeave, QPointF(-1, -1), QPointF(-1, -1), centre)
    QApplication.sendEvent(viewport, leave)
    assert fill(3) == plain


def test_rows_after_the_first_screenful_are_read_only_when_added(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    calls: list[int] = []

    def more() -> SessionRows:
        calls.append(1)
        return session_rows(sessions(70)[FIRST_ROWS:], {"p1": "Echo"})

    sidebar.set_sessions(session_rows(sessions(FIRST_ROWS), {"p1": "Echo"}), 62, more)
    qtbot.wait(20)
    assert calls == [] and sidebar.session_list.count() == FIRST_ROWS
    sidebar.show()
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 70)
    assert calls == [1] and sidebar.current_session_id() == 62
    sidebar.set_sessions(session_rows(sessions(3), {"p1": "Echo"}), None)
    qtbot.wait(20)
    assert calls == [1] and sidebar.session_list.count() == 3  # a new fill forgets ``more``

"""The sidebar's session list: rows made on demand, a screenful first, the rest after a paint;
how rows look, hover, rename and elide."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt, QTextBoundaryFinder
from PySide6.QtGui import QEnterEvent, QFontMetrics, QHoverEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QToolButton, QWidget

from desktop.storage.models import Session
from desktop.ui.kit.elide import elide_right
from desktop.ui.sidebar.panel import FIRST_ROWS, Sidebar
from desktop.ui.sidebar.rows import SessionRows, session_rows
from tests.waiting import run_queued

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


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


def shown_sidebar(qtbot: QtBot, count: int, current: int | None, height: int = 400) -> Sidebar:
    """A sidebar listing ``count`` sessions with ``current`` selected, on screen."""
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(280, height)
    sidebar.set_sessions(session_rows(sessions(count), {"p1": "Echo"}), current)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    return sidebar


def test_rows_are_made_only_when_read() -> None:
    CountingSessions.reads = 0
    rows = SessionRows(CountingSessions(sessions(100)), {"p1": "Echo"})
    head = rows[:3]
    assert len(rows) == 100
    assert CountingSessions.reads == 0  # slicing and len read nothing
    assert [row.title for row in head] == ["chat 1", "chat 2", "chat 3"]
    assert CountingSessions.reads == 3
    assert head[0].pinned
    assert not head[1].pinned
    assert head[0].meta.startswith("Echo · ")
    assert rows[-1].id == 100
    assert len(rows[40:]) == 60
    assert list(session_rows(iter(sessions(2)), {}))[1].meta.startswith("? · ")


def test_rest_of_the_list_waits_for_the_first_paint(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_sessions(session_rows(sessions(70), {"p1": "Echo"}), 65)
    assert sidebar.session_list.count() == FIRST_ROWS
    assert sidebar.current_session_id() is None  # row 65 is not in the list yet
    run_queued(qtbot)
    assert sidebar.session_list.count() == FIRST_ROWS  # nothing painted: nothing more added
    sidebar.show()
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 70)
    assert sidebar.current_session_id() == 65  # selected once its row exists
    sidebar.set_sessions(session_rows(sessions(50), {"p1": "Echo"}), None)
    assert sidebar.session_list.count() == FIRST_ROWS
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 50)  # painted before: next turn


def test_a_sidebar_never_painted_gets_its_rows_when_an_action_needs_them(qtbot: QtBot) -> None:
    """Hidden since the start (View > Sidebar), the list is never painted: moving to the next
    chat past the first screenful, or renaming, adds the rest and makes the rows editable."""
    host = QWidget()
    qtbot.addWidget(host)
    sidebar = Sidebar(host)
    sidebar.hide()
    host.show()
    sidebar.set_sessions(session_rows(sessions(50), {"p1": "Echo"}), FIRST_ROWS)
    run_queued(qtbot)
    assert sidebar.session_list.count() == FIRST_ROWS
    with qtbot.waitSignal(sidebar.session_selected) as picked:
        sidebar.select_adjacent(1)  # from the last row made to the one after it
    assert picked.args[0].session_id == FIRST_ROWS + 1
    assert sidebar.session_list.count() == 50
    sidebar.show()
    sidebar.rename_current()  # before any paint
    assert sidebar.session_list.state() == QAbstractItemView.State.EditingState


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
    sidebar = shown_sidebar(qtbot, 5, 1, height=500)
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
    run_queued(qtbot)
    assert calls == []
    assert sidebar.session_list.count() == FIRST_ROWS
    sidebar.show()
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 70)
    assert calls == [1]
    assert sidebar.current_session_id() == 62
    sidebar.set_sessions(session_rows(sessions(3), {"p1": "Echo"}), None)
    run_queued(qtbot)
    assert calls == [1]
    assert sidebar.session_list.count() == 3  # a new fill forgets ``more``


def test_the_title_is_in_the_text_colour_and_the_meta_line_muted(qtbot: QtBot) -> None:
    sidebar = shown_sidebar(qtbot, 3, None, height=300)
    listing = sidebar.session_list
    image = listing.viewport().grab().toImage()
    rect = listing.visualItemRect(listing.item(1))
    middle = rect.center().y()

    def darkest(top: int, bottom: int) -> int:
        return min(image.pixelColor(x, y).lightness()
                   for x in range(rect.left(), rect.right()) for y in range(top, bottom))  # fmt: skip

    palette = QApplication.palette()
    text = palette.color(QPalette.ColorRole.Text).lightness()
    background = image.pixelColor(rect.right() - 2, middle).lightness()
    title, meta = darkest(rect.top(), middle), darkest(middle, rect.bottom())
    assert abs(title - text) <= 12  # the painter's pen: the viewport's text colour
    assert min(text, background) + 20 < meta < max(text, background) - 20  # half strength


def test_the_viewport_asks_for_hover_events_once_the_mouse_enters(qtbot: QtBot) -> None:
    sidebar = shown_sidebar(qtbot, 4, 1)
    listing = sidebar.session_list
    viewport = listing.viewport()
    assert not viewport.testAttribute(Qt.WidgetAttribute.WA_Hover)
    rect = listing.visualItemRect(listing.item(2))
    before = viewport.grab().toImage().pixelColor(rect.left() + 6, rect.center().y())
    centre = QPointF(rect.center())
    QApplication.sendEvent(viewport, QEnterEvent(centre, centre, viewport.mapToGlobal(centre)))
    assert viewport.testAttribute(Qt.WidgetAttribute.WA_Hover)
    after = viewport.grab().toImage().pixelColor(rect.left() + 6, rect.center().y())
    assert after != before  # the row under the mouse is tinted at once


def test_a_session_is_renamed_by_double_click_or_f2(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(280, 400)
    sidebar.set_sessions(session_rows(sessions(3), {"p1": "Echo"}), 2)
    listing = sidebar.session_list
    editable = Qt.ItemFlag.ItemIsEditable
    assert not listing.item(0).flags() & editable  # not before the first frame (see _painted)
    sidebar.show()
    qtbot.waitUntil(lambda: all(listing.item(i).flags() & editable for i in range(3)))
    renamed: list[object] = []
    sidebar.rename_requested.connect(renamed.append)
    rect = listing.visualItemRect(listing.item(0))
    for click in (qtbot.mouseClick, qtbot.mouseDClick):  # a real double click: press first
        click(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert listing.state() == QAbstractItemView.State.EditingState
    assert renamed == []  # making the row editable is not an edit
    editor = listing.viewport().findChild(QLineEdit)
    assert editor is not None
    assert editor.text() == "chat 1"
    editor.setText("Trip plans")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: renamed != [])  # the delegate commits on the next loop turn
    assert [(r.session_id, r.title) for r in renamed] == [(1, "Trip plans")]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: listing.state() == QAbstractItemView.State.NoState)
    sidebar.select_session(3)
    sidebar.rename_current()  # F2, through the window's action
    assert listing.state() == QAbstractItemView.State.EditingState
    editor = listing.viewport().findChild(QLineEdit)
    assert editor is not None
    assert editor.isVisible()
    assert editor.text() == "chat 3"


def graphemes(text: str) -> list[str]:
    """``text`` split as Qt splits it into user-perceived characters."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Grapheme, text)
    encoded = text.encode("utf-16-le")
    parts, start = [], 0
    while (end := finder.toNextBoundary()) != -1:
        parts.append(encoded[start * 2 : end * 2].decode("utf-16-le"))
        start = end
    return parts


TITLES = [
    "A fairly long session title about the weather in Hangzhou next week",
    "请帮我写一份关于杭州下周天气的详细报告，包括温度、湿度和降水概率",
    "Mixed 中文 and English words in one rather long title line",
    "Flags 🇨🇳🇯🇵🇫🇷 and a family 👨\u200d👩\u200d👧 and thumbs 👍🏽👍🏽 in a title",
    "สวัสดีครับ ภาษาไทย มีสระและวรรณยุกต์ซ้อนกันหลายชั้น",
    "Keycaps 1\u20e3 2\u20e3 3\u20e3 and cafe\u0301 re\u0301sume\u0301 with marks",
    "देवनागरी में लिखा गया एक लंबा शीर्षक",
]


@pytest.mark.parametrize("text", TITLES)
def test_titles_are_elided_between_characters_as_qt_does(qtbot: QtBot, text: str) -> None:
    metrics = QFontMetrics(QApplication.font())
    whole = graphemes(text)
    for width in range(0, metrics.horizontalAdvance(text) + 8):
        ours = elide_right(metrics, text, width)
        if width >= metrics.horizontalAdvance(text):
            assert ours == text
            continue
        if ours == "":
            assert metrics.horizontalAdvance("…") > width
            continue
        assert ours.endswith("…")
        assert metrics.horizontalAdvance(ours) <= width
        kept = graphemes(ours[:-1])
        assert kept == whole[: len(kept)]  # no character cut in two
        qt = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        assert (
            abs(len(kept) - len(graphemes(qt[:-1]))) <= 1
        )  # as much as Qt shows, give or take one


def test_the_search_gets_its_clear_button_with_its_first_text(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    assert not sidebar.search.isClearButtonEnabled()
    sidebar.search.setText("weather")
    assert sidebar.search.isClearButtonEnabled()
    clear = [b for b in sidebar.search.findChildren(QToolButton) if b.isVisibleTo(sidebar.search)]
    assert len(clear) == 1
    clear[0].click()
    assert sidebar.search.text() == ""

"""Details a person notices when using the window: theme and language switches reach every
part of the chrome, dialogs keep still while typing, small windows stay small."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication

from desktop.core.doctor import CheckResult
from desktop.simulator import ECHO_BOT_ID
from desktop.ui.kit.theme import build_palette
from desktop.ui.settings.dialog import SettingsDialog
from desktop.ui.sidebar.delegate import META_ROLE
from desktop.ui.window.dialog_flow import _file_name

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytestqt.qtbot import QtBot

    from tests.ui.harness import Shell


def test_opening_the_log_dock_does_not_grow_a_small_window(shell: Shell, qtbot: QtBot) -> None:
    window = shell.window
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.height() == 600)
    window.log.show()
    QApplication.processEvents()
    assert window.minimumSizeHint().height() <= 600
    assert window.height() == 600
    table = window.log.dock.table
    assert table.height() >= table.minimumHeight() > 3 * table.verticalHeader().defaultSectionSize()


@pytest.fixture
def dark_palette(qapp: QApplication) -> Iterator[None]:
    light = qapp.palette()
    qapp.setPalette(build_palette(True))
    yield
    qapp.setPalette(light)


def test_theme_switch_restyles_the_keyring_banner(shell: Shell, dark_palette: None) -> None:
    QApplication.processEvents()
    assert "#3a2f1a" in shell.window.banner.styleSheet()  # the dark strip, not the light one


def test_disabled_send_looks_disabled_in_the_dark_theme(shell: Shell, dark_palette: None) -> None:
    QApplication.processEvents()
    sheet = shell.window.styleSheet()
    rule = sheet[sheet.index("QPushButton#sendButton:disabled") :].split("}")[0]
    assert "rgba(255, 255, 255, 90)" in rule  # dimmed label: not mistaken for a live button


def test_language_switch_relocalises_session_times(shell: Shell) -> None:
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    shell.services.translations.apply("zh")
    try:
        shell.window.retranslate()
        meta = shell.window.sidebar.session_list.item(0).data(META_ROLE)
        assert "AM" not in meta
        assert "PM" not in meta  # zh_CN says 上午/下午 or 24 h
    finally:
        shell.services.translations.apply("en")
        shell.window.retranslate()
    meta = shell.window.sidebar.session_list.item(0).data(META_ROLE)
    assert "AM" in meta or "PM" in meta


def test_settings_dialog_has_one_label_column(shell: Shell, qtbot: QtBot) -> None:
    dialog = SettingsDialog(shell.services.settings, shell.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    xs = {w.mapTo(dialog, QPoint(0, 0)).x() for w in (dialog.language, dialog.theme,
                                                     dialog.network.mode, dialog.network.url)}  # fmt: skip
    assert len(xs) == 1
    assert not dialog.network.result.isVisible()  # no empty gap before a test ran
    dialog.network.show_results([])
    dialog.network.set_result("Testing the connection…")
    assert dialog.network.result.isVisible()


def test_token_note_keeps_the_form_still_while_typing(shell: Shell, qtbot: QtBot) -> None:
    dialog = shell.window.dialogs.open_profiles(add=True)
    qtbot.waitExposed(dialog)
    form = dialog.form
    QApplication.processEvents()  # the first layout pass gives the note its width
    before = form.stream.mapTo(dialog, QPoint(0, 0)).y()
    for text in (" pat_abc def ", "eyJhbGciOi", "pat_abc"):
        form.token.setText(text)
        form.token.textEdited.emit(text)
        QApplication.processEvents()
        assert form.stream.mapTo(dialog, QPoint(0, 0)).y() == before, text
    assert "keyring" in form.token_note.text() or "session" in form.token_note.text()
    form.token.setText("eyJhbGciOi")
    form.token.textEdited.emit("eyJhbGciOi")
    assert "pat_" in form.token_note.text()
    assert form.token_note.isEnabled()
    dialog.close()


def test_editing_a_profile_marks_the_last_test_out_of_date(shell: Shell, qtbot: QtBot) -> None:
    dialog = shell.window.dialogs.open_profiles(add=True)
    panel = dialog.doctor_panel
    panel.start()
    panel.add(CheckResult("token_format", "pass", "ok", "ok"))
    panel.finish()
    assert not panel.stale
    qtbot.keyClicks(dialog.form.bot_id, "123")
    assert panel.stale
    assert not panel.view.isEnabled()
    assert "again" in panel.summary.text()
    panel.start()
    assert not panel.stale
    assert panel.view.isEnabled()
    dialog.close()


def test_export_opens_outside_the_working_directory(shell: Shell, tmp_path: Path) -> None:
    flow = shell.window.dialogs
    assert flow.export_dir() != Path.cwd() or Path.cwd() == Path.home()
    session_id = shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    shell.send("hi")
    assert flow.write_export(session_id, "md", tmp_path / "chat.md")
    assert flow.export_dir() == tmp_path
    assert _file_name("北京今天天气怎么样?", "md") == "北京今天天气怎么样.md"
    assert _file_name("???", "json") == "chat.json"


def test_send_and_stop_show_a_pointing_hand(shell: Shell) -> None:
    composer = shell.window.composer
    buttons = (composer.send_button, composer.stop_button)
    assert {b.cursor().shape() for b in buttons} == {Qt.CursorShape.ArrowCursor}  # frame one
    corner = QPointF(2, 2)  # the bar's margin, on the way to the buttons
    QApplication.sendEvent(composer, QEnterEvent(corner, corner, composer.mapToGlobal(corner)))
    assert {b.cursor().shape() for b in buttons} == {Qt.CursorShape.PointingHandCursor}


def test_a_long_chat_title_never_makes_the_window_wider_than_a_small_screen(
    shell: Shell, qtbot: QtBot
) -> None:
    """A long (Chinese) title and bot name end in "…" instead of widening the header: the window
    still fits a 683 px wide screen (1366 px at a scale factor of 2)."""
    title = "北京今天天气怎么样？适合出门吗？明天呢？后天呢？这周末适合去爬山吗？"
    session = shell.start_chat(shell.add_profile("一个名字很长很长的天气助手机器人", ECHO_BOT_ID))
    shell.db.sessions.rename(session, title)
    shell.window.refresh_sessions()
    shell.window.open_session(session)
    header = shell.window.header
    qtbot.waitUntil(lambda: header.title.full_text() == title)
    assert shell.window.minimumSizeHint().width() <= 683
    shell.window.resize(683, 600)
    qtbot.waitUntil(lambda: header.title.text().endswith("…"))
    assert title in header.title.toolTip()
    shell.window.resize(1400, 800)
    qtbot.waitUntil(lambda: header.title.text() == title)
    assert title not in header.title.toolTip()

"""Bot profiles dialog: tokens go to the secret store only; edit, test, duplicate, import/export."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea

from desktop import paths
from desktop.simulator import DEMO_BOT_ID, DEMO_TOKEN, Simulator
from desktop.ui.doctor.dialog import DoctorDialog
from desktop.ui.kit.widgets import select_value
from desktop.ui.profiles.form import clean_token_input
from tests.ui.harness import Shell, files_under, open_profile_dialog

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from desktop.ui.profiles.dialog import ProfileDialog


def new_profile_dialog(shell: Shell, qtbot: QtBot) -> ProfileDialog:
    dialog = open_profile_dialog(shell)
    assert dialog.isVisible()
    return dialog


def fill(dialog: ProfileDialog, qtbot: QtBot, sim: Simulator, token: str) -> None:
    form = dialog.form
    form.name.clear()
    qtbot.keyClicks(form.name, "My weather bot")
    form.region.setCurrentIndex(form.region.findData("custom"))
    qtbot.keyClicks(form.base_url, sim.base_url)
    qtbot.keyClicks(form.bot_id, DEMO_BOT_ID)
    form.token.setText(token)  # a paste
    form.token.textEdited.emit(token)


def test_token_lands_in_secret_store_only(shell: Shell, qtbot: QtBot) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    fill(dialog, qtbot, shell.sim, f"  {DEMO_TOKEN}\n")
    assert dialog.form.token.echoMode() == dialog.form.token.EchoMode.Password
    dialog.save_button.click()
    profile = shell.db.profiles.by_name("My weather bot")
    assert profile is not None
    assert profile.bot_id == DEMO_BOT_ID
    assert profile.user_id.startswith("coze-desktop-")
    assert shell.secrets.get(profile.id) == DEMO_TOKEN
    shell.window.save_state()
    shell.services.save()
    shell.db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    needle = DEMO_TOKEN.encode()
    files = files_under(paths.home())
    assert any(f.name.endswith(".sqlite3") for f in files)
    assert paths.settings_path() in files
    for file in files:
        assert needle not in file.read_bytes(), f"token leaked into {file.name}"


def test_saved_profile_chats_and_edit_keeps_token(shell: Shell, qtbot: QtBot) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    fill(dialog, qtbot, shell.sim, DEMO_TOKEN)
    dialog.save_button.click()
    profile = shell.db.profiles.by_name("My weather bot")
    assert profile is not None
    dialog.form.name.setText("Renamed bot")
    dialog.form.name.textEdited.emit("Renamed bot")
    dialog.form.stream.setChecked(False)
    dialog.save_button.click()
    edited = shell.db.profiles.get(profile.id)
    assert edited is not None
    assert edited.name == "Renamed bot"
    assert not edited.stream
    assert shell.secrets.get(profile.id) == DEMO_TOKEN
    assert (
        "keyring" in dialog.form.token.placeholderText().lower()
        or "session" in dialog.form.token.placeholderText().lower()
    )
    dialog.close()
    shell.window.sidebar.select_profile(profile.id)
    assert shell.window.status_panel.profile_label.text() == "Renamed bot"
    result = shell.send("上海今天天气？")
    assert result.error is None


def test_token_field_warnings(qtbot: QtBot) -> None:
    assert clean_token_input(" pat_abc \n") == ("pat_abc", ["trimmed"])
    assert clean_token_input("Bearer pat_abc") == ("pat_abc", ["bearer"])
    assert clean_token_input("abc")[1] == ["shape"]
    assert clean_token_input("pat_a b")[1] == ["spaces"]


def test_non_pat_token_shows_a_warning(shell: Shell, qtbot: QtBot) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    qtbot.keyClicks(dialog.form.token, "eyJhbGciOi")
    assert dialog.form.token_note.isVisible()
    assert "pat_" in dialog.form.token_note.text()


def test_validation_messages(shell: Shell, qtbot: QtBot) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    dialog.form.name.clear()
    dialog.save_button.click()
    assert "name" in dialog.message.text()
    assert not shell.db.profiles.list()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://bob:hunter2@localhost:8888", "user name or password"),
        ("http://localhost:99999", "from 1 to 65535"),
        ("localhost:8888", "http://… or https://…"),
    ],
)
def test_a_bad_base_url_is_refused_in_the_form(
    shell: Shell, qtbot: QtBot, url: str, words: str
) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    form = dialog.form
    form.name.setText("Studio")
    form.bot_id.setText("123")
    select_value(form.region, "custom")
    form.base_url.setText(url)
    assert any(words in problem for problem in form.problems())
    dialog.save_button.click()
    assert not shell.db.profiles.list()


def test_custom_variables_and_region_presets(shell: Shell, qtbot: QtBot) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    fill(dialog, qtbot, shell.sim, DEMO_TOKEN)
    dialog.form.add_var.click()
    table = dialog.form.variables
    table.item(0, 0).setText("city")
    table.item(0, 1).setText("北京")
    dialog.form.region.setCurrentIndex(dialog.form.region.findData("com"))
    assert not dialog.form.base_url.isEnabled()
    dialog.save_button.click()
    profile = shell.db.profiles.by_name("My weather bot")
    assert profile is not None
    assert profile.custom_variables == {"city": "北京"}
    assert profile.api_base_url == "https://api.coze.com"


def test_test_button_runs_the_doctor_in_the_dialog(shell: Shell, qtbot: QtBot) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    fill(dialog, qtbot, shell.sim, "pat_not_the_right_token_but_long_enough_0000000000")
    with qtbot.waitSignal(shell.controller.doctor.finished, timeout=20_000):
        dialog.doctor_panel.button.click()
    results = dialog.doctor_panel.results()
    assert {r.key for r in results} >= {"token_format", "token"}
    assert next(r for r in results if r.key == "token").verdict == "fail"
    text = dialog.doctor_panel.view.toPlainText()
    assert "Fix:" in text
    assert "✖" in text
    assert "failed" in dialog.doctor_panel.summary.text()


def test_duplicate_and_delete(shell: Shell, qtbot: QtBot) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    fill(dialog, qtbot, shell.sim, DEMO_TOKEN)
    dialog.save_button.click()
    dialog.duplicate_button.click()
    names = sorted(p.name for p in shell.db.profiles.list())
    assert names == ["My weather bot", "My weather bot (2)"]
    copy = shell.db.profiles.by_name("My weather bot (2)")
    assert copy is not None
    assert shell.secrets.get(copy.id) == DEMO_TOKEN
    dialog.select_profile(copy.id)
    dialog.delete_button.click()
    box = dialog.findChild(QMessageBox, "confirmDeleteProfile")
    assert box is not None
    assert box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: shell.db.profiles.get(copy.id) is None, timeout=3_000)
    assert shell.secrets.get(copy.id) is None


def test_export_and_import_without_tokens(shell: Shell, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    fill(dialog, qtbot, shell.sim, DEMO_TOKEN)
    dialog.save_button.click()
    target = tmp_path / "profiles.json"
    assert dialog.export_to(target) == 1
    raw = target.read_text()
    assert DEMO_TOKEN not in raw
    assert "token" not in json.loads(raw)["profiles"][0]
    assert dialog.import_from(target) == 1
    names = sorted(p.name for p in shell.db.profiles.list())
    assert names == ["My weather bot", "My weather bot (2)"]
    imported = shell.db.profiles.by_name("My weather bot (2)")
    assert imported is not None
    assert shell.secrets.get(imported.id) is None
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert dialog.import_from(bad) == 0
    assert "Import failed" in dialog.message.text()


def test_diagnose_from_error_bubble_opens_the_doctor(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Wrong", DEMO_BOT_ID, token="pat_wrong_token_for_the_test")
    shell.start_chat(profile)
    result = shell.send("hi")
    row = shell.window.chat_view.row_for(result.message.id)
    with qtbot.waitSignal(shell.controller.doctor.finished, timeout=20_000):
        row.parts["error"].diagnose_button.click()  # type: ignore[union-attr]
    dialog = shell.window.findChild(DoctorDialog, "doctorDialog")
    assert dialog is not None
    assert dialog.isVisible()
    assert "Wrong" in dialog.header.text()
    assert any(r.verdict == "fail" for r in dialog.results())


def test_new_profile_form_guides_a_new_user(shell: Shell, qtbot: QtBot) -> None:
    dialog = new_profile_dialog(shell, qtbot)
    form = dialog.form
    form.region.setCurrentIndex(form.region.findData("cn"))
    assert not form.base_url.isEnabled()
    assert form.base_url.placeholderText() == "https://api.coze.cn"  # not a localhost address
    assert DEMO_BOT_ID not in form.bot_id.placeholderText()  # no simulator id as an example
    assert "www.coze.cn/open/oauth/pats" in form.token_hint.text()
    assert form.token_hint.openExternalLinks()
    form.region.setCurrentIndex(form.region.findData("com"))
    assert form.base_url.placeholderText() == "https://api.coze.com"
    assert "www.coze.com/open/oauth/pats" in form.token_hint.text()
    form.region.setCurrentIndex(form.region.findData("custom"))
    assert form.base_url.isEnabled()
    assert "Coze Studio" in form.token_hint.text()
    assert "/bot/" in form.bot_hint.text()
    form.name.clear()
    qtbot.keyClicks(form.name, "No bot id yet")
    dialog.save_button.click()
    assert shell.db.profiles.by_name("No bot id yet") is None
    assert form.bot_id.property("invalid") is True  # the field itself is marked
    assert form.name.property("invalid") is False
    qtbot.waitUntil(form.base_url.hasFocus)  # custom without URL: the first field to fix


def test_a_typed_new_profile_is_never_dropped_silently(shell: Shell, qtbot: QtBot) -> None:
    shell.add_profile("Existing", DEMO_BOT_ID)
    dialog = shell.window.dialogs.open_profiles(add=True)
    form = dialog.form
    form.name.clear()
    qtbot.keyClicks(form.name, "Half typed")
    form.token.setText(DEMO_TOKEN)  # a paste
    form.token.textEdited.emit(DEMO_TOKEN)
    dialog.list.setCurrentRow(0)  # the user clicks the other profile
    box = dialog.findChild(QMessageBox, "unsavedProfile")
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    assert "Half typed" in box.text()
    assert dialog.list.currentItem() is None  # still on the draft while the user decides
    box.button(QMessageBox.StandardButton.Cancel).click()  # "Keep editing"
    assert form.token.text() == DEMO_TOKEN
    assert form.name.text() == "Half typed"
    form.region.setCurrentIndex(form.region.findData("custom"))
    qtbot.keyClicks(form.base_url, shell.sim.base_url)
    qtbot.keyClicks(form.bot_id, DEMO_BOT_ID)
    dialog.list.setCurrentRow(0)  # complete now: kept by saving it, as edits of a saved one are
    saved = shell.db.profiles.by_name("Half typed")
    assert saved is not None
    assert shell.secrets.get(saved.id) == DEMO_TOKEN
    assert dialog.list.currentItem().text() == "Existing"
    dialog.reject()


def test_add_variable_puts_the_cursor_in_the_new_key_cell(shell: Shell, qtbot: QtBot) -> None:
    dialog = shell.window.dialogs.open_profiles(add=True)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.form.add_var.click()
    table = dialog.form.variables

    def editing_the_key() -> bool:
        focus = QApplication.focusWidget()
        return (focus is not None and table.isAncestorOf(focus) and focus is not table
                and table.currentRow() == table.rowCount() - 1 and table.currentColumn() == 0)  # fmt: skip

    qtbot.waitUntil(editing_the_key)
    qtbot.keyClicks(QApplication.focusWidget(), "region_hint")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # on to the value cell
    assert table.item(table.rowCount() - 1, 0).text() == "region_hint"
    dialog.reject()


def test_chatflow_and_local_tools_survive_export_and_import(
    shell: Shell, qtbot: QtBot, tmp_path: Path
) -> None:
    shell.add_profile("Flow", "", workflow_id="7480000000000000501", app_id="7480000000000000502",
                      parameters={"city": "北京"}, local_tools={"get_local_time": "10:30"},
                      auto_local_tools=True)  # fmt: skip
    dialog = new_profile_dialog(shell, qtbot)
    target = tmp_path / "profiles.json"
    assert dialog.export_to(target) == 1
    assert dialog.import_from(target) == 1
    imported = shell.db.profiles.by_name("Flow (2)")
    assert imported is not None
    assert (imported.workflow_id, imported.app_id) == ("7480000000000000501", "7480000000000000502")
    assert imported.parameters == {"city": "北京"}
    assert imported.local_tools == {"get_local_time": "10:30"}
    assert imported.auto_local_tools


def test_the_dialog_fits_a_small_screen_and_scrolls_its_form(shell: Shell, qtbot: QtBot) -> None:
    """The form alone is taller than a laptop screen with the CJK UI font: the dialog opens
    within the screen, and the form scrolls inside it down to its last field."""
    dialog = open_profile_dialog(shell)
    free = dialog.screen().availableGeometry()
    assert dialog.minimumSizeHint().height() <= 600
    assert dialog.height() <= free.height()
    scroll = dialog.form.parentWidget().parentWidget()  # the form's viewport, then its scroll area
    assert isinstance(scroll, QScrollArea)
    last = dialog.form.auto_local_tools
    qtbot.waitUntil(lambda: scroll.viewport().height() > 0)
    scroll.ensureWidgetVisible(last)
    qtbot.waitUntil(lambda: not last.visibleRegion().isEmpty())

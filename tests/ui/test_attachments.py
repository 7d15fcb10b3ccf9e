"""Attachments in the window, through the controller and the simulator's file bot: the composer's
chips (attach, paste, drop, limits), the upload and the ``object_string`` question, the bubble's
thumbnail and file row (also after reopening the SQLite file), a failed upload and Stop during
one (the draft and its files come back), regenerate and edit-and-resend keeping the files."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from desktop import paths
from desktop.core import attachments as att
from desktop.simulator import FILES_BOT_ID, Simulator
from desktop.storage import Database
from desktop.ui.chat.render.bubble import AnswerWidget, QuestionWidget
from desktop.ui.chat.render.panels import ErrorPanel
from desktop.ui.kit.intents import MessageIntent
from tests.integration.test_attachments import png
from tests.ui.harness import Shell, make_shell

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from desktop.ui.bridge.controller import TurnFinished


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    image = tmp_path / "sunset.png"
    image.write_bytes(png(60, 40))
    notes = tmp_path / "notes.txt"
    notes.write_text("line one\nline two\n")
    return image, notes


def chat_bodies(sim: Simulator) -> list[Any]:
    return [r.json for r in sim.requests if r.path == "/v3/chat"]


def uploads(sim: Simulator) -> list[Any]:
    return [r for r in sim.requests if r.path == "/v1/files/upload"]


def send_click(shell: Shell, timeout: int = 15_000) -> TurnFinished:
    with shell.qtbot.waitSignal(shell.controller.turn_finished, timeout=timeout) as done:
        shell.qtbot.mouseClick(shell.window.composer.send_button, Qt.MouseButton.LeftButton)
    return done.args[0]  # type: ignore[no-any-return]


def question_row(shell: Shell, session_id: int) -> QuestionWidget:
    question = shell.db.messages.find_latest(session_id, question=True)
    assert question is not None
    row = shell.window.chat_view.row_for(question.id)
    assert isinstance(row, QuestionWidget)
    return row


def test_attach_send_show_and_reopen(shell: Shell, qtbot: QtBot, files: tuple[Path, Path]) -> None:
    image, notes = files
    session_id = shell.start_chat(shell.add_profile("Files", FILES_BOT_ID))
    composer = shell.window.composer
    composer.add_files([str(image), str(notes)])
    chips = composer.tray.chips
    assert [c.name.text() for c in chips] == ["sunset.png", "notes.txt"]
    assert chips[0].thumb.pixmap() is not None
    assert not chips[0].thumb.pixmap().isNull()  # a thumbnail for the image
    assert chips[1].size_label.text() == "18 B"
    composer.edit.setPlainText("what are these?")

    finished = send_click(shell)

    assert finished.message.status == "complete"
    [body] = chat_bodies(shell.sim)
    [question] = body["additional_messages"]
    assert question["content_type"] == "object_string"
    items = json.loads(question["content"])
    assert [i["type"] for i in items] == ["text", "image", "file"]
    assert "60 × 40 pixels" in finished.message.content
    assert composer.attachments() == []  # sent: the chips are gone
    row = question_row(shell, session_id)
    assert row.files is not None
    assert len(row.files.images) == 1
    assert row.files.images[0].toolTip() == f"sunset.png · {image.stat().st_size} B · 60×40"
    assert [f.text() for f in row.files.files] == ["notes.txt · 18 B"]
    shell.close()

    image.unlink()  # the thumbnail is the app's own copy
    db = Database.open(paths.db_path())
    again = make_shell(qtbot, shell.sim, db=db, secrets=shell.secrets)
    try:
        assert again.window.session_id == session_id
        row = question_row(again, session_id)
        assert row.files is not None
        assert len(row.files.images) == 1
        assert not row.files.images[0].pixmap().isNull()
        assert len(row.files.files) == 1
    finally:
        again.close()


def test_a_failed_upload_shows_the_diagnosis_and_gives_the_draft_back(
    shell: Shell, files: tuple[Path, Path]
) -> None:
    shell.sim.backend.max_upload_bytes = 50
    session_id = shell.start_chat(shell.add_profile("Files", FILES_BOT_ID))
    composer = shell.window.composer
    composer.add_files([str(p) for p in files])
    composer.edit.setPlainText("describe")

    finished = send_click(shell)

    assert finished.message.status == "failed"
    assert finished.error is not None
    assert finished.error.code == 4302
    answer = shell.window.chat_view.row_for(finished.message.id)
    assert isinstance(answer, AnswerWidget)
    panel = answer.parts["error"]
    assert isinstance(panel, ErrorPanel)
    assert panel.isVisible()
    assert "larger than Coze accepts" in panel.title.text()
    assert "4302" in panel.details.text()
    assert finished.error.log_id in panel.details.text()
    assert not chat_bodies(shell.sim)
    assert composer.text() == "describe"  # the draft and its files are back
    assert [c.name.text() for c in composer.tray.chips] == ["sunset.png", "notes.txt"]
    assert session_id == shell.window.session_id


def test_stop_during_an_upload(shell: Shell, qtbot: QtBot, tmp_path: Path) -> None:
    shell.sim.backend.upload_rate = 500_000.0
    big = tmp_path / "big.zip"
    big.write_bytes(b"\1" * 6_000_000)
    session_id = shell.start_chat(shell.add_profile("Files", FILES_BOT_ID))
    composer = shell.window.composer
    composer.add_files([str(big)])
    composer.edit.setPlainText("unpack this")
    with qtbot.waitSignal(shell.controller.upload_progress, timeout=10_000):
        qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: composer.tray.progress.isVisible(), timeout=5_000)
    assert "Uploading big.zip (1 of 1)" in composer.tray.progress_label.text()
    assert composer.stop_button.isEnabled()
    assert shell.controller.connection_state(session_id) == "uploading"

    with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000) as done:
        qtbot.mouseClick(composer.stop_button, Qt.MouseButton.LeftButton)

    assert done.args[0].message.status == "stopped"
    assert not chat_bodies(shell.sim)
    assert not composer.tray.progress.isVisible()
    assert composer.text() == "unpack this"
    assert [c.name.text() for c in composer.tray.chips] == ["big.zip"]
    [exchange] = [e for e in shell.services.backend.netlog.exchanges() if e.upload]  # type: ignore[union-attr]
    assert exchange.cancelled


def test_limits_paste_and_drop(shell: Shell, qtbot: QtBot, tmp_path: Path) -> None:
    shell.start_chat(shell.add_profile("Files", FILES_BOT_ID))
    composer = shell.window.composer
    many = []
    for i in range(att.MAX_FILES + 1):
        path = tmp_path / f"f{i}.txt"
        path.write_text("x")
        many.append(str(path))
    composer.add_files(many)
    assert len(composer.tray.chips) == att.MAX_FILES
    assert composer.tray.note.text() == "At most 10 files can go with one message."
    composer.clear()
    huge = tmp_path / "huge.iso"
    with huge.open("wb") as handle:  # sparse: no disk space used
        handle.truncate(att.MAX_FILE_BYTES + 1)
    empty = tmp_path / "empty.txt"
    empty.touch()
    composer.add_files([str(huge), str(empty), str(tmp_path / "gone.pdf")])
    assert composer.tray.chips == []
    note = composer.tray.note.text()
    assert "huge.iso is larger than Coze accepts (512.0 MB at most)." in note
    assert "empty.txt is empty" in note
    assert f"Cannot attach {tmp_path / 'gone.pdf'}" in note

    image = QImage(30, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#3080ff"))
    pasted = QMimeData()
    pasted.setImageData(image)
    composer.edit.insertFromMimeData(pasted)
    [chip] = composer.tray.chips
    assert chip.name.text() == "pasted image 1.png"
    assert not chip.thumb.pixmap().isNull()
    assert isinstance(chip.item, att.Upload)
    assert att.image_size(chip.item.data) == (30, 20)

    dropped = QMimeData()
    dropped.setUrls([QUrl.fromLocalFile(many[0])])
    view = shell.window.chat_view
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, dropped,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    view.dropEvent(event)
    assert [c.name.text() for c in composer.tray.chips] == ["pasted image 1.png", "f0.txt"]
    assert not composer.send_button.isEnabled()  # files need a few words beside them
    qtbot.mouseClick(composer.tray.chips[0].remove_button, Qt.MouseButton.LeftButton)
    assert [c.name.text() for c in composer.tray.chips] == ["f0.txt"]


def test_regenerate_and_edit_keep_the_files(shell: Shell, files: tuple[Path, Path]) -> None:
    session_id = shell.start_chat(shell.add_profile("Files", FILES_BOT_ID))
    composer = shell.window.composer
    composer.add_files([str(files[0])])
    composer.edit.setPlainText("first")
    assert send_click(shell).message.status == "complete"

    with shell.qtbot.waitSignal(shell.controller.turn_finished, timeout=15_000) as done:
        shell.window.chat.regenerate_last()
    assert done.args[0].message.status == "complete"
    assert "60 × 40 pixels" in done.args[0].message.content
    assert len(uploads(shell.sim)) == 1  # the same file id, sent again
    one, two = chat_bodies(shell.sim)
    assert one["additional_messages"] == two["additional_messages"]

    question = shell.db.messages.find_latest(session_id, question=True)
    assert question is not None
    shell.window.chat.edit(MessageIntent(question.id))
    assert [c.name.text() for c in composer.tray.chips] == ["sunset.png"]
    composer.edit.setPlainText("edited")
    assert send_click(shell).message.status == "complete"
    assert len(uploads(shell.sim)) == 1
    items = json.loads(chat_bodies(shell.sim)[-1]["additional_messages"][0]["content"])
    assert items[0] == {"type": "text", "text": "edited"}
    assert items[1]["type"] == "image"
    row = question_row(shell, session_id)
    assert row.files is not None
    assert len(row.files.images) == 1


def test_unsent_files_stay_with_their_chat(shell: Shell, files: tuple[Path, Path]) -> None:
    profile = shell.add_profile("Files", FILES_BOT_ID)
    first = shell.start_chat(profile)
    composer = shell.window.composer
    composer.add_files([str(files[1])])
    second = shell.db.sessions.create(profile.id).id
    shell.window.refresh_sessions()
    shell.window.open_session(second)
    assert composer.attachments() == []
    shell.window.open_session(first)
    assert [c.name.text() for c in composer.tray.chips] == ["notes.txt"]

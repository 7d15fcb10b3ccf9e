"""Hidden ``--screenshot PATH`` support: play a short scripted scene, grab a window, quit.

Scenes: ``chat`` (a demo turn, then its first follow-up chip), ``error`` (the "Demo: wrong
token" profile's authentication failure), ``profiles`` (the profile dialog after a Test run),
``welcome`` (the first-run page), ``compare`` (the demo bot and the demo echo bot asked
the same question side by side), ``empty`` (a new chat: the bot's face, prologue and suggested
questions), ``conversations`` (the "Conversations on Coze" view: chats made elsewhere, one of
them imported), ``attachments`` (a photo and a file sent to the "Demo: attachments" file bot,
and two more waiting as chips in the composer), ``search`` (a demo turn, then the sidebar
searching "天气": the hits with their snippets), ``tool`` (the "Demo: client-side tool" bot
waiting for its local tool: the request card with the call's arguments and the result input),
``tool_answered`` (the same card filled in and submitted: the bot's answer with the result),
``chatflow`` (the "Demo: chatflow" question node answered: the chatflow's answer and its
"Open the run in Coze" link). Everything is signal-driven: no nested loops, no sleeps.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktop.demo import (
    CHATFLOW_PROFILE_NAME,
    DEMO_PROFILE_NAME,
    ECHO_PROFILE_NAME,
    FILES_PROFILE_NAME,
    TOOL_PROFILE_NAME,
    WRONG_TOKEN_PROFILE_NAME,
)
from desktop.ui.kit.intents import SendIntent

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.ui.bridge.controller import TurnFinished
    from desktop.ui.conversations.view import ConversationsDialog
    from desktop.ui.kit.ports import DoctorFinished
    from desktop.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

SCENES = ("chat", "error", "compare", "profiles", "welcome", "empty", "conversations",
          "attachments", "search", "tool", "tool_answered", "chatflow")  # fmt: skip
# What the "conversations" scene finds on the server, as if chatted on another computer
ELSEWHERE = (
    ("帮我写一封请假邮件", "好的，下面是一封简洁的请假邮件……"),
    ("Plan a 3-day trip to Hangzhou", "Day 1: West Lake and Lingyin Temple…"),
    ("Python 里怎么读取 CSV？", "用标准库 csv 模块，或者 pandas.read_csv……"),
)
SEARCH_TEXT = "天气"
FIRST_QUESTION = "北京今天天气怎么样？适合出门吗？"
TOOL_QUESTION = "现在几点了？What time is it where I am?"
TOOL_RESULT = "10:30 (Asia/Shanghai)"  # what the user types as the local tool's result
CHATFLOW_QUESTION = "帮我查一下天气"
CHATFLOW_REPLY = "上海"  # the reply to the chatflow's question node
SETTLE_MS = 900
TIMEOUT_MS = 60_000


class ScreenshotScript(QObject):
    """Runs one scene on ``window`` and saves a PNG of it to ``path``; ``exit_code`` after."""

    def __init__(self, window: MainWindow, path: Path, scene: str = "chat") -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.scene = scene if scene in SCENES else "chat"
        self.exit_code = 1
        self._turns = 0
        self._target: QWidget = window
        self._view: ConversationsDialog | None = None
        self._later: list[str] = []  # files the attachments scene leaves in the composer

    def start(self) -> None:
        QTimer.singleShot(400, self._run)
        QTimer.singleShot(TIMEOUT_MS, self._timeout)

    def _run(self) -> None:
        getattr(self, f"_scene_{self.scene}")()

    # -- scenes -------------------------------------------------------------------------------

    def _scene_welcome(self) -> None:
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _scene_chat(self) -> None:
        self._chat_with(DEMO_PROFILE_NAME, FIRST_QUESTION)

    def _scene_search(self) -> None:
        self._chat_with(DEMO_PROFILE_NAME, FIRST_QUESTION)

    def _search(self) -> None:
        self.window.search.runner.finished.connect(
            lambda _done: QTimer.singleShot(SETTLE_MS, self._grab)
        )
        self.window.sidebar.search.setText(SEARCH_TEXT)

    def _scene_error(self) -> None:
        self._chat_with(WRONG_TOKEN_PROFILE_NAME, "你好，帮我查一下上海的天气")

    def _scene_attachments(self) -> None:
        import tempfile
        from pathlib import Path

        from desktop.core.attachments import Upload

        folder = Path(tempfile.mkdtemp(prefix="coze-shot-"))
        photo, plan, chart, notes = _sample_files(folder)
        self._later = [str(chart), str(notes)]
        items = (Upload.from_path(photo), Upload.from_path(plan))
        self._chat_with(FILES_PROFILE_NAME, "这两个文件是什么？What did I send?", items)

    def _scene_compare(self) -> None:
        profiles = [
            self.window.db.profiles.by_name(n) for n in (DEMO_PROFILE_NAME, ECHO_PROFILE_NAME)
        ]
        if any(p is None for p in profiles):
            log.error("screenshot: no demo profiles (use --demo)")
            self._finish(2)
            return
        comparison = self.window.compare.start([p.id for p in profiles if p is not None])
        if comparison is None:
            self._finish(2)
            return
        self.window.controller.turn_finished.connect(self._on_column_finished)
        self.window.compare.send(SendIntent(FIRST_QUESTION))

    def _on_column_finished(self, _event: TurnFinished) -> None:
        self._turns += 1
        comparison = self.window.compare.comparison
        if comparison is not None and self._turns == len(comparison.session_ids):
            QTimer.singleShot(SETTLE_MS, self._grab)

    def _scene_tool(self) -> None:
        self._chat_with(TOOL_PROFILE_NAME, TOOL_QUESTION)

    def _scene_tool_answered(self) -> None:
        self._chat_with(TOOL_PROFILE_NAME, TOOL_QUESTION)

    def _scene_chatflow(self) -> None:
        self._chat_with(CHATFLOW_PROFILE_NAME, CHATFLOW_QUESTION)

    def _answer_request(self, event: TurnFinished, text: str) -> bool:
        """Type ``text`` into the waiting answer's request card and press Submit; False when
        the answer does not wait for anything."""
        from desktop.ui.chat.render.tool_request import ToolRequestPanel

        row = self.window.chat_view.row_for(event.message.id)
        panel = getattr(row, "parts", {}).get("request")
        if event.message.status != "requires_action" or not isinstance(panel, ToolRequestPanel):
            return False
        for call in panel.rows:
            call.input.setPlainText(text)
        panel.submit()
        return True

    def _expand_tools(self, event: TurnFinished) -> None:
        from desktop.ui.chat.render.sections import ToolCard

        row = self.window.chat_view.row_for(event.message.id)
        for card in row.findChildren(ToolCard) if row is not None else ():
            card.set_expanded(True)

    def _chat_with(
        self, profile_name: str, text: str, attachments: tuple[object, ...] = ()
    ) -> None:
        profile = self.window.db.profiles.by_name(profile_name)
        if profile is None:
            log.error("screenshot: no profile %r (use --demo)", profile_name)
            self._finish(2)
            return
        self.window.sidebar.select_profile(profile.id)
        self.window.new_session(profile.id)
        self.window.controller.turn_finished.connect(self._on_turn_finished)
        self.window.chat.send(SendIntent(text, attachments))

    def _on_turn_finished(self, event: TurnFinished) -> None:
        self._turns += 1
        follow_ups = event.message.follow_ups
        if self.scene == "search":
            if self._turns == 1:
                QTimer.singleShot(300, self._search)
            return
        if self.scene == "chat" and self._turns == 1 and follow_ups:
            QTimer.singleShot(300, lambda: self.window.chat.send(SendIntent(follow_ups[0])))
            return
        if self._turns == 1 and self.scene in ("tool_answered", "chatflow"):
            text = TOOL_RESULT if self.scene == "tool_answered" else CHATFLOW_REPLY
            if self._answer_request(event, text):  # the rest comes as a second turn_finished
                return
        if self.scene in ("tool_answered", "chatflow"):  # the call and the result given
            self._expand_tools(event)
        if self.scene == "attachments":  # the next message being written, with its chips
            self.window.composer.add_files(self._later)
            self.window.composer.edit.setPlainText("还有这两个 And these two")
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _scene_empty(self) -> None:
        profile = self.window.db.profiles.by_name(DEMO_PROFILE_NAME)
        if profile is None:
            self._finish(2)
            return
        self.window.sidebar.select_profile(profile.id)
        self.window.new_session(profile.id)
        QTimer.singleShot(SETTLE_MS * 2, self._grab)  # the bot's face arrives from the server

    def _scene_conversations(self) -> None:
        profile = self.window.db.profiles.by_name(DEMO_PROFILE_NAME)
        demo = self.window.services.demo
        simulator = getattr(demo, "simulator", None)
        if profile is None or simulator is None:
            self._finish(2)
            return
        for n, turns in enumerate(ELSEWHERE):
            simulator.store.seed_history(
                profile.bot_id, [turns], created_at=1_764_000_000 + n * 86_400
            )
        self.window.sidebar.select_profile(profile.id)
        self.window.new_session(profile.id)
        self.window.controller.turn_finished.connect(self._open_conversations)
        self.window.chat.send(SendIntent(FIRST_QUESTION))

    def _open_conversations(self, _event: TurnFinished) -> None:
        view = self.window.conversations.open_view()
        if view is None:
            self._finish(2)
            return
        self._target = self._view = view
        self.window.controller.conversations.listed.connect(self._import_one)

    def _import_one(self, _event: object) -> None:
        runs = self.window.controller.conversations
        runs.listed.disconnect(self._import_one)
        view = self._view
        if view is None:
            return
        row = view.table.topLevelItem(view.table.topLevelItemCount() - 1)  # the oldest
        if row is not None:
            row.setSelected(True)
        runs.listed.connect(lambda _e: QTimer.singleShot(SETTLE_MS, self._grab))
        view.import_selected()

    def _scene_profiles(self) -> None:
        profile = self.window.db.profiles.by_name(DEMO_PROFILE_NAME)
        dialog = self.window.dialogs.open_profiles(select_id=profile.id if profile else "")
        self._target = dialog
        self.window.controller.doctor.finished.connect(self._on_doctor_finished)
        dialog.run_test()

    def _on_doctor_finished(self, _event: DoctorFinished) -> None:
        QTimer.singleShot(SETTLE_MS, self._grab)

    # -- output -------------------------------------------------------------------------------

    def _grab(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ok = self._target.grab().save(str(self.path))
        log.info("screenshot %s: %s", "saved" if ok else "FAILED", self.path)
        self._finish(0 if ok else 1)

    def _timeout(self) -> None:
        log.error("screenshot scene %r timed out", self.scene)
        self._grab()
        self.exit_code = 1

    def _finish(self, code: int) -> None:
        self.exit_code = code
        for widget in QApplication.topLevelWidgets():
            widget.close()


def _sample_files(folder: Path) -> tuple[Path, Path, Path, Path]:
    """A painted "photo" and chart (PNG), a PDF plan and a text file, made for the scene."""
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

    def picture(name: str, width: int, height: int, top: str, bottom: str, bars: bool) -> Path:
        image = QImage(width, height, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        gradient = QLinearGradient(QPointF(0, 0), QPointF(0, height))
        gradient.setColorAt(0, QColor(top))
        gradient.setColorAt(1, QColor(bottom))
        painter.fillRect(image.rect(), gradient)
        painter.setBrush(QColor("#ffffff" if bars else "#ffd36b"))
        painter.setPen(QColor(0, 0, 0, 0))
        if bars:
            for i, h in enumerate((0.35, 0.6, 0.45, 0.8, 0.7)):
                painter.drawRect(QRectF(30 + i * 70, height * (1 - h), 44, height * h))
        else:
            painter.drawEllipse(QPointF(width * 0.7, height * 0.38), 46, 46)
            painter.setBrush(QColor("#2d4a3e"))
            painter.drawRect(QRectF(0, height * 0.72, width, height * 0.28))
        painter.end()
        path = folder / name
        image.save(str(path))
        return path

    photo = picture("西湖日落.png", 640, 420, "#f28c5b", "#6a4c93", bars=False)
    chart = picture("sales-q3.png", 400, 300, "#2a6fdb", "#123c7a", bars=True)
    plan = folder / "project-plan.pdf"
    plan.write_bytes(b"%PDF-1.4\n" + b"%" * 48_000 + b"\n%%EOF\n")
    notes = folder / "meeting notes.txt"
    notes.write_text("Agenda\n- launch date\n- budget\n", encoding="utf-8")
    return photo, plan, chart, notes

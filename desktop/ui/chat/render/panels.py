"""Small panels of a message: the error explanation, the footer with badges, the action row."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.chat.render.message import (
    MessageLike,
    error_texts,
    is_storage_failure,
    timing_parts,
    ui_language,
    usage_text,
)
from desktop.ui.chat.render.textview import open_link
from desktop.ui.kit.intents import LogIntent, MessageIntent
from desktop.ui.kit.widgets import restyle

if TYPE_CHECKING:
    from desktop.ui.chat.render.context import RenderContext


def _label(name: str, parent: QWidget, *, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a server's message is text, never HTML
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ErrorPanel(QFrame):
    """What went wrong in plain words, what to do, the raw facts, and what the user can do."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorPanel")
        self._ctx = ctx
        self._msg: MessageLike | None = None
        self.title, self.fix = _label("errorTitle", self), _label("errorFix", self)
        self.details = _label("errorDetails", self)
        self.retry_button = self._button("retryButton", "retry_requested")
        self.log_button = self._button("openLogButton", "open_in_log_requested")
        self.diagnose_button = self._button("diagnoseButton", "diagnose_requested")
        # an answer the chat history could not take: save it again, or export it from here
        self.save_button = self._button("saveAgainButton", "save_again_requested")
        self.export_button = self._button("exportAnswerButton", "export_requested")
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 10, 12, 10)
        col.setSpacing(4)
        for widget in (self.title, self.fix, self.details):
            col.addWidget(widget)
        row = QHBoxLayout()
        row.setContentsMargins(0, 6, 0, 0)
        for button in (self.retry_button, self.log_button, self.diagnose_button,
                       self.save_button, self.export_button):  # fmt: skip
            row.addWidget(button)
        row.addStretch(1)
        col.addLayout(row)
        self.retranslate()

    def _button(self, name: str, signal: str) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self._fire(signal))
        return button

    def _fire(self, signal: str) -> None:
        msg = self._msg
        if msg is None:
            return
        if signal == "open_in_log_requested":
            log_id = (msg.error.log_id if msg.error is not None else "") or msg.log_id
            self._ctx.emit(signal, LogIntent(log_id, msg.chat_id))
        else:
            self._ctx.emit(signal, MessageIntent(msg.id))

    def show_message(self, msg: MessageLike) -> None:
        self._msg = msg
        title, fix, details = error_texts(msg.error, ui_language())
        if not title:
            title = QCoreApplication.translate("ChatView", "The request failed.")
        self.title.setText(title)
        self.fix.setText(fix)
        self.fix.setVisible(bool(fix))
        self.details.setText(details)
        self.details.setVisible(bool(details))
        unsaved = is_storage_failure(msg.error)  # not Coze's: no retry, log or diagnose
        for button in (self.retry_button, self.log_button, self.diagnose_button):
            button.setVisible(not unsaved)
        self.save_button.setVisible(unsaved)
        self.export_button.setVisible(unsaved)

    def retranslate(self) -> None:
        translate = QCoreApplication.translate
        self.retry_button.setText(translate("ChatView", "Retry"))
        self.log_button.setText(translate("ChatView", "Open in log"))
        self.diagnose_button.setText(translate("ChatView", "Diagnose profile"))
        self.save_button.setText(translate("ChatView", "Save again"))
        self.export_button.setText(translate("ChatView", "Export…"))
        if self._msg is not None:
            self.show_message(self._msg)


class Footer(QWidget):
    """Status badges, token usage, timings and the log id (click to copy)."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageFooter")
        self._ctx = ctx
        self._msg: MessageLike | None = None
        self.badge = QLabel(self)
        self.badge.setObjectName("badge")
        self.info = QLabel(self)
        self.info.setObjectName("footerInfo")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.info.linkActivated.connect(self._copy_log_id)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.info, 1)

    def show_message(self, msg: MessageLike) -> None:
        self._msg = msg
        self._show_badge(msg.status)
        self.info.setText(self._info_html(msg))
        self.setVisible(self.badge.isVisibleTo(self) or bool(self.info.text()))

    def _show_badge(self, status: str) -> None:
        translate = QCoreApplication.translate
        texts = {
            "streaming": (
                translate("ChatView", "Answering…"),
                translate("ChatView", "The answer is streaming."),
            ),
            "stopped": (
                translate("ChatView", "Stopped"),
                translate("ChatView", "You stopped this answer."),
            ),
            "requires_action": (
                translate("ChatView", "Waiting for you"),
                translate("ChatView", "The bot waits for a tool's result or your reply below."),
            ),
            "interrupted": (
                translate("ChatView", "Interrupted"),
                translate(
                    "ChatView",
                    "The answer was cut off before it finished; the partial text is kept.",
                ),
            ),
        }
        if self.badge.property("kind") == status:
            return
        text, tip = texts.get(status, ("", ""))
        if status == "streaming":  # a status line with a live dot, not a filled pill
            dot = f"<span style='color:{self._ctx.colors.accent}'>●</span>"
            text = f"{dot}&nbsp;{html.escape(text)}"
        self.badge.setText(text)
        self.badge.setToolTip(tip)
        self.badge.setProperty("kind", status)
        restyle(self.badge)
        self.badge.setVisible(bool(text))

    def _info_html(self, msg: MessageLike) -> str:
        if msg.status == "streaming":
            return ""
        parts = [html.escape(p) for p in [usage_text(msg.usage), *timing_parts(msg)] if p]
        if msg.status in ("complete", "interrupted") and msg.error is not None:
            # why it was cut off (a dropped connection, a timeout), or an irregular end that did
            # not spoil a complete answer (the stream ended early)
            note, fix, details = error_texts(msg.error, ui_language())
            tip = "\n".join(part for part in (fix, details) if part)
            parts.insert(0, f"<span title='{html.escape(tip)}'>{html.escape(note)}</span>")
        if msg.log_id and msg.status != "failed":  # a failed one shows it in the error panel
            label = html.escape(QCoreApplication.translate("ChatView", "log id"))
            tip = QCoreApplication.translate("ChatView", "click to copy")
            parts.append(
                f"{label} <a href='copy:log-id' title='{html.escape(tip)}' "
                f"style='color:{self._ctx.colors.muted}'>{html.escape(msg.log_id)}</a>"
            )
        if msg.debug_url.startswith(("https://", "http://")):
            label = html.escape(QCoreApplication.translate("ChatView", "Open the run in Coze"))
            parts.append(f"<a href='{html.escape(msg.debug_url, quote=True)}'>{label}</a>")
        return " · ".join(parts)

    def _copy_log_id(self, link: str) -> None:
        if link.startswith(("https://", "http://")):  # the chatflow run's page
            open_link(QUrl(link))
        elif self._msg is not None and self._msg.log_id:
            self._ctx.copy(self._msg.log_id)

    def retranslate(self) -> None:
        if self._msg is not None:
            self.badge.setProperty("kind", None)
            self.show_message(self._msg)


class ActionBar(QWidget):
    """Copy (when there is text), and — on the last turn only — Regenerate (answers) or Edit
    (questions)."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageActions")
        self._ctx = ctx
        self._msg: MessageLike | None = None
        self.copy_button = self._button("copyMessageButton", self._copy)
        self.regenerate_button = self._button("regenerateButton", self._regenerate)
        self.edit_button = self._button("editButton", self._edit)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        for button in (self.copy_button, self.regenerate_button, self.edit_button):
            row.addWidget(button)
        row.addStretch(1)
        self.set_last(False, False)
        self.retranslate()

    def _button(self, name: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setAutoRaise(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(slot)
        return button

    def set_message(self, msg: MessageLike) -> None:
        self._msg = msg
        self.copy_button.setVisible(bool(msg.content))
        self.retranslate()  # "Retry" for an interrupted answer, "Regenerate" otherwise

    def set_last(self, last_answer: bool, last_question: bool) -> None:
        self.regenerate_button.setVisible(last_answer)
        self.edit_button.setVisible(last_question)

    def _copy(self) -> None:
        if self._msg is not None:
            self._ctx.copy(self._msg.content)

    def _regenerate(self) -> None:
        if self._msg is not None:
            self._ctx.emit("regenerate_requested", MessageIntent(self._msg.id))

    def _edit(self) -> None:
        if self._msg is not None:
            self._ctx.emit("edit_requested", MessageIntent(self._msg.id))

    def retranslate(self) -> None:
        translate = QCoreApplication.translate
        self.copy_button.setText(translate("ChatView", "Copy"))
        self.copy_button.setToolTip(translate("ChatView", "Copy the message text"))
        if self._msg is not None and self._msg.status == "interrupted":
            self.regenerate_button.setText(translate("ChatView", "Retry"))
            self.regenerate_button.setToolTip(translate("ChatView", "Ask the question again"))
        else:
            self.regenerate_button.setText(translate("ChatView", "Regenerate"))
            self.regenerate_button.setToolTip(translate("ChatView", "Ask for a new answer"))
        self.edit_button.setText(translate("ChatView", "Edit"))
        self.edit_button.setToolTip(translate("ChatView", "Edit this question and send it again"))

"""The answer's request for the user: the client-side tool calls (or a workflow's question) a
``requires_action`` answer waits for, each with an input for its result, Submit and Cancel.

Submit validates every input (a result that looks like JSON must be JSON) and reports
``tool_outputs_submitted(ToolOutputsIntent)`` with the results of all calls at once; Cancel
reports ``tool_call_dismissed(MessageIntent)``. The controller does the rest; this widget only
shows what the stored answer says, so it is the same after a restart.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.chat.render.message import pretty_json

if TYPE_CHECKING:
    from desktop.storage.parts import ToolRecord
    from desktop.ui.chat.render.context import RenderContext
    from desktop.ui.chat.render.message import MessageLike

WAITING_KINDS = ("client", "question")


def pending_calls(msg: MessageLike) -> list[ToolRecord]:
    """The tool steps a ``requires_action`` answer waits for (none for any other answer)."""
    if msg.status != "requires_action":
        return []
    return [t for t in msg.tools if t.kind in WAITING_KINDS and t.output is None and t.call_id]


def question_of(tool: ToolRecord) -> str:
    """A workflow question node's text: its arguments' question/content field, else as sent."""
    value = tool.arguments
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return str(tool.arguments)
    if isinstance(value, dict):
        for key in ("question", "content", "text", "message"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return pretty_json(tool.arguments) if tool.arguments else tool.name


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


class _CallRow(QWidget):
    """One pending call: who asks what, and the input for the answer."""

    def __init__(self, tool: ToolRecord, parent: QWidget) -> None:
        super().__init__(parent)
        self.tool = tool
        self.title = QLabel(self)
        self.title.setObjectName("toolRequestTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.arguments = QLabel(self)
        self.arguments.setObjectName("toolRequestArguments")
        self.arguments.setTextFormat(Qt.TextFormat.PlainText)
        self.arguments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.arguments.setWordWrap(True)
        self.arguments.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.input = QPlainTextEdit(self)
        self.input.setObjectName("toolOutputInput")
        self.input.setTabChangesFocus(True)
        self.input.setFixedHeight(72)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(4)
        col.addWidget(self.title)
        col.addWidget(self.arguments)
        col.addWidget(self.input)
        self.retranslate()

    @property
    def question(self) -> bool:
        return self.tool.kind == "question"

    def retranslate(self) -> None:
        translate = QCoreApplication.translate
        if self.question:
            self.title.setText(question_of(self.tool))
            self.arguments.setVisible(False)
            self.input.setPlaceholderText(translate("ChatView", "Your reply"))
        else:
            self.title.setText(
                translate("ChatView", "The bot is waiting for you: {name}").format(
                    name=self.tool.name or "?"
                )
            )
            self.arguments.setText(pretty_json(self.tool.arguments or {}))
            self.input.setPlaceholderText(translate("ChatView", "The tool's result (text or JSON)"))


class ToolRequestPanel(QFrame):
    """What a waiting answer asks of the user; hidden for every other answer."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolRequest")
        self._ctx = ctx
        self._msg: MessageLike | None = None
        self._key: tuple[Any, ...] = ()
        self.rows: list[_CallRow] = []
        self._rows = QVBoxLayout()
        self._rows.setSpacing(8)
        self.error = QLabel(self)
        self.error.setObjectName("toolOutputError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.submit_button = QPushButton(self)
        self.submit_button.setObjectName("toolSubmitButton")
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("toolCancelButton")
        self.cancel_button.clicked.connect(self.dismiss)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(10, 8, 10, 8)
        col.setSpacing(6)
        col.addLayout(self._rows)
        col.addWidget(self.error)
        col.addLayout(buttons)
        self.retranslate()

    def show_message(self, msg: MessageLike) -> None:
        self._msg = msg
        calls = pending_calls(msg)
        key = tuple((t.call_id, t.name, t.kind) for t in calls)
        if key != self._key:  # new calls: new inputs (the same calls keep what was typed)
            self._key = key
            self._rebuild(calls)
            self._set_busy(False)
        self.setVisible(bool(calls))

    def _rebuild(self, calls: list[ToolRecord]) -> None:
        for row in self.rows:
            self._rows.removeWidget(row)
            row.deleteLater()
        self.rows = [_CallRow(tool, self) for tool in calls]
        for row in self.rows:
            self._rows.addWidget(row)
            offered = self._ctx.tool_replies.get(row.tool.name)
            if offered is not None:  # the profile's local tool: Submit confirms it
                row.input.setPlainText(offered)
        self.error.setVisible(False)

    def outputs(self) -> tuple[tuple[str, str], ...] | str:
        """Every call's result, or why one is not acceptable yet."""
        translate = QCoreApplication.translate
        results = []
        for row in self.rows:
            text = row.input.toPlainText()
            name = row.tool.name or "?"
            if not text.strip():
                return translate("ChatView", "Enter a result for {name}.").format(name=name)
            if looks_like_json(text):
                try:
                    json.loads(text)
                except ValueError as exc:
                    return translate(
                        "ChatView",
                        "The result for {name} looks like JSON but is not valid: {error}",
                    ).format(name=name, error=str(exc))
            results.append((row.tool.call_id, text))
        return tuple(results)

    def submit(self) -> None:
        from desktop.ui.kit.intents import ToolOutputsIntent

        if self._msg is None or not self.rows:
            return
        outputs = self.outputs()
        if isinstance(outputs, str):
            self.error.setText(outputs)
            self.error.setVisible(True)
            return
        self.error.setVisible(False)
        self._set_busy(True)
        self._ctx.emit("tool_outputs_submitted", ToolOutputsIntent(self._msg.id, outputs))

    def dismiss(self) -> None:
        from desktop.ui.kit.intents import MessageIntent

        if self._msg is not None:
            self._set_busy(True)
            self._ctx.emit("tool_call_dismissed", MessageIntent(self._msg.id))

    def reopen(self) -> None:
        """The request did not go out (busy, no token...): let the user try again."""
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        for row in self.rows:
            row.input.setReadOnly(busy)

    def retranslate(self) -> None:
        translate = QCoreApplication.translate
        self.submit_button.setText(translate("ChatView", "Submit"))
        self.cancel_button.setText(translate("ChatView", "Cancel"))
        for row in self.rows:
            row.retranslate()

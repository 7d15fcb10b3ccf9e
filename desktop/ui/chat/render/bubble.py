"""One row of the chat: a question bubble, an answer bubble (with all its parts) or a notice.

Answer parts are created only when a message needs them (thinking, plugin cards, error panel,
follow-up chips), so a history of plain question/answer pairs builds few widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.chat.render.flow import FollowUps
from desktop.ui.chat.render.markdown_view import MarkdownBody
from desktop.ui.chat.render.message import MessageLike, is_error
from desktop.ui.chat.render.panels import ActionBar, ErrorPanel, Footer
from desktop.ui.chat.render.sections import ThinkingSection, ToolCard, TypingDots
from desktop.ui.chat.render.segments import head_lines
from desktop.ui.chat.render.textview import FitBrowser
from desktop.ui.kit.widgets import restyle

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from desktop.storage.parts import ToolRecord
    from desktop.ui.chat.render.attachments import AttachmentStrip
    from desktop.ui.chat.render.context import RenderContext
    from desktop.ui.kit.intents import NoticeAction

# Order of the optional parts inside an answer bubble.
QUESTION_SHOW_MAX_LINES = 200  # a longer question (a huge paste) shows its beginning
QUESTION_SHOW_MAX_CHARS = 4_000
_PART_ORDER = ("thinking", "tools", "dots", "body", "request", "error", "footer", "follow_ups")


class MessageWidget(QWidget):
    """Base of every row; ``message`` is the last message shown."""

    def __init__(self, ctx: RenderContext, msg: MessageLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message = msg

    def update_message(self, msg: MessageLike) -> None:
        self.message = msg

    def set_last(self, last_answer: bool, last_question: bool) -> None:
        """Only the last answer can be regenerated, only the last question edited."""

    def set_max_width(self, width: int) -> None:
        """The width the bubble may use (the view passes it on resize)."""

    def restyle(self) -> None:
        """Re-render colour-dependent content (theme switch)."""

    def retranslate(self) -> None:
        """Re-apply translated strings."""


class QuestionWidget(MessageWidget):
    """The user's message: a tinted bubble on the right that hugs its text."""

    def __init__(self, ctx: RenderContext, msg: MessageLike, parent: QWidget | None = None) -> None:
        super().__init__(ctx, msg, parent)
        self.setObjectName("questionRow")
        self.bubble = QFrame(self)
        self.bubble.setObjectName("userBubble")
        self.bubble.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.text = FitBrowser(self.bubble, shrink=True)
        self.text.setObjectName("userText")
        self._inner = QVBoxLayout(self.bubble)
        self._inner.setContentsMargins(14, 9, 14, 9)
        self._inner.setSpacing(8)
        self._inner.addWidget(self.text)
        self.files: AttachmentStrip | None = None  # made for a question with attachments
        self.action_bar = ActionBar(ctx, self)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(self.bubble, 0, Qt.AlignmentFlag.AlignRight)
        col.addWidget(self.action_bar, 0, Qt.AlignmentFlag.AlignRight)
        self.update_message(msg)

    def update_message(self, msg: MessageLike) -> None:
        if msg.content != self.message.content or not self.text.toPlainText():
            self.text.set_plain(_question_preview(msg.content))
        if msg.attachments or self.files is not None:
            self._show_files(msg)
        super().update_message(msg)
        self.action_bar.set_message(msg)

    def _show_files(self, msg: MessageLike) -> None:
        """Thumbnails and file rows above the text (``render.attachments``, loaded then)."""
        if self.files is None:
            from desktop.ui.chat.render.attachments import AttachmentStrip

            self.files = AttachmentStrip(self.bubble)
            self._inner.insertWidget(0, self.files)
        self.files.set_records(msg.attachments)
        self.files.setVisible(bool(msg.attachments))

    def set_last(self, last_answer: bool, last_question: bool) -> None:
        self.action_bar.set_last(False, last_question)

    def set_max_width(self, width: int) -> None:
        self.bubble.setMaximumWidth(max(200, int(width * 0.78)))

    def retranslate(self) -> None:
        self.action_bar.retranslate()


def _question_preview(text: str) -> str:
    """A question too long to lay out at once (a huge paste) shows its beginning and a note;
    the Copy button still copies all of it."""
    head, _lines = head_lines(text, QUESTION_SHOW_MAX_LINES, QUESTION_SHOW_MAX_CHARS)
    if len(head) == len(text):
        return text
    note = QCoreApplication.translate(
        "ChatView", "… (the beginning only: %1 characters in all; Copy copies the whole message)"
    )
    return head + "\n" + note.replace("%1", f"{len(text):,}")


class AnswerWidget(MessageWidget):
    """An assistant answer (or an error) in a bubble on the left."""

    def __init__(self, ctx: RenderContext, msg: MessageLike, parent: QWidget | None = None) -> None:
        super().__init__(ctx, msg, parent)
        self.setObjectName("answerRow")
        self.bubble = QFrame(self)
        self.bubble.setObjectName("assistantBubble")
        self.bubble.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._inner = QVBoxLayout(self.bubble)
        self._inner.setContentsMargins(16, 12, 16, 10)
        self._inner.setSpacing(8)
        self.parts: dict[str, QWidget] = {}
        self.tool_cards: list[ToolCard] = []
        self.body = MarkdownBody(ctx, self.bubble)
        self.footer = Footer(ctx, self.bubble)
        self._add_part("body", self.body)
        self._add_part("footer", self.footer)
        self.action_bar = ActionBar(ctx, self)
        self._last_answer = False
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(self.bubble)
        col.addWidget(self.action_bar, 0, Qt.AlignmentFlag.AlignLeft)
        self.update_message(msg)

    # -- parts ----------------------------------------------------------------------------------

    def _add_part(self, name: str, widget: QWidget) -> None:
        rank = _PART_ORDER.index(name)
        index = sum(1 for other in self.parts if _PART_ORDER.index(other) < rank)
        self._inner.insertWidget(index, widget)
        self.parts[name] = widget

    def _part(self, name: str) -> Any:
        """The part ``name``, created on first use."""
        if name not in self.parts:
            self._add_part(name, self._make_part(name))
        return self.parts[name]

    def _make_part(self, name: str) -> QWidget:
        makers: dict[str, Callable[[], QWidget]] = {
            "thinking": lambda: ThinkingSection(self.bubble),
            "tools": lambda: _column(self.bubble, "toolCards"),
            "dots": lambda: TypingDots(self.bubble),
            "error": lambda: ErrorPanel(self.ctx, self.bubble),
            "follow_ups": lambda: FollowUps(self.ctx, self.bubble),
            "request": lambda: _request_panel(self.ctx, self.bubble),
        }
        return makers[name]()

    # -- updates --------------------------------------------------------------------------------

    def update_message(self, msg: MessageLike) -> None:
        super().update_message(msg)
        streaming = msg.status == "streaming"
        if msg.reasoning or "thinking" in self.parts:
            self._part("thinking").update_reasoning(
                msg.reasoning, live=streaming, answer_started=bool(msg.content)
            )
        if msg.tools or "tools" in self.parts:
            self._show_tools(msg.tools)
        waiting = streaming and not (msg.content or msg.reasoning or msg.tools)
        if waiting or "dots" in self.parts:
            self._part("dots").set_active(waiting)
        self.body.set_text(msg.content, streaming=streaming)
        self.body.setVisible(bool(msg.content))
        if msg.status == "requires_action" or "request" in self.parts:
            self._part("request").show_message(msg)
        if is_error(msg) or "error" in self.parts:
            self._show_error(msg)
        self._set_variant("error" if is_error(msg) and not msg.content else "")
        self.footer.show_message(msg)
        self._show_follow_ups()
        self.action_bar.set_message(msg)
        self._show_actions()

    def _set_variant(self, variant: str) -> None:
        """An error without text is shown as the bare error panel, not a panel in a bubble."""
        if (self.bubble.property("variant") or "") == variant:
            return
        self.bubble.setProperty("variant", variant)
        margin = (0, 0, 0, 0) if variant else (16, 12, 16, 10)
        self._inner.setContentsMargins(*margin)
        restyle(self.bubble)

    def _show_tools(self, tools: Sequence[ToolRecord]) -> None:
        column = self._part("tools")
        while len(self.tool_cards) < len(tools):
            card = ToolCard(self.ctx, column)
            column.layout().addWidget(card)
            self.tool_cards.append(card)
        for card, tool in zip(self.tool_cards, tools, strict=False):
            card.show_tool(tool)
        column.setVisible(bool(tools))

    def _show_error(self, msg: MessageLike) -> None:
        panel: ErrorPanel = self._part("error")
        panel.setVisible(is_error(msg))
        if is_error(msg):
            panel.show_message(msg)

    def _show_follow_ups(self) -> None:
        msg = self.message
        shown = self._last_answer and msg.status == "complete" and bool(msg.follow_ups)
        if shown or "follow_ups" in self.parts:
            chips: FollowUps = self._part("follow_ups")
            chips.set_suggestions(list(msg.follow_ups) if shown else [])

    def _show_actions(self) -> None:
        """Copy needs text; Regenerate is offered on the last answer unless it failed (the error
        panel has Retry), so a stopped or interrupted answer — even an empty one — can be asked
        again in one click."""
        msg = self.message
        regenerate = self._last_answer and not is_error(msg) and msg.status != "streaming"
        self.action_bar.set_last(regenerate, False)
        self.action_bar.setVisible(msg.status != "streaming" and (bool(msg.content) or regenerate))

    def set_last(self, last_answer: bool, last_question: bool) -> None:
        self._last_answer = last_answer
        self._show_actions()
        self._show_follow_ups()

    def set_max_width(self, width: int) -> None:
        self.bubble.setMaximumWidth(max(240, min(width, 920)))

    def restyle(self) -> None:
        self.body.restyle()
        for card in self.tool_cards:
            card.rerender()
        self.footer.retranslate()

    def retranslate(self) -> None:
        self.body.retranslate()
        for part in self.parts.values():
            retranslate = getattr(part, "retranslate", None)
            if retranslate is not None:
                retranslate()
        for card in self.tool_cards:
            card.retranslate()
        self.action_bar.retranslate()


def _request_panel(ctx: RenderContext, parent: QWidget) -> QWidget:
    from desktop.ui.chat.render.tool_request import ToolRequestPanel

    return ToolRequestPanel(ctx, parent)


def _column(parent: QWidget, name: str) -> QWidget:
    widget = QWidget(parent)
    widget.setObjectName(name)
    col = QVBoxLayout(widget)
    col.setContentsMargins(0, 0, 0, 0)
    col.setSpacing(6)
    return widget


class NoticeWidget(MessageWidget):
    """A divider ("Context cleared") or a warning notice, centred across the view."""

    def __init__(
        self,
        ctx: RenderContext,
        msg: MessageLike,
        parent: QWidget | None = None,
        *,
        kind: str = "divider",
        action: NoticeAction | None = None,
        action_text: str = "",
    ) -> None:
        super().__init__(ctx, msg, parent)
        self.kind = kind
        self.action_button: QPushButton | None = None
        self.setObjectName("dividerRow" if kind == "divider" else "warningRow")
        self.label = QLabel(self)
        self.label.setObjectName("dividerText" if kind == "divider" else "warningText")
        self.label.setWordWrap(kind != "divider")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.setSpacing(10)
        if kind == "divider":
            row.addWidget(_rule(self), 1)
            row.addWidget(self.label, 0)
            row.addWidget(_rule(self), 1)
        else:
            row.addWidget(self.label, 1)
        if action is not None:  # e.g. "Open the profile" under "No token is saved"
            button = QPushButton(action_text, self)
            button.setObjectName("noticeAction")
            button.clicked.connect(lambda: ctx.emit("notice_action_requested", action))
            row.addWidget(button, 0)
            self.action_button = button
        self.retranslate()

    def retranslate(self) -> None:
        text = self.message.content
        if not text and self.kind == "divider":
            text = QCoreApplication.translate("ChatView", "Context cleared")
        self.label.setText(("⚠  " if self.kind == "warning" else "") + text)


def _rule(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setObjectName("dividerLine")
    line.setFixedHeight(1)
    return line

"""Collapsible parts of an answer: the thinking section and tool cards (server-side plugin
calls, client-side tools, a workflow's questions); typing dots."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.storage.parts import ToolRecord
    from desktop.ui.chat.render.context import RenderContext

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.ui.chat.render.highlight import highlight_html
from desktop.ui.chat.render.message import pretty_json
from desktop.ui.chat.render.textview import FitBrowser, set_code_font


class Collapsible(QFrame):
    """A header button with an arrow that shows or hides a body widget."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("sectionToggle")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.clicked.connect(self._clicked)
        self.user_toggled = False
        self._col = QVBoxLayout(self)
        self._col.setContentsMargins(8, 4, 8, 4)
        self._col.setSpacing(4)
        self._col.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)

    def set_body(self, body: QWidget) -> None:
        self._col.addWidget(body)
        body.setVisible(self.expanded)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, on: bool) -> None:
        self.toggle.setChecked(on)
        self._apply()

    def _clicked(self) -> None:
        self.user_toggled = True
        self._apply()

    def _apply(self) -> None:
        on = self.toggle.isChecked()
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        for i in range(1, self._col.count()):
            item = self._col.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setVisible(on)


class ThinkingSection(Collapsible):
    """The model's reasoning: open while it streams, folded once the answer starts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("thinking", parent)
        self.body = FitBrowser(self)
        self.body.setObjectName("thinkingBody")
        self.set_body(self.body)
        self._text = ""
        self._live = False
        self.set_expanded(True)

    @property
    def text(self) -> str:
        return self._text

    def update_reasoning(self, reasoning: str, *, live: bool, answer_started: bool) -> None:
        """Show ``reasoning`` (appending when it only grew); fold/unfold unless the user chose."""
        if reasoning.startswith(self._text) and self._text:
            if len(reasoning) > len(self._text):
                self.body.append_plain(reasoning[len(self._text) :])
        else:
            self.body.set_plain(reasoning)
        self._text = reasoning
        self._live = live and not answer_started
        if not self.user_toggled:
            self.set_expanded(self._live)
        self.retranslate()

    def retranslate(self) -> None:
        if self._live:
            self.toggle.setText(QCoreApplication.translate("ChatView", "Thinking…"))
        else:
            self.toggle.setText(QCoreApplication.translate("ChatView", "Thought process"))


class ToolCard(Collapsible):
    """One plugin call: its name in the header; arguments and result (pretty JSON) inside."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__("toolCard", parent)
        self._ctx = ctx
        self._tool: ToolRecord | None = None
        self.body = FitBrowser(self)
        self.body.setObjectName("toolBody")
        set_code_font(self.body.document())
        self.set_body(self.body)
        self.set_expanded(False)

    def show_tool(self, tool: ToolRecord) -> None:
        if tool == self._tool:
            return
        self._tool = tool
        self.rerender()

    def _result(self) -> str | None:
        return self._tool.output if self._tool is not None else None

    def rerender(self) -> None:
        dark = self._ctx.colors.dark
        parts = [
            self._section(
                QCoreApplication.translate("ChatView", "Arguments"),
                self._tool.arguments if self._tool is not None else None,
                dark,
            )
        ]
        result = self._result()
        if result is None:
            client = self._tool is not None and self._tool.kind in ("client", "question")
            waiting = (
                QCoreApplication.translate("ChatView", "Waiting for your result below…")
                if client
                else QCoreApplication.translate("ChatView", "Waiting for the result…")
            )
            parts.append(f"<p style='color:{self._ctx.colors.muted}'>{html.escape(waiting)}</p>")
        else:
            parts.append(
                self._section(QCoreApplication.translate("ChatView", "Result"), result, dark)
            )
        self.body.setHtml("".join(parts))
        self.body.refit()
        self.retranslate()

    def _section(self, title: str, value: Any, dark: bool) -> str:
        code = pretty_json(value if value is not None else "")
        body = highlight_html(code, "json" if _is_json(value) else "", dark).replace(
            "<pre style='margin:0'>", "<pre style='margin:0; white-space:pre-wrap'>"
        )
        return (
            f"<p style='margin-top:4px; margin-bottom:2px; color:{self._ctx.colors.muted}'>"
            f"{html.escape(title)}</p>{body}"
        )

    def retranslate(self) -> None:
        name = (self._tool.name if self._tool is not None else "") or "?"
        done = self._result() is not None
        state = "✓" if done else "…"
        kind = self._tool.kind if self._tool is not None else "plugin"
        if kind == "client":
            label = QCoreApplication.translate("ChatView", "Client-side tool: {name}")
        elif kind == "question":
            label = QCoreApplication.translate("ChatView", "Question from the bot: {name}")
        else:
            label = QCoreApplication.translate("ChatView", "Plugin call: {name}")
        label = label.format(name=name)
        self.toggle.setText(f"{label}  {state}")


def _is_json(value: Any) -> bool:
    """A structure, or text that is JSON (plain text such as ``10:30`` is shown uncoloured)."""
    if not isinstance(value, str):
        return value is not None
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


class TypingDots(QLabel):
    """Three pulsing dots shown while waiting for the first token."""

    _FRAMES = ("●  ·  ·", "·  ●  ·", "·  ·  ●")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self._FRAMES[0], parent)
        self.setObjectName("typingDots")
        self._frame = 0
        self._timer = QTimer(self)
        self._timer.setInterval(350)
        self._timer.timeout.connect(self._tick)

    def set_active(self, on: bool) -> None:
        self.setVisible(on)
        if on and not self._timer.isActive():
            self._timer.start()
        elif not on:
            self._timer.stop()

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(self._FRAMES)
        self.setText(self._FRAMES[self._frame])

    def retranslate(self) -> None:
        self.setToolTip(QCoreApplication.translate("ChatView", "Waiting for the first token"))

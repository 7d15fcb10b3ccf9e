"""One column of a comparison: a bot's name, its last answer's figures, Stop, and its chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.chat.view import ChatView

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.storage.models import StoredMessage


class CompareColumn(QWidget):
    """A comparison's column for one session (objectName ``compareColumn``).

    Signals:
        stop_requested(int): Stop clicked (the session id).
        open_requested(int): "Open as chat" clicked (the session id).
    """

    stop_requested = Signal(int)
    open_requested = Signal(int)

    def __init__(self, session_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareColumn")
        self.session_id = session_id
        self.name = name
        self.last_answer: StoredMessage | None = None
        self._busy = False
        self.title = QLabel(name, self)
        self.title.setObjectName("compareColumnTitle")
        self.stats = QLabel(self)
        self.stats.setObjectName("compareColumnStats")
        self.log_id = QLabel(self)  # on its own line: selectable, to paste into a ticket
        self.log_id.setObjectName("compareColumnLogId")
        self.log_id.setTextInteractionFlags(
            self.log_id.textInteractionFlags().TextSelectableByMouse
        )
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("compareColumnStop")
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("compareColumnOpen")
        self.view = ChatView(self)
        self.view.setObjectName("compareChatView")
        self._build()
        self.stop_button.clicked.connect(lambda: self.stop_requested.emit(self.session_id))
        self.open_button.clicked.connect(lambda: self.open_requested.emit(self.session_id))
        self.retranslate()
        self.set_busy(False)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        head = QWidget(self)
        head.setObjectName("compareColumnHead")
        row = QHBoxLayout(head)
        row.setContentsMargins(12, 6, 8, 6)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.title)
        text.addWidget(self.stats)
        text.addWidget(self.log_id)
        row.addLayout(text, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.stop_button)
        layout.addWidget(head)
        layout.addWidget(self.view, 1)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        small = self.log_id.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.stats.setFont(small)
        self.log_id.setFont(small)
        # The figures grow while the answer streams: wrapped, they never widen the column
        # (a wider minimum would make the splitter re-share the width, and every column
        # would lay its answer out again at the new width).
        for label in (self.title, self.stats, self.log_id):
            label.setWordWrap(True)
            label.setMinimumWidth(1)
        self.log_id.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    # -- public API -------------------------------------------------------------------------

    def set_history(self, messages: Sequence[StoredMessage]) -> None:
        self.view.set_history(messages)
        answers = [m for m in messages if m.role == "assistant" and m.kind == "answer"]
        self._show_stats(answers[-1] if answers else None)

    def upsert(self, message: StoredMessage) -> None:
        self.view.upsert(message)
        if message.role == "assistant" and message.kind == "answer":
            self._show_stats(message)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.stop_button.setEnabled(busy)

    @property
    def busy(self) -> bool:
        return self._busy

    def _show_stats(self, message: StoredMessage | None) -> None:
        self.last_answer = message
        self.stats.setText(self._stats_text(message))
        log_id = message.log_id if message is not None else ""
        self.log_id.setText(self.tr("log id {id}").format(id=log_id) if log_id else "")
        self.log_id.setVisible(bool(log_id))

    def _stats_text(self, message: StoredMessage | None) -> str:
        if message is None:
            return self.tr("No answer yet")
        parts = []
        if message.ttft_ms is not None:
            parts.append(self.tr("first token {s} s").format(s=_seconds(message.ttft_ms)))
        if message.total_ms is not None:
            parts.append(self.tr("total {s} s").format(s=_seconds(message.total_ms)))
        usage = message.usage
        if usage is not None and usage.token_count:
            parts.append(self.tr("{n} tokens").format(n=f"{usage.token_count:,}"))
        if message.status not in ("complete", "streaming"):
            parts.append(self._status_text(message.status))
        return " · ".join(parts) or self.tr("Waiting for the first token…")

    def _status_text(self, status: str) -> str:
        texts = {
            "stopped": self.tr("stopped"),
            "failed": self.tr("failed"),
            "interrupted": self.tr("interrupted"),
            "requires_action": self.tr("waiting for a tool result"),
        }
        return texts.get(status, status)

    def retranslate(self) -> None:
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop this bot's answer; the others go on"))
        self.open_button.setText(self.tr("Open as chat"))
        self.open_button.setToolTip(self.tr("Continue this bot's conversation on its own"))
        self._show_stats(self.last_answer)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _seconds(ms: int) -> str:
    return f"{ms / 1000:.2f}"

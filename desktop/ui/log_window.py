"""A simple network log window: the recorded HTTP exchanges with their masked details.

A stand-in for the full log dock: a list of exchanges (newest last) and the selected one's
request, response and stream frames as text. Tokens are already masked by ``NetLog``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.netlog import Exchange, NetLog

MAX_FRAMES_SHOWN = 400


class LogWindow(QDialog):
    """Non-modal window listing ``NetLog`` exchanges; ``focus(log_id, chat_id)`` selects one."""

    def __init__(self, netlog: NetLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logWindow")
        self._netlog = netlog
        self._exchanges: list[Exchange] = []
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("logList")
        self.tree.setRootIsDecorated(False)
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("logDetail")
        self.detail.setReadOnly(True)
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setSizes([220, 380])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.resize(900, 640)
        self._refresh_timer = QTimer(self, singleShot=True, interval=250)
        self._refresh_timer.timeout.connect(self.refresh)
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        self._unsubscribe: Callable[[], None] = netlog.subscribe(self._on_netlog)
        self.finished.connect(lambda _r: self._unsubscribe())
        self.retranslate()
        self.refresh()

    def _on_netlog(self, _exchange: Exchange, _kind: str) -> None:
        # NetLog may call from any code path; refresh at most 4x a second.
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def refresh(self) -> None:
        selected = self._selected()
        self._exchanges = self._netlog.exchanges()
        self.tree.clear()
        for ex in self._exchanges:
            self.tree.addTopLevelItem(QTreeWidgetItem(_columns(ex)))
        if selected is not None and selected in self._exchanges:
            self._select_row(self._exchanges.index(selected))

    def focus(self, log_id: str = "", chat_id: str = "") -> bool:
        """Select the exchange with this log id (or mentioning this chat id)."""
        self.refresh()
        ex = self._netlog.find(log_id=log_id, chat_id=chat_id) if (log_id or chat_id) else None
        if ex is None or ex not in self._exchanges:
            return False
        self._select_row(self._exchanges.index(ex))
        return True

    def _select_row(self, row: int) -> None:
        item = self.tree.topLevelItem(row)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _selected(self) -> Exchange | None:
        item = self.tree.currentItem()
        row = self.tree.indexOfTopLevelItem(item) if item is not None else -1
        return self._exchanges[row] if 0 <= row < len(self._exchanges) else None

    def _show_selected(self) -> None:
        ex = self._selected()
        self.detail.setPlainText(_details(ex) if ex is not None else "")

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Network log"))
        self.tree.setHeaderLabels([self.tr("Time"), self.tr("Request"), self.tr("Status"),
                                   self.tr("Log ID"), self.tr("Duration")])  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _columns(ex: Exchange) -> list[str]:
    status = str(ex.status) if ex.status is not None else ("…" if not ex.done else "—")
    if ex.coze_code:
        status += f" · {ex.coze_code}"
    if ex.error is not None:
        status += " ✖"
    duration = ex.duration
    return [
        time.strftime("%H:%M:%S", time.localtime(ex.started_at)),
        f"{ex.method} {ex.url}",
        status,
        ex.log_id,
        f"{duration * 1000:.0f} ms" if duration is not None else "",
    ]


def _details(ex: Exchange) -> str:
    lines = [f"{ex.method} {ex.url}", ""]
    lines += [f"{name}: {value}" for name, value in ex.request_headers]
    if ex.request_body:
        lines += ["", ex.request_body]
    lines += ["", f"HTTP {ex.status if ex.status is not None else '—'}"]
    lines += [f"{name}: {value}" for name, value in ex.response_headers]
    if ex.response_body:
        lines += ["", ex.response_body]
    for frame in ex.frames[:MAX_FRAMES_SHOWN]:
        lines.append(f"[{frame.t:7.3f}s] event:{frame.event} data:{frame.data}")
    if len(ex.frames) > MAX_FRAMES_SHOWN:
        lines.append(f"… {len(ex.frames) - MAX_FRAMES_SHOWN} more frames")
    if ex.error is not None:
        lines += ["", ex.error.describe("en")]
    return "\n".join(lines)

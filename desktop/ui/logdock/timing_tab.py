"""The Timing tab: connect / TLS / time to first byte / streaming / total as a painted bar chart.

Phases on one time axis (a waterfall): connect and TLS happen first (absent when a pooled
connection was reused), then the wait for the first byte, then the body or stream until the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.ui.kit.theme import mix

if TYPE_CHECKING:
    from desktop.netlog import Exchange

ROW_HEIGHT = 30
BAR_HEIGHT = 14
LEFT = 150  # label column
RIGHT = 96  # value column
TOP = 16
COLOURS = {"connect": "#f29900", "tls": "#a142f4", "wait": "#1a73e8", "stream": "#12b5cb",
           "total": "#5f6368"}  # fmt: skip


@dataclass(frozen=True)
class Phase:
    """One bar: ``start``..``start + length`` seconds after the request started."""

    key: str
    start: float
    length: float | None  # None: not measured (e.g. a reused connection)


def phases(ex: Exchange) -> list[Phase]:
    """The bars for ``ex`` (lengths in seconds)."""
    t = ex.timings
    connect, tls, ttfb = t.get("connect"), t.get("tls"), t.get("ttfb")
    total = t.get("total") if ex.done else ex.elapsed()
    setup = (connect or 0.0) + (tls or 0.0)
    wait = max(0.0, ttfb - setup) if ttfb is not None else None
    stream = max(0.0, total - ttfb) if ttfb is not None and total is not None else None
    return [
        Phase("connect", 0.0, connect),
        Phase("tls", connect or 0.0, tls),
        Phase("wait", setup, wait),
        Phase("stream", ttfb or 0.0, stream),
        Phase("total", 0.0, total),
    ]


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"


class TimingChart(QWidget):
    """Paints :func:`phases` of the shown exchange."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timingChart")
        self._phases: list[Phase] = []
        self._note = ""
        self._labels: dict[str, str] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.retranslate()

    def show_exchange(self, ex: Exchange | None) -> None:
        self._phases = phases(ex) if ex is not None else []
        reused = (
            ex is not None and ex.timings.get("ttfb") is not None and "connect" not in ex.timings
        )
        self._note = self.tr("Connection reused: no connect or TLS time.") if reused else ""
        self.update()

    def retranslate(self) -> None:
        self._labels = {"connect": self.tr("Connect"), "tls": self.tr("TLS handshake"),
                        "wait": self.tr("Waiting (TTFB)"), "stream": self.tr("Receiving / streaming"),
                        "total": self.tr("Total")}  # fmt: skip
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(520, TOP * 2 + ROW_HEIGHT * 6)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        base = pal.color(QPalette.ColorRole.Base)
        painter.fillRect(self.rect(), base)
        if not self._phases:
            return
        scale = max((p.start + (p.length or 0.0) for p in self._phases), default=0.0) or 1.0
        width = max(40, self.width() - LEFT - RIGHT - 16)
        self._grid(painter, mix(base, text, 0.12), width)
        for row, phase in enumerate(self._phases):
            self._row(painter, row, phase, width / scale, text)
        if self._note:
            painter.setPen(mix(text, base, 0.45))
            y = TOP + ROW_HEIGHT * len(self._phases) + 6
            painter.drawText(QRectF(8, y, self.width() - 16, ROW_HEIGHT), self._note)

    def _grid(self, painter: QPainter, colour: QColor, width: float) -> None:
        painter.setPen(colour)
        bottom = TOP + ROW_HEIGHT * len(self._phases)
        for i in range(5):
            x = LEFT + width * i / 4
            painter.drawLine(int(x), TOP - 4, int(x), bottom)

    def _row(
        self, painter: QPainter, row: int, phase: Phase, per_second: float, text: QColor
    ) -> None:
        y = TOP + row * ROW_HEIGHT
        metrics = QFontMetrics(painter.font())
        painter.setPen(text)
        label = metrics.elidedText(
            self._labels.get(phase.key, phase.key), Qt.TextElideMode.ElideRight, LEFT - 16
        )
        flags = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(
            QRectF(8, y, LEFT - 12, ROW_HEIGHT), flags | Qt.AlignmentFlag.AlignLeft, label
        )
        value_rect = QRectF(self.width() - RIGHT - 4, y, RIGHT, ROW_HEIGHT)
        painter.drawText(value_rect, flags | Qt.AlignmentFlag.AlignRight, fmt_seconds(phase.length))
        if phase.length is None:
            return
        x = LEFT + phase.start * per_second
        bar = QRectF(
            x, y + (ROW_HEIGHT - BAR_HEIGHT) / 2, max(2.0, phase.length * per_second), BAR_HEIGHT
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(COLOURS[phase.key]))
        painter.drawRoundedRect(bar, 3, 3)

"""The log dock's table model: recorded exchanges as rows, capped, updated at most ~30x a second.

``NetLog`` calls its subscribers on every change (each request start, response head, finish,
and every 0.25 s of a stream). The model only *marks* what changed and applies the changes in one
batch per timer tick (``FLUSH_MS``): new rows are appended in one ``beginInsertRows``, the oldest
rows beyond ``cap`` are dropped in one ``beginRemoveRows``, updated rows get one ``dataChanged``.
Callbacks arriving from another thread are forwarded through a queued signal first.

:class:`LogFilter` filters the rows: errors only, a profile, a session, free text.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette

from desktop.core.log_insights import is_error, outcome_code
from desktop.ui.kit.theme import mix, palette_is_dark

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.netlog import Exchange, NetLog

FLUSH_MS = 33  # <= 30 model updates per second
DEFAULT_CAP = 5000
ExchangeRole = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("time", "profile", "method", "path", "status", "code", "duration", "ttfb", "events",
           "log_id")  # fmt: skip
_NUMERIC = frozenset({"status", "code", "duration", "ttfb", "events"})
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class NetlogEvent:
    """A netlog notification forwarded from another thread."""

    exchange: Exchange
    kind: str


def profile_name(ex: Exchange) -> str:
    """The profile a request belongs to, for filtering (the doctor's requests included)."""
    return ex.context.get("profile") or ex.context.get("purpose", "")


def profile_label(ex: Exchange) -> str:
    """Who made the request: the profile's name, else its purpose (e.g. the doctor)."""
    name, purpose = ex.context.get("profile", ""), ex.context.get("purpose", "")
    return f"{name} · {purpose}" if name and purpose else name or purpose


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _status(ex: Exchange) -> str:
    if ex.status is not None:
        return str(ex.status)
    if ex.cancelled:
        return "—"
    return "…" if not ex.done else "✖"


def cell_text(ex: Exchange, column: str) -> str:
    """The text of one cell (also used by the free-text filter and tests)."""
    if column == "time":
        return (
            time.strftime("%H:%M:%S", time.localtime(ex.started_at))
            + f".{int(ex.started_at * 1000) % 1000:03d}"
        )
    if column == "profile":
        return profile_label(ex)
    if column == "method":
        return ex.method
    if column == "path":
        parts = urlsplit(ex.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    if column == "status":
        return _status(ex)
    if column == "code":
        code = outcome_code(ex)
        return "" if code is None else str(code)
    if column == "duration":
        return _ms(ex.duration) if ex.done else _ms(ex.elapsed()) + " …"
    if column == "ttfb":
        return _ms(ex.timings.get("ttfb"))
    if column == "events":
        return str(ex.event_count) if ex.is_stream or ex.event_count else ""
    return ex.log_id


class LogModel(QAbstractTableModel):
    """Rows of :class:`Exchange` (oldest first), fed by ``NetLog.subscribe``.

    Signals:
        forwarded(NetlogEvent)  (internal: carries cross-thread callbacks to the GUI thread)
    """

    forwarded = Signal(NetlogEvent)

    def __init__(
        self, netlog: NetLog, cap: int = DEFAULT_CAP, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._netlog = netlog
        self._cap = cap
        self._rows: list[Exchange] = []
        self._first_seq = 0  # sequence number of self._rows[0]
        self._seq: dict[int, int] = {}  # exchange id -> sequence number
        self._pending: list[Exchange] = []
        self._dirty: set[int] = set()
        self._headers: list[str] = list(COLUMNS)
        self._error_fg = QColor("#d92d20")
        self._error_bg = QColor("#fdecea")
        self._timer = QTimer(self, singleShot=True, interval=FLUSH_MS)
        self._timer.timeout.connect(self.flush)
        self.forwarded.connect(
            lambda e: self._mark(e.exchange, e.kind), Qt.ConnectionType.QueuedConnection
        )
        self.restyle()
        for ex in netlog.exchanges()[-cap:]:
            self._mark(ex, "begin")
        self.flush()
        self._unsubscribe: Callable[[], None] = netlog.subscribe(self._on_netlog)

    # -- feeding --------------------------------------------------------------------------------

    def _on_netlog(self, ex: Exchange | None, kind: str) -> None:
        if ex is None:  # "clear" comes from this model's own ``clear``
            if kind == "restored":
                self._reload()
            return
        if QThread.currentThread() is self.thread():
            self._mark(ex, kind)
        else:
            self.forwarded.emit(NetlogEvent(ex, kind))

    def _mark(self, ex: Exchange, kind: str) -> None:
        if ex.id not in self._seq:
            self._seq[ex.id] = -1  # pending insertion
            self._pending.append(ex)
        elif kind != "begin":
            self._dirty.add(ex.id)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Apply every pending change now (the timer calls this; tests may too)."""
        self._timer.stop()
        self._insert_pending()
        self._drop_oldest()
        self._emit_dirty()

    def _insert_pending(self) -> None:
        new, self._pending = self._pending, []
        if not new:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        for offset, ex in enumerate(new):
            self._seq[ex.id] = self._first_seq + first + offset
        self._rows.extend(new)
        self.endInsertRows()

    def _drop_oldest(self) -> None:
        excess = len(self._rows) - self._cap
        if excess <= 0:
            return
        self.beginRemoveRows(QModelIndex(), 0, excess - 1)
        for ex in self._rows[:excess]:
            self._seq.pop(ex.id, None)
            self._dirty.discard(ex.id)
        del self._rows[:excess]
        self._first_seq += excess
        self.endRemoveRows()

    def _emit_dirty(self) -> None:
        rows = [self.row_of(ex_id) for ex_id in self._dirty]
        self._dirty.clear()
        rows = [r for r in rows if r >= 0]
        if rows:
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))

    # -- queries --------------------------------------------------------------------------------

    def row_of(self, exchange_id: int) -> int:
        seq = self._seq.get(exchange_id, -1)
        return seq - self._first_seq if seq >= 0 else -1

    def exchange(self, row: int) -> Exchange | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def exchanges(self) -> list[Exchange]:
        return list(self._rows)

    def clear(self) -> None:
        """Forget every row (and the netlog's records)."""
        self.beginResetModel()
        self._forget_rows()
        self._netlog.clear()
        self.endResetModel()

    def _reload(self) -> None:
        """Every row again from the netlog (records of an earlier run came before them)."""
        self.beginResetModel()
        self._forget_rows()
        for ex in self._netlog.exchanges()[-self._cap :]:
            self._seq[ex.id] = len(self._rows)
            self._rows.append(ex)
        self.endResetModel()

    def _forget_rows(self) -> None:
        self._rows.clear()
        self._seq.clear()
        self._pending.clear()
        self._dirty.clear()
        self._first_seq = 0

    def close(self) -> None:
        self._unsubscribe()

    # -- Qt model API ---------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        ex = self.exchange(index.row())
        if ex is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(ex, column)
        if role == ExchangeRole:
            return ex
        return self._style(ex, column, role)

    def _style(self, ex: Exchange, column: str, role: int) -> object:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not is_error(ex):
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column in ("status", "code", "path"):
            return QBrush(self._error_fg)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(self._error_bg)
        if role == Qt.ItemDataRole.ToolTipRole and ex.error is not None:
            return ex.error.summary()
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def set_headers(self, labels: list[str]) -> None:
        self._headers = labels
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def restyle(self) -> None:
        """Error colours from the current palette (readable in light and dark)."""
        pal = QGuiApplication.palette()
        dark = palette_is_dark(pal)
        red = QColor("#ff6b5e" if dark else "#d92d20")
        self._error_fg = red
        self._error_bg = mix(pal.color(QPalette.ColorRole.Base), red, 0.16 if dark else 0.07)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )


@dataclass(frozen=True)
class FilterState:
    """What the user filters by ("" = any)."""

    errors_only: bool = False
    profile: str = ""
    session: str = ""
    text: str = ""


class LogFilter(QSortFilterProxyModel):
    """Filters :class:`LogModel` rows by errors, profile, session and free text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = FilterState()
        self.setDynamicSortFilter(True)

    @property
    def state(self) -> FilterState:
        return self._state

    def set_state(self, state: FilterState) -> None:
        if state != self._state:
            self.beginFilterChange()
            self._state = state
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        ex = model.exchange(source_row) if isinstance(model, LogModel) else None
        return ex is not None and matches(ex, self._state)


def matches(ex: Exchange, state: FilterState) -> bool:
    """Does ``ex`` pass the filter?"""
    if state.errors_only and not is_error(ex):
        return False
    if state.profile and profile_name(ex) != state.profile:
        return False
    if state.session and ex.context.get("session_id", "") != state.session:
        return False
    if state.text:
        needle = state.text.lower()
        error = ex.error.summary().lower() if ex.error is not None else ""
        hay = f"{ex.method} {ex.url} {ex.status} {ex.coze_code} {ex.log_id} {profile_label(ex)} {error}"
        return needle in hay.lower()
    return True

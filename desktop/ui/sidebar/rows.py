"""Turns stored sessions into sidebar rows (title, "bot · when" line, pin), and search hits into
rows whose second line is the matching text."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, overload

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from desktop.ui.sidebar.panel import SessionRow

if TYPE_CHECKING:
    from desktop.storage.models import Session
    from desktop.storage.search import SearchHit


def when(timestamp: float, now: float | None = None) -> str:
    """Time today, "Yesterday", or a short date, in the UI locale."""
    return _When(now)(timestamp)


class _When:
    """``when`` for many timestamps: today's date and the locale looked up once, dates cached."""

    def __init__(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.today = QDateTime.fromSecsSinceEpoch(int(now)).date()
        self.locale = QLocale()
        self.dates: dict[int, str] = {}

    def __call__(self, timestamp: float) -> str:
        moment = QDateTime.fromSecsSinceEpoch(int(timestamp))
        date = moment.date()
        if date == self.today:
            return self.locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
        day = date.toJulianDay()
        text = self.dates.get(day)
        if text is None:
            if date.daysTo(self.today) == 1:
                text = QCoreApplication.translate("Sidebar", "Yesterday")
            else:
                text = self.locale.toString(date, QLocale.FormatType.ShortFormat)
            self.dates[day] = text
        return text


class SessionRows(Sequence[SessionRow]):
    """Sidebar rows for ``sessions``, each made when it is first read (the sidebar reads a
    screenful at once and the rest a moment later)."""

    def __init__(self, sessions: Sequence[Session], profile_names: Mapping[str, str],
                 stamp: _When | None = None, damaged: frozenset[int] = frozenset()) -> None:  # fmt: skip
        self._sessions = sessions
        self._names = profile_names
        self._stamp = stamp or _When()
        self._damaged = damaged

    def __len__(self) -> int:
        return len(self._sessions)

    @overload
    def __getitem__(self, index: int) -> SessionRow: ...
    @overload
    def __getitem__(self, index: slice) -> SessionRows: ...
    def __getitem__(self, index: int | slice) -> SessionRow | SessionRows:
        if isinstance(index, slice):
            return SessionRows(self._sessions[index], self._names, self._stamp, self._damaged)
        session = self._sessions[index]
        bot = self._names.get(session.profile_id, "?")
        meta = f"{bot} · {self._stamp(session.updated_at or session.created_at)}"
        if session.id in self._damaged:  # its messages could not all be read
            meta = "⚠ " + QCoreApplication.translate("Sidebar", "damaged") + " · " + meta
        return SessionRow(session.id, session.title, meta, session.pinned)


def session_rows(
    sessions: Iterable[Session], profile_names: Mapping[str, str],
    damaged: frozenset[int] = frozenset(),
) -> SessionRows:  # fmt: skip
    return SessionRows(list(sessions), profile_names, damaged=damaged)


def search_rows(hits: Iterable[SearchHit], profile_names: Mapping[str, str]) -> list[SessionRow]:
    """Sidebar rows for search hits: each with the snippet of its matching message, when it
    matched by a message rather than by its title alone."""
    stamp = _When()
    rows = []
    for hit in hits:
        session = hit.session
        bot = profile_names.get(session.profile_id, "?")
        meta = f"{bot} · {stamp(session.updated_at or session.created_at)}"
        cut = hit.snippet
        rows.append(SessionRow(session.id, session.title, meta, session.pinned,
                               cut.text if cut else "", cut.marks if cut else (),
                               hit.title_marks))  # fmt: skip
    return rows

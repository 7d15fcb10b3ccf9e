"""Turns stored sessions into sidebar rows (title, "bot · when" line, pin)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from desktop.storage.models import Session
from desktop.ui.sidebar import SessionRow


def when(timestamp: float, now: float | None = None) -> str:
    """Time today, "Yesterday", or a short date, in the UI locale."""
    now = time.time() if now is None else now
    moment = QDateTime.fromSecsSinceEpoch(int(timestamp))
    today = QDateTime.fromSecsSinceEpoch(int(now)).date()
    locale = QLocale()
    if moment.date() == today:
        return locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    if moment.date().daysTo(today) == 1:
        return QCoreApplication.translate("Sidebar", "Yesterday")
    return locale.toString(moment.date(), QLocale.FormatType.ShortFormat)


def session_rows(sessions: Iterable[Session], profile_names: Mapping[str, str]) -> list[SessionRow]:
    rows = []
    for session in sessions:
        bot = profile_names.get(session.profile_id, "?")
        meta = f"{bot} · {when(session.updated_at or session.created_at)}"
        rows.append(SessionRow(session.id, session.title, meta, session.pinned))
    return rows

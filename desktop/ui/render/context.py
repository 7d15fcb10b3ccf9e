"""What every bubble widget shares: the current colours and a way to report user intents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QGuiApplication

from desktop.ui.intents import CopyIntent
from desktop.ui.render.highlighter import HighlightQueue
from desktop.ui.theme import ChatColors

# (signal name on ChatView, payload) -> None
IntentSink = Callable[[str, object], None]


@dataclass(slots=True)
class RenderContext:
    """Mutable on purpose: a theme switch updates ``colors`` once for every widget."""

    colors: ChatColors
    emit: IntentSink
    highlights: HighlightQueue

    def copy(self, text: str) -> None:
        """Put ``text`` on the clipboard and report it (the shell may show "Copied")."""
        QGuiApplication.clipboard().setText(text)
        self.emit("copy_requested", CopyIntent(text))

"""What every bubble widget shares: the current colours and a way to report user intents."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:  # loaded with the first row that needs them, not with the (empty) view
    from PySide6.QtWidgets import QWidget

    from desktop.ui.chat.render.highlighter import HighlightQueue
    from desktop.ui.chat.render.lazy import Band
    from desktop.ui.kit.theme import ChatColors

# (signal name on ChatView, payload) -> None
IntentSink = Callable[[str, object], None]


def _everything(_widget: QWidget) -> Band | None:
    return None


def _ignore(_pixels: int) -> None:
    return None


class RenderContext:
    """Mutable on purpose: a theme switch updates ``colors`` once for every widget.

    ``band(widget)`` is the part of ``widget`` near the viewport (None: render everything);
    ``shift(pixels)`` tells the view that content above the viewport grew by ``pixels``, so it
    can keep what the user looks at still. ``highlights`` (the syntax-highlighting queue, a
    child of ``owner``) is made when first used. A plain class: a dataclass costs ~1 ms to
    define, before the first frame."""

    __slots__ = ("band", "colors", "emit", "height_scale", "owner", "paint_seconds", "queue",
                 "shift", "tool_replies")  # fmt: skip

    def __init__(
        self, colors: ChatColors, emit: IntentSink, owner: QWidget,
        band: Callable[[QWidget], Band | None] = _everything,
        shift: Callable[[int], None] = _ignore,
    ) -> None:  # fmt: skip
        self.colors = colors
        self.emit = emit
        self.owner = owner
        self.band = band
        self.shift = shift
        self.paint_seconds = 0.0  # time spent painting answer text so far (paces streaming)
        self.height_scale = 1.5  # rendered / estimated height of prose (learnt while rendering)
        self.queue: HighlightQueue | None = None  # ``highlights`` once made
        self.tool_replies: dict[str, str] = {}  # the profile's local tools, offered in requests

    @property
    def highlights(self) -> HighlightQueue:
        if self.queue is None:
            from desktop.ui.chat.render.highlighter import HighlightQueue

            self.queue = HighlightQueue(self.owner)
        return self.queue

    def copy(self, text: str) -> None:
        """Put ``text`` on the clipboard and report it (the shell may show "Copied")."""
        from desktop.ui.kit.intents import CopyIntent

        QGuiApplication.clipboard().setText(text)
        self.emit("copy_requested", CopyIntent(text))

"""Waiting conditions on a chat view's layout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from desktop.ui.chat.view import ChatView


def settled(view: ChatView) -> bool:
    """No rows queued, and the built ones have their places: the content is as tall as they
    need, the scroll bar knows (rows just built, or an answer's segments just rendered, are
    squeezed into the old height until the content grows, a pass later)."""
    content, bar = view._content, view._scroll.verticalScrollBar()
    needed = content.minimumSizeHint().height()
    return (
        not view.is_busy()
        and content.height() >= needed
        and bar.maximum() == max(0, content.height() - view._viewport.height())
    )


class FrameSpy(QObject):
    """Reads ``where()`` whenever ``window`` is about to draw a frame (an update request):
    what the user sees, including passing states of the layout."""

    def __init__(self, window: QWidget, where: Callable[[], int]) -> None:
        super().__init__(window)
        self.where, self.seen = where, list[int]()
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            self.seen.append(self.where())
        return False

    def stop(self) -> None:
        self.parent().removeEventFilter(self)  # type: ignore[union-attr]

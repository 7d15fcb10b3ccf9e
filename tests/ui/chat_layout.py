"""Waiting conditions on a chat view's layout."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

"""The first answer renders as fast as the next: the text pipeline runs once, in idle time.

The first answer a process shows paid for what Qt and Python do once: the markdown parser's and
the text layout's first use, loading the fonts that headings, tables, code, Chinese and emoji are
drawn in, polishing the segment widgets' styles, the first paint of each. So once start-up is
over (``ChatView._prewarm``), a short sample answer with one block of each kind is rendered at
the column's width in a widget that is shown but never put on the screen, painted into an image,
and thrown away: 25-28 ms of idle time once per process. In ``bench_render`` the process's first
answer held the window 11-26 ms without it (later answers 6-10 ms), 9-10 ms with it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from shiboken6 import delete

from desktop.ui.chat.render.context import RenderContext
from desktop.ui.chat.render.highlighter import HighlightQueue
from desktop.ui.chat.render.markdown_view import MarkdownBody
from desktop.ui.chat.render.slices import shared as shared_slices

__all__ = ["SAMPLE", "pending", "warm_up"]

SAMPLE = """\
## 天气 Weather 🌤

Text with **bold**, *italic*, `code`, a [link](https://example.com) and 中文。

### A list

- one
- two
  1. first
  2. second

| city | 天气 |
|------|------|
| Beijing | sunny |

> a quote

```python
def f(x):
    return {"a": [1, 2.5, None]}
```
"""

_warmed = False


def pending() -> bool:
    """Whether this process has not warmed up yet."""
    return not _warmed


def warm_up(ctx: RenderContext, style_sheet: str, width: int, pixel_ratio: float) -> None:
    """Render :data:`SAMPLE` at ``width`` (styled by ``style_sheet``, the chat view's; painted at
    the screen's ``pixel_ratio``) off screen, once per process. It has a context and a highlight
    queue of its own, and what the shared slices learn of its (cold) cost is forgotten, so the
    views' rendering goes on as if it had not happened; nothing is left behind."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    own = RenderContext(ctx.colors, _no_intents, ctx.owner)
    body = MarkdownBody(own)
    own.queue = HighlightQueue(body)
    slices = shared_slices()
    per_char = slices.per_char
    try:
        _render(body, style_sheet, max(width, 200), pixel_ratio)
    finally:
        slices.per_char = per_char
        body.discard()
        own.queue.discard()
        delete(body)


def _render(body: MarkdownBody, style_sheet: str, width: int, pixel_ratio: float) -> None:
    body.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    body.setStyleSheet(style_sheet)
    body.resize(width, 400)
    body.show()  # shown, as a real answer is: rendered at its width, polished, laid out
    body.set_text(SAMPLE, streaming=False)
    size = body.size()
    image = QImage(
        QSize(round(size.width() * pixel_ratio), round(size.height() * pixel_ratio)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(pixel_ratio)
    image.fill(0)
    body.render(image)


def _no_intents(_name: str, _payload: object) -> None:
    return None

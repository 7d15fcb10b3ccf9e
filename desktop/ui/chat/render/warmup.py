"""The first answer renders as fast as the next: the text pipeline runs once, in idle time.

The first answer a process shows paid for what Qt and Python do once: the markdown parser's and
the text layout's first use, loading the fonts that headings, tables, code, Chinese and emoji are
drawn in, polishing the segment widgets' styles, the first paint of each. So once start-up is
over (``ChatView._prewarm``), a short sample answer with one block of each kind is rendered at
the column's width in a widget that is shown but never put on the screen, painted into an image,
and thrown away: about 28 ms of idle time once per process (5 ms when warm already). In
``bench_render`` the process's first answer held the window 12-19 ms without it, 6-11 ms with it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from desktop.ui.chat.render.context import RenderContext
from desktop.ui.chat.render.markdown_view import MarkdownBody

__all__ = ["SAMPLE", "warm_up"]

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


def warm_up(ctx: RenderContext, style_sheet: str, width: int) -> bool:
    """Render and paint :data:`SAMPLE` at ``width`` (styled by ``style_sheet``, the chat view's),
    off screen, once per process (a comparison's columns are views made later: nothing to gain);
    nothing is left behind. True if it did."""
    global _warmed
    if _warmed:
        return False
    _warmed = True
    own = RenderContext(ctx.colors, _no_intents, ctx.owner)  # renders it all, whatever the
    own.queue = ctx.highlights  # view's viewport; the view's highlighting
    body = MarkdownBody(own)
    body.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    body.setStyleSheet(style_sheet)
    body.resize(max(width, 200), 400)
    body.show()  # shown, as a real answer is: rendered at its width, polished, laid out
    body.set_text(SAMPLE, streaming=False)
    image = QImage(body.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    body.render(image)
    body.discard()
    body.hide()
    body.deleteLater()
    return True


def _no_intents(_name: str, _payload: object) -> None:
    return None

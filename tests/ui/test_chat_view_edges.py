"""The chat view at its edges: "Jump to latest" while scrolled up, code in a narrow column."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from desktop.storage import StoredMessage
from desktop.ui.chat.render.bubble import AnswerWidget
from desktop.ui.chat.render.markdown_view import CodeBlock, ProseBlock, WideProse

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.ui.chat.view import ChatView

LONG_LINE = "result = compute_the_total_of_everything(first_argument, second_argument, third)"
WIDE_CODE = f"Here is the code:\n\n```python\n{LONG_LINE}\nprint(result)\n```\n\nThat is all.\n"


def answer(message_id: int, **fields: object) -> StoredMessage:
    return StoredMessage(id=message_id, role="assistant", kind="answer", **fields)  # type: ignore[arg-type]


def body_of(view: ChatView, message_id: int) -> AnswerWidget:
    row = view.row_for(message_id)
    assert isinstance(row, AnswerWidget)
    return row


def test_jump_to_latest_shows_while_scrolled_up_during_a_stream(
    view: ChatView, qtbot: QtBot
) -> None:
    text = "\n\n".join(f"Paragraph {i}: " + "words " * 30 for i in range(60))
    streaming = answer(1, content=text[:2000], status="streaming")
    view.upsert(streaming)
    qtbot.waitUntil(lambda: not view.is_busy())
    assert view.jump_button() is None or not view.jump_button().isVisible()  # type: ignore[union-attr]
    view.upsert(replace(streaming, content=text[:6000]))
    qtbot.waitUntil(lambda: not view.is_busy())
    bar = view._scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 400)
    bar.setValue(0)  # the user scrolls up to read
    button = view.jump_button()
    assert button is not None
    assert button.isVisible()
    assert "latest" in button.text()
    view.upsert(replace(streaming, content=text))  # more text arrives below, unseen
    qtbot.waitUntil(lambda: not view.is_busy())
    assert bar.value() < bar.maximum()  # the view did not jump by itself
    assert button.isVisible()
    assert button.geometry().bottom() <= view.height()
    button.click()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert not button.isVisible()


def test_wide_code_scrolls_sideways_in_a_narrow_column(view: ChatView, qtbot: QtBot) -> None:
    view.upsert(answer(1, content=WIDE_CODE))
    body = body_of(view, 1).body
    qtbot.waitUntil(lambda: bool(body.blocks))
    assert isinstance(body.blocks[0], ProseBlock)  # wide enough: drawn inside the prose
    view.resize(420, 700)
    qtbot.waitUntil(lambda: isinstance(body.blocks[0], WideProse))
    wide = body.blocks[0]
    assert isinstance(wide, WideProse)
    (code,) = [p for p in wide.parts if isinstance(p, CodeBlock)]
    assert code.code == f"{LONG_LINE}\nprint(result)"
    QApplication.processEvents()
    bar = code.body.horizontalScrollBar()
    assert bar.maximum() > 0  # the line scrolls sideways...
    assert code.body.document().lineCount() == 2  # ...instead of wrapping
    assert [type(p) for p in wide.parts] == [ProseBlock, CodeBlock, ProseBlock]
    assert body.code_blocks() == [code]
    view.resize(1200, 700)
    qtbot.waitUntil(lambda: isinstance(body.blocks[0], ProseBlock))


def test_no_blank_space_below_the_newest_message_pushes_its_top_out_of_view(
    view: ChatView, qtbot: QtBot
) -> None:
    """Wrapped text is much taller at a row's narrowest width than at the view's width: the
    scroll area must size its content by the rows' height at the real width, or a short view
    (the log dock open) shows blank space at the bottom and cuts off the error's title."""
    from desktop.storage.parts import ErrorRecord

    view.resize(900, 330)
    view.upsert(StoredMessage(id=1, role="user", kind="question", content="天气如何？" * 60))
    error = ErrorRecord(code=4100, msg="authentication is invalid " * 6, status=401,
                        log_id="20261202032034EB5F323C17B81185D4", diagnosis="token_invalid")  # fmt: skip
    view.upsert(answer(2, status="failed", error=error, total_ms=40))
    content, bar = view._content, view._scroll.verticalScrollBar()
    row = view.row_for(2)
    assert row is not None

    def fitted() -> bool:
        QApplication.processEvents()
        needed = content.layout().totalHeightForWidth(content.width())
        return bar.maximum() > 0 and content.height() == needed

    qtbot.waitUntil(fitted)
    bottom_margin = content.layout().contentsMargins().bottom()
    assert content.height() - row.geometry().bottom() <= bottom_margin + 2
    assert bar.value() == bar.maximum()  # at the newest message, its top in view
    assert row.geometry().top() - bar.value() >= 0

"""Behaviour of the chat view: history, streaming, sections, intents, badges, lazy building."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication, QTextTable
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.storage import StoredMessage
from desktop.ui.chat_view import INITIAL_ROWS, PAGE_ROWS, ChatView
from desktop.ui.intents import CopyIntent, FollowUpIntent, LogIntent, MessageIntent
from desktop.ui.render.bubble import AnswerWidget, MessageWidget, QuestionWidget
from desktop.ui.render.markdown_view import CodeBlock, ProseBlock
from tests.ui.shots import WEATHER_ANSWER, demo_messages


@pytest.fixture
def view(qtbot: QtBot) -> ChatView:
    widget = ChatView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    return widget


def settle() -> None:
    """Let queued work run (children added to a shown widget are shown by a queued call)."""
    QApplication.processEvents()


def answer(message_id: int, **fields: Any) -> StoredMessage:
    return StoredMessage(id=message_id, role="assistant", kind="answer", **fields)


def question(message_id: int, text: str) -> StoredMessage:
    return StoredMessage(id=message_id, role="user", kind="question", content=text)


def answer_row(view: ChatView, message_id: int) -> AnswerWidget:
    row = view.row_for(message_id)
    assert isinstance(row, AnswerWidget)
    return row


def stream(view: ChatView, final: StoredMessage, steps: int = 40) -> None:
    """Upsert growing snapshots of ``final`` (reasoning first, then content), then ``final``."""
    for i in range(1, steps + 1):
        cut = len(final.reasoning) * i // steps
        view.upsert(replace(final, status="streaming", content="", reasoning=final.reasoning[:cut],
                            follow_ups=[], usage=None))
    for i in range(1, steps + 1):
        cut = len(final.content) * i // steps
        view.upsert(replace(final, status="streaming", content=final.content[:cut],
                            follow_ups=[], usage=None))
    view.upsert(final)


def test_history_renders_one_row_per_message(view: ChatView) -> None:
    messages = demo_messages()
    view.set_history(messages)
    assert view.row_count() == len(messages)
    assert len(view.findChildren(QuestionWidget)) == 4
    assert len(view.findChildren(AnswerWidget)) == 4
    assert view.objectName() == "chatView"


def test_streamed_answer_ends_fully_rendered(view: ChatView, qtbot: QtBot) -> None:
    view.upsert(question(1, "weather?"))
    final = answer(2, content=WEATHER_ANSWER, reasoning="thinking about the weather " * 20)
    stream(view, final)
    body = answer_row(view, 2).body
    assert body.text == WEATHER_ANSWER
    prose = [b for b in body.blocks if isinstance(b, ProseBlock)]
    tables = [f for b in prose for f in b.document().rootFrame().childFrames()
              if isinstance(f, QTextTable)]
    assert len(tables) == 1 and tables[0].rows() == 4
    assert "晴转多云" in "".join(b.toPlainText() for b in prose)
    code = [b for b in body.blocks if isinstance(b, CodeBlock)]
    assert len(code) == 1 and code[0].final
    assert "def weather(city: str) -> dict:" in code[0].body.toPlainText()
    qtbot.waitUntil(lambda: code[0].highlighted)  # off-screen blocks are coloured in the background
    assert _has_coloured_text(code[0])


def _has_coloured_text(block: CodeBlock) -> bool:
    colours = set()
    doc_block = block.body.document().begin()
    while doc_block.isValid():
        for fmt in doc_block.layout().formats():
            colours.add(fmt.format.foreground().color().name())
        doc_block = doc_block.next()
    return len(colours) >= 3


def test_code_copy_button_copies_the_code(view: ChatView, qtbot: QtBot) -> None:
    view.upsert(answer(2, content="Try:\n\n```python\nprint('hi')\n```\n"))
    block = next(b for b in answer_row(view, 2).body.blocks if isinstance(b, CodeBlock))
    with qtbot.waitSignal(view.copy_requested) as sig:
        block.copy_button.click()
    assert QGuiApplication.clipboard().text() == "print('hi')"
    assert sig.args == [CopyIntent("print('hi')")]


def test_streaming_rerenders_only_the_tail(view: ChatView) -> None:
    paragraphs = "\n\n".join(f"Paragraph {i}: " + "word " * 60 for i in range(60))
    final = answer(2, content=paragraphs)
    view.upsert(replace(final, status="streaming", content=paragraphs[:5000]))
    body = answer_row(view, 2).body
    first = body.blocks[0]
    frozen = first.toPlainText()
    view.upsert(replace(final, status="streaming", content=paragraphs[:12000]))
    assert body.blocks[0] is first and first.toPlainText() == frozen
    view.upsert(final)
    assert body.blocks[0] is first
    assert "Paragraph 59" in body.blocks[-1].toPlainText()


def test_thinking_is_open_while_streaming_and_folds_when_done(view: ChatView) -> None:
    final = answer(2, content="The answer.", reasoning="Let me think. " * 10)
    view.upsert(replace(final, status="streaming", content="", reasoning="Let me"))
    thinking = answer_row(view, 2).parts["thinking"]
    assert thinking.expanded  # type: ignore[attr-defined]
    view.upsert(replace(final, status="streaming", content="The"))
    assert not thinking.expanded  # type: ignore[attr-defined]
    view.upsert(final)
    assert not thinking.expanded  # type: ignore[attr-defined]
    assert thinking.text == final.reasoning  # type: ignore[attr-defined]
    thinking.toggle.click()  # type: ignore[attr-defined]
    assert thinking.expanded  # type: ignore[attr-defined]


def test_typing_dots_until_the_first_token(view: ChatView) -> None:
    view.upsert(answer(2, status="streaming"))
    dots = answer_row(view, 2).parts["dots"]
    settle()
    assert dots.isVisibleTo(view)
    view.upsert(answer(2, status="streaming", content="Hi"))
    assert not dots.isVisibleTo(view)


def test_follow_up_chip_emits_its_text(view: ChatView, qtbot: QtBot) -> None:
    view.set_history([question(1, "q"), answer(2, content="a", follow_ups=["Next?", "Why?"])])
    chips = answer_row(view, 2).parts["follow_ups"].chips  # type: ignore[attr-defined]
    assert [c.text() for c in chips] == ["Next?", "Why?"]
    with qtbot.waitSignal(view.follow_up_clicked) as sig:
        chips[1].click()
    assert sig.args == [FollowUpIntent("Why?")]


def test_tool_card_shows_name_arguments_and_result(view: ChatView) -> None:
    tool = {"name": "天气查询", "arguments": '{"city": "北京"}', "output": '{"high": 18}'}
    view.upsert(answer(2, content="ok", tools=[tool]))
    card = answer_row(view, 2).tool_cards[0]
    assert "天气查询" in card.toggle.text()
    text = card.body.toPlainText()
    assert '"city": "北京"' in text and '"high": 18' in text


def test_error_bubble_explains_and_emits_intents(view: ChatView, qtbot: QtBot) -> None:
    error = {"status": 401, "code": 4100, "msg": "authentication is invalid",
             "log_id": "LOG123", "diagnosis": "auth_invalid"}
    view.set_history([question(1, "hi"), answer(2, status="failed", error=error, chat_id="C9")])
    panel = answer_row(view, 2).parts["error"]
    assert "access token" in panel.title.text()  # type: ignore[attr-defined]
    assert panel.fix.text()  # type: ignore[attr-defined]
    assert panel.details.text() == (  # type: ignore[attr-defined]
        "HTTP 401 · code 4100 · authentication is invalid · log id LOG123")
    for button, signal, payload in (
        (panel.retry_button, view.retry_requested, MessageIntent(2)),  # type: ignore[attr-defined]
        (panel.log_button, view.open_in_log_requested, LogIntent("LOG123", "C9")),  # type: ignore[attr-defined]
        (panel.diagnose_button, view.diagnose_requested, MessageIntent(2)),  # type: ignore[attr-defined]
    ):
        with qtbot.waitSignal(signal) as sig:
            button.click()
        assert sig.args == [payload]


def test_stopped_and_interrupted_badges_keep_partial_text(view: ChatView) -> None:
    view.set_history([answer(2, content="partial", status="stopped"),
                      answer(3, content="cut off", status="interrupted")])
    stopped, interrupted = answer_row(view, 2).footer, answer_row(view, 3).footer
    settle()
    assert stopped.badge.isVisibleTo(view) and stopped.badge.text() == "Stopped"
    assert interrupted.badge.text() == "Interrupted"
    assert answer_row(view, 3).body.text == "cut off"


def test_regenerate_and_edit_only_on_the_last_turn(view: ChatView, qtbot: QtBot) -> None:
    view.set_history([question(1, "a"), answer(2, content="A"), question(3, "b"),
                      answer(4, content="B")])
    settle()
    assert not answer_row(view, 2).action_bar.regenerate_button.isVisibleTo(view)
    last = answer_row(view, 4).action_bar
    assert last.regenerate_button.isVisibleTo(view)
    with qtbot.waitSignal(view.regenerate_requested) as sig:
        last.regenerate_button.click()
    assert sig.args == [MessageIntent(4)]
    edit = view.row_for(3).action_bar.edit_button  # type: ignore[union-attr]
    assert edit.isVisibleTo(view) and not view.row_for(1).action_bar.edit_button.isVisibleTo(view)  # type: ignore[union-attr]
    with qtbot.waitSignal(view.edit_requested) as sig:
        edit.click()
    assert sig.args == [MessageIntent(3)]


def test_log_id_copies_with_one_click(view: ChatView, qtbot: QtBot) -> None:
    view.upsert(answer(2, content="a", log_id="20261124ABC", usage={"token_count": 5}))
    footer = answer_row(view, 2).footer
    assert "20261124ABC" in footer.info.text() and "5 tokens" in footer.info.text()
    with qtbot.waitSignal(view.copy_requested):
        footer.info.linkActivated.emit("copy:log-id")
    assert QGuiApplication.clipboard().text() == "20261124ABC"


def test_notices_and_dividers(view: ChatView) -> None:
    view.set_history([question(1, "a"), StoredMessage(id=2, role="system", kind="divider")])
    view.add_notice("warning", "Keyring unavailable")
    texts = [w.label.text() for w in view.findChildren(MessageWidget) if hasattr(w, "label")]
    assert "Context cleared" in texts and any("Keyring unavailable" in t for t in texts)


def test_huge_history_builds_a_bounded_number_of_rows(view: ChatView) -> None:
    messages = [question(i, f"q{i}") if i % 2 else answer(i, content=f"**a{i}**")
                for i in range(1, 5001)]
    view.set_history(messages)
    assert view.message_count() == 5000
    assert view.row_count() == INITIAL_ROWS
    assert len(view.findChildren(MessageWidget)) == INITIAL_ROWS
    view.load_earlier()
    assert view.row_count() == INITIAL_ROWS + PAGE_ROWS
    view.upsert(answer(5000, content="updated"))
    assert answer_row(view, 5000).body.text == "updated"
    view.upsert(answer(1, content="not built yet"))  # an unbuilt row: stored, no widget
    assert view.row_for(1) is None


def _first_colour(block: CodeBlock) -> str:
    ranges = block.body.document().begin().layout().formats()
    return ranges[0].format.foreground().color().name()


def test_theme_switch_restyles_code(view: ChatView, qtbot: QtBot) -> None:
    view.upsert(answer(2, content="```python\nx = 1\n```\n"))
    block = next(b for b in answer_row(view, 2).body.blocks if isinstance(b, CodeBlock))
    qtbot.waitUntil(lambda: block.highlighted)
    before = _first_colour(block)
    view.set_palette_mode(True)
    qtbot.waitUntil(lambda: view._ctx.highlights.pending == 0)
    after = _first_colour(block)
    assert after != before
    view.retranslate()
    assert block.copy_button.text() == "Copy"

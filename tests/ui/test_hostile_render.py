"""Answers and pastes too big to lay out at once: long code blocks, long tables, 1 MB lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication, QTextTable

from desktop.storage import StoredMessage
from desktop.storage.parts import ErrorRecord
from desktop.ui.chat.composer import Composer
from desktop.ui.chat.render.bubble import AnswerWidget, QuestionWidget
from desktop.ui.chat.render.markdown_view import CodeBlock, ProseBlock
from desktop.ui.chat.render.panels import ErrorPanel
from desktop.ui.chat.render.segments import (
    CODE_SHOW_MAX_LINES,
    HARD_CHUNK_CHARS,
    SHOW_MAX_CHARS,
    TABLE_LANG,
    TABLE_MAX_ROWS,
    scan,
    segment_all,
)
from desktop.ui.chat.render.textview import FitBrowser
from desktop.ui.kit.intents import CopyIntent, SendIntent

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from desktop.ui.chat.render.segments import Segment
    from desktop.ui.chat.view import ChatView


def _answer(view: ChatView, qtbot: QtBot, content: str) -> list[object]:
    """Show ``content`` as a final answer; its blocks once everything is rendered."""
    view.upsert(StoredMessage(id=2, role="assistant", kind="answer", content=content))
    row = view.row_for(2)
    assert isinstance(row, AnswerWidget)
    qtbot.waitUntil(lambda: not view.is_busy() and not row.body.pending)
    return list(row.body.blocks)


def _table(rows: int) -> str:
    lines = "\n".join(f"| {i} | name {i} |" for i in range(rows))
    return f"Data:\n\n| # | name |\n|---|---|\n{lines}\n\nDone.\n"


def _scanned_in_steps(text: str, step: int) -> list[Segment]:
    """The segments ``scan`` settles as ``text`` arrives ``step`` characters at a time."""
    settled: list[Segment] = []
    end = 0
    for cut in range(0, len(text), step):
        result = scan(text[:cut], end)
        settled.extend(result.settled)
        end = result.end
    settled.extend(scan(text, end, final=True).settled)
    return settled


def test_a_huge_code_block_shows_its_head_and_copies_everything(
    view: ChatView, qtbot: QtBot
) -> None:
    code = "\n".join(f"x_{i} = {i}" for i in range(10_000))
    blocks = _answer(view, qtbot, f"Here:\n\n```python\n{code}\n```\n\nDone.\n")
    block = next(b for b in blocks if isinstance(b, CodeBlock))
    assert block.collapsed
    assert block.lines == 10_000
    shown = block.body.toPlainText().split("\n")
    assert len(shown) == CODE_SHOW_MAX_LINES
    assert shown[-1] == f"x_{CODE_SHOW_MAX_LINES - 1} = {CODE_SHOW_MAX_LINES - 1}"
    assert block.more.isVisible()
    assert "10,000" in block.more.text()
    assert not block.highlighted  # plain: colouring 10,000 lines would block the window
    with qtbot.waitSignal(view.copy_requested) as sig:
        block.copy_button.click()
    assert sig.args == [CopyIntent(code)]
    assert QGuiApplication.clipboard().text() == code


def test_a_short_code_block_is_whole_and_has_no_note(view: ChatView, qtbot: QtBot) -> None:
    code = "\n".join(f"x_{i} = {i}" for i in range(60))
    blocks = _answer(view, qtbot, f"Here:\n\n```python\n{code}\n```\n")
    block = next(b for b in blocks if isinstance(b, CodeBlock))
    assert not block.collapsed
    assert not block.more.isVisible()
    assert block.body.toPlainText() == code
    qtbot.waitUntil(lambda: block.highlighted)


def test_a_table_over_the_limit_is_preformatted_text(view: ChatView, qtbot: QtBot) -> None:
    text = _table(TABLE_MAX_ROWS * 5)
    blocks = _answer(view, qtbot, text)
    codes = [b for b in blocks if isinstance(b, CodeBlock)]
    assert len(codes) == 1
    table = codes[0]
    assert table.segment is not None
    assert table.segment.lang == TABLE_LANG
    assert table.body.toPlainText().startswith("| # | name |\n|---|---|\n| 0 | name 0 |")
    assert table.code.endswith(f"| {TABLE_MAX_ROWS * 5 - 1} | name {TABLE_MAX_ROWS * 5 - 1} |")
    prose = [b for b in blocks if isinstance(b, ProseBlock)]
    assert [b.toPlainText() for b in prose] == ["Data:", "Done."]
    assert not any(
        isinstance(frame, QTextTable)
        for b in prose
        for frame in b.document().rootFrame().childFrames()
    )


def test_a_short_table_is_still_a_table(view: ChatView, qtbot: QtBot) -> None:
    blocks = _answer(view, qtbot, _table(10))
    assert all(isinstance(b, ProseBlock) for b in blocks)
    frames = [f for b in blocks for f in b.document().rootFrame().childFrames()]
    assert any(isinstance(f, QTextTable) for f in frames)


def test_a_long_table_segments_the_same_while_streaming() -> None:
    text = _table(TABLE_MAX_ROWS * 3) + "\n".join(f"para {i}\n" for i in range(50))
    final = segment_all(text)
    assert _scanned_in_steps(text, 37) == final
    assert [s.lang for s in final if s.kind == "code"] == [TABLE_LANG]


def test_a_one_megabyte_line_is_pasted_as_a_marker_and_sent_whole(qtbot: QtBot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.show()
    line = "x" * 1_000_000
    mime = QMimeData()
    mime.setText(line)
    composer.edit.insertPlainText("see: ")
    composer.edit.insertFromMimeData(mime)
    shown = composer.edit.toPlainText()
    assert shown == "see: [Pasted text #1: 1,000,000 characters]"
    assert composer.text() == "see: " + line
    with qtbot.waitSignal(composer.send_requested) as sig:
        composer.send_button.click()
    assert sig.args == [SendIntent("see: " + line)]
    composer.clear()
    assert composer.text() == ""


def test_a_normal_paste_goes_in_as_text(qtbot: QtBot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    mime = QMimeData()
    mime.setText("hello\nworld")
    composer.edit.insertFromMimeData(mime)
    assert composer.edit.toPlainText() == "hello\nworld"
    assert composer.text() == "hello\nworld"


def _prose_text(blocks: list[object]) -> str:
    return "\n".join(b.toPlainText() for b in blocks if isinstance(b, ProseBlock))


def _images(blocks: list[object]) -> list[str]:
    out = []
    for b in blocks:
        if isinstance(b, ProseBlock):
            block = b.document().begin()
            while block.isValid():
                out.extend(
                    r.format.toImageFormat().name()
                    for r in block.textFormats()
                    if r.format.isImageFormat()
                )
                block = block.next()
    return out


@pytest.mark.parametrize(
    "tag",
    [
        '<img src="https://example.com/x.png">',
        '<link rel="stylesheet" href="https://example.com/x.css">',
        "<title>",
        "<textarea>",
        "<script>",
    ],
)
def test_raw_html_in_an_answer_is_shown_as_text(view: ChatView, qtbot: QtBot, tag: str) -> None:
    blocks = _answer(view, qtbot, f"Before {tag} after the tag.\n\nNext paragraph.\n")
    text = _prose_text(blocks)
    assert tag in text
    assert "after the tag." in text
    assert "Next paragraph." in text
    assert _images(blocks) == []


def test_an_html_block_is_shown_as_text(view: ChatView, qtbot: QtBot) -> None:
    blocks = _answer(view, qtbot, "<textarea>\nsecret form\n</textarea>\n\nStill here.\n")
    text = _prose_text(blocks)
    assert "<textarea>" in text
    assert "Still here." in text


def test_a_markdown_image_is_a_link_and_never_loaded(
    view: ChatView, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = tmp_path / "secret.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    asked: list[object] = []
    original = FitBrowser.loadResource

    def spy(self: FitBrowser, kind: int, name: object) -> object:
        asked.append(name)
        return original(self, kind, name)  # type: ignore[arg-type]

    monkeypatch.setattr(FitBrowser, "loadResource", spy)
    url = picture.as_uri()
    blocks = _answer(
        view, qtbot, f"Look: ![a chart]({url}) and ![pic](https://example.com/p.png)\n"
    )
    for b in blocks:
        if isinstance(b, ProseBlock):
            b.repaint()
    assert _images(blocks) == []
    text = _prose_text(blocks)
    assert "[a chart]" in text
    assert "[pic]" in text
    assert asked == []
    prose = next(b for b in blocks if isinstance(b, ProseBlock))
    hrefs = []
    block = prose.document().begin()
    while block.isValid():
        hrefs.extend(r.format.anchorHref() for r in block.textFormats() if r.format.isAnchor())
        block = block.next()
    assert hrefs == [url, "https://example.com/p.png"]


def test_a_code_block_of_one_huge_line_shows_its_beginning(view: ChatView, qtbot: QtBot) -> None:
    line = "y" * 1_000_000
    blocks = _answer(view, qtbot, f"```\n{line}\n```\n")
    block = next(b for b in blocks if isinstance(b, CodeBlock))
    assert block.collapsed
    assert block.body.toPlainText() == line[:SHOW_MAX_CHARS]
    assert "1,000,000" in block.more.text()
    with qtbot.waitSignal(view.copy_requested) as sig:
        block.copy_button.click()
    assert sig.args == [CopyIntent(line)]


def test_a_huge_question_shows_its_beginning_and_copies_whole(view: ChatView, qtbot: QtBot) -> None:
    text = "z" * 1_000_000
    view.upsert(StoredMessage(id=1, role="user", kind="question", content=text))
    row = view.row_for(1)
    assert isinstance(row, QuestionWidget)
    shown = row.text.toPlainText()
    assert shown.startswith("z" * 3_000)
    assert len(shown) < 20_000
    assert "1,000,000" in shown
    with qtbot.waitSignal(view.copy_requested) as sig:
        row.action_bar.copy_button.click()
    assert sig.args == [CopyIntent(text)]


def test_a_huge_paragraph_segments_the_same_while_streaming() -> None:
    text = "Intro.\n\n" + "word " * 10_000 + "\n\nAfter.\n"
    final = segment_all(text)
    assert [(s.kind, s.lang) for s in final] == [("prose", ""), ("code", ""), ("prose", "")]
    assert final[1].text == "word " * 10_000
    assert _scanned_in_steps(text, 997) == final


def test_html_in_a_server_error_message_is_shown_as_text(view: ChatView, qtbot: QtBot) -> None:
    msg = "<img src='file:///etc/passwd'><b>quota</b> exceeded"
    view.upsert(
        StoredMessage(
            id=2,
            role="assistant",
            kind="answer",
            status="failed",
            error=ErrorRecord(code=4100, msg=msg, status=400),
        )
    )
    row = view.row_for(2)
    assert isinstance(row, AnswerWidget)
    panel = row.parts["error"]
    assert isinstance(panel, ErrorPanel)
    assert msg in panel.details.text()
    assert panel.details.textFormat() == Qt.TextFormat.PlainText


def test_a_huge_list_is_cut_into_chunks_that_keep_their_numbers(
    view: ChatView, qtbot: QtBot
) -> None:
    items = "\n".join(f"{i + 1}. item {i}" for i in range(3_000))
    text = f"The list:\n\n{items}\n"
    final = segment_all(text)
    assert len(final) > 3
    assert all(len(s.text) <= HARD_CHUNK_CHARS + 100 for s in final)
    assert "".join(s.text for s in final) == text
    assert _scanned_in_steps(text, 501) == final
    blocks = _answer(view, qtbot, text)
    second = blocks[1]
    assert isinstance(second, ProseBlock)
    number = int(final[1].text.split(".", 1)[0])
    block = second.document().begin()
    while block.isValid() and block.textList() is None:
        block = block.next()
    text_list = block.textList()
    assert text_list is not None
    assert text_list.itemText(block) == f"{number}."

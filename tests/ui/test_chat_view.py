"""Behaviour of the chat view: history, streaming, sections, intents, badges, lazy building."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTranslator
from PySide6.QtGui import QGuiApplication, QTextBlock, QTextFormat, QTextTable
from PySide6.QtWidgets import QApplication, QWidget

from desktop.paths import resource_path
from desktop.storage import StoredMessage
from desktop.storage.parts import ErrorRecord, ToolRecord, UsageRecord
from desktop.ui.chat.render import highlighter, markdown_view
from desktop.ui.chat.render.bubble import AnswerWidget, MessageWidget, QuestionWidget
from desktop.ui.chat.render.embedded import EmbeddedCode, first_code_block
from desktop.ui.chat.render.highlighter import HOLD_GRACE_S, TokenSpans
from desktop.ui.chat.render.markdown_view import CodeBlock, ProseBlock
from desktop.ui.chat.render.segments import (
    CHUNK_CHARS,
    EMBED_MAX_LINES,
    Segment,
    last_cut,
    scan,
    segment_all,
    split_prose,
)
from desktop.ui.chat.render.styles import chat_style_sheet
from desktop.ui.chat.view import AHEAD_SCREENS, INITIAL_ROWS, PAGE_ROWS, SYNC_ROWS, ChatView
from desktop.ui.kit.intents import CopyIntent, FollowUpIntent, LogIntent, MessageIntent
from tests.ui.chat_layout import FrameSpy, settled
from tests.ui.shots import WEATHER_ANSWER, demo_messages

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


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
        view.upsert(
            replace(
                final,
                status="streaming",
                content="",
                reasoning=final.reasoning[:cut],
                follow_ups=[],
                usage=None,
            )
        )
    for i in range(1, steps + 1):
        cut = len(final.content) * i // steps
        view.upsert(
            replace(
                final, status="streaming", content=final.content[:cut], follow_ups=[], usage=None
            )
        )
    view.upsert(final)


def test_history_renders_one_row_per_message(view: ChatView, qtbot: QtBot) -> None:
    messages = demo_messages()
    view.set_history(messages)
    qtbot.waitUntil(lambda: not view.is_busy())
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
    tables = [
        f
        for b in prose
        for f in b.document().rootFrame().childFrames()
        if isinstance(f, QTextTable)
    ]
    assert len(tables) == 1
    assert tables[0].rows() == 4
    assert "晴转多云" in "".join(b.toPlainText() for b in prose)
    code = body.code_blocks()
    assert len(code) == 1
    assert isinstance(code[0], EmbeddedCode)
    assert code[0].closed
    assert len(body.blocks) == 1  # a short snippet is drawn inside its prose chunk
    assert code[0].code.startswith("import requests\n\ndef weather(city: str) -> dict:")
    assert "def weather(city: str) -> dict:" in body.blocks[0].toPlainText()
    qtbot.waitUntil(lambda: code[0].highlighted)  # off-screen blocks are coloured in the background
    assert _has_coloured_text(_code_lines(code[0]))


def _code_lines(code: CodeBlock | EmbeddedCode) -> list[QTextBlock]:
    """The document blocks showing ``code``'s lines."""
    if isinstance(code, CodeBlock):
        first, count = code.body.document().begin(), code.body.document().blockCount()
    else:
        first, count = first_code_block(code), code.code.count("\n") + 1  # type: ignore[assignment]
    out = []
    while first is not None and first.isValid() and len(out) < count:
        out.append(first)
        first = first.next()
    return out


def _has_coloured_text(blocks: list[QTextBlock]) -> bool:
    colours = set()
    for doc_block in blocks:
        for fmt in doc_block.layout().formats():
            colours.add(fmt.format.foreground().color().name())
    return len(colours) >= 3


def _click_copy_link(prose: ProseBlock, code: EmbeddedCode, qtbot: QtBot) -> None:
    """Click the "Copy" link in ``code``'s header like a user would."""
    assert code.frame is not None
    header = code.frame.childFrames()[0].firstCursorPosition().block()
    offset = header.text().index("\t") + 2  # inside the link text
    line = header.layout().lineForTextPosition(offset)
    rect = prose.document().documentLayout().blockBoundingRect(header)
    pos = QPoint(
        int(rect.x() + line.cursorToX(offset)[0]), int(rect.y() + line.y() + line.height() / 2)
    )
    assert prose.anchorAt(pos) == f"copy:{code.index}"
    qtbot.mouseClick(prose.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_code_copy_link_copies_the_code(view: ChatView, qtbot: QtBot) -> None:
    view.upsert(answer(2, content="Try:\n\n```python\nprint('hi')\n```\n\nand\n\n```\nls\n```\n"))
    body = answer_row(view, 2).body
    settle()
    prose = body.blocks[0]
    assert isinstance(prose, ProseBlock)
    assert len(body.blocks) == 1
    first, second = body.code_blocks()
    assert isinstance(first, EmbeddedCode)
    assert isinstance(second, EmbeddedCode)
    with qtbot.waitSignal(view.copy_requested) as sig:
        _click_copy_link(prose, second, qtbot)
    assert QGuiApplication.clipboard().text() == "ls"
    assert sig.args == [CopyIntent("ls")]
    with qtbot.waitSignal(view.copy_requested) as sig:
        _click_copy_link(prose, first, qtbot)
    assert sig.args == [CopyIntent("print('hi')")]
    assert _header_text(first).endswith("Copied")
    qtbot.waitUntil(lambda: _header_text(first).endswith("Copy"), timeout=3000)
    assert _header_text(first).startswith("Python")


def _header_text(code: EmbeddedCode) -> str:
    assert code.frame is not None
    return code.frame.childFrames()[0].firstCursorPosition().block().text()


def test_long_code_gets_its_own_block_with_a_copy_button(view: ChatView, qtbot: QtBot) -> None:
    code = "\n".join(f"def f{i}(): return 'v' + str({i})  # step" for i in range(40))
    view.upsert(answer(2, content=f"Try:\n\n```python\n{code}\n```\n\nDone.\n"))
    body = answer_row(view, 2).body
    qtbot.waitUntil(lambda: not view.is_busy() and not body.pending)  # off-screen parts later
    assert [type(b) for b in body.blocks] == [ProseBlock, CodeBlock, ProseBlock]
    block = body.blocks[1]
    assert isinstance(block, CodeBlock)
    assert block.code == code
    with qtbot.waitSignal(view.copy_requested) as sig:
        block.copy_button.click()
    assert QGuiApplication.clipboard().text() == code
    assert sig.args == [CopyIntent(code)]
    qtbot.waitUntil(lambda: block.highlighted)
    assert _has_coloured_text(_code_lines(block))


def test_a_code_fence_on_its_way_never_shows_as_backticks(view: ChatView, qtbot: QtBot) -> None:
    """A closing fence arrives a backtick at a time: until its line is complete it is not shown
    (it was, for a frame, at the end of the code); nor is an opening one in the prose."""
    view.upsert(question(1, "code?"))
    head = "Here:\n\n```python\nprint(1)\n"
    for tail in ("`", "``", "```"):
        view.upsert(answer(2, content=head + tail, status="streaming"))
        qtbot.waitUntil(lambda: not view.is_busy())
        body = answer_row(view, 2).body
        (code,) = body.code_blocks()
        assert code.code == "print(1)"
        assert "`" not in body.blocks[0].toPlainText()
    view.upsert(answer(2, content="Here:\n\n~~~python\nprint(1)\n~~", status="streaming"))
    qtbot.waitUntil(lambda: not view.is_busy())
    (code,) = answer_row(view, 2).body.code_blocks()
    assert code.code == "print(1)"
    for nested in ("- a step:\n\n  ```python\n  print(1)\n  ``", "> ```python\n> print(1)\n> ``"):
        view.upsert(answer(2, content=f"Here:\n\n{nested}", status="streaming"))
        qtbot.waitUntil(lambda: not view.is_busy())
        shown = answer_row(view, 2).body.blocks[0].toPlainText()
        assert "print(1)" in shown
        assert "``" not in shown
    view.upsert(answer(2, content=head + "```\n\nDone.\n\n``", status="streaming"))
    qtbot.waitUntil(lambda: not view.is_busy())
    assert answer_row(view, 2).body.blocks[0].toPlainText().rstrip().endswith("Done.")
    view.upsert(answer(2, content=head + "```\n\nDone. ``x``"))  # final: all of it
    qtbot.waitUntil(lambda: not view.is_busy())
    body = answer_row(view, 2).body
    (code,) = body.code_blocks()
    assert code.closed
    assert code.code == "print(1)"
    assert body.text.endswith("Done. ``x``")


def test_segments_while_streaming_match_the_final_segmentation() -> None:
    long_code = "\n".join(f"    step({i})" for i in range(EMBED_MAX_LINES + 5))
    text = (
        "\n\n".join(
            [f"Paragraph {i}: " + "word " * 40 for i in range(30)]
            + [
                "```python\nshort()\n```",
                "- a\n- b",
                f"```python\n{long_code}\n```",
                "~~~\nx\n~~~",
                "| a | b |\n|---|---|\n| 1 | 2 |",
            ]
            + [f"More {i}: " + "text " * 50 for i in range(30)]
        )
        + "\n"
    )
    final = segment_all(text)
    assert [s.kind for s in final].count("code") == 1  # only the long block stands alone
    assert "".join(s.text for s in final if s.kind == "prose").count("short()") == 1
    for step in (7, 301, 2999):
        settled, end = [], 0
        for cut in range(step, len(text) + step, step):
            result = scan(text[:cut], end)
            settled += result.settled
            end = result.end
        assert settled + scan(text, end, final=True).settled == final
    parts = split_prose("Hi\n\n```py\nx = 1\n```\nmore\n\n```\nopen")
    assert [(p.text, p.lang, p.closed) for p in parts] == [
        ("Hi\n\n", None, True),
        ("x = 1", "py", True),
        ("more\n\n", None, True),
        ("open", "", False),
    ]


def test_streaming_rerenders_only_the_tail(view: ChatView, qtbot: QtBot) -> None:
    paragraphs = "\n\n".join(f"Paragraph {i}: " + "word " * 60 for i in range(60))
    final = answer(2, content=paragraphs)
    # one settled chunk and the tail, both in view
    view.upsert(replace(final, status="streaming", content=paragraphs[: CHUNK_CHARS + 800]))
    body = answer_row(view, 2).body
    index = 0
    first = body.blocks[index]
    frozen = first.toPlainText()
    view.upsert(replace(final, status="streaming", content=paragraphs[:12000]))
    assert body.blocks[index] is first
    assert first.toPlainText() == frozen
    view.upsert(final)
    qtbot.waitUntil(lambda: not view.is_busy())
    assert body.blocks[index] is first
    assert "Paragraph 59" in body.blocks[-1].toPlainText()


def test_the_segment_scan_keeps_up_while_frames_wait(
    view: ChatView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text that arrives while a streaming frame waits its turn is scanned on arrival, so the
    final text leaves only its tail to scan (in the window's last, busiest moment)."""
    monkeypatch.setattr(markdown_view, "_CHEAP_FRAME_S", -1.0)  # every frame counts as costly,
    monkeypatch.setattr(markdown_view, "FRAME_SPACING", 1e6)  # so the next one waits the
    monkeypatch.setattr(markdown_view, "FAST_FRAME_SPACING", 1e6)  # longest gap,
    monkeypatch.setattr(markdown_view, "MAX_FRAME_GAP_S", 60.0)  # here a minute
    scanned: list[tuple[int, bool]] = []
    real_scan = markdown_view.scan

    def counting_scan(text: str, start: int = 0, *, final: bool = False) -> Any:
        scanned.append((len(text) - start, final))
        return real_scan(text, start, final=final)

    monkeypatch.setattr(markdown_view, "scan", counting_scan)
    paragraphs = "\n\n".join(f"Paragraph {i}: " + "word " * 60 for i in range(120))
    final = answer(2, content=paragraphs)
    view.upsert(replace(final, status="streaming", content=paragraphs[:2000]))  # a frame
    qtbot.waitUntil(lambda: not view.is_busy())
    view.upsert(replace(final, status="streaming", content=paragraphs[:30000]))  # waits
    body = answer_row(view, 2).body
    assert body.busy  # its frame waits
    view.upsert(final)
    qtbot.waitUntil(lambda: not view.is_busy())
    last_scan, was_final = scanned[-1]
    assert was_final
    # what came after the waiting update, and that update's open tail (a chunk at most, and
    # the paragraph that ended it); without the scan on arrival, all but the first frame's
    assert last_scan <= len(paragraphs) - 30000 + 2 * CHUNK_CHARS
    assert body.text == paragraphs


def test_a_streaming_answer_gets_its_prose_widgets_made_between_frames(
    view: ChatView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text browser a new segment needs (about 1 ms to build) is made while the stream
    waits, not inside the frame that shows the segment; none is left over at the end."""
    made: list[str] = []
    real_init = ProseBlock.__init__

    def counting_init(self: ProseBlock, *args: Any, **kwargs: Any) -> None:
        made.append("prose")
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(ProseBlock, "__init__", counting_init)
    final = answer(2, content="First part.\n\n" + "word " * 50)
    view.upsert(replace(final, status="streaming", content=""))  # the turn started
    qtbot.waitUntil(lambda: len(made) == 1)  # made in a coming pass of the event loop
    body = answer_row(view, 2).body
    assert body.blocks == []
    shown = body.isVisible()
    body.hide()
    body.show()  # showing the text (again) does not show the widget held in reserve
    assert [w for w in body.findChildren(ProseBlock) if w.isVisible()] == []
    body.setVisible(shown)
    view.upsert(replace(final, status="streaming", content="First part."))
    assert len(made) == 1  # the frame used the widget made before
    assert isinstance(body.blocks[0], ProseBlock)
    qtbot.waitUntil(lambda: len(made) == 2)  # and the next one, after this frame
    view.upsert(final)
    qtbot.waitUntil(lambda: not view.is_busy())
    assert body.blocks[0].toPlainText().startswith("First part.")
    qtbot.waitUntil(lambda: len(body.findChildren(ProseBlock)) == len(body.blocks))


def test_an_answer_streamed_while_its_chat_is_hidden_shows_when_the_chat_does(
    view: ChatView, qtbot: QtBot
) -> None:
    final = answer(2, content="Shown later.")
    view.upsert(replace(final, status="streaming", content=""))
    body = answer_row(view, 2).body
    qtbot.waitUntil(lambda: len(body.findChildren(ProseBlock)) == 1)  # one held in reserve
    view.hide()  # another page, or a comparison's tab not chosen
    view.upsert(final)
    qtbot.waitUntil(lambda: not view.is_busy() and len(body.blocks) == 1)
    view.show()
    qtbot.waitUntil(lambda: body.blocks[0].isVisible())
    assert body.blocks[0].toPlainText() == "Shown later."


def test_a_chunk_is_cut_only_where_both_sides_render_as_the_whole_does() -> None:
    text = "Intro\n\n- a\n\n- b\n\n```py\nx\n\nnot here\n```\n\n| a |\n\n    code\n\nHere\n\nunfin"
    assert last_cut(text) == text.index("Here")
    head = text[: text.index("Here") + 3]  # "Her": a line not finished may still become "- x"
    assert last_cut(head) == 0  # nothing else qualifies: a list item, inside the fence, a row,
    assert last_cut("\n\nText\nmore") == 0  # an indent; a line with nothing before it
    assert last_cut("A\n\nB\n\nC\n", 3) == 6  # from an earlier cut on
    assert last_cut("A\n\nB\n", 3) == 3


def _prose_block(colors_dark: bool = False) -> ProseBlock:
    from desktop.ui.chat.render.context import RenderContext
    from desktop.ui.kit.theme import chat_colors

    owner = QWidget()
    ctx = RenderContext(chat_colors(QApplication.palette(), colors_dark), lambda *_a: None, owner)
    block = ProseBlock(ctx)
    block._owner = owner  # type: ignore[attr-defined]  (keeps the context's owner alive)
    block.destroyed.connect(owner.deleteLater)  # and its highlight queue, no longer than the block
    block.resize(420, 100)
    block.show()
    return block


GROWING = "".join(
    f"## Part {n}\n\nSome **bold** prose with `code` and [a link](https://www.coze.cn). 中文。\n\n"
    f"- item {n}.1\n- item {n}.2\n\n```python\ndef part_{n}() -> int:\n    return {n}\n```\n\n"
    f"> quoted {n}\n\n| k | v |\n| --- | --- |\n| n | {n} |\n\n"
    for n in range(12)
)


def test_a_growing_chunk_redraws_only_what_follows_its_last_cut(qtbot: QtBot) -> None:
    block = _prose_block()
    qtbot.addWidget(block)
    changes: list[int] = []
    block.document().contentsChange.connect(lambda pos, _removed, _added: changes.append(pos))
    for end in range(40, len(GROWING), 37):
        block.show_segment(Segment("prose", GROWING[:end]), False)
    assert GROWING.startswith(block._kept.text)
    assert len(block._kept.text) > len(GROWING) // 2
    changes.clear()
    block.show_segment(Segment("prose", GROWING[: len(GROWING) - 5]), False)
    assert changes
    assert min(changes) >= block.document().find("Part 10").position() - 20
    block.show_segment(Segment("prose", GROWING), True)
    whole = _prose_block()
    qtbot.addWidget(whole)
    whole.show_segment(Segment("prose", GROWING), True)
    assert block.document().toHtml() == whole.document().toHtml()
    assert block.height() == whole.height()
    assert [c.index for c in block.codes] == list(range(12))
    first = block.codes[0]  # drawn long ago, before the cut: coloured and still copyable
    qtbot.waitUntil(lambda: _has_coloured_text(_code_lines(first)))
    _click_copy_link(block, first, qtbot)
    assert QGuiApplication.clipboard().text() == first.code


def test_a_chunk_cut_where_it_ends_has_no_empty_line_at_its_end(qtbot: QtBot) -> None:
    settled = "First paragraph.\n\nSecond paragraph.\n\n"
    block = _prose_block()
    qtbot.addWidget(block)
    block.show_segment(Segment("prose", settled + "Third, the next chunk's start.\n"), False)
    assert block._kept.text == settled
    block.show_segment(Segment("prose", settled), True)  # the chunk ends at that cut
    whole = _prose_block()
    qtbot.addWidget(whole)
    whole.show_segment(Segment("prose", settled), True)
    assert block.document().toHtml() == whole.document().toHtml()
    assert block.document().blockCount() == 2


def test_a_final_chunk_drawn_afresh_matches_the_chunk_streamed_to_its_end(qtbot: QtBot) -> None:
    streamed = _prose_block()
    qtbot.addWidget(streamed)
    for end in range(50, len(GROWING) + 50, 50):
        streamed.show_segment(Segment("prose", GROWING[:end]), end >= len(GROWING))
    fresh = _prose_block()  # history: the final text only, drawn in one go
    qtbot.addWidget(fresh)
    fresh.show_segment(Segment("prose", GROWING), True)
    assert fresh.document().toHtml() == streamed.document().toHtml()
    assert len(fresh.codes) == len(streamed.codes) == 12


def test_a_theme_switch_draws_the_whole_chunk_again(qtbot: QtBot) -> None:
    block = _prose_block()
    qtbot.addWidget(block)
    for end in range(50, len(GROWING) + 50, 50):
        block.show_segment(Segment("prose", GROWING[:end]), end >= len(GROWING))
    block._ctx.colors = _prose_block(colors_dark=True)._ctx.colors
    block.rerender()
    dark = _prose_block(colors_dark=True)
    qtbot.addWidget(dark)
    dark.show_segment(Segment("prose", GROWING), True)
    assert block.document().toHtml() == dark.document().toHtml()


def _rendered(body: Any) -> list[tuple[str, str]]:
    return [
        (type(b).__name__, b.toPlainText() if isinstance(b, ProseBlock) else b.code)
        for b in body.blocks
    ]


def test_final_render_matches_a_fresh_render(view: ChatView, qtbot: QtBot) -> None:
    long_code = "\n".join(f"line_{i} = {i}" for i in range(45))
    text = (
        "\n\n".join(
            [f"Paragraph {i}: " + "word " * 50 for i in range(40)]
            + [
                "```python\nshort()\n```",
                f"```python\n{long_code}\n```",
                "| a | b |\n|---|---|\n| 1 | 2 |",
            ]
            + [f"More {i}: " + "text " * 50 for i in range(40)]
        )
        + "\n"
    )
    stream(view, answer(2, content=text), steps=25)
    body = answer_row(view, 2).body
    qtbot.waitUntil(lambda: not body.busy and not body.pending)
    fresh = ChatView()
    qtbot.addWidget(fresh)
    fresh.resize(900, 700)
    fresh.set_history([answer(2, content=text)])
    fresh_body = answer_row(fresh, 2).body
    qtbot.waitUntil(lambda: not fresh_body.busy)
    assert _rendered(body) == _rendered(fresh_body)
    view.upsert(answer(2, content=text + "\nA last paragraph.\n"))  # a final text that grew
    qtbot.waitUntil(lambda: not body.busy and not body.pending)
    fresh.set_history([answer(2, content=text + "\nA last paragraph.\n")])
    fresh_body = answer_row(fresh, 2).body
    qtbot.waitUntil(lambda: not fresh_body.busy)
    assert _rendered(body) == _rendered(fresh_body)


def test_final_snapshot_with_the_streamed_text_renders_nothing_again(
    view: ChatView, qtbot: QtBot
) -> None:
    text = "\n\n".join(f"Paragraph {i}: " + "word " * 60 for i in range(30)) + "\n"
    view.upsert(answer(2, content=text, status="streaming"))
    body = answer_row(view, 2).body
    qtbot.waitUntil(lambda: not body.busy)
    rendered = [(b, b.document().revision()) for b in body.blocks if isinstance(b, ProseBlock)]
    assert rendered
    view.upsert(answer(2, content=text))
    # the blocks far from the viewport may be rendered in coming slices (a slow machine)
    qtbot.waitUntil(lambda: all(b.final for b in body.blocks))
    assert all(b in body.blocks for b, _ in rendered)  # kept, not made again
    assert [b.document().revision() for b, _ in rendered] == [rev for _, rev in rendered]


def test_highlighting_yields_to_a_stream(view: ChatView, qtbot: QtBot) -> None:
    queue = view._ctx.highlights
    settle()
    done: list[float] = []
    queue.hold(10.0)  # a stream is rendering
    start = time.perf_counter()
    queue.submit(view, "x = 1", "python", False, lambda _lines: done.append(time.perf_counter()))
    qtbot.waitUntil(lambda: bool(done), timeout=3000)  # on screen long enough: coloured anyway
    assert done[0] - start >= HOLD_GRACE_S
    hidden = QWidget()  # off screen: background work waits for the end of the stream
    queue.submit(hidden, "y = 2", "python", False, lambda _lines: done.append(0.0))
    # Time is what is tested here: past the grace that gets an on-screen block coloured during
    # a stream, an off-screen one is still waiting.
    qtbot.wait(round(HOLD_GRACE_S * 1000) + 50)
    assert len(done) == 1
    assert queue.pending == 1
    queue.release()
    qtbot.waitUntil(lambda: len(done) == 2, timeout=3000)


def test_a_streams_end_colours_the_code_it_shows_before_the_code_it_pushed_away(
    view: ChatView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(markdown_view, "_HOLD_S", 60.0)  # a slow machine's stream: still held
    monkeypatch.setattr(highlighter, "HOLD_GRACE_S", 60.0)
    queue = view._ctx.highlights
    warm = TokenSpans("x = 1", "python", False)  # its grammar loaded: lexing is a slice's work
    while not warm.step(time.perf_counter() + 1):
        pass
    coloured: list[str] = []
    submit = queue.submit

    def recording(owner: object, code: str, lang: str, dark: bool, done: Any) -> None:
        submit(owner, code, lang, dark, lambda lines: (coloured.append(code), done(lines)))

    monkeypatch.setattr(queue, "submit", recording)
    pushed, shown = "pushed_away = 1", "shown_last = 2"
    intro = "\n\n".join(f"Intro {i}: " + "word " * 60 for i in range(12))
    streamed = f"{intro}\n\n```python\n{pushed}\n```\n\nAnd then"
    view.upsert(answer(2, content=streamed, status="streaming"))
    body = answer_row(view, 2).body
    qtbot.waitUntil(lambda: not body.busy)
    (held,) = body.code_blocks()
    assert held.code.strip() == pushed
    assert not coloured  # the stream holds its colouring
    qtbot.waitUntil(lambda: not held.widget.visibleRegion().isEmpty())  # laid out, on screen
    more = "\n\n".join(f"Paragraph {i}: " + "word " * 60 for i in range(30))
    view.upsert(answer(2, content=f"{streamed}\n\n{more}\n\n```python\n{shown}\n```\n"))
    qtbot.waitUntil(lambda: shown in "".join(coloured))
    assert not any(pushed in code for code in coloured)  # off screen now: later, in the background
    qtbot.waitUntil(lambda: any(pushed in code for code in coloured), timeout=5000)


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
    tool = ToolRecord(name="天气查询", arguments='{"city": "北京"}', output='{"high": 18}')
    view.upsert(answer(2, content="ok", tools=[tool]))
    card = answer_row(view, 2).tool_cards[0]
    assert "天气查询" in card.toggle.text()
    text = card.body.toPlainText()
    assert '"city": "北京"' in text
    assert '"high": 18' in text


def bubble_painted(view: ChatView, message_id: int) -> bool:
    """Whether an answer's bubble paints its own background (a transparent one does not)."""
    image = answer_row(view, message_id).bubble.grab().toImage()
    return image.pixelColor(1, 1).alpha() > 0


def test_an_error_without_text_is_the_bare_panel_built_or_turned(
    view: ChatView, qtbot: QtBot
) -> None:
    """The "error" variant takes the bubble away, for a row built as an error (from history)
    and for one that turns into an error after it was shown (a live turn that failed)."""
    error = ErrorRecord(status=401, code=4100, msg="authentication is invalid")
    view.set_history([answer(1, content="fine"), answer(2, status="failed", error=error)])
    view.upsert(answer(3, status="streaming", content=""))
    qtbot.waitUntil(lambda: not view.is_busy())
    settle()
    assert bubble_painted(view, 1)
    assert bubble_painted(view, 3)  # streaming: a bubble like any answer's
    assert not bubble_painted(view, 2)
    view.upsert(answer(3, status="failed", error=error))
    settle()
    assert not bubble_painted(view, 3)


def test_error_bubble_explains_and_emits_intents(view: ChatView, qtbot: QtBot) -> None:
    error = ErrorRecord(
        status=401,
        code=4100,
        msg="authentication is invalid",
        log_id="LOG123",
        diagnosis="auth_invalid",
    )
    view.set_history([question(1, "hi"), answer(2, status="failed", error=error, chat_id="C9")])
    panel = answer_row(view, 2).parts["error"]
    assert "access token" in panel.title.text()  # type: ignore[attr-defined]
    assert panel.fix.text()  # type: ignore[attr-defined]
    assert panel.details.text() == (  # type: ignore[attr-defined]
        "HTTP 401 · code 4100 · authentication is invalid · log id LOG123"
    )
    for button, signal, payload in (
        (panel.retry_button, view.retry_requested, MessageIntent(2)),  # type: ignore[attr-defined]
        (panel.log_button, view.open_in_log_requested, LogIntent("LOG123", "C9")),  # type: ignore[attr-defined]
        (panel.diagnose_button, view.diagnose_requested, MessageIntent(2)),  # type: ignore[attr-defined]
    ):
        with qtbot.waitSignal(signal) as sig:
            button.click()
        assert sig.args == [payload]


def test_stopped_and_interrupted_badges_keep_partial_text(view: ChatView) -> None:
    view.set_history(
        [
            answer(2, content="partial", status="stopped"),
            answer(3, content="cut off", status="interrupted"),
        ]
    )
    stopped, interrupted = answer_row(view, 2).footer, answer_row(view, 3).footer
    settle()
    assert stopped.badge.isVisibleTo(view)
    assert stopped.badge.text() == "Stopped"
    assert interrupted.badge.text() == "Interrupted"
    assert answer_row(view, 3).body.text == "cut off"


def test_regenerate_and_edit_only_on_the_last_turn(view: ChatView, qtbot: QtBot) -> None:
    view.set_history(
        [question(1, "a"), answer(2, content="A"), question(3, "b"), answer(4, content="B")]
    )
    settle()
    assert not answer_row(view, 2).action_bar.regenerate_button.isVisibleTo(view)
    last = answer_row(view, 4).action_bar
    assert last.regenerate_button.isVisibleTo(view)
    with qtbot.waitSignal(view.regenerate_requested) as sig:
        last.regenerate_button.click()
    assert sig.args == [MessageIntent(4)]
    edit = view.row_for(3).action_bar.edit_button  # type: ignore[union-attr]
    assert edit.isVisibleTo(view)
    assert not view.row_for(1).action_bar.edit_button.isVisibleTo(view)  # type: ignore[union-attr]
    with qtbot.waitSignal(view.edit_requested) as sig:
        edit.click()
    assert sig.args == [MessageIntent(3)]


def test_the_last_question_built_by_load_earlier_can_be_edited(
    view: ChatView, qtbot: QtBot
) -> None:
    # one question, then more answer messages than the view builds at first (a chatflow that
    # answers in many messages): the question's row comes with "Load earlier"
    answers = [answer(i, content=f"part {i}") for i in range(2, INITIAL_ROWS + 12)]
    view.set_history([question(1, "the only question"), *answers])
    qtbot.waitUntil(lambda: settled(view))
    assert view.row_for(1) is None
    view.load_earlier()
    qtbot.waitUntil(lambda: view.row_for(1) is not None)
    edit = view.row_for(1).action_bar.edit_button  # type: ignore[union-attr]
    assert edit.isVisibleTo(view)  # the last question, wherever it sits


def test_log_id_copies_with_one_click(view: ChatView, qtbot: QtBot) -> None:
    view.upsert(answer(2, content="a", log_id="20261124ABC", usage=UsageRecord(token_count=5)))
    footer = answer_row(view, 2).footer
    assert "20261124ABC" in footer.info.text()
    assert "5 tokens" in footer.info.text()
    with qtbot.waitSignal(view.copy_requested):
        footer.info.linkActivated.emit("copy:log-id")
    assert QGuiApplication.clipboard().text() == "20261124ABC"


def test_a_complete_answer_whose_stream_ended_early_says_so(view: ChatView) -> None:
    early = ErrorRecord(diagnosis="stream_ended_early", log_id="L1")
    view.upsert(answer(2, content="The whole answer.", error=early))
    row = answer_row(view, 2)
    assert "stream ended early" in row.footer.info.text()
    assert not row.footer.badge.isVisibleTo(view)  # not marked interrupted: the answer is whole
    assert "error" not in row.parts  # and not shown as a failure
    assert row.body.text == "The whole answer."


def test_an_interrupted_answer_says_why_and_offers_retry(view: ChatView, qtbot: QtBot) -> None:
    cut = ErrorRecord(diagnosis="stream_cut", msg="peer closed connection", log_id="L7")
    view.set_history([question(1, "q"), answer(2, content="Half an", status="interrupted",
                                                 error=cut)])  # fmt: skip
    row = answer_row(view, 2)
    assert row.footer.badge.text() == "Interrupted"
    reason = row.footer.info.text()
    assert "cut off" in reason or "ended" in reason  # the diagnosis, not just a badge
    assert "peer closed connection" in reason  # the facts, in the tooltip
    button = row.action_bar.regenerate_button
    assert button.isVisibleTo(view)
    assert button.text() == "Retry"
    with qtbot.waitSignal(view.regenerate_requested) as sent:
        button.click()
    assert sent.args[0].message_id == 2


def test_notices_and_dividers(view: ChatView) -> None:
    view.set_history([question(1, "a"), StoredMessage(id=2, role="system", kind="divider")])
    view.add_notice("warning", "Keyring unavailable")
    texts = [w.label.text() for w in view.findChildren(MessageWidget) if hasattr(w, "label")]
    assert "Context cleared" in texts
    assert any("Keyring unavailable" in t for t in texts)


def test_huge_history_builds_a_bounded_number_of_rows(view: ChatView, qtbot: QtBot) -> None:
    messages = [
        question(i, f"q{i}") if i % 2 else answer(i, content=f"**a{i}**") for i in range(1, 5001)
    ]
    view.set_history(messages)
    assert view.message_count() == 5000
    assert view.row_count() == SYNC_ROWS  # a screenful now, the rest in idle slices
    qtbot.waitUntil(lambda: not view.is_busy())
    built = view.row_count()
    assert SYNC_ROWS < built <= INITIAL_ROWS
    assert len(view.findChildren(MessageWidget)) == built
    view.load_earlier()
    assert view.row_count() == built + PAGE_ROWS
    view.upsert(answer(5000, content="updated"))
    assert answer_row(view, 5000).body.text == "updated"
    view.upsert(answer(1, content="not built yet"))  # an unbuilt row: stored, no widget
    assert view.row_for(1) is None


def long_history(count: int) -> list[StoredMessage]:
    return [
        question(i, f"q{i} " * 40) if i % 2 else answer(i, content=f"**a{i}** " * 80)
        for i in range(1, count + 1)
    ]


def test_history_is_built_in_slices_below_the_fold(view: ChatView, qtbot: QtBot) -> None:
    messages = long_history(100)
    view.set_history(messages)
    button = view.findChild(QWidget, "loadEarlier")
    assert view.row_for(100) is not None
    assert view.row_for(100 - SYNC_ROWS) is None
    assert view.is_busy()
    assert "60 more" in button.text()  # rows being built are not "earlier"
    qtbot.waitUntil(lambda: not view.is_busy())
    settle()
    bar = view._scroll.verticalScrollBar()
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum()  # still at the newest message
    # two screenfuls above the viewport are built; the rest of the newest 40 wait for the reader
    assert bar.value() >= AHEAD_SCREENS * view._viewport.height()
    assert view.row_for(100 - INITIAL_ROWS + 1) is None
    assert view.row_for(60) is None
    assert "60 more" in button.text()
    view.set_history(messages[:3])  # a new history cancels the old one's pending rows
    assert view.row_count() == 3
    assert not view.is_busy()


def row_at(view: ChatView, value: int) -> tuple[QWidget, int]:
    """The row at the top of the viewport were it scrolled to ``value``, and its offset."""
    for message_id in sorted(view._rows):
        row = view._rows[message_id]
        if row.y() + row.height() > value:
            return row, row.y() - value
    raise AssertionError("no row there")


def short_questions(count: int) -> list[StoredMessage]:
    """Question rows: laid out when built (an answer's text is laid out later, from an
    estimate), so nothing but rows built above can move the view."""
    return [question(i, f"q{i}") for i in range(1, count + 1)]


def test_rows_above_are_built_as_the_reader_scrolls_up_to_them(
    view: ChatView, qtbot: QtBot
) -> None:
    view.set_history(short_questions(100))
    qtbot.waitUntil(lambda: settled(view))
    bar = view._scroll.verticalScrollBar()
    first = view.row_count()
    assert first < INITIAL_ROWS
    screen = view._viewport.height()
    for _ in range(INITIAL_ROWS):  # scroll up a screenful at a time, as a reader would
        if view.row_count() == INITIAL_ROWS:
            break
        value = max(1, bar.value() - screen)
        row, offset = row_at(view, value)
        bar.setValue(value)
        frames = FrameSpy(view.window(), lambda: row.y() - bar.value())  # noqa: B023
        qtbot.waitUntil(lambda: settled(view))
        assert row.y() - bar.value() == offset  # what the reader sees stays put
        assert all(seen == offset for seen in frames.seen), frames.seen  # in every frame
        frames.stop()
        if view.row_count() < INITIAL_ROWS:
            assert bar.value() >= AHEAD_SCREENS * screen  # the lead is two screenfuls again
    assert view.row_count() == INITIAL_ROWS  # the newest 40, then "Load earlier"
    button = view.findChild(QWidget, "loadEarlier")
    assert button.isVisible()
    assert "60 more" in button.text()
    assert view.row_count() > first


def test_a_readers_scroll_while_rows_are_built_above_is_kept(
    view: ChatView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the view holds what the reader sees for a moment after building rows above (here: until
    # the test ends); the content growing below meanwhile must not take the reader back to
    # where the build began
    monkeypatch.setattr(view, "_drop_anchor", lambda: None)
    view.set_history(short_questions(100))
    qtbot.waitUntil(lambda: settled(view))
    bar = view._scroll.verticalScrollBar()
    built = view.row_count()
    bar.setValue(max(1, bar.value() - view._viewport.height()))
    qtbot.waitUntil(lambda: view.row_count() > built and settled(view))
    bar.setValue(bar.value() - 40)  # the reader scrolls on
    row, offset = row_at(view, bar.value())
    high = bar.maximum()
    view.upsert(question(101, "q101 " * 400))  # a row below the viewport: the range grows
    qtbot.waitUntil(lambda: bar.maximum() > high and settled(view))
    assert row.y() - bar.value() == offset


def test_going_to_an_unbuilt_message_builds_the_rows_down_to_it(
    view: ChatView, qtbot: QtBot
) -> None:
    view.set_history(long_history(100))
    qtbot.waitUntil(lambda: not view.is_busy())
    assert view.row_for(50) is None
    assert view.scroll_to_message(50)
    row = view.row_for(50)
    assert row is not None
    assert all(view.row_for(i) is not None for i in range(50, 101))

    def shown() -> bool:
        top = row.mapTo(view._viewport, QPoint(0, 0)).y()
        return 0 <= top < view._viewport.height()

    qtbot.waitUntil(shown)
    assert "49 more" in view.findChild(QWidget, "loadEarlier").text()
    assert not view.scroll_to_message(1000)  # not in this chat


def _first_colour(code: EmbeddedCode) -> str:
    ranges = _code_lines(code)[0].layout().formats()
    return ranges[0].format.foreground().color().name()


def test_theme_switch_restyles_code(view: ChatView, qtbot: QtBot) -> None:
    view.upsert(answer(2, content="```python\nx = 1\n```\n"))
    body = answer_row(view, 2).body
    (code,) = body.code_blocks()
    assert isinstance(code, EmbeddedCode)
    qtbot.waitUntil(lambda: code.highlighted)
    before = _first_colour(code)
    view.set_palette_mode(True)
    qtbot.waitUntil(lambda: view._ctx.highlights.pending == 0)
    after = _first_colour(code)
    assert after != before
    view.retranslate()
    assert _header_text(code) == "Python\tCopy"


def test_colours_reach_a_code_block_at_once_and_only_its_lines_are_formatted(
    view: ChatView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(markdown_view, "_HOLD_S", 60.0)  # colouring by hand in this test
    monkeypatch.setattr(highlighter, "HOLD_GRACE_S", 60.0)
    prose = "\n\n".join("Paragraph " + "word " * 40 for _ in range(3))
    first, second = "a = 1\nb = 2", "\n".join(f"c{i} = {i}  # {i}" for i in range(12))
    view.upsert(answer(2, content=f"{prose}\n\n```python\n{first}\n```\n\n{prose}\n\n"
                                  f"```python\n{second}\n```\n", status="streaming"))  # fmt: skip
    body = answer_row(view, 2).body
    qtbot.waitUntil(lambda: not body.busy)
    one, two = body.code_blocks()
    assert isinstance(one, EmbeddedCode)
    assert isinstance(two, EmbeddedCode)
    prose_block = one.widget
    assert two.widget is prose_block  # one document, one highlighter

    def coloured(code: EmbeddedCode) -> list[list[highlighter.Span]]:
        spans = TokenSpans(code.code, "python", False)
        while not spans.step(time.perf_counter() + 1):
            pass
        return spans.lines

    prose_block._apply(one, coloured(one))  # the document's highlighter is made here: Qt
    qtbot.waitUntil(lambda: all(line.layout().formats() for line in _code_lines(one)))  # passes
    formatted: list[str] = []  # over the whole document once, a loop turn later
    drawn = prose_block._highlighter.highlightBlock
    monkeypatch.setattr(
        prose_block._highlighter, "highlightBlock", lambda t: (formatted.append(t), drawn(t))
    )
    prose_block._apply(two, coloured(two))
    assert all(line.layout().formats() for line in _code_lines(two))  # coloured now
    assert [t for t in formatted if t.strip()] == second.split("\n")  # its lines, once each


def test_error_details_are_translated(view: ChatView) -> None:
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "coze_desktop_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        error = ErrorRecord(status=401, code=4100, log_id="LOG1", diagnosis="auth_invalid")
        view.set_history([question(1, "hi"), answer(2, status="failed", error=error)])
        details = answer_row(view, 2).parts["error"].details.text()  # type: ignore[attr-defined]
        assert details == "HTTP 401 · 错误码 4100 · 日志 ID LOG1"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_chips_have_one_height_whatever_the_script(view: ChatView) -> None:
    view.set_history(
        [
            question(1, "q"),
            answer(2, content="a", follow_ups=["Make it longer", "Summarise it", "再长一点"]),
        ]
    )
    settle()
    chips = answer_row(view, 2).parts["follow_ups"].chips  # type: ignore[attr-defined]
    heights = {chip.height() for chip in chips}
    assert len(heights) == 1
    # a style sheet radius above half the height draws square corners instead
    assert heights.pop() / 2 >= 14


@pytest.mark.parametrize("status", ["stopped", "interrupted"])
def test_empty_stopped_answer_can_be_regenerated(view: ChatView, qtbot: QtBot, status: str) -> None:
    view.set_history([question(1, "q"), answer(2, content="", status=status)])
    settle()
    bar = answer_row(view, 2).action_bar
    assert bar.isVisibleTo(view)
    assert bar.regenerate_button.isVisibleTo(view)
    assert not bar.copy_button.isVisibleTo(view)  # nothing to copy
    with qtbot.waitSignal(view.regenerate_requested) as sig:
        bar.regenerate_button.click()
    assert sig.args == [MessageIntent(2)]
    view.upsert(question(3, "again"))
    view.upsert(answer(4, content="", status="streaming"))
    settle()
    assert not bar.isVisibleTo(view)  # no longer the last answer
    assert not answer_row(view, 4).action_bar.isVisibleTo(view)  # streaming: nothing yet


def test_failed_answer_offers_retry_not_a_second_regenerate(view: ChatView) -> None:
    view.set_history([question(1, "q"), answer(2, status="failed", error=ErrorRecord(code=4100))])
    settle()
    row = answer_row(view, 2)
    assert row.parts["error"].retry_button.isVisibleTo(view)  # type: ignore[attr-defined]
    assert not row.action_bar.regenerate_button.isVisibleTo(view)


def test_streaming_badge_is_a_status_not_a_pill(view: ChatView) -> None:
    view.upsert(answer(2, content="Hel", status="streaming"))
    badge = answer_row(view, 2).footer.badge
    assert "Answering…" in badge.text()
    assert "●" in badge.text()
    sheet = chat_style_sheet(view._ctx.colors)
    rule = sheet.split('#badge[kind="streaming"]')[1].split("}")[0]
    assert "background: transparent" in rule


def _quote_block(prose: ProseBlock) -> QTextBlock:
    block = prose.document().begin()
    while block.isValid():
        if block.blockFormat().intProperty(QTextFormat.Property.BlockQuoteLevel):
            return block
        block = block.next()
    raise AssertionError("no quote")


def test_quote_after_code_is_styled_not_indented_40px(view: ChatView) -> None:
    text = "Intro\n\n```python\nprint(1)\n```\n\n> 数据来自模拟的插件，仅供演示。\n\nAfter."
    view.set_history([answer(2, content=text)])
    prose = answer_row(view, 2).body.blocks[0]
    assert isinstance(prose, ProseBlock)
    assert prose.codes
    quote = _quote_block(prose)
    assert quote.text() == "数据来自模拟的插件，仅供演示。"
    assert quote.blockFormat().leftMargin() <= 16  # md4c's bare 40 px indent, now a bar's width
    after = quote.next()
    assert after.text() == "After."
    assert after.blockFormat().leftMargin() == 0


def test_table_cells_share_a_baseline(view: ChatView) -> None:
    text = "| 天气 | 气温 | 湿度 |\n| --- | --- | --- |\n| 晴转多云 | 12°C ~ 24°C | 35% |\n"
    view.set_history([answer(2, content=text)])
    settle()
    prose = answer_row(view, 2).body.blocks[0]
    doc = prose.document()  # type: ignore[union-attr]
    table = next(f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable))
    layout = doc.documentLayout()
    for row in range(table.rows()):
        baselines = set()
        for col in range(table.columns()):
            block = table.cellAt(row, col).firstCursorPosition().block()
            line = block.layout().lineAt(0)
            baselines.add(round(layout.blockBoundingRect(block).y() + line.y() + line.ascent(), 1))
        assert len(baselines) == 1, baselines


def test_long_code_block_shows_its_last_line(view: ChatView, qtbot: QtBot) -> None:
    code = "\n".join(f"x_{i} = {i}" for i in range(EMBED_MAX_LINES + 10))
    wide = "\n".join("v = 1" + " + 1" * 60 for _ in range(3))
    for i, body in enumerate((code, wide)):
        text = f"```python\n{body}\nif x_1 > 0:\n    print('body')\n```\n"
        view.set_history([answer(i + 2, content=text)])
        block = answer_row(view, i + 2).body.blocks[0]
        assert isinstance(block, CodeBlock)
        browser = block.body
        qtbot.waitUntil(lambda b=browser: b.viewport().height() > 40)
        settle()
        assert browser.viewport().height() >= browser.document().size().height()
        assert browser.verticalScrollBar().maximum() == 0  # nothing hidden below the fold


def test_empty_state_with_starter_prompts(view: ChatView, qtbot: QtBot) -> None:
    view.set_empty_state(
        "Demo bot", "Ask anything", ["北京今天天气怎么样?适合出门吗?", "What can you do?"]
    )
    settle()
    empty = view.empty_state()
    assert empty.isVisibleTo(view)
    assert empty.title.text() == "Demo bot"
    assert [c.text() for c in empty.chips] == ["北京今天天气怎么样?适合出门吗?", "What can you do?"]
    with qtbot.waitSignal(view.follow_up_clicked) as sig:
        empty.chips[1].click()
    assert sig.args == [FollowUpIntent("What can you do?")]
    view.upsert(question(1, "What can you do?"))
    assert not empty.isVisibleTo(view)
    view.set_history([])
    assert empty.isVisibleTo(view)
    view.set_history([question(1, "q"), answer(2, content="a")])
    assert not empty.isVisibleTo(view)

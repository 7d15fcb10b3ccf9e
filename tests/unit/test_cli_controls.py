"""Control characters a bot sends (ANSI escapes, BEL, backspace, NUL) never reach the terminal
raw: ``TextPrinter`` prints them as visible pictures and everything else byte for byte."""

from __future__ import annotations

import io

from desktop.api import events as ev
from desktop.cli.render import Output, TextPrinter, visible
from desktop.core import transcript as tr

HOSTILE = (
    "red \x1b[31mtext\x1b[0m, title \x1b]0;pwned\x07, bell \x07, back\x08\x08, nul \x00, del \x7f"
)


def _printed(*events: ev.StreamEvent) -> str:
    stream = io.StringIO()
    out = Output(stream, interactive=False)
    printer = TextPrinter(out, color=False)
    for event in events:
        printer.on_event(event)
    printer.finish(tr.TurnState(row_id=1, session_id=1))
    printer.out.flush()
    return stream.getvalue()


def _delta(**fields: str) -> ev.MessageDelta:
    return ev.MessageDelta(ev.Message(id="m1", role="assistant", type="answer", **fields))


def test_escape_sequences_in_an_answer_are_shown_not_obeyed() -> None:
    text = _printed(_delta(content=HOSTILE))
    assert not any(ch in text for ch in "\x1b\x07\x08\x00\x7f")
    assert text == ("red ␛[31mtext␛[0m, title ␛]0;pwned␇, bell ␇, back␈␈, nul ␀, del ␡\n")


def test_thinking_and_follow_ups_are_cleaned_too() -> None:
    stream = io.StringIO()
    printer = TextPrinter(Output(stream, interactive=False), color=False)
    printer.on_event(_delta(reasoning_content="hm\x1b[2J"))
    state = tr.TurnState(row_id=1, session_id=1)
    state.follow_ups = ["again\x1b[1A?"]
    printer.finish(state)
    printer.out.flush()
    assert "\x1b" not in stream.getvalue()
    assert "hm␛[2J" in stream.getvalue()
    assert "[follow-up] again␛[1A?" in stream.getvalue()


def test_ordinary_text_passes_byte_for_byte() -> None:
    text = "第一行\tcol\r\nsecond line: 50% «ok» 😀\n\n```py\nprint(1)\n```"
    assert visible(text) is text
    assert _printed(_delta(content=text)) == text + "\n"


def test_c1_controls_are_replaced() -> None:
    assert visible("a\x9b31mb\x85") == "a\ufffd31mb\ufffd"

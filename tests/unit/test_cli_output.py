"""The CLI's stdout (``desktop.cli.render.Output``): writes to a terminal coalesced, nothing
lost or reordered, everything out at ``flush``; a fake clock, no sleeps."""

from __future__ import annotations

import asyncio
import io

import pytest

from desktop.cli.render import FLUSH_INTERVAL, Output


class Recorder(io.StringIO):
    """A stream that remembers what each flush sent."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty
        self.flushed: list[str] = []
        self._sent = 0
        self.on_flush = lambda: None

    def isatty(self) -> bool:
        return self.tty

    def flush(self) -> None:
        text = self.getvalue()
        self.flushed.append(text[self._sent :])
        self._sent = len(text)
        self.on_flush()


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_terminal_sees_writes_coalesced_per_frame_and_per_line() -> None:
    stream, clock = Recorder(tty=True), Clock()
    out = Output(stream, clock=clock)
    for piece in ("He", "ll", "o"):
        out.write(piece)
    assert stream.flushed == []  # within one frame: waiting
    clock.now += FLUSH_INTERVAL
    out.write(",")
    assert stream.flushed == ["Hello,"]
    out.write(" wor")
    out.write("ld\n")  # a finished line goes at once
    assert stream.flushed == ["Hello,", " world\n"]
    out.write("[follow-up] more?")
    out.flush()
    assert stream.flushed[-1] == "[follow-up] more?"
    assert stream.getvalue() == "Hello, world\n[follow-up] more?"


def test_at_most_one_flush_per_frame_for_many_deltas() -> None:
    stream, clock = Recorder(tty=True), Clock()
    out = Output(stream, clock=clock)
    deltas = [f"d{n} " for n in range(10_000)]
    for n, delta in enumerate(deltas):
        if n % 100 == 0:
            clock.now += FLUSH_INTERVAL / 4  # 100 deltas every 4 ms
        out.write(delta)
    out.flush()
    assert stream.getvalue() == "".join(deltas)  # byte for byte, in order
    assert len(stream.flushed) <= 10_000 / 400 + 2


def test_a_pipe_gets_frames_without_per_line_flushes() -> None:
    stream, clock = Recorder(tty=False), Clock()
    out = Output(stream, clock=clock)
    for n in range(100):
        out.write(f"line {n}\n")
    assert stream.flushed == []
    clock.now += FLUSH_INTERVAL
    out.write("tail")
    assert stream.flushed == ["".join(f"line {n}\n" for n in range(100)) + "tail"]
    out.write(" end\n")
    out.flush()
    assert stream.flushed[-1] == " end\n"


@pytest.mark.asyncio
async def test_a_pause_in_the_stream_does_not_hold_text_back() -> None:
    """On the event loop a timer sends what waits once the frame is over."""
    stream = Recorder(tty=True)
    flushed = asyncio.Event()
    stream.on_flush = flushed.set
    out = Output(stream)
    out.write("thinking")
    assert stream.flushed in ([], ["thinking"])  # (the clock may have moved on already)
    await asyncio.wait_for(flushed.wait(), 5)
    assert stream.getvalue() == "thinking"


def test_a_closed_pipe_stops_writing_and_tells() -> None:
    class Closed(Recorder):
        def write(self, text: str) -> int:
            raise BrokenPipeError

        def fileno(self) -> int:
            raise ValueError

    told: list[bool] = []
    out = Output(Closed(tty=True), clock=Clock())
    out.on_closed = lambda: told.append(True)
    out.write("answer\n")
    assert out.closed
    assert told == [True]
    out.write("more\n")
    out.flush()
    assert told == [True]

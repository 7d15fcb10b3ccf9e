"""Benchmark: the longest main-loop stall on hostile answers and pastes.

    QT_QPA_PLATFORM=offscreen python -m tests.bench.bench_pathological [--only code-10k]

Each case runs on the Qt event loop with a 5 ms heartbeat timer (as ``bench_render.py``): the
longest gap between two beats, minus the 5 ms interval, is the longest stall. A case starts its
action from a zero-timer, then runs until the view has no queued work for what is on screen and
``--settle`` seconds (1 s) more, so background work (off-screen layout, highlighting) is counted.

Cases: one final answer holding a 2k / 10k / 50k-line code block, a 1k / 5k-row table, a
5,000-item list, a 5,000-line paragraph, a 1 MB
single-line paste into the composer, a sent question, a code block and an answer of one
1 MB line, the 10k-line block and
the 5k-row table streamed in 2,000 deltas (``bench_render.Stream``), and re-opening a session (``ChatView.set_history``, what the
window does at start) whose answer holds the 10k-line block. Goal: every stall < 50 ms.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QEventLoop, QMimeData, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.storage import StoredMessage
from tests.bench.window import destroy_now

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.ui.chat.view import ChatView

GOAL_S = 0.050


def code_answer(lines: int) -> str:
    body = "\n".join(f"    total += item_{i} * {i % 9 + 1}  # step {i}" for i in range(lines))
    return f"Here it is:\n\n```python\ndef f(items):\n    total = 0\n{body}\n```\n\nDone.\n"


def table_answer(rows: int) -> str:
    body = "\n".join(f"| {i} | name {i} | {i * 7 % 100} | 天气 {i} |" for i in range(rows))
    return f"The data:\n\n| # | name | value | note |\n|---|---|---|---|\n{body}\n\nDone.\n"


def list_answer(items: int) -> str:
    body = "\n".join(f"{i + 1}. item {i} with a few words" for i in range(items))
    return f"The list:\n\n{body}\n\nDone.\n"


def measure(action: Callable[[], None], busy: Callable[[], bool], settle: float) -> float:
    """Run ``action`` on the loop; the longest stall (s) until idle plus ``settle`` seconds."""
    loop = QEventLoop()
    clock = QElapsedTimer()
    gaps: list[float] = []
    state = {"idle_since": 0.0}

    def beat() -> None:
        gaps.append(max(0.0, clock.restart() / 1000 - 0.005))
        now = time.perf_counter()
        if busy():
            state["idle_since"] = 0.0
        elif not state["idle_since"]:
            state["idle_since"] = now
        elif now - state["idle_since"] > settle:
            heart.stop()
            loop.quit()

    heart = QTimer(interval=5, timeout=beat)
    heart.setTimerType(Qt.TimerType.PreciseTimer)
    clock.start()
    heart.start()
    QTimer.singleShot(0, action)
    loop.exec()
    return max(gaps, default=0.0)


def _on_view(step: Callable[[ChatView], float]) -> float:
    """``step``'s stall (s) on a fresh chat view, shown at 1100 x 800; the view closed after."""
    from desktop.ui.chat.view import ChatView

    view = ChatView()
    view.resize(1100, 800)
    view.show()
    QApplication.processEvents()
    stall = step(view)
    destroy_now(view)  # not inside the next case's measured loop (whose stall it would be)
    return stall


def _answer(text: str) -> list[StoredMessage]:
    return [
        StoredMessage(id=1, role="user", kind="question", content="show me"),
        StoredMessage(id=2, role="assistant", kind="answer", content=text),
    ]


def answer_case(text: str, settle: float) -> float:
    question, answer = _answer(text)

    def step(view: ChatView) -> float:
        view.upsert(question)
        return measure(lambda: view.upsert(answer), view.is_busy, settle)

    return _on_view(step)


def reopen_case(text: str, settle: float) -> float:
    return _on_view(lambda view: measure(lambda: view.set_history(_answer(text)), view.is_busy,
                                         settle))  # fmt: skip


def question_case(text: str, settle: float) -> float:
    message = StoredMessage(id=1, role="user", kind="question", content=text)
    return _on_view(lambda view: measure(lambda: view.upsert(message), view.is_busy, settle))


def stream_case(text: str) -> float:
    """``text`` streamed in 2,000 deltas through the core path (``bench_render.Stream``)."""
    from tests.bench.bench_render import Stream, split_deltas, sse_bytes

    def step(view: ChatView) -> float:
        view.upsert(_answer("")[0])
        sse = sse_bytes(split_deltas(text, 2_000))
        return Stream(sse, view.upsert, 4096, view.is_busy).go().stall

    return _on_view(step)


def paste_case(chars: int, settle: float) -> float:
    from desktop.ui.chat.composer import Composer

    composer = Composer()
    composer.resize(1100, 160)
    composer.show()
    QApplication.processEvents()
    mime = QMimeData()
    mime.setText("x" * chars)
    edit = composer.edit
    stall = measure(lambda: edit.insertFromMimeData(mime), lambda: False, settle)
    composer.close()
    composer.deleteLater()
    return stall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--settle", type=float, default=1.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    s = args.settle
    cases: dict[str, Callable[[], float]] = {
        "code-2k": lambda: answer_case(code_answer(2_000), s),
        "code-10k": lambda: answer_case(code_answer(10_000), s),
        "code-50k": lambda: answer_case(code_answer(50_000), s),
        "table-1k": lambda: answer_case(table_answer(1_000), s),
        "table-5k": lambda: answer_case(table_answer(5_000), s),
        "list-5k": lambda: answer_case(list_answer(5_000), s),
        "paragraph-5k-lines": lambda: answer_case(
            "".join(f"line {i} of one long paragraph\n" for i in range(5_000)), s
        ),
        "paste-1MB-line": lambda: paste_case(1_000_000, s),
        "reopen-code-10k": lambda: reopen_case(code_answer(10_000), s),
        "stream-code-10k": lambda: stream_case(code_answer(10_000)),
        "stream-table-5k": lambda: stream_case(table_answer(5_000)),
        "question-1MB-line": lambda: question_case("x" * 1_000_000, s),
        "code-1MB-line": lambda: answer_case("```\n" + "x" * 1_000_000 + "\n```\n", s),
        "answer-1MB-line": lambda: answer_case("word " * 200_000 + "\n", s),
        "stream-1MB-line": lambda: stream_case("word " * 200_000 + "\n"),
    }
    answer_case(code_answer(40), 0.8)  # warm up: first view, fonts, its prewarm (grammars, lexers)
    worst = 0.0
    for name, run in cases.items():
        if args.only and args.only not in name:
            continue
        stall = run()
        worst = max(worst, stall)
        verdict = "ok" if stall < GOAL_S else "OVER"
        print(f"{name:18s} longest stall {stall * 1000:8.1f} ms  {verdict}", flush=True)
        QApplication.processEvents()
    print(f"{'worst':18s} longest stall {worst * 1000:8.1f} ms  (goal < {GOAL_S * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the log dock stays responsive with 5,000 exchanges and a 20,000-frame stream.

    QT_QPA_PLATFORM=offscreen python -m tests.bench.bench_log_dock [--exchanges 5000] [--frames 20000]

A "network" timer records exchanges into a ``NetLog`` the way the client does (begin, response
head, body, finish) and feeds one stream of SSE delta frames, a batch per event-loop turn, as
fast as the loop allows. A 5 ms heartbeat timer measures the longest main-loop stall. The same
feed runs twice in one process: without a dock (baseline: the netlog's own work) and with a shown
1200x800 ``LogDock`` that follows the stream live (its Response tab open on the streaming
exchange). Then, with everything recorded, it times selecting the 20,000-frame stream and
rendering its frames tab, the merged view, an event-type filter, the Timing and Diagnosis tabs,
and selecting an ordinary row among 5,000. The merged view of the stream is a ~300 KB answer on
one line; the longest main-loop stall while it is built is printed (it should stay under 50 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop.netlog import Exchange, NetLog
from desktop.ui.logdock.dock import LogDock

if TYPE_CHECKING:
    from collections.abc import Callable

TOKEN = "pat_" + "b" * 65
URL = "https://api.coze.cn/v3/chat?conversation_id=7490000000000000001"


@dataclass
class Feed:
    exchanges: int
    frames: int
    per_tick: int
    frames_per_tick: int
    done_exchanges: int = 0
    done_frames: int = 0
    stream: Exchange | None = None


class Heartbeat:
    """Records the longest gap between 5 ms timer ticks (a main-loop stall)."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=5)
        self.clock = QElapsedTimer()
        self.last = 0
        self.worst = 0
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.clock.start()
        self.last = 0
        self.worst = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def stop(self) -> int:
        self.timer.stop()
        return self.worst


def delta_frame(i: int) -> str:
    return json.dumps({"id": "7490000000000000099", "conversation_id": "7490000000000000001",
                       "bot_id": "7480000000000000001", "role": "assistant", "type": "answer",
                       "content": f"piece {i} 天气 ", "content_type": "text",
                       "chat_id": "7490000000000000098"}, ensure_ascii=False)  # fmt: skip


def record_one(netlog: NetLog, i: int) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    ex = netlog.begin(
        "POST",
        URL,
        headers,
        '{"bot_id":"1","user_id":"u"}',
        {"profile": "Bench", "session_id": str(i % 40)},
    )
    status = 200 if i % 17 else 401
    netlog.response(
        ex, status, {"x-tt-logid": f"2026112410{i:022d}", "content-type": "application/json"}
    )
    netlog.body(ex, json.dumps({"code": 0, "msg": "", "data": {"id": str(i)}}))
    netlog.finish(ex)


def tick(netlog: NetLog, feed: Feed) -> bool:
    """One event-loop turn of "network": returns True when everything was fed."""
    for _ in range(min(feed.per_tick, feed.exchanges - feed.done_exchanges)):
        record_one(netlog, feed.done_exchanges)
        feed.done_exchanges += 1
    if feed.stream is None:
        feed.stream = netlog.begin("POST", URL, {"Authorization": f"Bearer {TOKEN}"}, "{}",
                                   {"profile": "Bench", "session_id": "1"}, is_stream=True)  # fmt: skip
        netlog.response(
            feed.stream, 200, {"x-tt-logid": "STREAMLOGID", "content-type": "text/event-stream"}
        )
    for _ in range(min(feed.frames_per_tick, feed.frames - feed.done_frames)):
        netlog.frame(feed.stream, "conversation.message.delta", delta_frame(feed.done_frames))
        feed.done_frames += 1
    finished = feed.done_exchanges >= feed.exchanges and feed.done_frames >= feed.frames
    if finished and not feed.stream.done:
        netlog.finish(feed.stream)
    return finished


def run_feed(
    netlog: NetLog, feed: Feed, on_start: Callable[[], None] = lambda: None
) -> tuple[float, int]:
    """Feed everything as fast as the loop allows; returns (wall seconds, worst stall ms)."""
    loop = QEventLoop()
    beat = Heartbeat()
    driver = QTimer(interval=0)
    driver.timeout.connect(lambda: tick(netlog, feed) and loop.quit())
    started = time.perf_counter()
    beat.start()
    driver.start()
    QTimer.singleShot(1, on_start)
    loop.exec()
    driver.stop()
    settle(0.15)  # let the dock apply the last coalesced batch
    return time.perf_counter() - started, beat.stop()


def settle(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QApplication.processEvents()


def timed(action: Callable[[], object]) -> float:
    """Milliseconds for ``action`` plus the event processing (painting) it causes."""
    started = time.perf_counter()
    action()
    for _ in range(3):
        QApplication.processEvents()
    return (time.perf_counter() - started) * 1000


def timed_until(action: Callable[[], object], done: Callable[[], bool]) -> tuple[float, int]:
    """(milliseconds until ``done()``, longest main-loop stall meanwhile) for chunked work."""
    beat = Heartbeat()
    beat.start()
    started = time.perf_counter()
    action()
    while not done():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
    QApplication.processEvents()
    return (time.perf_counter() - started) * 1000, beat.stop()


def interactions(dock: LogDock, stream: Exchange) -> dict[str, float]:
    stream_row = dock.proxy.mapFromSource(dock.model.index(dock.model.row_of(stream.id), 0)).row()
    dock.table.selectRow(0)
    dock.detail.select_tab("request")
    settle(0.05)
    view = dock.detail.stream
    results = {
        "select ordinary row (request tab)": timed(
            lambda: dock.table.selectRow(dock.proxy.rowCount() // 2)
        ),
        "select 20k-frame stream (request tab)": timed(lambda: dock.table.selectRow(stream_row)),
        "open response tab: 20k frames": timed(lambda: dock.detail.select_tab("response")),
        "scroll frames to the end": timed(view.table.scrollToBottom),
        "filter frames by event type": timed(
            lambda: (view.inner.setCurrentIndex(0), view.event_filter.setCurrentIndex(1))
        ),
        "timing tab": timed(lambda: dock.detail.select_tab("timing")),
        "diagnosis tab": timed(lambda: dock.detail.select_tab("diagnosis")),
        "filter table: errors only": timed(lambda: dock.bar.errors_only.setChecked(True)),
        "filter table: free text": timed(lambda: dock.bar.search.setText("STREAMLOGID")),
    }
    merged_ms, merged_stall = timed_until(lambda: view.inner.setCurrentIndex(1),
                                          lambda: not view.is_merging())  # fmt: skip
    answer_kb = len(view.merged.toPlainText().encode()) / 1024
    results[f"merged view of 20k frames ({answer_kb:.0f} KB, chunked)"] = merged_ms
    results["  longest UI stall while merging (<50)"] = merged_stall
    shown = view.merged.toPlainText().replace("\n", "")  # long lines are broken for display
    assert "piece 19999" in shown or stream.frames_dropped
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--exchanges", type=int, default=5000)
    parser.add_argument("--frames", type=int, default=20000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    per_tick = max(1, args.exchanges // 200)
    frames_per_tick = max(1, args.frames // 200)

    baseline_log = NetLog(max_exchanges=args.exchanges + 10)
    base_wall, base_stall = run_feed(
        baseline_log, Feed(args.exchanges, args.frames, per_tick, frames_per_tick)
    )

    netlog = NetLog(max_exchanges=args.exchanges + 10)
    dock = LogDock(netlog, lambda: "en", cap=args.exchanges + 10)
    dock.resize(1200, 800)
    dock.show()
    feed = Feed(args.exchanges, args.frames, per_tick, frames_per_tick)

    def follow_stream() -> None:  # watch the stream live, like a user debugging it
        dock.model.flush()
        assert feed.stream is not None
        dock.select_exchange(log_id="STREAMLOGID")
        dock.detail.select_tab("response")

    dock_wall, dock_stall = run_feed(netlog, feed, follow_stream)
    assert feed.stream is not None
    assert dock.model.rowCount() == args.exchanges + 1, dock.model.rowCount()
    assert dock.detail.stream.model.rowCount() == args.frames
    print(
        f"feed {args.exchanges} exchanges + {args.frames}-frame stream, {per_tick}+{frames_per_tick} per loop turn"
    )
    print(
        f"  baseline (no dock): wall {base_wall * 1000:8.1f} ms   longest stall {base_stall:4d} ms"
    )
    print(f"  with live dock:     wall {dock_wall * 1000:8.1f} ms   longest stall {dock_stall:4d} ms"
          f"   ratio {dock_wall / base_wall:.2f}x")  # fmt: skip
    print("interactions with everything recorded (ms, incl. repaint):")
    for name, ms in interactions(dock, feed.stream).items():
        print(f"  {name:46s} {ms:8.1f}")
    app.processEvents()


if __name__ == "__main__":
    main()

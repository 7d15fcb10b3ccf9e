"""The network log across restarts: masked, bounded on disk, read back as finished exchanges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.api.errors import AuthError
from desktop.core.log_history import RECORD_FRAMES, LogHistory
from desktop.core.log_insights import insights
from desktop.netlog import NetLog

if TYPE_CHECKING:
    from pathlib import Path

TOKEN = "pat_" + "Z9" * 32 + "wxyz"
URL = "https://api.coze.cn/v3/chat?conversation_id=42"


def record_chat(netlog: NetLog, n: int, *, frames: int = 3, fail: bool = False) -> None:
    ex = netlog.begin("POST", URL, {"Authorization": f"Bearer {TOKEN}"}, f'{{"q": {n}}}',
                      {"profile": "Alpha"}, is_stream=True)  # fmt: skip
    netlog.response(ex, 401 if fail else 200, {"X-Tt-Logid": f"log-{n}"})
    for i in range(frames):
        netlog.frame(ex, "conversation.message.delta", f'{{"content": "part {i} {TOKEN}"}}')
    error = AuthError("token expired", status=401, code=4100, log_id=f"log-{n}") if fail else None
    netlog.finish(ex, error)


def test_finished_requests_survive_a_restart_masked(tmp_path: Path) -> None:
    path = tmp_path / "netlog.jsonl"
    first = NetLog()
    LogHistory(path).attach(first)
    record_chat(first, 1)
    record_chat(first, 2, fail=True)
    assert TOKEN not in path.read_text(encoding="utf-8")  # the token never reaches the disk
    again = NetLog()
    history = LogHistory(path)
    history.attach(again)
    record_chat(again, 3)  # this run's request, written before the old ones are read
    assert history.restore_into(again) == 2  # only the earlier run's two
    urls = [(ex.log_id, ex.done) for ex in again.exchanges()]
    assert urls == [("log-1", True), ("log-2", True), ("log-3", True)]
    failed = again.find(log_id="log-2")
    assert failed is not None
    assert failed.error is not None
    assert failed.error.code == 4100
    assert failed.status == 401
    assert failed.context == {"profile": "Alpha"}
    assert failed.kept_frames()[0][2].startswith('{"content": "part 0 pat_')
    assert TOKEN not in failed.kept_frames()[0][2]
    assert failed.token is not None
    assert failed.token.length == len(TOKEN)
    assert insights(failed)[0].level == "error"  # the diagnosis comes back with it


def test_the_file_stays_bounded_in_count_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "netlog.jsonl"
    netlog = NetLog()
    history = LogHistory(path, max_exchanges=20, max_bytes=40_000)
    history.attach(netlog)
    for n in range(200):
        record_chat(netlog, n, frames=20)
        assert path.stat().st_size <= 40_000 + 6_000  # at most one record over the bound
    lines = path.read_bytes().splitlines()
    assert 0 < len(lines) <= 25
    restored = NetLog()
    LogHistory(path, max_exchanges=20).restore_into(restored)
    assert restored.exchanges()[-1].log_id == "log-199"  # the newest are kept


def test_a_long_stream_is_kept_by_its_ends_and_a_damaged_line_is_skipped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "netlog.jsonl"
    netlog = NetLog()
    LogHistory(path).attach(netlog)
    record_chat(netlog, 1, frames=RECORD_FRAMES * 3)
    with path.open("ab") as handle:
        handle.write(b'{"id": 9, "half a line\n')  # a crash mid-write
    record_chat(netlog, 2)
    restored = NetLog()
    LogHistory(path).restore_into(restored)
    long, short = restored.exchanges()
    assert long.event_count == RECORD_FRAMES * 3
    assert long.kept_count == RECORD_FRAMES
    assert long.frames_dropped == RECORD_FRAMES * 2
    assert long.kept_frames()[-1][2].startswith(f'{{"content": "part {RECORD_FRAMES * 3 - 1}')
    assert short.log_id == "log-2"


def test_clearing_the_log_clears_the_file(tmp_path: Path) -> None:
    path = tmp_path / "netlog.jsonl"
    netlog = NetLog()
    LogHistory(path).attach(netlog)
    record_chat(netlog, 1)
    netlog.clear()
    restored = NetLog()
    assert LogHistory(path).restore_into(restored) == 0

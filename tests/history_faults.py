"""Faulty chat histories for tests: a file with one damaged page, a lock held by another process.

Both are real: the page is damaged by overwriting bytes of the SQLite file itself (the overflow
page that holds a unique marker of one message), and the lock is a ``BEGIN IMMEDIATE`` held by a
separate Python process until it is told to let go.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.storage import Database, Profile

if TYPE_CHECKING:
    from pathlib import Path

MARKER = "DAMAGED-PAGE-MARKER"
PAGE = 4096


@dataclass(frozen=True)
class DamagedHistory:
    path: Path
    profile_id: str
    intact: int  # a session whose messages are all readable
    damaged: int  # a session one of whose messages sits on the damaged page


def damaged_history(path: Path) -> DamagedHistory:
    """A history with two chats; the second's long answer has its overflow page damaged (the
    question and a later answer stay readable)."""
    with Database.open(path) as db:
        profile = db.profiles.add(Profile(name="Bot", region="custom",
                                          base_url="http://127.0.0.1:9", bot_id="b1"))  # fmt: skip
        intact = db.sessions.create(profile.id, "Intact chat")
        db.messages.add(intact.id, "user", "question", "hello intact")
        db.messages.add(intact.id, "assistant", "answer", "intact answer", status="complete")
        damaged = db.sessions.create(profile.id, "Damaged chat")
        db.messages.add(damaged.id, "user", "question", "first question")
        long_text = "y" * 9000 + MARKER + "x" * 9000  # spans overflow pages
        db.messages.add(damaged.id, "assistant", "answer", long_text, status="complete")
        db.messages.add(damaged.id, "assistant", "answer", "later answer", status="complete")
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    data = bytearray(path.read_bytes())
    at = data.find(MARKER.encode())
    assert at > 0, "the marker is not in the file"
    start = (at // PAGE) * PAGE
    data[start : start + 4] = b"\x7f\xff\xff\xff"  # the overflow page's next-page pointer
    path.write_bytes(bytes(data))
    return DamagedHistory(path, profile.id, intact.id, damaged.id)


class HeldLock:
    """Another process holding the history's write lock (``BEGIN IMMEDIATE``) until
    ``release``; a context manager."""

    SCRIPT = (
        "import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.readline()\n"
        "conn.execute('ROLLBACK')\n"
    )

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", self.SCRIPT, str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # blocks until the lock is held
        assert line.strip() == "locked", line

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> HeldLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

"""A damaged page or a lock held by another process: what the storage layer can still do."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from desktop.storage import Database, Profile, StorageError
from desktop.storage.db import INTERACTIVE_BUSY_TIMEOUT_MS
from tests.history_faults import HeldLock, damaged_history

if TYPE_CHECKING:
    from pathlib import Path


def test_a_damaged_page_spoils_only_the_rows_on_it(tmp_path: Path) -> None:
    faults = damaged_history(tmp_path / "h.sqlite3")
    with Database.open(faults.path) as db:
        with pytest.raises(StorageError) as caught:
            db.messages.list(faults.damaged)
        assert caught.value.kind == "corrupt"
        readable, lost = db.messages.readable(faults.damaged)
        assert [m.content for m in readable] == ["first question", "later answer"]
        assert lost == 1
        assert [m.content for m in db.messages.list(faults.intact)] == [
            "hello intact", "intact answer",
        ]  # fmt: skip


def test_moving_a_damaged_history_aside_keeps_it_and_the_fresh_one_keeps_the_bots(
    tmp_path: Path,
) -> None:
    faults = damaged_history(tmp_path / "h.sqlite3")
    db = Database.open(faults.path)
    profiles = db.profiles.list()
    moved = db.move_aside()
    assert moved.exists()
    assert moved.name.startswith("h.sqlite3.damaged-")
    assert not faults.path.exists()
    Database.start_fresh(faults.path, profiles)
    with Database.open(faults.path) as fresh:
        assert [p.id for p in fresh.profiles.list()] == [faults.profile_id]
        assert fresh.sessions.list() == []
        assert fresh.integrity_check() == "ok"
    with Database.open(moved) as old:  # nothing of the old file was lost by the move
        assert len(old.sessions.list()) == 2


def test_a_lock_held_by_another_process_fails_a_write_within_a_frame(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with Database.open(path) as db:
        db.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT_MS)
        profile = db.profiles.add(Profile(name="Bot", bot_id="b1"))
        session = db.sessions.create(profile.id, "chat")
        with HeldLock(path):
            began = time.perf_counter()
            with pytest.raises(StorageError) as caught:
                db.messages.add(session.id, "user", "question", "hello")
            waited = time.perf_counter() - began
            assert caught.value.kind == "locked"
            assert db.sessions.get(session.id) is not None  # reads go on (WAL)
        assert waited < 0.5  # the default 5 s busy timeout would wait it out
        db.messages.add(session.id, "user", "question", "hello")  # free again

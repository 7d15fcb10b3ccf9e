"""Storage durability: migrations, newer schemas, crashes, full disks, damaged files."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.storage import SCHEMA_VERSION, Database, Profile, StorageError
from desktop.storage.errors import storage_error
from desktop.storage.migrations import migrate

# --- migrations ------------------------------------------------------------------


def _v1_db(path: Path) -> None:
    """A database as the first release wrote it, with some history."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, None, target=1)
    conn.execute(
        "INSERT INTO profiles (id, name, region, created_at, updated_at) "
        "VALUES ('p1', 'Old', 'cn', 1, 1)"
    )
    conn.execute(
        "INSERT INTO sessions (profile_id, title, created_at, updated_at) VALUES ('p1', 'Legacy', 1, 1)"
    )
    conn.execute(
        "INSERT INTO messages (session_id, role, kind, content, status, created_at) "
        "VALUES (1, 'assistant', 'answer', 'kept from version one', 'complete', 1), "
        "(1, 'assistant', 'answer', 'half an answ', 'streaming', 2)"
    )
    conn.close()


def test_fresh_database_is_current_without_backup(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with Database.open(path) as db:
        assert db.schema_version == SCHEMA_VERSION >= 2
    assert not list(tmp_path.glob("*.bak-*"))


def test_upgrade_from_v1_preserves_data_and_keeps_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _v1_db(path)
    with Database.open(path) as db:
        assert db.schema_version == SCHEMA_VERSION
        assert db.interrupted_at_open == 1
        (session,) = db.sessions.list(query="version one")
        assert session.title == "Legacy"
        assert [m.status for m in db.messages.list(session.id)] == ["complete", "interrupted"]
        assert db.sessions.list(query="half an answ") == [session]  # indexed once interrupted
        assert db.integrity_check() == "ok"
    backup = tmp_path / "h.sqlite3.bak-v1"
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 2
    conn.close()


def test_upgrade_from_v2_adds_the_chatflow_fields(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, None, target=2)
    conn.execute(
        "INSERT INTO profiles (id, name, region, bot_id, created_at, updated_at) "
        "VALUES ('p1', 'Bot', 'cn', '748', 1, 1)"
    )
    conn.close()
    with Database.open(path) as db:
        assert db.schema_version == SCHEMA_VERSION >= 3
        old = db.profiles.get("p1")
        assert old is not None
        assert (old.workflow_id, old.app_id, old.parameters) == ("", "", {})
        assert not old.is_chatflow
        assert (old.local_tools, old.auto_local_tools) == ({}, False)
        flow = db.profiles.add(
            Profile(name="Flow", workflow_id="7480000000000000501", app_id="7480000000000000502",
                    parameters={"city": "北京", "n": [1, 2]})
        )  # fmt: skip
        session = db.sessions.create(flow.id)
        answer = db.messages.add(session.id, "assistant", "answer", "hi",
                                 status="requires_action", debug_url="https://www.coze.cn/x")  # fmt: skip
    assert (tmp_path / "h.sqlite3.bak-v2").exists()
    with Database.open(path) as db:
        stored = db.profiles.get(flow.id)
        assert stored is not None
        assert stored.parameters == {"city": "北京", "n": [1, 2]}
        assert stored.is_chatflow
        again = db.messages.get(answer.id)
        assert again is not None
        assert (again.status, again.debug_url) == ("requires_action", "https://www.coze.cn/x")


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 7}")
    conn.commit()
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StorageError) as info:
        Database.open(path)
    assert info.value.kind == "newer_schema"
    assert str(info.value).startswith(
        "This history was written by a newer version of Coze Desktop "
        f"(schema {SCHEMA_VERSION + 7} > {SCHEMA_VERSION});"
    )
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.sqlite3"]


def test_damaged_file_is_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StorageError) as info:
        Database.open(path)
    assert info.value.kind == "corrupt"
    assert "damaged" in str(info.value)


# --- crash and environment failures ----------------------------------------------

_WRITER = """
import sys
from desktop.storage import Database, Profile
db = Database.open(sys.argv[1])
profile = db.profiles.add(Profile(name="Crash"))
session = db.sessions.create(profile.id, "crash")
db.messages.add(session.id, "user", "question", "tell me a long story")
row = db.messages.add(session.id, "assistant", "answer", "", status="streaming")
text = ""
for i in range(1_000_000):
    text += f"word{i} "
    db.messages.update(row.id, content=text)
    if i == 200:
        print("ready", flush=True)
"""


def test_killed_while_streaming_leaves_partial_text_marked_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).parents[2],
        text=True,
    ) as proc:
        try:
            # "ready" comes in the middle of the writer's updates, which go on: killed now, it
            # is killed while streaming.
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    with Database.open(path) as db:
        assert db.interrupted_at_open == 1
        (session,) = db.sessions.list()
        question, answer = db.messages.list(session.id)
        assert question.content == "tell me a long story"
        assert answer.status == "interrupted"
        assert answer.content.startswith("word0 word1 ")
        assert "word200 " in answer.content
        assert db.integrity_check() == "ok"


def test_disk_full_is_a_storage_error_and_earlier_data_survives(
    db: Database, profile: Profile
) -> None:
    session = db.sessions.create(profile.id, "full")
    kept = db.messages.add(session.id, "user", "question", "saved before the disk filled")
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StorageError) as info:
        db.messages.add(session.id, "assistant", "answer", "x" * 200_000)
    assert info.value.kind == "disk_full"
    assert str(info.value).startswith("The disk is full")
    with pytest.raises(StorageError):
        db.messages.update(kept.id, content="y" * 200_000)
    assert [m.content for m in db.messages.list(session.id)] == [kept.content]
    assert db.integrity_check() == "ok"
    db.conn.execute("PRAGMA max_page_count = 1073741823")
    db.messages.add(session.id, "assistant", "answer", "space again")
    assert db.messages.count(session.id) == 2


def test_read_only_database_is_a_storage_error(db: Database, profile: Profile) -> None:
    db.conn.execute("PRAGMA query_only = 1")
    with pytest.raises(StorageError) as info:
        db.sessions.create(profile.id, "nope")
    assert info.value.kind == "readonly"
    db.conn.execute("PRAGMA query_only = 0")
    assert db.sessions.count() == 0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("disk I/O error", "io"),
        ("database or disk is full", "disk_full"),
        ("attempt to write a readonly database", "readonly"),
        ("database is locked", "locked"),
        ("database disk image is malformed", "corrupt"),
        ("no such table: x", "other"),
    ],
)
def test_sqlite_errors_are_translated(text: str, kind: str) -> None:
    error = storage_error(sqlite3.OperationalError(text))
    assert error.kind == kind
    assert text in str(error)

"""Storage: repositories, ordering and search, lazy loading, and scale."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest

from desktop import paths
from desktop.storage import (
    Database,
    Profile,
    StorageError,
    StoredMessage,
    message_fields,
)
from desktop.storage.parts import ErrorRecord, ToolRecord, UsageRecord

if TYPE_CHECKING:
    from pathlib import Path


def test_open_defaults_to_the_home_db_and_sets_pragmas(db: Database) -> None:
    assert db.path == paths.db_path()
    assert db.path is not None
    assert db.path.exists()
    pragmas = {
        name: db.conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 1,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }


def test_profile_round_trip_and_lookup(db: Database) -> None:
    added = db.profiles.add(
        Profile(
            name="Studio",
            region="custom",
            base_url="http://localhost:8888/",
            bot_id="b",
            user_id="u",
            stream=False,
            auto_save_history=False,
            custom_variables={"city": "北京"},
        )
    )
    assert added.created_at > 0
    assert len(added.id) == 32
    assert db.profiles.get(added.id) == added
    assert db.profiles.by_name("studio") == added
    assert added.api_base_url == "http://localhost:8888"
    assert Profile(region="com").api_base_url == "https://api.coze.com"
    updated = db.profiles.update(Profile(**{**added.__dict__, "bot_id": "b2"}))
    assert db.profiles.get(added.id) == updated
    assert updated.bot_id == "b2"
    assert [p.name for p in db.profiles.list()] == ["Studio"]


def test_profile_validation_and_duplicate_names(db: Database, profile: Profile) -> None:
    with pytest.raises(StorageError, match="already exists"):
        db.profiles.add(Profile(name="Weather"))
    with pytest.raises(ValueError, match="needs a name"):
        db.profiles.add(Profile(name=""))
    with pytest.raises(ValueError, match="needs a base URL"):
        db.profiles.add(Profile(name="x", region="custom"))
    with pytest.raises(StorageError) as info:
        db.profiles.update(Profile(name="ghost"))
    assert info.value.kind == "not_found"


def test_deleting_a_profile_deletes_its_history(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id, "t")
    db.messages.add(session.id, "user", "question", "hi")
    assert db.profiles.delete(profile.id)
    assert db.sessions.get(session.id) is None
    assert db.query("SELECT count(*) FROM messages")[0][0] == 0
    assert not db.profiles.delete(profile.id)


def test_session_changes(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id, "First")
    db.sessions.rename(session.id, "Renamed")
    db.sessions.set_conversation_id(session.id, "7390")
    db.sessions.set_pinned(session.id, True)
    db.sessions.touch(session.id, at=123.0)
    stored = db.sessions.get(session.id)
    assert stored is not None
    assert (stored.title, stored.conversation_id, stored.pinned, stored.updated_at) == (
        "Renamed",
        "7390",
        True,
        123.0,
    )
    assert db.sessions.count() == 1
    assert db.sessions.count(profile.id) == 1
    assert db.sessions.delete(session.id)
    assert db.sessions.get(session.id) is None


def test_sessions_list_pinned_first_then_newest(db: Database, profile: Profile) -> None:
    other = db.profiles.add(Profile(name="Other"))
    old, mid, new = (db.sessions.create(profile.id, t) for t in ("old", "mid", "new"))
    elsewhere = db.sessions.create(other.id, "elsewhere")
    for at, s in enumerate((old, mid, new, elsewhere)):
        db.sessions.touch(s.id, at=1000.0 + at)
    db.sessions.set_pinned(old.id, True)
    assert [s.title for s in db.sessions.list()] == ["old", "elsewhere", "new", "mid"]
    assert [s.title for s in db.sessions.list(profile.id)] == ["old", "new", "mid"]
    db.messages.add(mid.id, "user", "question", "bump", created_at=2000.0)
    assert [s.title for s in db.sessions.list(profile.id)] == ["old", "mid", "new"]
    pages = [db.sessions.list(limit=2), db.sessions.list(limit=1, offset=2),
             db.sessions.list(offset=3)]  # fmt: skip
    assert [[s.title for s in page] for page in pages] == [["old", "mid"], ["elsewhere"], ["new"]]
    assert db.sessions.list(offset=4) == []


def test_message_round_trip_and_update(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id)
    msg = db.messages.add(session.id, "assistant", "answer", status="streaming", chat_id="c1")
    assert msg.status == "streaming"
    assert msg.tools == []
    assert msg.usage is None
    tools = [ToolRecord(name="天气查询", arguments={"city": "北京"}, output="晴")]
    changes: dict[str, Any] = {
        "content": "Sunny",
        "reasoning": "think",
        "tools": tools,
        "follow_ups": ["a", "b"],
        "status": "complete",
        "usage": UsageRecord(token_count=9),
        "log_id": "L1",
        "ttft_ms": 120,
        "total_ms": 900,
        "error": None,
    }
    db.messages.update(msg.id, **changes)
    stored = db.messages.get(msg.id)
    assert stored == StoredMessage(
        id=msg.id,
        session_id=session.id,
        role="assistant",
        kind="answer",
        chat_id="c1",
        created_at=msg.created_at,
        **changes,
    )
    stored.content, stored.status = "Edited", "failed"
    stored.error = ErrorRecord(status=200, code=4028, msg="quota", log_id="L1")
    db.messages.replace(stored)
    assert db.messages.get(msg.id) == stored
    copy = db.messages.add_message(stored)
    assert message_fields(copy) == message_fields(stored)
    assert copy.id != stored.id


def test_message_validation(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id)
    with pytest.raises(ValueError, match="status"):
        db.messages.add(session.id, "assistant", "answer", status="done")
    with pytest.raises(ValueError, match="role"):
        db.messages.add(session.id, "bot", "answer")
    msg = db.messages.add(session.id, "user", "question", "q")
    with pytest.raises(ValueError, match="Unknown"):
        db.messages.update(msg.id, session_id=5)
    with pytest.raises(StorageError):
        db.messages.add(999, "user", "question", "orphan")  # foreign key


def test_messages_list_is_chronological_and_pages_backwards(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id)
    ids = [db.messages.add(session.id, "user", "question", str(i)).id for i in range(10)]
    assert [m.content for m in db.messages.list(session.id)] == [str(i) for i in range(10)]
    latest = db.messages.list(session.id, limit=3)
    assert [m.content for m in latest] == ["7", "8", "9"]
    older = db.messages.list(session.id, limit=3, before_id=latest[0].id)
    assert [m.content for m in older] == ["4", "5", "6"]
    assert db.messages.count(session.id) == 10
    assert db.messages.delete_from(session.id, ids[8]) == 2
    assert db.messages.count(session.id) == 8
    assert db.messages.delete(ids[0])
    assert db.messages.count(session.id) == 7


def test_search_title_and_content(db: Database, profile: Profile) -> None:
    a = db.sessions.create(profile.id, "Trip to Hangzhou")
    b = db.sessions.create(profile.id, "misc")
    c = db.sessions.create(profile.id, "100 items")
    db.messages.add(b.id, "assistant", "answer", "北京今天天气晴，适合骑行。 Weather is SUNNY")
    db.messages.add(c.id, "user", "question", "Grüße aus MÜNCHEN")

    def found(query: str) -> set[int]:
        return {s.id for s in db.sessions.list(query=query)}

    assert found("hangzhou") == {a.id}
    assert found("sunny weather") == set()
    assert found("weather is sunny") == {b.id}
    assert found("天气") == {b.id}  # two characters: LIKE path
    assert found("适合骑行") == {b.id}  # FTS path (when available)
    assert found("münchen") == {c.id}
    assert found("%") == set()
    assert found("_") == set()
    assert found("  ") == {a.id, b.id, c.id}
    assert found("100") == {c.id}
    assert db.sessions.list(profile_id="nobody", query="weather") == []


def test_search_sees_a_streaming_answer_once_finished(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id)
    msg = db.messages.add(session.id, "assistant", "answer", "", status="streaming")
    for text in ("Par", "Partial ans", "Partial answer about kites"):
        db.messages.update(msg.id, content=text)
    db.messages.update(msg.id, status="complete")
    assert [s.id for s in db.sessions.list(query="about kites")] == [session.id]
    db.messages.update(msg.id, content="Something else")
    assert db.sessions.list(query="about kites") == []
    assert [s.id for s in db.sessions.list(query="something")] == [session.id]
    db.messages.delete(msg.id)
    assert db.sessions.list(query="something") == []


def test_usable_from_another_thread(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for i in range(50):
                db.messages.add(session.id, "user", "question", str(i))
        except BaseException as exc:  # noqa: BLE001 - collected for the main thread to assert on
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert db.messages.count(session.id) == 150


def _plan(db: Database, sql: str, params: tuple[object, ...] = ()) -> str:
    rows = db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(str(row[3]) for row in rows)


def test_find_latest_message(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id)
    q1 = db.messages.add(session.id, "user", "question", "first")
    a1 = db.messages.add(session.id, "assistant", "answer", "one", log_id="L1")
    q2 = db.messages.add(session.id, "user", "question", "second")
    db.messages.add(session.id, "assistant", "answer", "two", log_id="L2")
    find = db.messages.find_latest
    assert find(session.id, question=True) == q2
    assert find(session.id, question=True, up_to=a1.id) == q1
    assert find(session.id, log_id="L1") == a1
    assert find(session.id, log_id="nope") is None
    assert find(session.id + 1, question=True) is None


def test_hot_queries_use_indexes(db: Database) -> None:
    assert "messages_streaming" in _plan(
        db, "UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'"
    )
    assert "messages_by_session" in _plan(
        db,
        "SELECT * FROM messages WHERE session_id = ? AND id < ? ORDER BY id DESC LIMIT 50",
        (1, 2),
    )
    listing = _plan(
        db,
        "SELECT * FROM sessions s WHERE s.profile_id = ? "
        "ORDER BY s.pinned DESC, s.updated_at DESC, s.id DESC",
        ("p",),
    )
    assert "sessions_by_profile" in listing
    assert "TEMP B-TREE" not in listing


def _fill(db: Database, sessions: int, messages: int) -> list[int]:
    profile = db.profiles.add(Profile(name="Bench"))
    ids = [db.sessions.create(profile.id, f"Session {i}").id for i in range(sessions)]
    rows = (
        {
            "session_id": ids[i % sessions],
            "role": "user" if i % 2 == 0 else "assistant",
            "kind": "question" if i % 2 == 0 else "answer",
            "created_at": 1_000_000.0 + i,
            "content": f"message {i} about topic {i % 97}; " + "lorem ipsum " * 8,
        }
        for i in range(messages)
    )
    assert db.messages.add_many(rows) == messages
    return ids


def test_scale_500_sessions_50k_messages(tmp_path: Path) -> None:
    path = tmp_path / "big.sqlite3"
    with Database.open(path) as db:
        ids = _fill(db, 500, 50_000)
    db = Database.open(path)
    try:
        listing = db.sessions.list()
        assert len(listing) == 500
        assert listing[0].id == ids[-1]
        latest = db.messages.list(ids[7], limit=50)
        assert len(latest) == 50
        assert latest[-1].content.startswith("message 49507 ")
        hits = db.sessions.list(query="message 31415 about")
        assert [s.id for s in hits] == [ids[31415 % 500]]
    finally:
        db.close()


def test_answer_parts_written_by_older_versions_still_read(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id)
    msg = db.messages.add(session.id, "assistant", "answer", status="failed")
    old_tools = '[{"name": "天气查询", "arguments": {"city": "北京"}, "output": "晴", "extra": 1}]'
    with db.transaction() as conn:
        conn.execute(
            "UPDATE messages SET tools = ?, usage = ?, error = ? WHERE id = ?",
            (old_tools, '{"prompt_tokens": 4, "completion_tokens": 6, "total_tokens": 10}',
             "{not json", msg.id),
        )  # fmt: skip
    stored = db.messages.get(msg.id)
    assert stored is not None
    assert stored.tools == [ToolRecord(name="天气查询", arguments={"city": "北京"}, output="晴")]
    assert stored.usage == UsageRecord(token_count=10, output_count=6, input_count=4)
    assert stored.error is None  # a damaged value reads as empty, the row still loads


def test_bot_card_of_a_deleted_profile_is_not_saved(tmp_path: Path) -> None:
    from desktop.storage.bots import BotCard

    with Database.open(tmp_path / "h.sqlite3") as db:
        profile = db.profiles.add(Profile(name="gone", region="cn", bot_id="1"))
        db.profiles.delete(profile.id)  # while its refresh was on the way
        db.bots.save(BotCard(profile.id, "1", "Bot"))
        assert db.bots.fail(profile.id, "1", "refused").error == "refused"
        assert db.bots.get(profile.id) is None


def test_server_ids_are_unique_per_session_and_find_what_is_here(
    db: Database, profile: Profile
) -> None:
    first = db.sessions.create(profile.id, conversation_id="C1")
    other = db.sessions.create(profile.id, conversation_id="C2")
    db.sessions.create(profile.id)  # not on the server
    db.messages.add(first.id, "user", "question", "imported", server_id="M1", chat_id="K1")
    db.messages.add(first.id, "user", "question", "sent from here", chat_id="K2")
    db.messages.add(first.id, "assistant", "answer", "no ids at all")
    db.messages.add(other.id, "user", "question", "same id, other chat", server_id="M1")
    with pytest.raises(StorageError):
        db.messages.add(first.id, "user", "question", "twice", server_id="M1")
    assert db.messages.server_keys(first.id) == ({"M1"}, {("K2", "user")})
    assert db.sessions.by_conversation(profile.id) == {"C1": first.id, "C2": other.id}


def test_comparisons_link_sessions_in_column_order(db: Database, profile: Profile) -> None:
    other = db.profiles.add(Profile(name="other", region="cn", bot_id="2"))
    a, b = db.sessions.create(profile.id), db.sessions.create(other.id)
    made = db.comparisons.create([b.id, a.id])
    assert db.comparisons.get(made.id) == made
    assert [c.session_ids for c in db.comparisons.list()] == [(b.id, a.id)]
    assert db.comparisons.of_session(a.id) == [made.id]
    with pytest.raises(ValueError, match="1 to 4"):
        db.comparisons.create([])
    db.sessions.delete(b.id)  # a deleted chat leaves its comparison
    assert db.comparisons.get(made.id).session_ids == (a.id,)  # type: ignore[union-attr]
    db.sessions.delete(a.id)  # with no column left, it is no longer listed
    assert db.comparisons.list() == []
    kept = db.sessions.create(profile.id)
    second = db.comparisons.create([kept.id])
    assert db.comparisons.delete(second.id)
    assert db.sessions.get(kept.id) is not None  # deleting a comparison keeps its chats

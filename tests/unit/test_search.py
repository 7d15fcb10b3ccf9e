"""History search: short CJK words through the index, short Latin word starts, snippets with
their matches marked, bounded work, the index kept in step, and the upgrade that builds it."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from desktop.storage import SCHEMA_VERSION, Database
from desktop.storage import migrations as mig
from desktop.storage.backfill import BUDGET_S, MAX_CHUNK, Backfill, index_chunk, next_chunk
from desktop.storage.db import INTERACTIVE_BUSY_TIMEOUT_MS
from desktop.storage.search import pending_to, plan, search, snippet
from desktop.storage.terms import short_terms
from tests.waiting import wait_until

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.storage import Profile

WEATHER = "北京今天天气晴，适合骑行。Python and pytest say: the forecast is SUNNY"


def found(db: Database, query: str, profile_id: str | None = None) -> set[int]:
    return {hit.session.id for hit in db.sessions.search(query, profile_id).hits}


def test_cjk_runs_become_characters_and_pairs() -> None:
    terms = short_terms("今天天气 ok好").split()
    assert terms == ["今", "天", "天", "气", "今天", "天天", "天气", "ok", "好"]
    assert short_terms("plain text") == "plain text"


def test_two_and_one_character_cjk_words_are_found_through_the_index(
    db: Database, profile: Profile
) -> None:
    ride = db.sessions.create(profile.id, "misc")
    other = db.sessions.create(profile.id, "other")
    db.messages.add(ride.id, "assistant", "answer", WEATHER)
    db.messages.add(other.id, "user", "question", "上海下雨")
    assert db.short_fts
    assert plan("骑行", db.fts, db.short_fts).table == mig.SHORT_FTS_TABLE
    assert found(db, "骑行") == {ride.id}
    assert found(db, "天气") == {ride.id}
    assert found(db, "骑") == {ride.id}
    assert found(db, "雨") == {other.id}
    assert found(db, "行骑") == set()  # the characters are there, not next to each other
    assert found(db, "适合骑行") == {ride.id}  # three or more: the trigram index
    assert found(db, "骑行", profile_id="nobody") == set()
    # the list's own search (the CLI's) agrees
    assert {s.id for s in db.sessions.list(query="骑行")} == {ride.id}


def test_short_latin_queries_match_the_starts_of_words(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id, "misc")
    db.messages.add(session.id, "assistant", "answer", WEATHER)
    how = plan("py", db.fts, db.short_fts)
    assert (how.table, how.word_start) == (mig.SHORT_FTS_TABLE, True)
    assert found(db, "py") == {session.id}
    assert found(db, "PY") == {session.id}
    assert found(db, "s") == {session.id}  # say, SUNNY
    assert found(db, "yt") == set()  # inside a word: too short for the substring index
    assert found(db, "yth") == {session.id}  # three characters: any substring


def test_a_hit_carries_a_snippet_with_every_match_marked(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id, "misc")
    long = "开头" * 40 + "，我们周末去骑行吧。" + "后来" * 5 + "骑行很好。"
    message = db.messages.add(session.id, "assistant", "answer", long)
    (hit,) = db.sessions.search("骑行").hits
    assert hit.message_id == message.id
    assert hit.snippet is not None
    text, marks = hit.snippet.text, hit.snippet.marks
    assert text.startswith("…")
    assert len(marks) == 2
    assert all(text[start : start + length] == "骑行" for start, length in marks)
    assert marks[0][0] <= 20  # the first match near the start: visible in a narrow sidebar


def test_snippets_of_latin_text() -> None:
    cut = snippet("line one\n\n" + "word " * 30 + "Python   rocks, pytest too", "py", True)
    assert cut.text.startswith("…")
    assert "\n" not in cut.text
    assert [cut.text[s : s + n] for s, n in cut.marks] == ["Py", "py"]
    assert snippet("spython", "py", True).marks == ()  # not a word start
    assert snippet("short", "zz").text == "short"
    markdown = snippet("## Plan\n\n- **Ride** along the `river`", "ri")
    assert markdown.text == "Plan Ride along the river"
    assert [markdown.text[s : s + n] for s, n in markdown.marks] == ["Ri", "ri"]
    assert snippet("a **b** c", "**b").marks == ((2, 3),)  # a query with markup: the raw text


def test_a_title_match_has_no_snippet(db: Database, profile: Profile) -> None:
    session = db.sessions.create(profile.id, "骑行计划")
    db.messages.add(session.id, "user", "question", "nothing relevant")
    (hit,) = db.sessions.search("骑行").hits
    assert (hit.session.id, hit.message_id, hit.snippet) == (session.id, None, None)
    assert hit.title_marks == ((0, 2),)


def test_results_follow_the_list_order_and_the_work_is_bounded(
    db: Database, profile: Profile
) -> None:
    sessions = [db.sessions.create(profile.id, f"s{i}") for i in range(6)]
    rows = [{"session_id": s.id, "role": "user", "kind": "question", "content": f"天气 {n}"}
            for s in sessions for n in range(5)]  # fmt: skip
    db.messages.add_many(rows)
    db.sessions.set_pinned(sessions[0].id, True)
    everything = db.sessions.search("天气")
    assert everything.complete
    assert [h.session.id for h in everything.hits][:1] == [sessions[0].id]
    assert len(everything.hits) == 6
    bounded = search(db, "天气", scan=7)  # the 7 newest matching messages: 2 sessions
    assert not bounded.complete
    assert {h.session.id for h in bounded.hits} == {sessions[4].id, sessions[5].id}
    assert len(search(db, "天气", limit=3).hits) == 3


def test_the_short_index_follows_edits_deletes_and_streaming(
    db: Database, profile: Profile
) -> None:
    session = db.sessions.create(profile.id)
    msg = db.messages.add(session.id, "assistant", "answer", "", status="streaming")
    db.messages.update(msg.id, content="骑行")
    assert found(db, "骑行") == set()  # not indexed while streaming
    db.messages.update(msg.id, status="complete")
    assert found(db, "骑行") == {session.id}
    db.messages.update(msg.id, content="天气")
    assert (found(db, "骑行"), found(db, "天气")) == (set(), {session.id})
    db.messages.delete(msg.id)
    assert found(db, "天气") == set()
    other = db.sessions.create(profile.id)
    db.messages.add(other.id, "user", "question", "天气")
    db.sessions.delete(other.id)  # messages go by cascade: their index entries too
    left = db.query(f"SELECT count(*) FROM {mig.SHORT_FTS_TABLE} WHERE terms MATCH '天气'")
    assert left[0][0] == 0


def test_a_reader_sees_what_the_writer_committed(db: Database, profile: Profile) -> None:
    reader = db.reader()
    try:
        assert reader.conn is not db.conn
        session = db.sessions.create(profile.id)
        db.messages.add(session.id, "user", "question", "骑行")
        assert found(reader, "骑行") == {session.id}
        assert reader.short_fts
    finally:
        reader.close()


def _previous_version_history(path: Path) -> int:
    """A history at the version before the short-term index, with messages; its version."""
    before = mig.MIGRATIONS.index(mig._v7_search_bigrams)
    conn = sqlite3.connect(path, isolation_level=None)
    mig.migrate(conn, None, target=before)
    conn.execute("INSERT INTO profiles (id, name, region, created_at, updated_at) "
                 "VALUES ('p1', 'Bot', 'cn', 1, 1)")  # fmt: skip
    conn.execute("INSERT INTO sessions (id, profile_id, title, created_at, updated_at) "
                 "VALUES (1, 'p1', 'old chat', 1, 1), (2, 'p1', 'live', 1, 2), "
                 "(3, 'p1', 'edited', 1, 3)")  # fmt: skip
    conn.executemany(
        "INSERT INTO messages (session_id, role, kind, content, status, created_at) "
        "VALUES (?, ?, ?, ?, ?, 1)",
        [(1, "user", "question", "周末去骑行吗？", "complete"),
         (1, "assistant", "answer", "Python is fine", "complete"),
         (2, "assistant", "answer", "骑行中", "streaming"),
         (3, "user", "question", "下雨", "complete")],
    )  # fmt: skip
    conn.close()
    return before


def test_upgrade_indexes_the_messages_already_stored_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    before = _previous_version_history(path)
    with Database.open(path) as db:
        assert db.schema_version == SCHEMA_VERSION
        assert mig.backup_path(path, before).exists()
        assert db.interrupted_at_open == 1  # the row left streaming
        assert pending_to(db) == 4  # the upgrade indexed nothing: it stays quick
        assert Backfill.needed(db)
        # meanwhile the older messages are found all the same, and the search says why
        # they may be incomplete
        pending = db.sessions.search("骑行")
        assert ({h.session.id for h in pending.hits}, pending.indexing) == ({1, 2}, True)
        assert {s.id for s in db.sessions.list(query="骑行")} == {1, 2}
        # an edit and a delete of a message not indexed yet leave the index alone
        db.messages.update(4, content="天晴")
        db.messages.add(3, "assistant", "answer", "带伞")
        db.messages.delete(1)
        backfill = Backfill(db)
        backfill.start()
        wait_until(lambda: not backfill.running, what="the backfill to finish")
        backfill.stop()
        assert pending_to(db) == 0
        assert not Backfill.needed(db)
        done = db.sessions.search("骑行")
        assert ({h.session.id for h in done.hits}, done.indexing) == ({2}, False)
        assert found(db, "晴") == {3}
        assert found(db, "雨") == set()
        assert found(db, "伞") == {3}
        assert found(db, "py") == {1}
        (hit,) = db.sessions.search("骑行").hits
        assert hit.snippet is not None
        assert hit.snippet.marks == ((0, 2),)
        rows = db.query(f"SELECT count(*) FROM {mig.SHORT_FTS_TABLE} WHERE terms MATCH '骑行'")
        assert rows[0][0] == 1
        assert db.integrity_check() == "ok"


def test_the_backfill_goes_in_small_steps_newest_first(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _previous_version_history(path)
    with Database.open(path) as db:
        assert index_chunk(db, chunk=1) == 3
        assert found(db, "天") == set()  # message 4 indexed, not found by the index: 下雨
        assert index_chunk(db, chunk=2) == 1
        assert index_chunk(db, chunk=2) == 0
        assert index_chunk(db, chunk=2) == 0
        assert found(db, "骑行") == {1, 2}


def test_the_backfill_sizes_its_steps_to_its_time_budget() -> None:
    assert next_chunk(50, 3 * BUDGET_S) == 25
    assert next_chunk(1, 10 * BUDGET_S) == 1
    assert next_chunk(50, BUDGET_S / 4) == 100
    assert next_chunk(MAX_CHUNK, 0.0) == MAX_CHUNK
    assert next_chunk(50, BUDGET_S) == 50


def test_the_windows_writes_never_time_out_while_the_backfill_runs(tmp_path: Path) -> None:
    """The window's connection waits at most 10 ms for the write lock: the backfill's
    transactions must stay shorter than that, on a history large enough to take a while."""
    path = tmp_path / "h.sqlite3"
    _previous_version_history(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executemany(
        "INSERT INTO messages (session_id, role, kind, content, status, created_at) "
        "VALUES (1, 'assistant', 'answer', ?, 'complete', 1)",
        [(f"第{i}次骑行 ride number {i} " * 8,) for i in range(3_000)],
    )
    conn.close()
    with Database.open(path) as db:
        db.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT_MS)
        backfill = Backfill(db)
        backfill.start()
        written = 0
        try:
            while backfill.running:  # every write below would raise StorageError if it timed out
                db.messages.add(3, "user", "question", f"天气 {written}")
                written += 1
        finally:
            backfill.stop()
        assert pending_to(db) == 0
        assert written > 0
        assert db.integrity_check() == "ok"

"""Server conversations into the local history: list, import, re-import, sync, stop, faults,
delete on the server — through the simulator over loopback, into a real SQLite file."""

from __future__ import annotations

import asyncio
import json

import pytest

from desktop.api import errors
from desktop.api.client import ClientConfig, CozeClient
from desktop.api.models import ChatRequest
from desktop.core import conversations as cv
from desktop.core.chat import ChatSession
from desktop.simulator import Simulator, bots
from desktop.simulator.protocol import DropResponse, error
from desktop.storage import Database, Profile

TURNS = 40  # 40 questions + 40 answers + their middle messages: several pages of 50


# ``sim`` (tests/conftest.py): a simulator of the test's own, as the conversation list is per
# server.


def _profile(db: Database, sim: Simulator, bot_id: str = bots.ECHO_BOT_ID) -> Profile:
    return db.profiles.add(
        Profile(name="sim", region="custom", base_url=sim.base_url, bot_id=bot_id, user_id="u")
    )


def _client(sim: Simulator) -> CozeClient:
    return CozeClient(ClientConfig(base_url=sim.base_url, token=bots.DEMO_TOKEN, max_retries=1))


def _turns(n: int, prefix: str = "q") -> list[tuple[str, str]]:
    return [(f"{prefix}{i}", f"answer to {prefix}{i}") for i in range(n)]


def _contents(db: Database, session_id: int) -> list[tuple[str, str]]:
    return [(m.role, m.content) for m in db.messages.list(session_id)]


def _expected(turns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [row for q, a in turns for row in (("user", q), ("assistant", a))]


def test_list_marks_local_and_import_spans_pages(sim: Simulator, db: Database) -> None:
    profile = _profile(db, sim)
    big = sim.store.seed_history(bots.ECHO_BOT_ID, _turns(TURNS), created_at=1_700_000_000)
    small = sim.store.seed_history(bots.ECHO_BOT_ID, _turns(1, "s"), created_at=1_700_000_500)
    sim.store.seed_history(bots.DEMO_BOT_ID, _turns(1, "other bot"))
    progress: list[cv.ImportProgress] = []

    async def scenario() -> tuple[list[cv.ServerConversation], cv.ImportResult,
                                  list[cv.ServerConversation]]:  # fmt: skip
        async with _client(sim) as client:
            before = await cv.list_conversations(client, db, profile)
            result = await cv.import_conversation(
                client, db, profile, big.id, on_progress=progress.append
            )
            after = await cv.list_conversations(client, db, profile)
        return before, result, after

    before, result, after = asyncio.run(scenario())
    assert [c.id for c in before] == [small.id, big.id]  # newest first, only this bot's
    assert [c.title for c in before] == ["s0", "q0"]  # the first question
    assert not any(c.local for c in before)
    assert result.complete
    assert result.created
    assert result.pages >= 3
    assert [p.added for p in progress] == sorted(p.added for p in progress)
    assert progress[-1].added == result.added == 2 * TURNS
    assert _contents(db, result.session_id or 0) == _expected(_turns(TURNS))
    answers = [m for m in db.messages.list(result.session_id or 0) if m.role == "assistant"]
    assert answers[0].follow_ups == ["Tell me more about “q0”"]
    assert {c.id: c.session_id for c in after} == {small.id: None, big.id: result.session_id}
    session = db.sessions.get(result.session_id or 0)
    assert session is not None
    assert session.conversation_id == big.id
    assert session.title == "q0"
    # list all: every page of GET /v1/conversations was read
    pages = [r for r in sim.requests if r.path == "/v1/conversations"]
    assert all(r.query["page_size"] == "50" for r in pages)


def test_reimport_brings_no_duplicates_and_sync_only_new(sim: Simulator, db: Database) -> None:
    profile = _profile(db, sim)
    conv = sim.store.seed_history(bots.ECHO_BOT_ID, _turns(30))

    async def scenario() -> tuple[cv.ImportResult, cv.ImportResult, cv.ImportResult]:
        async with _client(sim) as client:
            first = await cv.import_conversation(client, db, profile, conv.id)
            again = await cv.import_conversation(client, db, profile, conv.id)
            sim.store.add_turn(conv, "asked elsewhere", "answered elsewhere")
            session = db.sessions.get(first.session_id or 0)
            assert session is not None
            synced = await cv.sync_session(client, db, profile, session)
        return first, again, synced

    first, again, synced = asyncio.run(scenario())
    assert first.added == 60
    assert again.added == 0
    assert not again.created
    assert synced.added == 2
    assert synced.session_id == first.session_id
    assert _contents(db, first.session_id or 0) == [
        *_expected(_turns(30)), ("user", "asked elsewhere"), ("assistant", "answered elsewhere"),
    ]  # fmt: skip


def test_sync_skips_turns_sent_from_this_machine(sim: Simulator, db: Database) -> None:
    """A session chatted here holds chat ids, not server message ids: a sync must not copy
    those turns again, and brings the ones asked on another machine, with their tools."""
    profile = _profile(db, sim, bots.DEMO_BOT_ID)
    session = db.sessions.create(profile.id)

    async def scenario() -> cv.ImportResult:
        async with _client(sim) as client:
            await ChatSession(client, db, profile, session).send("hello")
            bound = db.sessions.get(session.id)
            assert bound is not None
            assert bound.conversation_id
            elsewhere = ChatRequest(bot_id=bots.DEMO_BOT_ID, user_id="u",
                                    text="北京今天天气怎么样?", conversation_id=bound.conversation_id)  # fmt: skip
            async for _ in client.stream_chat(elsewhere):
                pass
            return await cv.sync_session(client, db, profile, bound)

    result = asyncio.run(scenario())
    rows = db.messages.list(session.id)
    assert result.added == 2
    assert [m.content for m in rows if m.role == "user"] == ["hello", "北京今天天气怎么样?"]
    imported = rows[-1]
    assert imported.server_id
    assert imported.reasoning
    assert imported.follow_ups
    assert imported.tools
    assert imported.tools[0].name == "天气查询"
    assert imported.tools[0].done


def test_stop_mid_import_keeps_what_was_imported(sim: Simulator, db: Database) -> None:
    profile = _profile(db, sim)
    conv = sim.store.seed_history(bots.ECHO_BOT_ID, _turns(TURNS))
    pages: list[cv.ImportProgress] = []

    async def scenario() -> tuple[cv.ImportResult, cv.ImportResult]:
        async with _client(sim) as client:
            stopped = await cv.import_conversation(
                client, db, profile, conv.id, on_progress=pages.append,
                should_stop=lambda: len(pages) >= 1,
            )  # fmt: skip
            rest = await cv.import_conversation(client, db, profile, conv.id)
        return stopped, rest

    stopped, rest = asyncio.run(scenario())
    assert stopped.stopped
    assert not stopped.complete
    assert stopped.pages == 1
    assert 0 < stopped.added < 2 * TURNS
    assert rest.complete
    assert stopped.added + rest.added == 2 * TURNS
    assert _contents(db, stopped.session_id or 0) == _expected(_turns(TURNS))


@pytest.mark.parametrize("fault", ["drop", "server"])
def test_fault_mid_import_keeps_pages_and_says_so(sim: Simulator, db: Database, fault: str) -> None:
    profile = _profile(db, sim)
    conv = sim.store.seed_history(bots.ECHO_BOT_ID, _turns(TURNS))
    answer = DropResponse() if fault == "drop" else error(500, 5000, "internal server error")
    sim.store.fail_message_list(conv.id, after_pages=1, response=answer)

    async def scenario() -> tuple[cv.ImportResult, int, cv.ImportResult]:
        async with _client(sim) as client:
            broken = await cv.import_conversation(client, db, profile, conv.id)
            kept = db.messages.count(broken.session_id or 0)
            sim.store.heal_message_list(conv.id)
            rest = await cv.import_conversation(client, db, profile, conv.id)
        return broken, kept, rest

    broken, kept, rest = asyncio.run(scenario())
    assert isinstance(broken.error, errors.CozeError)
    assert not broken.complete
    text = broken.error.describe("en")
    assert ("5000" in text) if fault == "server" else "closed the connection" in text
    assert "Traceback" not in text
    assert kept == broken.added > 0
    assert rest.complete
    assert kept + rest.added == 2 * TURNS
    assert _contents(db, broken.session_id or 0) == _expected(_turns(TURNS))


def test_fault_before_anything_leaves_no_empty_session(sim: Simulator, db: Database) -> None:
    profile = _profile(db, sim)
    conv = sim.store.seed_history(bots.ECHO_BOT_ID, _turns(3))
    sim.store.fail_message_list(conv.id, after_pages=0, response=error(500, 5000, "boom"))

    async def scenario() -> cv.ImportSummary:
        async with _client(sim) as client:
            return await cv.import_all(client, db, profile)

    summary = asyncio.run(scenario())
    assert summary.error is not None
    assert summary.added == 0
    assert db.sessions.count(profile.id) == 0


def test_delete_on_server_removes_the_conversation(sim: Simulator, db: Database) -> None:
    profile = _profile(db, sim)
    conv = sim.store.seed_history(bots.ECHO_BOT_ID, _turns(2))
    keep = sim.store.seed_history(bots.ECHO_BOT_ID, _turns(1))

    async def scenario() -> tuple[cv.DeleteOutcome, cv.DeleteOutcome, cv.DeleteOutcome]:
        async with _client(sim) as client:
            first = await cv.import_conversation(client, db, profile, conv.id)
            other = await cv.import_conversation(client, db, profile, keep.id)
            s1 = db.sessions.get(first.session_id or 0)
            s2 = db.sessions.get(other.session_id or 0)
            assert s1 is not None
            assert s2 is not None
            gone = await cv.delete_session(client, db, s1, on_server=True)
            kept = await cv.delete_session(client, db, s2, on_server=False)
            # the server refuses (already gone): said, and the local delete still happens
            again = db.sessions.create(profile.id, conversation_id=conv.id)
            refused = await cv.delete_session(client, db, again, on_server=True)
        return gone, kept, refused

    gone, kept, refused = asyncio.run(scenario())
    assert gone.deleted
    assert gone.server_deleted
    assert gone.server_error is None
    assert sim.store.conversation(conv.id) is None
    request = sim.last_request(f"/v1/conversations/{conv.id}")
    assert request is not None
    assert request.method == "DELETE"
    assert kept.deleted
    assert not kept.server_deleted
    assert sim.store.conversation(keep.id)
    assert refused.deleted
    assert not refused.server_deleted
    assert refused.server_error is not None
    assert "4200" in refused.server_error.describe("en")
    assert db.sessions.count(profile.id) == 0


def test_object_string_question_reads_as_text() -> None:
    from desktop.api.events import Message

    items = [{"type": "text", "text": "what is this"}, {"type": "image", "file_id": "F1"}]
    message = Message(role="user", content=json.dumps(items), content_type="object_string")
    assert cv.question_text(message) == "what is this\n[image: F1]"

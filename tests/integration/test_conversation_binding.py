"""The session keeps its Coze conversation from ``chat.created`` on, even through a kill -9."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.api.client import ClientConfig, CozeClient
from desktop.core.chat import ChatSession
from desktop.simulator import Simulator, bots
from desktop.simulator.scenarios import HOLD_VARIABLE
from desktop.storage import Database

# The first answer of a new session: the simulator announces the conversation (chat.created)
# and then goes silent; once the session has heard it, the child says so and waits to be killed.
_CHILD = """
import asyncio, sys
from desktop.api.client import ClientConfig, CozeClient
from desktop.core.chat import ChatSession
from desktop.storage import Database, Profile

async def main(path, base_url, bot_id, token, hold):
    db = Database.open(path)
    profile = db.profiles.add(Profile(name="sim", region="custom", base_url=base_url,
        bot_id=bot_id, user_id="tester", custom_variables={hold: "created"}))
    session = db.sessions.create(profile.id)
    told = False
    def on_update(state):
        nonlocal told
        if state.conversation_id and not told:
            told = True
            print("created", state.conversation_id, flush=True)
    async with CozeClient(ClientConfig(base_url=base_url, token=token)) as client:
        await ChatSession(client, db, profile, session).send("first question", on_update)

asyncio.run(main(*sys.argv[1:]))
"""


@pytest.fixture
def killed_in_first_answer(tmp_path: Path, simulator: Simulator) -> tuple[Path, str]:
    """A history whose writer was killed between chat.created and the first delta; the
    conversation id the server announced."""
    path = tmp_path / "history.sqlite3"
    argv = [sys.executable, "-c", _CHILD, str(path), simulator.base_url, bots.ECHO_BOT_ID,
            bots.DEMO_TOKEN, HOLD_VARIABLE]  # fmt: skip
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, cwd=Path(__file__).parents[2], text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            word, conversation_id = proc.stdout.readline().split()
            assert word == "created"
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    return path, conversation_id


def test_kill_after_chat_created_keeps_the_conversation(
    killed_in_first_answer: tuple[Path, str],
) -> None:
    path, conversation_id = killed_in_first_answer
    with Database.open(path) as db:
        (session,) = db.sessions.list()
        assert session.conversation_id == conversation_id
        question, answer = db.messages.list(session.id)
        assert question.content == "first question"
        assert answer.status == "interrupted"
        assert question.chat_id
        assert question.chat_id == answer.chat_id


def test_the_next_question_after_the_kill_continues_the_conversation(
    killed_in_first_answer: tuple[Path, str], simulator: Simulator
) -> None:
    path, conversation_id = killed_in_first_answer

    async def ask_again() -> tuple[str, str, bool]:
        with Database.open(path) as db:
            (session,) = db.sessions.list()
            profile = db.profiles.get(session.profile_id)
            assert profile is not None
            profile.custom_variables.clear()
            config = ClientConfig(base_url=simulator.base_url, token=bots.DEMO_TOKEN)
            async with CozeClient(config) as client:
                chat = ChatSession(client, db, profile, session)
                unlinked = chat.unlinked()
                result = await chat.send("second question")
        return result.conversation_id, result.message.content, unlinked

    returned, content, unlinked = asyncio.run(ask_again())
    assert not unlinked
    assert returned == conversation_id
    assert "(turn 2 in this conversation)" in content


def test_a_session_that_had_turns_but_lost_its_conversation_is_unlinked(
    killed_in_first_answer: tuple[Path, str],
) -> None:
    path, _conversation_id = killed_in_first_answer
    with Database.open(path) as db:
        (session,) = db.sessions.list()
        db.sessions.set_conversation_id(session.id, "")  # as an older release left it
        profile = db.profiles.get(session.profile_id)
        assert profile is not None
        client = CozeClient(ClientConfig(base_url="http://127.0.0.1:9", token=bots.DEMO_TOKEN))
        lost = db.sessions.get(session.id)
        assert lost is not None
        assert ChatSession(client, db, profile, lost).unlinked()
        fresh = db.sessions.create(profile.id)
        assert not ChatSession(client, db, profile, fresh).unlinked()
        asyncio.run(client.aclose())

"""The controller: task ownership, one turn per session, coalesced updates, stop, shutdown."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from desktop import paths
from desktop.core.clients import ClientPool
from desktop.netlog import NetLog
from desktop.secrets import MemorySecretStore
from desktop.simulator import DEMO_TOKEN, ECHO_BOT_ID, LONG_BOT_ID, SLOW_BOT_ID, Simulator
from desktop.storage import Database, Profile
from desktop.ui.bridge.controller import ChatController, ConnectionState, TurnStarted, TurnUpdated

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytestqt.qtbot import QtBot


class Env:
    def __init__(self, qtbot: QtBot, sim: Simulator) -> None:
        self.qtbot = qtbot
        self.sim = sim
        self.db = Database.open(paths.db_path())
        self.secrets = MemorySecretStore()
        self.netlog = NetLog()
        self.controller = ChatController(self.db, self.secrets, ClientPool(self.netlog))

    def session(self, bot_id: str, token: str | None = DEMO_TOKEN, **fields: Any) -> int:
        profile = self.db.profiles.add(Profile(name=f"p{bot_id}{len(self.db.profiles.list())}",
                                               region="custom", base_url=self.sim.base_url,
                                               bot_id=bot_id, user_id="u", **fields))  # fmt: skip
        if token:
            self.secrets.set(profile.id, token)
        return self.db.sessions.create(profile.id).id

    def finish(self, session_id: int, text: str, timeout: int = 15_000) -> Any:
        with self.qtbot.waitSignal(self.controller.turn_finished, timeout=timeout) as blocker:
            assert self.controller.send(session_id, text) == "started"
        return blocker.args[0]

    def close(self) -> None:
        task = asyncio.ensure_future(self.controller.shutdown())
        self.qtbot.waitUntil(task.done, timeout=10_000)
        self.db.close()


@pytest.fixture
def env(qtbot: QtBot, qloop: Any, sim: Simulator) -> Iterator[Env]:
    built = Env(qtbot, sim)
    yield built
    built.close()


def test_turn_emits_started_updates_and_finished_in_order(env: Env) -> None:
    session_id = env.session(ECHO_BOT_ID)
    events: list[object] = []
    env.controller.turn_started.connect(events.append)
    env.controller.turn_updated.connect(events.append)
    result = env.finish(session_id, "hello")
    assert isinstance(events[0], TurnStarted)
    assert events[0].question.content == "hello"
    assert events[0].answer.status == "streaming"
    assert all(isinstance(e, TurnUpdated) for e in events[1:])
    assert result.message.status == "complete"
    assert "hello" in result.message.content
    assert not env.controller.is_busy(session_id)
    env.qtbot.waitUntil(lambda: not env.controller._tasks, timeout=2_000)  # done-callback ran


def test_updates_are_coalesced_to_frames(env: Env) -> None:
    # paced (about 0.2 s in all): an unpaced stream can end within one frame on a fast machine
    variables = {"size": "60000", "deltas": "3000", "delay_ms": "0.05"}
    session_id = env.session(LONG_BOT_ID, custom_variables=variables)
    updates: list[TurnUpdated] = []
    env.controller.turn_updated.connect(updates.append)
    result = env.finish(session_id, "long please")
    assert len(result.message.content) >= 50_000
    assert 0 < len(updates) < 3000 / 4  # far fewer snapshots than deltas


def test_turns_started_together_are_handed_on_one_per_pass(env: Env) -> None:
    """A comparison starts its columns in one go: each column's first rows are built in a pass
    of its own, so N columns never add up to one long pause; every turn still finishes."""
    from PySide6.QtCore import QTimer

    sessions = [env.session(ECHO_BOT_ID) for _ in range(3)]
    passes = {"n": 0}
    ticker = QTimer(interval=0)  # fires once per pass of the event loop
    ticker.timeout.connect(lambda: passes.__setitem__("n", passes["n"] + 1))
    ticker.start()
    started: list[tuple[int, int]] = []
    finished: list[tuple[int, int]] = []
    env.controller.turn_started.connect(lambda e: started.append((e.session_id, passes["n"])))
    env.controller.turn_finished.connect(lambda e: finished.append((e.session_id, passes["n"])))
    outcomes = env.controller.send_many(sessions, "together")
    assert set(outcomes.values()) == {"started"}
    env.qtbot.waitUntil(lambda: len(finished) == 3, timeout=15_000)
    ticker.stop()
    assert [sid for sid, _ in started] == sessions  # in order
    assert len({seen for _, seen in started}) == 3  # each in a pass of its own
    assert len({seen for _, seen in finished}) == 3
    assert {sid for sid, _ in finished} == set(sessions)


def test_one_turn_per_session_and_missing_token(env: Env) -> None:
    slow = env.session(SLOW_BOT_ID)
    assert env.controller.send(slow, "one") == "started"
    assert env.controller.send(slow, "two") == "busy"
    assert env.controller.send(env.session(ECHO_BOT_ID, token=None), "x") == "no_token"
    assert env.controller.send(slow, "   ") == "empty"
    assert env.controller.send(99_999, "x") == "no_session"
    with env.qtbot.waitSignal(env.controller.turn_finished, timeout=10_000) as done:
        assert env.controller.stop(slow)
    assert done.args[0].message.status == "stopped"
    assert not env.controller.stop(slow)


def test_sessions_stream_concurrently(env: Env) -> None:
    a, b = env.session(SLOW_BOT_ID), env.session(SLOW_BOT_ID)
    assert env.controller.send(a, "a") == "started"
    assert env.controller.send(b, "b") == "started"
    assert set(env.controller.busy_sessions()) == {a, b}
    env.controller.stop_all()
    env.qtbot.waitUntil(lambda: not env.controller.busy_sessions(), timeout=10_000)


def test_connection_states(env: Env) -> None:
    session_id = env.session(ECHO_BOT_ID)
    states: list[str] = []
    env.controller.state_changed.connect(
        lambda e: states.append(e.state) if isinstance(e, ConnectionState) else None
    )
    env.finish(session_id, "hi")
    assert states[0] == "connecting"
    assert "streaming" in states
    assert states[-1] == "idle"
    failed = env.session(ECHO_BOT_ID, token="pat_bad")
    states.clear()
    result = env.finish(failed, "hi")
    assert result.error is not None
    assert states[-1] == "error"


def test_shutdown_cancels_running_turns_and_marks_them_stopped(env: Env) -> None:
    session_id = env.session(SLOW_BOT_ID)
    updates: list[TurnUpdated] = []
    env.controller.turn_updated.connect(updates.append)
    env.controller.send(session_id, "story")
    env.qtbot.waitUntil(lambda: any(u.message.content for u in updates), timeout=10_000)
    task = asyncio.ensure_future(env.controller.shutdown())
    env.qtbot.waitUntil(task.done, timeout=10_000)
    rows = env.db.messages.list(session_id)
    assert rows[-1].status == "stopped"
    assert rows[-1].content
    env.qtbot.waitUntil(lambda: not env.controller._tasks, timeout=2_000)


def test_resend_replaces_the_turn(env: Env) -> None:
    session_id = env.session(ECHO_BOT_ID)
    env.finish(session_id, "first")
    question = env.db.messages.list(session_id)[0]
    with env.qtbot.waitSignal(env.controller.turn_finished, timeout=10_000):
        assert env.controller.resend(session_id, question.id, "second") == "started"
    assert [m.content for m in env.db.messages.list(session_id) if m.role == "user"] == ["second"]


def test_doctor_runs_and_reports_each_check(env: Env) -> None:
    profile = Profile(
        name="d", region="custom", base_url=env.sim.base_url, bot_id=ECHO_BOT_ID, user_id="u"
    )
    checks: list[object] = []
    env.controller.doctor.check_done.connect(checks.append)
    with env.qtbot.waitSignal(env.controller.doctor.finished, timeout=20_000) as done:
        run_id = env.controller.doctor.run(profile, DEMO_TOKEN)
    results = done.args[0].results
    assert done.args[0].run_id == run_id
    assert len(checks) == len(results)
    verdicts = {r.key: r.verdict for r in results}
    assert verdicts["token"] == "pass"
    assert verdicts["bot"] == "pass"


@pytest.mark.expect_log("desktop.core.chat", "desktop.crash")
def test_a_bug_in_a_turn_is_shown_by_the_error_reporter_not_blamed_on_coze(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.api.errors import InternalError
    from desktop.core import transcript
    from desktop.ui.bridge.error_reporter import ErrorReporter

    def broken_apply(_state: object, _event: object) -> None:
        raise RuntimeError("a reducer bug")

    monkeypatch.setattr(transcript.TurnState, "apply", broken_apply)
    reporter = ErrorReporter("coze-desktop.log")
    env.controller.bug_found.connect(reporter.report_bug)
    session_id = env.session(ECHO_BOT_ID)
    with env.qtbot.waitSignal(env.controller.bug_found, timeout=15_000) as bug:
        result = env.finish(session_id, "hi")
    assert isinstance(result.error, InternalError)
    assert result.error.diagnosis.key == "internal_error"
    assert bug.args[0] is result.error
    assert "broken_apply" in result.error.traceback_text  # the dialog's details: where it broke

    def dialog() -> QMessageBox | None:
        boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog"]
        return next((b for b in boxes if isinstance(b, QMessageBox) and b.isVisible()), None)

    env.qtbot.waitUntil(lambda: dialog() is not None)
    box = dialog()
    assert box is not None
    assert "RuntimeError: a reducer bug" in box.informativeText()
    assert "coze-desktop.log" in box.informativeText()
    box.close()


@pytest.mark.expect_log("desktop.ui.bridge.controller")
def test_a_session_that_lost_its_conversation_warns_before_sending(env: Env) -> None:
    session_id = env.session(ECHO_BOT_ID)
    env.finish(session_id, "first")
    env.db.sessions.set_conversation_id(session_id, "")  # a history that lost its conversation
    requests = len(env.netlog.exchanges())
    with env.qtbot.waitSignal(env.controller.context_lost, timeout=1000) as blocker:
        assert env.controller.send(session_id, "second") == "unlinked"
    assert blocker.args[0].reason == "unlinked"
    assert "new conversation" in blocker.args[0].text()
    assert len(env.netlog.exchanges()) == requests  # nothing went out
    assert [m.content for m in env.db.messages.list(session_id) if m.role == "user"] == ["first"]
    finished = env.finish(session_id, "second")  # asked again: sent, in a new conversation
    assert finished.conversation_id


def test_resend_deletes_the_replaced_turn_on_the_server(env: Env) -> None:
    session_id = env.session(ECHO_BOT_ID)
    first = env.finish(session_id, "first")
    assert "(turn 1 in this conversation)" in first.message.content
    question = env.db.messages.list(session_id)[0]
    with env.qtbot.waitSignal(env.controller.turn_finished, timeout=10_000) as blocker:
        assert env.controller.resend(session_id, question.id, "second") == "started"
    again = blocker.args[0]
    assert again.conversation_id == first.conversation_id  # the same conversation goes on,
    assert "(turn 1 in this conversation)" in again.message.content  # without the old turn
    deletes = [ex for ex in env.netlog.exchanges() if "/message/delete" in ex.url]
    assert len(deletes) == 2  # the replaced question and its answer
    assert all(ex.status == 200 and f"conversation_id={first.conversation_id}" in ex.url
               for ex in deletes)  # fmt: skip

"""The "Conversations on Coze" view: the list with its "already here" marks, importing one
(its progress), Stop, and a failure that keeps what was imported — the real runner, the
simulator over loopback and a SQLite file."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from desktop.core.clients import ClientPool
from desktop.netlog import NetLog
from desktop.simulator import DEMO_TOKEN, Simulator, bots
from desktop.simulator.protocol import error
from desktop.storage import Database, Profile
from desktop.ui.bridge.conversation_sync import ConversationSync
from desktop.ui.conversations.view import ConversationsDialog
from desktop.ui.kit.conversation_ports import ImportDone

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytestqt.qtbot import QtBot


def spawn(coro: Any, _name: str) -> asyncio.Task[Any]:
    return asyncio.ensure_future(coro)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(delay_scale=0.0) as server:
        yield server


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "history.sqlite3")
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def parts(
    qtbot: QtBot, qloop: object, sim: Simulator, db: Database
) -> tuple[ConversationsDialog, ConversationSync, Profile]:
    profile = db.profiles.add(Profile(name="Sim bot", region="custom", base_url=sim.base_url,
                                      bot_id=bots.ECHO_BOT_ID, user_id="u"))  # fmt: skip
    runs = ConversationSync(db, ClientPool(NetLog()), lambda _pid: DEMO_TOKEN, spawn)
    view = ConversationsDialog(profile, runs, lambda: "en")
    qtbot.addWidget(view)
    view.show()
    return view, runs, profile


def _texts(view: ConversationsDialog, column: int) -> list[str]:
    table = view.table
    return [table.topLevelItem(i).text(column) for i in range(table.topLevelItemCount())]  # type: ignore[union-attr]


def _listed(qtbot: QtBot, view: ConversationsDialog, rows: int) -> None:
    qtbot.waitUntil(
        lambda: view.table.topLevelItemCount() == rows and view.refresh_button.isEnabled()
    )


def test_lists_marks_imports_one_with_progress(
    qtbot: QtBot, parts: tuple[ConversationsDialog, ConversationSync, Profile], sim: Simulator,
    db: Database,
) -> None:  # fmt: skip
    view, runs, profile = parts
    big = sim.store.seed_history(bots.ECHO_BOT_ID, [(f"q{i}", f"a{i}") for i in range(40)],
                                 created_at=1_700_000_000)  # fmt: skip
    sim.store.seed_history(bots.ECHO_BOT_ID, [("hello there", "hi")], created_at=1_700_000_100)
    view.refresh()
    _listed(qtbot, view, 2)
    assert _texts(view, 0) == ["hello there", "q0"]
    assert _texts(view, 2) == ["on Coze only", "on Coze only"]
    assert "2 conversations on Coze, 0 already here" in view.status.text()
    assert not view.import_button.isEnabled()  # nothing selected yet

    progress: list[int] = []
    runs.progress.connect(lambda e: progress.append(e.progress.added))
    view.table.topLevelItem(1).setSelected(True)  # type: ignore[union-attr]
    assert view.import_button.isEnabled()
    with qtbot.waitSignal(runs.finished, timeout=10_000) as done:
        view.import_button.click()
        assert view.stop_button.isEnabled()
        assert not view.import_all_button.isEnabled()
    event = done.args[0]
    assert isinstance(event, ImportDone)
    assert event.added == 80
    assert len(progress) >= 2
    assert progress == sorted(progress)  # several pages, one progress step each
    _listed(qtbot, view, 2)
    assert _texts(view, 2) == ["on Coze only", "✓ here"]
    assert "Imported 80 new messages." in view.status.text()
    (session,) = db.sessions.list(profile.id)
    assert session.conversation_id == big.id
    assert db.messages.count(session.id) == 80

    opened: list[int] = []
    view.open_session_requested.connect(opened.append)
    view.table.itemDoubleClicked.emit(view.table.topLevelItem(1), 0)
    assert opened == [session.id]


def test_stop_and_failure_keep_what_was_imported(
    qtbot: QtBot, parts: tuple[ConversationsDialog, ConversationSync, Profile], sim: Simulator,
    db: Database,
) -> None:  # fmt: skip
    view, runs, profile = parts
    conv = sim.store.seed_history(bots.ECHO_BOT_ID, [(f"q{i}", f"a{i}") for i in range(40)])
    view.refresh()
    _listed(qtbot, view, 1)
    runs.progress.connect(lambda _e: view.stop_button.click())  # Stop after the first page
    with qtbot.waitSignal(runs.finished, timeout=10_000) as done:
        view.import_all_button.click()
    assert done.args[0].stopped
    kept = db.messages.count(db.sessions.list(profile.id)[0].id)
    assert 0 < kept < 80
    assert f"Stopped. The {kept} messages imported are kept." in view.status.text()
    _listed(qtbot, view, 1)
    runs.progress.disconnect()

    sim.store.fail_message_list(conv.id, after_pages=0, response=error(500, 5000, "boom"))
    with qtbot.waitSignal(runs.finished, timeout=20_000) as done:
        view.import_all_button.click()
    assert done.args[0].error is not None
    text = view.status.text()
    assert "The import stopped part-way" in text
    assert "5000" in text
    assert "The 0 messages imported are kept" in text
    assert db.messages.count(db.sessions.list(profile.id)[0].id) == kept

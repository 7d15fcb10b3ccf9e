"""Qt test setup: offscreen platform, one session-wide qasync loop (stack notes, Recipe A).

Widget tests are plain synchronous pytest-qt tests. The qasync loop is created once with
``already_running=True`` on the session's QApplication; ``qtbot.waitSignal``/``waitUntil`` spin
Qt, which drives the loop's timers and socket notifiers. Never ``loop.stop()`` per test: it
poisons every later nested Qt loop. Instead, each test that asks for ``qloop`` makes it the
thread's running loop (with asyncio's async-generator hooks, which qasync lacks) and hands both
back afterwards, so pytest-asyncio tests elsewhere in the session can still start their own loop.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync

if TYPE_CHECKING:
    from collections.abc import Iterator

    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from desktop.simulator import Simulator
    from desktop.ui.chat.view import ChatView
    from tests.ui.harness import Shell


@pytest.fixture(scope="package", autouse=True)
def _gui_thread_collector(qapp: QApplication) -> Iterator[None]:
    """The app's garbage collection while Qt tests run: on the GUI thread only, so that a
    simulator thread never destroys a Qt object a test left in a reference cycle
    (``desktop.ui.kit.gui_collector``)."""
    from desktop.ui.kit import gui_collector

    gui_collector.start()
    yield
    gui_collector.stop()
    gc.collect()


@pytest.fixture(scope="session")
def _session_qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.events._set_running_loop(None)  # only while a test uses it (see qloop)
    yield loop
    asyncio.events._set_running_loop(loop)
    loop.stop()
    loop.close()
    asyncio.events._set_running_loop(None)


@pytest.fixture
def qloop(_session_qloop: qasync.QEventLoop, qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """The shared qasync loop, running for this test; leftover tasks are cancelled after it."""
    loop = _session_qloop
    old_hooks = sys.get_asyncgen_hooks()
    asyncio.events._set_running_loop(loop)
    asyncio.set_event_loop(loop)
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,
        finalizer=loop._asyncgen_finalizer_hook,
    )
    try:
        yield loop
        _cancel_leftovers(loop, qapp)
    finally:
        sys.set_asyncgen_hooks(*old_hooks)
        asyncio.set_event_loop(None)
        asyncio.events._set_running_loop(None)


def _cancel_leftovers(loop: qasync.QEventLoop, qapp: QApplication) -> None:
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    _spin_until_done(pending, qapp)
    # Async generators the test left suspended (httpx's body iterators under a stream that ended
    # early) are closed now, while the loop still runs: left to the garbage collector, their
    # ``aclose()`` would run on this loop during a later test, with no running loop set.
    asyncgens = [a for a in list(loop._asyncgens) if a.ag_frame is not None and not a.ag_running]
    _spin_until_done([loop.create_task(agen.aclose()) for agen in asyncgens], qapp)


def _spin_until_done(tasks: list[asyncio.Task[object]], qapp: QApplication) -> None:
    for _ in range(200):
        if all(t.done() for t in tasks):
            break
        qapp.processEvents()


@pytest.fixture
def shell(qtbot: QtBot, qloop: object, sim: Simulator) -> Iterator[Shell]:
    """A main window on a temporary SQLite history, talking to ``sim`` (``tests.ui.harness``)."""
    from tests.ui.harness import make_shell

    built = make_shell(qtbot, sim)
    yield built
    built.close()


@pytest.fixture
def view(qtbot: QtBot) -> ChatView:
    """A shown 900x700 chat view (tests of ``desktop.ui.chat.view``)."""
    from desktop.ui.chat.view import ChatView

    widget = ChatView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget

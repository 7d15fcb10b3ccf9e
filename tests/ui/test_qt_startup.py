"""Start-up: PySide6's per-import source scan is skipped, and Qt works as before; the garbage
collector pauses until the first frame, then runs on the GUI thread."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from desktop import app  # imports qt_startup first, as the app does
from desktop.ui.kit import gui_collector, qt_startup

if TYPE_CHECKING:
    import pytest
    from pytestqt.qtbot import QtBot


def test_later_imports_are_not_read_for_pyside_features() -> None:
    feature = sys.modules["shibokensupport.feature"]
    assert qt_startup.SOURCE_SCAN_SKIPPED
    name = "colorsys"  # a module nothing here imported yet: goes through the hook now
    sys.modules.pop(name, None)
    feature.pyside_feature_dict.pop(name, None)
    __import__(name)  # through builtins.__import__, where PySide6 hooks in
    assert feature.pyside_feature_dict[name] == 0  # the default feature set, no source read


def test_qt_enums_and_widgets_work_after_the_change(qtbot: object) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    label = QLabel("x")
    label.setAlignment(Qt.AlignmentFlag.AlignRight)
    assert label.alignment() & Qt.AlignmentFlag.AlignRight


def test_the_collector_pauses_and_resumes_on_the_gui_thread_with_start_up_objects_frozen(
    qapp: object,
) -> None:
    gui_collector.stop()  # as before start-up: the automatic collector
    frozen = gc.get_freeze_count()
    try:
        qt_startup.pause_collector()
        assert not gc.isenabled()
        made = [[i] for i in range(1000)]  # objects made during start-up
        qt_startup.resume_collector()
        resumed = gui_collector.running()
        assert resumed is not None
        assert not gc.isenabled()  # the GUI thread's timer collects, nothing else
        assert gc.get_freeze_count() >= frozen + len(made)  # never walked again
        qt_startup.resume_collector()  # a second resume changes nothing
        assert gui_collector.running() is resumed
    finally:
        gui_collector.start()
        gc.unfreeze()


def test_the_chat_view_freezes_what_start_up_loaded_once_its_renderer_is_warm(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the prewarm (row widgets, highlighter, grammars loaded) a full collection no longer
    walks any of it: what existed then is frozen, once."""
    from desktop.ui.chat.view import ChatView

    monkeypatch.setattr(qt_startup, "_settled", False)
    frozen = gc.get_freeze_count()
    try:
        view = ChatView()
        qtbot.addWidget(view)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > frozen, timeout=5_000)
        after = gc.get_freeze_count()
        qt_startup.settle_collector()  # once only
        assert gc.get_freeze_count() == after
        assert "tree_sitter_python" in sys.modules  # the grammars were loaded first
    finally:
        gc.unfreeze()


def test_python_m_desktop_pauses_the_collector_until_the_first_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``run_gui`` pauses before importing the app; ``main`` resumes once the window is shown."""
    import desktop.__main__ as entry

    seen: dict[str, bool] = {}

    def fake_main(argv: object) -> int:
        seen["paused in main"] = not gc.isenabled()
        qt_startup.resume_collector()
        return 0

    monkeypatch.setattr(app, "main", fake_main)
    gui_collector.stop()
    try:
        assert entry.run_gui([]) == 0
        assert seen == {"paused in main": True}
        assert gui_collector.running() is not None
    finally:
        gui_collector.start()
        gc.unfreeze()

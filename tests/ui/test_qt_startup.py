"""Start-up: PySide6's per-import source scan is skipped, and Qt works as before."""

from __future__ import annotations

import sys

from desktop import app  # noqa: F401  (imports qt_startup first, as the app does)
from desktop.ui import qt_startup


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

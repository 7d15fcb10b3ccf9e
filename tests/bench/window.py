"""What the window benches share: a stand-in for pytest-qt's ``qtbot``."""

from __future__ import annotations


class NoQtBot:
    """What ``tests.ui.harness.make_shell`` needs of pytest-qt's ``qtbot``."""

    def addWidget(self, _widget: object) -> None:
        return None

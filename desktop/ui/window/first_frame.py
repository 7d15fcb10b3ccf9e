"""Start-up helper: run the Qt event loop until a window's first frame is on screen.

The composition root shows the main window, waits here for its first frame, and only then
builds the services that take a while to import and start (keyring, httpx, asyncio). No
coroutine exists yet, so this short nested loop cannot starve one; user input that arrives
meanwhile stays queued until the window is complete.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

FRAME_TIMEOUT_MS = 2000  # never hold start-up hostage to a platform that does not paint


class _FrameWatch(QObject):
    """Quits ``loop`` once the window's first repaint (children included) has finished."""

    def __init__(self, window: QWidget, loop: QEventLoop) -> None:
        super().__init__()
        self.painted = False
        self._window = window
        self._loop = loop
        self._done = QTimer(self)
        self._done.setSingleShot(True)
        self._done.timeout.connect(loop.quit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.painted and watched is self._window and kind in (
            QEvent.Type.UpdateRequest, QEvent.Type.Paint,
        ):  # fmt: skip
            self.painted = True
            self._done.start(0)  # fires after this repaint has been delivered
        return False


def wait_for_first_frame(window: QWidget, timeout_ms: int = FRAME_TIMEOUT_MS) -> bool:
    """Show ``window`` if needed and process events until it has painted (True) or timed out."""
    loop = QEventLoop()
    watch = _FrameWatch(window, loop)
    limit = QTimer(watch)
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    window.installEventFilter(watch)
    try:
        window.show()
        limit.start(timeout_ms)
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        return watch.painted
    finally:
        window.removeEventFilter(watch)
        watch.deleteLater()

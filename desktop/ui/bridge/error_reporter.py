"""Last-resort error handling: log the exception and tell the user without blocking.

Installed as ``sys.excepthook`` and as the asyncio loop's exception handler. The dialog is
opened with ``show()`` (never ``exec()``), and while one is visible later errors only update
its counter, so an error storm cannot bury the window in dialogs.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.netlog import scrub_text
from desktop.storage.errors import StorageError

if TYPE_CHECKING:
    from desktop.api.errors import InternalError

log = logging.getLogger("desktop.crash")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


class ErrorReporter(QObject):
    """Logs unexpected exceptions and shows a non-modal error dialog."""

    def __init__(
        self, log_path: str = "", parent: QObject | None = None, *, history_path: str = ""
    ) -> None:
        super().__init__(parent)
        self._log_path = log_path
        self._history_path = history_path
        self._box: QMessageBox | None = None
        self._storage_box: QMessageBox | None = None
        self._count = 0
        self._previous_hook: ExceptHook | None = None
        self.reported: list[str] = []

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self.excepthook

    def uninstall(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
            self._previous_hook = None

    def excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        if isinstance(exc, StorageError):  # the history file's fault, not a bug of ours
            log.error("chat history: %s", exc)
            self._show_storage(exc)
            return
        log.critical("unexpected error", exc_info=(kind, exc, tb))
        self._show(_summary(exc), "".join(traceback.format_exception(kind, exc, tb)))

    def _show_storage(self, exc: StorageError) -> None:
        """A storage failure outside a chat turn (rename, delete, opening a chat...): its own
        words and the file, never "something went wrong inside Coze Desktop"."""
        self.reported.append(str(exc))
        if QApplication.instance() is None:
            return
        QTimer.singleShot(0, lambda: self._present_storage(str(exc)))

    def _present_storage(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Coze Desktop"),
                          self.tr("The chat history could not be read or written."))  # fmt: skip
        box.setObjectName("storageErrorDialog")
        info = text
        if self._history_path:
            info += "\n" + self.tr("File: {path}").format(path=self._history_path)
        box.setInformativeText(info)
        box.setWindowModality(Qt.WindowModality.NonModal)
        self._storage_box = box  # kept referenced while shown
        box.show()

    def report_bug(self, error: InternalError) -> None:
        """A bug that ended a chat turn (already logged with its traceback by the chat)."""
        self._show(error.msg, error.traceback_text)

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        message = str(context.get("message", "asyncio error"))
        if isinstance(exc, asyncio.CancelledError):
            return
        if exc is None:
            log.error("asyncio: %s", message)
            return
        log.error("asyncio: %s", message, exc_info=exc)
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self._show(_summary(exc), details)

    def _show(self, summary: str, details: str) -> None:
        self.reported.append(summary)
        if QApplication.instance() is None:
            return
        # Defer: we may be inside a Qt slot or an asyncio callback.
        QTimer.singleShot(0, lambda: self._present(summary, scrub_text(details)))

    def _present(self, summary: str, details: str) -> None:
        self._count += 1
        if self._box is not None and self._box.isVisible():
            self._box.setInformativeText(self._info(summary))
            return
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Coze Desktop"),
                          self.tr("Something went wrong inside Coze Desktop."))  # fmt: skip
        box.setObjectName("errorDialog")
        box.setInformativeText(self._info(summary))
        box.setDetailedText(details)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.finished.connect(self._closed)
        self._box = box
        box.show()

    def _info(self, summary: str) -> str:
        text = summary
        if self._count > 1:
            text += "\n" + self.tr("({n} errors so far)").format(n=self._count)
        if self._log_path:
            text += "\n" + self.tr("Details are in the log file: {path}").format(
                path=self._log_path
            )
        return text

    def _closed(self, _result: int) -> None:
        self._box = None
        self._count = 0


def _summary(exc: BaseException) -> str:
    return scrub_text(f"{type(exc).__name__}: {exc}")[:500]

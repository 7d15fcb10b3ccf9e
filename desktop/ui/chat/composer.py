"""The message composer: a multi-line input with Send and Stop buttons.

Enter sends, Shift+Enter inserts a new line. While an input method is composing (Chinese
pinyin, Japanese kana...) Enter belongs to the IME: it commits the candidate and must never
send a half-typed message, so the editor tracks the preedit string.

Laying out a very long line takes Qt seconds to minutes (one 1 MB line: over a minute). A paste
that long (more than :data:`PASTE_MAX_CHARS`, or a line over :data:`PASTE_MAX_LINE`) is kept
aside and shown as one short marker line, "[Pasted text #1: 1,000,000 characters]"; the message
sent holds the pasted text in the marker's place. Deleting the marker drops the paste.

Attachments: the Attach button, files dropped on the composer (or, through the window, on the
chat), files copied in a file manager and images pasted from the clipboard become chips above
the input (``desktop.ui.chat.attachments``, made when first needed); they go with the
``SendIntent``, after the limits are checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import (
        QDragEnterEvent,
        QDropEvent,
        QEnterEvent,
        QFocusEvent,
        QInputMethodEvent,
        QKeyEvent,
    )
    from PySide6.QtWidgets import QFileDialog

    from desktop.core.attachments import Attachment, UploadProgress
    from desktop.ui.chat.attachments import AttachmentTray
    from desktop.ui.kit.intents import SendIntent

MIN_LINES = 2
MAX_LINES = 8
PASTE_MAX_CHARS = 100_000
PASTE_MAX_LINE = 5_000


class ComposerEdit(QPlainTextEdit):
    """Plain-text input that reports Enter (outside IME composition) as ``submitted``.

    Signals:
        submitted(SendIntent): Enter pressed with non-empty text and no composition active
        (payloads from ``desktop.ui.kit.intents``)
        files_pasted(list[str]): local files pasted or dropped (their paths)
        image_pasted(QImage): an image pasted from the clipboard
    """

    submitted = Signal(object)
    files_pasted = Signal(object)
    image_pasted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setTabChangesFocus(True)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self._composing = False
        self._pasted: dict[str, str] = {}  # marker line -> the long text it stands for
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    @property
    def composing(self) -> bool:
        """True while an input method has uncommitted (preedit) text."""
        return self._composing

    def full_text(self) -> str:
        """The draft with each paste marker replaced by the text it stands for."""
        text = self.toPlainText()
        for marker, pasted in self._pasted.items():
            text = text.replace(marker, pasted, 1)
        return text

    def put(self, text: str) -> None:
        """Insert ``text`` at the cursor; a very long one as a marker (module docstring)."""
        if len(text) <= PASTE_MAX_CHARS and all(
            len(line) <= PASTE_MAX_LINE for line in text.split("\n")
        ):
            self.insertPlainText(text)
            return
        number = len(self._pasted) + 1
        marker = (
            self.tr("[Pasted text #%1: %2 characters]")
            .replace("%1", str(number))
            .replace("%2", f"{len(text):,}")
        )
        self._pasted[marker] = text
        self.insertPlainText(marker)

    def clear_draft(self) -> None:
        self._pasted.clear()
        self.clear()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return (
            source.hasImage() or bool(local_files(source)) or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if files:
            self.files_pasted.emit(files)
        elif source.hasImage():
            self.image_pasted.emit(source.imageData())
        elif source.hasText():
            self.put(source.text())
        else:
            super().insertFromMimeData(source)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        self._composing = bool(event.preeditString())
        super().inputMethodEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._composing = False
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_send_key(event):
            event.accept()
            text = self.full_text().strip()
            if text:
                from desktop.ui.kit.intents import SendIntent

                self.submitted.emit(SendIntent(text))
            return
        super().keyPressEvent(event)

    def _is_send_key(self, event: QKeyEvent) -> bool:
        qt = QtCore.Qt  # by then built (see ``widget_kit.set_by_name``)
        if event.key() not in (qt.Key.Key_Return, qt.Key.Key_Enter):
            return False
        if self._composing or event.isAutoRepeat():
            return False
        modifiers = event.modifiers() & ~qt.KeyboardModifier.KeypadModifier
        return modifiers == qt.KeyboardModifier.NoModifier

    def _fit_height(self, *_args: object) -> None:
        """Grow with the text from MIN_LINES to MAX_LINES, then scroll."""
        lines = max(MIN_LINES, min(MAX_LINES, int(self.document().size().height())))
        margins = self.contentsMargins()
        chrome = 2 * self.document().documentMargin() + margins.top() + margins.bottom() + 10
        self.setFixedHeight(int(lines * self.fontMetrics().lineSpacing() + chrome))

    def sizeHint(self) -> QSize:
        return QSize(400, self.height())


class Composer(QWidget):
    """Input plus Send/Stop. Knows nothing about sessions; the window decides what to do.

    Signals:
        send_requested(SendIntent): Send clicked or Enter pressed while sending is allowed.
        stop_requested(StopIntent): Stop clicked.
        (payloads from ``desktop.ui.kit.intents``)
    """

    send_requested = Signal(object)
    stop_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerBar")
        self.setAcceptDrops(True)
        self._tray: AttachmentTray | None = None  # made with the first attachment
        self._picker: QFileDialog | None = None
        self._busy = False
        self._ready = True
        self._not_ready_reason = ""
        self._hand_cursors = False  # set when the mouse first comes in (see ``enterEvent``)
        self.edit = ComposerEdit(self)
        self.attach_button = QPushButton(self)
        self.attach_button.setObjectName("attachButton")
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(False)
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("stopButton")
        self._build()
        self._connect_signals()
        self.retranslate()
        self._update_buttons()

    def _build(self) -> None:
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(16, 10, 16, 12)
        self._column.setSpacing(0)
        layout = QHBoxLayout()
        layout.setSpacing(8)
        self._column.addLayout(layout)
        attach = QVBoxLayout()  # at the bottom too, next to the line being typed
        attach.addStretch(1)
        attach.addWidget(self.attach_button)
        layout.addLayout(attach)
        layout.addWidget(self.edit, 1)
        buttons = QVBoxLayout()  # at the bottom, next to the line being typed
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(8)
        for button in (self.stop_button, self.send_button):
            button.setMinimumWidth(76)
            row.addWidget(button)
        buttons.addLayout(row)
        layout.addLayout(buttons)

    def enterEvent(self, event: QEnterEvent) -> None:
        """Send and Stop show a pointing hand, set when the mouse first enters the bar (it
        crosses the bar's margin to reach them): first-frame rules 2 and 5."""
        if not self._hand_cursors:
            self._hand_cursors = True
            for button in (self.send_button, self.stop_button, self.attach_button):
                button.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
        super().enterEvent(event)

    def _connect_signals(self) -> None:
        self.edit.submitted.connect(self._on_submitted)
        self.edit.textChanged.connect(self._update_buttons)
        self.send_button.clicked.connect(self._on_send_clicked)
        self.stop_button.clicked.connect(self._emit_stop)
        self.attach_button.clicked.connect(self.pick_files)
        self.edit.files_pasted.connect(self.add_files)
        self.edit.image_pasted.connect(self.add_image)

    # -- public API -------------------------------------------------------------------------

    def text(self) -> str:
        """The draft as it will be sent (long pastes in full)."""
        return self.edit.full_text()

    def set_text(self, text: str) -> None:
        """Replace the draft (edit-and-resend) and put the cursor at its end."""
        self.edit.clear_draft()
        self.edit.put(text)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        self.focus_input()

    def restore_draft(self, text: str) -> None:
        """Show a chat's saved unsent text (opening the chat), the cursor at its end; the focus
        stays where it is."""
        self.edit.setPlainText(text)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)

    def clear(self) -> None:
        self.edit.clear_draft()
        if self._tray is not None:
            self._tray.clear()

    # -- attachments ----------------------------------------------------------------------------

    def attachments(self) -> list[Attachment]:
        """What goes with the next message (new files, or ones sent before: edit-and-resend)."""
        return self._tray.items if self._tray is not None else []

    @property
    def tray(self) -> AttachmentTray:
        """The chips (made when first needed)."""
        if self._tray is None:
            from desktop.ui.chat.attachments import AttachmentTray

            self._tray = AttachmentTray(self)
            self._column.insertWidget(0, self._tray)
        return self._tray

    def add_files(self, paths: Sequence[str]) -> None:
        """Attach files by path (dropped, pasted, picked); problems are said above the input."""
        self.tray.add_paths(list(paths))
        self._update_buttons()

    def add_image(self, image: object) -> None:
        """Attach an image pasted from the clipboard (a QImage)."""
        from PySide6.QtGui import QImage

        if isinstance(image, QImage) and not image.isNull():
            self.tray.add_image(image)
        self._update_buttons()

    def set_attachments(self, items: Sequence[Attachment]) -> None:
        """Replace the attachments (edit-and-resend, a draft given back)."""
        if items or self._tray is not None:
            self.tray.set_items(items)

    def show_upload(self, progress: UploadProgress | None) -> None:
        """The progress of the running turn's uploads; None when they are over."""
        if progress is not None or self._tray is not None:
            self.tray.show_upload(progress)

    def pick_files(self) -> None:
        """Open the file picker (not modal: ``open`` with a signal, never a nested loop)."""
        if self._picker is None:
            from PySide6.QtWidgets import QFileDialog

            self._picker = QFileDialog(self, self.tr("Attach files"))
            self._picker.setFileMode(QFileDialog.FileMode.ExistingFiles)
            self._picker.filesSelected.connect(self.add_files)
        self._picker.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.add_files(files)
        else:
            super().dropEvent(event)

    def focus_input(self) -> None:
        self.edit.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)

    def set_busy(self, busy: bool) -> None:
        """A reply is streaming: sending is blocked (with a tooltip saying why), Stop enabled."""
        self._busy = busy
        self._update_buttons()

    def set_ready(self, ready: bool, reason: str = "") -> None:
        """Whether there is a session/profile to send to; ``reason`` explains when not."""
        self._ready = ready
        self._not_ready_reason = reason
        self._update_buttons()

    @property
    def busy(self) -> bool:
        return self._busy

    def retranslate(self) -> None:
        self.attach_button.setText(self.tr("Attach"))
        self.attach_button.setToolTip(
            self.tr("Attach files or images (you can also drop them here or paste an image)")
        )
        if self._tray is not None:
            self._tray.retranslate()
        self.send_button.setText(self.tr("Send"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the reply (Esc)"))
        self.edit.setPlaceholderText(
            self.tr("Type a message… Enter to send, Shift+Enter for a new line")
        )
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- internals --------------------------------------------------------------------------

    def _on_submitted(self, intent: SendIntent) -> None:
        self._send(intent.text)

    def _emit_stop(self) -> None:
        from desktop.ui.kit.intents import StopIntent

        self.stop_requested.emit(StopIntent())

    def _on_send_clicked(self) -> None:
        self._send(self.text().strip())

    def _send(self, text: str) -> None:
        """Emit the send intent with the attachments, unless a limit forbids it (said then)."""
        if not text or not self._can_send():
            return
        from desktop.ui.kit.intents import SendIntent

        items = self.attachments()
        if items:
            from desktop.core.attachments import check_limits
            from desktop.ui.chat.attachments import limit_text

            problem = check_limits(text, items)
            if problem is not None:
                self.tray.say(limit_text(problem))
                return
        self.send_requested.emit(SendIntent(text, tuple(items)))

    def _can_send(self) -> bool:
        return self._ready and not self._busy

    def _update_buttons(self) -> None:
        has_text = bool(self.text().strip())
        self.send_button.setEnabled(self._can_send() and has_text)
        self.stop_button.setEnabled(self._busy)
        self.send_button.setToolTip(self._send_tooltip())

    def _send_tooltip(self) -> str:
        if self._busy:
            return self.tr("A reply is still streaming. Stop it (Esc) before sending again.")
        if not self._ready:
            return self._not_ready_reason or self.tr("Choose a bot first")
        return self.tr("Send (Enter)")


def local_files(mime: QMimeData) -> list[str]:
    """The local files a drop or paste carries (none: it is text, an image or remote links)."""
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]

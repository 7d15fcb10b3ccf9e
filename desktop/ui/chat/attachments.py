"""The composer's attachments: a chip per file (thumbnail for an image, name, size, remove),
the limits said in plain words, and the upload's progress while a turn sends them.

Made when the user first attaches something (first-frame rule 1). Files are opened when they
are added (a missing or unreadable file is said at once, naming it); nothing here uploads: the
composer hands the list to the window with its ``SendIntent``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import attachments as att
from desktop.ui.chat.render.attachments import file_icon, scaled_image, thumbnail_file
from desktop.ui.chat.render.flow import FlowLayout

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtGui import QImage, QPixmap

CHIP_THUMB = 36
NAME_CHARS = 28  # a longer name is shortened in the middle (the tooltip has all of it)


class AttachmentChip(QFrame):
    """One attachment: thumbnail or file mark, name, size, and ✕ to remove it.

    Signals:
        remove_requested(object): ✕ clicked; the payload is the chip's attachment
    """

    remove_requested = Signal(object)

    def __init__(self, item: att.Attachment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentChip")
        self.item = item
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 4, 4)
        row.setSpacing(6)
        self.thumb = QLabel(self)
        self.thumb.setObjectName("attachmentChipThumb")
        pixmap = _chip_pixmap(item)
        self.thumb.setPixmap(pixmap if pixmap is not None else file_icon(self, 24))
        self.thumb.setFixedSize(CHIP_THUMB, CHIP_THUMB)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLabel(_short(item.name), self)
        self.name.setObjectName("attachmentChipName")
        self.size_label = QLabel(att.human_size(item.size), self)
        self.size_label.setObjectName("attachmentChipSize")
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.name)
        text.addWidget(self.size_label)
        self.remove_button = QToolButton(self)
        self.remove_button.setObjectName("attachmentRemoveButton")
        self.remove_button.setText("✕")
        self.remove_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.item))
        row.addWidget(self.thumb)
        row.addLayout(text)
        row.addWidget(self.remove_button)
        self.setToolTip(item.name)
        self.retranslate()

    def retranslate(self) -> None:
        self.remove_button.setToolTip(self.tr("Remove this attachment"))


class AttachmentTray(QWidget):
    """The chips above the composer's input, a note line, and the upload's progress.

    Signals:
        changed(int): the number of attachments changed
    """

    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentTray")
        self._items: list[att.Attachment] = []
        self._chips: list[AttachmentChip] = []
        self._pasted = 0
        self._upload: att.UploadProgress | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 6)
        column.setSpacing(4)
        self._chip_box = QWidget(self)
        self._flow = FlowLayout(self._chip_box, spacing=6)
        self.note = QLabel(self)
        self.note.setObjectName("attachmentNote")
        self.note.setWordWrap(True)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("uploadProgressLabel")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("uploadProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(4)
        for widget in (self._chip_box, self.note, self.progress_label, self.progress):
            column.addWidget(widget)
        self._show_state()

    # -- the list -------------------------------------------------------------------------------

    @property
    def items(self) -> list[att.Attachment]:
        return list(self._items)

    @property
    def chips(self) -> list[AttachmentChip]:
        return list(self._chips)

    def add_paths(self, paths: Sequence[str]) -> None:
        """Add files by path; one that cannot be read, or breaks a limit, is said in the note."""
        problems: list[str] = []
        for path in paths:
            try:
                upload = att.Upload.from_path(path)
            except OSError as exc:
                problems.append(
                    self.tr("Cannot attach {name}: {reason}").format(
                        name=path, reason=exc.strerror or str(exc)
                    )
                )
                continue
            problem = self._add(upload)
            if problem:
                problems.append(problem)
        self._say(problems)

    def add_image(self, image: QImage) -> None:
        """Add a pasted image (as a PNG)."""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub says bytes; PySide6 takes str
        buffer.close()
        self._pasted += 1
        name = self.tr("pasted image {n}.png").format(n=self._pasted)
        problem = self._add(att.Upload.from_bytes(name, bytes(data.data())))
        self._say([problem] if problem else [])

    def set_items(self, items: Sequence[att.Attachment]) -> None:
        """Replace the list (edit-and-resend, a draft given back after a failed upload)."""
        self.clear()
        for item in items:
            self._append(item)
        self._show_state()

    def clear(self) -> None:
        for chip in self._chips:
            chip.deleteLater()
        self._chips, self._items = [], []
        self.note.clear()
        self._show_state()
        self.changed.emit(0)

    def _add(self, upload: att.Upload) -> str:
        """Append ``upload`` unless it breaks a limit; returns the problem ("" when added)."""
        problem = att.check_limits("-", [*self._items, upload])
        if problem is not None:
            return limit_text(problem)
        self._append(upload)
        return ""

    def _append(self, item: att.Attachment) -> None:
        chip = AttachmentChip(item, self._chip_box)
        chip.remove_requested.connect(self._remove)
        self._flow.addWidget(chip)
        chip.show()
        self._chips.append(chip)
        self._items.append(item)
        self._show_state()
        self.changed.emit(len(self._items))

    def _remove(self, item: att.Attachment) -> None:
        for index, chip in enumerate(self._chips):
            if chip.item is item:
                self._flow.removeWidget(chip)
                chip.deleteLater()
                del self._chips[index], self._items[index]
                break
        self.note.clear()
        self._show_state()
        self.changed.emit(len(self._items))

    # -- notes and progress ---------------------------------------------------------------------

    def say(self, text: str) -> None:
        """Show ``text`` in the note line (a limit hit when sending)."""
        self._say([text] if text else [])

    def _say(self, problems: Sequence[str]) -> None:
        self.note.setText("\n".join(problems))
        self._show_state()

    def show_upload(self, progress: att.UploadProgress | None) -> None:
        """How far a turn's uploads are; None hides the bar."""
        self._upload = progress
        if progress is not None:
            part = progress.sent / progress.total if progress.total else 1.0
            self.progress.setValue(int(1000 * (progress.index + part) / max(1, progress.count)))
            self.progress_label.setText(
                self.tr("Uploading {name} ({n} of {count}): {sent} of {total}").format(
                    name=_short(progress.name),
                    n=progress.index + 1,
                    count=progress.count,
                    sent=att.human_size(progress.sent),
                    total=att.human_size(progress.total),
                )
            )
        self._show_state()

    def _show_state(self) -> None:
        uploading = self._upload is not None
        self._chip_box.setVisible(bool(self._items))
        self.note.setVisible(bool(self.note.text()))
        self.progress_label.setVisible(uploading)
        self.progress.setVisible(uploading)
        self.setVisible(bool(self._items) or bool(self.note.text()) or uploading)

    def retranslate(self) -> None:
        for chip in self._chips:
            chip.retranslate()


def limit_text(problem: att.LimitProblem) -> str:
    """A limit in plain words (the composer's translation context)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("AttachmentTray", text)

    if problem.kind == "too_many":
        return tr("At most {n} files can go with one message.").format(n=problem.limit)
    if problem.kind == "too_large":
        return tr("{name} is larger than Coze accepts ({limit} at most).").format(
            name=problem.name, limit=att.human_size(problem.limit)
        )
    if problem.kind == "empty":
        return tr("{name} is empty: there is nothing to send.").format(name=problem.name)
    return tr("Write a few words to go with the attachments: Coze needs text beside a file.")


def _chip_pixmap(item: att.Attachment) -> QPixmap | None:
    if item.kind != "image":
        return None
    if isinstance(item, att.Upload):
        if item.size > att.THUMB_MAX_BYTES:
            return None
        return scaled_image(item.data if not item.path else item.path, CHIP_THUMB)
    path = thumbnail_file(item)
    return scaled_image(str(path), CHIP_THUMB) if path is not None else None


def _short(name: str) -> str:
    if len(name) <= NAME_CHARS:
        return name
    half = (NAME_CHARS - 1) // 2
    return name[:half] + "…" + name[-half:]

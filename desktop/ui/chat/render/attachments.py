"""The files and images of a question, in its bubble: image thumbnails and file rows.

The thumbnail is the app's own copy of a small image (``AttachmentRecord.thumb`` under
``paths.attachments_dir()``), so it still shows after a restart and after the original file
moved; a large image, or one whose copy is gone, shows as a row like any file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

from desktop.core.attachments import human_size
from desktop.ui.chat.render.flow import FlowLayout

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from desktop.storage.parts import AttachmentRecord

THUMB_SIDE = 132  # a sent image's thumbnail fits this square
FILE_ICON_SIDE = 18


def thumbnail_file(record: AttachmentRecord) -> Path | None:
    """The app's copy of a sent image, when it is there."""
    if not record.thumb:
        return None
    from desktop import paths  # when a bubble first shows an image

    path = paths.attachments_dir() / record.thumb
    return path if path.is_file() else None


def scaled_image(source: str | bytes, side: int) -> QPixmap | None:
    """An image (a file path or its bytes) scaled to fit ``side`` pixels; None when Qt cannot
    read it. A file is read at the size shown, not decoded whole."""
    if isinstance(source, bytes):
        pixmap = QPixmap()
        if not pixmap.loadFromData(source):
            return None
    else:
        reader = QImageReader(source)
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(size.scaled(QSize(side, side), Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        if image.isNull():
            return None
        pixmap = QPixmap.fromImage(image)
    return pixmap.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def describe(record: AttachmentRecord) -> str:
    """ "report.pdf · 1.2 MB" (and an image's size in pixels)."""
    facts = [record.name, human_size(record.size)]
    if record.width and record.height:
        facts.append(f"{record.width}×{record.height}")
    return " · ".join(facts)


class AttachmentStrip(QWidget):
    """The attachments of one question: thumbnails first, then one row per other file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionAttachments")
        self._shown: tuple[tuple[str, str, str], ...] = ()
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(6)
        self.images: list[QLabel] = []
        self.files: list[QLabel] = []

    def set_records(self, records: Sequence[AttachmentRecord]) -> None:
        key = tuple((r.name, r.thumb, r.file_id) for r in records)
        if key == self._shown:
            return
        self._shown = key
        self._clear()
        holder = QWidget(self)
        thumbs = FlowLayout(holder, spacing=6)
        for record in records:
            pixmap = _thumbnail(record)
            if pixmap is not None:
                thumbs.addWidget(self._image(holder, record, pixmap))
            else:
                self._column.addWidget(self._file(record))
        if self.images:
            self._column.insertWidget(0, holder)
        else:
            holder.deleteLater()

    def _image(self, holder: QWidget, record: AttachmentRecord, pixmap: QPixmap) -> QLabel:
        label = QLabel(holder)
        label.setObjectName("attachmentThumb")
        label.setPixmap(pixmap)
        label.setFixedSize(pixmap.size())
        label.setToolTip(describe(record))
        self.images.append(label)
        return label

    def _file(self, record: AttachmentRecord) -> QFrame:
        row = QFrame(self)
        row.setObjectName("attachmentFileRow")
        line = QHBoxLayout(row)
        line.setContentsMargins(8, 5, 10, 5)
        line.setSpacing(6)
        icon = QLabel(row)
        icon.setPixmap(file_icon(row, FILE_ICON_SIDE))
        label = QLabel(describe(record), row)
        label.setObjectName("attachmentFileName")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        line.addWidget(icon)
        line.addWidget(label, 1)
        if not record.file_id:
            row.setToolTip(
                QCoreApplication.translate("ChatView", "Not uploaded: the upload did not finish")
            )
        self.files.append(label)
        return row

    def _clear(self) -> None:
        while self._column.count():
            item = self._column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.images, self.files = [], []


def file_icon(widget: QWidget, side: int) -> QPixmap:
    """The style's file icon (every platform's style has one; no emoji font needed)."""
    return widget.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon).pixmap(side, side)


def _thumbnail(record: AttachmentRecord) -> QPixmap | None:
    if not record.is_image:
        return None
    path = thumbnail_file(record)
    return scaled_image(str(path), THUMB_SIDE) if path is not None else None

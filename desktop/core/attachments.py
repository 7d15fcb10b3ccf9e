"""Files and images sent with a question: limits, uploads, the ``object_string`` content.

A question with attachments goes to Coze as one user message with ``content_type:
"object_string"`` whose ``content`` is a JSON *string* of a list: one ``{"type": "text"}`` item
and an ``{"type": "image"|"file", "file_id"}`` item per attachment (protocol notes §2.3: at most
one text item; pure text must stay ``content_type: "text"``; a message of files alone needs a
text message beside it, so the app asks for a few words instead of sending one Coze refuses).

Each file is uploaded first (``POST /v1/files/upload``); a record that already has a file id (a
regenerated or edited question) is sent again without uploading. Small images are copied into
the app's data directory, so the question's thumbnail survives a restart and the original file
moving away.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.settings import atomic_write_bytes
from desktop.storage.parts import AttachmentRecord

if TYPE_CHECKING:
    from desktop.api.client import CozeClient

MAX_FILES = 10  # per message
MAX_FILE_BYTES = 512 * 1024 * 1024  # Coze's upload limit (docs upload_files)
THUMB_MAX_BYTES = 5 * 1024 * 1024  # images up to this size are kept for their thumbnail
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})


@dataclass(frozen=True)
class Upload:
    """An attachment not yet uploaded: a file on disk (``path``) or bytes (a pasted image)."""

    name: str
    size: int
    mime: str
    path: str = ""
    data: bytes = b""

    @property
    def kind(self) -> str:
        return "image" if self.mime in IMAGE_TYPES else "file"

    @classmethod
    def from_path(cls, path: str | Path) -> Upload:
        """An upload of the file at ``path``; raises ``OSError`` when it cannot be read (the
        file is opened, so a missing or unreadable file fails here, before anything is sent)."""
        file = Path(path).expanduser()
        if file.is_dir():
            raise IsADirectoryError(f"{file} is a folder, not a file")
        with file.open("rb") as handle:
            head = handle.read(16)
        size = file.stat().st_size
        return cls(file.name, size, _mime_of(file.name, head), path=str(file.resolve()))

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Upload:
        return cls(name, len(data), _mime_of(name, data[:16]), data=data)


Attachment = Upload | AttachmentRecord  # what a question may carry: new, or sent before


@dataclass(frozen=True)
class LimitProblem:
    """Why a message's attachments cannot be sent: ``kind`` is "too_many" (``limit`` files at
    most), "too_large" (``name`` is over ``limit`` bytes), "empty" (``name`` has no bytes) or
    "no_text" (files need a few words beside them)."""

    kind: str
    name: str = ""
    limit: int = 0


def check_limits(text: str, attachments: Sequence[Attachment]) -> LimitProblem | None:
    """The first reason ``attachments`` cannot go with ``text``, or None."""
    if not attachments:
        return None
    if len(attachments) > MAX_FILES:
        return LimitProblem("too_many", limit=MAX_FILES)
    for item in attachments:
        if isinstance(item, Upload) and item.size > MAX_FILE_BYTES:
            return LimitProblem("too_large", item.name, MAX_FILE_BYTES)
        if isinstance(item, Upload) and item.size == 0:
            return LimitProblem("empty", item.name)
    if not text.strip():
        return LimitProblem("no_text")
    return None


def human_size(size: int) -> str:
    """``1536`` -> "1.5 KB" (decimal point, no locale: the same in every language)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


# -- the records --------------------------------------------------------------------------------


def record_for(upload: Upload, files_dir: Path | None) -> AttachmentRecord:
    """The stored record of a new attachment (no file id yet); a small image is copied into
    ``files_dir`` for its thumbnail."""
    width, height = (0, 0)
    thumb = ""
    if upload.kind == "image":
        data = _image_bytes(upload)
        if data is not None:
            width, height = image_size(data) or (0, 0)
            if files_dir is not None:
                thumb = keep_copy(data, upload.name, files_dir)
    return AttachmentRecord(
        name=upload.name, size=upload.size, kind=upload.kind, mime=upload.mime,
        path=upload.path, thumb=thumb, width=width, height=height,
    )  # fmt: skip


def _image_bytes(upload: Upload) -> bytes | None:
    if upload.size > THUMB_MAX_BYTES:
        return None
    if not upload.path:
        return upload.data
    try:
        return Path(upload.path).read_bytes()
    except OSError:
        return None


def keep_copy(data: bytes, name: str, files_dir: Path) -> str:
    """Write ``data`` under ``files_dir`` (named by its hash: the same image is kept once);
    returns the file name, "" when it could not be written."""
    suffix = Path(name).suffix.lower()[:8]
    file_name = hashlib.sha256(data).hexdigest()[:32] + suffix
    target = files_dir / file_name
    try:
        if not target.exists():
            atomic_write_bytes(target, data)
    except OSError:
        return ""
    return file_name


def source_of(record: AttachmentRecord, files_dir: Path | None) -> Upload | None:
    """Where a record without a file id can be uploaded from again (its file, or the app's copy
    of the image); None when neither is there any more."""
    if record.path and Path(record.path).is_file():
        return Upload(record.name, Path(record.path).stat().st_size, record.mime, path=record.path)
    if record.thumb and files_dir is not None and (files_dir / record.thumb).is_file():
        data = (files_dir / record.thumb).read_bytes()
        return Upload(record.name, len(data), record.mime, data=data)
    return None


# -- uploading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadProgress:
    """How far the uploads of a turn are: file ``index`` of ``count`` (from 0), ``sent`` of
    ``total`` bytes of that file."""

    name: str
    index: int
    count: int
    sent: int
    total: int


ProgressCallback = Callable[[UploadProgress], None]


class SourceMissingError(OSError):
    """An attachment sent before has no Coze file id and its file is gone."""


async def upload_all(
    client: CozeClient,
    records: Sequence[AttachmentRecord],
    sources: dict[int, Upload],
    *,
    on_progress: ProgressCallback | None = None,
    context: dict[str, str] | None = None,
) -> list[AttachmentRecord]:
    """Upload every record without a file id (from ``sources[index]``, else from its file) one
    after the other; the records with their file ids. A Coze or network fault raises the
    client's :class:`CozeError`; cancelling stops the upload in progress."""
    out: list[AttachmentRecord] = []
    for index, record in enumerate(records):
        if record.file_id:
            out.append(record)
            continue
        source = sources.get(index)
        if source is None:
            raise SourceMissingError(f"{record.name}: the file is no longer there")
        out.append(await _upload_one(client, record, source, index, len(records), on_progress,
                                     context))  # fmt: skip
    return out


async def _upload_one(
    client: CozeClient,
    record: AttachmentRecord,
    source: Upload,
    index: int,
    count: int,
    on_progress: ProgressCallback | None,
    context: dict[str, str] | None,
) -> AttachmentRecord:
    def progress(sent: int, total: int) -> None:
        if on_progress is not None:
            on_progress(UploadProgress(record.name, index, count, sent, total))

    data = _data_of(source, record.name)
    info = await client.upload_file(
        record.name, data, mime=source.mime, on_progress=progress, context=context
    )
    return replace(record, file_id=info.id)


def _data_of(source: Upload, name: str) -> bytes | Path:
    """What to upload: the bytes, or the file (still there: it may have moved since it was
    added; one ``stat``)."""
    if not source.path:
        return source.data
    path = Path(source.path)
    if not path.is_file():
        raise SourceMissingError(f"{name}: the file is no longer there")
    return path


def object_string(text: str, records: Sequence[AttachmentRecord]) -> str:
    """The ``content`` of an ``object_string`` message: a JSON string of the item list."""
    items: list[dict[str, str]] = [{"type": "text", "text": text}] if text else []
    items += [{"type": r.kind, "file_id": r.file_id} for r in records]
    return json.dumps(items, ensure_ascii=False)


def question_message(text: str, records: Sequence[AttachmentRecord]) -> dict[str, str]:
    """The user's EnterMessage (``additional_messages`` item) for ``text`` with ``records``."""
    return {
        "role": "user",
        "type": "question",
        "content": object_string(text, records),
        "content_type": "object_string",
    }


# -- file facts ---------------------------------------------------------------------------------


def _mime_of(name: str, head: bytes) -> str:
    """The MIME type: from the first bytes for the usual images, else from the name."""
    sniffed = _sniff(head)
    return sniffed or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _sniff(head: bytes) -> str:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return ""


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from a PNG, GIF or JPEG header; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG segments to the first start-of-frame marker."""
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return int(width), int(height)
        pos += 2 + length
    return None

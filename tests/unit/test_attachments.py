"""The attachment rules without a server: limits, the object_string content, file facts."""

from __future__ import annotations

import json
import os
import struct
from typing import TYPE_CHECKING

from desktop.core import attachments as att
from desktop.storage.parts import AttachmentRecord

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def test_limits() -> None:
    small = att.Upload("a.txt", 3, "text/plain", data=b"abc")
    assert att.check_limits("hi", [small]) is None
    assert att.check_limits("", []) is None
    too_many = att.check_limits("hi", [small] * (att.MAX_FILES + 1))
    assert too_many == att.LimitProblem("too_many", limit=att.MAX_FILES)
    huge = att.Upload("huge.iso", att.MAX_FILE_BYTES + 1, "application/octet-stream", path="/x")
    assert att.check_limits("hi", [huge]) == att.LimitProblem(
        "too_large", "huge.iso", att.MAX_FILE_BYTES
    )
    assert att.check_limits("hi", [att.Upload("e.txt", 0, "text/plain")]) == att.LimitProblem(
        "empty", "e.txt"
    )
    assert att.check_limits("  ", [small]) == att.LimitProblem("no_text")
    sent_before = AttachmentRecord(name="old.png", size=att.MAX_FILE_BYTES + 1, file_id="F1")
    assert att.check_limits("hi", [sent_before]) is None  # already on Coze: not uploaded again


def test_object_string_is_a_json_string_of_the_items() -> None:
    records = [
        AttachmentRecord(name="a.png", kind="image", file_id="F1"),
        AttachmentRecord(name="b.pdf", kind="file", file_id="F2"),
    ]
    message = att.question_message("看看这些", records)
    assert message["content_type"] == "object_string"
    assert isinstance(message["content"], str)
    assert json.loads(message["content"]) == [
        {"type": "text", "text": "看看这些"},
        {"type": "image", "file_id": "F1"},
        {"type": "file", "file_id": "F2"},
    ]


def test_file_facts_from_the_first_bytes(tmp_path: Path) -> None:
    gif = b"GIF89a" + struct.pack("<HH", 7, 9) + b"\0" * 10
    jpeg = (
        b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + b"\0" * 9
        + b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 300, 400) + b"\0" * 10
    )  # fmt: skip
    assert att.image_size(gif) == (7, 9)
    assert att.image_size(jpeg) == (400, 300)
    assert att.image_size(b"plain text") is None
    picture = tmp_path / "photo.dat"  # a JPEG with a name that does not say so
    picture.write_bytes(jpeg)
    upload = att.Upload.from_path(picture)
    assert (upload.mime, upload.kind, upload.size) == ("image/jpeg", "image", len(jpeg))
    record = att.record_for(upload, tmp_path / "kept")
    assert (record.width, record.height, record.path) == (400, 300, str(picture.resolve()))
    assert (tmp_path / "kept" / record.thumb).read_bytes() == jpeg
    assert att.human_size(1536) == "1.5 KB"
    assert att.human_size(12) == "12 B"


def test_a_failed_image_copy_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)  # the copy fails after its bytes are written
    files_dir = tmp_path / "files"
    assert att.keep_copy(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "shot.png", files_dir) == ""
    assert list(files_dir.iterdir()) == []  # neither the copy nor a half-written temporary file
    monkeypatch.undo()
    name = att.keep_copy(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "shot.png", files_dir)
    assert [p.name for p in files_dir.iterdir()] == [name]

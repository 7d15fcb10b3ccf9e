"""Attachments through ChatSession against the simulator over loopback: uploads, the
``object_string`` question, the stored records (reopened from the SQLite file), a failed upload,
Stop during an upload, a regenerate that reuses the file ids, the export and the cURL line."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import struct
import zlib
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from desktop.api.client import ClientConfig, CozeClient
from desktop.core import attachments as att
from desktop.core.chat import ChatSession
from desktop.core.export import export_sessions
from desktop.netlog import NetLog
from desktop.netlog.export import to_curl
from desktop.simulator import FILES_BOT_ID, Simulator, bots
from desktop.storage import Database, Profile

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

pytestmark = pytest.mark.asyncio


def png(width: int, height: int) -> bytes:
    """A real (tiny, valid) PNG of ``width`` x ``height`` grey pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))  # fmt: skip


@pytest_asyncio.fixture
async def client(sim: Simulator) -> AsyncIterator[CozeClient]:
    config = ClientConfig(base_url=sim.base_url, token=bots.DEMO_TOKEN, max_retries=0)
    coze = CozeClient(config, netlog=NetLog())
    try:
        yield coze
    finally:
        await coze.aclose()


def open_chat(path: Path, client: CozeClient, sim: Simulator, files: Path) -> ChatSession:
    db = Database.open(path)
    profile = db.profiles.add(
        Profile(name="files", region="custom", base_url=sim.base_url, bot_id=FILES_BOT_ID,
                user_id="tester")
    )  # fmt: skip
    return ChatSession(client, db, profile, db.sessions.create(profile.id), files_dir=files)


def chat_bodies(sim: Simulator) -> list[Any]:
    return [r.json for r in sim.requests if r.path == "/v3/chat"]


def uploads(sim: Simulator) -> list[object]:
    return [r for r in sim.requests if r.path == "/v1/files/upload"]


async def test_files_are_uploaded_sent_as_object_string_and_kept(
    tmp_path: Path, sim: Simulator, client: CozeClient
) -> None:
    image = tmp_path / "cat.png"
    image.write_bytes(png(64, 48))
    notes = tmp_path / "notes.txt"
    notes.write_text("hello world\n")
    files = tmp_path / "kept"
    chat = open_chat(tmp_path / "h.sqlite3", client, sim, files)
    seen: list[att.UploadProgress] = []
    chat.on_upload = seen.append

    uploads_ = [att.Upload.from_path(image), att.Upload.from_path(notes)]
    result = await chat.send("what are these?", attachments=uploads_)

    assert result.ok, result.error
    [body] = chat_bodies(sim)
    [question] = body["additional_messages"]
    assert question["content_type"] == "object_string"
    items = json.loads(question["content"])  # a JSON *string* of the list
    ids = [f["id"] for f in sim.store.files.values()]
    assert items == [
        {"type": "text", "text": "what are these?"},
        {"type": "image", "file_id": ids[0]},
        {"type": "file", "file_id": ids[1]},
    ]
    assert "**cat.png** (image, image/png" in result.message.content
    assert "64 × 48 pixels" in result.message.content
    assert "**notes.txt** (file, text/plain, 12 bytes)" in result.message.content
    assert {p.name for p in seen} == {"cat.png", "notes.txt"}
    assert seen[-1].sent == seen[-1].total == 12
    chat.db.close()

    db = Database.open(tmp_path / "h.sqlite3")  # as after a restart
    [stored] = [m for m in db.messages.list(chat.session.id) if m.role == "user"]
    cat, txt = stored.attachments
    assert (cat.name, cat.kind, cat.size, cat.width, cat.height) == (
        "cat.png",
        "image",
        image.stat().st_size,
        64,
        48,
    )
    assert cat.file_id == ids[0]
    assert txt.file_id == ids[1]
    assert (files / cat.thumb).read_bytes() == image.read_bytes()  # the thumbnail's own copy
    assert txt.thumb == ""
    markdown = export_sessions(db, fmt="md")
    assert "- cat.png (image, " in markdown
    assert "64×48" in markdown
    assert f"file id `{ids[1]}`" in markdown
    doc = json.loads(export_sessions(db, fmt="json"))
    exported = doc["sessions"][0]["messages"][0]["attachments"]
    assert [a["name"] for a in exported] == ["cat.png", "notes.txt"]
    assert "path" not in exported[0]
    assert "thumb" not in exported[0]
    db.close()


async def test_regenerate_sends_the_same_files_without_uploading_again(
    tmp_path: Path, sim: Simulator, client: CozeClient
) -> None:
    chat = open_chat(tmp_path / "h.sqlite3", client, sim, tmp_path / "kept")
    pasted = att.Upload.from_bytes("pasted.png", png(10, 20))
    first = await chat.send("describe", attachments=[pasted])
    assert first.ok
    again = await chat.regenerate()
    assert again is not None
    assert again.ok
    assert len(uploads(sim)) == 1
    one, two = chat_bodies(sim)
    assert one["additional_messages"] == two["additional_messages"]
    assert "10 × 20 pixels" in again.message.content
    chat.db.close()


async def test_a_failed_upload_fails_the_turn_with_the_diagnosis(
    tmp_path: Path, sim: Simulator, client: CozeClient
) -> None:
    sim.backend.max_upload_bytes = 100
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 1000)
    chat = open_chat(tmp_path / "h.sqlite3", client, sim, tmp_path / "kept")

    result = await chat.send("read this", attachments=[att.Upload.from_path(big)])

    assert result.message.status == "failed"
    assert result.error is not None
    assert result.error.code == 4302
    assert result.error.diagnosis.key == "file_too_large"
    assert result.error.log_id
    assert result.message.log_id == result.error.log_id
    assert result.message.error is not None
    assert result.message.error.code == 4302
    assert not chat_bodies(sim)  # no chat was started
    [record] = result.user_message.attachments
    assert (record.name, record.file_id, record.path) == ("big.bin", "", str(big.resolve()))
    chat.db.close()


async def test_stop_during_an_upload_cancels_it(
    tmp_path: Path, sim: Simulator, client: CozeClient
) -> None:
    sim.backend.upload_rate = 400_000.0  # bytes a second: 8 MB takes ~20 s
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\0" * 8_000_000)
    chat = open_chat(tmp_path / "h.sqlite3", client, sim, tmp_path / "kept")
    halfway = asyncio.Event()

    def on_upload(progress: att.UploadProgress) -> None:
        if progress.sent > 1_000_000:
            halfway.set()

    chat.on_upload = on_upload
    turn = asyncio.ensure_future(chat.send("watch", attachments=[att.Upload.from_path(big)]))
    await asyncio.wait_for(halfway.wait(), 15)
    chat.cancel()
    result = await asyncio.wait_for(turn, 10)

    assert result.message.status == "stopped"
    assert result.error is None
    assert not chat_bodies(sim)
    [exchange] = [e for e in client.netlog.exchanges() if e.upload is not None]
    assert exchange.cancelled
    assert exchange.upload == ("video.mp4", 8_000_000)
    chat.db.close()


async def test_the_upload_in_the_network_log_and_as_curl(
    tmp_path: Path, sim: Simulator, client: CozeClient
) -> None:
    chat = open_chat(tmp_path / "h.sqlite3", client, sim, tmp_path / "kept")
    await chat.send("a file", attachments=[att.Upload.from_bytes("it's a file.txt", b"abc")])
    [exchange] = [e for e in client.netlog.exchanges() if e.upload is not None]
    assert exchange.upload == ("it's a file.txt", 3)
    assert "abc" not in exchange.request_body  # name and size, never the bytes
    command = to_curl(exchange)
    assert " -F 'file=@it'\"'\"'s a file.txt'" in command
    assert bots.DEMO_TOKEN not in command
    check = await asyncio.create_subprocess_exec("bash", "-n", "-c", command)
    assert await check.wait() == 0  # the line is valid shell
    chat.db.close()


async def test_a_retry_uploads_again_or_says_the_file_is_gone(
    tmp_path: Path, sim: Simulator, client: CozeClient
) -> None:
    sim.backend.max_upload_bytes = 10
    doc = tmp_path / "draft.md"
    doc.write_text("# a title that is long enough\n")
    chat = open_chat(tmp_path / "h.sqlite3", client, sim, tmp_path / "kept")
    first = await chat.send("check", attachments=[att.Upload.from_path(doc)])
    assert first.message.status == "failed"

    sim.backend.max_upload_bytes = 1000
    retried = await chat.regenerate()  # the record has no file id: uploaded again from disk
    assert retried is not None
    assert retried.ok
    assert len(uploads(sim)) == 2

    doc.unlink()
    chat.db.messages.update(retried.user_message.id, attachments=[
        dataclasses.replace(a, file_id="") for a in retried.user_message.attachments])  # fmt: skip
    gone = await chat.regenerate()
    assert gone is not None
    assert gone.message.status == "failed"
    assert gone.error is not None
    assert gone.error.diagnosis.key == "attachment_missing"
    assert "draft.md" in gone.error.msg
    assert len(uploads(sim)) == 2
    chat.db.close()


async def test_time_to_first_token_counts_from_the_chat_not_the_upload(
    tmp_path: Path, sim: Simulator, client: CozeClient
) -> None:
    sim.backend.upload_rate = 2_000_000.0
    data = tmp_path / "data.bin"
    data.write_bytes(b"\7" * 1_200_000)  # about 0.6 s to upload
    chat = open_chat(tmp_path / "h.sqlite3", client, sim, tmp_path / "kept")
    result = await chat.send("size?", attachments=[att.Upload.from_path(data)])
    assert result.ok
    assert result.message.total_ms is not None
    assert result.message.ttft_ms is not None
    assert result.message.total_ms >= 500
    assert result.message.ttft_ms < result.message.total_ms - 400
    chat.db.close()


async def test_a_file_deleted_after_it_was_attached(
    tmp_path: Path, sim: Simulator, client: CozeClient
) -> None:
    doc = tmp_path / "gone.txt"
    doc.write_text("soon gone")
    upload = att.Upload.from_path(doc)
    doc.unlink()
    chat = open_chat(tmp_path / "h.sqlite3", client, sim, tmp_path / "kept")
    result = await chat.send("read it", attachments=[upload])
    assert result.message.status == "failed"
    assert result.error is not None
    assert result.error.diagnosis.key == "attachment_missing"
    assert "moved or deleted" in result.error.describe("en")
    assert not uploads(sim)
    assert not chat_bodies(sim)
    chat.db.close()

"""``coze-desktop chat --attach PATH``, run as a user runs it, against the simulator's file bot:
the files go up and the answer describes them; a saved profile's turn keeps them in the history
(exported); a missing or unreadable file stops the command before any request."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import pytest

from desktop.simulator import FILES_BOT_ID, Simulator, bots
from tests.integration.test_attachments import png
from tests.integration.test_cli import chat, run

if TYPE_CHECKING:
    from pathlib import Path


def test_attach_uploads_and_sends_the_files(
    isolated_home: Path, simulator: Simulator, tmp_path: Path
) -> None:
    image = tmp_path / "chart.png"
    image.write_bytes(png(32, 16))
    report = tmp_path / "report.csv"
    report.write_text("a,b\n1,2\n")
    before = len(simulator.requests)

    proc = chat(isolated_home, simulator, FILES_BOT_ID, "--attach", str(image), "--attach",
                str(report), message="what did I send?")  # fmt: skip

    assert proc.returncode == 0, proc.stderr
    assert "**chart.png** (image, image/png" in proc.stdout
    assert "32 × 16 pixels" in proc.stdout
    assert "**report.csv** (file, text/csv, 8 bytes)" in proc.stdout
    assert "uploading chart.png (" in proc.stderr
    sent = simulator.requests[before:]
    assert [r.path for r in sent] == ["/v1/files/upload", "/v1/files/upload", "/v3/chat"]
    [question] = sent[-1].json["additional_messages"]
    items = json.loads(question["content"])
    assert [i["type"] for i in items] == ["text", "image", "file"]
    assert items[0]["text"] == "what did I send?"


def test_a_saved_profile_keeps_the_attachments_in_its_history(
    isolated_home: Path, simulator: Simulator, tmp_path: Path
) -> None:
    add = run(isolated_home, "profile", "add", "--name", "files", "--region", "custom",
              "--base-url", simulator.base_url, "--bot-id", FILES_BOT_ID, "--no-token")  # fmt: skip
    assert add.returncode == 0, add.stderr
    image = tmp_path / "face.png"
    image.write_bytes(png(8, 8))
    said = run(isolated_home, "chat", "--profile", "files", "--attach", str(image), "who?")
    assert said.returncode == 0, said.stderr
    kept = list((isolated_home / "data" / "attachments").iterdir())
    assert [p.read_bytes() for p in kept] == [image.read_bytes()]  # for the window's thumbnail
    md = run(isolated_home, "export", "--format", "md").stdout
    assert "Attachments:" in md
    assert "- face.png (image, " in md
    assert "8×8" in md


@pytest.mark.parametrize("problem", ["missing", "unreadable", "folder"])
def test_a_file_that_cannot_be_read_sends_nothing(
    isolated_home: Path, simulator: Simulator, tmp_path: Path, problem: str
) -> None:
    path = tmp_path / "secret.pdf"
    if problem == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root reads every file")
        path.write_bytes(b"%PDF-1.4")
        path.chmod(0)
    elif problem == "folder":
        path.mkdir()
    good = tmp_path / "ok.txt"
    good.write_text("fine")
    before = len(simulator.requests)

    proc = chat(isolated_home, simulator, FILES_BOT_ID, "--attach", str(good), "--attach",
                str(path), message="read these")  # fmt: skip

    assert proc.returncode != 0
    assert str(path) in proc.stderr
    assert "Cannot read the file to attach" in proc.stderr
    assert len(simulator.requests) == before  # not even the readable file went up


def test_attachments_without_a_message_send_nothing(
    isolated_home: Path, simulator: Simulator, tmp_path: Path
) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("fine")
    before = len(simulator.requests)
    proc = run(isolated_home, "chat", "--base-url", simulator.base_url, "--bot-id", FILES_BOT_ID,
               "--attach", str(good), "-", stdin="   ")  # fmt: skip
    assert proc.returncode != 0
    assert len(simulator.requests) == before
    assert bots.DEMO_TOKEN not in proc.stderr

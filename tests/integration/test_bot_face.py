"""The bot's own face over loopback: fetched, cached with its avatar, kept through failures."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import pytest

from desktop.api.client import ClientConfig, CozeClient
from desktop.core import bot_face
from desktop.netlog import NetLog
from desktop.simulator import Simulator, bots
from desktop.storage import Database, Profile
from tests.integration.test_cli import run

if TYPE_CHECKING:
    from pathlib import Path

PNG = b"\x89PNG\r\n\x1a\n"


def icon_requests(netlog: NetLog) -> list[str]:
    return [ex.url for ex in netlog.exchanges() if "/sim/icons/" in ex.url]


@pytest.mark.asyncio
async def test_bot_info_and_avatar_are_cached_and_the_avatar_fetched_once(
    tmp_path: Path, simulator: Simulator
) -> None:
    netlog = NetLog()
    config = ClientConfig(base_url=simulator.base_url, token=bots.DEMO_TOKEN)
    with Database.open(tmp_path / "h.sqlite3") as db:
        profile = db.profiles.add(Profile(name="demo", region="custom",
                                          base_url=simulator.base_url, bot_id=bots.DEMO_BOT_ID))  # fmt: skip
        async with CozeClient(config, netlog=netlog) as client:
            card = await bot_face.refresh(client, db, profile, tmp_path / "icons")
            again = await bot_face.refresh(client, db, profile, tmp_path / "icons")
        assert card.name == "天气助手 Weather Demo"
        assert card.prologue.startswith("你好！")
        assert card.suggested_questions[0] == "北京今天天气怎么样？"
        assert not card.error
        assert (tmp_path / "icons").joinpath(card.icon_file).read_bytes().startswith(PNG)
        assert again.icon_file == card.icon_file
        assert len(icon_requests(netlog)) == 1  # the avatar is fetched once
        (icon,) = [ex for ex in netlog.exchanges() if "/sim/icons/" in ex.url]
        assert icon.token is None  # the avatar request carries no token
        assert db.bots.get(profile.id) == again


@pytest.mark.asyncio
async def test_a_failed_refresh_keeps_the_last_card_and_says_why(
    tmp_path: Path, simulator: Simulator
) -> None:
    config = ClientConfig(base_url=simulator.base_url, token=bots.DEMO_TOKEN)
    with Database.open(tmp_path / "h.sqlite3") as db:
        profile = db.profiles.add(Profile(name="demo", region="custom",
                                          base_url=simulator.base_url, bot_id=bots.DEMO_BOT_ID))  # fmt: skip
        async with CozeClient(config) as client:
            good = await bot_face.refresh(client, db, profile, tmp_path / "icons")
            profile.bot_id = bots.FAULT_NOT_PUBLISHED_BOT_ID  # the bot was unpublished
            failed = await bot_face.refresh(client, db, profile, tmp_path / "icons")
        assert failed.name == good.name
        assert failed.icon_file == good.icon_file
        assert "4200" in failed.error
        assert "not published" in failed.error


@pytest.mark.asyncio
async def test_an_avatar_that_cannot_be_saved_leaves_no_file_behind(
    tmp_path: Path, simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    config = ClientConfig(base_url=simulator.base_url, token=bots.DEMO_TOKEN)
    icons = tmp_path / "icons"
    with Database.open(tmp_path / "h.sqlite3") as db:
        profile = db.profiles.add(Profile(name="demo", region="custom",
                                          base_url=simulator.base_url, bot_id=bots.DEMO_BOT_ID))  # fmt: skip
        async with CozeClient(config) as client:
            monkeypatch.setattr(os, "replace", full_disk)  # the avatar's bytes are written first
            card = await bot_face.refresh(client, db, profile, icons)
    assert card.name == "天气助手 Weather Demo"  # the rest of the face is kept
    assert card.icon_file == ""
    assert list(icons.iterdir()) == []  # neither the avatar nor a half-written temporary file


def test_cli_bot_json_and_failure(tmp_path: Path, simulator: Simulator) -> None:
    proc = run(tmp_path, "bot", "--base-url", simulator.base_url, "--bot-id", bots.DEMO_BOT_ID,
               "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    assert shown["name"] == "天气助手 Weather Demo"
    assert shown["suggested_questions"][1] == "上海明天会下雨吗？"
    assert shown["icon_url"].endswith(f"/sim/icons/{bots.DEMO_BOT_ID}.png")
    refused = run(tmp_path, "bot", "--base-url", simulator.base_url, "--bot-id",
                  bots.FAULT_NOT_PUBLISHED_BOT_ID)  # fmt: skip
    assert refused.returncode == 1
    assert "not published" in refused.stderr
    assert "4200" in refused.stderr

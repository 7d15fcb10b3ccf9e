"""Base URLs the CLI refuses with a plain message (never a traceback or an exception group), and
what an already-saved bad one does."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from desktop.simulator import bots
from tests.integration.test_cli import run

if TYPE_CHECKING:
    from pathlib import Path

BAD = [
    ("http://127.0.0.1:99999", "port must be a number from 1 to 65535"),
    ("localhost:8888", "must start with http:// or https://"),
    ("api.coze.cn", "must start with http:// or https://"),
    ("http://bob:hunter2@127.0.0.1:8888", "must not contain a user name or password"),
    ("http://:8888", "has no server name"),
]


@pytest.mark.parametrize(("url", "words"), BAD)
def test_chat_refuses_a_bad_base_url(isolated_home: Path, url: str, words: str) -> None:
    proc = run(isolated_home, "chat", "--base-url", url, "--bot-id", "1", "hi")
    assert proc.returncode == 2
    assert words in proc.stderr
    assert "ExceptionGroup" not in proc.stderr
    assert "hunter2" not in proc.stderr
    assert "timed out" not in proc.stderr


@pytest.mark.parametrize(("url", "words"), BAD)
def test_profile_add_refuses_a_bad_base_url(isolated_home: Path, url: str, words: str) -> None:
    proc = run(isolated_home, "profile", "add", "--name", "p", "--region", "custom",
               "--base-url", url, "--bot-id", "1", "--no-token")  # fmt: skip
    assert proc.returncode == 2
    assert words in proc.stderr
    assert "No profiles" in run(isolated_home, "profile", "list").stderr


def test_a_saved_profile_with_a_bad_url_is_diagnosed_not_sent(isolated_home: Path) -> None:
    from desktop import paths
    from desktop.storage import Database, Profile

    with Database.open(paths.db_path()) as db:  # saved by a version that took anything
        for name, url in (("port", "http://127.0.0.1:99999"),
                          ("creds", "http://bob:hunter2@127.0.0.1:9")):  # fmt: skip
            db.profiles.add(Profile(name=name, region="custom", base_url=url, bot_id="1",
                                    user_id="u"))  # fmt: skip
    listed = run(isolated_home, "profile", "list").stdout
    assert "hunter2" not in listed
    assert "bob:***@" in listed
    for name, words in (("port", "from 1 to 65535"), ("creds", "user name or password")):
        proc = run(isolated_home, "chat", "--profile", name, "hi", token=bots.DEMO_TOKEN)
        assert proc.returncode == 1
        assert "base URL cannot be used, so nothing was sent" in proc.stderr
        assert words in proc.stderr
        assert "ExceptionGroup" not in proc.stderr
        assert "hunter2" not in proc.stderr

"""The real app, started as users start it: work it starts at launch really runs on its loop."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.waiting import wait_until

if TYPE_CHECKING:
    from pathlib import Path


def _bot_names(db: Path) -> list[str]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db) as conn:
            return [row[0] for row in conn.execute("SELECT name FROM bot_info")]
    except sqlite3.Error:  # not created yet, or being migrated right now
        return []


@pytest.mark.slow
def test_a_demo_start_fetches_the_bots_face_on_its_own_loop(tmp_path: Path) -> None:
    """Tasks made while the app is built, before its loop runs, would never run: the bot-info
    refresh (and a message queued meanwhile) start from the running loop."""
    home = tmp_path / "home"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COZE_DESKTOP_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
    env.pop("COZE_API_TOKEN", None)
    app = subprocess.Popen([sys.executable, "-m", "desktop", "--demo"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        db = home / "data" / "history.sqlite3"
        wait_until(lambda: any("Weather" in name for name in _bot_names(db)), timeout=60,
                   what="the demo bot's face in the cache")  # fmt: skip
        assert app.poll() is None
    finally:
        app.terminate()
        app.wait(timeout=30)

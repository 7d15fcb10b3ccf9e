"""A second start on the same history raises the running window and exits; never two writers."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.waiting import wait_until

if TYPE_CHECKING:
    from pathlib import Path


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COZE_DESKTOP_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
    env.pop("COZE_API_TOKEN", None)
    return env


def _log(home: Path) -> str:
    path = home / "logs" / "coze-desktop.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.slow
def test_a_second_start_raises_the_first_window_and_exits(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = subprocess.Popen(
        [sys.executable, "-m", "desktop"], env=_env(home),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(lambda: "listening for a second start" in _log(home), timeout=60,
                   what="the first window's single-instance server")  # fmt: skip
        second = subprocess.run(
            [sys.executable, "-m", "desktop"], env=_env(home),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 0, second.stderr[-3000:]
        assert "already running: raised its window" in second.stdout
        wait_until(lambda: "asked this window to come to the front" in _log(home), timeout=30,
                   what="the raise request")  # fmt: skip
        assert first.poll() is None  # the first window is still running
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_the_lock_is_taken_once_per_history(tmp_path: Path) -> None:
    from desktop.ui.window.single_instance import claim, server_name

    one, other = tmp_path / "a", tmp_path / "b"
    one.mkdir()
    other.mkdir()
    lock = claim(one)
    assert lock is not None
    assert claim(other) is not None  # another COZE_DESKTOP_HOME: another window may run
    assert server_name(one) != server_name(other)
    assert server_name(one) == server_name(tmp_path / "a" / ".." / "a")
    lock.unlock()
    again = claim(one)
    assert again is not None
    again.unlock()

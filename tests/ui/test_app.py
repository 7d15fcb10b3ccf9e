"""The real entry point end to end: ``python -m desktop --demo --screenshot`` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.simulator import DEMO_TOKEN


@pytest.mark.slow
def test_demo_screenshot_run(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shot = tmp_path / "main.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COZE_DESKTOP_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
    env.pop("COZE_API_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--demo", "--scene", "chat", "--screenshot", str(shot)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert shot.exists() and shot.stat().st_size > 20_000
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    log = (home / "logs" / "coze-desktop.log").read_text(encoding="utf-8")
    assert "screenshot saved" in log
    for file in home.rglob("*"):
        if file.is_file():
            assert DEMO_TOKEN.encode() not in file.read_bytes(), file.name

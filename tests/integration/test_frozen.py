"""The frozen (PyInstaller) app passes its own ``--self-test``.

Skipped unless ``COZE_FROZEN_APP`` names the built executable, e.g.::

    python packaging/build.py --no-archive
    COZE_FROZEN_APP=dist/coze-desktop/coze-desktop pytest -m frozen tests/integration/test_frozen.py

``packaging/dev.sh frozen`` does this twice: without a keyring, and inside a D-Bus session with
gnome-keyring (``COZE_REQUIRE_REAL_KEYRING=1``: the frozen keyring must round-trip a secret).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.integration.selftest_report import assert_healthy, check, run_selftest

FROZEN_ENV = "COZE_FROZEN_APP"
pytestmark = [
    pytest.mark.frozen,
    pytest.mark.skipif(not os.environ.get(FROZEN_ENV), reason=f"{FROZEN_ENV} not set"),
]


def frozen_app() -> Path:
    app = Path(os.environ[FROZEN_ENV]).resolve()
    assert app.is_file(), f"{FROZEN_ENV}={app} is not a file"
    return app


def test_frozen_selftest_passes_every_check(tmp_path: Path) -> None:
    report = run_selftest([str(frozen_app())], tmp_path / "frozen.json")
    assert report["frozen"] is True
    assert_healthy(report)
    resources = Path(check(report, "window")["details"]["resources"])
    assert resources.name == "resources"
    assert frozen_app().parent.parent in resources.parents


def test_frozen_app_starts_as_a_double_click_does(tmp_path: Path) -> None:
    """The real start (``desktop.app.main``: the single-instance lock and its local server, the
    window, the backend after the first frame), not the self-test's own build: a scripted
    screenshot of the first-run page, then a clean exit."""
    shot = tmp_path / "welcome.png"
    shipped = list(frozen_app().parent.glob("_internal/shibokensupport-*.marshal"))
    assert len(shipped) == 1  # PySide6's support code, compiled by the build
    shipped_at = [path.stat().st_mtime_ns for path in shipped]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COZE_DESKTOP_HOME=str(tmp_path / "home"),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")  # fmt: skip
    done = subprocess.run([str(frozen_app()), "--screenshot", str(shot), "--scene", "welcome"],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert shot.stat().st_size > 0
    assert "Traceback" not in done.stderr
    # PySide6's first import (PyInstaller's own run-time hook makes it) went through the app's
    # support cache, and found the compiled support code the build left in the bundle
    assert [path.stat().st_mtime_ns for path in shipped] == shipped_at
    assert not (tmp_path / "home" / "cache").exists()

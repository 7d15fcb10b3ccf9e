"""``python -m desktop --self-test`` from source: the same smoke test the frozen app runs."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.selftest import report as selftest
from tests.integration.selftest_report import assert_healthy, run_selftest, selftest_env

pytestmark = pytest.mark.slow


def test_selftest_from_source_passes_every_check(tmp_path: Path) -> None:
    report = run_selftest([sys.executable, "-m", "desktop"], tmp_path / "report.json")
    assert report["frozen"] is False
    assert_healthy(report)
    assert not Path(report["home"]).exists(), "the temp home is removed after a pass"


def test_selftest_survives_missing_std_streams(tmp_path: Path) -> None:
    """A windowed Windows build has sys.stdout/sys.stderr = None: no crash, report + exit 0."""
    report = tmp_path / "windowed.json"
    code = (
        "import sys; sys.stdout = None; sys.stderr = None\n"
        "from desktop.__main__ import main\n"
        f"raise SystemExit(main(['--self-test', '--startup-probe', '--report', {str(report)!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=selftest_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == ""
    assert json.loads(report.read_text(encoding="utf-8"))["ok"] is True


def test_say_is_silent_without_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    selftest.say("no console here")
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buffer)
    selftest.say("to stderr", "stderr")
    assert buffer.getvalue() == "to stderr\n"


def test_failed_check_is_named_and_exit_code_is_1(tmp_path: Path) -> None:
    test = selftest.SelfTest(selftest.Options(tmp_path / "r.json", require_keyring=False))
    test.record("good", lambda check: None)
    test.record("bad", lambda check: (_ for _ in ()).throw(RuntimeError("boom")))
    path = test.write_report()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["failed"] == ["bad"]
    assert data["ok"] is False
    assert data["checks"][1]["error"] == "RuntimeError: boom"

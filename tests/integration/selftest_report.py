"""Shared checks on a ``--self-test`` JSON report (from source or from the frozen app)."""

from __future__ import annotations

import json
import os
import subprocess
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

EXPECTED_CHECKS = [
    "window",
    "translations",
    "storage",
    "keyring",
    "tls",
    "code colouring",
    "single instance",
    "chat",
]
REAL_KEYRING_ENV = "COZE_REQUIRE_REAL_KEYRING"


def wants_real_keyring() -> bool:
    """CI runs these tests inside a D-Bus session with gnome-keyring and sets this to 1."""
    return os.environ.get(REAL_KEYRING_ENV) == "1"


def selftest_env() -> dict[str, str]:
    """Offscreen, and the null keyring unless a real one is required (never the user's)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if not wants_real_keyring():
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return env


def run_selftest(command: Sequence[str], report: Path, timeout: float = 120) -> dict[str, Any]:
    """Run ``command --self-test --report REPORT``; return the parsed report (exit 0 asserted)."""
    args = [*command, "--self-test", "--report", str(report)]
    if wants_real_keyring():
        args.append("--require-keyring")
    done = subprocess.run(args, env=selftest_env(), capture_output=True, text=True, timeout=timeout)
    assert report.exists(), f"no report written; stderr:\n{done.stderr[-3000:]}"
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert done.returncode == 0, f"exit {done.returncode}: failed={data['failed']} {data['crash']}"
    return data


def check(report: dict[str, Any], name: str) -> dict[str, Any]:
    found = [c for c in report["checks"] if c["name"] == name]
    assert found, f"no {name!r} check in the report"
    result: dict[str, Any] = found[0]
    return result


def assert_healthy(report: dict[str, Any]) -> None:
    """Every check ran and passed, with the details that prove what it claims."""
    assert report["ok"] is True
    assert report["failed"] == []
    assert report["crash"] == ""
    assert [c["name"] for c in report["checks"]] == EXPECTED_CHECKS
    assert check(report, "window")["details"]["object_name"] == "mainWindow"
    assert report["startup"]["show_to_first_paint_s"] >= 0
    assert check(report, "single instance")["details"]["raised"] is True
    translations = check(report, "translations")["details"]
    assert translations["qtbase_cancel"] == "取消"
    assert translations["language"] == "zh"
    storage = check(report, "storage")["details"]
    assert storage["in_temp_home"]
    assert storage["journal_mode"] == "wal"
    chat = check(report, "chat")["details"]
    assert chat["status"] == "complete"
    assert chat["answer_chars"] > 100
    assert chat["tools"] >= 1
    assert len(chat["follow_ups"]) == 3
    assert chat["conversation_id"]
    assert chat["requests"][0].startswith("POST /v3/chat -> 200")
    assert chat["sse_events"] > 10
    assert chat["chat_view_messages"] >= 2
    assert check(report, "tls")["details"] == {"trust": "system store + certifi", "verify": True}
    assert len(check(report, "code colouring")["details"]["grammars"]) == 11
    keyring = check(report, "keyring")["details"]
    if wants_real_keyring():
        assert keyring["persistent"] is True
        assert keyring["roundtrip"] is True
    else:
        assert keyring["store"] == "memory"
        assert keyring["roundtrip"] is None

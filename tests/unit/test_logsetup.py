"""App logging: tokens are redacted; no console handler when there is no console."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

import pytest

from desktop.logsetup import LOG_FILE, RotatingFile, setup_logging

if TYPE_CHECKING:
    from pathlib import Path


pytestmark = pytest.mark.usefixtures("restore_root_logger")


TOKEN = "pat_secret_value_that_must_never_reach_a_log_file_0123456789abcdef"


@pytest.mark.expect_log("test.redact")
def test_tokens_are_redacted_in_messages_and_tracebacks(tmp_path: Path) -> None:
    setup_logging(tmp_path, console=False)
    log = logging.getLogger("test.redact")
    log.warning("calling with Authorization: Bearer %s", TOKEN)
    try:
        raise ValueError(f"bad token {TOKEN}")
    except ValueError:
        log.exception("failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (tmp_path / LOG_FILE).read_text(encoding="utf-8")
    assert "calling with Authorization" in text
    assert "ValueError" in text
    assert TOKEN not in text


@pytest.mark.expect_log("test.none")
def test_no_stderr_no_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    path = setup_logging(tmp_path)
    logging.getLogger("test.none").error("still fine")
    assert path == tmp_path / LOG_FILE
    assert all(getattr(h, "stream", True) is not None for h in logging.getLogger().handlers)


def test_log_file_rotates_keeping_the_newest_backups(tmp_path: Path) -> None:
    path = tmp_path / LOG_FILE
    handler = RotatingFile(path, max_bytes=200, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("rotation-test")
    log.propagate = False
    log.addHandler(handler)
    try:
        for n in range(40):
            log.warning("line %02d %s", n, "x" * 30)
    finally:
        log.removeHandler(handler)
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2"]
    assert all(p.stat().st_size <= 200 for p in tmp_path.iterdir())
    assert path.read_text(encoding="utf-8").rstrip().endswith("line 39 " + "x" * 30)
    newest_backup = (tmp_path / f"{LOG_FILE}.1").read_text(encoding="utf-8")
    oldest_backup = (tmp_path / f"{LOG_FILE}.2").read_text(encoding="utf-8")
    assert newest_backup.split()[1] > oldest_backup.split()[1]

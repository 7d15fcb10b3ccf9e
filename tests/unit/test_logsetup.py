"""App logging: tokens are redacted; no console handler when there is no console."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.logsetup import LOG_FILE, setup_logging


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


TOKEN = "pat_secret_value_that_must_never_reach_a_log_file_0123456789abcdef"


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
    assert "calling with Authorization" in text and "ValueError" in text
    assert TOKEN not in text


def test_no_stderr_no_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    path = setup_logging(tmp_path)
    logging.getLogger("test.none").error("still fine")
    assert path == tmp_path / LOG_FILE
    assert all(getattr(h, "stream", True) is not None for h in logging.getLogger().handlers)

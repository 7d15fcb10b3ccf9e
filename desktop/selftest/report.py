"""The self-test's report: its options, checks and JSON output (``runner`` runs it)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

QUESTION = "北京今天天气怎么样?"
CHAT_TIMEOUT_S = 45.0
PAINT_TIMEOUT_S = 15.0
KEYRING_SERVICE = "coze-desktop-selftest"
T0_ENV = "COZE_STARTUP_T0"


@dataclass
class Check:
    """One named check: passed or not, how long it took, what it saw."""

    name: str
    ok: bool = False
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass
class Options:
    report: Path | None
    require_keyring: bool
    startup_probe: bool = False  # stop after the first paint (for the start-up benchmark)


def parse_args(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(prog="coze-desktop --self-test", add_help=False)
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--report", type=Path)
    parser.add_argument("--require-keyring", action="store_true")
    parser.add_argument("--startup-probe", action="store_true")
    args, _rest = parser.parse_known_args(list(argv))
    return Options(args.report, args.require_keyring, args.startup_probe)


# ---- output that survives a windowed build ----------------------------------------------


def say(text: str, stream_name: str = "stdout") -> None:
    """Print to stdout/stderr only if the process has one."""
    stream = getattr(sys, stream_name, None)
    if stream is None:
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def process_start_time() -> float | None:
    """Epoch seconds when this process started: ``COZE_STARTUP_T0`` or /proc (Linux)."""
    value = os.environ.get(T0_ENV, "")
    if value:
        try:
            return float(value)
        except ValueError:
            return None
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started_after_boot = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        if boottime is None:
            return None
        return time.time() - (time.clock_gettime(boottime) - started_after_boot)
    except (OSError, ValueError, IndexError):
        return None


# ---- the run ------------------------------------------------------------------------------


class SelfTest:
    """Owns the temp home, the checks and the report."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.started = time.time()
        self.process_start = process_start_time()
        self.home = Path(tempfile.mkdtemp(prefix="coze-desktop-selftest-"))
        self.checks: list[Check] = []
        self.startup: dict[str, float] = {}

    def prepare_environment(self) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ["COZE_DESKTOP_HOME"] = str(self.home)

    def record(self, name: str, body: Callable[[Check], None]) -> Check:
        """Run ``body`` as check ``name``; any exception fails the check with its message."""
        check = Check(name)
        began = time.perf_counter()
        try:
            body(check)
            check.ok = not check.error
        except Exception as exc:  # noqa: BLE001 - any failure is the check's result, in the report
            check.error = f"{type(exc).__name__}: {exc}"
            check.details["traceback"] = traceback.format_exc(limit=8)
        check.seconds = round(time.perf_counter() - began, 3)
        self.checks.append(check)
        return check

    def since_start(self, moment: float) -> float | None:
        return None if self.process_start is None else round(moment - self.process_start, 3)

    def failed(self) -> list[str]:
        return [c.name for c in self.checks if not c.ok]

    def report(self, crash: str = "") -> dict[str, Any]:
        from desktop import __version__

        return {
            "ok": not crash and not self.failed(),
            "failed": self.failed(),
            "crash": crash,
            "version": __version__,
            "frozen": bool(getattr(sys, "frozen", False)),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "executable": sys.executable,
            "home": str(self.home),
            "qt_platform": os.environ.get("QT_QPA_PLATFORM", ""),
            "startup": self.startup,
            "total_seconds": round(time.time() - self.started, 3),
            "checks": [asdict(c) for c in self.checks],
        }

    def report_path(self) -> Path:
        if self.options.report is not None:
            return self.options.report
        return Path(tempfile.gettempdir()) / f"coze-desktop-selftest-{os.getpid()}.json"

    def write_report(self, crash: str = "") -> Path:
        path = self.report_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.report(crash), indent=1, ensure_ascii=False), "utf-8")
        return path

    def cleanup(self) -> None:
        """Drop the temp home when everything passed (kept for the logs otherwise)."""
        if not self.failed():
            shutil.rmtree(self.home, ignore_errors=True)

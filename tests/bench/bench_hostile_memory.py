"""Benchmark: the peak memory of ``coze-desktop chat`` against a hostile server, per case.

    python -m tests.bench.bench_hostile_memory [--cases gzip-zeros,line-100mb,...] [--trickle]

A hostile loopback server (``tests/integration/hostile.py``) answers every request with one
misbehaviour; the real CLI (``python -m desktop chat``) talks to it with the default limits, in
two ways: ``--base-url`` (the client alone) and a saved profile (the whole core: the turn saved
to a temporary history). Printed per case: the child's peak RSS (``wait4``'s ``ru_maxrss``),
wall seconds, the exit code and the diagnosis line it printed. Goal: every peak < 300 MiB and
every case ends with a plain diagnosis (exit 1), never a traceback.

Cases: ``gzip-zeros`` (the issue's gzip stream of zeros: one endless compressed line),
``gzip-newlines`` (a gzip stream of empty lines: only the ratio limit stops it), ``line-100mb``
(a 100 MB single line), ``endless`` (answer text for ever), ``endless-noise`` (unknown events
for ever). ``--trickle`` adds a body trickled a byte at a time (it ends after the default
``progress_seconds``, 120 s).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.integration import hostile

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "pat_benchhostile0123456789"
GOAL_MIB = 300
CASES: dict[str, hostile.Script] = {
    "gzip-zeros": hostile.gzip_bomb(b"\0"),
    "gzip-newlines": hostile.gzip_bomb(b"\n"),
    "line-100mb": hostile.long_line(100_000_000),
    "endless": hostile.endless,
    "endless-noise": hostile.endless_noise,
}


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COZE_")}
    env.update(COZE_DESKTOP_HOME=str(home), COZE_API_TOKEN=TOKEN, NO_COLOR="1",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring", PYTHONPATH=str(ROOT))  # fmt: skip
    return env


def _cli(home: Path, *args: str) -> tuple[int, float, int, str]:
    """(exit code, wall seconds, peak RSS in KiB, the last stderr line) of one CLI run."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "desktop", *args],
            cwd=ROOT, env=_env(home), stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    if "Traceback" in text:
        print(text)
    lines = [line for line in text.splitlines() if line.strip()]
    return proc.returncode, wall, usage.ru_maxrss, (lines[-1] if lines else "")[:160]


def _run_case(name: str, script: hostile.Script, mode: str) -> int:
    with tempfile.TemporaryDirectory() as tmp, hostile.HostileServer(script) as url:
        home = Path(tmp)
        if mode == "profile":
            subprocess.run(
                [sys.executable, "-m", "desktop", "profile", "add", "--name", "H", "--region",
                 "custom", "--base-url", url, "--bot-id", "1", "--no-token"],
                cwd=ROOT, env=_env(home), check=True, capture_output=True,
            )  # fmt: skip
            args = ["chat", "--profile", "H", "hi"]
        else:
            args = ["chat", "--base-url", url, "--bot-id", "1", "hi"]
        code, wall, rss_kib, said = _cli(home, *args)
    mib = rss_kib / 1024
    mark = "ok" if mib < GOAL_MIB and code == 1 else "MISSED"
    print(f"{name:<14} {mode:<8} peak {mib:7.1f} MiB  {wall:6.1f} s  exit {code}  {mark}  {said}")
    return 0 if mark == "ok" else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--modes", default="base-url,profile")
    parser.add_argument("--trickle", action="store_true")
    args = parser.parse_args()
    cases = {name: CASES[name] for name in args.cases.split(",")}
    if args.trickle:
        cases["trickle"] = hostile.trickled_body(0.5)
    failed = 0
    print(f"goal: peak RSS < {GOAL_MIB} MiB, a plain diagnosis (exit 1)")
    for name, script in cases.items():
        for mode in args.modes.split(","):
            failed += _run_case(name, script, mode)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: CPU instructions from interpreter start to the first painted window (callgrind).

    python -m tests.bench.bench_startup_instructions [--sessions 500] [--messages 50000] [--x11]

The wall-clock start-up bench (``bench_startup``) is at the mercy of a busy machine: on a shared
host the same code varies by 2x between runs. This one counts the instructions each start-up
executes under ``valgrind --tool=callgrind``, which does not depend on what else the machine
does (two runs agree to about 0.1 %). It starts the same two children as ``bench_startup``
(``tests.bench.startup_child``) in the same kind of history (a bare ``QMainWindow``; Coze Desktop
as ``python -m desktop`` starts it), each until its first frame, then exits at once. Instructions are not time (waiting for
the disk, page faults and the dynamic linker are not counted), but they follow it closely for
start-up code like this, and a change that saves work shows here first.

Under callgrind everything runs ~50x slower, so timers come due long before they would: the
chat view's highlighter warm-up (due 300 ms after the view is made, normally well after the
first frame) is switched off in the app child, as it would never run before the first frame
outside valgrind. ``--x11`` runs both children on a private Xvfb (the platform users run)
instead of offscreen. Needs ``valgrind`` (Debian: ``apt-get install valgrind``); ~1 minute.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def count(kind: str, env: dict[str, str]) -> int:
    cmd = [sys.executable, "-m", "tests.bench.startup_child", kind, "0", "--exit"]
    subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, timeout=300, check=True)  # .pyc
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    found = REFS.search(out.stderr)
    if found is None:
        raise RuntimeError(f"{kind}: no instruction count from valgrind:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--big", type=int, default=5_000)
    parser.add_argument("--x11", action="store_true", help="run the children on Xvfb")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)")
        return 2
    from tests.bench.bench_startup import build_history, child_env
    from tests.bench.x11 import Xvfb

    home = tempfile.mkdtemp(prefix="coze-bench-")
    xvfb = Xvfb() if args.x11 else None
    try:
        os.environ["COZE_DESKTOP_HOME"] = home
        info = build_history(args.sessions, args.messages, args.big)
        env = child_env(home)
        if xvfb is not None:
            env.update(QT_QPA_PLATFORM="xcb", DISPLAY=xvfb.display)
        print(f"history: {info['sessions']} sessions, {info['messages']:,} messages; "
              f"platform {env['QT_QPA_PLATFORM']}")  # fmt: skip
        base, app = count("baseline", env), count("app", env)
    finally:
        if xvfb is not None:
            xvfb.close()
        shutil.rmtree(home, ignore_errors=True)
    print(f"instructions to the first frame: baseline {base / 1e6:,.1f} M, "
          f"app {app / 1e6:,.1f} M, ratio {app / base:.2f}x (start-up goal <= 1.5x)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

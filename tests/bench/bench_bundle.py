"""Benchmark: the frozen app's size and its start-up time next to running from source.

    python packaging/build.py                      # dist/coze-desktop + the archive
    python -m tests.bench.bench_bundle [--runs 5] [--cold] [--app PATH] [--archive PATH] [--json OUT]

Size: the one-folder bundle unpacked and the distributable archive, next to Cherry Studio's
84 MiB Windows installer (a popular Electron chat client) and this project's 55 MB goal.
Start-up: process creation to the first painted main window (offscreen), measured by the app's
``--self-test --startup-probe`` with ``COZE_STARTUP_T0`` set to the launch time, alternating
frozen and source runs in the same process so both see the same machine state. The first run of
each is reported apart ("first"); the rest give the median. ``--cold`` drops the OS page cache
before every run (Linux, root: ``/proc/sys/vm/drop_caches``) so each start reads from disk.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
MIB = 1024 * 1024
CHERRY_STUDIO_INSTALLER_BYTES = 84 * MIB
GOAL_BYTES = 55_000_000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=DIST / "coze-desktop" / "coze-desktop")
    parser.add_argument(
        "--archive", type=Path, help="default: newest dist/coze-desktop-*.tar.xz/zip"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


def tree_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def newest_archive() -> Path | None:
    found = [
        p
        for pattern in ("coze-desktop-*.tar.xz", "coze-desktop-*.zip", "coze-desktop-*.dmg")
        for p in DIST.glob(pattern)
    ]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def sizes(app: Path, archive: Path | None) -> dict[str, Any]:
    unpacked, files = tree_bytes(app.parent)
    result: dict[str, Any] = {"unpacked_bytes": unpacked, "files": files}
    if archive is not None and archive.exists():
        size = archive.stat().st_size
        result.update(
            archive=archive.name,
            archive_bytes=size,
            vs_cherry_studio=round(size / CHERRY_STUDIO_INSTALLER_BYTES, 3),
            within_goal=size <= GOAL_BYTES,
        )
    return result


def startup_once(command: list[str]) -> float:
    """Seconds from launching ``command`` to its main window's first paint."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "probe.json"
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        )
        env["COZE_STARTUP_T0"] = repr(time.time())
        subprocess.run(
            [*command, "--self-test", "--startup-probe", "--report", str(report)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            timeout=120,
            check=True,
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    return float(data["startup"]["first_paint_s"])


def drop_page_cache() -> bool:
    """Empty the OS file cache (Linux, root); False where that is not allowed."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def startup(app: Path, runs: int, cold: bool) -> dict[str, dict[str, float]]:
    commands = {"frozen": [str(app)], "source": [sys.executable, "-m", "desktop"]}
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            if cold and not drop_page_cache():
                raise SystemExit("--cold needs root on Linux (/proc/sys/vm/drop_caches)")
            samples[name].append(startup_once(command))
    return {
        name: {
            "first_s": round(values[0], 3),
            "median_s": round(statistics.median(values[1:] or values), 3),
            "min_s": round(min(values), 3),
        }
        for name, values in samples.items()
    }


def print_report(size: dict[str, Any], times: dict[str, dict[str, float]], cold: bool) -> None:
    print(f"bundle unpacked: {size['unpacked_bytes'] / MIB:.1f} MiB in {size['files']} files")
    if "archive_bytes" in size:
        print(
            f"archive {size['archive']}: {size['archive_bytes'] / MIB:.1f} MiB "
            f"({size['archive_bytes'] / 1e6:.1f} MB; goal <= 55 MB: "
            f"{'met' if size['within_goal'] else 'MISSED'}); Cherry Studio's Windows installer: "
            f"84.0 MiB -> {size['vs_cherry_studio']:.0%} of it"
        )
    cache = "page cache dropped before each run" if cold else "warm page cache"
    print(f"start to first painted window (offscreen, {cache}):")
    print(f"{'':22} {'first run':>10} {'median':>8} {'best':>8}")
    for name, row in times.items():
        print(f"{name:22} {row['first_s']:9.2f}s {row['median_s']:7.2f}s {row['min_s']:7.2f}s")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.app.is_file():
        print(f"{args.app} not found: run python packaging/build.py first", file=sys.stderr)
        return 2
    size = sizes(args.app, args.archive or newest_archive())
    times = startup(args.app, max(1, args.runs), args.cold)
    print_report(size, times, args.cold)
    if args.json:
        figures = {"size": size, "startup": times, "cold": args.cold}
        args.json.write_text(json.dumps(figures, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

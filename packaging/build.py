"""Build Coze Desktop for this OS: the PyInstaller bundle, then the archive users download.

    python packaging/build.py                 bundle + archive (tar.xz / zip + setup.exe / dmg)
    python packaging/build.py --no-archive    bundle only (CI smoke test)
    python packaging/build.py --measure       also report what each removal in
                                              packaging/bundle_config.py saves
    python packaging/build.py --keep NAME     keep a removal (repeatable; "all" keeps every one)

Prints the build time and sizes and writes them to ``dist/build-report.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import lzma
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import bundle_config as cfg  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build"
LINUX_EXTRAS = ("install.sh", "uninstall.sh", "coze-desktop.desktop")
MIB = 1024 * 1024


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build the Coze Desktop bundle and archive.")
    parser.add_argument("--no-archive", action="store_true", help="build the bundle only")
    parser.add_argument("--measure", action="store_true", help="report each removal's saving")
    parser.add_argument("--keep", action="append", default=[], metavar="NAME",
                        help="keep a removal from packaging/bundle_config.py")
    parser.add_argument("--xz", default="9e", metavar="LEVEL",
                        help="xz preset for the Linux archive (default 9e; 6 is 3x faster, +3%%)")
    parser.add_argument("--clean", action="store_true", help="drop PyInstaller's cache first")
    return parser.parse_args(argv)


# ---- resources ---------------------------------------------------------------------------

def prepare_resources() -> None:
    """Make the .ico/.icns from the PNG renders and compile .ts translations when stale."""
    icons = ROOT / "resources" / "icons"
    newest_png = max((p.stat().st_mtime for p in icons.glob("coze-desktop-*.png")), default=0)
    targets = [icons / "coze-desktop.ico", icons / "coze-desktop.icns"]
    if any(not t.exists() or t.stat().st_mtime < newest_png for t in targets):
        run([sys.executable, str(ROOT / "packaging" / "make_os_icons.py")])
    for ts in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            run([lrelease(), "-silent", str(ts), "-qm", str(qm)])


def lrelease() -> str:
    """``pyside6-lrelease`` next to this Python, else on PATH."""
    scripts = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        if (scripts / name).exists():
            return str(scripts / name)
    found = shutil.which("pyside6-lrelease")
    if found is None:
        raise SystemExit("pyside6-lrelease not found: install PySide6-Essentials in this venv")
    return found


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)


# ---- bundle ------------------------------------------------------------------------------

def build_bundle(args: argparse.Namespace) -> float:
    """Run PyInstaller on installer.spec; returns the seconds it took."""
    env = dict(os.environ)
    env[cfg.KEEP_ENV] = ",".join(args.keep)
    # The modules' archive (PYZ) stored, not zlib-compressed: every start unpacks each module it
    # imports, and the archive users download is compressed as a whole anyway (xz: 36.9 MiB,
    # 39.1 with compressed modules). Start to the first frame, frozen returning user under Xvfb:
    # 1.31x the bare window against 1.39x; from a cold page cache 0.40 s against 0.43-0.48 s.
    env.setdefault("PYINSTALLER_ZLIB_COMPRESSION_LEVEL", "0")
    for toc in (WORK / "installer").glob("PYZ-*.toc"):  # PyInstaller would keep an archive built
        toc.unlink()  # at another level: it compares only the module list (redoing it is quick)
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(WORK), str(ROOT / "installer.spec")]
    if args.clean:
        cmd.insert(3, "--clean")
    started = time.perf_counter()
    run(cmd, env)
    return time.perf_counter() - started


def bundle_path() -> Path:
    """The built app: the .app on macOS, else the one-folder directory."""
    if sys.platform == "darwin":
        return DIST / f"{cfg.APP_NAME}.app"
    return DIST / cfg.EXE_NAME


def contents_folder() -> Path:
    """The bundle's folder of modules and libraries (the frozen app's ``sys._MEIPASS``)."""
    if sys.platform == "darwin":
        return bundle_path() / "Contents" / "Frameworks"
    return bundle_path() / "_internal"


def ship_support_cache() -> None:
    """Compile PySide6's support code into the bundle (``desktop.ui.kit.support_cache``): the
    frozen app's first start loads it instead of compiling it (about 40 ms). This Python and its
    PySide6 are the ones the bundle carries."""
    run([sys.executable, str(ROOT / "packaging" / "ship_support_cache.py"), str(contents_folder())])


def add_linux_extras(folder: Path) -> None:
    """Put the menu entry and the install/uninstall scripts next to the executable."""
    for name in LINUX_EXTRAS:
        shutil.copy2(ROOT / "packaging" / "linux" / name, folder / name)


def tree_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files under ``folder`` (symlinks not followed)."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


# ---- archives ----------------------------------------------------------------------------

def archive_name(version: str, suffix: str) -> Path:
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64")
    return DIST / f"coze-desktop-{version}-{system}-{machine}{suffix}"


def make_tar_xz(folder: Path, version: str, level: str = "9e") -> Path:
    """tar.xz with top folder ``coze-desktop-VERSION``; xz -9e on two threads when available."""
    out = archive_name(version, ".tar.xz")
    top = f"coze-desktop-{version}"
    if shutil.which("tar") and shutil.which("xz"):
        tar = ["tar", "-C", str(folder.parent), "--owner=0", "--group=0", "--sort=name",
               f"--transform=s,^{folder.name},{top},", "-cf", "-", folder.name]
        with out.open("wb") as sink:
            producer = subprocess.Popen(tar, stdout=subprocess.PIPE)
            subprocess.run(["xz", f"-{level}", "-T2", "-c"], stdin=producer.stdout, stdout=sink, check=True)
            if producer.wait() != 0:
                raise SystemExit("tar failed")
    else:
        preset = int(level[0]) | (lzma.PRESET_EXTREME if level.endswith("e") else 0)
        with lzma.open(out, "wb", preset=preset) as xz_file, \
                tarfile.open(fileobj=xz_file, mode="w") as tar_file:
            tar_file.add(folder, arcname=top)
    return out


def make_zip(folder: Path, version: str) -> Path:
    out = archive_name(version, ".zip")
    shutil.make_archive(str(out.with_suffix("")), "zip", folder.parent, folder.name)
    return out


def iscc() -> str | None:
    """Inno Setup's compiler, if installed."""
    candidates = [Path(os.environ.get(v, "")) / "Inno Setup 6" / "ISCC.exe"
                  for v in ("ProgramFiles(x86)", "ProgramFiles")]
    candidates.append(Path(os.environ.get("LOCALAPPDATA", "")) / "Programs" / "Inno Setup 6" / "ISCC.exe")
    found = next((str(c) for c in candidates if c.is_file()), None)
    return found or shutil.which("iscc")


def make_archives(folder: Path, version: str, xz_level: str) -> list[Path]:
    """The distributables for this OS."""
    if sys.platform == "win32":
        outs = [make_zip(folder, version)]
        compiler = iscc()
        if compiler:
            run([compiler, f"/DAppVersion={version}", str(ROOT / "packaging/windows/coze-desktop.iss")])
            outs.append(DIST / f"coze-desktop-{version}-windows-x64-setup.exe")
        else:
            print("Inno Setup not found: see packaging/windows/README.md for the installer")
        return outs
    if sys.platform == "darwin":
        run(["sh", str(ROOT / "packaging/macos/make-dmg.sh"), version])
        return sorted(DIST.glob(f"coze-desktop-{version}-macos-*.dmg"))
    return [make_tar_xz(folder, version, xz_level)]


# ---- measuring removals -----------------------------------------------------------------

def removal_savings() -> list[dict[str, object]]:
    """Per removal: files, bytes, and bytes after xz (what the archive would carry)."""
    report = json.loads((WORK / "installer" / "removed.json").read_text(encoding="utf-8"))
    rows = []
    for removal in cfg.REMOVALS:
        files = report.get(removal.name, [])
        raw = sum(int(f["bytes"]) for f in files)
        rows.append({"name": removal.name, "why": removal.why, "files": len(files),
                     "bytes": raw, "xz_bytes": _xz_size([f["source"] for f in files])})
    return rows


def _xz_size(sources: list[str]) -> int:
    if not sources:
        return 0
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:xz", preset=6, dereference=True) as tar_file:
        for index, source in enumerate(sources):
            if os.path.exists(source):
                tar_file.add(source, arcname=f"{index}-{Path(source).name}")
    return buffer.tell()


def print_savings(rows: list[dict[str, object]]) -> None:
    print(f"{'removal':22} {'files':>5} {'unpacked MiB':>12} {'xz MiB':>7}  why")
    for row in rows:
        print(f"{row['name']!s:22} {row['files']!s:>5} {int(str(row['bytes'])) / MIB:12.1f} "
              f"{int(str(row['xz_bytes'])) / MIB:7.1f}  {row['why']}")


# ---- main --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    version = cfg.read_version()
    prepare_resources()
    seconds = build_bundle(args)
    ship_support_cache()
    folder = DIST / cfg.EXE_NAME
    if sys.platform.startswith("linux"):
        add_linux_extras(folder)
    unpacked, count = tree_size(bundle_path())
    result: dict[str, object] = {"version": version, "build_seconds": round(seconds, 1),
                                 "bundle": str(bundle_path().relative_to(ROOT)),
                                 "unpacked_bytes": unpacked, "files": count, "archives": {}}
    print(f"built {bundle_path().relative_to(ROOT)} in {seconds:.1f} s: "
          f"{unpacked / MIB:.1f} MiB in {count} files")
    if not args.no_archive:
        result["archives"] = archive_sizes(make_archives(folder, version, args.xz))
    if args.measure:
        result["removals"] = rows = removal_savings()
        print_savings(rows)
    (DIST / "build-report.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


def archive_sizes(paths: list[Path]) -> dict[str, int]:
    sizes = {p.name: p.stat().st_size for p in paths if p.exists()}
    for name, size in sizes.items():
        print(f"archive dist/{name}: {size / MIB:.1f} MiB ({size / 1e6:.1f} MB)")
    return sizes


if __name__ == "__main__":
    sys.exit(main())

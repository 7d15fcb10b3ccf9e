"""What goes into the frozen app, kept out of ``installer.spec`` so it can be read and measured.

``installer.spec`` imports this module. It holds the app's identity (name, version, bundle id),
the modules left out of the analysis, and the named *removals*: files PyInstaller's hooks collect
but the app never loads (Wayland and embedded Qt platforms, the GTK theme plugin, Qt's network
plugins, unused image formats, other languages' Qt translations). After a removal, shared libraries
that only the removed files needed are dropped too ("orphans"), so removing the GTK theme plugin
also removes libgtk-3 and friends.

Set ``COZE_BUNDLE_KEEP=name,name`` to keep removals when measuring what each saves: a removal's
name, ``module-excludes`` (analyse without ``EXCLUDED_MODULES``), ``strip`` (keep debug symbols
on Linux), or ``all``.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "Coze Desktop"
EXE_NAME = "coze-desktop"
BUNDLE_ID = "org.cozedesktop.CozeDesktop"
MACOS_MINIMUM = "13.0"  # Qt 6.12 supports macOS 13 and newer
KEEP_ENV = "COZE_BUNDLE_KEEP"

# Toolchain, tests and stdlib parts the app never imports at run time.
EXCLUDED_MODULES = [
    "tkinter", "_tkinter", "readline", "pdb", "turtle", "turtledemo", "idlelib", "pydoc_data", "lib2to3",
    "unittest", "doctest", "test", "ensurepip", "venv", "distutils", "setuptools", "pkg_resources",
    "pip", "pytest", "_pytest", "pytestqt", "pytest_asyncio", "pytest_timeout", "hypothesis",
    "cozepy", "mypy", "ruff", "importlinter", "grimp", "PyInstaller",
    # httpx's own command-line tool pulls these in; the app never runs it.
    "click", "rich", "markdown_it", "mdurl",
    # Only concurrent.futures' process pool imports multiprocessing, and the app runs no process
    # pool; bundled, PyInstaller's multiprocessing run-time hook imports it at every start (25 ms).
    "multiprocessing", "concurrent.futures.process",
    # PySide6 binding modules nothing in the app imports (the Qt libraries they wrap are still
    # collected when a kept plugin links them). QtNetwork stays: the single-instance guard's
    # QLocalServer / QLocalSocket live there.
    "PySide6.QtDBus", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtPrintSupport",
    "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtXml", "PySide6.QtConcurrent",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
]

QT_LANGUAGES = ("en", "zh_CN")


@dataclass(frozen=True)
class Removal:
    """Files (glob patterns on the bundle path) the app does not need, and why."""

    name: str
    why: str
    patterns: tuple[str, ...]


_PLUGINS = "PySide6/Qt/plugins"
REMOVALS = (
    Removal("qt-gtk3-theme", "GTK3 platform theme plugin (pulls libgtk-3, cairo, pango...)",
            (f"{_PLUGINS}/platformthemes/*gtk3*",)),
    Removal("qt-wayland", "Wayland platform; Qt falls back to xcb (XWayland) without it",
            (f"{_PLUGINS}/wayland-*/*", f"{_PLUGINS}/platforms/*qwayland*",
             "PySide6/Qt/lib/*Qt6Wayland*", "PySide6/Qt/lib/*Qt6WlShell*")),
    Removal("qt-embedded", "eglfs/linuxfb/vnc/minimalegl platforms and evdev input (kiosks)",
            (f"{_PLUGINS}/platforms/*qeglfs*", f"{_PLUGINS}/platforms/*qlinuxfb*",
             f"{_PLUGINS}/platforms/*qvnc*", f"{_PLUGINS}/platforms/*qminimalegl*",
             f"{_PLUGINS}/platforms/*qvkkhrdisplay*", f"{_PLUGINS}/egldeviceintegrations/*",
             f"{_PLUGINS}/generic/*", "PySide6/Qt/lib/*Qt6EglFs*")),
    Removal("qt-opengl-xcb", "GLX/EGL integration for xcb; the app paints with the raster engine",
            (f"{_PLUGINS}/xcbglintegrations/*",)),
    Removal("qt-network-plugins", "TLS and network-information plugins; the app talks via httpx",
            (f"{_PLUGINS}/tls/*", f"{_PLUGINS}/networkinformation/*")),
    Removal("qt-imageformats", "image formats the app never shows (tiff, tga, wbmp, pdf, icns)",
            tuple(f"{_PLUGINS}/imageformats/*q{fmt}*" for fmt in ("tiff", "tga", "wbmp", "pdf", "icns"))),
    Removal("qt-translations", "Qt's translations other than en and zh_CN",
            ("PySide6/Qt/translations/*",)),
)


def read_version(root: Path = ROOT) -> str:
    """``__version__`` from ``desktop/__init__.py``, read as text (importing runs app code)."""
    text = (root / "desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if match is None:
        raise ValueError("desktop/__init__.py has no __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3rc1"`` -> ``(1, 2, 3, 0)`` for the Windows version resource."""
    numbers = [int(n) for n in re.findall(r"\d+", version)[:3]]
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


MODULE_EXCLUDES = "module-excludes"
STRIP = "strip"


def kept_removals(env: dict[str, str] | None = None) -> set[str]:
    """Removal names switched off through ``COZE_BUNDLE_KEEP``."""
    value = (env if env is not None else os.environ).get(KEEP_ENV, "")
    names = {n.strip() for n in value.split(",") if n.strip()}
    if "all" in names:
        return {r.name for r in REMOVALS} | {MODULE_EXCLUDES, STRIP}
    return names


def excluded_modules(keep: set[str]) -> list[str]:
    """``EXCLUDED_MODULES`` unless ``module-excludes`` is kept."""
    return [] if MODULE_EXCLUDES in keep else list(EXCLUDED_MODULES)


def strip_binaries(keep: set[str]) -> bool:
    """Strip symbols on Linux (libpython drops from 30 MB to 7 MB) unless ``strip`` is kept."""
    return sys.platform.startswith("linux") and STRIP not in keep


def _is_qt_translation_kept(dest: str) -> bool:
    stem = Path(dest).stem
    return any(stem.endswith(f"_{lang}") for lang in QT_LANGUAGES)


def matches(removal: Removal, dest: str) -> bool:
    """True when the bundle path ``dest`` belongs to ``removal``."""
    dest = dest.replace("\\", "/")
    if not any(fnmatch.fnmatch(dest, p) for p in removal.patterns):
        return False
    return not (removal.name == "qt-translations" and _is_qt_translation_kept(dest))


Entry = tuple[str, str, str]  # PyInstaller TOC entry: (dest, source, typecode)
ImportsOf = Callable[[str], Iterable[str]]


def _is_root(dest: str) -> bool:
    """Binaries loaded by Python or Qt directly (not only as another library's dependency)."""
    name = dest.replace("\\", "/")
    return (name.endswith((".pyd", ".abi3.so")) or ".cpython-" in name
            or "/plugins/" in name or Path(name).name.lower().startswith(("libpython", "python3")))


def _reachable(binaries: list[Entry], imports_of: ImportsOf) -> set[str]:
    by_name = {Path(dest).name: dest for dest, _src, _kind in binaries}
    sources = {dest: src for dest, src, _kind in binaries}
    todo = [dest for dest in sources if _is_root(dest)]
    seen = set(todo)
    while todo:
        for name in imports_of(sources[todo.pop()]):
            dest = by_name.get(Path(name).name)
            if dest is not None and dest not in seen:
                seen.add(dest)
                todo.append(dest)
    return seen


def _orphans(before: list[Entry], after: list[Entry], imports_of: ImportsOf) -> set[str]:
    """Libraries reachable before a removal and unreachable after it."""
    was = _reachable(before, imports_of)
    now = _reachable(after, imports_of)
    kept = {dest for dest, _s, _k in after}
    return {dest for dest in was - now if dest in kept and not _is_root(dest)}


def apply_removals(
    binaries: list[Entry], datas: list[Entry], imports_of: ImportsOf, keep: set[str]
) -> tuple[list[Entry], list[Entry], dict[str, list[tuple[str, str, int]]]]:
    """Drop every removal not in ``keep`` (plus the orphans it leaves); report what went."""
    report: dict[str, list[tuple[str, str, int]]] = {}
    for removal in REMOVALS:
        if removal.name in keep:
            continue
        gone_b = [e for e in binaries if matches(removal, e[0])]
        after = [e for e in binaries if e not in gone_b]
        orphans = _orphans(binaries, after, imports_of)
        gone_b += [e for e in after if e[0] in orphans]
        gone_d = [e for e in datas if matches(removal, e[0])]
        binaries = [e for e in binaries if e not in gone_b]
        datas = [e for e in datas if e not in gone_d]
        report[removal.name] = [(d, s, _size(s)) for d, s, _k in gone_b + gone_d]
    return binaries, datas, report


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def write_report(report: dict[str, list[tuple[str, str, int]]], path: Path) -> None:
    """Save what each removal took out, for ``packaging/build.py --measure``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = {name: [{"dest": d, "source": s, "bytes": n} for d, s, n in files]
            for name, files in report.items()}
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")


def info_plist(version: str) -> dict[str, object]:
    """macOS Info.plist keys: Retina, dark mode, minimum OS, the languages the app speaks."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleExecutable": EXE_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundleDevelopmentRegion": "en",
        "CFBundleLocalizations": ["en", "zh_CN"],
        "LSApplicationCategoryType": "public.app-category.productivity",
        "LSMinimumSystemVersion": MACOS_MINIMUM,
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,
        "NSPrincipalClass": "NSApplication",
        "NSHumanReadableCopyright": "MIT License",
    }


def windows_version_file(version: str, path: Path) -> Path:
    """Write the VSVersionInfo text PyInstaller turns into the .exe's version resource."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": "Coze Desktop contributors",
        "FileDescription": APP_NAME,
        "FileVersion": version,
        "InternalName": EXE_NAME,
        "LegalCopyright": "MIT License",
        "OriginalFilename": f"{EXE_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }
    items = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_VERSION_TEMPLATE.format(nums=numbers, items=items), encoding="utf-8")
    return path


_VERSION_TEMPLATE = """# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('040904B0', [
          {items}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0409, 1200])])
  ]
)
"""

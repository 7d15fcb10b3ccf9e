"""Packaging metadata: one version everywhere, a desktop entry that passes nothing it ignores."""

from __future__ import annotations

import configparser
import importlib.metadata
from pathlib import Path

import desktop

ROOT = Path(__file__).resolve().parents[2]


def test_installed_version_is_the_package_version() -> None:
    assert importlib.metadata.version("coze-desktop") == desktop.__version__
    assert (
        'version = "'
        not in (ROOT / "pyproject.toml")
        .read_text(encoding="utf-8")
        .split("[tool.setuptools.dynamic]")[0]
    )  # no second copy in [project]


def test_desktop_entry_runs_the_app_without_unused_field_codes() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment, method-assign]
    entry.read(ROOT / "packaging" / "linux" / "coze-desktop.desktop", encoding="utf-8")
    main = entry["Desktop Entry"]
    assert main["Exec"] == "coze-desktop"  # the app takes no files or URLs: no %U / %F
    assert main["TryExec"] == "coze-desktop"
    demo = next(entry[s] for s in entry.sections() if s.startswith("Desktop Action"))
    assert demo["Exec"] == "coze-desktop --demo"

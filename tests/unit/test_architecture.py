"""Rules of the layout that import-linter cannot say (its contracts are in pyproject.toml)."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop

UI = Path(desktop.__file__).parent / "ui"
BRIDGE = UI / "bridge"


def _async_code(path: Path) -> list[str]:
    """``async def``, ``await``, ``async for`` and ``async with`` in ``path``, as "file:line"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    kinds = (ast.AsyncFunctionDef, ast.Await, ast.AsyncFor, ast.AsyncWith)
    return [f"{path.relative_to(UI.parent)}:{node.lineno}" for node in ast.walk(tree)
            if isinstance(node, kinds)]  # fmt: skip


def test_async_code_in_the_ui_lives_only_in_the_bridge() -> None:
    outside = [p for p in UI.rglob("*.py") if BRIDGE not in p.parents]
    assert len(outside) > 40  # the walk found the UI's modules
    found = [hit for path in outside for hit in _async_code(path)]
    assert found == [], "async code outside desktop/ui/bridge: " + ", ".join(found)


def test_the_bridge_does_hold_the_async_code() -> None:
    # the rule above means something only while the scan recognises async code where it is
    assert _async_code(BRIDGE / "controller.py")


def test_the_ui_top_level_holds_only_packages() -> None:
    modules = sorted(p.name for p in UI.glob("*.py"))
    assert modules == ["__init__.py"]
    packages = sorted(p.name for p in UI.iterdir() if (p / "__init__.py").is_file())
    assert packages == sorted(["bridge", "chat", "doctor", "kit", "logdock", "profiles",
                               "settings", "sidebar", "window"])  # fmt: skip


def test_every_package_says_what_lives_there() -> None:
    inits = list(Path(desktop.__file__).parent.rglob("__init__.py"))
    undocumented = [str(p) for p in inits if ast.get_docstring(ast.parse(p.read_text())) is None]
    assert undocumented == []

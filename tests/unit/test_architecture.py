"""Rules of the layout that import-linter cannot say (its contracts are in pyproject.toml)."""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
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
    assert packages == sorted(["bridge", "chat", "compare", "conversations", "doctor", "kit", "logdock", "profiles",
                               "settings", "sidebar", "window"])  # fmt: skip


def test_every_package_says_what_lives_there() -> None:
    inits = list(Path(desktop.__file__).parent.rglob("__init__.py"))
    undocumented = [str(p) for p in inits if ast.get_docstring(ast.parse(p.read_text())) is None]
    assert undocumented == []


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in imports.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(imports):
        if node not in index:
            visit(node)
    return groups


def test_cycle_finder_sees_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circle_in_desktop_type_only_imports_included() -> None:
    import grimp

    graph = grimp.build_graph("desktop", exclude_type_checking_imports=False)
    imports = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert len(imports) > 100
    assert _cycles(imports) == []


def test_deciding_window_or_command_line_imports_no_cli() -> None:
    code = (
        "import sys\n"
        "from desktop.__main__ import wants_cli\n"
        "assert not wants_cli([]) and not wants_cli(['--demo']) and wants_cli(['chat'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('desktop', 'httpx'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['desktop', 'desktop.__main__', 'desktop.cli']"


def test_the_subcommand_names_are_the_parsers() -> None:
    from desktop.cli import SUBCOMMANDS
    from desktop.cli.entry import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(sub.choices) == sorted(SUBCOMMANDS)

"""``coze-desktop conversations``, ``import --all`` and ``export --format json``, as a user runs
them (subprocesses against the simulator, the real history file)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from desktop.simulator import Simulator, bots
from tests.integration.test_cli import run

if TYPE_CHECKING:
    from pathlib import Path


def test_conversations_import_all_then_export_in_order(
    isolated_home: Path, simulator: Simulator
) -> None:
    bot = bots.ECHO_BOT_ID
    old = simulator.store.seed_history(
        bot, [(f"old {i}", f"old answer {i}") for i in range(30)], created_at=1_700_000_000
    )
    new = simulator.store.seed_history(bot, [("new one", "new answer")], created_at=1_700_009_000)
    target = ("--base-url", simulator.base_url, "--bot-id", bot)

    listed = run(isolated_home, "conversations", *target)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [new.id, old.id]  # newest first
    assert lines[0].endswith("new one")
    assert lines[1].endswith("old 0")
    assert "local" not in listed.stdout

    imported = run(isolated_home, "import", *target, "--all")
    assert imported.returncode == 0, imported.stderr
    assert "Imported 62 new messages." in imported.stderr

    again = run(isolated_home, "import", *target, "--conversation", old.id)
    assert again.returncode == 0
    assert "Imported 0 new messages." in again.stderr
    marked = run(isolated_home, "conversations", *target, "--json")
    records = [json.loads(line) for line in marked.stdout.splitlines()]
    assert all(r["local_session"] for r in records)

    exported = run(isolated_home, "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    sessions = {s["session"]["conversation_id"]: s for s in json.loads(exported.stdout)["sessions"]}
    texts = [m["content"] for m in sessions[old.id]["messages"]]
    assert texts == [t for i in range(30) for t in (f"old {i}", f"old answer {i}")]
    assert [m["content"] for m in sessions[new.id]["messages"]] == ["new one", "new answer"]


def test_import_failure_is_plain_and_keeps_pages(isolated_home: Path, simulator: Simulator) -> None:
    from desktop.simulator.protocol import error

    bot = bots.LONG_BOT_ID
    conv = simulator.store.seed_history(bot, [(f"q{i}", f"a{i}") for i in range(40)])
    simulator.store.fail_message_list(conv.id, after_pages=1, response=error(500, 5000, "boom"))
    target = ("--base-url", simulator.base_url, "--bot-id", bot)
    try:
        broken = run(isolated_home, "import", *target, "--conversation", conv.id)
    finally:
        simulator.store.heal_message_list(conv.id)
    assert broken.returncode == 1
    assert "5000" in broken.stderr
    assert "are kept" in broken.stderr
    rest = run(isolated_home, "import", *target, "--conversation", conv.id)
    assert rest.returncode == 0, rest.stderr
    exported = json.loads(run(isolated_home, "export", "--format", "json").stdout)
    (session,) = exported["sessions"]
    assert [m["content"] for m in session["messages"]][:4] == ["q0", "a0", "q1", "a1"]
    assert len(session["messages"]) == 80


def test_demo_is_refused_plainly(isolated_home: Path) -> None:
    proc = run(isolated_home, "import", "--demo", "--all")
    assert proc.returncode == 2
    assert "--demo keeps nothing on a server" in proc.stderr

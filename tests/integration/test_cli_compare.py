"""``coze-desktop chat --profile A --profile B ...``: several bots at once, in a subprocess."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from desktop import paths
from desktop.demo import DEMO_PROFILE_NAME, ECHO_PROFILE_NAME, WRONG_TOKEN_PROFILE_NAME
from desktop.simulator import bots
from desktop.storage import Database
from tests.integration.test_cli import run

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.simulator import Simulator

DEMOS = ("--profile", DEMO_PROFILE_NAME, "--profile", ECHO_PROFILE_NAME,
         "--profile", WRONG_TOKEN_PROFILE_NAME)  # fmt: skip


def blocks(stdout: str) -> dict[str, str]:
    """The answer printed under each ``== name ==`` heading."""
    found: dict[str, str] = {}
    name = ""
    for line in stdout.splitlines():
        if line.startswith("== ") and " ==" in line[3:]:
            name = line[3:].split(" ==")[0]
            found[name] = line + "\n"
        elif name:
            found[name] += line + "\n"
    return found


def test_each_answer_under_its_profile_and_the_failure_under_its_name(isolated_home: Path) -> None:
    proc = run(isolated_home, "chat", "--demo", *DEMOS, "北京今天天气怎么样?", token=None)
    assert proc.returncode == 1, proc.stderr  # one of them failed: the status says so
    answers = blocks(proc.stdout)
    assert set(answers) == {DEMO_PROFILE_NAME, ECHO_PROFILE_NAME, WRONG_TOKEN_PROFILE_NAME}
    assert "Echo: 北京今天天气怎么样?" in answers[ECHO_PROFILE_NAME]
    assert "北京" in answers[DEMO_PROFILE_NAME]
    assert "[tool] 天气查询" in answers[DEMO_PROFILE_NAME]
    for name in (DEMO_PROFILE_NAME, ECHO_PROFILE_NAME):
        heading = answers[name].splitlines()[0]
        assert "first token" in heading
        assert "tokens" in heading
        assert "log id" in heading
    assert "[failed]" in answers[WRONG_TOKEN_PROFILE_NAME]
    assert "code 4100" in answers[WRONG_TOKEN_PROFILE_NAME]
    assert f"[{WRONG_TOKEN_PROFILE_NAME}] Coze did not accept the access token." in proc.stderr
    assert bots.DEMO_TOKEN not in proc.stdout + proc.stderr


def test_json_events_are_tagged_by_profile(isolated_home: Path) -> None:
    proc = run(isolated_home, "chat", "--demo", *DEMOS[:4], "--json", "hi", token=None)
    assert proc.returncode == 0, proc.stderr
    objects = [json.loads(line) for line in proc.stdout.splitlines()]
    assert all(o["profile"] in (DEMO_PROFILE_NAME, ECHO_PROFILE_NAME) for o in objects)
    results = {o["profile"]: o for o in objects if o["event"] == "result"}
    assert set(results) == {DEMO_PROFILE_NAME, ECHO_PROFILE_NAME}
    assert all(r["status"] == "complete" and r["conversation_id"] for r in results.values())
    assert (
        results[DEMO_PROFILE_NAME]["conversation_id"]
        != results[ECHO_PROFILE_NAME]["conversation_id"]
    )
    deltas = {o["profile"] for o in objects if o["event"] == "conversation.message.delta"}
    assert deltas == {DEMO_PROFILE_NAME, ECHO_PROFILE_NAME}

    failing = run(isolated_home, "chat", "--demo", "--profile", ECHO_PROFILE_NAME,
                  "--profile", WRONG_TOKEN_PROFILE_NAME, "--json", "hi", token=None)  # fmt: skip
    assert failing.returncode == 1
    records = [json.loads(line) for line in failing.stdout.splitlines()]
    by_name = {o["profile"]: o for o in records if o["event"] == "result"}
    assert by_name[WRONG_TOKEN_PROFILE_NAME]["status"] == "failed"
    assert by_name[WRONG_TOKEN_PROFILE_NAME]["error"]["code"] == 4100
    assert by_name[ECHO_PROFILE_NAME]["status"] == "complete"


def test_saved_profiles_keep_the_comparison(isolated_home: Path, simulator: Simulator) -> None:
    for name, bot_id in (("echo", bots.ECHO_BOT_ID), ("weather", bots.DEMO_BOT_ID)):
        add = run(isolated_home, "profile", "add", "--name", name, "--region", "custom",
                  "--base-url", simulator.base_url, "--bot-id", bot_id, "--no-token")  # fmt: skip
        assert add.returncode == 0, add.stderr
    proc = run(isolated_home, "chat", "--profile", "echo", "--profile", "weather", "hello")
    assert proc.returncode == 0, proc.stderr
    assert set(blocks(proc.stdout)) == {"echo", "weather"}
    with Database.open(paths.db_path()) as db:  # COZE_DESKTOP_HOME is the subprocess home
        names = {p.id: p.name for p in db.profiles.list()}
        [comparison] = db.comparisons.list()
        sessions = [db.sessions.get(sid) for sid in comparison.session_ids]
        assert [names[s.profile_id] for s in sessions if s is not None] == ["echo", "weather"]
        assert all(s is not None and s.conversation_id for s in sessions)

    usage = run(isolated_home, "chat", "--profile", "echo", "--profile", "weather",
                "--conversation", "123", "hello")  # fmt: skip
    assert usage.returncode == 2
    assert "--conversation cannot be used with several --profile" in usage.stderr
    twice = run(isolated_home, "chat", "--profile", "echo", "--profile", "echo", "hello")
    assert twice.returncode == 2

"""The CLI as a user runs it: ``python -m desktop ...`` in a subprocess against the simulator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.simulator import Simulator, bots

ROOT = Path(__file__).resolve().parents[2]
FAULTS = [
    # (fault, code in the diagnosis, HTTP status in the diagnosis)
    ("BAD_REQUEST", 4000, 400),
    ("PERMISSION", 4101, 403),
    ("NOT_PUBLISHED", 4200, 200),
    ("RATE_LIMIT", 4020, 429),
    ("SERVER_ERROR", 5000, 500),
    ("BUSY", 4016, 200),
    ("QUOTA", 4028, None),
    ("CHAT_FAILED", 5000, None),
    ("ERROR_EVENT", 5000, 200),
    ("DROP", None, 200),
    ("BARE_JSON", 4100, 200),
    ("GATEWAY_HTML", None, 502),
    ("STUDIO_ERROR", 103100001, 200),
    ("STUDIO_RUN_FAILED", 103100001, 200),
    ("STUDIO_MODEL_ERROR", 103200002, 200),
    ("MODEL_ERROR", 4013, None),
    ("DAILY_LIMIT", 4008, 200),
    ("SYSTEM_BUSY", 4009, 200),
]


def cli_env(home: Path, token: str | None = bots.DEMO_TOKEN) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COZE_")}
    env.update(
        COZE_DESKTOP_HOME=str(home),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        LANG="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        NO_COLOR="1",
    )
    if token is not None:
        env["COZE_API_TOKEN"] = token
    return env


def run(
    home: Path, *args: str, token: str | None = bots.DEMO_TOKEN, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=cli_env(home, token),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=90,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    if token:
        assert token not in proc.stdout + proc.stderr
    return proc


def chat(
    home: Path,
    sim: Simulator,
    bot_id: str,
    *extra: str,
    message: str = "hello",
    token: str | None = bots.DEMO_TOKEN,
) -> subprocess.CompletedProcess[str]:
    return run(
        home, "chat", "--base-url", sim.base_url, "--bot-id", bot_id, *extra, message, token=token
    )


def test_chat_streams_marked_extras(isolated_home: Path, simulator: Simulator) -> None:
    proc = chat(isolated_home, simulator, bots.DEMO_BOT_ID, message="北京今天天气怎么样?")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "[thinking]" in out
    assert "[tool] 天气查询(city=北京) -> " in out
    assert out.count("[follow-up] ") == 3
    assert "北京" in out
    assert "```python" in out
    assert "generate_answer_finish" not in out
    assert "msg_type" not in out
    assert "--conversation" in proc.stderr


def test_conversation_option_continues(isolated_home: Path, simulator: Simulator) -> None:
    first = chat(isolated_home, simulator, bots.ECHO_BOT_ID, message="one")
    conversation_id = first.stderr.split("conversation: ")[1].split()[0]
    second = chat(
        isolated_home, simulator, bots.ECHO_BOT_ID, "--conversation", conversation_id, message="two"
    )
    assert second.returncode == 0
    assert "turn 2" in second.stdout
    record = simulator.last_request("/v3/chat")
    assert record is not None
    assert record.query["conversation_id"] == conversation_id


def test_json_mode_one_object_per_event(isolated_home: Path, simulator: Simulator) -> None:
    proc = chat(isolated_home, simulator, bots.ECHO_BOT_ID, "--json")
    assert proc.returncode == 0
    objects = [json.loads(line) for line in proc.stdout.splitlines()]
    assert objects[0]["event"] == "conversation.chat.created"
    assert any(o["event"] == "conversation.message.delta" for o in objects)
    assert objects[-1]["event"] == "result"
    assert objects[-1]["status"] == "complete"
    assert objects[-1]["log_id"]


def test_no_stream_polls(isolated_home: Path, simulator: Simulator) -> None:
    proc = chat(isolated_home, simulator, bots.ECHO_BOT_ID, "--no-stream")
    assert proc.returncode == 0, proc.stderr
    assert "Echo: hello" in proc.stdout


@pytest.mark.parametrize(("fault", "code", "status"), FAULTS)
def test_fault_exit_codes_and_diagnosis(
    isolated_home: Path, simulator: Simulator, fault: str, code: int | None, status: int | None
) -> None:
    proc = chat(isolated_home, simulator, bots.FAULT_BOT_IDS[fault])
    assert proc.returncode == 1
    assert "log id " in proc.stderr
    if code is not None:
        assert f"code {code}" in proc.stderr
    if status is not None:
        assert f"HTTP {status}" in proc.stderr


def test_wrong_token_is_diagnosed(isolated_home: Path, simulator: Simulator) -> None:
    token = "pat_wrong_" + "y" * 59
    proc = chat(isolated_home, simulator, bots.ECHO_BOT_ID, token=token)
    assert proc.returncode == 1
    assert "code 4100" in proc.stderr
    assert "HTTP 401" in proc.stderr


def test_missing_token_and_profile(isolated_home: Path, simulator: Simulator) -> None:
    proc = chat(isolated_home, simulator, bots.ECHO_BOT_ID, token=None)
    assert proc.returncode == 1
    assert "COZE_API_TOKEN" in proc.stderr
    proc = run(isolated_home, "chat", "hello")
    assert proc.returncode == 2
    assert "profile add" in proc.stderr


def test_unreachable_server(isolated_home: Path) -> None:
    proc = run(isolated_home, "chat", "--base-url", "http://127.0.0.1:9", "--bot-id", "1", "hi")
    assert proc.returncode == 1
    assert proc.stderr.strip()


def test_sigint_stops_stream(isolated_home: Path) -> None:
    with Simulator(delay_scale=1.0) as sim:
        args = ["chat", "--base-url", sim.base_url, "--bot-id", bots.SLOW_BOT_ID, "type"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "desktop", *args],
            cwd=ROOT,
            env=cli_env(isolated_home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert proc.stdout is not None
        first = proc.stdout.read(5)  # the answer is streaming (Ctrl+C is handled by now)
        proc.send_signal(signal.SIGINT)
        _out, errors = proc.communicate(timeout=20)
        assert proc.returncode == 130
        assert first
        assert "[stopped]" in errors
        assert "Traceback" not in errors
        cancel = sim.last_request("/v3/chat/cancel")
        assert cancel is not None


def test_sigterm_stops_stream_prints_the_mark_and_exits_143(isolated_home: Path) -> None:
    """SIGTERM (a service manager, ``kill``) stops the answer as Ctrl+C does: the partial answer
    and its ``[stopped]`` mark are printed, the cancel is sent, the status is non-zero."""
    with Simulator(delay_scale=1.0) as sim:
        args = ["chat", "--base-url", sim.base_url, "--bot-id", bots.SLOW_BOT_ID, "type"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "desktop", *args], cwd=ROOT, env=cli_env(isolated_home),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )  # fmt: skip
        assert proc.stdout is not None
        first = proc.stdout.read(5)  # the answer is streaming (the handlers are set by now)
        proc.send_signal(signal.SIGTERM)
        _rest, errors = proc.communicate(timeout=20)
        assert proc.returncode == 128 + signal.SIGTERM
        assert first
        assert "[stopped]" in errors
        assert "Traceback" not in errors
        assert sim.last_request("/v3/chat/cancel") is not None


def test_profile_lifecycle_chat_and_export(isolated_home: Path, simulator: Simulator) -> None:
    add = run(
        isolated_home,
        "profile",
        "add",
        "--name",
        "sim",
        "--region",
        "custom",
        "--base-url",
        simulator.base_url,
        "--bot-id",
        bots.ECHO_BOT_ID,
        "--no-token",
    )
    assert add.returncode == 0, add.stderr
    listed = run(isolated_home, "profile", "list")
    assert "sim" in listed.stdout
    assert bots.ECHO_BOT_ID in listed.stdout
    said = run(isolated_home, "chat", "--profile", "sim", "saved turn")
    assert said.returncode == 0
    assert "Echo: saved turn" in said.stdout
    md = run(isolated_home, "export", "--format", "md")
    assert "## You" in md.stdout
    assert "saved turn" in md.stdout
    doc = json.loads(run(isolated_home, "export", "--format", "json").stdout)
    messages = doc["sessions"][0]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[1]["status"] == "complete"
    st = run(isolated_home, "profile", "set-token", "sim", stdin=bots.DEMO_TOKEN + "\n")
    assert st.returncode != 0  # this machine (the null keyring) saved nothing: not a success
    assert "no system keyring" in st.stderr
    assert "COZE_API_TOKEN=" in st.stderr
    chat = run(isolated_home, "chat", "--profile", "sim", "hi", token=None)
    assert chat.returncode != 0
    assert "no system keyring" in chat.stderr  # not "store one with set-token" again
    assert "set-token" not in chat.stderr
    removed = run(isolated_home, "profile", "remove", "sim")
    assert removed.returncode == 0
    assert "sim" not in run(isolated_home, "profile", "list").stdout


def test_doctor_command(isolated_home: Path, simulator: Simulator) -> None:
    proc = run(
        isolated_home,
        "doctor",
        "--base-url",
        simulator.base_url,
        "--bot-id",
        bots.CONTEXT_LOST_BOT_ID,
    )
    assert proc.returncode == 1
    assert "[FAIL] Context over two turns" in proc.stdout
    zh = run(
        isolated_home,
        "--lang",
        "zh",
        "doctor",
        "--base-url",
        simulator.base_url,
        "--bot-id",
        bots.ECHO_BOT_ID,
        token="pat_bad_" + "z" * 60,
    )
    assert zh.returncode == 1
    assert "[失败]" in zh.stdout
    assert "正在检查 命令行参数（" in zh.stderr  # no English left in a Chinese run
    assert "command line" not in zh.stdout + zh.stderr


@pytest.mark.slow
def test_demo_chat(isolated_home: Path) -> None:
    proc = run(isolated_home, "chat", "--demo", "北京今天天气怎么样?", token=None)
    assert proc.returncode == 0, proc.stderr
    assert "[tool] 天气查询(city=北京)" in proc.stdout


def test_demo_cannot_continue_a_conversation(isolated_home: Path) -> None:
    proc = run(isolated_home, "chat", "--demo", "--conversation", "7490000000000000001", "hi",
               token=None)  # fmt: skip
    assert proc.returncode == 2
    assert "coze-desktop simulator" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_sessions_lists_the_ids_export_takes(isolated_home: Path, simulator: Simulator) -> None:
    add = run(isolated_home, "profile", "add", "--name", "sim", "--region", "custom",
              "--base-url", simulator.base_url, "--bot-id", bots.ECHO_BOT_ID, "--no-token")  # fmt: skip
    assert add.returncode == 0, add.stderr
    assert run(isolated_home, "chat", "--profile", "sim", "first chat").returncode == 0
    assert run(isolated_home, "chat", "--profile", "sim", "second chat").returncode == 0
    listed = run(isolated_home, "sessions", "--json")
    assert listed.returncode == 0, listed.stderr
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["title"] for r in records] == ["second chat", "first chat"]  # newest first
    assert all(r["profile"] == "sim" and r["messages"] == 2 for r in records)
    plain = run(isolated_home, "sessions", "--search", "first")
    assert "first chat" in plain.stdout
    assert "second chat" not in plain.stdout
    first_id = records[1]["id"]
    md = run(isolated_home, "export", "--session", str(first_id), "--format", "md")
    assert "first chat" in md.stdout
    assert "second chat" not in md.stdout
    missing = run(isolated_home, "sessions", "--profile", "nobody")
    assert missing.returncode != 0
    assert "nobody" in missing.stderr


def test_a_terminal_gets_the_same_bytes_as_a_pipe(
    isolated_home: Path, simulator: Simulator
) -> None:
    """Writes to a terminal are coalesced (thinking, tools, answer, follow-ups): the bytes are
    those a pipe gets."""
    import pty
    import tty

    args = [sys.executable, "-m", "desktop", "chat", "--base-url", simulator.base_url,
            "--bot-id", bots.DEMO_BOT_ID, "北京今天天气怎么样?"]  # fmt: skip
    env = cli_env(isolated_home)
    piped = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, timeout=90)
    assert piped.returncode == 0, piped.stderr
    reader, writer = pty.openpty()
    tty.setraw(writer)  # no newline translation
    with subprocess.Popen(args, cwd=ROOT, env=env, stdout=writer, stderr=subprocess.PIPE) as proc:
        os.close(writer)
        chunks = []
        while True:
            try:
                data = os.read(reader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(reader)
        assert proc.wait(90) == 0
    assert b"".join(chunks) == piped.stdout
    assert b"[thinking]" in piped.stdout
    assert b"[follow-up] " in piped.stdout


@pytest.mark.parametrize("mode", [(), ("--no-stream",)], ids=["stream", "poll"])
def test_tool_output_is_submitted(
    isolated_home: Path, simulator: Simulator, mode: tuple[str, ...]
) -> None:
    proc = chat(isolated_home, simulator, bots.TOOL_BOT_ID, *mode,
                "--tool-output", "get_local_time=10:30", message="what time is it?")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "10:30" in proc.stdout
    assert "submit_tool_outputs" not in proc.stderr


def test_waiting_tool_without_output_exits_naming_it(
    isolated_home: Path, simulator: Simulator
) -> None:
    proc = chat(isolated_home, simulator, bots.TOOL_BOT_ID, message="what time is it?")
    assert proc.returncode == 3, proc.stderr
    assert "The bot is waiting for you: get_local_time" in proc.stderr
    assert '"timezone": "Asia/Shanghai"' in proc.stderr
    assert "--tool-output get_local_time=TEXT" in proc.stderr
    other = chat(isolated_home, simulator, bots.TOOL_BOT_ID, "--tool-output", "other=1")
    assert other.returncode == 3, other.stderr  # a result for another tool does not answer it


def test_malformed_tool_output_is_a_usage_error(isolated_home: Path, simulator: Simulator) -> None:
    proc = chat(isolated_home, simulator, bots.TOOL_BOT_ID, "--tool-output", "no-equals-sign")
    assert proc.returncode == 2
    assert "NAME=TEXT" in proc.stderr


def test_terminal_is_asked_for_the_tool_output(isolated_home: Path, simulator: Simulator) -> None:
    import pty

    args = [sys.executable, "-m", "desktop", "chat", "--base-url", simulator.base_url,
            "--bot-id", bots.TOOL_BOT_ID, "what time is it?"]  # fmt: skip
    reader, writer = pty.openpty()
    with subprocess.Popen(args, cwd=ROOT, env=cli_env(isolated_home), stdin=writer,
                          stdout=subprocess.PIPE, stderr=writer) as proc:  # fmt: skip
        os.close(writer)
        seen = b""
        while b"Result" not in seen:  # the prompt, on the terminal
            data = os.read(reader, 65536)
            assert data, seen
            seen += data
        assert b"The bot is waiting for you: get_local_time" in seen
        os.write(reader, b"11:45\n")
        out, _ = proc.communicate(timeout=90)
        os.close(reader)
    assert proc.returncode == 0
    assert "11:45" in out.decode("utf-8")


def chatflow(home: Path, sim: Simulator, *extra: str) -> subprocess.CompletedProcess[str]:
    from desktop.simulator.chatflow import CHATFLOW_APP_ID, CHATFLOW_WORKFLOW_ID

    return run(home, "chat", "--base-url", sim.base_url, "--workflow-id", CHATFLOW_WORKFLOW_ID,
               "--app-id", CHATFLOW_APP_ID, *extra)  # fmt: skip


def test_chatflow_question_node_reply_and_debug_url(
    isolated_home: Path, simulator: Simulator
) -> None:
    asked = chatflow(isolated_home, simulator, "--parameters", '{"unit": "C"}', "天气")
    assert asked.returncode == 3, asked.stderr
    assert "The bot asks: 你想查询哪个城市的天气？" in asked.stderr
    assert "--tool-output question_city=TEXT" in asked.stderr
    answered = chatflow(isolated_home, simulator, "--parameters", '{"unit": "C"}',
                        "--tool-output", "question_city=上海", "天气")  # fmt: skip
    assert answered.returncode == 0, answered.stderr
    assert "**上海**" in answered.stdout
    assert '(parameters: {"unit": "C"})' in answered.stdout
    assert "Open the run in Coze: https://www.coze.cn/work_flow?execute_id=" in answered.stderr
    sent = [r for r in simulator.requests if r.path == "/v1/workflows/chat"][-2:]
    assert sent[0].json["app_id"]
    assert "bot_id" not in sent[0].json
    assert sent[0].json["parameters"] == {"unit": "C"}
    first_conversation = sent[0].json.get("conversation_id")
    assert first_conversation is None  # a new conversation, then the reply continues it
    assert sent[1].json["conversation_id"]
    assert sent[1].json["additional_messages"][0]["content"] == "上海"


def test_chatflow_failures_are_plain(isolated_home: Path, simulator: Simulator) -> None:
    missing = run(isolated_home, "chat", "--base-url", simulator.base_url, "--workflow-id",
                  "7480000000000999999", "--app-id", "1", "hi")  # fmt: skip
    assert missing.returncode == 1
    assert "Coze cannot find this chatflow." in missing.stderr
    assert "code 4200" in missing.stderr
    bad = chatflow(isolated_home, simulator, "--parameters", "[1, 2]", "hi")
    assert bad.returncode == 2
    assert "--parameters must be a JSON object" in bad.stderr
    broken = chatflow(isolated_home, simulator, "--parameters", "{oops", "hi")
    assert broken.returncode == 2
    assert "--parameters is not valid JSON" in broken.stderr


def test_json_result_lists_the_waiting_calls(isolated_home: Path, simulator: Simulator) -> None:
    proc = chat(isolated_home, simulator, bots.TOOL_BOT_ID, "--json", message="time?")
    assert proc.returncode == 3, proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["status"] == "requires_action"
    [call] = result["waiting_for"]
    assert call["name"] == "get_local_time"
    assert json.loads(call["arguments"]) == {"timezone": "Asia/Shanghai"}


def test_profile_local_tools_answer_unattended_only_when_opted_in(
    isolated_home: Path, simulator: Simulator
) -> None:
    from desktop import paths
    from desktop.storage import Database, Profile

    with Database.open(paths.db_path()) as db:
        for name, auto in (("asks", False), ("auto", True)):
            db.profiles.add(Profile(name=name, region="custom", base_url=simulator.base_url,
                                    bot_id=bots.TOOL_BOT_ID, user_id="u",
                                    local_tools={"get_local_time": "07:07"},
                                    auto_local_tools=auto))  # fmt: skip
    asks = run(isolated_home, "chat", "--profile", "asks", "time?")
    assert asks.returncode == 3, asks.stderr  # off unless the profile opts in
    auto = run(isolated_home, "chat", "--profile", "auto", "time?")
    assert auto.returncode == 0, auto.stderr
    assert "07:07" in auto.stdout
    flag = run(isolated_home, "chat", "--profile", "auto", "--tool-output",
               "get_local_time=08:08", "time?")  # fmt: skip
    assert "08:08" in flag.stdout  # the command line wins over the profile

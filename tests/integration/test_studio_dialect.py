"""Coze Studio's dialect end to end: the simulator's Studio bots over loopback, through the
client, the command line and the doctor; plus the doctor's advice for the limit and model codes
on both hosted regions (httpx.MockTransport) and on Studio."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx
import pytest

from desktop.api import diagnoses, errors
from desktop.api.client import ChatRequest, ClientConfig, CozeClient
from desktop.core.doctor import run_doctor
from desktop.simulator import Simulator, bots
from desktop.storage import Profile
from tests.integration.test_cli import chat

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.core.doctor_checks import CheckResult

UUID = re.compile(r"log id [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STUDIO_FAILURES = [
    (bots.FAULT_STUDIO_ERROR_BOT_ID, "103100001"),
    (bots.FAULT_STUDIO_RUN_FAILED_BOT_ID, "103100001"),
    (bots.FAULT_STUDIO_MODEL_ERROR_BOT_ID, "103200002"),
]


def sim_client(sim: Simulator, token: str = bots.DEMO_TOKEN) -> CozeClient:
    return CozeClient(ClientConfig(base_url=sim.base_url, token=token, max_retries=1))


@pytest.mark.parametrize("mode", [(), ("--no-stream",)])
@pytest.mark.parametrize(("bot_id", "code"), STUDIO_FAILURES)
def test_no_studio_failure_exits_0_or_without_its_log_id(
    isolated_home: Path, simulator: Simulator, bot_id: str, code: str, mode: tuple[str, ...]
) -> None:
    proc = chat(isolated_home, simulator, bot_id, *mode)
    assert proc.returncode == 1, proc.stderr
    assert UUID.search(proc.stderr), proc.stderr
    assert "stack=" not in proc.stderr
    assert ".go:" not in proc.stderr


def test_studio_wrong_token_exits_1_with_studio_advice(
    isolated_home: Path, simulator: Simulator
) -> None:
    proc = chat(isolated_home, simulator, bots.STUDIO_BOT_ID, token="pat_" + "0" * 60)
    assert proc.returncode == 1
    assert "code 700012006" in proc.stderr
    assert "HTTP 200" in proc.stderr
    assert "Coze Studio did not accept" in proc.stderr
    assert UUID.search(proc.stderr)


def test_studio_unpublished_agent_shows_the_message_not_the_stack(
    isolated_home: Path, simulator: Simulator
) -> None:
    proc = chat(isolated_home, simulator, bots.FAULT_STUDIO_ERROR_BOT_ID)
    assert proc.returncode == 1
    assert "agent not published" in proc.stderr
    assert len(proc.stderr.splitlines()) < 8  # no 13 lines of Go frames


def test_studio_no_stream_prints_the_answer(isolated_home: Path, simulator: Simulator) -> None:
    proc = chat(isolated_home, simulator, bots.STUDIO_BOT_ID, "--no-stream", message="a <b> & c")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "Coze Studio 回复 (self-hosted): a <b> & c"
    assert "[follow-up] Tell me more" in proc.stdout
    assert "hi" not in proc.stdout
    assert UUID.search(proc.stderr) is None  # nothing went wrong, nothing to report


def test_studio_stream_decodes_go_escapes(isolated_home: Path, simulator: Simulator) -> None:
    proc = chat(isolated_home, simulator, bots.STUDIO_BOT_ID, message="x <y> & z")
    assert proc.returncode == 0, proc.stderr
    assert "Coze Studio 回复 (self-hosted): x <y> & z" in proc.stdout
    assert "\\u003c" not in proc.stdout


def test_stream_ending_after_the_answer_is_kept_complete(
    isolated_home: Path, simulator: Simulator
) -> None:
    proc = chat(isolated_home, simulator, bots.FAULT_ENDS_EARLY_BOT_ID)
    assert proc.returncode == 0, proc.stderr
    assert "only the closing events are missing" in proc.stdout
    assert "ended early" in proc.stderr
    assert "cut off" not in proc.stderr


@pytest.mark.asyncio
async def test_studio_cancel_and_failed_retrieve(simulator: Simulator) -> None:
    client = sim_client(simulator)
    try:
        req = ChatRequest(
            bot_id=bots.STUDIO_BOT_ID, user_id="u", text="hi", custom_variables={"delay_ms": "50"}
        )
        created = await client.create_chat(req)
        assert created.status == "created"
        cancelled = await client.cancel_chat(created.conversation_id, created.id)
        assert cancelled.status == "cancelled"
        with pytest.raises(errors.ServerError) as info:
            await client.retrieve_chat(created.conversation_id, "1")
    finally:
        await client.aclose()
    err = info.value
    assert err.status == 500
    assert UUID.search(err.describe())
    assert err.diagnosis.key == "studio_server_error"


# -- the doctor -----------------------------------------------------------------------------------


def studio_profile(sim: Simulator, bot_id: str) -> Profile:
    return Profile(name="s", region="custom", base_url=sim.base_url, bot_id=bot_id, user_id="u")


async def doctor(profile: Profile, token: str, factory: object) -> dict[str, CheckResult]:
    results = await run_doctor(profile, token, factory, env={})  # type: ignore[arg-type]
    return {r.key: r for r in results}


@pytest.mark.asyncio
async def test_doctor_on_studio_wrong_token(simulator: Simulator) -> None:
    def make(base_url: str, token: str) -> CozeClient:
        return CozeClient(ClientConfig(base_url=base_url, token=token, max_retries=1))

    results = await doctor(studio_profile(simulator, bots.STUDIO_BOT_ID), "pat_" + "1" * 60, make)
    token = results["token"]
    assert token.verdict == "fail"
    assert "700012006" in token.details
    assert "Coze Studio" in token.fix_en
    assert "Coze Studio" in token.fix_zh
    assert results["region"].verdict == "skip"


def _hosted_transport(code: int, msg: str, log_header: str) -> httpx.MockTransport:
    """A hosted (or Studio) server whose token and bot checks pass and whose chat fails."""

    def handle(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json", log_header: "LOG-1"}
        if request.url.path == "/v3/chat" or code == 700012006:
            return httpx.Response(200, headers=headers, json={"code": code, "msg": msg})
        return httpx.Response(200, headers=headers, json={"code": 0, "data": {"bot_id": "7"}})

    return httpx.MockTransport(handle)


ADVICE = [
    (4013, "model_error", "model"),
    (4008, "daily_limit", "tomorrow"),
    (4009, "system_busy", "busy"),
    (4020, "rpm_exceeded", "RPM"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("code", "key", "word"), ADVICE)
@pytest.mark.parametrize("region", ["cn", "com", "custom"])
async def test_doctor_advice_for_limits_and_model_errors(
    code: int, key: str, word: str, region: str
) -> None:
    header = "x-log-id" if region == "custom" else "x-tt-logid"
    base = "http://studio.example:8888" if region == "custom" else ""

    def make(base_url: str, token: str) -> CozeClient:
        mock = _hosted_transport(code, "m", header)
        return CozeClient(ClientConfig(base_url, token, max_retries=1), transport=mock)

    profile = Profile(name="p", region=region, base_url=base, bot_id="7", user_id="u")
    results = await doctor(profile, "pat_" + "2" * 60, make)
    streaming = results["streaming"]
    expected = diagnoses.get(key, "studio" if region == "custom" else region)
    assert streaming.verdict == "fail"
    assert f"code {code}" in streaming.details
    assert "LOG-1" in streaming.details
    assert (streaming.found_en, streaming.fix_en) == (expected.title_en, expected.fix_en)
    assert word.lower() in (streaming.found_en + streaming.fix_en).lower()
    assert results["token"].verdict == "pass"


@pytest.mark.asyncio
@pytest.mark.parametrize(("region", "site"), [("cn", "coze.cn"), ("com", "coze.com")])
async def test_doctor_700012006_on_hosted_regions(region: str, site: str) -> None:
    def make(base_url: str, token: str) -> CozeClient:
        mock = _hosted_transport(700012006, "access token invalid", "x-tt-logid")
        return CozeClient(ClientConfig(base_url, token, max_retries=1), transport=mock)

    profile = Profile(name="p", region=region, bot_id="7", user_id="u")
    results = await doctor(profile, "pat_" + "3" * 60, make)
    token = results["token"]
    assert token.verdict == "fail"
    assert "700012006" in token.details
    assert site in token.fix_en
    assert "self-hosted" not in token.fix_en
    assert "Coze Studio" not in token.found_en + token.fix_en
    assert results["region"].verdict == "pass"  # tried the other site too: no better there

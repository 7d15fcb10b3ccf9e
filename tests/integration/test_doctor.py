"""The profile doctor against simulator bots."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from desktop.api.client import ClientConfig, CozeClient
from desktop.core.doctor import run_doctor
from desktop.core.doctor_checks import CheckResult, check_token_format, format_report
from desktop.netlog import mask_url_credentials
from desktop.simulator import Simulator, bots
from desktop.storage import Profile

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def simulator() -> Iterator[Simulator]:
    """Paced (unlike the shared zero-delay one): the streaming check measures real spreads."""
    with Simulator(delay_scale=0.1) as sim:
        yield sim


def make_client(base_url: str, token: str) -> CozeClient:
    return CozeClient(ClientConfig(base_url=base_url, token=token, max_retries=1))


def profile(sim: Simulator, bot_id: str) -> Profile:
    return Profile(name="sim", region="custom", base_url=sim.base_url, bot_id=bot_id, user_id="u")


async def doctor(
    sim: Simulator, bot_id: str, token: str = bots.DEMO_TOKEN
) -> dict[str, CheckResult]:
    seen: list[CheckResult] = []
    results = await run_doctor(profile(sim, bot_id), token, make_client, seen.append, env={})
    assert seen == results
    return {r.key: r for r in results}


@pytest.mark.asyncio
async def test_demo_bot_passes(simulator: Simulator) -> None:
    results = await doctor(simulator, bots.DEMO_BOT_ID)
    assert {k: r.verdict for k, r in results.items()} == {
        "token_format": "pass",
        "proxy": "skip",
        "token": "pass",
        "region": "skip",
        "bot": "pass",
        "streaming": "pass",
        "context": "pass",
    }


@pytest.mark.asyncio
async def test_buffered_bot_warns_about_streaming(simulator: Simulator) -> None:
    results = await doctor(simulator, bots.BUFFERED_BOT_ID)
    assert results["streaming"].verdict == "warn"
    assert "typing" in results["streaming"].found_en
    assert results["streaming"].fix_zh


@pytest.mark.asyncio
async def test_context_lost_bot_fails_continuity(simulator: Simulator) -> None:
    results = await doctor(simulator, bots.CONTEXT_LOST_BOT_ID)
    assert results["context"].verdict == "fail"
    assert "conversation_id" in results["context"].fix_en


@pytest.mark.asyncio
async def test_wrong_token_fails_token_check(simulator: Simulator) -> None:
    token = "pat_not_the_demo_token_" + "0" * 40
    results = await doctor(simulator, bots.DEMO_BOT_ID, token)
    assert results["token"].verdict == "fail"
    assert "4100" in results["token"].details
    assert results["bot"].verdict == "skip"
    assert results["context"].verdict == "skip"
    report = format_report(list(results.values()), "en")
    assert token not in report
    assert "[FAIL] Token accepted" in report


@pytest.mark.asyncio
async def test_unpublished_bot_fails_bot_check(simulator: Simulator) -> None:
    results = await doctor(simulator, bots.FAULT_BOT_IDS["NOT_PUBLISHED"])
    assert results["bot"].verdict == "fail" or results["streaming"].verdict == "fail"
    assert "4200" in (results["streaming"].details + results["bot"].details)


@pytest.mark.asyncio
async def test_dead_proxy_is_reported(simulator: Simulator) -> None:
    env = {"HTTPS_PROXY": "http://user:secret@127.0.0.1:9", "NO_PROXY": ""}
    remote = Profile(name="x", region="cn", bot_id="1", user_id="u")
    results = await run_doctor(remote, "", make_client, env=env)
    by_key = {r.key: r for r in results}
    assert by_key["proxy"].verdict == "fail"
    assert "secret" not in by_key["proxy"].found_en
    assert by_key["token_format"].verdict == "fail"  # empty token: the rest is skipped


def test_token_format_verdicts() -> None:
    assert check_token_format("").verdict == "fail"
    assert check_token_format("pat_abc def" + "x" * 60).verdict == "fail"
    assert check_token_format(" " + bots.DEMO_TOKEN).verdict == "fail"
    assert check_token_format("eyJhbGciOi" + "x" * 60).verdict == "warn"
    assert check_token_format("pat_short").verdict == "warn"
    result = check_token_format(bots.DEMO_TOKEN)
    assert result.verdict == "pass"
    assert bots.DEMO_TOKEN not in result.found_en


def test_proxy_credentials_are_masked() -> None:
    assert mask_url_credentials("http://bob:pw@proxy:8080") == "http://bob:***@proxy:8080"
    assert mask_url_credentials("http://proxy:8080") == "http://proxy:8080"


@pytest.mark.asyncio
async def test_chatflow_profile_runs_the_chatflow(simulator: Simulator) -> None:
    from dataclasses import replace

    from desktop.simulator.chatflow import CHATFLOW_APP_ID, CHATFLOW_WORKFLOW_ID

    flow = replace(profile(simulator, ""), workflow_id=CHATFLOW_WORKFLOW_ID,
                   app_id=CHATFLOW_APP_ID)  # fmt: skip
    seen: list[CheckResult] = []
    results = {r.key: r for r in await run_doctor(flow, bots.DEMO_TOKEN, make_client,
                                                  seen.append, env={})}  # fmt: skip
    assert results["bot"].verdict == "skip"
    assert results["context"].verdict == "pass"
    chats = [r for r in simulator.requests if r.path == "/v1/workflows/chat"]
    assert len(chats) == 2
    assert chats[1].json["conversation_id"]

"""The profile's own token is masked by value wherever it appears — also when it does not look
like a token (no pat_/sat_) and when a server echoes it back — once, and every export parses."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
from typing import TYPE_CHECKING

import pytest

from desktop.api.client import ChatRequest, ClientConfig, CozeClient
from desktop.logsetup import LOG_FILE, setup_logging
from desktop.netlog import NetLog, scrub_text, to_curl, to_har, to_jsonl
from tests.integration import hostile

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.netlog import Exchange

SHAPES = ["oauth-1f9a8c7d6e5b4a39281706f5e4d3c2b1", "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5"]


async def _chat(url: str, token: str, netlog: NetLog) -> None:
    config = ClientConfig(base_url=url, token=token, trust_env=False, max_retries=1)
    async with CozeClient(config, netlog=netlog) as client:
        async for _ in client.stream_chat(ChatRequest("1", "u", f"echo {token} please")):
            pass


def _exchange(token: str) -> Exchange:
    netlog = NetLog()
    script = hostile.echo_header("x-echo-authorization", f"Bearer {token}")
    with hostile.HostileServer(script) as url:
        asyncio.run(_chat(url, token, netlog))
    [ex] = netlog.exchanges()
    return ex


@pytest.mark.parametrize("token", SHAPES)
def test_a_token_of_any_shape_is_masked_in_headers_both_ways_and_exports(token: str) -> None:
    ex = _exchange(token)
    recorded = repr(ex.request_headers) + repr(ex.response_headers) + ex.request_body
    assert token not in recorded
    assert "x-echo-authorization" in repr(ex.response_headers)
    har = json.dumps(to_har([ex]), ensure_ascii=False)
    lines = to_jsonl([ex])
    curl = to_curl(ex)
    for text in (har, lines, curl):
        assert token not in text
    json.loads(har)
    for line in lines.splitlines():
        json.loads(line)
    subprocess.run(["bash", "-n", "-c", curl], check=True)
    masked = f"…{token[-4:]} (len {len(token)})"
    assert masked in har
    assert f"{masked} (len" not in har  # masked once
    assert scrub_text(scrub_text(f"x {token} y")) == scrub_text(f"x {token} y")


@pytest.mark.expect_log("test.token")
@pytest.mark.usefixtures("restore_root_logger")
def test_the_log_file_masks_a_token_that_is_not_token_shaped(tmp_path: Path) -> None:
    token = SHAPES[0]
    _exchange(token)  # the client in use knows its token
    setup_logging(tmp_path, console=False)
    logging.getLogger("test.token").warning("server said %s", token)
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = (tmp_path / LOG_FILE).read_text(encoding="utf-8")
    assert "server said" in logged
    assert token not in logged

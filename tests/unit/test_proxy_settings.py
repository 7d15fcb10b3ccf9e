"""The effective proxy (settings: system/environment, none, custom) and proxy credentials masked
everywhere: the doctor's check and report, error messages, logs and the settings."""

from __future__ import annotations

import json
import logging
import socket
from typing import TYPE_CHECKING

import httpx
import pytest

from desktop.api.errors import error_from_exception
from desktop.core.doctor import run_doctor
from desktop.core.doctor_checks import check_proxy, effective_proxy, format_report
from desktop.core.network_check import check_network
from desktop.logsetup import LOG_FILE, setup_logging
from desktop.netlog import mask_url_credentials, scrub_text
from desktop.settings import ProxyCredentialsError, Settings, SettingsError, load_settings
from desktop.storage import Profile

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SECRET = "hunter2"
COZE = "https://api.coze.cn"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def listening() -> Iterator[int]:
    """A port that accepts connections (a proxy that is up)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


def test_mask_url_credentials() -> None:
    assert mask_url_credentials(f"http://bob:{SECRET}@proxy:8080") == "http://bob:***@proxy:8080"
    assert mask_url_credentials(f"socks5://{SECRET}@proxy:1080") == "socks5://***@proxy:1080"
    assert mask_url_credentials(f"bob:{SECRET}@proxy:3128") == "bob:***@proxy:3128"
    assert mask_url_credentials("http://proxy:8080/a@b") == "http://proxy:8080/a@b"
    assert mask_url_credentials("http://proxy:8080") == "http://proxy:8080"
    masked = mask_url_credentials(f"https://bob:{SECRET}@proxy")
    assert mask_url_credentials(masked) == masked
    text = scrub_text(f"connect failed: http://bob:{SECRET}@10.0.0.1:8080 (mail a@b.c)")
    assert SECRET not in text
    assert "http://bob:***@10.0.0.1:8080" in text
    assert "a@b.c" in text


def test_effective_proxy_follows_the_setting() -> None:
    env = {"HTTPS_PROXY": f"http://bob:{SECRET}@10.1.1.1:3128"}
    assert effective_proxy(COZE, "system", None, env).url == env["HTTPS_PROXY"]
    assert effective_proxy(COZE, "system", None, env).source == "environment"
    none = effective_proxy(COZE, "none", None, env)
    assert none.url is None
    assert none.source == "none"
    assert none.ignored == env["HTTPS_PROXY"]
    custom = effective_proxy(COZE, "custom", "socks5://10.2.2.2:1080", env)
    assert custom.url == "socks5://10.2.2.2:1080"
    assert custom.source == "custom"
    assert effective_proxy(COZE, "system", None, {}).source == "direct"
    assert effective_proxy("http://127.0.0.1:8000", "system", None, env).url is None  # bypassed


@pytest.mark.asyncio
async def test_no_proxy_setting_ignores_environment_proxies() -> None:
    env = {"HTTPS_PROXY": f"http://bob:{SECRET}@127.0.0.1:{_closed_port()}"}
    res = await check_proxy(COZE, None, env, mode="none")
    assert res.verdict == "skip"
    assert "No proxy" in res.found_en
    assert "ignored" in res.found_en
    assert "bob:***@" in res.found_en
    assert "不使用代理" in res.found_zh
    assert SECRET not in res.found_en + res.found_zh
    system = await check_proxy(COZE, None, env, mode="system")  # the same environment, honoured
    assert system.verdict == "fail"
    assert "system/environment proxy" in system.found_en
    assert SECRET not in system.found_en + system.found_zh + system.fix_en


@pytest.mark.asyncio
async def test_custom_proxy_is_the_one_checked(listening: int) -> None:
    env = {"HTTPS_PROXY": f"http://127.0.0.1:{_closed_port()}"}  # would fail if it were used
    url = f"http://bob:{SECRET}@127.0.0.1:{listening}"
    res = await check_proxy(COZE, url, env, mode="custom")
    assert res.verdict == "pass"
    assert "custom proxy" in res.found_en
    assert f"bob:***@127.0.0.1:{listening}" in res.found_en
    assert SECRET not in res.found_zh


@pytest.mark.asyncio
async def test_doctor_reports_the_effective_proxy() -> None:
    env = {"HTTPS_PROXY": f"http://bob:{SECRET}@127.0.0.1:{_closed_port()}"}
    profile = Profile(name="x", region="cn", bot_id="1", user_id="u")

    def no_client(_url: str, _token: str) -> object:
        raise AssertionError("an empty token skips the online checks")

    for mode, verdict in (("none", "skip"), ("system", "fail")):
        results = await run_doctor(profile, "", no_client, env=env, proxy_mode=mode)  # type: ignore[arg-type]
        proxy = {r.key: r for r in results}["proxy"]
        assert proxy.verdict == verdict, mode
        if verdict == "fail":  # from the doctor, the fix names where the setting is
            assert "Settings → Proxy" in proxy.fix_en
            assert "设置 → 代理" in proxy.fix_zh
        report = format_report(results, "en") + format_report(results, "zh")
        assert SECRET not in report
        assert "bob:***@" in report


@pytest.mark.asyncio
async def test_network_test_with_no_proxy_ignores_environment(listening: int) -> None:
    env = {"HTTPS_PROXY": f"http://bob:{SECRET}@127.0.0.1:{listening}"}
    seen: list[tuple[str | None, bool]] = []

    class Client:
        async def check_token(self) -> None:
            return None

        async def aclose(self) -> None:
            return None

    def make(_url: str, _token: str, proxy: str | None, trust_env: bool) -> Client:
        seen.append((proxy, trust_env))
        return Client()

    results = await check_network(COZE, "none", "", make, env)  # type: ignore[arg-type]
    assert [r.verdict for r in results] == ["skip", "pass"]
    assert seen == [(None, False)]
    assert SECRET not in results[0].found_en


@pytest.mark.expect_log("test.proxy")
@pytest.mark.usefixtures("restore_root_logger")
def test_errors_logs_and_settings_mask_proxy_credentials(tmp_path: Path) -> None:
    url = f"http://bob:{SECRET}@10.9.9.9:3128"
    error = error_from_exception(httpx.ProxyError(f"cannot reach {url}"), COZE, via_proxy=True)
    assert SECRET not in error.msg
    assert SECRET not in error.describe("en")
    assert "bob:***@" in error.msg
    setup_logging(tmp_path, console=False)
    logging.getLogger("test.proxy").warning("using proxy %s", url)
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = (tmp_path / LOG_FILE).read_text(encoding="utf-8")
    assert "using proxy http://bob:***@10.9.9.9:3128" in logged
    assert SECRET not in logged
    with pytest.raises(SettingsError) as caught:
        Settings(proxy_mode="custom", proxy_url=f"ftp://bob:{SECRET}@host:21")
    assert SECRET not in str(caught.value)


@pytest.mark.expect_log("desktop.settings")
@pytest.mark.parametrize("userinfo", [f"bob:{SECRET}", SECRET])
def test_a_proxy_url_with_credentials_is_refused_and_an_old_one_dropped(
    tmp_path: Path, userinfo: str
) -> None:
    url = f"http://{userinfo}@10.9.9.9:3128"
    with pytest.raises(ProxyCredentialsError) as caught:
        Settings(proxy_mode="custom", proxy_url=url)
    assert SECRET not in str(caught.value)
    assert "HTTPS_PROXY" in str(caught.value)
    path = tmp_path / "settings.json"  # written by a version that stored them
    path.write_text(json.dumps({"version": 1, "proxy_mode": "custom", "proxy_url": url}))
    settings = load_settings(path)
    assert settings.proxy_url == ""
    assert "must not contain a user name or password" in settings.warning
    assert SECRET not in settings.warning

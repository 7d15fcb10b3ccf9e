"""The network settings' "Test": the doctor's network checks for a proxy choice, before saving it.

Two checks: the proxy that would be used (the doctor's ``proxy`` check: is one configured for this
server, does it accept connections) and whether Coze answers through it. The second uses a
placeholder token, never the user's: any answer from Coze (even "token invalid") proves the
network path works; a refused connection, DNS/TLS/proxy failure or an HTML page from a gateway
does not. TLS certificates are always verified.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from desktop.api import errors
from desktop.api.client import CozeClient
from desktop.core.doctor_checks import CheckResult, check_proxy, failed, result

ProxyMode = Literal["system", "none", "custom"]
# (base_url, placeholder token, explicit proxy or None, trust the environment's proxies)
NetworkClientFactory = Callable[[str, str, str | None, bool], CozeClient]

PLACEHOLDER_TOKEN = "pat_coze_desktop_network_test"
NETWORK_TITLES = {"proxy": ("Proxy", "代理"), "reach": ("Coze reachable", "能否连接扣子")}


def proxy_for(mode: str, url: str) -> str | None:
    """The explicit proxy for a mode ("custom" only)."""
    return url.strip() or None if mode == "custom" else None


async def check_network(
    base_url: str,
    mode: str,
    proxy_url: str,
    make_client: NetworkClientFactory,
    env: dict[str, str] | None = None,
) -> list[CheckResult]:
    """Run both checks for ``base_url`` with the given proxy choice."""
    explicit = proxy_for(mode, proxy_url)
    proxy = await check_proxy(base_url, explicit, env, mode=mode, in_settings=True)
    client = make_client(base_url, PLACEHOLDER_TOKEN, explicit, mode != "none")
    try:
        reach = await _reach(client)
    finally:
        await client.aclose()
    return [proxy, reach]


async def _reach(client: CozeClient) -> CheckResult:
    try:
        await client.check_token()
    except (errors.NetworkError, errors.NotCozeResponseError) as exc:
        return failed("reach", exc)
    except errors.CozeError as exc:
        status = f"HTTP {exc.status}" if exc.status is not None else exc.details()
        return _answered(status)
    return _answered("HTTP 200")


def _answered(status: str) -> CheckResult:
    return result(
        "reach",
        "pass",
        f"Coze answered ({status}): the network path works.",
        f"扣子已响应（{status}）：网络连接正常。",
    )

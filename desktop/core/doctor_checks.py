"""Doctor building blocks: the check result record, offline checks and the text report.

Kept apart from :mod:`desktop.core.doctor` (which talks to Coze) so the offline parts — token
shape, the effective proxy for the app's proxy setting, report formatting — are easy to test
and reuse.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from desktop.netlog import mask_token, mask_url_credentials, scrub_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from desktop.api import errors

Verdict = Literal["pass", "warn", "fail", "skip"]

TITLES: dict[str, tuple[str, str]] = {
    "token_format": ("Token format", "令牌格式"),
    "proxy": ("Proxy", "代理"),
    "token": ("Token accepted", "令牌是否有效"),
    "region": ("Region", "区域"),
    "bot": ("Bot found and published", "智能体存在且已发布"),
    "streaming": ("Streaming", "流式输出"),
    "context": ("Context over two turns", "多轮上下文"),
}
_MARKS = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "skip": "SKIP"}
_MARKS_ZH = {"pass": "通过", "warn": "注意", "fail": "失败", "skip": "跳过"}
PAT_MIN_LENGTH = 40
PROXY_TIMEOUT = 3.0


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check. ``fix_*`` is empty when there is nothing to do."""

    key: str
    verdict: Verdict
    found_en: str
    found_zh: str
    fix_en: str = ""
    fix_zh: str = ""
    details: str = ""  # raw facts (HTTP status, code, msg, log id), language-neutral

    def title(self, lang: str) -> str:
        en, zh = TITLES.get(self.key, (self.key, self.key))
        return zh if lang.startswith("zh") else en

    def found(self, lang: str) -> str:
        return self.found_zh if lang.startswith("zh") else self.found_en

    def fix(self, lang: str) -> str:
        return self.fix_zh if lang.startswith("zh") else self.fix_en


def result(
    key: str, verdict: Verdict, found_en: str, found_zh: str, fix_en: str = "", fix_zh: str = ""
) -> CheckResult:
    return CheckResult(key, verdict, found_en, found_zh, fix_en, fix_zh)


def skipped(key: str, found_en: str, found_zh: str) -> CheckResult:
    return CheckResult(key, "skip", found_en, found_zh)


def failed(key: str, exc: errors.CozeError, verdict: Verdict = "fail") -> CheckResult:
    """A check that ended with a Coze or network error: its diagnosis is the finding."""
    diagnosis = exc.diagnosis
    return CheckResult(
        key,
        verdict,
        diagnosis.title("en"),
        diagnosis.title("zh"),
        diagnosis.fix("en"),
        diagnosis.fix("zh"),
        details=exc.details(),
    )


def other_region(region: str) -> str | None:
    return {"cn": "com", "com": "cn"}.get(region)


# -- token format ---------------------------------------------------------------------------------


def check_token_format(token: str) -> CheckResult:
    """Judge the token's shape without revealing it."""
    masked = mask_token(token)
    if not token.strip():
        return result(
            "token_format",
            "fail",
            "No token is set.",
            "没有设置令牌。",
            "Paste a personal access token (pat_…) into the profile or set COZE_API_TOKEN.",
            "请在配置中粘贴个人访问令牌（pat_…），或设置 COZE_API_TOKEN。",
        )
    if token != token.strip() or any(ch.isspace() for ch in token):
        return result(
            "token_format",
            "fail",
            f"The token {masked} contains spaces or line breaks.",
            f"令牌 {masked} 中含有空格或换行。",
            "Copy the token again without surrounding spaces or line breaks.",
            "请重新复制令牌，不要带上前后的空格或换行。",
        )
    if not token.startswith("pat_"):
        return result(
            "token_format",
            "warn",
            f"The token {masked} does not start with pat_ (fine for OAuth tokens).",
            f"令牌 {masked} 不是以 pat_ 开头（OAuth 令牌可以忽略）。",
            "If this should be a personal access token, copy it again: it starts with pat_.",
            "如果这是个人访问令牌，请重新复制：它以 pat_ 开头。",
        )
    if len(token) < PAT_MIN_LENGTH:
        return result(
            "token_format",
            "warn",
            f"The token {masked} is shorter than usual: it may be cut off.",
            f"令牌 {masked} 比通常的短：可能没有复制完整。",
            "Copy the whole token again from the Coze site.",
            "请从扣子网站重新复制完整的令牌。",
        )
    return result(
        "token_format", "pass", f"The token {masked} looks right.", f"令牌 {masked} 格式正确。"
    )


# -- proxy ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveProxy:
    """The proxy the app's HTTP client will use for one server, and where that choice came from.

    ``source``: ``"custom"`` (the settings' proxy URL), ``"environment"`` (HTTPS_PROXY/ALL_PROXY or
    the system settings), ``"none"`` (the "No proxy" setting: environment proxies are ignored,
    ``ignored`` names the one that would have been used) or ``"direct"`` (nothing configured, or
    the server is bypassed).
    """

    url: str | None
    source: Literal["custom", "environment", "none", "direct"]
    ignored: str | None = None


def effective_proxy(
    base_url: str,
    mode: str = "system",
    explicit: str | None = None,
    env: Mapping[str, str] | None = None,
) -> EffectiveProxy:
    """What a request to ``base_url`` goes through with proxy setting ``mode`` (as ClientPool does)."""
    if explicit:
        return EffectiveProxy(explicit, "custom")
    if mode == "none":
        return EffectiveProxy(None, "none", ignored=find_proxy(base_url, None, env))
    found = find_proxy(base_url, None, env)
    return EffectiveProxy(found, "environment") if found else EffectiveProxy(None, "direct")


def find_proxy(
    base_url: str, explicit: str | None = None, env: Mapping[str, str] | None = None
) -> str | None:
    """The proxy a request to ``base_url`` would use: the explicit one, else the environment's."""
    if explicit:
        return explicit
    env = _system_proxies() if env is None else env
    parts = urlsplit(base_url)
    if _bypassed(parts.hostname or "", env):
        return None
    scheme = parts.scheme or "https"
    for name in (f"{scheme}_proxy", "all_proxy"):
        value = env.get(name) or env.get(name.upper())
        if value:
            return value
    return None


def _system_proxies() -> dict[str, str]:
    """Proxies as httpx sees them (environment; also the registry/macOS settings there)."""
    found = dict(os.environ)
    with contextlib.suppress(Exception):  # a broken system setting must not break the doctor
        system = urllib.request.getproxies()
        found.update({f"{scheme}_proxy": url for scheme, url in system.items()})
    return found


def _bypassed(host: str, env: Mapping[str, str]) -> bool:
    no_proxy = env.get("no_proxy") or env.get("NO_PROXY") or ""
    if host in ("127.0.0.1", "localhost", "::1"):
        return True
    entries = [e.strip().lstrip(".") for e in no_proxy.split(",") if e.strip()]
    return "*" in entries or any(host == e or host.endswith("." + e) for e in entries)


def _no_proxy_result(effective: EffectiveProxy) -> CheckResult:
    if effective.source == "none":
        en, zh = (
            "Proxy setting is “No proxy”: connecting directly.",
            "代理设置为“不使用代理”：直接连接。",
        )
        if effective.ignored:
            shown = mask_url_credentials(effective.ignored)
            en += f" The environment's proxy {shown} is ignored."
            zh += f"环境中的代理 {shown} 不会被使用。"
        return skipped("proxy", en, zh)
    return skipped("proxy", "No proxy is used for this server.", "访问此服务器不使用代理。")


async def check_proxy(
    base_url: str,
    explicit: str | None = None,
    env: Mapping[str, str] | None = None,
    *,
    mode: str = "system",
    in_settings: bool = False,
) -> CheckResult:
    """Is a proxy in use for ``base_url`` with proxy setting ``mode``, and does it accept
    connections? ``explicit`` is the custom proxy URL (it wins, as in the HTTP client).
    ``in_settings``: the user runs it from the proxy settings, so the fix points above, not
    to the settings."""
    effective = effective_proxy(base_url, mode, explicit, env)
    if effective.url is None:
        return _no_proxy_result(effective)
    shown = mask_url_credentials(effective.url)
    custom = effective.source == "custom"
    kind_en, kind_zh = (
        ("custom proxy", "自定义代理") if custom else ("system/environment proxy", "系统/环境代理")
    )
    parts = urlsplit(effective.url if "://" in effective.url else "http://" + effective.url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 1080)
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), PROXY_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        reason = scrub_text(str(exc))
        return result(
            "proxy",
            "fail",
            f"The {kind_en} {shown} does not answer ({reason or 'timeout'}).",
            f"{kind_zh} {shown} 没有响应（{reason or '超时'}）。",
            _proxy_fix_en(custom, in_settings),
            _proxy_fix_zh(custom, in_settings),
        )
    writer.close()
    return result(
        "proxy",
        "pass",
        f"Requests go through the {kind_en} {shown}; it answers.",
        f"请求经由{kind_zh} {shown}；代理可以连接。",
    )


def _proxy_fix_en(custom: bool, in_settings: bool) -> str:
    where = "choose another setting above" if in_settings else "fix it in Settings → Proxy"
    tail = "." if custom else ", or unset HTTPS_PROXY/ALL_PROXY."
    return f"Start the proxy, or {where} (a custom proxy, or “No proxy”){tail}"


def _proxy_fix_zh(custom: bool, in_settings: bool) -> str:
    where = "在上方改选其他设置" if in_settings else "在“设置 → 代理”中修正"
    tail = "。" if custom else "，或取消 HTTPS_PROXY/ALL_PROXY 环境变量。"
    return f"请启动代理，或{where}（自定义代理，或“不使用代理”）{tail}"


# -- report ---------------------------------------------------------------------------------------


def format_report(results: list[CheckResult], lang: str = "en") -> str:
    """Plain text, one block per check; secrets masked."""
    marks = _MARKS_ZH if lang.startswith("zh") else _MARKS
    fix_label = "修复" if lang.startswith("zh") else "Fix"
    lines: list[str] = []
    for res in results:
        lines.append(f"[{marks[res.verdict]}] {res.title(lang)}: {res.found(lang)}")
        if res.details:
            lines.append(f"       {res.details}")
        if res.fix(lang) and res.verdict in ("fail", "warn"):
            lines.append(f"       {fix_label}: {res.fix(lang)}")
    return scrub_text("\n".join(lines))


def summary(results: list[CheckResult]) -> Verdict:
    """The worst verdict."""
    verdicts = {r.verdict for r in results}
    for verdict in ("fail", "warn", "pass"):
        if verdict in verdicts:
            return verdict
    return "skip"

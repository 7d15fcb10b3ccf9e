"""``coze-desktop doctor``: check a profile step by step and say what to fix.

Each check is printed as soon as it is known (verdict, what was found, the fix). The exit status
is 1 when any check fails, else 0 (warnings do not fail the run).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from desktop.cli import common as c
from desktop.core.doctor import run_doctor
from desktop.core.doctor_checks import CheckResult, format_report, summary

if TYPE_CHECKING:
    import argparse

    from desktop.storage import Profile


def add_parser(sub: Any) -> None:
    p = sub.add_parser("doctor", help="diagnose a profile: token, region, bot, streaming, context")
    c.add_target_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, lang: str) -> int:
    with c.demo_target(args, lang) as demo:
        if demo is not None:
            target = demo
        else:
            with c.open_db(":memory:" if args.base_url else None) as db:
                target = c.resolve_target(args, db, lang)
        return c.run_async(_doctor(target.profile, target.token or "", lang))


async def _doctor(profile: Profile, token: str, lang: str) -> int:
    c.say(
        lang,
        f"Checking {profile.name} ({profile.api_base_url}, bot {profile.bot_id})",
        f"正在检查 {profile.name}（{profile.api_base_url}，智能体 {profile.bot_id}）",
    )

    def on_check(result: CheckResult) -> None:
        sys.stdout.write(format_report([result], lang) + "\n")
        sys.stdout.flush()

    def make_client(base_url: str, tok: str) -> Any:
        return c.make_client(base_url, tok, context={"profile": profile.name, "doctor": "1"})

    results = await run_doctor(profile, token, make_client, on_check)
    worst = summary(results)
    c.err(_verdict_line(worst, lang))
    return c.EXIT_FAILED if worst == "fail" else c.EXIT_OK


def _verdict_line(worst: str, lang: str) -> str:
    if worst == "fail":
        return c.t(
            lang, "Some checks failed: see the fixes above.", "有检查未通过：请按上面的建议修复。"
        )
    if worst == "warn":
        return c.t(lang, "Works, with warnings.", "可以使用，但有需要注意的地方。")
    return c.t(lang, "All checks passed.", "全部检查通过。")

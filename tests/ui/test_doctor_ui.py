"""The doctor dialog (live progress, verdicts per fault, masked report) and the network test."""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtGui import QGuiApplication

from desktop.core.clients import ClientPool
from desktop.netlog import NetLog
from desktop.simulator import DEMO_TOKEN, Simulator, bots
from desktop.storage import Profile
from desktop.ui.bridge.doctor_runner import DoctorRunner
from desktop.ui.bridge.network_tester import NetworkTester
from desktop.ui.doctor.dialog import CHECK_ORDER, DoctorDialog
from desktop.ui.kit.ports import ProxyTestIntent
from desktop.ui.settings.network import NetworkSettings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytestqt.qtbot import QtBot

BAD_TOKEN = "pat_this_token_is_not_valid_at_all_0000000000000000000000000000000"


@pytest.fixture(scope="module")
def paced() -> Iterator[Simulator]:
    """Paced like a real server, so the streaming check can tell streams from bursts."""
    with Simulator(delay_scale=0.1) as sim:
        yield sim


def spawn(coro: Any, _name: str) -> asyncio.Task[Any]:
    return asyncio.ensure_future(coro)


@pytest.fixture
def dialog(qtbot: QtBot, qloop: object, monkeypatch: pytest.MonkeyPatch) -> DoctorDialog:
    for name in (
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    runner = DoctorRunner(ClientPool(NetLog()), spawn)
    widget = DoctorDialog(runner, lambda: "en")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def diagnose(
    qtbot: QtBot, dialog: DoctorDialog, sim: Simulator, bot_id: str, token: str = DEMO_TOKEN
) -> dict[str, Any]:
    profile = Profile(
        name="Sim", region="custom", base_url=sim.base_url, bot_id=bot_id, user_id="u"
    )
    progress: list[int] = []
    dialog._runner.check_done.connect(
        lambda _e: progress.append(sum(1 for row in dialog.rows.values() if row.result is not None))
    )
    dialog.start(profile, token)
    assert dialog.is_running()
    assert "Checking…" in dialog.rows["token_format"].found.text()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=20_000)
    assert progress == list(range(1, len(CHECK_ORDER) + 1))  # one row at a time, live
    return {r.key: r for r in dialog.results()}


def test_healthy_bot_passes(qtbot: QtBot, dialog: DoctorDialog, paced: Simulator) -> None:
    results = diagnose(qtbot, dialog, paced, bots.DEMO_BOT_ID)
    assert {k: r.verdict for k, r in results.items()} == {
        "token_format": "pass", "proxy": "skip", "token": "pass", "region": "skip",
        "bot": "pass", "streaming": "pass", "context": "pass"}  # fmt: skip
    assert "All checks passed." in dialog.summary.text()
    assert "✔" in dialog.rows["streaming"].mark.text()


def test_doctor_requests_are_logged_under_the_profile(
    qtbot: QtBot, dialog: DoctorDialog, paced: Simulator
) -> None:
    from desktop.ui.logdock.model import profile_label, profile_name

    diagnose(qtbot, dialog, paced, bots.DEMO_BOT_ID)
    netlog = dialog._runner._clients.netlog
    assert netlog is not None
    exchanges = netlog.exchanges()
    assert exchanges, "the doctor's requests reach the network log"
    assert {profile_name(ex) for ex in exchanges} == {"Sim"}
    assert {profile_label(ex) for ex in exchanges} == {"Sim · doctor"}


@pytest.mark.parametrize(("bot_id", "token", "key", "verdict", "words"), [
    (bots.DEMO_BOT_ID, BAD_TOKEN, "token", "fail", "token"),
    (bots.FAULT_NOT_PUBLISHED_BOT_ID, DEMO_TOKEN, "bot", "fail", "published"),
    (bots.FAULT_PERMISSION_BOT_ID, DEMO_TOKEN, "bot", "warn", "permission"),
    (bots.BUFFERED_BOT_ID, DEMO_TOKEN, "streaming", "warn", "typing effect"),
    (bots.CONTEXT_LOST_BOT_ID, DEMO_TOKEN, "context", "fail", "another conversation"),
    (bots.FAULT_SERVER_ERROR_BOT_ID, DEMO_TOKEN, "streaming", "fail", "server"),
    (bots.FAULT_GATEWAY_HTML_BOT_ID, DEMO_TOKEN, "token", "fail", "did not come from Coze"),
])  # fmt: skip
def test_faults_get_their_verdict(qtbot: QtBot, dialog: DoctorDialog, paced: Simulator, bot_id: str,
                                  token: str, key: str, verdict: str, words: str) -> None:  # fmt: skip
    results = diagnose(qtbot, dialog, paced, bot_id, token)
    assert results[key].verdict == verdict
    row = dialog.rows[key]
    shown = row.found.text() + row.fix.text()
    assert words.lower() in shown.lower()
    assert row.fix.isVisibleTo(dialog)
    assert "failed" in dialog.summary.text() or "warnings" in dialog.summary.text()


def test_copy_report_is_masked_and_chinese(qtbot: QtBot, qloop: object, paced: Simulator) -> None:
    runner = DoctorRunner(ClientPool(NetLog()), spawn)
    dialog = DoctorDialog(runner, lambda: "zh")
    qtbot.addWidget(dialog)
    diagnose(qtbot, dialog, paced, bots.FAULT_NOT_PUBLISHED_BOT_ID)
    dialog.copy_report()
    report = QGuiApplication.clipboard().text()
    assert DEMO_TOKEN not in report
    assert "pat_…" in report
    assert "[失败]" in report
    assert "发布" in report
    assert "发布" in dialog.rows["bot"].found.text()


def test_run_again_and_cancel_on_close(
    qtbot: QtBot, dialog: DoctorDialog, paced: Simulator
) -> None:
    diagnose(qtbot, dialog, paced, bots.DEMO_BOT_ID)
    first = dialog._run_id
    dialog.run_again()
    assert dialog._run_id == first + 1
    assert dialog.is_running()
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=5000)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_network_test_none_and_custom_proxy(qtbot: QtBot, qloop: object, paced: Simulator) -> None:
    netlog = NetLog()
    widget = NetworkSettings(lambda: "en")
    qtbot.addWidget(widget)
    tester = NetworkTester(spawn, ClientPool(netlog))
    widget.test_requested.connect(lambda intent: tester.run(paced.base_url, intent))
    tester.finished.connect(lambda done: widget.show_results(done.results))
    widget.set_values("none", "")
    with qtbot.waitSignal(tester.finished, timeout=10_000) as blocker:
        widget.test.click()
    verdicts = {r.key: r.verdict for r in blocker.args[0].results}
    assert verdicts == {"proxy": "skip", "reach": "pass"}
    assert "Coze answered" in widget.result.text()
    assert all(DEMO_TOKEN not in ex.request_headers[0][1] for ex in netlog.exchanges())
    url = f"http://user:secret@127.0.0.1:{_closed_port()}"
    widget.set_values("custom", url)
    with qtbot.waitSignal(tester.finished, timeout=10_000) as blocker:
        tester.run(paced.base_url, ProxyTestIntent("custom", url))
    results = {r.key: r for r in blocker.args[0].results}
    assert results["proxy"].verdict == "fail"
    assert results["reach"].verdict == "fail"
    assert "secret" not in results["proxy"].found_en
    # the user is in the proxy settings: the fix points at the choice above, not at the menu
    assert "choose another setting above" in results["proxy"].fix_en
    assert "Settings → Proxy" not in results["proxy"].fix_en
    assert "在上方改选其他设置" in results["proxy"].fix_zh


def test_network_settings_validates(qtbot: QtBot) -> None:
    widget = NetworkSettings(lambda: "en")
    qtbot.addWidget(widget)
    widget.set_values("custom", "ftp://nope")
    assert "http://host:port" in widget.validation_error()
    assert widget.url.isEnabled()
    widget.set_values("system", "")
    assert widget.validation_error() == ""
    assert not widget.url.isEnabled()

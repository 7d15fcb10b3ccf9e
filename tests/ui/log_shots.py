"""Render the log dock's tabs and doctor runs into PNGs (against a local simulator).

    QT_QPA_PLATFORM=offscreen python -m tests.ui.log_shots [OUT_DIR] [--lang en|zh]   (default ./shots)

Writes ``dock_request.png``, ``dock_response_stream.png``, ``dock_response_merged.png``,
``dock_timing.png``, ``dock_diagnosis.png``, ``doctor_running.png``, ``doctor_pass.png`` and
``doctor_fail.png``.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from desktop.core.clients import ClientPool
from desktop.netlog import NetLog
from desktop.simulator import DEMO_TOKEN, Simulator, bots
from desktop.storage import Profile
from desktop.ui.bridge.doctor_runner import DoctorRunner
from desktop.ui.bridge.loop import AppLoop
from desktop.ui.doctor.dialog import DoctorDialog
from desktop.ui.kit.i18n import Translations
from desktop.ui.kit.theme import apply_theme
from desktop.ui.logdock.dock import LogDock
from tests.ui.log_fixtures import chat


async def settle(seconds: float = 0.15) -> None:
    await asyncio.sleep(seconds)


def save(widget: QWidget, out: Path, name: str) -> None:
    # no processEvents() here: a nested loop inside a coroutine can lose another task's step
    widget.grab().save(str(out / f"{name}.png"))


async def dock_shots(sim: Simulator, out: Path, lang: str) -> None:
    netlog = NetLog()
    context = {"profile": "Weather demo", "profile_id": "p1", "session_id": "3"}
    await chat(sim, netlog, bots.DEMO_BOT_ID, "北京今天天气怎么样?", context=context)
    await chat(sim, netlog, bots.ECHO_BOT_ID, "hello", context=context)
    for bot_id in (bots.FAULT_NOT_PUBLISHED_BOT_ID, bots.FAULT_GATEWAY_HTML_BOT_ID):
        await chat(sim, netlog, bot_id, "hi", context={"profile": "Work bot", "session_id": "4"})
    window = QMainWindow()  # no central widget: the dock fills the window
    dock = LogDock(netlog, lambda: lang, lambda _ex: DEMO_TOKEN, window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resize(1200, 760)
    window.show()
    await settle()
    dock.select_exchange(log_id=netlog.exchanges()[0].log_id)
    for tab, name in (("request", "dock_request"), ("response", "dock_response_stream"),
                      ("timing", "dock_timing")):  # fmt: skip
        dock.detail.select_tab(tab)
        if tab == "response":
            dock.detail.stream.table.selectRow(4)
        await settle()
        save(window, out, name)
    dock.detail.select_tab("response")
    dock.detail.stream.inner.setCurrentIndex(1)
    await settle()
    save(window, out, "dock_response_merged")
    dock.select_exchange(log_id=netlog.exchanges()[2].log_id)
    dock.detail.select_tab("diagnosis")
    await settle()
    save(window, out, "dock_diagnosis")
    window.close()


async def doctor_shots(sim: Simulator, out: Path, lang: str) -> None:
    runner = DoctorRunner(ClientPool(NetLog()), lambda coro, _n: asyncio.ensure_future(coro))
    for bot_id, name in ((bots.DEMO_BOT_ID, "doctor_pass"), (bots.BUFFERED_BOT_ID, "doctor_fail")):
        dialog = DoctorDialog(runner, lambda: lang)
        dialog.show()
        profile = Profile(name="Weather demo" if bot_id == bots.DEMO_BOT_ID else "Behind a proxy",
                          region="custom", base_url=sim.base_url, bot_id=bot_id, user_id="u")  # fmt: skip
        dialog.start(profile, DEMO_TOKEN)
        if name == "doctor_pass":
            await settle(0.06)
            save(dialog, out, "doctor_running")
        while dialog.is_running():
            await settle(0.05)
        await settle()
        save(dialog, out, name)
        dialog.close()
    context_lost = Profile(name="Forgetful gateway", region="custom", base_url=sim.base_url,
                           bot_id=bots.CONTEXT_LOST_BOT_ID, user_id="u")  # fmt: skip
    dialog = DoctorDialog(runner, lambda: lang)
    dialog.show()
    dialog.start(context_lost, DEMO_TOKEN)
    while dialog.is_running():
        await settle(0.05)
    await settle()
    save(dialog, out, "doctor_context_lost")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    lang = "zh" if "--lang=zh" in sys.argv or "zh" in sys.argv[1:] else "en"
    out = Path(args[0] if args and args[0] != "zh" else "shots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    Translations(app, Path(__file__).resolve().parents[2] / "resources" / "translations").apply(
        lang
    )
    with Simulator(delay_scale=0.15) as sim:

        async def both() -> None:
            await dock_shots(sim, out, lang)
            await doctor_shots(sim, out, lang)

        asyncio.run(both(), loop_factory=lambda: AppLoop(app))


if __name__ == "__main__":
    main()

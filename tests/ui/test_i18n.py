"""Languages: runtime switch to Simplified Chinese and back; the .ts is complete and compiled."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QTranslator

from desktop.paths import resource_path
from desktop.settings import load_settings
from desktop.simulator import ECHO_BOT_ID, Simulator
from desktop.ui.kit.i18n import resolve_language
from desktop.ui.settings.dialog import SettingsChanged, SettingsDialog
from tests.ui.harness import Shell, make_shell

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytestqt.qtbot import QtBot

TS = resource_path("translations", "coze_desktop_zh_CN.ts")


@pytest.fixture
def shell(qtbot: QtBot, qloop: Any, sim: Simulator) -> Iterator[Shell]:
    built = make_shell(qtbot, sim)
    yield built
    built.services.translations.apply("en")
    built.close()


def visible_texts(shell: Shell) -> dict[str, str]:
    w = shell.window
    return {
        "title": w.windowTitle(),
        "send": w.composer.send_button.text(),
        "stop": w.composer.stop_button.text(),
        "new": w.sidebar.new_button.text(),
        "file_menu": w.actions_.menus["file"].title(),
        "clear": w.header.clear_button.text(),
        "state": w.status_panel.state_label.text(),
        "banner": w.banner.text(),
    }


def test_switching_language_at_runtime(shell: Shell, qtbot: QtBot) -> None:
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    result = shell.send("hi")
    english = visible_texts(shell)
    assert english["send"] == "Send"
    assert english["title"] == "Coze Desktop"
    dialog = SettingsDialog(shell.services.settings, shell.window)
    zh = dataclasses.replace(shell.services.settings, language="zh")
    shell.window.dialogs.apply_settings(SettingsChanged(zh))
    chinese = visible_texts(shell)
    assert chinese == {
        "title": "扣子桌面版", "send": "发送", "stop": "停止", "new": "+  新对话",
        "file_menu": "文件(&F)", "clear": "清除上下文", "state": "空闲",
        "banner": "令牌仅在本次运行中保留：系统密钥环不可用，令牌只保存在内存中，绝不会写入磁盘。",
    }  # fmt: skip
    assert shell.services.language() == "zh"
    footer = shell.window.chat_view.row_for(result.message.id).action_bar  # type: ignore[union-attr]
    assert footer.copy_button.text() == "复制"
    assert load_settings(shell.services.settings_path).language == "zh"
    dialog.retranslate()
    assert dialog.windowTitle() == "设置"
    back = dataclasses.replace(shell.services.settings, language="en")
    shell.window.dialogs.apply_settings(SettingsChanged(back))
    assert visible_texts(shell) == english


def test_error_diagnosis_follows_the_ui_language(shell: Shell) -> None:
    shell.start_chat(shell.add_profile("Wrong", ECHO_BOT_ID, token="pat_wrong_token_for_the_test"))
    shell.services.translations.apply("zh")
    result = shell.send("hi")
    panel = shell.window.chat_view.row_for(result.message.id).parts["error"]  # type: ignore[union-attr]
    assert "令牌" in panel.title.text()  # type: ignore[attr-defined]


def test_resolve_language() -> None:
    assert resolve_language("system", "zh_CN") == "zh"
    assert resolve_language("system", "en_US") == "en"
    assert resolve_language("system", "de_DE") == "en"
    assert resolve_language("zh") == "zh"
    assert resolve_language("en") == "en"


def test_translation_file_is_complete_and_compiled() -> None:
    root = ET.parse(TS).getroot()
    messages = root.findall(".//message")
    assert len(messages) > 150
    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
                  or not (m.findtext("translation") or "").strip()]  # fmt: skip
    assert unfinished == []
    translator = QTranslator()
    assert translator.load(str(TS.with_suffix(".qm")))
    for context, source in ((m.context, m.source) for m in _sample(root)):
        assert translator.translate(context, source), f"{context}/{source} missing from the .qm"


@dataclasses.dataclass
class _Msg:
    context: str
    source: str


def _sample(root: ET.Element) -> list[_Msg]:
    """Every message of the .ts, so a stale .qm (lrelease not re-run) fails the test."""
    return [_Msg(ctx.findtext("name") or "", m.findtext("source") or "")
            for ctx in root.findall("context") for m in ctx.findall("message")]  # fmt: skip


def test_one_chinese_word_does_not_mean_two_things() -> None:
    """ "Copy" and "Duplicate" (a profile) once both read 复制."""
    import xml.etree.ElementTree as ET

    root = ET.parse(TS).getroot()
    pairs = {(m.findtext("source"), m.findtext("translation")) for m in root.iter("message")}
    meanings: dict[str, set[str]] = {}
    for source, translation in pairs:
        if source and translation:
            meanings.setdefault(translation, set()).add(source.lower().rstrip(".…:"))
    assert meanings["复制"] == {"copy"}
    assert "创建副本" in meanings

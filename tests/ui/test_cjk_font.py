"""Chinese and Latin text on one line look alike in weight, on light and dark backgrounds."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter
from PySide6.QtWidgets import QApplication

from desktop.ui.kit.i18n import CJK_UI_FAMILIES, ui_font


def ink(font: QFont, text: str, fg: str, bg: str) -> float:
    """How much of ``fg`` a line of ``text`` puts on ``bg`` (in units of fully covered pixels)."""
    image = QImage(320, 40, QImage.Format.Format_RGB32)
    image.fill(QColor(bg))
    painter = QPainter(image)
    painter.setPen(QColor(fg))
    painter.setFont(font)
    painter.drawText(4, 26, text)
    painter.end()
    ground = QColor(bg).red()
    total = sum(
        abs(QColor(image.pixel(x, y)).red() - ground) for y in range(40) for x in range(320)
    )
    return total / abs(QColor(fg).red() - ground)


def dark_over_light(font: QFont, text: str) -> float:
    return ink(font, text, "#ffffff", "#000000") / ink(font, text, "#000000", "#ffffff")


def test_chinese_puts_a_cjk_font_first_and_english_keeps_the_font(qapp: QApplication) -> None:
    base = QApplication.font()
    chinese = ui_font(base, "zh").families()
    assert chinese[: len(CJK_UI_FAMILIES)] == list(CJK_UI_FAMILIES)
    assert chinese[len(CJK_UI_FAMILIES) :] == base.families()
    assert ui_font(base, "en") == base


def test_chinese_is_not_bolder_than_latin_on_a_dark_background(qapp: QApplication) -> None:
    if not any(QFontDatabase.hasFamily(name) for name in CJK_UI_FAMILIES):
        pytest.skip("no CJK UI font installed")
    font = ui_font(QApplication.font(), "zh")
    chinese, latin = (
        dark_over_light(font, "令牌可能填错的站点"),
        dark_over_light(font, "coze.cn abc"),
    )
    assert abs(chinese - latin) / latin < 0.12  # one blending for both scripts

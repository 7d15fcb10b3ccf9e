"""Chinese and Latin text on one line look alike in weight, on light and dark backgrounds."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter
from PySide6.QtWidgets import QApplication

from desktop.paths import resource_path
from desktop.ui.kit.i18n import CJK_UI_FAMILIES, Translations, ui_font


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


def test_both_languages_put_a_cjk_font_first(qapp: QApplication) -> None:
    base = QApplication.font()
    families = ui_font(base).families()
    assert families[: len(CJK_UI_FAMILIES)] == list(CJK_UI_FAMILIES)
    assert families[len(CJK_UI_FAMILIES) :] == base.families()


def test_chinese_is_not_bolder_than_latin_on_a_dark_background_in_the_english_ui(
    qapp: QApplication,
) -> None:
    """The English UI (where it looked bold) gets the font the Chinese UI has always had."""
    if not any(QFontDatabase.hasFamily(name) for name in CJK_UI_FAMILIES):
        pytest.skip("no CJK UI font installed")
    before = QApplication.font()
    translations = Translations(qapp, resource_path("translations"))
    try:
        translations.apply("en")  # English needs no catalogue: no language change is sent
        font = QApplication.font()
        chinese, latin = (
            dark_over_light(font, "令牌可能填错的站点"),
            dark_over_light(font, "coze.cn abc"),
        )
    finally:
        QApplication.setFont(before)
    assert font.families() == ui_font(before).families()
    assert abs(chinese - latin) / latin < 0.12  # one blending for both scripts

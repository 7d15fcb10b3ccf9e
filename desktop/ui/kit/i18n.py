"""Runtime language switching: the app's own translations plus Qt's qtbase strings.

Languages are "en" and "zh" (Simplified Chinese). "system" follows the OS locale. Widgets
re-translate themselves in ``changeEvent(LanguageChange)`` or via an explicit ``retranslate()``;
this module only swaps the installed ``QTranslator`` objects.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont

if TYPE_CHECKING:
    from pathlib import Path

log = logging.getLogger(__name__)

SUPPORTED = ("en", "zh")
_QM_NAMES = {"zh": "coze_desktop_zh_CN.qm"}
_QT_LOCALES = {"zh": "zh_CN"}
# the UI font for Chinese, the first one installed (Qt skips missing families); each has Latin
CJK_UI_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Microsoft YaHei",
                   "PingFang SC")  # fmt: skip


def resolve_language(choice: str, system_locale: str | None = None) -> str:
    """Map a settings value ("system" | "en" | "zh" | a locale name) to "en" or "zh"."""
    value = (choice or "system").strip()
    if value == "system":
        value = system_locale if system_locale is not None else QLocale.system().name()
    return "zh" if value.lower().startswith("zh") else "en"


def ui_font(base: QFont) -> QFont:
    """The application font, in either language: ``base`` with a CJK UI font first (chats,
    bot names and session titles mix Chinese and Latin in an English UI too)."""
    font = QFont(base)
    font.setFamilies([*CJK_UI_FAMILIES, *base.families()])
    return font


class Translations:
    """Owns the installed translators and swaps them when the language changes."""

    def __init__(self, app: QCoreApplication, translations_dir: Path) -> None:
        self._app = app
        self._dir = translations_dir
        self._installed: list[QTranslator] = []
        self.language = "en"
        self._base_font: QFont | None = None  # the application font before ``_apply_font``

    def apply(self, choice: str) -> str:
        """Install translators for ``choice``; returns the effective language ("en" | "zh")."""
        lang = resolve_language(choice)
        self._remove()
        if lang != "en":
            self._install_app(lang)
            self._install_qtbase(lang)
        self.language = lang
        QLocale.setDefault(QLocale(_QT_LOCALES.get(lang, "en_US")))
        self._apply_font()
        return lang

    def _apply_font(self) -> None:
        """A CJK UI font first (when installed), so that Chinese and Latin text on one line
        come from one font, in both languages. With FreeType, a CJK fallback font in CFF
        outlines (Noto Sans CJK, Source Han Sans: most Linux systems) is blended
        gamma-corrected and Latin from the default font is not, so on a dark background
        Chinese looked bold next to regular Latin; the fallback also picked Japanese glyph
        forms (Noto Sans CJK JP)."""
        from PySide6.QtWidgets import QApplication

        if not isinstance(self._app, QApplication):
            return
        if self._base_font is None:
            self._base_font = QApplication.font()
        font = ui_font(self._base_font)
        if font != QApplication.font():
            QApplication.setFont(font)

    def _remove(self) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()

    def _install_app(self, lang: str) -> None:
        path = self._dir / _QM_NAMES[lang]
        translator = QTranslator(self._app)
        if translator.load(str(path)):
            self._install(translator)
        else:
            log.warning("translation file missing or unreadable: %s", path.name)

    def _install_qtbase(self, lang: str) -> None:
        from PySide6.QtCore import QLibraryInfo  # only for Chinese: English needs no Qt catalogue

        translator = QTranslator(self._app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        locale = QLocale(_QT_LOCALES[lang])
        if translator.load(locale, "qtbase", "_", qt_dir) or translator.load(
            locale, "qtbase", "_", str(self._dir)
        ):
            self._install(translator)
        else:
            log.info("Qt's own %s translations not found", lang)

    def _install(self, translator: QTranslator) -> None:
        self._app.installTranslator(translator)
        self._installed.append(translator)

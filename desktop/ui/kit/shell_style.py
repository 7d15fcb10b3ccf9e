"""Style sheet for the window chrome (sidebar, composer, header, welcome), from the palette.

Colours are derived from the active palette so the light and dark themes both work; the chat
view styles itself (``render.styles``).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from desktop.ui.kit.theme import mix, palette_is_dark


def shell_style_sheet(pal: QPalette) -> str:
    """The sheet, set on the main window before its children exist. A scroll bar is styled when
    its scroll area is constructed, before the area gets its object name: select it through an
    ancestor named before that (``#sidebar``), not through its own area."""
    role = QPalette.ColorRole
    accent = pal.color(role.Highlight)
    base, window, text = pal.color(role.Base), pal.color(role.Window), pal.color(role.Text)
    dark = palette_is_dark(pal)
    line = mix(window, text, 0.14 if dark else 0.10).name()
    field = mix(window, text, 0.22 if dark else 0.18).name()
    hover = mix(base, text, 0.06).name()
    accent_hover = accent.lighter(112).name()
    # Disabled "Send" must read as disabled in both themes: a faint accent, dimmed text.
    accent_off = mix(accent, window, 0.75 if dark else 0.55).name()
    off_text = "rgba(255, 255, 255, 90)" if dark else "rgba(255, 255, 255, 200)"
    c = {"accent": accent.name(), "base": base.name(), "window": window.name(), "line": line,
         "field": field, "hover": hover, "accent_hover": accent_hover, "accent_off": accent_off,
         "off_text": off_text, "text": text.name(), "muted": pal.color(role.PlaceholderText).name(),
         "warn": "#e8a23a" if dark else "#b45309"}  # fmt: skip
    return _SHEET.format(**c)


def selection_colour(pal: QPalette) -> QColor:
    """Fill of the selected session row: a soft tint of the accent."""
    return mix(pal.color(QPalette.ColorRole.Highlight), pal.color(QPalette.ColorRole.Base), 0.82)


_SHEET = """
#sidebar {{ background: {window}; }}
QListWidget#sessionList, QListWidget#comparisonList {{ border: none; background: transparent;
    outline: none; }}
QListWidget#comparisonList::item {{ padding: 5px 10px; border-radius: 8px; }}
QListWidget#comparisonList::item:selected {{ background: {hover}; color: {text}; }}
QLabel#comparisonListLabel {{ color: {muted}; font-weight: 600; padding: 4px 2px 0 2px; }}
#compareBar, #compareColumnHead {{ border-bottom: 1px solid {line}; }}
QLabel#compareColumnStats, QLabel#compareColumnLogId {{ color: {muted}; }}
#sidebar QScrollBar:vertical {{ width: 10px; background: {window}; margin: 2px; }}
#sidebar QScrollBar::handle:vertical {{ background: {field}; border-radius: 3px; min-height: 28px; }}
#sidebar QScrollBar::add-line, #sidebar QScrollBar::sub-line {{ height: 0; }}
#sidebar QScrollBar::add-page, #sidebar QScrollBar::sub-page {{ background: {window}; }}
QLineEdit#sessionSearch {{ border: 1px solid {field}; border-radius: 8px; padding: 5px 8px;
    background: {base}; }}
QLineEdit#sessionSearch:focus {{ border-color: {accent}; }}
QPushButton#newSessionButton, QPushButton#sendButton, QPushButton#addBotButton {{
    background: {accent}; color: #ffffff; border: none; border-radius: 8px;
    padding: 7px 16px; font-weight: 600; }}
QPushButton#newSessionButton:hover, QPushButton#sendButton:hover,
QPushButton#addBotButton:hover {{ background: {accent_hover}; }}
QPushButton#sendButton:disabled {{ background: {accent_off}; color: {off_text}; }}
QPushButton#stopButton, QPushButton#tryDemoButton {{ background: {base}; color: {text};
    border: 1px solid {field}; border-radius: 8px; padding: 7px 16px; }}
QPushButton#stopButton:hover, QPushButton#tryDemoButton:hover {{ background: {hover}; }}
QPushButton#stopButton:disabled {{ color: {muted}; border-color: {line}; }}
QPushButton#attachButton {{ background: {base}; color: {text}; border: 1px solid {field};
    border-radius: 8px; padding: 7px 12px; }}
QPushButton#attachButton:hover {{ background: {hover}; }}
QPushButton#attachButton:disabled {{ color: {muted}; border-color: {line}; }}
QFrame#attachmentChip {{ background: {hover}; border: 1px solid {field}; border-radius: 8px; }}
QLabel#attachmentChipSize, QLabel#uploadProgressLabel {{ color: {muted}; }}
QLabel#attachmentNote {{ color: {warn}; }}
QToolButton#attachmentRemoveButton {{ border: none; border-radius: 9px; padding: 1px 4px;
    color: {muted}; background: transparent; }}
QToolButton#attachmentRemoveButton:hover {{ background: {field}; color: {text}; }}
QProgressBar#uploadProgress {{ border: none; border-radius: 2px; background: {line}; }}
QProgressBar#uploadProgress::chunk {{ border-radius: 2px; background: {accent}; }}
QPushButton#compareColumnStop, QPushButton#compareColumnOpen, QPushButton#compareStopAll,
QPushButton#compareExport {{ background: {base}; color: {text}; border: 1px solid {field};
    border-radius: 7px; padding: 4px 12px; }}
QPushButton#compareColumnStop:hover, QPushButton#compareColumnOpen:hover,
QPushButton#compareStopAll:hover, QPushButton#compareExport:hover {{ background: {hover}; }}
QPushButton#compareColumnStop:disabled, QPushButton#compareStopAll:disabled {{
    color: {muted}; border-color: {line}; }}
#composerBar {{ background: {base}; border-top: 1px solid {line}; }}
QPlainTextEdit#composer {{ border: 1px solid {field}; border-radius: 10px; padding: 4px 6px;
    background: {base}; }}
QPlainTextEdit#composer:focus {{ border-color: {accent}; }}
#chatHeader {{ background: {base}; border-bottom: 1px solid {line}; }}
QToolButton#clearContextButton, QToolButton#diagnoseButton, QToolButton#showSidebarButton {{
    background: {base}; border: 1px solid {field}; border-radius: 6px; padding: 4px 10px; }}
QToolButton#clearContextButton:hover, QToolButton#diagnoseButton:hover,
QToolButton#showSidebarButton:hover {{ background: {hover}; }}
#welcomeView {{ background: {base}; }}
QSplitter#mainSplitter::handle {{ background: {line}; }}
QStatusBar {{ border-top: 1px solid {line}; }}
"""

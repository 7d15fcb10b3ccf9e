"""The chat view's style sheet, generated from the theme colours (never hard-coded per theme)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.ui.kit.theme import ChatColors


def code_scrollbar_sheet(c: ChatColors) -> str:
    """A long code block's horizontal scroll bar: a thin handle on the code's background. Set on
    the bar itself: the view's sheet does not reach the bars inside a text browser."""
    return _CODE_BAR.format(c=c)


_CODE_BAR = """
QScrollBar:horizontal {{ height: 8px; background: {c.code_bg}; border: none;
    margin: 0 4px 2px 4px; }}
QScrollBar::handle:horizontal {{ background: {c.border}; border-radius: 3px; min-width: 24px; }}
QScrollBar::handle:horizontal:hover {{ background: {c.muted}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; border: none; background: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: {c.code_bg}; }}
"""


def chat_style_sheet(c: ChatColors) -> str:
    """Style rules for every widget of the chat view, keyed by object name."""
    return _BASE.format(c=c) + _PARTS.format(c=c) + _CONTROLS.format(c=c)


_BASE = """
#chatView, #chatScroll, #chatViewport, #chatContent {{ background: {c.window}; border: none; }}
#assistantBubble {{
    background: {c.assistant_bg}; border: 1px solid {c.border}; border-radius: 14px;
}}
#assistantBubble[variant="error"] {{ background: transparent; border: none; }}
#userBubble {{
    background: {c.user_bg}; border: none; border-radius: 14px;
}}
#userText {{ color: {c.user_text}; }}
QTextBrowser {{ background: transparent; border: none; color: {c.text};
    selection-background-color: {c.accent}; selection-color: white; }}
#codeBlock {{ background: {c.code_bg}; border: 1px solid {c.border}; border-radius: 8px; }}
#codeHeader {{ background: {c.code_header}; border-top-left-radius: 8px;
    border-top-right-radius: 8px; }}
#codeLang {{ color: {c.muted}; font-size: 11px; background: transparent; }}
#codeBody {{ background: transparent; }}
"""

_PARTS = """
#thinking {{ background: transparent; border: none; border-left: 3px solid {c.thinking_bar};
    border-radius: 0; }}
#thinkingBody {{ color: {c.muted}; }}
#toolCard {{ background: {c.code_bg}; border: 1px solid {c.border}; border-radius: 8px; }}
#sectionToggle {{ border: none; background: transparent; color: {c.muted}; font-weight: 600;
    padding: 2px 0; }}
#sectionToggle:hover {{ color: {c.text}; }}
#typingDots {{ color: {c.accent}; font-size: 15px; padding: 2px 0; }}
#errorPanel {{ background: {c.error_bg}; border: 1px solid {c.error_border}; border-radius: 8px; }}
#errorTitle {{ color: {c.error_text}; font-weight: 600; background: transparent; }}
#errorFix {{ color: {c.text}; background: transparent; }}
#errorDetails {{ color: {c.muted}; font-size: 11px; background: transparent; }}
#footerInfo {{ color: {c.muted}; font-size: 11px; }}
#badge {{ border-radius: 8px; padding: 1px 8px; font-size: 11px; font-weight: 600; }}
#badge[kind="stopped"] {{ background: {c.code_header}; color: {c.muted}; }}
#badge[kind="interrupted"] {{ background: {c.warning_bg}; color: {c.text};
    border: 1px solid {c.warning_border}; }}
#badge[kind="requires_action"] {{ background: {c.warning_bg}; color: {c.text};
    border: 1px solid {c.warning_border}; }}
#toolRequest {{ background: {c.warning_bg}; border: 1px solid {c.warning_border};
    border-radius: 8px; }}
#toolRequestTitle {{ font-weight: 600; background: transparent; }}
#toolRequestArguments {{ color: {c.muted}; background: transparent; }}
#toolOutputError {{ color: {c.error_text}; background: transparent; }}
#badge[kind="streaming"] {{ background: transparent; color: {c.muted}; font-weight: normal;
    padding: 1px 0; }}
#dividerText {{ color: {c.muted}; font-size: 11px; }}
#dividerLine {{ background: {c.border}; border: none; }}
#warningText {{ background: {c.warning_bg}; border: 1px solid {c.warning_border};
    border-radius: 8px; padding: 8px 12px; color: {c.text}; }}
"""

_CONTROLS = """
#followUpChip, #starterChip {{ background: {c.chip_bg}; border: 1px solid {c.border};
    border-radius: 14px; padding: 0 14px; color: {c.text};
    text-align: left; }}
#followUpChip:hover, #starterChip:hover {{ background: {c.chip_hover}; border-color: {c.accent}; }}
#emptyTitle {{ color: {c.text}; font-size: 20px; font-weight: 600; }}
#emptyHint {{ color: {c.muted}; }}
#prologueBubble {{ background: {c.assistant_bg}; border: 1px solid {c.border};
    border-radius: 12px; padding: 10px 14px; color: {c.text}; }}
#codeCopy, #messageActions QToolButton {{ border: none; background: transparent;
    color: {c.muted}; padding: 2px 6px; border-radius: 4px; font-size: 11px; }}
#codeCopy:hover, #messageActions QToolButton:hover {{ background: {c.chip_hover};
    color: {c.text}; }}
#errorPanel QPushButton {{ background: {c.assistant_bg}; border: 1px solid {c.border};
    border-radius: 6px; padding: 4px 12px; color: {c.text}; }}
#errorPanel QPushButton:hover {{ border-color: {c.accent}; }}
#errorPanel QPushButton#retryButton {{ background: {c.accent}; color: white;
    border-color: {c.accent}; }}
#chatScroll QScrollBar:vertical {{ width: 10px; background: transparent; margin: 2px; }}
#chatScroll QScrollBar::handle:vertical {{ background: {c.border}; border-radius: 3px;
    min-height: 32px; }}
#chatScroll QScrollBar::add-line, #chatScroll QScrollBar::sub-line {{ height: 0; }}
#chatScroll QScrollBar::add-page, #chatScroll QScrollBar::sub-page {{ background: transparent; }}
#loadEarlier {{ border: none; background: transparent; color: {c.link}; padding: 6px; }}
#jumpToLatest {{ background: {c.assistant_bg}; color: {c.link}; border: 1px solid {c.border};
    border-radius: 14px; padding: 5px 14px; }}
#jumpToLatest:hover {{ background: {c.chip_hover}; }}
"""

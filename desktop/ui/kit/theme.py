"""Light and dark palettes, and the colours the chat view derives from the active palette.

``apply_theme(app, mode)`` resolves ``"system" | "light" | "dark"`` (the system scheme comes from
``QStyleHints.colorScheme()``; ``Unknown`` — offscreen, bare X servers — counts as light), asks
the platform for that scheme (Qt >= 6.8), and installs the Fusion style with an explicit palette:
Fusion is the one built-in style that honours a custom palette on every OS, so both themes look
the same everywhere. In ``"system"`` mode it follows later scheme changes by itself.

Start-up uses ``apply_start_theme`` instead: the scheme's value is a ``Qt.ColorScheme``, and the
first use of any ``Qt`` namespace enum makes PySide6 build all 94 of them (20-35 ms), which the
first frame does not otherwise need. In ``"system"`` mode it uses the scheme the system had at
the end of the last start (``desktop.app`` remembers what ``settle_theme`` returns), or on a
first start the palette Qt starts with, which follows the scheme on Windows and macOS but not on
every Linux desktop. ``settle_theme`` asks the real scheme after the first frame, corrects a
wrong guess (the window then repaints once in the other theme) and follows changes from then on.

``chat_colors(palette)`` derives the bubble, code, error and chip colours from a palette, so the
chat view never hard-codes a colour that would clash with the other theme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6 import QtCore
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

MODES = ("system", "light", "dark")
ACCENT_LIGHT = "#4d53e8"
ACCENT_DARK = "#7b80ff"

_LIGHT = {
    "Window": "#f4f5f7",
    "WindowText": "#1f2329",
    "Base": "#ffffff",
    "AlternateBase": "#f2f3f5",
    "ToolTipBase": "#ffffff",
    "ToolTipText": "#1f2329",
    "PlaceholderText": "#8a8f99",
    "Text": "#1f2329",
    "Button": "#ffffff",
    "ButtonText": "#1f2329",
    "BrightText": "#d92d20",
    "Light": "#ffffff",
    "Midlight": "#e9eaee",
    "Mid": "#c9ccd3",
    "Dark": "#a0a4ad",
    "Shadow": "#6b6f78",
    "Highlight": ACCENT_LIGHT,
    "HighlightedText": "#ffffff",
    "Link": "#3b49df",
    "LinkVisited": "#6b3fd4",
    "Accent": ACCENT_LIGHT,
}
_DARK = {
    "Window": "#1b1c1f",
    "WindowText": "#e4e6eb",
    "Base": "#25262b",
    "AlternateBase": "#2c2d33",
    "ToolTipBase": "#2c2d33",
    "ToolTipText": "#e4e6eb",
    "PlaceholderText": "#80848e",
    "Text": "#e4e6eb",
    "Button": "#2c2d33",
    "ButtonText": "#e4e6eb",
    "BrightText": "#ff6b5e",
    "Light": "#3a3b42",
    "Midlight": "#33343a",
    "Mid": "#45474f",
    "Dark": "#141518",
    "Shadow": "#000000",
    "Highlight": ACCENT_DARK,
    "HighlightedText": "#ffffff",
    "Link": "#8fa8ff",
    "LinkVisited": "#b69cff",
    "Accent": ACCENT_DARK,
}
_follower: _SchemeFollower | None = None


def build_palette(dark: bool) -> QPalette:
    """The full application palette for one theme (disabled text dimmed)."""
    pal = QPalette()
    for role, value in (_DARK if dark else _LIGHT).items():
        pal.setColor(getattr(QPalette.ColorRole, role), QColor(value))
    dim = QColor("#6b6e76" if dark else "#a3a7b0")
    for disabled in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, disabled, dim)
    return pal


def system_is_dark() -> bool:
    """True when the OS reports a dark scheme (Unknown counts as light)."""
    return QGuiApplication.styleHints().colorScheme() == QtCore.Qt.ColorScheme.Dark


def resolve_dark(mode: str) -> bool:
    """Whether ``mode`` ("system" | "light" | "dark") means dark right now."""
    if mode == "dark":
        return True
    if mode == "light":
        return False
    return system_is_dark()


def apply_theme(app: QApplication, mode: str = "system") -> bool:
    """Install the palette for ``mode``; returns True when the result is dark."""
    _request_scheme(mode)
    dark = resolve_dark(mode)
    _install(app, dark)
    _follow_system(app, mode == "system")
    return dark


def apply_start_theme(app: QApplication, mode: str, last_dark: bool | None = None) -> bool:
    """``apply_theme`` for the first frame (see the module docstring): in "system" mode dark if
    ``last_dark`` (the system's scheme at the end of the last start) or, unknown, if the
    start-up palette is. Call ``settle_theme`` after it. Returns True when the result is dark."""
    if mode != "system" or app.property(_THEMED):  # a palette of ours is no guide any more
        return apply_theme(app, mode)
    _request_scheme(mode)
    dark = palette_is_dark(app.palette()) if last_dark is None else last_dark
    _install(app, dark)
    return dark


def settle_theme(app: QApplication, mode: str) -> bool | None:
    """After the first frame: in "system" mode, correct the start-up guess if the system's
    scheme says otherwise, follow its changes from now on, and return whether it is dark (None
    in the other modes)."""
    _follow_system(app, mode == "system")
    if mode != "system":
        return None
    dark = system_is_dark()
    if dark != palette_is_dark(app.palette()):
        app.setPalette(build_palette(dark))
    return dark


_THEMED = "cozeDesktopThemed"  # an app property: the palette is ours, not the platform's


def _install(app: QApplication, dark: bool) -> None:
    _use_fusion(app)
    app.setPalette(build_palette(dark))
    app.setProperty(_THEMED, True)


def _follow_system(app: QApplication, follow: bool) -> None:
    global _follower
    if follow and _follower is None:
        _follower = _SchemeFollower(app)
    elif not follow and _follower is not None:
        _follower.deleteLater()
        _follower = None


_FUSION_SET = "cozeDesktopFusion"  # an app property: this app is known to use Fusion


def new_application(argv: list[str]) -> QApplication:
    """A ``QApplication`` that starts with Fusion (given last, it wins over a ``-style`` in
    ``argv``), marked so that ``apply_theme`` need not ask for its style."""
    app = QApplication([*argv, "-style", "fusion"])
    app.setProperty(_FUSION_SET, True)
    return app


def _use_fusion(app: QApplication) -> None:
    """Install Fusion unless this app is known to have it: reading ``app.style()`` costs
    PySide6 the set-up of the whole ``QStyle`` type, 5-10 ms of start-up."""
    if app.property(_FUSION_SET):
        return
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setProperty(_FUSION_SET, True)


def _request_scheme(mode: str) -> None:
    """Tell the platform which scheme we want (Qt >= 6.8; native dialogs follow it)."""
    hints = QGuiApplication.styleHints()
    if mode != "system":  # by the value's name: no ``Qt`` enum (see the module docstring)
        hints.setProperty("colorScheme", "Dark" if mode == "dark" else "Light")
        return
    hints.unsetColorScheme()


class _SchemeFollower(QObject):
    """Re-applies the palette when the OS scheme changes while the app follows the system."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._changed)

    def _changed(self, _scheme: Qt.ColorScheme) -> None:
        self._app.setPalette(build_palette(system_is_dark()))


def palette_is_dark(pal: QPalette) -> bool:
    """True when the palette's window colour is dark (works whatever set the palette)."""
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` blended towards ``b`` by ``t`` (0..1)."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


class ChatColors(NamedTuple):
    """Colours of the chat view, as ``#rrggbb`` strings ready for style sheets and HTML. (A
    named tuple: defining a dataclass this size costs about 2 ms before the first frame.)"""

    dark: bool
    window: str
    text: str
    muted: str
    border: str
    assistant_bg: str
    user_bg: str
    user_text: str
    code_bg: str
    code_header: str
    inline_code_bg: str
    accent: str
    link: str
    error_bg: str
    error_border: str
    error_text: str
    warning_bg: str
    warning_border: str
    chip_bg: str
    chip_hover: str
    thinking_bar: str


def chat_colors(pal: QPalette, dark: bool | None = None) -> ChatColors:
    """Colours for the chat view derived from ``pal`` (``dark`` defaults to the palette's)."""
    dark = palette_is_dark(pal) if dark is None else dark
    c = pal.color
    base, window, text = (
        c(QPalette.ColorRole.Base),
        c(QPalette.ColorRole.Window),
        c(QPalette.ColorRole.Text),
    )
    accent = c(QPalette.ColorRole.Highlight)
    red = QColor("#ff6b5e" if dark else "#d92d20")
    amber = QColor("#e5a50a" if dark else "#dc8b00")
    return ChatColors(
        dark=dark,
        window=window.name(),
        text=text.name(),
        muted=mix(text, base, 0.45).name(),
        border=mix(base, text, 0.14 if dark else 0.11).name(),
        assistant_bg=base.name(),
        user_bg=mix(base, accent, 0.30 if dark else 0.12).name(),
        user_text=text.name(),
        code_bg=mix(base, QColor("#000000" if dark else "#1f2329"), 0.25 if dark else 0.035).name(),
        code_header=mix(base, text, 0.08 if dark else 0.06).name(),
        inline_code_bg=mix(base, text, 0.12 if dark else 0.07).name(),
        accent=accent.name(),
        link=c(QPalette.ColorRole.Link).name(),
        error_bg=mix(base, red, 0.14 if dark else 0.06).name(),
        error_border=mix(base, red, 0.55 if dark else 0.40).name(),
        error_text=red.name(),
        warning_bg=mix(base, amber, 0.15 if dark else 0.10).name(),
        warning_border=mix(base, amber, 0.55 if dark else 0.45).name(),
        chip_bg=base.name(),
        chip_hover=mix(base, accent, 0.22 if dark else 0.09).name(),
        thinking_bar=mix(base, text, 0.25).name(),
    )

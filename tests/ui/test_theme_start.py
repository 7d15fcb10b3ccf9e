"""The theme at start-up: guessed from the palette Qt starts with (no ``Qt`` namespace enum
before the first frame), then checked against the system's scheme; and enum properties set by
name."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

from desktop.ui.kit import theme
from desktop.ui.kit.widgets import set_by_name

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def fresh_app(qapp: QApplication) -> Iterator[QApplication]:
    """The test app as Qt started it: no palette of ours yet; put back afterwards."""
    palette, themed = qapp.palette(), qapp.property(theme._THEMED)
    qapp.setProperty(theme._THEMED, None)
    theme._follow_system(qapp, False)  # an earlier test's app may follow the system
    yield qapp
    theme._follow_system(qapp, False)
    qapp.setPalette(palette)
    qapp.setProperty(theme._THEMED, themed)


def test_system_mode_starts_from_the_platform_palette(fresh_app: QApplication) -> None:
    fresh_app.setPalette(theme.build_palette(True))  # as on a system set to dark
    assert theme.apply_start_theme(fresh_app, "system") is True
    assert theme.palette_is_dark(fresh_app.palette())
    assert theme._follower is None


def test_the_scheme_seen_at_the_last_start_wins_over_the_palette(fresh_app: QApplication) -> None:
    fresh_app.setPalette(theme.build_palette(False))  # a desktop whose palette ignores the scheme
    assert theme.apply_start_theme(fresh_app, "system", last_dark=True) is True
    assert theme.palette_is_dark(fresh_app.palette())


def test_after_the_first_frame_the_system_scheme_decides(fresh_app: QApplication) -> None:
    assert QGuiApplication.styleHints().colorScheme() != Qt.ColorScheme.Dark  # offscreen: light
    fresh_app.setPalette(theme.build_palette(True))  # a wrong guess
    theme.apply_start_theme(fresh_app, "system")
    assert theme.settle_theme(fresh_app, "system") is False  # what desktop.app remembers
    assert not theme.palette_is_dark(fresh_app.palette())
    assert theme._follower is not None  # and it follows the system from now on


def test_a_chosen_theme_ignores_the_platform_palette(fresh_app: QApplication) -> None:
    fresh_app.setPalette(theme.build_palette(True))
    assert theme.apply_start_theme(fresh_app, "light") is False
    assert theme.settle_theme(fresh_app, "light") is None
    assert not theme.palette_is_dark(fresh_app.palette())
    assert theme._follower is None
    assert theme.apply_start_theme(fresh_app, "dark") is True


def test_once_themed_start_up_asks_the_system(fresh_app: QApplication) -> None:
    theme.apply_theme(fresh_app, "dark")  # our own palette is no guide to the system's scheme
    assert theme.apply_start_theme(fresh_app, "system") is False


def test_enum_properties_are_set_by_name(qapp: QApplication) -> None:
    label = QLabel()
    set_by_name(label, "alignment", "AlignHCenter|AlignTop")
    assert label.alignment() == Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
    area = QScrollArea()
    set_by_name(area, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
    assert area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    with pytest.raises(ValueError, match="AlignNowhere"):
        set_by_name(label, "alignment", "AlignNowhere")
    with pytest.raises(ValueError, match="alignmnet"):
        set_by_name(label, "alignmnet", "AlignTop")

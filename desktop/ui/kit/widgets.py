"""Small Qt helpers several widgets share: combo boxes refilled in place, read-only row tables,
scroll areas with a viewport made in Python, enum properties set by name, a window's size
fitted to the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractScrollArea, QComboBox, QHBoxLayout, QWidget

if TYPE_CHECKING:  # set up by PySide6 on first use: not for the first frame, which has no table
    from collections.abc import Iterable

    from PySide6.QtCore import QAbstractItemModel, QObject
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QAbstractItemView, QTableView


def refill_combo(combo: QComboBox, items: Iterable[tuple[str, str]], select: Any = None) -> None:
    """Replace the ``(value, label)`` items of ``combo`` without emitting.

    Selects ``select``, or else the value selected before (labels change with the language);
    a value no longer listed selects the first item.
    """
    value = combo.currentData() if select is None else select
    combo.blockSignals(True)
    combo.clear()
    for data, label in items:
        combo.addItem(label, data)
    select_value(combo, value)
    combo.blockSignals(False)


def select_value(combo: QComboBox, value: Any) -> None:
    """Select the item holding ``value`` (the first item if none does)."""
    combo.setCurrentIndex(max(combo.findData(value), 0))


def row_table(
    parent: QWidget, model: QAbstractItemModel, name: str,
    mode: QAbstractItemView.SelectionMode,
) -> QTableView:  # fmt: skip
    """A table selecting whole rows, one line each, no row numbers."""
    from PySide6.QtWidgets import QTableView

    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(mode)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(22)
    return table


def own_viewport(area: QAbstractScrollArea, role: QPalette.ColorRole | None = None) -> QWidget:
    """Give ``area`` a viewport made in Python, filled like Qt's own (``role``: its background
    role, e.g. ``Base`` for item views), and return it.

    Keep it and use it instead of ``area.viewport()``: the first time Python asks for a viewport
    Qt made, PySide6 looks for its most specific Python type by setting up dozens of widget
    types with all their enums, 10-25 ms at start-up.
    """
    viewport = QWidget()
    viewport.setAutoFillBackground(True)
    if role is not None:
        viewport.setBackgroundRole(role)
    area.setViewport(viewport)
    return viewport


def set_by_name(obj: QObject, prop: str, keys: str) -> None:
    """Set the enum or flags property ``prop`` of ``obj`` from its key names, as Qt spells them
    (``"AlignLeft|AlignTop"``); raises ``ValueError`` if Qt does not take them.

    Qt resolves the names itself, so Python never touches the ``Qt`` namespace: PySide6 builds
    all of its 94 enums (1,199 values, 20-35 ms) the first time any of them is used, and the
    widgets of the first frame need none of them.
    """
    if not obj.setProperty(prop, keys):
        raise ValueError(f"{type(obj).__name__}.{prop} does not take {keys!r}")


def centred(widget: QWidget) -> QHBoxLayout:
    """``widget`` at its preferred width, centred in a row of its own: what adding it with
    ``Qt.AlignmentFlag.AlignHCenter`` does, without the ``Qt`` namespace (stretches either
    side). A hidden widget leaves the row empty, so it takes no spacing."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    return row


def screen_fit(width: int, height: int) -> tuple[int, int]:
    """A window's first size: ``width`` x ``height``, but never more than 92% of the screen's
    free area (a scaled or small screen, e.g. QT_SCALE_FACTOR=2)."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return width, height
    free = screen.availableGeometry()
    return min(width, int(free.width() * 0.92)), min(height, int(free.height() * 0.92))


def restyle(widget: QWidget) -> None:
    """Apply the style sheet again after a dynamic property of ``widget`` changed. A widget not
    yet polished (just made) picks the property up when it is: asking for its ``style()`` now
    would set up ``QStyle`` and its 700 enum values (5-10 ms before a chat's first row shows)."""
    from PySide6.QtCore import Qt

    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)

"""Small Qt helpers several widgets share: combo boxes refilled in place, read-only row tables,
scroll areas with a viewport made in Python."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QComboBox, QTableView, QWidget


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

"""Small Qt helpers several widgets share: combo boxes refilled in place, read-only row tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTableView, QWidget


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

"""The "New comparison" dialog: tick 2-4 bot profiles to ask the same questions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.comparisons import MAX_COLUMNS

if TYPE_CHECKING:
    from collections.abc import Sequence

MIN_COLUMNS = 2


class ComparePicker(QDialog):
    """Checkable list of profiles (objectName ``comparePicker``); OK with 2-4 ticked.

    ``chosen()`` gives the ticked profile ids, in list order.
    """

    def __init__(
        self,
        profiles: Sequence[tuple[str, str]],
        preselected: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("comparePicker")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("comparePickerList")
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        checked, unchecked = Qt.CheckState.Checked, Qt.CheckState.Unchecked
        for profile_id, name in profiles:
            item = QListWidgetItem(name, self.list)
            item.setData(_ID_ROLE, profile_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(checked if profile_id in preselected else unchecked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(lambda _item: self._update())
        self.setWindowTitle(self.tr("New comparison"))
        self.hint.setText(
            self.tr(
                "Pick {low} to {high} bots. Each gets its own chat; what you type goes to all."
            ).format(low=MIN_COLUMNS, high=MAX_COLUMNS)
        )
        self.resize(380, 320)
        self._update()

    def chosen(self) -> list[str]:
        checked = Qt.CheckState.Checked
        items = [self.list.item(i) for i in range(self.list.count())]
        return [str(item.data(_ID_ROLE)) for item in items if item.checkState() == checked]

    def set_checked(self, profile_ids: Sequence[str]) -> None:
        checked, unchecked = Qt.CheckState.Checked, Qt.CheckState.Unchecked
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(checked if item.data(_ID_ROLE) in profile_ids else unchecked)

    def _update(self) -> None:
        self.ok_button.setEnabled(MIN_COLUMNS <= len(self.chosen()) <= MAX_COLUMNS)


_ID_ROLE = Qt.ItemDataRole.UserRole

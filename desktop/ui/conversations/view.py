"""The "Conversations on Coze" dialog (objectName ``conversationsDialog``).

Opened for one profile; it asks the runner for the bot's server conversations and lists them
newest first: title (the first question when the server has no name), created time, and
whether a chat on this computer holds it. "Import" brings the selected ones, "Import all"
every one; the progress bar counts conversations and the status line the messages stored;
Stop ends after the page being read, keeping everything stored. A failure says what failed and
that the imported part is kept. Double-clicking a conversation that is here opens its chat.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.core.conversations import ServerConversation
    from desktop.storage.models import Profile
    from desktop.ui.kit.conversation_ports import (
        ConversationRuns,
        ConversationsListed,
        ImportDone,
        ImportProgressed,
    )

ID_ROLE = int(Qt.ItemDataRole.UserRole)


class ConversationsDialog(QDialog):
    """A profile's server conversations and their import.

    Signals:
        open_session_requested(int)  (a conversation that is here was double-clicked)
        imported(ImportDone)  (an import ended: the window refreshes its chat list)
    """

    open_session_requested = Signal(int)
    imported = Signal(object)

    def __init__(
        self,
        profile: Profile,
        runs: ConversationRuns,
        language: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._language = language
        self.setObjectName("conversationsDialog")
        self.profile = profile
        self._runs = runs
        self._items: tuple[ServerConversation, ...] = ()
        self._state = "idle"  # idle | listing | importing
        self._outcome = ""  # the last import's result, kept while the list is read again
        self.header = QLabel(self)
        self.header.setObjectName("conversationsHeader")
        self.header.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("conversationsHint")
        self.hint.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setObjectName("conversationsList")
        self.table.setRootIsDecorated(False)
        self.table.setColumnCount(3)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setUniformRowHeights(True)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("conversationsProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.status = QLabel(self)
        self.status.setObjectName("conversationsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("conversationsRefresh")
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("conversationsImport")
        self.import_all_button = QPushButton(self)
        self.import_all_button.setObjectName("conversationsImportAll")
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("conversationsStop")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self._build()
        self._connect()
        self.retranslate()
        self.resize(720, 480)

    def _build(self) -> None:
        row = QHBoxLayout()
        for button in (self.refresh_button, self.import_button, self.import_all_button,
                       self.stop_button):  # fmt: skip
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(row)

    def _connect(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.import_button.clicked.connect(self.import_selected)
        self.import_all_button.clicked.connect(self.import_all)
        self.stop_button.clicked.connect(self.stop)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(self._double_clicked)
        self._runs.listed.connect(self._on_listed)
        self._runs.progress.connect(self._on_progress)
        self._runs.finished.connect(self._on_finished)

    # -- actions ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask the server for the bot's conversations again."""
        if self._runs.list_for(self.profile):
            self._set_state("listing", self.tr("Reading the bot's conversations on Coze…"))
        else:
            self._refused()

    def import_selected(self) -> None:
        chosen = [self._items[i] for i in self._selected_rows()]
        self._import(chosen)

    def import_all(self) -> None:
        self._import(list(self._items))

    def stop(self) -> None:
        self._runs.stop()
        self._show_status(self.tr("Stopping after the page being read…"))

    def _import(self, items: list[ServerConversation]) -> None:
        if not items:
            return
        if not self._runs.import_for(self.profile, items):
            self._refused()
            return
        self.progress.setRange(0, len(items) if len(items) > 1 else 0)
        self.progress.setValue(0)
        self._set_state("importing", self.tr("Importing…"))

    def _refused(self) -> None:
        if self._runs.running:
            self._show_status(self.tr("Another import or sync is running; wait for it or stop it."))
        else:
            self._show_status(self.tr("This profile has no token: add one in Bot profiles."))

    # -- the runner's answers -----------------------------------------------------------------

    def _on_listed(self, event: ConversationsListed) -> None:
        if event.profile_id != self.profile.id or self._state != "listing":
            return
        if event.error is not None:
            self._set_state("idle", self.tr("Could not read the conversations: {error}").format(
                error=event.error.describe(self._lang())))  # fmt: skip
            return
        self._items = event.items
        self._fill()
        if self._outcome:
            text, self._outcome = self._outcome, ""
        elif not event.items:
            text = self.tr("Coze has no conversations of this bot made through the API.")
        else:
            here = sum(1 for item in event.items if item.local)
            text = self.tr("{count} conversations on Coze, {here} already here.").format(
                count=len(event.items), here=here)  # fmt: skip
        self._set_state("idle", text)

    def _on_progress(self, event: ImportProgressed) -> None:
        if event.profile_id != self.profile.id or self._state != "importing":
            return
        p = event.progress
        if p.count > 1:
            self.progress.setValue(p.index - 1)
            text = self.tr("Conversation {index} of {count}: {added} messages imported…")
            self._show_status(text.format(index=p.index, count=p.count, added=p.added))
        else:
            self._show_status(self.tr("{added} messages imported…").format(added=p.added))

    def _on_finished(self, event: ImportDone) -> None:
        if event.profile_id != self.profile.id or self._state != "importing":
            return
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if event.error is None and not event.stopped else 0)
        if event.error is not None:
            text = self.tr("The import stopped part-way: {error}\nThe {added} messages imported "
                           "are kept; import again to bring the rest.").format(
                error=event.error.describe(self._lang()), added=event.added)  # fmt: skip
        elif event.stopped:
            text = self.tr("Stopped. The {added} messages imported are kept.").format(
                added=event.added)  # fmt: skip
        else:
            text = self.tr("Imported {added} new messages.").format(added=event.added)
        self.imported.emit(event)
        if self._runs.list_for(self.profile):  # the marks of what is here now
            self._outcome = text
            self._set_state("listing", text)
        else:
            self._set_state("idle", text)

    # -- showing ------------------------------------------------------------------------------

    def _fill(self) -> None:
        self.table.clear()
        for item in self._items:
            row = QTreeWidgetItem(self.table)
            row.setData(0, ID_ROLE, item.id)
            self._fill_row(row, item)

    def _fill_row(self, row: QTreeWidgetItem, item: ServerConversation) -> None:
        row.setText(0, item.title or self.tr("(untitled)"))
        row.setToolTip(0, self.tr("Conversation {id}").format(id=item.id))
        when = (
            time.strftime("%Y-%m-%d %H:%M", time.localtime(item.created_at))
            if item.created_at
            else "–"
        )
        row.setText(1, when)
        row.setText(2, self.tr("✓ here") if item.local else self.tr("on Coze only"))
        row.setData(2, ID_ROLE, item.session_id or 0)

    def _selected_rows(self) -> list[int]:
        return sorted(self.table.indexOfTopLevelItem(row) for row in self.table.selectedItems())

    def _double_clicked(self, row: QTreeWidgetItem, _column: int) -> None:
        session_id = int(row.data(2, ID_ROLE) or 0)
        if session_id:
            self.open_session_requested.emit(session_id)

    def _set_state(self, state: str, text: str) -> None:
        self._state = state
        if state == "listing":
            self.progress.setRange(0, 0)
        self.progress.setVisible(state != "idle")  # shown while something runs
        self._show_status(text)
        self._update_buttons()

    def _show_status(self, text: str) -> None:
        self.status.setText(text)

    def _update_buttons(self) -> None:
        idle = self._state == "idle"
        self.refresh_button.setEnabled(idle)
        self.import_button.setEnabled(idle and bool(self.table.selectedItems()))
        self.import_all_button.setEnabled(idle and bool(self._items))
        self.stop_button.setEnabled(self._state == "importing")

    def _lang(self) -> str:
        return "zh" if self._language().startswith("zh") else "en"

    def retranslate(self) -> None:
        name = self.profile.name
        self.setWindowTitle(self.tr("Conversations on Coze — {name}").format(name=name))
        self.header.setText(self.tr("<b>Conversations of “{name}” on the Coze server</b>").format(
            name=name))  # fmt: skip
        self.hint.setText(self.tr(
            "Coze keeps what was sent with “Save the conversation on the Coze side” on, from any "
            "computer or client using this bot through the API. Importing again brings new "
            "messages only."))  # fmt: skip
        self.table.setHeaderLabels(
            [self.tr("Title"), self.tr("Created"), self.tr("On this computer")]
        )
        self.refresh_button.setText(self.tr("Refresh"))
        self.import_button.setText(self.tr("Import"))
        self.import_all_button.setText(self.tr("Import all"))
        self.stop_button.setText(self.tr("Stop"))
        for index, item in enumerate(self._items):
            row = self.table.topLevelItem(index)
            if row is not None:
                self._fill_row(row, item)
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

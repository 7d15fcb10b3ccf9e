"""Bot profiles dialog: list, add, duplicate, delete, edit, test, import and export.

Tokens typed here go to the secret store only; the database and exported files never see them.
All sub-dialogs (confirm, file pickers) are opened with ``open()``, never ``exec()``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.profile_io import ProfileFileError, export_profiles, read_profiles, unique_name
from desktop.secrets import SecretStore, SecretStoreError
from desktop.storage.errors import StorageError
from desktop.storage.models import Profile
from desktop.ui.doctor.panel import DoctorPanel
from desktop.ui.kit import folders
from desktop.ui.kit.chrome import Banner, keyring_banner_text
from desktop.ui.kit.scroll import WholeScroll
from desktop.ui.kit.widgets import screen_fit
from desktop.ui.profiles.form import ProfileForm, default_user_id

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.storage.db import Database
    from desktop.ui.kit.ports import DoctorCheck, DoctorFinished, DoctorRuns

ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class ProfilesChanged:
    """Profiles were saved, added or deleted; ``profile_id`` is the one to select ("" = any)."""

    profile_id: str


class ProfileDialog(QDialog):
    """Manage bot profiles.

    Signals:
        profiles_changed(ProfilesChanged)
    """

    profiles_changed = Signal(ProfilesChanged)

    def __init__(self, db: Database, secrets: SecretStore, doctor: DoctorRuns,
                 language: Callable[[], str], parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self._db = db
        self._secrets = secrets
        self._doctor = doctor
        self._run_id = 0
        self._dirty = False
        self._typed = False  # the user typed into the form (a new profile is dirty from the start)
        self._current: Profile | None = None
        self._file_dialog: QFileDialog | None = None
        self._confirm: QMessageBox | None = None
        self._create_widgets(language)
        self._build()
        self._connect_signals()
        self.retranslate()
        self._reload("")

    def _create_widgets(self, language: Callable[[], str]) -> None:
        self.banner = Banner("dialogKeyringBanner", self)
        self.banner.setVisible(not self._secrets.persistent)
        self.list = QListWidget(self)
        self.list.setObjectName("profileList")
        self.add_button = _button(self, "addProfileButton")
        self.duplicate_button = _button(self, "duplicateProfileButton")
        self.delete_button = _button(self, "deleteProfileButton")
        self.import_button = _button(self, "importProfilesButton")
        self.export_button = _button(self, "exportProfilesButton")
        self.form = ProfileForm(self)
        self.form.set_persistent_tokens(self._secrets.persistent)
        self.doctor_panel = DoctorPanel(language, self)
        self.message = QLabel(self)
        self.message.setObjectName("profileMessage")
        self.message.setWordWrap(True)
        self.save_button = _button(self, "saveProfileButton")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)

    def _build(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        for buttons in ((self.add_button, self.duplicate_button, self.delete_button),
                        (self.import_button, self.export_button)):  # fmt: skip
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            left_layout.addLayout(row)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(WholeScroll(self.form, right))
        right_layout.addWidget(self.doctor_panel, 1)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([230, 620])
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.resize(*screen_fit(980, max(780, self.sizeHint().height())))

    def _connect_signals(self) -> None:
        self.list.currentItemChanged.connect(self._on_selection)
        self.add_button.clicked.connect(self.add_profile)
        self.duplicate_button.clicked.connect(self.duplicate_profile)
        self.delete_button.clicked.connect(self._confirm_delete)
        self.import_button.clicked.connect(self._pick_import)
        self.export_button.clicked.connect(self._pick_export)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self._close)
        self.form.edited.connect(self._on_edited)
        self.doctor_panel.test_requested.connect(self.run_test)
        self._doctor.check_done.connect(self._on_check)
        self._doctor.finished.connect(self._on_doctor_finished)

    # -- list -------------------------------------------------------------------------------

    def select_profile(self, profile_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == profile_id:
                self.list.setCurrentRow(row)
                return

    def _reload(self, select_id: str) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for profile in self._db.profiles.list():
            item = QListWidgetItem(profile.name)
            item.setData(ID_ROLE, profile.id)
            self.list.addItem(item)
        if select_id:
            self.select_profile(select_id)
        if self.list.count() and self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)  # the selection is shown once, below
        if self.list.count():
            self._on_selection(self.list.currentItem(), None)
        else:
            self.add_profile()

    def _on_selection(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None and self._new_draft_typed():
            self._ask_about_new_draft(str(item.data(ID_ROLE)))
            return
        if not self._keep_edits() or item is None:
            return
        profile = self._db.profiles.get(str(item.data(ID_ROLE)))
        if profile is not None:
            self._show(profile)

    def _new_draft_typed(self) -> bool:
        """A new, unsaved profile the user has typed into (its token, say)."""
        return self._current is None and self._dirty and self._typed

    def _ask_about_new_draft(self, wanted_id: str) -> None:
        """Leaving a typed-in new profile: save it when it is complete, else ask (never lose it
        silently). The list goes back to the draft until the user decides."""
        if not self.form.problems():
            if self.save(quiet=True):
                self.select_profile(wanted_id)
            return
        self._select_none()
        problems = " ".join(self.form.problems())
        text = self.tr("The new profile “{name}” is not saved yet: {problems}").format(
            name=self.form.draft().name, problems=problems
        )
        buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Unsaved profile"), text, buttons, self
        )
        box.setObjectName("unsavedProfile")
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Keep editing"))
        box.finished.connect(lambda result: self._new_draft_answered(result, wanted_id))
        self._confirm = box
        box.open()

    def _new_draft_answered(self, result: int, wanted_id: str) -> None:
        if result == QMessageBox.StandardButton.Discard:
            self._typed = self._dirty = False
            self.select_profile(wanted_id)
        else:
            self.form.mark_problems()

    def _select_none(self) -> None:
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)

    def _show(self, profile: Profile) -> None:
        self._current = profile
        self.form.load(profile, bool(self._saved_token(profile.id)))
        self.doctor_panel.clear()
        self._dirty = self._typed = False
        self._set_message("")
        self._update_buttons()

    def _saved_token(self, profile_id: str) -> str:
        try:
            return self._secrets.get(profile_id) or ""
        except SecretStoreError:
            return ""

    # -- add / duplicate / delete ------------------------------------------------------------

    def add_profile(self) -> None:
        """Start a new, unsaved profile in the form."""
        name = unique_name(self.tr("My Coze bot"), self._names())
        self._current = None
        self._select_none()
        self.form.load(Profile(name=name, user_id=default_user_id()), False)
        self.doctor_panel.clear()
        self._dirty, self._typed = True, False
        self._update_buttons()
        self.form.name.setFocus()
        self.form.name.selectAll()

    def duplicate_profile(self) -> None:
        if self._current is None:
            return
        source = self._current
        name = unique_name(source.name, self._names())
        copy = dataclasses.replace(source, id=Profile().id, name=name)
        token = self.form.new_token() or self._saved_token(source.id)
        stored = self._db.profiles.add(copy)
        if token:
            self._store_token(stored.id, token)
        self._after_change(stored.id)

    def _confirm_delete(self) -> None:
        if self._current is None:  # the button is disabled then
            return
        count = len(self._db.sessions.list(profile_id=self._current.id))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete profile"),
                          self.tr("Delete “{name}” and its {count} chat(s)? This cannot be undone.")
                          .format(name=self._current.name, count=count),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)  # fmt: skip
        box.setObjectName("confirmDeleteProfile")
        box.finished.connect(lambda result: self._delete_confirmed(result))
        self._confirm = box
        box.open()

    def _delete_confirmed(self, result: int) -> None:
        if result == QMessageBox.StandardButton.Yes and self._current is not None:
            self.delete_current()

    def delete_current(self) -> None:
        """Delete the selected profile, its chats and its token (no confirmation)."""
        if self._current is None:
            return
        profile_id = self._current.id
        self._db.profiles.delete(profile_id)
        try:
            self._secrets.delete(profile_id)
        except SecretStoreError as exc:
            self._set_message(str(exc), error=True)
        self._current = None
        self._dirty = False
        self._after_change("")

    # -- save -------------------------------------------------------------------------------

    def save(self, quiet: bool = False) -> bool:
        """Save the form (profile to the database, token to the secret store)."""
        problems = self.form.problems()
        self.form.mark_problems()
        if problems:
            self._set_message(" ".join(problems), error=True)
            return False
        draft = self.form.draft()
        try:
            stored = self._write(draft)
        except (StorageError, ValueError) as exc:
            self._set_message(str(exc), error=True)
            return False
        token = self.form.new_token()
        if token and not self._store_token(stored.id, token):
            return False
        self._dirty = False
        self._current = stored
        if not quiet:
            self._after_change(stored.id)
            self._set_message(self.tr("Saved."))
        else:
            self.profiles_changed.emit(ProfilesChanged(stored.id))
        return True

    def _write(self, draft: Profile) -> Profile:
        exists = self._db.profiles.get(draft.id) is not None
        return self._db.profiles.update(draft) if exists else self._db.profiles.add(draft)

    def _store_token(self, profile_id: str, token: str) -> bool:
        try:
            self._secrets.set(profile_id, token)
        except (SecretStoreError, ValueError) as exc:
            self._set_message(str(exc), error=True)
            return False
        self.form.set_has_token(True)
        return True

    def _after_change(self, select_id: str) -> None:
        self._reload(select_id)
        self.profiles_changed.emit(ProfilesChanged(select_id))

    def _on_edited(self, _payload: object) -> None:
        self._dirty = self._typed = True
        self._set_message("")
        self.doctor_panel.mark_stale()

    # -- doctor -----------------------------------------------------------------------------

    def run_test(self, _intent: object = None) -> None:
        """Run the doctor on the profile as edited (with the typed token, else the saved one)."""
        draft = self.form.draft()
        token = self.form.new_token() or self._saved_token(draft.id)
        self.doctor_panel.start()
        self._run_id = self._doctor.run(draft, token)

    def _on_check(self, check: DoctorCheck) -> None:
        if check.run_id == self._run_id:
            self.doctor_panel.add(check.result)

    def _on_doctor_finished(self, done: DoctorFinished) -> None:
        if done.run_id == self._run_id:
            self.doctor_panel.finish()

    # -- import / export ------------------------------------------------------------------------

    def _pick_import(self) -> None:
        dialog = self._file_picker(QFileDialog.AcceptMode.AcceptOpen, self.tr("Import profiles"))
        dialog.fileSelected.connect(lambda path: self.import_from(Path(path)))
        dialog.open()

    def _pick_export(self) -> None:
        dialog = self._file_picker(QFileDialog.AcceptMode.AcceptSave, self.tr("Export profiles"))
        dialog.selectFile("coze-profiles.json")
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()

    def _file_picker(self, mode: QFileDialog.AcceptMode, title: str) -> QFileDialog:
        dialog = QFileDialog(self, title)
        dialog.setAcceptMode(mode)
        dialog.setNameFilter(self.tr("Profile files (*.json)"))
        dialog.setDefaultSuffix("json")
        folders.prepare(dialog)
        self._file_dialog = dialog
        return dialog

    def import_from(self, path: Path) -> int:
        """Add the profiles of an export file (renamed when a name is taken); tokens not included."""
        try:
            profiles = read_profiles(path)
        except ProfileFileError as exc:
            self._set_message(self.tr("Import failed: {error}").format(error=exc), error=True)
            return 0
        last, names = "", self._names()
        for profile in profiles:
            profile.name = unique_name(profile.name, names)
            names.append(profile.name)
            profile.user_id = profile.user_id or default_user_id()
            last = self._db.profiles.add(profile).id
        self._after_change(last)
        self._set_message(self.tr("Imported {n} profile(s). Add their tokens before chatting.")
                          .format(n=len(profiles)))  # fmt: skip
        return len(profiles)

    def export_to(self, path: Path) -> int:
        """Write every profile (without tokens) to ``path``."""
        try:
            count = export_profiles(path, self._db.profiles.list())
        except OSError as exc:
            self._set_message(self.tr("Export failed: {error}").format(error=exc), error=True)
            return 0
        self._set_message(self.tr("Exported {n} profile(s) to {file} (tokens are not included).")
                          .format(n=count, file=path.name))  # fmt: skip
        return count

    # -- misc -------------------------------------------------------------------------------

    def _names(self) -> list[str]:
        return [p.name for p in self._db.profiles.list()]

    def _update_buttons(self) -> None:
        for button in (self.duplicate_button, self.delete_button):
            button.setEnabled(self._current is not None)

    def _set_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #d93025;" if error else "")

    def _keep_edits(self) -> bool:
        """Save the edits of a stored profile before leaving it; False when that failed."""
        return not (self._dirty and self._current is not None) or self.save(quiet=True)

    def _close(self) -> None:
        if self._keep_edits():
            self.reject()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Bot profiles"))
        self.banner.set_text(keyring_banner_text())
        self.add_button.setText(self.tr("Add"))
        self.duplicate_button.setText(self.tr("Duplicate"))
        self.delete_button.setText(self.tr("Delete…"))
        self.import_button.setText(self.tr("Import…"))
        self.export_button.setText(self.tr("Export…"))
        self.save_button.setText(self.tr("Save"))
        self.export_button.setToolTip(self.tr("Save all profiles to a JSON file (without tokens)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _button(parent: QWidget, name: str) -> QPushButton:
    button = QPushButton(parent)
    button.setObjectName(name)
    return button

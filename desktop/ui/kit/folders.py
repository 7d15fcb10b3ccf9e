"""One folder for every file dialog: where the last file was chosen (exports, imports).

Every ``QFileDialog`` of the app (export a chat, export the network log, import or export bot
profiles) starts in the folder of the file last picked in any of them, remembered across
restarts in the window's state file; before the first pick, in Documents (else the home
folder), never in the app's working directory. ``desktop.ui.window`` calls ``configure`` with
the state file; without it (tests) the folder is remembered for the process only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog

_KEY = "files/last_folder"
_state: dict[str, Path | None] = {"state_path": None, "folder": None}


def configure(state_path: Path | None) -> None:
    """Remember the folder in the ini file at ``state_path`` (the window's state)."""
    _state["state_path"], _state["folder"] = state_path, None


def start_folder() -> Path:
    """The last folder a file was picked in, else Documents, else home."""
    folder = _state["folder"] or _saved()
    if folder is not None and folder.is_dir():
        return folder
    from PySide6.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def remember(path: Path) -> None:
    """A file was picked at ``path``: its folder is where the next dialog starts."""
    folder = path if path.is_dir() else path.parent
    _state["folder"] = folder
    state_path = _state["state_path"]
    if state_path is not None:
        settings = _settings(state_path)
        settings.setValue(_KEY, str(folder))
        settings.sync()


def prepare(dialog: QFileDialog) -> QFileDialog:
    """Start ``dialog`` in ``start_folder`` and remember where its file is picked."""
    dialog.setDirectory(str(start_folder()))
    dialog.fileSelected.connect(lambda chosen: remember(Path(chosen)))
    return dialog


def _saved() -> Path | None:
    state_path = _state["state_path"]
    if state_path is None:
        return None
    value = _settings(state_path).value(_KEY)
    return Path(str(value)) if value else None


def _settings(state_path: Path) -> QSettings:
    from PySide6.QtCore import QSettings

    return QSettings(str(state_path), QSettings.Format.IniFormat)

"""Compare-flow slots of the main window: new comparison, ask every column, stop, open, export.

A comparison asks the same question of 2-4 bots: each column is a normal session (its own Coze
conversation), the comparison a row linking them (``db.comparisons``). The controller runs the
columns' turns concurrently (``ChatController.send_many``); this flow shows each turn's
snapshots in its column, as ``ChatFlow`` does for the open chat. The compare page is made the
first time a comparison is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop.settings import atomic_write_text
from desktop.storage.errors import StorageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.storage.comparisons import Comparison
    from desktop.ui.bridge.controller import (
        ConnectionState,
        SendOutcome,
        TurnFinished,
        TurnStarted,
        TurnUpdated,
    )
    from desktop.ui.compare.view import CompareView
    from desktop.ui.kit.intents import SendIntent
    from desktop.ui.window.host import WindowHost

HISTORY_PAGE = 50


class CompareFlow(QObject):
    """Owns the comparison page of one main window."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host.window())
        self.w = host
        self._view: CompareView | None = None
        self.comparison: Comparison | None = None  # the one shown

    @property
    def view(self) -> CompareView:
        """The compare page, made on first use."""
        if self._view is None:
            from desktop.ui.compare.view import CompareView

            view = CompareView(self.w.pages)
            self.w.pages.addWidget(view)
            view.send_requested.connect(self.send)
            view.stop_requested.connect(self.stop)
            view.stop_all_requested.connect(self.stop_all)
            view.open_requested.connect(self.open_column)
            view.export_requested.connect(self.export)
            view.sidebar_requested.connect(self.w.show_sidebar)
            view.offer_sidebar(self.w.sidebar.isHidden())  # hidden: ☰ brings it back
            self._view = view
        return self._view

    def offer_sidebar(self, offer: bool) -> None:
        """The sidebar was hidden (or shown again): the page offers ☰ to bring it back."""
        if self._view is not None:
            self._view.offer_sidebar(offer)

    def busy(self) -> bool:
        """A column of the comparison shown is answering."""
        return self.showing and any(column.busy for column in self.view.columns)

    @property
    def showing(self) -> bool:
        return self._view is not None and self.w.pages.currentWidget() is self._view

    # -- making and opening ---------------------------------------------------------------------

    def pick(self) -> None:
        """New comparison…: the picker dialog, then the comparison of the ticked bots."""
        from desktop.ui.compare.picker import ComparePicker

        profiles = self.w.profiles()
        if len(profiles) < 2:
            self.w.statusBar().showMessage(
                self.tr("A comparison needs at least two bot profiles (Bots → Bot profiles…)."),
                6000,
            )
            return
        preselected = [p.id for p in profiles[:2]]
        dialog = ComparePicker([(p.id, p.name) for p in profiles], preselected, self.w.window())
        dialog.accepted.connect(lambda: self.start(dialog.chosen()))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def start(self, profile_ids: Sequence[str]) -> Comparison | None:
        """Make a comparison of these profiles (one new session each) and show it."""
        try:
            session_ids = [self.w.db.sessions.create(pid).id for pid in profile_ids]
            comparison = self.w.db.comparisons.create(session_ids)
        except (StorageError, ValueError) as exc:
            self.w.statusBar().showMessage(
                self.tr("Could not make the comparison: {error}").format(error=exc), 8000
            )
            return None
        self.w.refresh_sessions()
        self.refresh_list()
        self.open(comparison.id)
        return comparison

    def open(self, comparison_id: int) -> bool:
        """Show a saved comparison: each column's last messages and streaming state."""
        from desktop.core.compare import column_names, title_for

        comparison = self.w.db.comparisons.get(comparison_id)
        if comparison is None or not comparison.session_ids:
            return False
        self.w.save_draft()
        self.comparison = comparison
        view = self.view
        names = column_names(self.w.db, comparison)
        view.set_columns(title_for(self.w.db, comparison), list(zip(comparison.session_ids, names,
                                                                   strict=True)))  # fmt: skip
        backend = self.w.services.backend
        for session_id in comparison.session_ids:
            view.set_history(session_id, self.w.db.messages.list(session_id, limit=HISTORY_PAGE))
            busy = backend is not None and backend.controller.is_busy(session_id)
            view.set_busy(session_id, busy)
        self.w.pages.setCurrentWidget(view)
        self.w.sidebar.select_comparison(comparison.id)
        view.composer.focus_input()
        return True

    def close(self) -> None:
        """Back to the chat page (a chat was opened, or the comparison was deleted)."""
        self.comparison = None
        self.w.sidebar.select_comparison(None)

    def refresh_list(self) -> None:
        saved = self.w.db.comparisons.list()
        rows = []
        if saved:  # first-frame rule 1: the titles' module only when there is one to title
            from desktop.core.compare import title_for

            rows = [(c.id, title_for(self.w.db, c)) for c in saved]
        current = self.comparison.id if self.comparison is not None and self.showing else None
        self.w.sidebar.set_comparisons(rows, current)

    def open_column(self, session_id: int) -> None:
        """Open a column's session as a normal chat (its conversation goes on there)."""
        self.close()
        self.w.show_chat_page()
        self.w.open_session(session_id)
        self.w.focus_chat()

    # -- asking and stopping ----------------------------------------------------------------------

    def send(self, intent: SendIntent) -> dict[int, SendOutcome]:
        """Ask every column (each in its own conversation)."""
        comparison = self.comparison
        if comparison is None or not self.w.services.attached:
            return {}
        outcomes = self.w.controller.send_many(comparison.session_ids, intent.text)
        if any(outcome == "started" for outcome in outcomes.values()):
            self.view.composer.clear()
            self.w.db.comparisons.touch(comparison.id)
        self._report(outcomes)
        return outcomes

    def _report(self, outcomes: dict[int, SendOutcome]) -> None:
        names = dict(zip(self.view.session_ids(), [c.name for c in self.view.columns],
                         strict=True))  # fmt: skip
        for session_id, outcome in outcomes.items():
            column = self.view.column(session_id)
            if column is None or outcome == "started":
                continue
            name = names.get(session_id, "")
            if outcome == "busy":
                text = self.tr("{name} is still answering: stop it before asking again.")
            elif outcome == "no_token":
                text = self.tr(
                    "No token is saved for “{name}”. Open Bots → Bot profiles… to add one."
                )
            elif outcome == "unlinked":
                text = self.tr("{name}: not sent yet, its chat lost its conversation.")
            else:
                text = self.tr("{name}: this chat's bot profile no longer exists.")
            column.view.add_notice("warning", text.format(name=name))

    def stop(self, session_id: int) -> None:
        self.w.controller.stop(session_id)

    def stop_all(self) -> None:
        if self.comparison is not None:
            self.w.controller.stop_many(self.comparison.session_ids)

    # -- export -----------------------------------------------------------------------------------

    def export(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        comparison = self.comparison
        if comparison is None:
            return
        dialog = QFileDialog(self.w.window(), self.tr("Export comparison"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Markdown (*.md)"))
        dialog.setDefaultSuffix("md")
        dialog.setDirectory(str(self.w.export_dir()))
        dialog.selectFile(f"comparison-{comparison.id}.md")
        dialog.fileSelected.connect(lambda path: self.write_export(comparison.id, Path(path)))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def write_export(self, comparison_id: int, path: Path) -> bool:
        from desktop.core.compare import to_markdown

        comparison = self.w.db.comparisons.get(comparison_id)
        if comparison is None:
            return False
        try:
            atomic_write_text(path, to_markdown(self.w.db, comparison))
        except (OSError, StorageError) as exc:
            self.w.statusBar().showMessage(
                self.tr("Export failed: {error}").format(error=exc), 8000
            )
            return False
        self.w.statusBar().showMessage(self.tr("Exported to {path}").format(path=path), 5000)
        return True

    # -- controller signals -----------------------------------------------------------------------

    def _shown(self, session_id: int) -> bool:
        return self.comparison is not None and session_id in self.comparison.session_ids

    def turn_started(self, event: TurnStarted) -> None:
        if self._shown(event.session_id):
            self.view.upsert(event.session_id, event.question)
            self.view.upsert(event.session_id, event.answer)

    def turn_updated(self, event: TurnUpdated) -> None:
        if self._shown(event.session_id):
            self.view.upsert(event.session_id, event.message)

    def turn_finished(self, event: TurnFinished) -> None:
        if self._shown(event.session_id):
            self.view.upsert(event.session_id, event.message)
            self.view.set_busy(event.session_id, False)
            self.refresh_list()  # the first question names the comparison
            if self.comparison is not None:
                from desktop.core.compare import title_for

                self.view.set_title(title_for(self.w.db, self.comparison))

    def state_changed(self, event: ConnectionState) -> None:
        if self._shown(event.session_id):
            busy = self.w.controller.is_busy(event.session_id)
            self.view.set_busy(event.session_id, busy)
            self.w.update_chrome()

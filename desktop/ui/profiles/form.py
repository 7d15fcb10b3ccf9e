"""The editor for one bot profile: connection, identity, token, options, custom variables.

The token field is write-only: it never shows a stored token, only whether one is saved.
Pasted tokens are trimmed, a leading "Bearer " is dropped, and a shape that does not look like
a Coze token gets a visible warning (it is still accepted: OAuth tokens look different).
"""

from __future__ import annotations

import dataclasses
import json
import math
import uuid
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.api.models import base_url_problem
from desktop.storage.models import REGION_BASE_URLS, Profile
from desktop.ui.kit.widgets import refill_combo, select_value


def default_user_id() -> str:
    """A stable per-profile user id for Coze (it scopes conversations to "this user")."""
    return "coze-desktop-" + uuid.uuid4().hex[:12]


def clean_token_input(text: str) -> tuple[str, list[str]]:
    """(token, notes): trims whitespace and a "Bearer " prefix, explaining what it did."""
    notes: list[str] = []
    token = text.strip()
    if token != text and token:
        notes.append("trimmed")
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
        notes.append("bearer")
    if token and any(ch.isspace() for ch in token):
        notes.append("spaces")
    elif token and not token.startswith(("pat_", "sat_")):
        notes.append("shape")
    return token, notes


class ProfileForm(QWidget):
    """Edits a ``Profile`` draft plus a new token.

    Signals:
        edited(object): emitted with None whenever any field changes (dirty tracking).
    """

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileForm")
        self._profile = Profile()
        self._has_token = False
        self._loading = False
        self._persistent_tokens = True
        self._create_widgets()
        self._build()
        self._connect_signals()
        self.retranslate()

    def _create_widgets(self) -> None:
        self.name = _line(self, "profileName")
        self.region = QComboBox(self)
        self.region.setObjectName("regionCombo")
        self.base_url = _line(self, "baseUrlEdit")
        self.bot_id = _line(self, "botIdEdit")
        self.user_id = _line(self, "userIdEdit")
        self.workflow_id = _line(self, "workflowIdEdit")
        self.app_id = _line(self, "appIdEdit")
        self.parameters = QPlainTextEdit(self)
        self.parameters.setObjectName("parametersEdit")
        self.parameters.setTabChangesFocus(True)
        self.parameters.setMaximumHeight(80)
        self.parameters_label = QLabel(self)
        self.local_tools = QPlainTextEdit(self)
        self.local_tools.setObjectName("localToolsEdit")
        self.local_tools.setTabChangesFocus(True)
        self.local_tools.setMaximumHeight(80)
        self.local_tools_label = QLabel(self)
        self.auto_local_tools = QCheckBox(self)
        self.auto_local_tools.setObjectName("autoLocalToolsCheck")
        self.token = _line(self, "tokenEdit")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_token = QAction(self)
        self.show_token.setCheckable(True)
        self.token.addAction(self.show_token, QLineEdit.ActionPosition.TrailingPosition)
        self.bot_hint = _link_label(self, "botIdHint")
        self.token_hint = _link_label(self, "tokenHint")
        self.token_note = _NoteLabel(self)
        self.token_note.setObjectName("tokenWarning")
        self.token_note.setWordWrap(True)
        self.stream = QCheckBox(self)
        self.stream.setObjectName("streamCheck")
        self.auto_save = QCheckBox(self)
        self.auto_save.setObjectName("autoSaveCheck")
        self.variables = QTableWidget(0, 2, self)
        self.variables.setObjectName("variablesTable")
        self.add_var = QPushButton(self)
        self.remove_var = QPushButton(self)

    def _build(self) -> None:
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels = [QLabel(self) for _ in range(8)]
        fields = (self.name, self.region, self.base_url, self.bot_id, self.workflow_id,
                  self.app_id, self.user_id, self.token)  # fmt: skip
        for label, widget in zip(self.labels, fields, strict=True):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
            if widget is self.bot_id:
                self.form.addRow("", self.bot_hint)
            elif widget is self.token:
                self.form.addRow("", self.token_hint)
        self.form.addRow("", self.token_note)
        self.form.addRow("", self.stream)
        self.form.addRow("", self.auto_save)
        self.variables.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.variables.verticalHeader().hide()
        rows = self.variables.verticalHeader().defaultSectionSize()
        header = self.variables.horizontalHeader().sizeHint().height()
        self.variables.setFixedHeight(header + 2 * rows + 4)  # two rows in sight; more scroll
        var_buttons = QHBoxLayout()
        var_buttons.addWidget(self.add_var)
        var_buttons.addWidget(self.remove_var)
        var_buttons.addStretch(1)
        self.vars_label = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.vars_label)
        layout.addWidget(self.variables)
        layout.addLayout(var_buttons)
        layout.addWidget(self.parameters_label)
        layout.addWidget(self.parameters)
        layout.addWidget(self.local_tools_label)
        layout.addWidget(self.local_tools)
        layout.addWidget(self.auto_local_tools)
        layout.addStretch(1)  # in its scroll area: any height to spare goes below, not between rows
        self.token_note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def _connect_signals(self) -> None:
        for line in (self.name, self.base_url, self.bot_id, self.user_id, self.workflow_id,
                     self.app_id):  # fmt: skip
            line.textEdited.connect(self._changed)
        self.parameters.textChanged.connect(self._changed)
        self.local_tools.textChanged.connect(self._changed)
        self.auto_local_tools.toggled.connect(self._changed)
        self.token.textEdited.connect(self._token_edited)
        self.region.currentIndexChanged.connect(self._region_changed)
        self.stream.toggled.connect(self._changed)
        self.auto_save.toggled.connect(self._changed)
        self.variables.itemChanged.connect(self._changed)
        self.add_var.clicked.connect(self._add_variable)
        self.remove_var.clicked.connect(self._remove_variable)
        self.show_token.toggled.connect(self._toggle_token_visible)

    # -- public API -------------------------------------------------------------------------

    def load(self, profile: Profile, has_token: bool) -> None:
        """Show ``profile``; ``has_token`` says whether a token is already saved for it."""
        self._loading = True
        self._profile = profile
        self._has_token = has_token
        self.name.setText(profile.name)
        select_value(self.region, profile.region)
        self.base_url.setText(profile.base_url)
        self.bot_id.setText(profile.bot_id)
        self.workflow_id.setText(profile.workflow_id)
        self.local_tools.setPlainText(_json_text(profile.local_tools))
        self.auto_local_tools.setChecked(profile.auto_local_tools)
        self.app_id.setText(profile.app_id)
        self.parameters.setPlainText(_json_text(profile.parameters))
        self.user_id.setText(profile.user_id or default_user_id())
        self.token.clear()
        self.stream.setChecked(profile.stream)
        self.auto_save.setChecked(profile.auto_save_history)
        self._load_variables(profile.custom_variables)
        self._loading = False
        self._region_changed()
        self._update_token_ui()

    def draft(self) -> Profile:
        """The profile as edited (same id as the loaded one)."""
        return dataclasses.replace(
            self._profile,
            name=self.name.text().strip(),
            region=self.region.currentData(),
            base_url=self.base_url.text().strip().rstrip("/"),
            bot_id=self.bot_id.text().strip(),
            user_id=self.user_id.text().strip() or default_user_id(),
            stream=self.stream.isChecked(),
            auto_save_history=self.auto_save.isChecked(),
            custom_variables=self.variables_dict(),
            workflow_id=self.workflow_id.text().strip(),
            app_id=self.app_id.text().strip(),
            parameters=self.parameters_dict() or {},
            local_tools=self.local_tools_dict() or {},
            auto_local_tools=self.auto_local_tools.isChecked(),
        )

    def new_token(self) -> str:
        """The cleaned token typed in this form ("" = keep the saved one)."""
        return clean_token_input(self.token.text())[0]

    def variables_dict(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for row in range(self.variables.rowCount()):
            key = _cell(self.variables, row, 0).strip()
            if key:
                result[key] = _cell(self.variables, row, 1)
        return result

    def parameters_dict(self) -> dict[str, Any] | None:
        """The chatflow parameters typed (empty: ``{}``); None when they are not a JSON object."""
        return _json_object(self.parameters.toPlainText())

    def local_tools_dict(self) -> dict[str, str] | None:
        """Tool name -> fixed result (empty: ``{}``); None unless a JSON object of strings."""
        value = _json_object(self.local_tools.toPlainText())
        if value is None or not all(isinstance(v, str) for v in value.values()):
            return None
        return {str(k): v for k, v in value.items()}

    def problems(self) -> list[str]:
        """What must be fixed before saving (translated, empty when valid)."""
        return [message for _field, bad, message in self._checks() if bad]

    def _checks(self) -> list[tuple[QWidget | None, bool, str]]:
        """Every rule of the form: (the field it is about, broken?, what to do), in the order
        the messages are shown; :meth:`problems` and :meth:`mark_problems` both read it."""
        draft = self.draft()
        chatflow_without_app = bool(draft.workflow_id) and not (draft.app_id or draft.bot_id)
        local_tools = self.tr(
            'Local tools must be a JSON object of texts, e.g. {"get_local_time": "10:30"}.'
        )
        parameters = self.tr(
            'The chatflow parameters must be a JSON object, e.g. {"city": "北京"}.'
        )
        base_url = self.tr("Enter the base URL of your Coze Studio server (http://… or https://…).")
        url_problem = base_url_problem(draft.base_url) if draft.region == "custom" else ""
        return [
            (self.name, not draft.name, self.tr("Give the profile a name.")),
            (self.app_id, chatflow_without_app,
             self.tr("A chatflow needs its app id (or the bot id it runs in).")),
            (self.bot_id, not chatflow_without_app and not draft.bot_id and not draft.workflow_id,
             self.tr("Enter the bot id (the number in the bot's URL).")),
            (None, self.local_tools_dict() is None, local_tools),
            (None, self.parameters_dict() is None, parameters),
            (self.base_url, url_problem in ("no_scheme", "no_host"), base_url),
            (self.base_url, url_problem == "credentials",
             self.tr("The base URL must not contain a user name or password: the profile signs "
                     "in with its access token, kept in the system keyring.")),
            (self.base_url, url_problem == "bad_port",
             self.tr("The base URL's port must be a number from 1 to 65535.")),
        ]  # fmt: skip

    def set_persistent_tokens(self, persistent: bool) -> None:
        self._persistent_tokens = persistent
        self._update_token_ui()

    def set_has_token(self, has_token: bool) -> None:
        self._has_token = has_token
        self.token.clear()
        self._update_token_ui()

    # -- translation ------------------------------------------------------------------------

    def retranslate(self) -> None:
        texts = (self.tr("&Name:"), self.tr("&Region:"), self.tr("Base &URL:"), self.tr("&Bot ID:"),
                 self.tr("&Workflow ID:"), self.tr("&App ID:"), self.tr("U&ser ID:"),
                 self.tr("&Token:"))  # fmt: skip
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        refill_combo(
            self.region,
            [
                ("cn", self.tr("coze.cn (China)")),
                ("com", self.tr("coze.com (International)")),
                ("custom", self.tr("Custom base URL (Coze Studio)")),
            ],
        )
        self.name.setPlaceholderText(self.tr("e.g. Weather helper"))
        self.bot_id.setPlaceholderText(self.tr("The number at the end of the bot's address"))
        self._update_region_ui()
        self.user_id.setToolTip(
            self.tr(
                "Coze keeps conversations per user id; the default is generated once per profile."
            )
        )
        self.stream.setText(self.tr("Stream replies (typing effect)"))
        self.auto_save.setText(
            self.tr("Save the conversation on the Coze side (auto_save_history)")
        )
        self.vars_label.setText(self.tr("Custom variables (sent as custom_variables):"))
        self.workflow_id.setPlaceholderText(self.tr("Only for a chatflow (workflows/chat)"))
        self.app_id.setPlaceholderText(self.tr("The chatflow's app (or fill in the bot id)"))
        self.parameters_label.setText(self.tr("Chatflow parameters (a JSON object):"))
        self.parameters.setPlaceholderText('{"city": "北京"}')
        self.local_tools_label.setText(
            self.tr("Local tools: a fixed result per client-side tool (a JSON object):")
        )
        self.local_tools.setPlaceholderText('{"get_local_time": "10:30"}')
        self.auto_local_tools.setText(
            self.tr("Submit these results without asking (for demo and test bots)")
        )
        self.variables.setHorizontalHeaderLabels([self.tr("Key"), self.tr("Value")])
        self.add_var.setText(self.tr("Add variable"))
        self.remove_var.setText(self.tr("Remove"))
        self.show_token.setText(self.tr("Show"))
        self.show_token.setToolTip(self.tr("Show or hide the token"))
        self._update_token_ui()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- internals --------------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit(None)

    def _token_edited(self, _text: str) -> None:
        self._update_token_ui()
        self._changed()

    def _region_changed(self) -> None:
        self._update_region_ui()
        self._changed()

    def _update_region_ui(self) -> None:
        """The base URL field shows the region's own API address when it is not editable, and
        the hints link to the region's token page."""
        region = str(self.region.currentData() or "cn")
        custom = region == "custom"
        self.base_url.setEnabled(custom)
        self.base_url.setPlaceholderText(
            self.tr("Your Coze Studio, e.g. http://localhost:8888")
            if custom
            else REGION_BASE_URLS.get(region, "")
        )
        self.bot_hint.setText(
            self.tr(
                "Open the bot in Coze: its address ends in /bot/<b>bot id</b>. Publish it "
                "to the API channel first."
            )
        )
        site = {"cn": "https://www.coze.cn", "com": "https://www.coze.com"}.get(region)
        if site is None:
            text = self.tr(
                "Create a personal access token in your Coze Studio (API authorization)."
            )
        else:
            link = f"<a href='{site}/open/oauth/pats'>{site.removeprefix('https://')}</a>"
            text = self.tr("Create a personal access token on {site} (API → personal access "
                           "tokens) with the chat permission.").format(site=link)  # fmt: skip
        self.token_hint.setText(text)

    def mark_problems(self) -> None:
        """Outline the fields :meth:`problems` complains about and put the cursor in the first
        (in the form's order)."""
        bad = {field for field, broken, _message in self._checks() if broken and field}
        in_form_order = (self.name, self.base_url, self.bot_id, self.app_id)
        for line in in_form_order:
            line.setProperty("invalid", line in bad)
            line.setStyleSheet("QLineEdit { border: 1px solid #d93025; }" if line in bad else "")
        first = next((line for line in in_form_order if line in bad), None)
        if first is not None:
            first.setFocus()

    def _toggle_token_visible(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.token.setEchoMode(mode)

    def _update_token_ui(self) -> None:
        self.token.setPlaceholderText(self._token_placeholder())
        _token, notes = clean_token_input(self.token.text())
        # One note, the one that matters most: a token with spaces inside is also "trimmed".
        ranked = sorted(notes, key=lambda note: _NOTE_RANK.get(note, len(_NOTE_RANK)))
        text = self._note_text(ranked[0]) if ranked else ""
        # The note is always there (where the token goes, or what is odd about it) and keeps two
        # lines' height, so typing a token never shifts the rest of the form under the mouse.
        self.token_note.setText(text or self._storage_note())
        self.token_note.setEnabled(bool(text))  # a plain note is muted, a warning is not
        self.token_note.setMinimumHeight(_two_lines(self.token_note))

    def _storage_note(self) -> str:
        if self._persistent_tokens:
            return self.tr("The token is stored in the system keyring only, never in a file.")
        return self.tr("The token is kept in memory for this session only.")

    def _token_placeholder(self) -> str:
        if self._has_token and self._persistent_tokens:
            return self.tr("Saved in the system keyring. Paste a new token to replace it")
        if self._has_token:
            return self.tr("Kept for this session. Paste a new token to replace it")
        return self.tr("Paste your personal access token (pat_…)")

    def _note_text(self, note: str) -> str:
        notes = {
            "trimmed": self.tr("Spaces and line breaks around the token will be removed."),
            "bearer": self.tr("The “Bearer ” prefix will be removed; the app adds it itself."),
            "spaces": self.tr("⚠ The token contains spaces: it was probably copied incompletely."),
            "shape": self.tr(
                "⚠ This does not look like a Coze personal access token (pat_…). "
                "It will be used as typed."
            ),
        }
        return notes.get(note, "")

    def _load_variables(self, variables: dict[str, str]) -> None:
        self.variables.setRowCount(0)
        for key, value in variables.items():
            self._append_row(key, value)

    def _append_row(self, key: str, value: str) -> None:
        row = self.variables.rowCount()
        self.variables.insertRow(row)
        self.variables.setItem(row, 0, QTableWidgetItem(key))
        self.variables.setItem(row, 1, QTableWidgetItem(value))

    def _add_variable(self) -> None:
        self._append_row("", "")
        item = self.variables.item(self.variables.rowCount() - 1, 0)
        if item is not None:  # the cursor goes into the new key cell, ready to type
            self.variables.setFocus()
            self.variables.setCurrentItem(item)
            self.variables.editItem(item)
        self._changed()

    def _remove_variable(self) -> None:
        rows = sorted({index.row() for index in self.variables.selectedIndexes()}, reverse=True)
        if not rows and self.variables.rowCount():
            rows = [self.variables.rowCount() - 1]
        for row in rows:
            self.variables.removeRow(row)
        self._changed()


_NOTE_RANK = {"spaces": 0, "shape": 1, "bearer": 2, "trimmed": 3}


class _NoteLabel(QLabel):
    """A wrapping label whose preferred height is that of its text at its real width.

    QLabel's own hint wraps to a narrow guess (three lines for one sentence), which made the
    form below jump whenever the note changed.
    """

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.width() > 0:
            hint.setHeight(max(self.minimumHeight(), self.heightForWidth(self.width())))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()


def _line(parent: QWidget, name: str) -> QLineEdit:
    line = QLineEdit(parent)
    line.setObjectName(name)
    return line


def _two_lines(label: QLabel) -> int:
    """The height of two lines of ``label``'s text as it lays them out (a rich-text warning's
    two lines take a little more than twice the line spacing): the note below the token keeps
    it, so the form does not move when a one-line note becomes a two-line warning."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)  # as a label lays out rich text
    doc.setHtml("x<br>x")
    return max(math.ceil(doc.size().height()), 2 * label.fontMetrics().lineSpacing())


def _link_label(parent: QWidget, name: str) -> QLabel:
    label = _NoteLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setOpenExternalLinks(True)  # the user's own click opens the browser
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setEnabled(False)  # muted, like the other notes (links stay clickable)
    return label


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def _json_text(value: dict[str, Any]) -> str:
    """A JSON object field's text: readable (indented, CJK as is); blank for an empty one."""
    return json.dumps(value, ensure_ascii=False, indent=2) if value else ""


def _json_object(text: str) -> dict[str, Any] | None:
    """The JSON object typed in ``text`` (blank: ``{}``); None when it is not one."""
    text = text.strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None

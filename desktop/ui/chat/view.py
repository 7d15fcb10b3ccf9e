"""The conversation view: question and answer bubbles in a scroll area, built lazily.

Design. A ``QScrollArea`` holds one row widget per message (``render.bubble``). An answer's text
is not one big document but a column of small ``QTextBrowser`` segments (prose chunks of ~4 KB
with their short code blocks drawn inside, and long code blocks on their own, ``render.segments``),
each exactly as tall as its content. That buys:

* cheap streaming: segments that can no longer change are rendered once and frozen; an update
  re-renders only the unfinished tail (~1 ms) instead of re-laying out the whole answer (40 ms per
  100 KB, stack notes §5); a segment is parsed and styled in a detached document and laid out
  once; a live long code block grows by appending plain text; a streaming frame (render + paint)
  is followed by 3x its cost without frames (11x while text arrives faster than anyone reads);
  segments are rendered in 6 ms slices per event-loop turn, one slice shared by every view
  (``render.slices``: a comparison's columns take turns), so a huge snapshot never freezes the
  window. Segments far from the viewport wait as spacers of estimated height (``render.lazy``)
  until they come near it or, once the answer is final, are laid out in the background; what
  grows above the viewport scrolls the view along, so what the user reads stays still. When the status leaves "streaming" only the text after
  the last settled segment is re-scanned, and an unchanged tail is not rendered again. Few widgets:
  a 200 KB answer with 96 snippets is ~46 segments (~290 widgets), not one widget per block.
  Pygments colours finished code blocks in 6 ms slices, on-screen first, through a
  ``QSyntaxHighlighter`` (no re-insertion of text); while a stream renders, lexing waits until a
  block has stayed on screen for a moment, so a fast stream is never slowed by blocks it scrolls
  away at once;
* real widgets where a list-view delegate would need hand-made hit testing: per-block "Copy"
  (a button on a long block, a link in the header of a short one), collapsible thinking and
  plugin cards, clickable follow-up chips, selectable text and links that open in the browser;
* an empty chat shows ``set_empty_state``'s greeting (bot name, hint, starter prompt chips that
  emit ``follow_up_clicked``) until the first message arrives;
* lazy history: ``set_history`` keeps every message but builds widgets only for the newest ~40
  (or ~200 KB of text), and only about a screenful of them (the newest 8) before it returns;
  the rest are built above them in idle slices of <= 6 ms as the reader comes within two
  screenfuls of them (so a chat opened at its newest message builds about two screenfuls
  more, not all 40), keeping the view at the bottom or, when the user scrolled, the row at the
  top of the viewport where it is. Scrolling to the top (or "Load earlier messages") builds
  30 more the same way, so a 5,000-message session opens at once; going to an older message
  (the network log's "Go to message") builds the rows down to it.

Colours come from the application palette (``theme.chat_colors``) and a generated style sheet;
a palette or scheme change restyles every built row. All strings go through ``translate`` and are
re-applied by ``retranslate()`` (also on ``LanguageChange``). No networking, no async.

Signals (one frozen payload each, ``desktop.ui.kit.intents``):
    follow_up_clicked(FollowUpIntent)      a suggestion chip was clicked
    regenerate_requested(MessageIntent)    "Regenerate" on the last answer
    edit_requested(MessageIntent)          "Edit" on the last question
    retry_requested(MessageIntent)         "Retry" on an error bubble
    open_in_log_requested(LogIntent)       "Open in log" on an error bubble
    diagnose_requested(MessageIntent)      "Diagnose profile" on an error bubble
    copy_requested(CopyIntent)             text was copied to the clipboard (message, code, log id)
    tool_outputs_submitted(ToolOutputsIntent)  Submit on a waiting answer: its tools' results
    tool_call_dismissed(MessageIntent)     Cancel on a waiting answer
    save_again_requested(MessageIntent)    "Save again" on an answer the history did not take
    export_requested(MessageIntent)        "Export…" on an answer the history did not take
    notice_action_requested(NoticeAction)  the button of a notice (``add_notice``)
    files_dropped(FilesIntent)             local files were dropped on the chat (to attach)
"""

from __future__ import annotations

import time
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QSize, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget
from shiboken6 import isValid

from desktop.storage.models import StoredMessage
from desktop.ui.chat.render.context import RenderContext
from desktop.ui.chat.render.message import MessageLike, is_question
from desktop.ui.chat.render.slices import shared as _slices
from desktop.ui.chat.render.styles import chat_style_sheet
from desktop.ui.kit.qt_startup import settle_collector
from desktop.ui.kit.theme import chat_colors, palette_is_dark
from desktop.ui.kit.widgets import centred, own_viewport, set_by_name

if TYPE_CHECKING:  # the row widgets (and all they render with) load with the first row
    from collections.abc import Sequence

    from PySide6.QtGui import QDragEnterEvent, QDropEvent, QShowEvent

    from desktop.ui.chat.render.bubble import (
        AnswerWidget,
        MessageWidget,
        NoticeWidget,
        QuestionWidget,
    )
    from desktop.ui.chat.render.empty import EmptyState
    from desktop.ui.chat.render.lazy import Band
    from desktop.ui.kit.intents import NoticeAction

INITIAL_ROWS = 40
SYNC_ROWS = 8  # built before set_history returns (about a screenful); the rest in idle slices
AHEAD_SCREENS = 2  # rows above the viewport are built this many screenfuls ahead of the reader
INITIAL_CHARS = 200_000
PAGE_ROWS = 30
_STICK_PX = 48
_WARM_RETRY_MS = 500  # the text pipeline's warm-up waits while answers render or stream
_NEAR_PX = 0  # following the bottom, render what the viewport shows (the rest waits)


class ChatView(QWidget):
    """Shows one session's messages; see the module docstring for design and signals."""

    follow_up_clicked = Signal(object)
    regenerate_requested = Signal(object)
    edit_requested = Signal(object)
    retry_requested = Signal(object)
    open_in_log_requested = Signal(object)
    diagnose_requested = Signal(object)
    copy_requested = Signal(object)
    tool_outputs_submitted = Signal(object)
    tool_call_dismissed = Signal(object)
    save_again_requested = Signal(object)
    export_requested = Signal(object)
    notice_action_requested = Signal(object)
    files_dropped = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setAcceptDrops(True)  # files dropped on the chat are attached to the draft
        self._dark = palette_is_dark(QGuiApplication.palette())
        self._ctx = RenderContext(
            chat_colors(QGuiApplication.palette(), self._dark),
            self._emit,
            self,
            self._band,
            self._shift_content,
        )
        self._messages: list[MessageLike] = []
        self._pos: dict[int, int] = {}
        self._rows: dict[int, MessageWidget] = {}
        self._notices: list[NoticeWidget] = []
        self._first_built = 0
        self._target = 0  # idle slices build rows down to this index, as the reader nears them
        self._revisit_soon = QTimer(self)  # pending parts near the viewport: render them
        self._revisit_soon.setSingleShot(True)
        self._revisit_soon.setInterval(0)
        self._revisit_soon.timeout.connect(self._revisit)
        self._last_ids: tuple[int | None, int | None] = (None, None)
        self._stick = True
        self._anchor: tuple[QWidget, int] | None = None  # a row kept still, its viewport offset
        self._shift = 0  # content above the viewport grew by this much: scroll along
        self._placing = False  # the view scrolls itself (``_place``), not the reader
        self._jump: QPushButton | None = None  # "Jump to latest": made when first needed
        self._build()
        self.setStyleSheet(chat_style_sheet(self._ctx.colors))
        self.retranslate()
        self._warm_when_shown = False
        QTimer.singleShot(300, self, self._prewarm)

    # -- construction ---------------------------------------------------------------------------

    def _build(self) -> None:
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("chatScroll")
        self._scroll.setWidgetResizable(True)
        set_by_name(self._scroll, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self._viewport = own_viewport(self._scroll)
        self._viewport.setObjectName("chatViewport")
        self._content = _Content()
        self._content.setObjectName("chatContent")
        self._rows_layout = QVBoxLayout(self._content)
        self._rows_layout.setContentsMargins(24, 12, 24, 20)
        self._rows_layout.setSpacing(14)
        self._head = QVBoxLayout()  # above the rows: "Load earlier messages", the empty state
        self._rows_layout.addLayout(self._head)  # (each made when first needed)
        self._load_button: QPushButton | None = None
        self._empty: EmptyState | None = None  # made by the first ``set_empty_state``
        self._rows_layout.addStretch(1)
        self._scroll.setWidget(self._content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)
        bar = self._scroll.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._range_changed)
        self._viewport.installEventFilter(self)

    def _prewarm(self) -> None:
        """Load the row widgets, the highlighter and common lexers once start-up is over (the
        first answer then renders and colours at once), keep all that out of later garbage
        collections (``qt_startup.settle_collector``), then warm the text pipeline up."""
        _kit()
        self._ctx.highlights.prewarm()
        settle_collector()
        QTimer.singleShot(0, self, self._warm_up)

    def _warm_up(self) -> None:
        """Render a sample answer off screen (``render.warmup``: the first answer is not slower
        than the next), once per process: when this view is shown (not on the welcome page)
        and nothing renders or streams (else later)."""
        from desktop.ui.chat.render import warmup

        if not warmup.pending():
            return
        if not self.isVisible():
            self._warm_when_shown = True
            return
        if not _slices().idle:
            QTimer.singleShot(_WARM_RETRY_MS, self, self._warm_up)
            return
        warmup.warm_up(self._ctx, self.styleSheet(), self._row_width(), self.devicePixelRatioF())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._warm_when_shown:
            self._warm_when_shown = False
            QTimer.singleShot(0, self, self._warm_up)  # once shown at its size

    def _emit(self, name: str, payload: object) -> None:
        getattr(self, name).emit(payload)

    def _band(self, widget: QWidget) -> Band | None:
        """The part of ``widget`` near the viewport (``render.lazy``); None: render it all."""
        band = _kit().band
        viewport = self._viewport
        height = viewport.height()
        if height <= 0 or not self.isVisible() or not widget.isVisible():
            return None
        if self._stick and self._anchor is None and self._in_last_row(widget):
            return band(0, height + _NEAR_PX, from_end=True)
        top = widget.mapFrom(viewport, QPoint(0, 0)).y()
        return band(top - height, top + 2 * height, visible_top=top)

    def _in_last_row(self, widget: QWidget) -> bool:
        """Whether ``widget`` is part of the newest message (the one the view ends with)."""
        row = self._rows.get(self._messages[-1].id) if self._messages else None
        return row is not None and row.isAncestorOf(widget)

    def _shift_content(self, pixels: int) -> None:
        self._shift += pixels

    def _revisit(self) -> None:
        if not self._rows:  # nothing built: the row widgets need not even be imported yet
            return
        answer = _kit().answer
        for row in self._rows.values():
            if isinstance(row, answer):
                row.body.revisit()

    # -- public API -----------------------------------------------------------------------------

    def set_history(self, messages: Sequence[MessageLike]) -> None:
        """Replace the view with ``messages`` (chronological); builds only the newest rows."""
        self.clear()
        self._messages = list(messages)
        self._pos = {m.id: i for i, m in enumerate(self._messages)}
        self._target = self._initial_start()
        start = max(self._target, len(self._messages) - SYNC_ROWS)
        self._build_rows(start, len(self._messages), prepend=False)
        self._first_built = start
        self._after_change()
        if start > self._target:
            _slices().request(self, self._backfill_slice)

    def upsert(self, message: MessageLike) -> None:
        """Append ``message`` or update the row with the same id (cheap while streaming)."""
        index = self._pos.get(message.id)
        if index is None:
            self._append(message)
            return
        old = self._messages[index]
        self._messages[index] = message
        row = self._rows.get(message.id)
        if row is not None and _row_type(old) is _row_type(message):
            row.update_message(message)
        elif row is not None:
            self._rebuild_row(message, row)
        if old.status != message.status:
            self._refresh_last()

    def set_tool_replies(self, replies: dict[str, str]) -> None:
        """The open chat's profile offers these results for its client-side tools (local tools):
        a request card for such a tool comes filled in, for the user to confirm."""
        self._ctx.tool_replies = dict(replies)

    def reopen_tool_request(self, message_id: int) -> None:
        """A Submit/Cancel did not go out: make the answer's request editable again."""
        row = self._rows.get(message_id)
        parts = getattr(row, "parts", {})
        panel = parts.get("request")
        if panel is not None:
            panel.reopen()

    def clear(self) -> None:
        """Remove every message and notice."""
        for row in [*self._rows.values(), *self._notices]:
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self._messages, self._pos, self._rows, self._notices = [], {}, {}, []
        if self._first_built > self._target:
            _slices().cancel(self._backfill_slice)
        self._first_built = self._target = 0
        self._last_ids = (None, None)
        self._stick, self._anchor = True, None
        self._update_load_button()
        self._update_empty()
        self._update_jump()

    def set_empty_state(
        self, title: str, hint: str, prompts: Sequence[str], prologue: str = "", avatar: str = ""
    ) -> None:
        """What an empty chat shows: a title (the bot's name), its avatar (an image file), its
        prologue as a first bubble, a one-line hint and starter prompt chips (a click emits
        ``follow_up_clicked``); hidden while messages exist."""
        empty = self.empty_state()
        empty.set_content(title, hint, list(prompts), prologue, avatar)
        empty.set_max_width(self._row_width())
        self._update_empty()

    def empty_state(self) -> EmptyState:
        """The empty-chat widget (made on first use; for tests and automation)."""
        if self._empty is None:
            from desktop.ui.chat.render.empty import EmptyState

            self._empty = EmptyState(self._ctx, self._content)
            self._empty.hide()
            self._head.addLayout(centred(self._empty))  # an empty chat's first frame: no Qt enum
        return self._empty

    def add_notice(
        self, kind: str, text: str, action: NoticeAction | None = None, action_text: str = ""
    ) -> NoticeWidget:
        """Append a view-only row (never stored): ``kind`` "divider" (e.g. "Context cleared") or
        "warning"; with ``action``, a button (``action_text``) that emits it as
        ``notice_action_requested``."""
        msg = StoredMessage(role="system", kind="divider", content=text)
        notice = _kit().notice(
            self._ctx, msg, self._content, kind=kind, action=action, action_text=action_text
        )
        self._notices.append(notice)
        self._insert_row(notice, prepend=False)
        return notice

    def set_palette_mode(self, dark: bool) -> None:
        """Re-derive colours from the application palette and restyle every row."""
        self._dark = dark
        self._ctx.colors = chat_colors(QGuiApplication.palette(), dark)
        self.setStyleSheet(chat_style_sheet(self._ctx.colors))
        for row in [*self._rows.values(), *self._notices]:
            row.restyle()

    def retranslate(self) -> None:
        """Re-apply every user-visible string (after the language changed)."""
        self._update_load_button()
        self._retranslate_jump()
        for row in [*self._rows.values(), *self._notices]:
            row.retranslate()

    def load_earlier(self) -> None:
        """Build the previous page of rows above the current ones, keeping the view still."""
        if self._first_built <= 0:
            return
        start = max(0, self._first_built - PAGE_ROWS)
        self._anchor = self._reading_position()
        self._build_above(start)
        self._update_load_button()
        self._refresh_last()  # the last question may be among them (answered in many messages)
        QTimer.singleShot(250, self._drop_anchor)

    def row_count(self) -> int:
        """How many message rows are built (not counting notices)."""
        return len(self._rows)

    def message_count(self) -> int:
        return len(self._messages)

    def row_for(self, message_id: int) -> MessageWidget | None:
        """The built row of a message, if any (for tests and automation)."""
        return self._rows.get(message_id)

    def is_busy(self) -> bool:
        """True while rendering, or highlighting of on-screen code, is still queued."""
        queue = self._ctx.queue
        if (queue is not None and queue.pending_on_screen) or self._backfilling():
            return True
        answer = _kit().answer
        return any(isinstance(row, answer) and row.body.busy for row in self._rows.values())

    def scroll_to_message(self, message_id: int) -> bool:
        """Bring a message into view (e.g. "Go to message" in the network log), building the
        rows from it to the built ones first when it is older than they are."""
        index = self._pos.get(message_id)
        if index is None:
            return False
        self._stick, self._anchor = False, None
        if index < self._first_built:
            self._build_above(index)
            self._update_load_button()
            self._refresh_last()
        row = self._rows[message_id]

        def show() -> None:
            self._scroll.ensureWidgetVisible(row, 0, 40)

        show()
        QTimer.singleShot(0, row, show)  # a row built just now has its place a pass later
        return True

    def scroll_to_bottom(self) -> None:
        self._stick = True
        bar = self._scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        self._update_jump()

    def jump_button(self) -> QPushButton | None:
        """The floating "Jump to latest" button (None until the user first scrolls up)."""
        return self._jump

    def _update_jump(self) -> None:
        """Show "Jump to latest" over the bottom of the view while the user has scrolled away
        from the newest text (a stream then keeps growing below, unseen)."""
        bar = self._scroll.verticalScrollBar()
        away = bar.maximum() - bar.value() > _STICK_PX and not self._stick
        if not away and self._jump is None:
            return
        button = self._jump_button()
        if away != button.isVisible():
            if away:
                self._place_jump()
            button.setVisible(away)

    def _jump_button(self) -> QPushButton:
        if self._jump is None:
            button = QPushButton(self)
            button.setObjectName("jumpToLatest")
            button.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(self.scroll_to_bottom)
            button.hide()
            self._jump = button
            self._retranslate_jump()
        return self._jump

    def _retranslate_jump(self) -> None:
        if self._jump is not None:
            self._jump.setText(QCoreApplication.translate("ChatView", "↓  Jump to latest"))
            self._jump.setToolTip(
                QCoreApplication.translate("ChatView", "Scroll to the newest message")
            )
            self._jump.adjustSize()

    def _place_jump(self) -> None:
        button = self._jump
        if button is None:
            return
        button.adjustSize()
        x = (self.width() - button.width()) // 2
        y = self.height() - button.height() - 16
        button.move(max(0, x), max(0, y))
        button.raise_()

    # -- rows -----------------------------------------------------------------------------------

    def _initial_start(self) -> int:
        start, chars = len(self._messages), 0
        while start > 0 and len(self._messages) - start < INITIAL_ROWS:
            chars += len(self._messages[start - 1].content)
            if chars > INITIAL_CHARS and len(self._messages) - start >= 5:
                break
            start -= 1
        return start

    def _make_row(self, msg: MessageLike) -> MessageWidget:
        return _row_type(msg)(self._ctx, msg, self._content)

    def _build_rows(self, start: int, end: int, *, prepend: bool) -> None:
        self._content.setUpdatesEnabled(False)
        try:
            rows = [self._make_row(m) for m in self._messages[start:end]]
            for msg, row in zip(self._messages[start:end], rows, strict=True):
                self._rows[msg.id] = row
            for row in reversed(rows) if prepend else rows:
                self._insert_row(row, prepend=prepend, show=False)
            self._show_rows(rows)
        finally:
            self._content.setUpdatesEnabled(True)

    def _build_above(self, start: int) -> None:
        """Build the rows of messages ``start`` up to the oldest built one, above it."""
        self._build_rows(start, self._first_built, prepend=True)
        self._first_built = start

    def _backfilling(self) -> bool:
        return self._first_built > self._target and _slices().queued(self._backfill_slice)

    def _wants_rows_above(self) -> bool:
        """Whether the reader is within ``AHEAD_SCREENS`` screenfuls of the oldest built row
        while rows of the initial window (down to ``_target``) are still unbuilt. Rows further
        up wait: a chat opened at its newest message builds what can be scrolled to soon, not
        40 rows of widgets (about 4 ms and 0.25 MiB each) nobody may look at."""
        if self._first_built <= self._target:
            return False
        ahead = AHEAD_SCREENS * max(1, self._viewport.height())
        return self._scroll.verticalScrollBar().value() < ahead

    def _build_ahead(self) -> None:
        """Queue the rows above when the reader came near them (scrolled, or a taller view)."""
        if self._wants_rows_above() and not self._backfilling():
            _slices().request(self, self._backfill_slice)

    def _backfill_slice(self, deadline: float) -> bool:
        """Build the next rows above the built ones in a shared slice (``render.slices``),
        keeping the view still."""
        wanted = self._wants_rows_above()
        if wanted and not self._stick and self._anchor is None:  # scrolled up: keep what the
            self._anchor = self._reading_position()  # user reads still, until the rows are in
        while wanted and time.perf_counter() < deadline:
            self._build_above(self._first_built - 1)
            wanted = self._first_built > self._target  # the place is read again next slice
        if wanted:
            return True
        self._update_load_button()
        self._refresh_last()
        if self._anchor is not None:
            QTimer.singleShot(250, self._drop_anchor)
        return False

    def _insert_row(self, row: MessageWidget, *, prepend: bool, show: bool = True) -> None:
        row.set_max_width(self._row_width())
        index = 1 if prepend else self._rows_layout.count() - 1
        self._rows_layout.insertWidget(index, row)
        if show:
            self._show_rows([row])

    def _show_rows(self, rows: Sequence[MessageWidget]) -> None:
        """Give new rows their real geometry and show them now (not a loop turn later), so
        their text is laid out once, at its real width, and only where it can be seen."""
        if self.isVisible():
            self._rows_layout.activate()
            for row in rows:
                row.show()

    def _append(self, message: MessageLike) -> None:
        self._pos[message.id] = len(self._messages)
        self._messages.append(message)
        row = self._make_row(message)
        self._rows[message.id] = row
        self._insert_row(row, prepend=False)
        self._update_empty()
        if is_question(message):
            self._stick = True
        self._refresh_last()

    def _rebuild_row(self, message: MessageLike, old: MessageWidget) -> None:
        row = self._make_row(message)
        row.set_max_width(self._row_width())
        self._rows_layout.replaceWidget(old, row)
        self._rows[message.id] = row
        old.hide()
        old.deleteLater()
        self._refresh_last()

    def _after_change(self) -> None:
        self._update_empty()
        self._update_load_button()
        self._refresh_last()
        self.scroll_to_bottom()

    def _refresh_last(self) -> None:
        last_q = last_a = None
        for msg in reversed(self._messages):
            if last_q is None and msg.kind == "question":
                last_q = msg.id
            if last_a is None and msg.kind in ("answer", "error"):
                last_a = msg.id
            if last_q is not None and last_a is not None:
                break
        for message_id in {*self._last_ids, last_q, last_a} - {None}:
            row = self._rows.get(message_id)  # type: ignore[arg-type]
            if row is not None:
                row.set_last(message_id == last_a, message_id == last_q)
        self._last_ids = (last_q, last_a)

    def _update_load_button(self) -> None:
        count = min(self._first_built, self._target)  # rows still being built are not "earlier"
        if count == 0:
            if self._load_button is not None:
                self._load_button.hide()
            return
        button = self._load_earlier_button()
        button.setText(
            QCoreApplication.translate("ChatView", "Load earlier messages ({n} more)").format(
                n=count
            )
        )
        button.show()

    def _load_earlier_button(self) -> QPushButton:
        """The "Load earlier messages" link above the rows, made the first time it is shown."""
        if self._load_button is None:
            button = QPushButton(self._content)
            button.setObjectName("loadEarlier")
            button.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(self.load_earlier)
            self._head.insertWidget(0, button, 0, QtCore.Qt.AlignmentFlag.AlignHCenter)
            self._load_button = button
        return self._load_button

    def _update_empty(self) -> None:
        if self._empty is not None:
            self._empty.setVisible(not self._messages and self._empty.has_content)

    def _row_width(self) -> int:
        margins = self._rows_layout.contentsMargins()
        return self._viewport.width() - margins.left() - margins.right()

    # -- scrolling ------------------------------------------------------------------------------

    def _scrolled(self, value: int) -> None:
        if self._ctx.queue is not None:
            self._ctx.queue.poke()
        bar = self._scroll.verticalScrollBar()
        if self._anchor is None:
            self._stick = value >= bar.maximum() - _STICK_PX
        elif not self._placing:  # the reader moved while rows are built: keep the new place
            self._anchor = self._reading_position()
        self._update_jump()
        self._revisit_soon.start()  # not from inside a scroll or layout signal
        at_top = value <= bar.minimum() < bar.maximum()
        if at_top and self._first_built > 0 and self._anchor is None:
            QTimer.singleShot(0, self.load_earlier)
        else:
            self._build_ahead()

    def _range_changed(self, _low: int, high: int) -> None:
        shift, self._shift = self._shift, 0
        if self._anchor is None and not self._stick and shift:
            self._place(self._scroll.verticalScrollBar().value() + shift)
        elif self._anchor is not None:
            row, offset = self._anchor
            if isValid(row):
                self._place(row.y() - offset)
        elif self._stick:
            self._place(high)
        self._update_jump()

    def _place(self, value: int) -> None:
        """Scroll to ``value`` for the view's own sake (not the reader's move)."""
        self._placing = True
        try:
            self._scroll.verticalScrollBar().setValue(value)
        finally:
            self._placing = False

    def _drop_anchor(self) -> None:
        self._anchor = None

    def _reading_position(self) -> tuple[QWidget, int] | None:
        """The row at the top of the viewport and its offset from it: while rows are built
        above it (and rows below it render and grow) the view keeps that row where it is."""
        top = self._scroll.verticalScrollBar().value()
        for message in self._messages[self._first_built :]:
            row = self._rows.get(message.id)
            if row is not None and row.y() + row.height() > top:
                return row, row.y() - top
        return None

    # -- events ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            width = self._row_width()
            for row in [*self._rows.values(), *self._notices]:
                row.set_max_width(width)
            if self._empty is not None:
                self._empty.set_max_width(width)
            self._place_jump()
            self._revisit_soon.start()
            self._build_ahead()
        return super().eventFilter(watched, event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from desktop.ui.chat.composer import local_files

        if local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        from desktop.ui.chat.composer import local_files
        from desktop.ui.kit.intents import FilesIntent

        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(FilesIntent(tuple(files)))

    def changeEvent(self, event: QEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.LanguageChange:
            self.retranslate()
        elif kind == QEvent.Type.ApplicationPaletteChange:
            colors = chat_colors(QGuiApplication.palette())
            if colors != self._ctx.colors:
                self.set_palette_mode(colors.dark)
        super().changeEvent(event)


class _Content(QWidget):
    """The scroll area's widget: as tall as its rows are at the viewport's width. Its minimum
    size would be every row's minimum height, each measured at its narrowest width (wrapped
    text then takes more lines), and the scroll area never makes its widget shorter than that:
    blank space below the last row, which scrolled the top of the newest answer out of view."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth() or self.width() <= 0:
            return hint
        return QSize(hint.width(), min(hint.height(), layout.totalHeightForWidth(self.width())))


class _RowKit(NamedTuple):
    """What rows are built and rendered with, loaded with the first row (``_kit``)."""

    answer: type[AnswerWidget]
    question: type[QuestionWidget]
    notice: type[NoticeWidget]
    band: type[Band]


@cache
def _kit() -> _RowKit:
    """Import the row widgets once; later calls cost a cache lookup, not an import (an import
    statement in a function runs PySide6's Python-level import hook every time: ~7 us)."""
    from desktop.ui.chat.render.bubble import AnswerWidget, NoticeWidget, QuestionWidget
    from desktop.ui.chat.render.lazy import Band

    return _RowKit(AnswerWidget, QuestionWidget, NoticeWidget, Band)


def _row_type(msg: MessageLike) -> type[MessageWidget]:
    kit = _kit()
    if msg.kind == "divider":
        return kit.notice
    return kit.question if is_question(msg) else kit.answer

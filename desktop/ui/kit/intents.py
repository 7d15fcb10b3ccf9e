"""Payloads of the window's signals: one frozen dataclass per kind of user intent.

A widget only says what the user asked for; the window and the controller decide what to do
about it. The widgets declare these signals as ``Signal(object)`` (PySide6 carries any Python
class that way; a widget's ``Signals:`` docstring names the payload) and import this module when
the user first acts, not when the window is built: creating these 14 classes costs about 10 ms,
which the first frame does not wait for.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- the chat view -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FollowUpIntent:
    """The user clicked a follow-up suggestion: send ``text`` as the next question."""

    text: str


@dataclass(frozen=True, slots=True)
class MessageIntent:
    """An action on one stored message (regenerate, edit-and-resend, retry, diagnose)."""

    message_id: int

    @property
    def id(self) -> int:
        """Alias of ``message_id``."""
        return self.message_id


@dataclass(frozen=True, slots=True)
class ToolOutputsIntent:
    """The user gave the results of the tool calls answer ``message_id`` waits for:
    ``(tool_call_id, output)`` for every pending call."""

    message_id: int
    outputs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class LogIntent:
    """Show the network log entry of a request (by Coze log id and/or chat id)."""

    log_id: str
    chat_id: str = ""


@dataclass(frozen=True, slots=True)
class CopyIntent:
    """``text`` was put on the clipboard (the view already copied it; show a confirmation)."""

    text: str


# -- the composer, the chat header and the welcome page ------------------------------------------


@dataclass(frozen=True)
class SendIntent:
    """The user asked to send ``text`` (already stripped, never empty)."""

    text: str


@dataclass(frozen=True)
class StopIntent:
    """The user asked to stop the reply that is streaming."""


@dataclass(frozen=True)
class HeaderAction:
    """``action`` is "clear_context" or "diagnose"."""

    action: str


@dataclass(frozen=True)
class NoticeAction:
    """The button of a notice in the chat was clicked: ``action`` is "open_profile" (the
    profile dialog on ``profile_id``)."""

    action: str
    profile_id: str = ""


@dataclass(frozen=True)
class WelcomeIntent:
    """``action`` is "add_profile" or "demo"."""

    action: str


# -- the sidebar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionIntent:
    """An action on session ``session_id`` (select, delete)."""

    session_id: int


@dataclass(frozen=True)
class RenameIntent:
    session_id: int
    title: str


@dataclass(frozen=True)
class PinIntent:
    session_id: int
    pinned: bool


@dataclass(frozen=True)
class FilterIntent:
    """Sessions to show: of ``profile_id`` ("" = all bots) matching ``query``."""

    profile_id: str
    query: str


@dataclass(frozen=True)
class NewSessionIntent:
    """Start a new chat with the selected bot ("" = the window decides)."""

    profile_id: str

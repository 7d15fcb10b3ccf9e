"""Payloads of the window's signals: one frozen record per kind of user intent.

A widget only says what the user asked for; the window and the controller decide what to do
about it. The widgets declare these signals as ``Signal(object)`` (PySide6 carries any Python
class that way; a widget's ``Signals:`` docstring names the payload) and import this module when
the user first acts, not when the window is built.

The records are frozen ``msgspec.Struct`` classes (positional or keyword fields, equality, a
hash, slots): defining these 16 took 10-20 ms as dataclasses (each ``exec``s the methods it
generates), in the first click's or the first history's way; as structs they take well under
a millisecond.
"""

from __future__ import annotations

from typing import Any

import msgspec

# -- the chat view -------------------------------------------------------------------------------


class FollowUpIntent(msgspec.Struct, frozen=True):
    """The user clicked a follow-up suggestion: send ``text`` as the next question."""

    text: str


class MessageIntent(msgspec.Struct, frozen=True):
    """An action on one stored message (regenerate, edit-and-resend, retry, diagnose)."""

    message_id: int

    @property
    def id(self) -> int:
        """Alias of ``message_id``."""
        return self.message_id


class ToolOutputsIntent(msgspec.Struct, frozen=True):
    """The user gave the results of the tool calls answer ``message_id`` waits for:
    ``(tool_call_id, output)`` for every pending call."""

    message_id: int
    outputs: tuple[tuple[str, str], ...]


class LogIntent(msgspec.Struct, frozen=True):
    """Show the network log entry of a request (by Coze log id and/or chat id)."""

    log_id: str
    chat_id: str = ""


class CopyIntent(msgspec.Struct, frozen=True):
    """``text`` was put on the clipboard (the view already copied it; show a confirmation)."""

    text: str


# -- the composer, the chat header and the welcome page ------------------------------------------


class SendIntent(msgspec.Struct, frozen=True):
    """The user asked to send ``text`` (already stripped, never empty) with ``attachments``
    (``desktop.core.attachments.Upload`` or ``AttachmentRecord``: new files, or ones sent
    before), which the composer checked against the limits."""

    text: str
    attachments: tuple[Any, ...] = ()


class FilesIntent(msgspec.Struct, frozen=True):
    """Local files were dropped on the chat: attach them to the message being written."""

    paths: tuple[str, ...]


class StopIntent(msgspec.Struct, frozen=True):
    """The user asked to stop the reply that is streaming."""


class HeaderAction(msgspec.Struct, frozen=True):
    """``action`` is "clear_context", "diagnose" or "show_sidebar"."""

    action: str


class NoticeAction(msgspec.Struct, frozen=True):
    """The button of a notice in the chat was clicked: ``action`` is "open_profile" (the
    profile dialog on ``profile_id``)."""

    action: str
    profile_id: str = ""


class WelcomeIntent(msgspec.Struct, frozen=True):
    """``action`` is "add_profile" or "demo"."""

    action: str


# -- the sidebar ---------------------------------------------------------------------------------


class SessionIntent(msgspec.Struct, frozen=True):
    """An action on session ``session_id`` (select, delete)."""

    session_id: int


class RenameIntent(msgspec.Struct, frozen=True):
    session_id: int
    title: str


class PinIntent(msgspec.Struct, frozen=True):
    session_id: int
    pinned: bool


class FilterIntent(msgspec.Struct, frozen=True):
    """Sessions to show: of ``profile_id`` ("" = all bots) matching ``query``."""

    profile_id: str
    query: str


class NewSessionIntent(msgspec.Struct, frozen=True):
    """Start a new chat with the selected bot ("" = the window decides)."""

    profile_id: str

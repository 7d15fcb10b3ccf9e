"""Payloads of the chat view's signals: one frozen dataclass per kind of user intent.

The view only says what the user asked for; the controller decides what to do about it.
"""

from __future__ import annotations

from dataclasses import dataclass


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
class LogIntent:
    """Show the network log entry of a request (by Coze log id and/or chat id)."""

    log_id: str
    chat_id: str = ""


@dataclass(frozen=True, slots=True)
class CopyIntent:
    """``text`` was put on the clipboard (the view already copied it; show a confirmation)."""

    text: str

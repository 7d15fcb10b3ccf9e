"""Storage failures as plain-language ``StorageError``s.

SQLite reports environment problems (full disk, I/O errors, a read-only file, a
lock held by another process, a damaged file) as ``sqlite3`` exceptions with
terse texts. They are the environment's fault, not a bug, so they become a
``StorageError`` whose message a user can act on; ``kind`` lets callers branch.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


class StorageError(Exception):
    """The chat history could not be read or written; ``str()`` is fit for the user.

    ``kind`` is one of: disk_full, io, readonly, locked, corrupt, newer_schema,
    constraint, other.
    """

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "database or disk is full",
        "disk_full",
        "The disk is full, so the chat history could not be saved. "
        "Free some disk space and try again; earlier history is intact.",
    ),
    (
        "disk i/o error",
        "io",
        "A disk error (I/O error) stopped the chat history from being saved. "
        "Check the drive; earlier history is intact.",
    ),
    (
        "readonly",
        "readonly",
        "The chat history file is read-only, so nothing new can be saved. "
        "Check the permissions of the Coze Desktop data folder.",
    ),
    (
        "database is locked",
        "locked",
        "The chat history is locked by another program (another Coze Desktop, a database "
        "browser, a backup tool). Close it and try again.",
    ),
    (
        "unable to open database",
        "io",
        "The chat history file could not be opened. "
        "Check that the Coze Desktop data folder exists and is writable.",
    ),
    (
        "file is not a database",
        "corrupt",
        "The chat history file is damaged or is not a Coze Desktop history. "
        "Move it aside to start a fresh history.",
    ),
    (
        "malformed",
        "corrupt",
        "The chat history file is damaged. Move it aside to start a fresh history.",
    ),
)


def storage_error(exc: sqlite3.Error) -> StorageError:
    """Translate an sqlite3 exception into a plain ``StorageError``."""
    text = str(exc)
    lowered = text.lower()
    for needle, kind, message in _RULES:
        if needle in lowered:
            return StorageError(f"{message} (SQLite: {text})", kind)
    if isinstance(exc, sqlite3.IntegrityError):
        return StorageError(f"The change conflicts with saved data (SQLite: {text})", "constraint")
    return StorageError(f"The chat history could not be used (SQLite: {text})")


@contextmanager
def translated() -> Iterator[None]:
    """Re-raise any ``sqlite3.Error`` inside the block as a ``StorageError``."""
    try:
        yield
    except sqlite3.Error as exc:
        raise storage_error(exc) from exc

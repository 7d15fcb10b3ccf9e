"""SQLite storage with versioned migrations: profiles, sessions and messages.

Open with ``Database.open(path)``; use ``db.profiles``, ``db.sessions`` and
``db.messages``. Every failure surfaces as a plain-language ``StorageError``.
"""

from desktop.storage.db import Database
from desktop.storage.errors import StorageError
from desktop.storage.messages import message_fields
from desktop.storage.migrations import SCHEMA_VERSION
from desktop.storage.models import (
    KINDS,
    REGIONS,
    ROLES,
    STATUSES,
    Profile,
    Session,
    StoredMessage,
)

__all__ = [
    "KINDS",
    "REGIONS",
    "ROLES",
    "SCHEMA_VERSION",
    "STATUSES",
    "Database",
    "Profile",
    "Session",
    "StorageError",
    "StoredMessage",
    "message_fields",
]

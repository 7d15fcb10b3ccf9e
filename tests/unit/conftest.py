"""Fixtures shared by the storage tests: a fresh history in the test's home, with one profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from desktop.storage import Database, Profile

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database.open()
    yield database
    database.close()


@pytest.fixture
def profile(db: Database) -> Profile:
    return db.profiles.add(Profile(name="Weather", region="cn", bot_id="7001", user_id="u1"))

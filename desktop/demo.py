"""The built-in demo: an embedded simulator on a free loopback port plus the demo profiles.

"Demo bot" talks to the simulator's weather bot with the simulator's token. "Demo: echo bot"
talks to its echo bot (it repeats the question and counts the turns: a second bot to compare
with, offline). "Demo: wrong token" uses the weather bot with a token the simulator refuses, to
show what an authentication failure looks like. "Demo: attachments" talks to the simulator's
file bot, which describes the files and images it is sent. Tokens go to the secret store like
any other token. The simulator's port changes on every start, so existing demo profiles get
their base URL refreshed.

The simulator (an HTTP server and its bots) is imported only when the demo starts: a normal
start of the app never loads it.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop.storage.models import Profile

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.secrets import SecretStore
    from desktop.simulator import Simulator
    from desktop.storage.db import Database

log = logging.getLogger(__name__)

DEMO_PROFILE_NAME = "Demo bot"
WRONG_TOKEN_PROFILE_NAME = "Demo: wrong token"
FILES_PROFILE_NAME = "Demo: attachments"
ECHO_PROFILE_NAME = "Demo: echo bot"
DEMO_PROFILE_NAMES = (
    DEMO_PROFILE_NAME, ECHO_PROFILE_NAME, WRONG_TOKEN_PROFILE_NAME, FILES_PROFILE_NAME,
)  # fmt: skip
WRONG_TOKEN = "pat_this_token_is_wrong_on_purpose_to_show_an_authentication_error_0000"
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


class DemoEnvironment:
    """Owns the embedded simulator for the demo profiles."""

    def __init__(
        self,
        db: Database,
        secrets: SecretStore,
        simulator_factory: Callable[[], Simulator] | None = None,
    ) -> None:
        self._db = db
        self._secrets = secrets
        self._factory = simulator_factory or _default_simulator
        self.simulator: Simulator | None = None

    @property
    def base_url(self) -> str:
        return self.simulator.base_url if self.simulator is not None else ""

    def start(self) -> str:
        """Start the simulator once (free loopback port); returns its base URL."""
        if self.simulator is None:
            simulator = self._factory()
            simulator.start("127.0.0.1", 0)
            self.simulator = simulator
            log.info("demo simulator listening on %s", simulator.base_url)
        return self.simulator.base_url

    def ensure_profiles(self) -> Profile:
        """Create (or repoint) the demo profiles and store their tokens; returns "Demo bot".
        Profiles copied from them (same earlier simulator address) follow too."""
        from desktop.simulator import DEMO_TOKEN, ECHO_BOT_ID, FILES_BOT_ID

        before = {p.base_url for p in self._db.profiles.list() if is_demo_profile(p)}
        base_url = self.start()
        demo = self._upsert(DEMO_PROFILE_NAME, base_url, DEMO_TOKEN)
        self._upsert(ECHO_PROFILE_NAME, base_url, DEMO_TOKEN, ECHO_BOT_ID)
        self._upsert(WRONG_TOKEN_PROFILE_NAME, base_url, WRONG_TOKEN)
        self._upsert(FILES_PROFILE_NAME, base_url, DEMO_TOKEN, FILES_BOT_ID)
        self._repoint_copies(before - {base_url}, base_url)
        return demo

    def _repoint_copies(self, old_urls: set[str], base_url: str) -> None:
        """Point the demo profiles' copies (a duplicated "Demo bot", on the simulator's earlier
        address) at the new port; one whose token was kept only in memory (no keyring) gets its
        original's token back, as the demo profiles do ("Demo: wrong token (2)": the wrong one)."""
        for profile in self._db.profiles.list():
            if profile.base_url not in old_urls or not _on_loopback(profile):
                continue
            self._db.profiles.update(dataclasses.replace(profile, base_url=base_url))
            if not self._secrets.get(profile.id):
                self._secrets.set(profile.id, _token_for_copy(profile.name))
            log.info("demo copy %r repointed to %s", profile.name, base_url)

    def refresh_if_present(self) -> bool:
        """If demo profiles exist, start the simulator and point them at it."""
        if not any(is_demo_profile(p) for p in self._db.profiles.list()):
            return False
        self.ensure_profiles()
        return True

    def stop(self) -> None:
        if self.simulator is not None:
            self.simulator.stop()
            self.simulator = None

    def _upsert(self, name: str, base_url: str, token: str, bot_id: str = "") -> Profile:
        existing = self._db.profiles.by_name(name)
        if existing is not None and existing.name == name:
            profile = self._db.profiles.update(dataclasses.replace(existing, base_url=base_url))
        else:
            profile = self._db.profiles.add(_demo_profile(name, base_url, bot_id))
        if self._secrets.get(profile.id) != token:
            self._secrets.set(profile.id, token)
        return profile


def _token_for_copy(name: str) -> str:
    from desktop.simulator import DEMO_TOKEN

    return WRONG_TOKEN if name.startswith(WRONG_TOKEN_PROFILE_NAME) else DEMO_TOKEN


def _default_simulator() -> Simulator:
    from desktop.simulator import Simulator

    return Simulator()


def _demo_profile(name: str, base_url: str, bot_id: str = "") -> Profile:
    from desktop.simulator import DEMO_BOT_ID, DEMO_USER_ID

    return Profile(
        name=name,
        region="custom",
        base_url=base_url,
        bot_id=bot_id or DEMO_BOT_ID,
        user_id=DEMO_USER_ID,
        custom_variables={},
    )


def is_demo_profile(profile: Profile) -> bool:
    """A demo profile: one of the demo names, on a loopback custom URL."""
    if profile.name not in DEMO_PROFILE_NAMES:
        return False
    return _on_loopback(profile)


def _on_loopback(profile: Profile) -> bool:
    host = urlsplit(profile.base_url).hostname or ""
    return profile.region == "custom" and host in _LOOPBACK

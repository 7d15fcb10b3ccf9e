"""The built-in demo: an embedded simulator on a free loopback port plus the demo profiles.

"Demo bot" talks to the simulator's weather bot with the simulator's token. "Demo: echo bot"
talks to its echo bot (it repeats the question and counts the turns: a second bot to compare
with, offline). "Demo: wrong token" uses the weather bot with a token the simulator refuses, to
show what an authentication failure looks like. "Demo: attachments" talks to the simulator's
file bot, which describes the files and images it is sent. "Demo: client-side tool" talks to the
simulator's tool bot, which waits for the client to run a local tool (``requires_action``) and
answers with its result. "Demo: chatflow" targets the simulator's chatflow, which asks a
question first (a question node) and ends with a link to the run. Tokens go to the secret store
like any other token. The simulator's port changes on every start, so existing demo profiles get
their base URL refreshed.

The simulator (an HTTP server and its bots) is imported only when the demo starts: a normal
start of the app never loads it.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any
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
TOOL_PROFILE_NAME = "Demo: client-side tool"
CHATFLOW_PROFILE_NAME = "Demo: chatflow"
DEMO_PROFILE_NAMES = (
    DEMO_PROFILE_NAME,
    ECHO_PROFILE_NAME,
    WRONG_TOKEN_PROFILE_NAME,
    FILES_PROFILE_NAME,
    TOOL_PROFILE_NAME,
    CHATFLOW_PROFILE_NAME,
)
CHATFLOW_PARAMETERS = {"unit": "C"}  # the demo chatflow's input parameters (echoed in its answer)
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
        from desktop.simulator import (
            DEMO_BOT_ID,
            DEMO_TOKEN,
            ECHO_BOT_ID,
            FILES_BOT_ID,
            TOOL_BOT_ID,
        )
        from desktop.simulator.chatflow import CHATFLOW_APP_ID, CHATFLOW_WORKFLOW_ID

        before = {p.base_url for p in self._db.profiles.list() if is_demo_profile(p)}
        base_url = self.start()
        demo = self._upsert(DEMO_PROFILE_NAME, base_url, DEMO_TOKEN, bot_id=DEMO_BOT_ID)
        self._upsert(ECHO_PROFILE_NAME, base_url, DEMO_TOKEN, bot_id=ECHO_BOT_ID)
        self._upsert(WRONG_TOKEN_PROFILE_NAME, base_url, WRONG_TOKEN, bot_id=DEMO_BOT_ID)
        self._upsert(FILES_PROFILE_NAME, base_url, DEMO_TOKEN, bot_id=FILES_BOT_ID)
        self._upsert(TOOL_PROFILE_NAME, base_url, DEMO_TOKEN, bot_id=TOOL_BOT_ID)
        self._upsert(CHATFLOW_PROFILE_NAME, base_url, DEMO_TOKEN, workflow_id=CHATFLOW_WORKFLOW_ID,
                     app_id=CHATFLOW_APP_ID, parameters=dict(CHATFLOW_PARAMETERS))  # fmt: skip
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

    def _upsert(self, name: str, base_url: str, token: str, **target: Any) -> Profile:
        """The demo profile ``name`` on ``base_url`` with ``token``; a new one talks to
        ``target`` (its bot id, or a chatflow's workflow id, app id and parameters)."""
        existing = self._db.profiles.by_name(name)
        if existing is not None and existing.name == name:
            profile = self._db.profiles.update(dataclasses.replace(existing, base_url=base_url))
        else:
            profile = self._db.profiles.add(_demo_profile(name, base_url, **target))
        if self._secrets.get(profile.id) != token:
            self._secrets.set(profile.id, token)
        return profile


def _token_for_copy(name: str) -> str:
    from desktop.simulator import DEMO_TOKEN

    return WRONG_TOKEN if name.startswith(WRONG_TOKEN_PROFILE_NAME) else DEMO_TOKEN


def _default_simulator() -> Simulator:
    from desktop.simulator import Simulator

    return Simulator()


def _demo_profile(name: str, base_url: str, **target: Any) -> Profile:
    from desktop.simulator import DEMO_USER_ID

    return Profile(
        name=name,
        region="custom",
        base_url=base_url,
        user_id=DEMO_USER_ID,
        custom_variables={},
        **target,
    )


def is_demo_profile(profile: Profile) -> bool:
    """A demo profile: one of the demo names, on a loopback custom URL."""
    if profile.name not in DEMO_PROFILE_NAMES:
        return False
    return _on_loopback(profile)


def _on_loopback(profile: Profile) -> bool:
    host = urlsplit(profile.base_url).hostname or ""
    return profile.region == "custom" and host in _LOOPBACK

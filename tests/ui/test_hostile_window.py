"""The window against a hostile server (same core as the CLI): the turn ends with the limit's
diagnosis, the partial answer is kept and marked, and the window stays usable."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from desktop.simulator import DEMO_TOKEN
from desktop.storage import Profile
from tests.integration import hostile

if TYPE_CHECKING:
    from tests.ui.harness import Shell


@pytest.mark.parametrize(("script", "words"), hostile.LIMIT_CASES)
def test_a_hostile_answer_fails_the_turn_and_keeps_what_arrived(
    shell: Shell, script: hostile.Script, words: str
) -> None:
    with hostile.HostileServer(script) as url:
        profile = shell.db.profiles.add(Profile(name="Hostile", region="custom", base_url=url,
                                                bot_id="1", user_id="u"))  # fmt: skip
        shell.secrets.set(profile.id, DEMO_TOKEN)
        shell.window.refresh_profiles()
        session_id = shell.start_chat(profile)
        finished = shell.send("hi", timeout=60_000)
    assert finished.error is not None
    assert finished.error.diagnosis.key == "response_too_large"
    assert words in finished.error.msg
    assert finished.message.content == "hello "
    assert finished.message.status == "interrupted"
    stored = shell.db.messages.list(session_id)[-1]
    assert stored.content == "hello "
    assert stored.error is not None
    assert stored.error.diagnosis == "response_too_large"

"""Local tools: a profile's fixed results for client-side tools, so a demo or test bot runs
unattended.

Off by default. A profile maps a tool's function name to the text to submit as its result;
only with ``auto_local_tools`` does a turn submit them by itself (:func:`handler_for`), and only
when every pending call has one (the calls go to Coze all at once). Otherwise the window offers
them in the request card, where the user confirms each by pressing Submit. No local command is
ever run: a fixed text is all a profile can say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.api.events import ToolCall
    from desktop.core.chat import ToolHandler
    from desktop.storage import Profile

MAX_ROUNDS = 8  # a bot that asks again and again is not answered forever


def replies_for(profile: Profile) -> dict[str, str]:
    """The results the profile offers, whether or not they are sent unattended."""
    return dict(profile.local_tools)


def handler_for(profile: Profile) -> ToolHandler | None:
    """A tool handler answering from the profile's fixed results (None unless opted in)."""
    if not (profile.auto_local_tools and profile.local_tools):
        return None
    replies = replies_for(profile)
    rounds = 0

    async def answer(calls: Sequence[ToolCall]) -> list[tuple[str, str]]:
        nonlocal rounds
        rounds += 1
        if rounds > MAX_ROUNDS or not all(call.name in replies for call in calls):
            return []
        return [(call.id, replies[call.name]) for call in calls]

    return answer

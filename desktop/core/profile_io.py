"""Profile import/export as JSON. Tokens are never part of the file (they stay in the keyring)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from desktop.settings import atomic_write_text
from desktop.storage.models import REGIONS, Profile

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

FORMAT = "coze-desktop-profiles"
VERSION = 1
_FIELDS = ("name", "region", "base_url", "bot_id", "user_id", "stream", "auto_save_history",
           "custom_variables", "workflow_id", "app_id", "parameters", "local_tools",
           "auto_local_tools")  # fmt: skip


class ProfileFileError(ValueError):
    """The file is not a profile export (the message is for the user)."""


def profiles_to_json(profiles: Iterable[Profile]) -> str:
    """The export text: settings of each profile, no ids, no tokens."""
    items = [{name: getattr(p, name) for name in _FIELDS} for p in profiles]
    data = {"format": FORMAT, "version": VERSION, "profiles": items}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_profiles(path: Path, profiles: Iterable[Profile]) -> int:
    """Write the export file; returns the number of profiles written."""
    items = list(profiles)
    atomic_write_text(path, profiles_to_json(items))
    return len(items)


def profiles_from_json(text: str) -> list[Profile]:
    """Parse an export (new ids; the caller adds tokens separately). Raises ProfileFileError."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ProfileFileError(f"not a JSON file ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProfileFileError("not a Coze Desktop profile export")
    items = data.get("profiles")
    if not isinstance(items, list):
        raise ProfileFileError("the file has no profile list")
    return [_profile(item, index) for index, item in enumerate(items, 1)]


def read_profiles(path: Path) -> list[Profile]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileFileError(f"cannot read {path.name}: {exc}") from exc
    return profiles_from_json(text)


def _profile(item: Any, index: int) -> Profile:
    if not isinstance(item, dict):
        raise ProfileFileError(f"profile {index} is not an object")
    name = str(item.get("name") or "").strip()
    bot_id = str(item.get("bot_id") or "").strip()
    region = str(item.get("region") or "cn")
    workflow_id = str(item.get("workflow_id") or "").strip()
    if not name or not (bot_id or workflow_id) or region not in REGIONS:
        raise ProfileFileError(f"profile {index} needs a name, a bot id and a valid region")
    variables = item.get("custom_variables") or {}
    parameters = item.get("parameters") or {}
    local = item.get("local_tools") or {}
    for key, value in (("custom_variables", variables), ("parameters", parameters),
                       ("local_tools", local)):  # fmt: skip
        if not isinstance(value, dict):
            raise ProfileFileError(f"profile {index}: {key} must be an object")
    return Profile(
        name=name,
        region=region,  # type: ignore[arg-type]
        base_url=str(item.get("base_url") or ""),
        bot_id=bot_id,
        user_id=str(item.get("user_id") or ""),
        stream=bool(item.get("stream", True)),
        auto_save_history=bool(item.get("auto_save_history", True)),
        custom_variables={str(k): str(v) for k, v in variables.items()},
        workflow_id=workflow_id,
        app_id=str(item.get("app_id") or "").strip(),
        parameters=dict(parameters),
        local_tools={str(k): str(v) for k, v in local.items()},
        auto_local_tools=bool(item.get("auto_local_tools", False)),
    )


def unique_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... whichever is free."""
    used = set(taken)
    if name not in used:
        return name
    n = 2
    while f"{name} ({n})" in used:
        n += 1
    return f"{name} ({n})"

"""Export chat sessions as Markdown or JSON (used by the CLI and the GUI's File menu).

Markdown is for reading and sharing: one ``#`` heading per session, a ``##`` heading per turn,
thinking as a quote, tool calls as a list, follow-ups at the end of an answer, a question's
attachments listed under it. JSON is for tools: every stored field (but an attachment's places on
this computer), one object per session. Neither ever contains a token (none is stored).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.storage.db import Database
    from desktop.storage.models import Session, StoredMessage
    from desktop.storage.parts import AttachmentRecord, ToolRecord

FORMATS = ("md", "json")
EXPORT_VERSION = 1


class ExportError(ValueError):
    """Nothing to export, or an unknown format (the message is for the user)."""


def export_sessions(db: Database, session_ids: Sequence[int] | None = None, fmt: str = "md") -> str:
    """The text of the export: the given sessions (default: all, newest first)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    sessions = _sessions(db, session_ids)
    pairs = [(s, list(db.messages.list(s.id))) for s in sessions]
    return to_json(pairs) if fmt == "json" else to_markdown(pairs)


def _sessions(db: Database, session_ids: Sequence[int] | None) -> list[Session]:
    if session_ids is None:
        return list(db.sessions.list())
    found = []
    for sid in session_ids:
        session = db.sessions.get(sid)
        if session is None:
            raise ExportError(f"no session with id {sid}")
        found.append(session)
    return found


# -- JSON -----------------------------------------------------------------------------------------


def to_json(pairs: Sequence[tuple[Session, Sequence[StoredMessage]]]) -> str:
    doc = {
        "format": "coze-desktop-export",
        "version": EXPORT_VERSION,
        "sessions": [
            {"session": asdict(s), "messages": [_message_json(m) for m in messages]}
            for s, messages in pairs
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _message_json(m: StoredMessage) -> dict[str, Any]:
    """A message as JSON; attachments without the places on this computer (the picked file,
    the app's thumbnail copy): an export is for sharing."""
    doc = asdict(m)
    for item in doc["attachments"]:
        item.pop("path", None)
        item.pop("thumb", None)
    return doc


# -- Markdown -------------------------------------------------------------------------------------


def to_markdown(pairs: Sequence[tuple[Session, Sequence[StoredMessage]]]) -> str:
    blocks = [_session_md(s, messages) for s, messages in pairs]
    return "\n\n".join(blocks).rstrip() + "\n"


def _session_md(session: Session, messages: Sequence[StoredMessage]) -> str:
    lines = [f"# {session.title or 'Untitled chat'}", ""]
    meta = [f"Created {_when(session.created_at)}"]
    if session.conversation_id:
        meta.append(f"conversation `{session.conversation_id}`")
    lines += [" · ".join(meta), ""]
    for message in messages:
        lines += message_md(message)
    return "\n".join(lines).rstrip()


def message_md(m: StoredMessage) -> list[str]:
    if m.kind == "divider":
        return ["---", "", "*Context cleared*", ""]
    if m.role == "user":
        return ["## You", "", m.content, "", *_attachments_md(m.attachments)]
    lines = ["## Bot", ""]
    if m.reasoning:
        lines += [_quote("Thinking: " + m.reasoning), ""]
    lines += [f"- Tool `{_tool_label(t)}`" for t in m.tools]
    if m.tools:
        lines.append("")
    if m.content:
        lines += [m.content, ""]
    if m.follow_ups:
        lines += ["Suggested follow-ups:", ""] + [f"- {q}" for q in m.follow_ups] + [""]
    lines += _status_md(m)
    return lines


def _attachments_md(items: Sequence[AttachmentRecord]) -> list[str]:
    if not items:
        return []
    # here, not at the top: the window names its comparisons (``core.compare`` imports this
    # module) before its first frame, which loads nothing of attachments
    from desktop.core.attachments import human_size

    lines = ["Attachments:", ""]
    for item in items:
        facts = [item.kind, human_size(item.size)]
        if item.width and item.height:
            facts.append(f"{item.width}×{item.height}")
        line = f"- {item.name} ({', '.join(facts)})"
        lines.append(line + (f" · file id `{item.file_id}`" if item.file_id else " · not uploaded"))
    return [*lines, ""]


def _status_md(m: StoredMessage) -> list[str]:
    if m.status == "complete":
        return []
    note = f"*({m.status})*"
    error = m.error
    known = () if error is None else (("status", error.status), ("code", error.code),
                                      ("msg", error.msg), ("log_id", error.log_id))  # fmt: skip
    facts = [f"{k} {v}" for k, v in known if v]
    if facts:
        note = f"*({m.status}: {' · '.join(str(f) for f in facts)})*"
    return [note, ""]


def _tool_label(tool: ToolRecord) -> str:
    name = tool.name or "tool"
    args = tool.arguments
    if isinstance(args, dict):
        inner = ", ".join(f"{k}={v}" for k, v in args.items())
    else:
        inner = str(args or "")
    return f"{name}({inner})"


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() or [""])


def _when(ts: float) -> str:
    if not ts:
        return "-"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")

"""Plain-text renderings of one exchange for the log dock's tabs (no Qt here).

Everything shown comes from the netlog record, whose headers and bodies are masked at write time;
SSE frame data (recorded raw on the hot path) passes through ``scrub_text`` before it is shown, so
a token a server echoes back never appears.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import TYPE_CHECKING

from desktop.api.events import parse_event
from desktop.core import transcript
from desktop.netlog import Exchange, scrub_text

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

PRETTY_LIMIT = 400_000  # characters; larger bodies are shown as received
LINE_LIMIT = 1000  # longest line handed to a text view: one huge line is laid out in one piece
CHUNK_CHARS = 64_000  # characters added to a text view per event-loop turn


def pretty_body(text: str, content_type: str = "") -> str:
    """JSON pretty-printed (keys in order, CJK kept), anything else (HTML, text) as is."""
    stripped = text.strip()
    if not stripped or len(stripped) > PRETTY_LIMIT or stripped[0] not in "[{":
        return text
    try:
        value = json.loads(stripped)
    except ValueError:
        return text
    return json.dumps(value, ensure_ascii=False, indent=2)


def header_value(headers: Sequence[tuple[str, str]], name: str) -> str:
    return next((v for k, v in headers if k.lower() == name), "")


def request_text(ex: Exchange, body_label: str) -> str:
    """``POST https://…?conversation_id=…``, every header sent (token masked), the body."""
    lines = [f"{ex.method} {ex.url}", ""]
    lines += [f"{name}: {value}" for name, value in ex.request_headers]
    if ex.upload is not None:
        lines += ["", f"{body_label}: multipart file “{ex.upload[0]}” ({ex.upload[1]} bytes)"]
    elif ex.request_body:
        ctype = header_value(ex.request_headers, "content-type")
        lines += ["", pretty_body(ex.request_body, ctype)]
    return "\n".join(lines)  # recorded masked: scrubbing again would mangle the masked form


def status_line(ex: Exchange) -> str:
    if ex.status is None:
        return ""
    try:
        phrase = HTTPStatus(ex.status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP/1.1 {ex.status} {phrase}".rstrip()


def response_head(ex: Exchange) -> str:
    """The status line and response headers."""
    lines = [status_line(ex)] if ex.status is not None else []
    lines += [f"{name}: {value}" for name, value in ex.response_headers]
    return "\n".join(lines)


def response_text(ex: Exchange, truncated_note: str) -> str:
    """Head plus body (JSON pretty, HTML and text as they are)."""
    parts = [response_head(ex)]
    if ex.response_body:
        ctype = header_value(ex.response_headers, "content-type")
        parts += ["", pretty_body(ex.response_body, ctype)]
        if ex.body_truncated:
            parts.append(truncated_note)
    return "\n".join(parts)


def frame_summary(data: str, limit: int) -> str:
    """A frame's data for a table cell: a message's ``[type] content`` or a chat's status first."""
    if data.startswith("{") and ('"content"' in data or '"status"' in data):
        try:
            obj = json.loads(data)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            data = _summary(obj, data)
    return scrub_text(data[:limit].replace("\n", "⏎"))


def _summary(obj: dict[str, object], data: str) -> str:
    if "content" in obj and "type" in obj:
        if not obj["content"] and obj.get("reasoning_content"):
            return f"[{obj['type']}·reasoning] {obj['reasoning_content']}"
        return f"[{obj['type']}] {obj['content']}"
    if "status" in obj:
        error = obj.get("last_error")
        code = error.get("code") if isinstance(error, dict) else 0
        return f"status={obj['status']}" + (f" last_error={error}" if code else "") + f"  {data}"
    return data


def frame_data(data: str) -> str:
    """One frame's data pretty-printed (for the frame detail box)."""
    return scrub_text(pretty_body(data))


def _show(value: object) -> str:
    if isinstance(value, str):
        return pretty_body(value)
    return json.dumps(value, ensure_ascii=False, indent=2)


GAP_NOTE = "[{n} frames from the middle of the stream were not kept]"


def fold_frames(ex: Exchange, state: transcript.TurnState, start: int, end: int) -> None:
    """Fold the kept frames numbered ``start..end`` (sequence numbers) into ``state`` through the
    transcript reducer, as the chat did; frames not kept are skipped."""
    for _seq, (_t, event, data) in ex.kept_between(start, end):
        state.apply(parse_event(event, data))


def merged_state(ex: Exchange) -> transcript.TurnState:
    state = transcript.TurnState()
    fold_frames(ex, state, 0, ex.event_count)
    return state


def merged_text(
    ex: Exchange, labels: dict[str, str], state: transcript.TurnState | None = None
) -> str:
    """Answer, reasoning, tool calls, follow-ups and usage of a stream, as readable text.

    When the middle of the stream was not kept, a note (``labels["gap"]``, with ``{n}``) comes
    first: the deltas in between are missing, though a final ``message.completed`` (always kept)
    still carries the whole answer.
    """
    state = state if state is not None else merged_state(ex)
    parts: list[str] = []
    if ex.frames_dropped:
        parts += [labels.get("gap", GAP_NOTE).format(n=ex.frames_dropped), ""]
    if state.reasoning:
        parts += [f"## {labels['reasoning']}", state.reasoning, ""]
    for step in state.tools:
        parts += [f"## {labels['tool']}: {step.name}", _show(step.arguments)]
        if step.output:
            parts += [f"→ {_show(step.output)}"]
        parts.append("")
    parts += [f"## {labels['answer']}", state.answer or "—", ""]
    if state.follow_ups:
        parts += [f"## {labels['follow_ups']}", *(f"• {q}" for q in state.follow_ups), ""]
    if state.usage is not None:
        u = state.usage
        parts += [f"## {labels['usage']}",
                  f"tokens: {u.token_count} (input {u.input_count}, output {u.output_count})"]  # fmt: skip
    return scrub_text("\n".join(parts).rstrip())


def display_lines(text: str, limit: int = LINE_LIMIT) -> Iterator[str]:
    """The lines of ``text``, lines longer than ``limit`` broken (after a space when there is one).

    A text view lays out a paragraph in one go: a 300 KB answer without line breaks would freeze
    the UI for a fifth of a second. Shorter paragraphs are laid out only when scrolled to.
    """
    for line in text.split("\n"):
        start = 0
        while len(line) - start > limit:
            end = start + limit
            space = line.rfind(" ", start + limit // 2, end)
            cut = space + 1 if space >= 0 else end
            yield line[start:cut]
            start = cut
        yield line[start:] if start else line


def display_chunks(
    text: str, line_limit: int = LINE_LIMIT, chunk_chars: int = CHUNK_CHARS
) -> list[str]:
    """``text`` as display lines grouped into pieces of about ``chunk_chars`` (at least one piece).

    Joining the pieces with newlines gives the display text: the original with long lines broken.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in display_lines(text, line_limit):
        if current and size + len(line) > chunk_chars:
            chunks.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    chunks.append("\n".join(current))
    return chunks


def source_slice(source: str, display: str, start: int, end: int) -> str:
    """The part of ``source`` that ``display[start:end]`` shows, where ``display`` is (a prefix
    of) ``source`` with line breaks inserted by :func:`display_lines`: copying from the view
    gives the text as received, not as broken for display.

    A character of ``display`` either is the next one of ``source`` or is an inserted break
    (breaks are inserted only inside a line, before a character that is not one).
    """
    first = last = -1
    j = 0
    for i in range(min(end, len(display))):
        if j < len(source) and display[i] == source[j]:
            if i >= start and first < 0:
                first = j
            j += 1
            last = j
    return source[first:last] if first >= 0 else ""

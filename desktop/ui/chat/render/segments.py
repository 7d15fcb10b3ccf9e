"""Split markdown into independently renderable segments, incrementally and deterministically.

A long answer is shown as a column of small documents instead of one big one: prose chunks of
roughly :data:`CHUNK_CHARS` characters and long top-level fenced code blocks. A short fenced block
(at most :data:`EMBED_MAX_LINES` lines of at most :data:`EMBED_MAX_COLS` characters) stays inside
its prose chunk and is drawn there (``render.embedded``), which keeps the widget count low; a block
is promoted to a segment of its own as soon as it grows past those limits. While an answer streams,
every segment except the last ("the tail") is *settled*: its source can no longer change, so its
widget is rendered once and frozen, and each update re-renders only the tail (stack notes §5:
0.19 s of CPU instead of 91 s for a 5,000-delta message).

The split is a greedy left-to-right scan whose decisions depend only on text already seen, so
scanning the final text from the start gives exactly the settled segments found while streaming
plus the final tail. A prose chunk may only end at a blank line followed by an unindented line
that is not a list item, so lists, indented code and tables are never cut in two.

A table of more than :data:`TABLE_MAX_ROWS` rows (lines starting with ``|``) would take seconds
to lay out as a table: like a long fence, it is promoted to a segment of its own once it grows
past the limit, a code segment in the language :data:`TABLE_LANG`, shown as preformatted text.
A list or a paragraph is cut, against the rule above, at an unindented line once its chunk has
reached :data:`HARD_CHUNK_CHARS` (a 5,000-item list would take seconds to lay out; an ordered
list goes on with its own numbers, a bullet list shows a paragraph gap at the cut). So is a
line of prose longer than :data:`PROSE_MAX_LINE` (one 1 MB paragraph): a code segment
without a language, shown as plain text, also while it streams. Inside a long fence the closing line is looked for with ``str.find``, not line by line,
so a 50,000-line block costs a few milliseconds to scan.

Qt-free: plain string processing.
"""

from __future__ import annotations

import re
from typing import Literal

import msgspec

# Smaller chunks made the render benchmark slower (1,500: total/core about 1.5x against 1.4x) and
# a 1 MB answer 30 MiB larger (tests/bench/README.md). The streaming tail's frames stay cheap
# at this size: a frame re-renders only what follows the tail's last cut (``last_cut``).
CHUNK_CHARS = 4000
HARD_CHUNK_CHARS = 8_000  # past this, a chunk ends at any unindented line (a 5,000-item list)
EMBED_MAX_LINES = 30
EMBED_MAX_COLS = 100
CODE_SHOW_MAX_LINES = 200  # a longer code block shows its first lines only (Copy copies all)
SHOW_MAX_CHARS = 20_000  # ... and at most this many characters (one 1 MB line takes seconds)
CODE_COLOUR_MAX_LINES = 150  # a longer one stays plain (colouring it would block the window)
TABLE_MAX_ROWS = 100  # a longer table is shown as preformatted text
PROSE_MAX_LINE = 20_000  # a longer markdown line is shown as plain text (a code segment)
TABLE_LANG = "table"  # the language of such a segment (not a Pygments lexer: plain text)

_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})[ \t]*([^`\n]*)$")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


class Segment(msgspec.Struct, frozen=True):
    """One renderable piece: a prose chunk (markdown source) or a fenced code block (its body)."""

    kind: Literal["prose", "code"]
    text: str
    lang: str = ""
    closed: bool = True  # code: the closing fence was seen


class ScanResult(msgspec.Struct):
    """``settled`` segments end at ``end``; ``tail`` (0 or 1 segment) may still change."""

    settled: list[Segment]
    end: int
    tail: list[Segment]


class _Fence(msgspec.Struct):
    char: str
    length: int
    lang: str
    line_start: int  # the opening fence line: a rescan from here re-opens the same fence
    body_start: int
    embedded: bool = True  # still short enough to stay inside its prose chunk
    lines: int = 0


def scan(text: str, start: int = 0, *, final: bool = False) -> ScanResult:
    """Segments of ``text[start:]``; ``start`` must be 0 or a previous ``ScanResult.end``.

    With ``final`` the whole text is settled (the tail is folded into ``settled``).
    """
    settled: list[Segment] = []
    chunk_start = start
    fence: _Fence | None = None
    table = _Table()
    prev_blank = False
    pos = start
    while True:
        if fence is not None and not fence.embedded:
            closer = _next_closer(text, pos, fence, final)
            if closer < 0:
                break
            pos = closer
        nl = text.find("\n", pos)
        if nl < 0 and not final:
            break
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end]
        nxt = line_end + 1
        if fence is not None:
            if _closes(line, fence):
                if not fence.embedded:
                    settled.append(Segment("code", text[fence.body_start : pos], fence.lang, True))
                    chunk_start = nxt
                fence, prev_blank = None, False
            elif fence.embedded:
                fence.lines += 1
                if fence.lines > EMBED_MAX_LINES or len(line) > EMBED_MAX_COLS:
                    _add_prose(settled, text[chunk_start : fence.line_start])
                    fence.embedded = False
        elif _is_row(line):
            if table.start < 0:
                table.start, table.rows = pos, 0
                if prev_blank and pos - chunk_start >= CHUNK_CHARS and _can_start_chunk(line):
                    _add_prose(settled, text[chunk_start:pos])
                    chunk_start = pos
            table.rows += 1
            if table.rows > TABLE_MAX_ROWS and not table.big:
                _add_prose(settled, text[chunk_start : table.start])
                table.big = True
            prev_blank = False
        elif len(line) > PROSE_MAX_LINE:
            if table.big:
                settled.append(Segment("code", text[table.start : pos], TABLE_LANG, True))
            else:
                _add_prose(settled, text[chunk_start:pos])
            table.start, table.big = -1, False
            settled.append(Segment("code", line, "", True))
            chunk_start, prev_blank = min(nxt, len(text)), False
        else:
            if table.big:
                settled.append(Segment("code", text[table.start : pos], TABLE_LANG, True))
                chunk_start = pos
            table.start, table.big = -1, False
            opened = _opens(line)
            if opened is not None:
                fence = _Fence(opened[0][0], len(opened[0]), opened[1], pos, min(nxt, len(text)))
            elif prev_blank and pos - chunk_start >= CHUNK_CHARS and _can_start_chunk(line):
                _add_prose(settled, text[chunk_start:pos])
                chunk_start = pos
            elif pos - chunk_start >= HARD_CHUNK_CHARS and line[:1] not in " \t" and line.strip():
                _add_prose(settled, text[chunk_start:pos])  # a list or paragraph too long to
                chunk_start = pos  # lay out at once: cut at an unindented line anyway
            prev_blank = not line.strip()
        if nl < 0:
            pos = len(text)
            break
        pos = nxt
    if (
        not final
        and fence is None
        and len(text) - pos > PROSE_MAX_LINE
        and not _is_row(text[pos : pos + 8])
    ):  # the unfinished last line is too long already: as the final scan will see it
        if table.big:
            settled.append(Segment("code", text[table.start : pos], TABLE_LANG, True))
        else:
            _add_prose(settled, text[chunk_start:pos])
        return ScanResult(settled, pos, [Segment("code", text[pos:], "", False)])
    if table.big:
        tail = Segment("code", text[table.start :], TABLE_LANG, final)
        if final:
            return ScanResult([*settled, tail], len(text), [])
        return ScanResult(settled, table.start, [tail])
    return _finish(text, settled, chunk_start, fence, final)


class _Table(msgspec.Struct):
    start: int = -1  # where the current run of table rows starts
    rows: int = 0
    big: bool = False  # promoted to a segment of its own


def _is_row(line: str) -> bool:
    stripped = line.lstrip(" ")
    return stripped.startswith("|") and len(line) - len(stripped) <= 3


def _next_closer(text: str, pos: int, fence: _Fence, final: bool) -> int:
    """The start of the first line at or after ``pos`` closing ``fence``; -1 when there is none
    (while streaming, an unfinished last line does not count). Looks for the fence string
    (``str.find``, no loop over lines), then checks the line it is on."""
    mark = fence.char * fence.length
    hit = text.find(mark, pos)
    while hit >= 0:
        line_start = text.rfind("\n", pos, hit) + 1 or pos
        line_end = text.find("\n", hit)
        if line_end < 0:
            if not final:
                return -1
            line_end = len(text)
        if _closes(text[line_start:line_end], fence):
            return line_start
        hit = text.find(mark, line_end)
    return -1


def segment_all(text: str) -> list[Segment]:
    """The canonical segmentation of a finished text."""
    return scan(text, 0, final=True).settled


def _finish(
    text: str, settled: list[Segment], chunk_start: int, fence: _Fence | None, final: bool
) -> ScanResult:
    if fence is not None and not fence.embedded:
        end = fence.line_start
        tail = [Segment("code", text[fence.body_start :], fence.lang, False)]
    else:
        end = chunk_start
        rest = text[chunk_start:]
        tail = [Segment("prose", rest)] if rest.strip() else []
    if final:
        return ScanResult(settled + tail, len(text), [])
    return ScanResult(settled, end, tail)


class Part(msgspec.Struct, frozen=True):
    """A piece of a prose segment: markdown (``lang`` None) or an embedded fenced code block."""

    text: str
    lang: str | None = None
    closed: bool = True


def split_prose(text: str) -> list[Part]:
    """The markdown runs and top-level fenced code blocks of a prose segment, in order."""
    parts: list[Part] = []
    run_start = pos = 0
    fence: _Fence | None = None
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line, nxt = text[pos:line_end], line_end + 1
        if fence is None:
            opened = _opens(line)
            if opened is not None:
                if text[run_start:pos].strip():
                    parts.append(Part(text[run_start:pos]))
                fence = _Fence(opened[0][0], len(opened[0]), opened[1], pos, min(nxt, len(text)))
        elif _closes(line, fence):
            parts.append(Part(_body(text[fence.body_start : pos]), fence.lang, True))
            fence, run_start = None, nxt
        pos = nxt
    if fence is not None:
        parts.append(Part(_body(text[fence.body_start :]), fence.lang, False))
    elif text[run_start:].strip():
        parts.append(Part(text[run_start:]))
    return parts


def last_cut(text: str, start: int = 0) -> int:
    """The last place after ``start`` where ``text`` (a prose segment) can be cut in two that
    render, each on its own, as the whole does; ``start`` when there is none. ``start`` must be 0
    or an earlier cut. A cut is the start of a finished line that follows a blank line, is not
    indented, opens no list item, fence or table, and lies outside every fenced block: the
    rule chunks follow (:func:`scan`), with nothing that makes a document begin inside a frame.
    The streaming tail keeps what lies before its last cut as it is and re-renders the rest."""
    cut, fence, prev_blank, seen, pos = start, None, False, False, start
    while True:
        nl = text.find("\n", pos)
        if nl < 0:  # the unfinished last line may still become a list item or a fence
            return cut
        line = text[pos:nl]
        if fence is not None:
            if _closes(line, fence):
                fence = None
            prev_blank = False
        else:
            opened = _opens(line)
            if opened is not None:
                fence = _Fence(opened[0][0], len(opened[0]), opened[1], pos, nl + 1)
            elif prev_blank and seen and _can_start_chunk(line) and not _is_row(line):
                cut = pos  # (after some text: a blank first piece would add an empty block)
            prev_blank = not line.strip()
            seen = seen or not prev_blank
        pos = nl + 1


def head_lines(text: str, count: int, chars: int = SHOW_MAX_CHARS) -> tuple[str, int]:
    """The first ``count`` lines (at most ``chars`` characters) of ``text``, without a final
    newline, and how many lines ``text`` has; looks no further than needed for the head."""
    if len(text) > chars:
        head, total = head_lines(text[:chars], count, chars)
        return head, total + text.count("\n", chars)
    pos = 0
    for _ in range(count):
        nl = text.find("\n", pos)
        if nl < 0:
            return text, text.count("\n") + 1
        pos = nl + 1
    if pos >= len(text):
        return text[: max(0, pos - 1)], count
    return text[: pos - 1], text.count("\n") + 1


def _body(code: str) -> str:
    return code[:-1] if code.endswith("\n") else code


def _add_prose(out: list[Segment], source: str) -> None:
    if source.strip():
        out.append(Segment("prose", source))


def _opens(line: str) -> tuple[str, str] | None:
    """``(fence, language)`` if ``line`` opens a top-level fenced code block."""
    if not line.startswith(("```", "~~~")):
        return None
    m = _FENCE_OPEN.match(line.rstrip())
    if m is None:
        return None
    fence, info = m.group(1), m.group(2).strip()
    if fence[0] == "~" or "`" not in info:
        return fence, info.split()[0] if info else ""
    return None


def _closes(line: str, fence: _Fence) -> bool:
    stripped = line.strip()
    indent = len(line) - len(line.lstrip(" "))
    return indent <= 3 and len(stripped) >= fence.length and stripped == fence.char * len(stripped)


def _can_start_chunk(line: str) -> bool:
    """A new chunk may start here without changing how the markdown parses."""
    if not line or line[0] in " \t" or not line.strip():
        return False
    return _LIST_ITEM.match(line) is None

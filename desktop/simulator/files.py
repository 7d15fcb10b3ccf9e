"""What the simulator learns about an uploaded file, and how its file bot describes one.

Read here from the uploaded bytes, independently of the client's own code (a test of the client
should not check the client against itself): the MIME type from the first bytes or the name,
and an image's width and height from its PNG, GIF or JPEG header (cheap: no decoding).
"""

from __future__ import annotations

import mimetypes
import struct
from typing import Any

MAX_UPLOAD_BYTES = 512 * 1024 * 1024  # hosted Coze's documented limit
TOO_LARGE_CODE = 4302  # official error-code table: the file is too large
TOO_LARGE_MSG = "The file size exceeds the limit. Please upload a smaller file."


def facts(name: str, data: bytes) -> dict[str, Any]:
    """``mime``, ``kind`` ("image"/"file") and, for an image, ``width``/``height``."""
    mime = _sniff(data[:16]) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    out: dict[str, Any] = {"mime": mime, "kind": "image" if mime.startswith("image/") else "file"}
    size = _image_size(data)
    if size is not None:
        out["width"], out["height"] = size
    return out


def _sniff(head: bytes) -> str:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return ""


def _image_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    pos = 2 if data.startswith(b"\xff\xd8") else len(data)
    while pos + 9 < len(data) and data[pos] == 0xFF:
        marker, length = data[pos + 1], int.from_bytes(data[pos + 2 : pos + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return int(width), int(height)
        pos += 2 + length
    return None


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024:
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def describe(item: dict[str, Any], info: dict[str, Any] | None) -> str:
    """One markdown list line about an ``object_string`` item and the file it names."""
    kind = str(item.get("type") or "file")
    file_id = str(item.get("file_id") or "")
    if info is None:
        where = f"file id {file_id}" if file_id else str(item.get("file_url") or "no file id")
        return f"- **{kind}**: I have no uploaded file with {where}."
    line = f"- **{info['file_name']}** ({kind}, {info['mime']}, {human_size(info['bytes'])})"
    if "width" in info:
        line += f": an image of {info['width']} × {info['height']} pixels"
    if kind == "image" and info["kind"] != "image":
        line += " — sent as an image, but it does not look like one"
    return line

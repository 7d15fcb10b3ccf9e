"""Bot avatars the simulator serves (``icon_url`` of ``GET /v1/bots/{id}``): small PNG files.

Each scripted bot gets a round badge in a colour of its own, drawn here without any imaging
library (zlib + the PNG chunk format), so the demo shows a bot's face offline.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

ICON_PREFIX = "/sim/icons/"
SIZE = 64
_PALETTE = ((0x4D, 0x6B, 0xFE), (0x12, 0xB7, 0x6A), (0xF5, 0x8A, 0x07), (0xE0, 0x4F, 0x5F),
            (0x8E, 0x5C, 0xF7), (0x0E, 0xA5, 0xE9))  # fmt: skip


def icon_path(bot_id: str) -> str:
    return f"{ICON_PREFIX}{bot_id}.png"


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def icon_png(bot_id: str) -> bytes:
    """A 64x64 RGBA PNG: a filled circle in the bot's colour with a light ring."""
    colour = _PALETTE[hashlib.sha256(bot_id.encode()).digest()[0] % len(_PALETTE)]
    centre, radius = (SIZE - 1) / 2, SIZE / 2 - 1
    rows = bytearray()
    for y in range(SIZE):
        rows.append(0)  # filter: none
        for x in range(SIZE):
            d = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if d > radius:
                rows += b"\x00\x00\x00\x00"
            elif abs(d - radius * 0.55) < 2.5:
                rows += bytes((255, 255, 255, 230))
            else:
                rows += bytes((*colour, 255))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )

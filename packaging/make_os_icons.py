"""Pack the PNG renders in ``resources/icons`` into a Windows ``.ico`` and a macOS ``.icns``.

Both formats accept PNG payloads (Windows Vista+, macOS 10.7+), so no image library is needed:
the files are the existing renders plus a small header. Run after ``render_icons.py``:
``python packaging/make_os_icons.py``.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
STEM = "coze-desktop"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (the @2x types reuse the bigger renders).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def load_png(size: int, icons: Path = ICONS) -> bytes:
    """The ``size`` px render, checked to really be that size."""
    data = (icons / f"{STEM}-{size}.png").read_bytes()
    if png_size(data) != (size, size):
        raise ValueError(f"{STEM}-{size}.png is not {size}x{size}")
    return data


def build_ico(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images (a 256 px entry stores 0 as its size)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, payload = b"", b""
    for size, data in sorted(images.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return header + entries + payload


def build_icns(images: dict[int, bytes]) -> bytes:
    """An ICNS file with one PNG element per type in ``ICNS_TYPES``."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size]
        for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(icons: Path = ICONS) -> int:
    sizes = sorted(set(ICO_SIZES) | {size for _kind, size in ICNS_TYPES})
    images = {size: load_png(size, icons) for size in sizes}
    ico = icons / f"{STEM}.ico"
    icns = icons / f"{STEM}.icns"
    ico.write_bytes(build_ico({s: images[s] for s in ICO_SIZES}))
    icns.write_bytes(build_icns(images))
    for path in (ico, icns):
        print(f"wrote {path.name} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ICONS))

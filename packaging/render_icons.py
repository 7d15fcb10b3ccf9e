"""Render resources/icons/coze-desktop.svg to PNGs (16..512 px) with Qt's SVG renderer.

Run from the repository root: ``python packaging/render_icons.py`` (offscreen is fine).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(svg: Path, size: int, out: Path) -> None:
    """Paint ``svg`` into a transparent ``size`` x ``size`` PNG."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(out)):
        raise OSError(f"could not write {out}")


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841 - needed for QImage/QPainter fonts
    svg = ICONS / "coze-desktop.svg"
    for size in SIZES:
        render(svg, size, ICONS / f"coze-desktop-{size}.png")
    print(f"wrote {len(SIZES)} PNGs to {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Render NetPlanner's icon, ``resources/icon/netplanner.svg``, to PNGs and a Windows .ico.

Writes ``resources/icon/png/netplanner-<N>.png`` for every size in ``SIZES`` (the hicolor
sizes a desktop asks for) and ``resources/icon/netplanner.ico``. The PNGs are checked in:
the window icon is read from them, so the app needs no SVG plugin at run time, and a change
of the drawing shows in review. Qt's own SVG renderer draws them, so no other tool is needed.

Run: ``python -m scripts.build_icons`` (``make icons``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icon"
SOURCE = ICON_DIR / "netplanner.svg"
PNG_DIR = ICON_DIR / "png"
ICO = ICON_DIR / "netplanner.ico"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 256)


def png_path(size: int) -> Path:
    return PNG_DIR / f"netplanner-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon drawn at ``size`` x ``size`` pixels on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def build() -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"build_icons: {SOURCE} is not an SVG Qt can draw")
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        if not render(renderer, size).save(str(png_path(size)), b"PNG"):
            raise SystemExit(f"build_icons: cannot write {png_path(size)}")
    # Qt's ICO writer stores one image per file; Windows wants several sizes in one, so the
    # .ico is assembled here from PNG-compressed entries (valid since Windows Vista).
    ICO.write_bytes(ico_bytes([(size, png_path(size).read_bytes()) for size in ICO_SIZES]))
    del app
    print(f"build_icons: wrote {len(SIZES)} PNGs in {PNG_DIR.relative_to(ROOT)} and {ICO.name}")


def ico_bytes(entries: list[tuple[int, bytes]]) -> bytes:
    """An .ico file holding one PNG per size (ICONDIR, ICONDIRENTRY..., images)."""
    header = (0).to_bytes(2, "little") + (1).to_bytes(2, "little")
    header += len(entries).to_bytes(2, "little")
    offset = 6 + 16 * len(entries)
    directory, images = b"", b""
    for size, data in entries:
        side = size if size < 256 else 0  # 0 means 256 in an ICONDIRENTRY
        directory += bytes([side, side, 0, 0]) + (1).to_bytes(2, "little")
        directory += (32).to_bytes(2, "little") + len(data).to_bytes(4, "little")
        directory += offset.to_bytes(4, "little")
        offset += len(data)
        images += data
    return header + directory + images


def main() -> int:
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main())

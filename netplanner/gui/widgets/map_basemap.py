"""The offline basemap: Natural Earth land, borders and coastlines read from resources/.

``scripts/build_basemap.py`` writes the polygons already in Web Mercator and in the layout
``QDataStream`` reads into a ``QPolygonF``, so loading 90,000 points takes milliseconds.
The map draws the coarse 1:110m layer when the world is small and 1:50m when closer, and
skips every polygon outside the view: at city zoom only a few hundred points are drawn.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF, Qt, QTransform

from netplanner.domain.errors import NetPlannerError
from netplanner.paths import resource

MAGIC = b"NPBM"
FILL, BORDER, COAST = 0, 1, 2
DETAILED_FROM_ZOOM = 3.5  # below it the 1:110m layer; from it the 1:50m one
PAD = 1e-7


class BasemapError(NetPlannerError):
    """The basemap file is missing or not one NetPlanner wrote."""


GRID = 64  # cells per side of the unit square in the index of what lies where


class BoxIndex:
    """Which of many boxes (unit square) may meet a view: a grid of cells listing the boxes
    over them, so a city view looks at a few dozen pieces of coast, not at thousands."""

    def __init__(self, boxes: list[QRectF]) -> None:
        self._count = len(boxes)
        self._cells: dict[tuple[int, int], list[int]] = {}
        for n, box in enumerate(boxes):
            for cell in _cells_over(box.left(), box.top(), box.right(), box.bottom()):
                self._cells.setdefault(cell, []).append(n)

    def near(self, view: QRectF) -> Iterable[int]:
        """The indices, in their order, of the boxes in the cells ``view`` touches."""
        cells = _cells_over(view.left(), view.top(), view.right(), view.bottom())
        if len(cells) > GRID * GRID // 8:
            return range(self._count)  # much of the world: looking up costs more
        found: set[int] = set()
        for cell in cells:
            found.update(self._cells.get(cell, ()))
        return sorted(found)


def _cells_over(x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
    def clamp(v: float) -> int:
        return max(0, min(GRID - 1, int(v * GRID)))

    return [
        (i, j) for i in range(clamp(x0), clamp(x1) + 1) for j in range(clamp(y0), clamp(y1) + 1)
    ]


@dataclass
class BasemapLayer:
    """One Natural Earth scale: filled countries, border lines, coastlines, with boxes."""

    fills: list[tuple[QPainterPath, QRectF]] = field(default_factory=list)
    borders: list[tuple[QPolygonF, QRectF]] = field(default_factory=list)
    coasts: list[tuple[QPolygonF, QRectF]] = field(default_factory=list)
    _indexes: dict[str, BoxIndex] = field(default_factory=dict, repr=False)

    def near(self, kind: str, view: QRectF) -> Iterable[int]:
        """Indices into ``fills``, ``borders`` or ``coasts`` worth testing against ``view``."""
        index = self._indexes.get(kind)
        if index is None:
            items: list[tuple[object, QRectF]] = getattr(self, kind)
            index = self._indexes[kind] = BoxIndex([box for _, box in items])
        return index.near(view)


@dataclass
class Basemap:
    layers: dict[int, BasemapLayer]

    def layer_for(self, zoom: float) -> BasemapLayer:
        detail = 110 if zoom < DETAILED_FROM_ZOOM or 50 not in self.layers else 50
        return self.layers.get(detail) or next(iter(self.layers.values()))

    def point_count(self) -> int:
        return sum(
            sum(p.size() for p, _ in layer.borders) + sum(p.size() for p, _ in layer.coasts)
            for layer in self.layers.values()
        )


def read_basemap(path: Path) -> Basemap:
    """The basemap in ``path`` (raises BasemapError when it cannot be read)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BasemapError(f"The map file {path.name} cannot be read ({error}).") from error
    if raw[:4] != MAGIC:
        raise BasemapError(f"{path.name} is not a NetPlanner basemap.")
    _version, count = struct.unpack(">HH", raw[4:8])
    body = QByteArray(zlib.decompress(raw[8:]))  # kept alive: the stream reads from it
    stream = QDataStream(body, QIODevice.OpenModeFlag.ReadOnly)
    stream.setByteOrder(QDataStream.ByteOrder.BigEndian)
    stream.setFloatingPointPrecision(QDataStream.FloatingPointPrecision.SinglePrecision)
    layers: dict[int, BasemapLayer] = {}
    for _ in range(count):
        detail, kind, items = stream.readUInt8(), stream.readUInt8(), stream.readUInt32()
        layer = layers.setdefault(detail, BasemapLayer())
        for _ in range(items):
            if kind == FILL:
                path_ = QPainterPath()
                path_.setFillRule(Qt.FillRule.OddEvenFill)
                for _ in range(stream.readUInt16()):
                    ring = QPolygonF()
                    stream >> ring
                    path_.addPolygon(ring)
                layer.fills.append((path_, path_.boundingRect()))
            else:
                line = QPolygonF()
                stream >> line
                target = layer.borders if kind == BORDER else layer.coasts
                # Padded: a piece along a parallel has a box of zero height, which Qt
                # says intersects nothing.
                box = line.boundingRect().adjusted(-PAD, -PAD, PAD, PAD)
                target.append((line, box))
    return Basemap(layers)


@cache
def shared_basemap() -> Basemap:
    """The shipped basemap, read once per process."""
    return read_basemap(resource("basemap.bin"))


@dataclass(frozen=True)
class BasemapStyle:
    land: QColor
    coast: QPen
    border: QPen


def draw_basemap(
    painter: QPainter,
    basemap: Basemap,
    zoom: float,
    to_screen: QTransform,
    visible: QRectF,
    style: BasemapStyle,
) -> None:
    """Paint land, then coastlines and borders, of what lies inside ``visible`` (unit square)."""
    layer = basemap.layer_for(zoom)
    painter.save()
    painter.setTransform(to_screen)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(style.land)
    # Fills need no antialiasing: the coastline drawn over them smooths the edge, and
    # aliased fills leave no hairline seams between neighbouring countries.
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    fills = layer.fills
    for n in layer.near("fills", visible):
        path, box = fills[n]
        if box.intersects(visible):
            painter.drawPath(path)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for kind, pen in (("borders", style.border), ("coasts", style.coast)):
        painter.setPen(pen)
        lines = getattr(layer, kind)
        for n in layer.near(kind, visible):
            line, box = lines[n]
            if box.intersects(visible):
                painter.drawPolyline(line)
    painter.restore()

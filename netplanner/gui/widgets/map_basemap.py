"""The offline basemap: Natural Earth land, borders and coastlines read from resources/.

``scripts/build_basemap.py`` writes the polygons already in Web Mercator and in the layout
``QDataStream`` reads into a ``QPolygonF``, so loading 90,000 points takes milliseconds.
The map draws the coarse 1:110m layer when the world is small and 1:50m when closer, and
skips every polygon outside the view: at city zoom only a few hundred points are drawn.
"""

from __future__ import annotations

import struct
import zlib
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


@dataclass
class BasemapLayer:
    """One Natural Earth scale: filled countries, border lines, coastlines, with boxes."""

    fills: list[tuple[QPainterPath, QRectF]] = field(default_factory=list)
    borders: list[tuple[QPolygonF, QRectF]] = field(default_factory=list)
    coasts: list[tuple[QPolygonF, QRectF]] = field(default_factory=list)


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
    for path, box in layer.fills:
        if box.intersects(visible):
            painter.drawPath(path)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for lines, pen in ((layer.borders, style.border), (layer.coasts, style.coast)):
        painter.setPen(pen)
        for line, box in lines:
            if box.intersects(visible):
                painter.drawPolyline(line)
    painter.restore()

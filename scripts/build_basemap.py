"""Build ``resources/basemap.bin``: land, borders and coastlines from Natural Earth.

The source is npm's ``world-atlas`` 2.0.2 (Natural Earth 1:110m and 1:50m countries as
TopoJSON). The app must open the map in well under 300 ms, so the file holds coordinates
already in Web Mercator (the unit square), as float32 in the layout Qt's ``QDataStream``
reads for a ``QPolygonF``: the app reads 80,000 points in a few milliseconds with no Python
loop per point.

Layout (big-endian): ``b"NPBM"``, uint16 version, uint16 layer count, then the layers
compressed with zlib (which keeps the file near 1.3 MB). Each layer is uint8
detail (110 or 50), uint8 kind (0 country fill, 1 border, 2 coastline), uint32 item count,
then the items. A fill item is uint16 ring count and that many polygons; a line item is one
polygon. A polygon is uint32 point count and float32 x, y pairs.

Run: ``python -m scripts.build_basemap [--package DIR]`` (without ``--package`` it runs
``npm pack world-atlas@2.0.2`` in a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import math
import struct
import subprocess
import tarfile
import tempfile
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

PACKAGE = "world-atlas@2.0.2"
OUTPUT = Path(__file__).resolve().parent.parent / "resources" / "basemap.bin"
MAGIC = b"NPBM"
VERSION = 1
FILL, BORDER, COAST = 0, 1, 2
MAX_LAT = 85.05112878
# Lines are cut into pieces of at most this many points so the map can skip the pieces
# outside the view at close zoom.
PIECE = 128

Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Every arc as longitude/latitude points: undo the delta encoding and the quantization."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points: list[Point] = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_points(arcs: list[list[Point]], index: int) -> list[Point]:
    """One arc as referenced in a ring: a negative index ``~i`` is arc ``i`` reversed."""
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs: list[list[Point]], ring: list[int]) -> list[Point]:
    """A ring's points, dropping the point each arc shares with the one before."""
    points: list[Point] = []
    for n, index in enumerate(ring):
        part = arc_points(arcs, index)
        points.extend(part if n == 0 else part[1:])
    return points


def polygons_of(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def mercator(point: Point) -> Point:
    """Longitude/latitude to the Web Mercator unit square (x east, y south)."""
    lon, lat = point
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    phi = math.radians(lat)
    y = (1 - math.log(math.tan(math.pi / 4 + phi / 2)) / math.pi) / 2
    return ((lon + 180) / 360, y)


def thin(points: list[Point]) -> list[Point]:
    """Points without repeats (clamping the poles collapses runs of points into one)."""
    kept: list[Point] = []
    for point in points:
        if not kept or point != kept[-1]:
            kept.append(point)
    return kept


def unwrap(points: list[Point]) -> list[Point]:
    """A ring that crosses the antimeridian kept continuous (longitudes past ±180°)."""
    out: list[Point] = []
    shift = 0.0
    for n, (lon, lat) in enumerate(points):
        if n:
            jump = lon + shift - out[-1][0]
            if jump > 180:
                shift -= 360
            elif jump < -180:
                shift += 360
        out.append((lon + shift, lat))
    return out


def split_at_antimeridian(points: list[Point]) -> list[list[Point]]:
    """A line cut where it jumps across the antimeridian, so no stroke spans the world."""
    parts: list[list[Point]] = [[]]
    for point in points:
        if parts[-1] and abs(point[0] - parts[-1][-1][0]) > 180:
            parts.append([])
        parts[-1].append(point)
    return [part for part in parts if len(part) >= 2]


def pack_polygon(points: list[Point]) -> bytes:
    flat = [c for point in points for c in point]
    return struct.pack(f">I{len(flat)}f", len(points), *flat)


def pieces(points: list[Point]) -> list[list[Point]]:
    """A line cut into overlapping pieces of at most ``PIECE`` points."""
    if len(points) <= PIECE:
        return [points]
    return [points[i : i + PIECE] for i in range(0, len(points) - 1, PIECE - 1)]


def on_antimeridian(points: list[Point]) -> bool:
    """True for the cut lines at ±180° and the pole edges: no coast is there."""
    return all(abs(lon) >= 179.999 for lon, _ in points) or all(
        lat <= -MAX_LAT for _, lat in points
    )


def layers_of(topology: dict[str, Any], detail: int) -> bytes:
    """The three layers (fills, borders, coastlines) of one Natural Earth scale."""
    arcs = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    users: Counter[int] = Counter()
    fills: list[bytes] = []
    for geometry in geometries:
        used: set[int] = set()
        for polygon in polygons_of(geometry):
            rings = [thin([mercator(p) for p in unwrap(ring_points(arcs, r))]) for r in polygon]
            rings = [r for r in rings if len(r) >= 3]
            if rings:
                fills.append(
                    struct.pack(">H", len(rings)) + b"".join(pack_polygon(r) for r in rings)
                )
            used.update(i if i >= 0 else ~i for ring in polygon for i in ring)
        users.update(used)
    borders: list[bytes] = []
    coasts: list[bytes] = []
    for index, arc in enumerate(arcs):
        if index not in users or on_antimeridian(arc):
            continue
        target = borders if users[index] > 1 else coasts
        for part in split_at_antimeridian(arc):
            line = thin([mercator(p) for p in part])
            target.extend(pack_polygon(piece) for piece in pieces(line) if len(piece) >= 2)
    out = b""
    for kind, items in ((FILL, fills), (BORDER, borders), (COAST, coasts)):
        out += struct.pack(">BBI", detail, kind, len(items)) + b"".join(items)
    return out


def fetch_package(folder: Path) -> Path:
    """Unpack ``world-atlas`` from the npm registry into ``folder``; the package folder."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=folder, check=True)
    archive = next(folder.glob("world-atlas-*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


def build(package: Path, output: Path = OUTPUT) -> int:
    """Write the basemap file from an unpacked world-atlas package; its size in bytes."""
    body = b""
    for detail in (110, 50):
        topology = json.loads((package / f"countries-{detail}m.json").read_text("utf-8"))
        body += layers_of(topology, detail)
    data = MAGIC + struct.pack(">HH", VERSION, 6) + zlib.compress(body, 9)
    output.write_bytes(data)
    return len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="an unpacked world-atlas package folder")
    args = parser.parse_args()
    if args.package:
        size = build(args.package)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            size = build(fetch_package(Path(tmp)))
    print(f"wrote {OUTPUT} ({size:,} bytes)")


if __name__ == "__main__":
    main()

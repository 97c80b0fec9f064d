"""Map geometry without Qt: Web Mercator, the view, clustering, the scale bar, label placement.

Kept apart from the widget so the arithmetic a map gets wrong most often (clamping, zoom
around a point, clusters that hide the one contact you selected, labels over labels) is
tested in milliseconds without a screen.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from netplanner.domain.geo import EARTH_RADIUS_KM, KM_PER_MILE

MAX_LAT = 85.05112878
TILE = 256  # pixels across the whole world at zoom 0
MIN_ZOOM = 0.0
MAX_ZOOM = 17.0  # street scale: about 1 m per pixel
EQUATOR_M = 2 * math.pi * EARTH_RADIUS_KM * 1000
CLUSTER_CELL_PX = 56.0
REGION_FROM_LEVEL = 9  # from here on only the cells around the view are clustered
SHARED_LEVEL = 8  # levels up to this one are built from this one's cells
# The widest latitudes worth showing for "the world": no one networks in Antarctica.
WORLD_BOX = (-56.0, 76.0, -170.0, 190.0)


def project(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator: the unit square, x east from -180°, y south from +85.05°."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    phi = math.radians(lat)
    y = (1 - math.log(math.tan(math.pi / 4 + phi / 2)) / math.pi) / 2
    return ((lon + 180.0) / 360.0, y)


def project_many(lats: Sequence[float], lons: Sequence[float]) -> tuple[list[float], list[float]]:
    """``project`` for many points at once: comprehensions and one ``atanh`` a point
    (``log(tan(pi/4 + phi/2)) == atanh(sin(phi))``), as this runs on every Plan step."""
    sin, atanh, to_rad, two_pi = math.sin, math.atanh, math.pi / 180.0, 2 * math.pi
    xs = [(lon + 180.0) / 360.0 for lon in lons]
    if lats and (min(lats) < -MAX_LAT or max(lats) > MAX_LAT):
        lats = [max(-MAX_LAT, min(MAX_LAT, lat)) for lat in lats]
    ys = [0.5 - atanh(sin(lat * to_rad)) / two_pi for lat in lats]
    return xs, ys


def unproject(x: float, y: float) -> tuple[float, float]:
    """The latitude and longitude of a point of the unit square."""
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))
    return (lat, x * 360.0 - 180.0)


def world_px(zoom: float) -> float:
    return float(TILE * 2.0**zoom)


def meters_per_pixel(lat: float, zoom: float) -> float:
    """Ground metres one pixel covers at ``lat``: Mercator stretches by 1/cos(lat)."""
    return EQUATOR_M * math.cos(math.radians(lat)) / world_px(zoom)


@dataclass(frozen=True)
class Viewport:
    """What the map shows: a centre in the unit square, a zoom, and the widget's size."""

    cx: float = 0.5
    cy: float = 0.5
    zoom: float = 2.0
    width: int = 800
    height: int = 600

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        scale = world_px(self.zoom)
        return ((x - self.cx) * scale + self.width / 2, (y - self.cy) * scale + self.height / 2)

    def to_world(self, sx: float, sy: float) -> tuple[float, float]:
        scale = world_px(self.zoom)
        return ((sx - self.width / 2) / scale + self.cx, (sy - self.height / 2) / scale + self.cy)

    def world_rect(self) -> tuple[float, float, float, float]:
        """The visible part of the unit square: min x, min y, max x, max y."""
        x0, y0 = self.to_world(0, 0)
        x1, y1 = self.to_world(self.width, self.height)
        return (x0, y0, x1, y1)

    def bounds(self) -> tuple[float, float, float, float]:
        """The visible box as min lat, max lat, min lon, max lon (clamped to the world)."""
        x0, y0, x1, y1 = self.world_rect()
        north, west = unproject(max(0.0, x0), max(0.0, y0))
        south, east = unproject(min(1.0, x1), min(1.0, y1))
        return (south, north, west, east)

    def clamped(self) -> Viewport:
        """The same view with the zoom in range and the centre kept over the world."""
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom))
        scale = world_px(zoom)
        half_w, half_h = self.width / 2 / scale, self.height / 2 / scale
        # When the world is narrower than the widget it sits in the middle.
        cx = 0.5 if half_w >= 0.5 else max(half_w, min(1 - half_w, self.cx))
        cy = 0.5 if half_h >= 0.5 else max(half_h, min(1 - half_h, self.cy))
        return Viewport(cx, cy, zoom, self.width, self.height)

    def resized(self, width: int, height: int) -> Viewport:
        return Viewport(self.cx, self.cy, self.zoom, width, height).clamped()

    def panned(self, dx: float, dy: float) -> Viewport:
        """Moved so the content follows the pointer by ``dx``, ``dy`` pixels."""
        scale = world_px(self.zoom)
        cx, cy = self.cx - dx / scale, self.cy - dy / scale
        return Viewport(cx, cy, self.zoom, self.width, self.height).clamped()

    def zoomed(self, factor: float, sx: float | None = None, sy: float | None = None) -> Viewport:
        """Zoomed by ``factor`` keeping the point under (sx, sy) (the centre by default) fixed."""
        sx = self.width / 2 if sx is None else sx
        sy = self.height / 2 if sy is None else sy
        wx, wy = self.to_world(sx, sy)
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom + math.log2(factor)))
        scale = world_px(zoom)
        cx = wx - (sx - self.width / 2) / scale
        cy = wy - (sy - self.height / 2) / scale
        return Viewport(cx, cy, zoom, self.width, self.height).clamped()


def fit_box(
    min_lat: float, max_lat: float, min_lon: float, max_lon: float, width: int, height: int
) -> Viewport:
    """The closest view that shows the whole box."""
    x0, y1 = project(min_lat, min_lon)
    x1, y0 = project(max_lat, max_lon)
    span_x, span_y = max(x1 - x0, 1e-12), max(y1 - y0, 1e-12)
    zoom = math.log2(min(width / span_x, height / span_y) / TILE)
    return Viewport((x0 + x1) / 2, (y0 + y1) / 2, zoom, width, height).clamped()


def fit_circle(lat: float, lon: float, radius_km: float, width: int, height: int) -> Viewport:
    """A view centred on the point in which a circle of ``radius_km`` fills about 80%."""
    across_px = max(1.0, 0.8 * min(width, height))
    mpp = max(2 * radius_km * 1000, 1.0) / across_px
    zoom = math.log2(EQUATOR_M * math.cos(math.radians(lat)) / (TILE * mpp))
    x, y = project(lat, lon)
    return Viewport(x, y, zoom, width, height).clamped()


def world_view(width: int, height: int) -> Viewport:
    return fit_box(*WORLD_BOX, width, height)


def circle_points(
    lat: float, lon: float, radius_km: float, steps: int = 90
) -> list[tuple[float, float]]:
    """Points (lat, lon) on the great circle ``radius_km`` from the centre: a true ring."""
    delta = radius_km / EARTH_RADIUS_KM
    phi1, lam1 = math.radians(lat), math.radians(lon)
    points: list[tuple[float, float]] = []
    for n in range(steps + 1):
        theta = 2 * math.pi * n / steps
        phi2 = math.asin(
            math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
        )
        lam2 = lam1 + math.atan2(
            math.sin(theta) * math.sin(delta) * math.cos(phi1),
            math.cos(delta) - math.sin(phi1) * math.sin(phi2),
        )
        points.append((math.degrees(phi2), math.degrees(lam2)))
    return points


# Clustering -------------------------------------------------------------------------------
class Cluster:
    """One mark on the map: a single contact (``count == 1``) or a crowd of them.

    A slotted class, not a dataclass: at street zoom there are as many as there are
    points, and this is several times quicker to make.
    """

    __slots__ = ("box", "members", "rank", "x", "y")

    def __init__(
        self,
        x: float,
        y: float,
        members: tuple[int, ...],
        rank: float | None,
        box: tuple[float, float, float, float],
    ) -> None:
        self.x = x  # unit square, the members' mean
        self.y = y
        self.members = members  # indices into the ClusterIndex's points
        self.rank = rank  # the best rank among the members
        self.box = box  # min x, min y, max x, max y of the members

    @property
    def count(self) -> int:
        return len(self.members)

    def __repr__(self) -> str:
        return f"Cluster({self.x:.6f}, {self.y:.6f}, {self.count} members, rank {self.rank})"


Rect = tuple[float, float, float, float]  # min x, min y, max x, max y in the unit square
CellKey = tuple[int, int]


class _Cell:
    """A grid cell: members, coordinate sums, box, best rank (slotted: there is one per
    occupied cell, thousands at close zoom)."""

    __slots__ = ("members", "rank", "sx", "sy", "x0", "x1", "y0", "y1")

    def __init__(
        self,
        members: list[int],
        sx: float,
        sy: float,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        rank: float | None,
    ) -> None:
        self.members = members
        self.sx, self.sy = sx, sy
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.rank = rank

    def joined(self, other: _Cell) -> _Cell:
        """A new cell holding both (the shared cells of finer levels stay as they are)."""
        ranks = [r for r in (self.rank, other.rank) if r is not None]
        return _Cell(
            self.members + other.members,
            self.sx + other.sx,
            self.sy + other.sy,
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
            max(ranks) if ranks else None,
        )


@dataclass
class _Level:
    clusters: list[Cluster]  # sorted by x, so a view's slice is found by bisection
    xs: list[float]
    region: Rect | None  # the part of the world clustered; None: all of it
    where: dict[int, int] | None = None  # point index -> cluster index, made when needed

    def covers(self, rect: Rect | None) -> bool:
        if self.region is None:
            return True
        if rect is None:
            return False
        x0, y0, x1, y1 = self.region
        return x0 <= rect[0] and y0 <= rect[1] and rect[2] <= x1 and rect[3] <= y1


@dataclass
class ClusterIndex:
    """Points in the unit square, grid-clustered per whole zoom level and cached per level.

    A cell is ``CLUSTER_CELL_PX`` wide at the level's scale; after the grid pass, crowds
    closer than half a cell are merged so a crowd on a cell edge shows as one mark. Past
    ``REGION_FROM_LEVEL`` only the cells around the view are clustered (grid cells do not
    depend on their neighbours, so the answer is the same), which keeps a new zoom level
    within a frame at 30,000 points; the region is kept until the view leaves it.
    """

    xs: Sequence[float]
    ys: Sequence[float]
    ranks: Sequence[float | None]
    cell_px: float = CLUSTER_CELL_PX
    _cache: dict[int, _Level] = field(default_factory=dict, repr=False)
    _by_x: list[int] | None = field(default=None, repr=False)
    _shared: dict[int, dict[CellKey, _Cell]] = field(default_factory=dict, repr=False)
    _sorted_xs: list[float] = field(default_factory=list, repr=False)

    def __len__(self) -> int:
        return len(self.xs)

    def level_of(self, zoom: float) -> int:
        return max(0, min(int(MAX_ZOOM), math.floor(zoom)))

    def _level(self, zoom: float, rect: Rect | None) -> _Level:
        level = self.level_of(zoom)
        found = self._cache.get(level)
        if found is None or not found.covers(rect):
            region = (
                None if rect is None or level < REGION_FROM_LEVEL else self._region(level, rect)
            )
            members = None if region is None else self._members_in(region)
            clusters = sorted(self._build(level, members), key=attrgetter("x"))
            found = self._cache[level] = _Level(clusters, [c.x for c in clusters], region)
        return found

    def _region(self, level: int, rect: Rect) -> Rect:
        """``rect`` grown by its own size on every side, out to whole cells."""
        cell = self.cell_px / world_px(level)
        w, h = rect[2] - rect[0], rect[3] - rect[1]
        return (
            math.floor((rect[0] - w) / cell) * cell,
            math.floor((rect[1] - h) / cell) * cell,
            math.ceil((rect[2] + w) / cell) * cell,
            math.ceil((rect[3] + h) / cell) * cell,
        )

    def _members_in(self, region: Rect) -> Sequence[int]:
        if self._by_x is None:
            self._by_x = sorted(range(len(self.xs)), key=self.xs.__getitem__)
            self._sorted_xs = [self.xs[n] for n in self._by_x]
        x0, y0, x1, y1 = region
        lo, hi = bisect_left(self._sorted_xs, x0), bisect_left(self._sorted_xs, x1)
        ys = self.ys
        return [n for n in self._by_x[lo:hi] if y0 <= ys[n] < y1]

    def clusters(
        self, zoom: float, keep: int | None = None, rect: Rect | None = None
    ) -> list[Cluster]:
        """The marks at ``zoom`` (those near ``rect``, if given; all otherwise); the point at
        index ``keep`` is always a mark of its own."""
        level = self._level(zoom, rect)
        found = level.clusters
        if rect is not None:
            margin = self.cell_px / world_px(self.level_of(zoom))
            lo = bisect_left(level.xs, rect[0] - margin)
            found = found[lo : bisect_right(level.xs, rect[2] + margin)]
        if keep is None or not 0 <= keep < len(self.xs):
            return found
        if level.where is None:
            level.where = {
                member: n for n, cluster in enumerate(level.clusters) for member in cluster.members
            }
        home = level.where.get(keep)
        if home is None:
            return found
        crowd = level.clusters[home]
        if crowd.count == 1:
            return found
        rest = self._make([m for m in crowd.members if m != keep])
        return [rest if c is crowd else c for c in found] + [self._make([keep])]

    def _make(self, members: list[int]) -> Cluster:
        xs, ys = self.xs, self.ys
        mx = [xs[m] for m in members]
        my = [ys[m] for m in members]
        ranks = [r for r in (self.ranks[m] for m in members) if r is not None]
        return Cluster(
            sum(mx) / len(mx),
            sum(my) / len(my),
            tuple(members),
            max(ranks) if ranks else None,
            (min(mx), min(my), max(mx), max(my)),
        )

    def _cells(self, level: int, indices: Sequence[int] | None = None) -> dict[CellKey, _Cell]:
        """Grid cells with their members and sums. Up to ``SHARED_LEVEL`` they are made once
        for all points, each level from the one below it (a cell holds four of the next),
        so a coarse level costs a pass over cells rather than over 30,000 points."""
        if indices is None and level <= SHARED_LEVEL:
            found = self._shared.get(level)
            if found is None:
                if level == SHARED_LEVEL:
                    found = self._cells(level, range(len(self.xs)))
                else:
                    found = {}
                    for (i, j), cell in self._cells(level + 1).items():
                        parent = found.get((i >> 1, j >> 1))
                        found[(i >> 1, j >> 1)] = cell if parent is None else parent.joined(cell)
                self._shared[level] = found
            return found
        scale = world_px(level) / self.cell_px
        xs, ys, ranks = self.xs, self.ys, self.ranks
        # Group first, then sum each group with the builtins: far quicker than adding
        # point by point into the cells.
        groups: dict[CellKey, list[int]] = {}
        for n in range(len(xs)) if indices is None else indices:
            key = (int(xs[n] * scale), int(ys[n] * scale))
            group = groups.get(key)
            if group is None:
                groups[key] = [n]
            else:
                group.append(n)
        cells: dict[CellKey, _Cell] = {}
        for key, members in groups.items():
            if len(members) == 1:
                n = members[0]
                x, y = xs[n], ys[n]
                cells[key] = _Cell(members, x, y, x, y, x, y, ranks[n])
                continue
            mx = [xs[m] for m in members]
            my = [ys[m] for m in members]
            known = [r for r in (ranks[m] for m in members) if r is not None]
            cells[key] = _Cell(
                members,
                sum(mx),
                sum(my),
                min(mx),
                min(my),
                max(mx),
                max(my),
                max(known) if known else None,
            )
        return cells

    def _build(self, level: int, indices: Sequence[int] | None) -> list[Cluster]:
        scale = world_px(level) / self.cell_px
        cells = self._cells(level, indices)
        out: list[Cluster] = []
        crowds: list[_Cell] = []
        for cell in cells.values():
            if len(cell.members) == 1:
                x, y = cell.sx, cell.sy
                out.append(Cluster(x, y, (cell.members[0],), cell.rank, (x, y, x, y)))
            else:
                crowds.append(cell)
        crowds.sort(key=lambda c: len(c.members), reverse=True)
        centres = [(c.sx / len(c.members) * scale, c.sy / len(c.members) * scale) for c in crowds]
        # Merge crowds closer than half a cell into the larger one, looked up on a grid.
        grid: dict[CellKey, list[int]] = {}
        for n, (cx, cy) in enumerate(centres):
            grid.setdefault((int(cx), int(cy)), []).append(n)
        absorbed = [False] * len(crowds)
        for n, (cx, cy) in enumerate(centres):
            if absorbed[n]:
                continue
            crowd = crowds[n]
            for gx in (int(cx) - 1, int(cx), int(cx) + 1):
                for gy in (int(cy) - 1, int(cy), int(cy) + 1):
                    for other in grid.get((gx, gy), ()):
                        if other <= n or absorbed[other]:
                            continue
                        ox, oy = centres[other]
                        if (ox - cx) ** 2 + (oy - cy) ** 2 < 0.25:
                            absorbed[other] = True
                            crowd = crowd.joined(crowds[other])
            count = len(crowd.members)
            out.append(
                Cluster(
                    crowd.sx / count,
                    crowd.sy / count,
                    tuple(crowd.members),
                    crowd.rank,
                    (crowd.x0, crowd.y0, crowd.x1, crowd.y1),
                )
            )
        return out

    def visible(self, zoom: float, rect: Rect) -> list[int]:
        """Indices of the points inside ``rect`` (unit square), using the level's boxes."""
        x0, y0, x1, y1 = rect
        xs, ys = self.xs, self.ys
        found: list[int] = []
        # A crowd's centre lies within one merged cell pair of its members.
        margin = 2 * self.cell_px / world_px(self.level_of(zoom))
        for cluster in self.clusters(
            zoom, rect=(x0 - margin, y0 - margin, x1 + margin, y1 + margin)
        ):
            bx0, by0, bx1, by1 = cluster.box
            if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
                continue
            if bx0 >= x0 and bx1 <= x1 and by0 >= y0 and by1 <= y1:
                found.extend(cluster.members)
                continue
            found.extend(m for m in cluster.members if x0 <= xs[m] <= x1 and y0 <= ys[m] <= y1)
        return found


# Scale bar --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScaleBar:
    length_px: float
    label: str


def _nice_below(value: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``value``."""
    power = 10.0 ** math.floor(math.log10(value))
    for step in (5.0, 2.0, 1.0):
        if step * power <= value:
            return step * power
    return power


def _amount(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if value >= 1 else f"{value:g}"
    return f"{text} {unit}"


def scale_bar(meters_per_px: float, max_px: float, units: str = "km") -> ScaleBar:
    """A round distance (1, 2 or 5 × 10^k of m/km, or ft/mi) that fits in ``max_px``."""
    longest_m = meters_per_px * max_px
    if units == "mi":
        miles = longest_m / (KM_PER_MILE * 1000)
        if miles >= 1:
            value = _nice_below(miles)
            return ScaleBar(value * KM_PER_MILE * 1000 / meters_per_px, _amount(value, "mi"))
        feet = _nice_below(longest_m / 0.3048)
        return ScaleBar(feet * 0.3048 / meters_per_px, _amount(feet, "ft"))
    if longest_m >= 1000:
        value = _nice_below(longest_m / 1000)
        return ScaleBar(value * 1000 / meters_per_px, _amount(value, "km"))
    value = _nice_below(longest_m)
    return ScaleBar(value / meters_per_px, _amount(value, "m"))


# Labels -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LabelBox:
    """A label's rectangle on screen, in the order of importance it was offered."""

    text: str
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: LabelBox, gap: float = 0.0) -> bool:
        return not (
            self.x + self.width + gap <= other.x
            or other.x + other.width + gap <= self.x
            or self.y + self.height + gap <= other.y
            or other.y + other.height + gap <= self.y
        )

    def inside(self, width: float, height: float) -> bool:
        """Whether the whole box lies within a view of ``width`` by ``height``."""
        return (
            self.x >= 0
            and self.y >= 0
            and self.x + self.width <= width
            and self.y + self.height <= height
        )


def label_beside(
    text: str,
    x: float,
    y: float,
    radius: float,
    size: tuple[float, float],
    view: tuple[float, float],
    blocked: LabelBox | None = None,
) -> LabelBox:
    """Where a mark's name goes: right of it, else left, above or below, the first spot that
    is inside the view (``view``: its width and height) and off ``blocked``; else the first
    inside the view, else the first off ``blocked``, else right of it."""
    width, height = size
    spots = [
        (x + radius + 4, y - height / 2),
        (x - radius - 4 - width, y - height / 2),
        (x - width / 2, y - radius - 2 - height),
        (x - width / 2, y + radius + 2),
    ]
    boxes = [LabelBox(text, bx, by, width, height) for bx, by in spots]

    def inside(box: LabelBox) -> bool:
        return box.inside(*view)

    def free(box: LabelBox) -> bool:
        return blocked is None or not box.overlaps(blocked)

    for wanted in (lambda b: inside(b) and free(b), inside, free):
        for box in boxes:
            if wanted(box):
                return box
    return boxes[0]


def place_labels(
    candidates: Sequence[LabelBox],
    width: float,
    height: float,
    blocked: Sequence[LabelBox] = (),
    gap: float = 4.0,
) -> list[LabelBox]:
    """The labels to draw: in the given order (largest place first), none over another."""
    placed: list[LabelBox] = []
    for label in candidates:
        if not label.inside(width, height):
            continue
        if any(label.overlaps(other, gap) for other in placed) or any(
            label.overlaps(other) for other in blocked
        ):
            continue
        placed.append(label)
    return placed

"""The offline map: contacts clustered by rank over Natural Earth, painted with QPainter.

A plain widget rather than a QGraphicsView: one paint pass over clusters cached per zoom
level is what keeps a frame at 30,000 contacts under a few milliseconds (bench/bench_map.py
measures it against a scene of one item per contact). The geometry lives in
``netplanner.domain.mapgeo``; this module only draws it and turns input into view changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QStaticText,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from netplanner.domain import mapgeo
from netplanner.domain.mapgeo import Cluster, ClusterIndex, LabelBox, Viewport
from netplanner.domain.places import PlaceMatch
from netplanner.gui.widgets.map_basemap import Basemap, BasemapStyle, draw_basemap, shared_basemap
from netplanner.gui.widgets.map_style import MapColours, colours_for, count_text

LabelProvider = Callable[[float, float, float, float, int], Sequence[PlaceMatch]]

ATTRIBUTION = "Natural Earth · GeoNames"
LABELS_FROM_ZOOM = 3.0
PLAIN_FROM_ZOOM = 11.5  # views narrower than about 50 km: the 1:50m coast is kilometres off
LABEL_LIMIT = 80
SETTLE_MS = 120
CLICK_SLOP_PX = 4
POINT_RADIUS = 5.0
WHEEL_STEP = 2**0.5  # one wheel notch: half a zoom level
KEY_ZOOM = 2.0
KEY_PAN_SHARE = 0.2
RANK_STEPS = 20  # marks are drawn in this many shades of rank
MAX_SPRITES = 4000
CROWD_RADII = (9, 11, 13, 15, 17, 19, 21, 23, 24)  # a crowd's size, stepped so few sprites exist
SPRITE_KINDS = (len(CROWD_RADII) + 1) * (RANK_STEPS + 2)
WARM_PER_TICK = 24  # sprites drawn per idle tick while warming (about 6 ms)


class MapPoint(NamedTuple):
    """A contact on the map; ``rank`` in 0..1 colours it (None: not ranked).

    A named tuple: thousands are made again on every radius step in Plan.
    """

    id: int
    lat: float
    lon: float
    rank: float | None
    label: str


@dataclass(frozen=True)
class _Mark:
    x: float
    y: float
    radius: float
    cluster: Cluster


class MapView(QWidget):
    """The map of the Plan and Map workspaces.

    Attributes:
        point_clicked: the id of a single contact clicked.
        cluster_clicked: the ids of the contacts in a clicked cluster.
        view_changed: after a pan or zoom has settled.
        place_clicked: (lat, lon) where the map was clicked away from any point.
    """

    point_clicked = Signal(int)
    cluster_clicked = Signal(list)
    view_changed = Signal()
    place_clicked = Signal(float, float)  # (lat, lon) of a click away from any point

    def __init__(
        self,
        labels: LabelProvider | None = None,
        parent: QWidget | None = None,
        basemap: Basemap | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("map-view")
        self.setAccessibleName("Map")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setMinimumSize(200, 150)
        self._basemap = basemap or shared_basemap()
        self._labels = labels
        self._view = mapgeo.world_view(max(1, self.width()), max(1, self.height()))
        self._world_pending = True  # until the user or code moves it, a resize refits the world
        self._fit_pending: tuple[float, float, float] | None = None
        self._points: list[MapPoint] = []
        self._index = ClusterIndex([], [], [])
        self._index_of: dict[int, int] = {}
        self._highlight: int | None = None
        self._base: tuple[float, float, str] | None = None
        self._radius_km: float | None = None
        self._units = "km"
        self._places: list[PlaceMatch] = []
        self.labels_shown: list[str] = []  # the place names drawn by the last paint
        self._marks: list[_Mark] = []
        self._highlighted: _Mark | None = None
        self._sprites: dict[tuple[bool, int, int], QPixmap] = {}
        self._counts: dict[str, QStaticText] = {}
        self._label_widths: dict[str, float] = {}
        self._count_font = self._small_bold_font()
        self._press: QPointF | None = None
        self._last_drag: QPointF | None = None
        self._dragged = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._settled)
        self._warming: list[tuple[bool, int, int]] = []
        self._warm = QTimer(self)
        self._warm.setInterval(0)
        self._warm.timeout.connect(self._warm_step)
        self._describe()

    # Public API -------------------------------------------------------------------------
    def set_points(
        self, points: Sequence[MapPoint], ranks: Sequence[float | None] | None = None
    ) -> None:
        """Show these contacts (replacing the ones shown); ``ranks``, when given, colour them
        instead of their own (Plan keeps one point per person and re-ranks on every step)."""
        self._points = list(points)
        xs, ys = mapgeo.project_many([p.lat for p in self._points], [p.lon for p in self._points])
        if ranks is None:
            ranks = [p.rank for p in self._points]
        elif len(ranks) != len(self._points):
            raise ValueError("one rank per point")
        self._index = ClusterIndex(xs, ys, list(ranks))
        self._index_of = {p.id: n for n, p in enumerate(self._points)}
        self._follow_size()
        self._describe()
        self.update()

    def set_highlight(self, contact_id: int | None) -> None:
        """Mark one contact (never hidden in a cluster); None clears it."""
        self._highlight = contact_id
        self._describe()
        self.update()

    def set_base(self, lat: float, lon: float, label: str) -> None:
        self._base = (lat, lon, label)
        self.update()

    def clear_base(self) -> None:
        self._base = None
        self.update()

    def set_radius_km(self, km: float | None) -> None:
        """The ring around the base, ``km`` on the ground; None hides it."""
        self._radius_km = km if km and km > 0 else None
        self.update()

    def set_units(self, units: str) -> None:
        """ "km" or "mi", for the scale bar."""
        self._units = "mi" if units == "mi" else "km"
        self.update()

    def set_label_provider(self, labels: LabelProvider | None) -> None:
        self._labels = labels
        self._fetch_labels()
        self.update()

    def fit(self, lat: float, lon: float, radius_km: float) -> None:
        """Centre on the point, close enough that a ring of ``radius_km`` fills the view.

        Until the user moves the map, a resize (the window laid out, the splitter dragged)
        fits the same ring again.
        """
        self._set_view(mapgeo.fit_circle(lat, lon, radius_km, self.width(), self.height()))
        self._fit_pending = (lat, lon, radius_km)

    def show_world(self) -> None:
        self._set_view(mapgeo.world_view(self.width(), self.height()))
        self._world_pending = True

    def zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        """Zoom by ``factor`` (2 is one level in) around ``at`` or the centre."""
        if at is None:
            self._set_view(self._view.zoomed(factor))
        else:
            self._set_view(self._view.zoomed(factor, at.x(), at.y()))

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the map content by ``dx``, ``dy`` pixels (as a drag would)."""
        self._set_view(self._view.panned(dx, dy))

    def visible_ids(self) -> list[int]:
        """The ids of the contacts inside the view."""
        rect = self._view.world_rect()
        return [self._points[n].id for n in self._index.visible(self._view.zoom, rect)]

    def visible_count(self) -> int:
        return len(self._index.visible(self._view.zoom, self._view.world_rect()))

    @property
    def viewport(self) -> Viewport:
        return self._view

    @property
    def settling(self) -> bool:
        """The view moved lately: its labels and description follow once it settles."""
        return self._settle.isActive()

    def sizeHint(self) -> QSize:
        return QSize(800, 520)

    # View changes -----------------------------------------------------------------------
    def _set_view(self, view: Viewport) -> None:
        self._world_pending = False
        self._fit_pending = None
        if view != self._view:
            self._view = view
            self.update()
        self._settle.start()

    def _settled(self) -> None:
        self._fetch_labels()
        self._describe()
        self.update()
        self.view_changed.emit()
        self._start_warming()

    def _start_warming(self) -> None:
        """Draw every mark's sprite in idle moments: a first zoom into a city meets dozens
        of new sizes and shades at once, and drawing them then would cost the frame."""
        if self._warm.isActive() or len(self._sprites) >= SPRITE_KINDS:
            return
        ranks = range(-1, RANK_STEPS + 1)
        wanted = [(False, int(POINT_RADIUS), rank) for rank in ranks]
        wanted += [(True, radius, rank) for radius in CROWD_RADII for rank in ranks]
        self._warming = [key for key in wanted if key not in self._sprites]
        self._warm.start()

    def _warm_step(self) -> None:
        colours = colours_for(self.palette())
        for crowd, radius, rank in self._warming[:WARM_PER_TICK]:
            self._sprite(crowd, radius, rank, colours)
        del self._warming[:WARM_PER_TICK]
        if not self._warming:
            self._warm.stop()

    def _follow_size(self) -> None:
        """Match the view to the widget's size: a hidden widget gets no resize event."""
        width, height = max(1, self.width()), max(1, self.height())
        if (width, height) == (self._view.width, self._view.height):
            return
        if self._world_pending:
            self._view = mapgeo.world_view(width, height)
        elif self._fit_pending is not None:
            lat, lon, km = self._fit_pending
            self._view = mapgeo.fit_circle(lat, lon, km, width, height)
        else:
            self._view = self._view.resized(width, height)
        self._settle.start()  # what is in view changed: say so once it settles

    def _describe(self) -> None:
        count = self.visible_count()
        noun = "contact" if count == 1 else "contacts"
        text = f"{count:,} {noun} in this view"
        chosen = self._index_of.get(self._highlight) if self._highlight is not None else None
        if chosen is not None:
            text += f"; {self._points[chosen].label} highlighted"
        self.setAccessibleDescription(text)

    @property
    def points(self) -> list[MapPoint]:
        """The contacts shown (whether in view or not)."""
        return list(self._points)

    @property
    def highlighted(self) -> int | None:
        return self._highlight

    def _fetch_labels(self) -> None:
        if self._labels is None or self._view.zoom < LABELS_FROM_ZOOM:
            self._places = []
            return
        south, north, west, east = self._view.bounds()
        self._places = list(self._labels(south, north, west, east, LABEL_LIMIT))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._follow_size()
        self._settle.start()

    # Input ------------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if notches:
            self.zoom_by(WHEEL_STEP**notches, event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        step_x, step_y = self.width() * KEY_PAN_SHARE, self.height() * KEY_PAN_SHARE
        moves = {
            Qt.Key.Key_Left: (step_x, 0.0),
            Qt.Key.Key_Right: (-step_x, 0.0),
            Qt.Key.Key_Up: (0.0, step_y),
            Qt.Key.Key_Down: (0.0, -step_y),
        }
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(KEY_ZOOM)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / KEY_ZOOM)
        elif key == Qt.Key.Key_Home:
            self.show_world()
        elif key in moves:
            self.pan_by(*moves[Qt.Key(key)])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = self._last_drag = event.position()
            self._dragged = False
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or self._last_drag is None:
            return
        position = event.position()
        if not self._dragged:
            moved = position - self._press
            if abs(moved.x()) + abs(moved.y()) < CLICK_SLOP_PX:
                return
            self._dragged = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        delta = position - self._last_drag
        self._last_drag = position
        self.pan_by(delta.x(), delta.y())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        if not self._dragged:
            self._click(event.position())
        self.unsetCursor()
        self._press = self._last_drag = None
        self._dragged = False

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.mark_at(event.position()) is None:
            self.zoom_by(KEY_ZOOM, event.position())

    def mark_at(self, position: QPointF) -> Cluster | None:
        """The point or cluster drawn under ``position``, the topmost first."""
        for mark in reversed(self._marks):
            reach = mark.radius + 3
            if (mark.x - position.x()) ** 2 + (mark.y - position.y()) ** 2 <= reach * reach:
                return mark.cluster
        return None

    def mark_position(self, contact_id: int) -> QPointF | None:
        """Where the mark holding a contact is drawn (for tests and tooltips)."""
        index = self._index_of.get(contact_id)
        for mark in self._marks:
            if index in mark.cluster.members:
                return QPointF(mark.x, mark.y)
        return None

    def _click(self, position: QPointF) -> None:
        cluster = self.mark_at(position)
        if cluster is None:
            x, y = self._view.to_world(position.x(), position.y())
            lat, lon = mapgeo.unproject(x, y)
            self.place_clicked.emit(lat, lon)
            return
        ids = [self._points[m].id for m in cluster.members]
        if len(ids) == 1:
            self.point_clicked.emit(ids[0])
        else:
            self.cluster_clicked.emit(ids)

    # Painting ---------------------------------------------------------------------------
    def _small_bold_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        small.setBold(True)
        return small

    def _count_label(self, count: int) -> QStaticText:
        text = count_text(count)
        found = self._counts.get(text)
        if found is None:
            found = self._counts[text] = QStaticText(text)
            found.prepare(QTransform(), self._count_font)
        return found

    def _sprite(self, crowd: bool, radius: int, rank: int, colours: MapColours) -> QPixmap:
        """A mark drawn once and reused: hundreds of marks a frame cost a blit each."""
        key = (crowd, radius, rank)
        found = self._sprites.get(key)
        if found is not None:
            return found
        ratio = self.devicePixelRatioF()
        side = 2 * radius + 6
        image = QPixmap(int(side * ratio), int(side * ratio))
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        fill = QColor(colours.rank(None if rank < 0 else rank / RANK_STEPS))
        centre = QPointF(side / 2, side / 2)
        if crowd:
            fill.setAlphaF(0.88)
            painter.setPen(QPen(colours.halo, 2))
        else:
            painter.setPen(QPen(colours.halo, 1.2))
        painter.setBrush(fill)
        painter.drawEllipse(centre, radius, radius)
        painter.end()
        if len(self._sprites) > MAX_SPRITES:
            self._sprites.clear()
        self._sprites[key] = image
        return image

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._sprites.clear()  # drawn in the old colours
            self._warm.stop()
            self._counts.clear()
            self._label_widths.clear()
            self._count_font = self._small_bold_font()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._follow_size()
        colours = colours_for(self.palette())
        painter = QPainter(self)
        try:
            view = self._view
            # At street scale a 1:50m coast is kilometres off: a plain land-coloured page
            # with the people, the ring and the labels says less that is wrong.
            plain = view.zoom >= PLAIN_FROM_ZOOM
            painter.fillRect(self.rect(), colours.land if plain else colours.water)
            scale = mapgeo.world_px(view.zoom)
            to_screen = QTransform(
                scale,
                0,
                0,
                scale,
                view.width / 2 - view.cx * scale,
                view.height / 2 - view.cy * scale,
            )
            x0, y0, x1, y1 = view.world_rect()
            style = BasemapStyle(
                colours.land, _cosmetic(colours.coast, 1.0), _cosmetic(colours.border, 0.8)
            )
            if not plain:
                draw_basemap(
                    painter,
                    self._basemap,
                    view.zoom,
                    to_screen,
                    QRectF(x0, y0, x1 - x0, y1 - y0),
                    style,
                )
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            self._draw_ring(painter, colours)
            marks = self._draw_points(painter, colours)
            base_box = self._draw_base(painter, colours)
            named = self._draw_highlight(painter, colours, base_box)
            blocked = [box for box in (base_box, named) if box is not None]
            blocked += [
                LabelBox("", m.x - m.radius, m.y - m.radius, 2 * m.radius, 2 * m.radius)
                for m in marks
                if m.cluster.count > 1
            ]
            self._draw_labels(painter, colours, blocked)
            self._draw_scale_and_attribution(painter, colours)
            if self.hasFocus():
                painter.setPen(QPen(colours.focus, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        finally:
            painter.end()

    def _draw_ring(self, painter: QPainter, colours: MapColours) -> None:
        if self._base is None or self._radius_km is None:
            return
        lat, lon, _ = self._base
        ring = QPolygonF(
            [
                QPointF(*self._view.to_screen(*mapgeo.project(plat, plon)))
                for plat, plon in mapgeo.circle_points(lat, lon, self._radius_km)
            ]
        )
        painter.setPen(QPen(colours.ring, 2))
        painter.setBrush(colours.ring_fill)
        painter.drawPolygon(ring)

    def _draw_highlight(
        self, painter: QPainter, colours: MapColours, base_box: LabelBox | None
    ) -> LabelBox | None:
        """The selected contact on top of everything, its name where the base's is not (the
        box of the name, which no city label covers)."""
        mark = self._highlighted
        if mark is None:
            return None
        painter.setPen(QPen(colours.focus, 3))
        painter.setBrush(colours.rank(mark.cluster.rank))
        painter.drawEllipse(QPointF(mark.x, mark.y), mark.radius, mark.radius)
        name = self._points[mark.cluster.members[0]].label
        if not name:
            return None
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        size = (metrics.horizontalAdvance(name), metrics.height())
        view = (float(self.width()), float(self.height()))
        box = mapgeo.label_beside(name, mark.x, mark.y, mark.radius, size, view, base_box)
        baseline = QPointF(box.x, box.y + metrics.ascent())
        _halo_text(painter, baseline, name, colours.text, colours.halo)
        return box

    def _draw_base(self, painter: QPainter, colours: MapColours) -> LabelBox | None:
        if self._base is None:
            return None
        lat, lon, label = self._base
        sx, sy = self._view.to_screen(*mapgeo.project(lat, lon))
        size = 8.0
        diamond = QPolygonF(
            [
                QPointF(sx, sy - size),
                QPointF(sx + size, sy),
                QPointF(sx, sy + size),
                QPointF(sx - size, sy),
            ]
        )
        painter.setPen(QPen(colours.halo, 2))
        painter.setBrush(colours.base)
        painter.drawPolygon(diamond)
        if not label:
            return LabelBox("", sx - size, sy - size, 2 * size, 2 * size)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance(label)
        tx, ty = sx + size + 4, sy + metrics.ascent() / 2 - 1
        _halo_text(painter, QPointF(tx, ty), label, colours.text, colours.halo)
        return LabelBox(label, sx - size, sy - size - 2, width + 2 * size + 6, 2 * size + 4)

    def _draw_points(self, painter: QPainter, colours: MapColours) -> list[_Mark]:
        view = self._view
        keep = self._index_of.get(self._highlight) if self._highlight is not None else None
        scale = mapgeo.world_px(view.zoom)
        x0, y0, x1, y1 = view.world_rect()
        margin = 30 / scale
        rect = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
        clusters = self._index.clusters(view.zoom, keep, rect)
        ox, oy = view.width / 2 - view.cx * scale, view.height / 2 - view.cy * scale
        width, height = view.width + 30, view.height + 30
        marks: list[_Mark] = []
        highlighted: _Mark | None = None
        sprite = self._sprite
        texts: list[tuple[float, float, QStaticText]] = []
        for cluster in clusters:
            sx, sy = cluster.x * scale + ox, cluster.y * scale + oy
            if sx < -30 or sy < -30 or sx > width or sy > height:
                continue
            count = len(cluster.members)
            if count == 1:
                mark = _Mark(sx, sy, POINT_RADIUS, cluster)
                if keep is not None and cluster.members[0] == keep:
                    highlighted = mark
                    continue
            else:
                mark = _Mark(sx, sy, _crowd_radius(count), cluster)
            rank = -1 if cluster.rank is None else round(cluster.rank * RANK_STEPS)
            image = sprite(count > 1, int(mark.radius), rank, colours)
            half = image.width() / image.devicePixelRatio() / 2
            painter.drawPixmap(QPointF(sx - half, sy - half), image)
            if count > 1:
                texts.append((sx, sy, self._count_label(count)))
            marks.append(mark)
        painter.setPen(colours.on_mark)
        painter.setFont(self._count_font)
        for sx, sy, label in texts:
            size = label.size()
            painter.drawStaticText(QPointF(sx - size.width() / 2, sy - size.height() / 2), label)
        if highlighted is not None:
            r = POINT_RADIUS + 3
            marks.append(_Mark(highlighted.x, highlighted.y, r, highlighted.cluster))
        self._highlighted = marks[-1] if highlighted is not None else None
        self._marks = marks
        return marks

    def _draw_labels(self, painter: QPainter, colours: MapColours, blocked: list[LabelBox]) -> None:
        self.labels_shown = []
        if not self._places or self._view.zoom < LABELS_FROM_ZOOM:
            return
        font = QFont(self.font())
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        height = metrics.height()
        candidates: list[LabelBox] = []
        anchors: dict[int, tuple[float, float]] = {}
        widths = self._label_widths  # measured once per name: every frame draws them again
        for place in self._places:
            sx, sy = self._view.to_screen(*mapgeo.project(place.lat, place.lon))
            text = place.name.split(",")[0]
            width = widths.get(text)
            if width is None:
                width = widths[text] = metrics.horizontalAdvance(text)
            box = LabelBox(text, sx - 3, sy - height / 2, width + 9, height)
            anchors[id(box)] = (sx, sy)
            candidates.append(box)
        # Keep the bottom strip for the scale bar and the attribution.
        placed = mapgeo.place_labels(candidates, self.width(), self.height() - 28, blocked)
        self.labels_shown = [box.text for box in placed]
        painter.setPen(Qt.PenStyle.NoPen)
        for box in placed:
            sx, sy = anchors[id(box)]
            painter.setBrush(colours.text)
            painter.drawEllipse(QPointF(sx, sy), 2.2, 2.2)
            baseline = QPointF(sx + 6, sy + metrics.ascent() / 2 - 1.5)
            _halo_text(painter, baseline, box.text, colours.label, colours.halo)

    def _draw_scale_and_attribution(self, painter: QPainter, colours: MapColours) -> None:
        view = self._view
        centre_lat = mapgeo.unproject(view.cx, view.cy)[0]
        bar = mapgeo.scale_bar(mapgeo.meters_per_pixel(centre_lat, view.zoom), 120, self._units)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        metrics = QFontMetricsF(small)
        bottom = self.height() - 8
        left = 10.0
        panel = QRectF(
            left - 4, bottom - 20, bar.length_px + 12 + metrics.horizontalAdvance(bar.label) + 6, 24
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colours.panel)
        painter.drawRoundedRect(panel, 3, 3)
        pen = QPen(colours.text, 2)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        y = bottom - 6
        painter.drawLine(QPointF(left, y), QPointF(left + bar.length_px, y))
        painter.drawLine(QPointF(left, y - 6), QPointF(left, y))
        painter.drawLine(QPointF(left + bar.length_px, y - 6), QPointF(left + bar.length_px, y))
        painter.drawText(QPointF(left + bar.length_px + 8, y), bar.label)
        text_width = metrics.horizontalAdvance(ATTRIBUTION)
        box = QRectF(self.width() - text_width - 14, bottom - 16, text_width + 10, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(colours.text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, ATTRIBUTION)


def _crowd_radius(count: int) -> float:
    """Larger crowds draw larger, in the few steps of ``CROWD_RADII``."""
    wanted = 9.0 + 2.6 * math.log2(count)
    return float(next((r for r in CROWD_RADII if r >= wanted - 1), CROWD_RADII[-1]))


def _cosmetic(colour: QColor, width: float) -> QPen:
    """A pen as wide on screen at every zoom (the basemap is drawn in the unit square)."""
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _halo_text(painter: QPainter, at: QPointF, text: str, colour: QColor, halo: QColor) -> None:
    """Text readable over land, water and marks: a ring of the background colour first."""
    painter.setPen(halo)
    for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1)):
        painter.drawText(at + QPointF(dx, dy), text)
    painter.setPen(colour)
    painter.drawText(at, text)


__all__ = ["ATTRIBUTION", "LabelProvider", "MapPoint", "MapView"]

"""The map widget offscreen: clicks, keys, fitting a ring, what is in view."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from netplanner.domain import mapgeo
from netplanner.domain.places import PlaceMatch
from netplanner.gui.widgets.map_view import ATTRIBUTION, MapPoint, MapView

LISBON = (38.7223, -9.1393)


def _labels(
    min_lat: float, max_lat: float, min_lon: float, max_lon: float, limit: int
) -> list[PlaceMatch]:
    places = [
        PlaceMatch("Lisbon, Portugal", *LISBON, "PT", population=517_802),
        PlaceMatch("Amadora, Portugal", 38.7538, -9.2308, "PT", population=178_858),
        PlaceMatch("Almada, Portugal", 38.6790, -9.1569, "PT", population=101_000),
    ]
    inside = [p for p in places if min_lat <= p.lat <= max_lat and min_lon <= p.lon <= max_lon]
    return inside[:limit]


@pytest.fixture
def view(qtbot: Any) -> MapView:
    widget = MapView(_labels)
    qtbot.addWidget(widget)
    widget.resize(1024, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _lisbon_points() -> list[MapPoint]:
    return [
        MapPoint(1, 38.7300, -9.1500, 0.9, "João Silva"),  # ~1.3 km from the base
        MapPoint(2, 38.7000, -9.4200, 0.4, "Ana Ramos"),  # Cascais, ~24 km
        MapPoint(3, 38.5710, -7.9135, 0.1, "Rui Costa"),  # Évora, ~108 km
        MapPoint(4, 52.52, 13.40, None, "Lena Müller"),  # Berlin
    ]


def _click(qtbot: Any, view: MapView, at: QPointF) -> None:
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=at.toPoint())


def test_the_widget_is_named_for_a_screen_reader(view: MapView) -> None:
    assert view.objectName() == "map-view"
    assert view.accessibleName() == "Map"
    assert view.focusPolicy() & Qt.FocusPolicy.TabFocus
    view.set_points(_lisbon_points())
    assert view.accessibleDescription() == "4 contacts in this view"


def test_clicking_a_point_emits_its_id(view: MapView, qtbot: Any) -> None:
    view.set_points(_lisbon_points())
    view.fit(*LISBON, 40)
    view.grab()  # marks are placed when painted
    at = view.mark_position(2)
    assert at is not None
    with qtbot.waitSignal(view.point_clicked) as signal:
        _click(qtbot, view, at)
    assert signal.args == [2]


def test_clicking_a_cluster_emits_its_ids(view: MapView, qtbot: Any) -> None:
    view.set_points(_lisbon_points())
    view.show_world()
    view.grab()
    at = view.mark_position(1)
    assert at is not None
    with qtbot.waitSignal(view.cluster_clicked) as signal:
        _click(qtbot, view, at)
    assert sorted(signal.args[0]) == [1, 2, 3]


def test_a_highlighted_point_is_its_own_mark_at_world_zoom(view: MapView) -> None:
    view.set_points(_lisbon_points())
    view.set_highlight(3)
    view.grab()
    cluster = view.mark_at(view.mark_position(3) or QPointF())
    assert cluster is not None and cluster.count == 1


def test_keys_zoom_and_pan_and_home_shows_the_world(view: MapView, qtbot: Any) -> None:
    start = view.viewport
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.viewport.zoom == pytest.approx(start.zoom + 1)
    before = view.viewport
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.viewport.cx > before.cx
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.viewport.zoom < start.zoom
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.viewport == start


def test_wheel_and_drag_change_the_view(view: MapView, qtbot: Any) -> None:
    view.fit(*LISBON, 200)
    before = view.viewport
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(500, 300))
    qtbot.mouseMove(view, QPoint(520, 300))
    qtbot.mouseMove(view, QPoint(600, 340))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(600, 340))
    assert view.viewport.cx < before.cx and view.viewport.cy < before.cy


def test_fit_around_lisbon_shows_the_ring_and_the_points_inside(view: MapView, qtbot: Any) -> None:
    view.set_points(_lisbon_points())
    view.set_base(*LISBON, "Hotel")
    view.set_radius_km(25)
    with qtbot.waitSignal(view.view_changed):
        view.fit(*LISBON, 25)
    assert sorted(view.visible_ids()) == [1, 2]
    assert view.visible_count() == 2
    assert view.accessibleDescription() == "2 contacts in this view"
    south, north, _, _ = view.viewport.bounds()
    assert south < 38.5 and north > 38.9  # the whole ring fits
    image = view.grab().toImage()
    ring = view.palette().highlight().color()
    # The ring's top is on screen, straight above the base.
    top = view.viewport.to_screen(*mapgeo.project(LISBON[0] + 25 / 111.2, LISBON[1]))
    pixel = image.pixelColor(int(top[0]), round(top[1]))
    assert abs(pixel.hue() - ring.hue()) < 25 or pixel == ring


def test_visible_count_follows_pan_and_zoom(view: MapView, qtbot: Any) -> None:
    view.set_points(_lisbon_points())
    assert view.visible_count() == 4
    view.fit(*LISBON, 25)
    assert view.visible_count() == 2
    view.pan_by(-3000, 0)
    assert view.visible_count() == 0
    view.show_world()
    with qtbot.waitSignal(view.view_changed):
        view.zoom_by(1.0)
    assert view.visible_count() == 4
    assert view.accessibleDescription() == "4 contacts in this view"


def test_labels_scale_bar_units_and_attribution_are_drawn(view: MapView) -> None:
    view.fit(*LISBON, 25)
    view._settled()
    view.set_units("mi")
    assert [p.name for p in view._places][:1] == ["Lisbon, Portugal"]
    assert view.grab().width() == 1024
    assert ATTRIBUTION == "Natural Earth · GeoNames"


def test_every_mark_is_drawn_ahead_in_a_pause(view: MapView, qtbot: Any) -> None:
    from netplanner.gui.widgets.map_view import SPRITE_KINDS

    view.set_points(_lisbon_points())
    view.grab()
    assert len(view._sprites) < SPRITE_KINDS  # only what the first frame needed
    view._settled()
    qtbot.waitUntil(lambda: len(view._sprites) == SPRITE_KINDS, timeout=3000)
    before = view.grab().toImage()
    view._sprites.clear()  # the warmed sprites are the ones a frame would draw
    assert view.grab().toImage() == before


def test_a_highlighted_name_is_drawn_whole_and_no_place_label_covers_it(qtbot: Any) -> None:
    beside = PlaceMatch("Beside, Portugal", 38.7300, -9.1470, "PT", population=10_000)
    widget = MapView(lambda *_box: [beside])
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_points([MapPoint(1, 38.7300, -9.1500, 0.9, "João Silva")])
    widget.fit(38.7300, -9.1500, 3)
    widget._settled()
    widget.grab()
    assert widget.labels_shown == ["Beside"]  # the place just east of João
    widget.set_highlight(1)
    widget.grab()
    assert widget.labels_shown == []  # his name is drawn there now, and it wins

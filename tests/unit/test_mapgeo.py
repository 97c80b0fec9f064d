"""The map's geometry: projection, the view, clustering, the scale bar, label placement."""

from __future__ import annotations

import random

import pytest

from netplanner.domain import mapgeo
from netplanner.domain.geo import distance_km
from netplanner.domain.mapgeo import ClusterIndex, LabelBox, Viewport


@pytest.mark.parametrize("lat, lon", [(0, 0), (38.72, -9.14), (-33.87, 151.21), (85, 179.9)])
def test_projection_round_trips(lat: float, lon: float) -> None:
    x, y = mapgeo.project(lat, lon)
    assert mapgeo.unproject(x, y) == pytest.approx((lat, lon), abs=1e-9)
    xs, ys = mapgeo.project_many([lat], [lon])
    assert (xs[0], ys[0]) == pytest.approx((x, y))


def test_projection_clamps_the_poles() -> None:
    assert mapgeo.project(90, 0) == mapgeo.project(mapgeo.MAX_LAT, 0)
    assert mapgeo.project(90, 0)[1] == pytest.approx(0.0, abs=1e-9)


def test_screen_and_world_round_trip_and_zoom_keeps_the_point_under_the_cursor() -> None:
    view = Viewport(0.4, 0.3, 5.0, 1280, 800)
    assert view.to_world(*view.to_screen(0.41, 0.31)) == pytest.approx((0.41, 0.31))
    before = view.to_world(200, 150)
    zoomed = view.zoomed(2.0, 200, 150)
    assert zoomed.zoom == pytest.approx(6.0)
    assert zoomed.to_world(200, 150) == pytest.approx(before)


def test_zoom_is_limited_to_street_scale_and_the_centre_to_the_world() -> None:
    view = Viewport(0.5, 0.5, 16.5, 800, 600).zoomed(8.0)
    assert view.zoom == mapgeo.MAX_ZOOM
    far = Viewport(0.5, 0.5, 3.0, 800, 600).panned(1e6, 1e6)
    x0, y0, _, _ = far.world_rect()
    assert x0 == pytest.approx(0.0) and y0 == pytest.approx(0.0)


def test_fit_circle_shows_the_whole_ring() -> None:
    view = mapgeo.fit_circle(38.72, -9.14, 25, 1280, 800)
    south, north, _, _ = view.bounds()
    assert distance_km(38.72, -9.14, south, -9.14) > 25
    assert distance_km(38.72, -9.14, north, -9.14) > 25
    assert distance_km(38.72, -9.14, south, -9.14) < 40


def test_circle_points_are_the_radius_away() -> None:
    for lat, lon in mapgeo.circle_points(38.72, -9.14, 25, steps=12):
        assert distance_km(38.72, -9.14, lat, lon) == pytest.approx(25, rel=1e-6)


def _crowd(count: int, lat: float, lon: float, spread: float) -> tuple[list[float], list[float]]:
    rng = random.Random(3)
    lats = [lat + rng.uniform(-spread, spread) for _ in range(count)]
    lons = [lon + rng.uniform(-spread, spread) for _ in range(count)]
    return mapgeo.project_many(lats, lons)


def test_a_crowd_is_one_cluster_at_world_zoom_and_points_at_city_zoom() -> None:
    xs, ys = _crowd(50, 38.72, -9.14, 0.1)
    index = ClusterIndex(xs, ys, [None] * 50)
    world = index.clusters(2)
    assert [c.count for c in world] == [50]
    city = index.clusters(15)
    assert sum(c.count for c in city) == 50
    assert len(city) > 40


def test_cluster_counts_add_up_at_every_zoom() -> None:
    lisbon = _crowd(300, 38.72, -9.14, 0.3)
    tokyo = _crowd(200, 35.68, 139.69, 0.3)
    xs, ys = lisbon[0] + tokyo[0], lisbon[1] + tokyo[1]
    index = ClusterIndex(xs, ys, [0.5] * 500)
    for zoom in range(0, 18):
        clusters = index.clusters(zoom)
        assert sum(c.count for c in clusters) == 500
        assert sorted(m for c in clusters for m in c.members) == list(range(500))


def test_the_highlighted_point_is_never_hidden_in_a_cluster() -> None:
    xs, ys = _crowd(40, 52.52, 13.40, 0.05)
    index = ClusterIndex(xs, ys, [n / 40 for n in range(40)])
    clusters = index.clusters(3, keep=7)
    assert any(c.members == (7,) for c in clusters)
    assert sum(c.count for c in clusters) == 40
    assert all(7 not in c.members for c in clusters if c.count > 1)
    assert index.clusters(3)[0].count == 40  # the cache is not changed by the highlight


def test_a_cluster_takes_the_best_rank_of_its_members() -> None:
    xs, ys = _crowd(3, 0, 0, 0.01)
    index = ClusterIndex(xs, ys, [0.2, None, 0.9])
    assert index.clusters(2)[0].rank == 0.9


def test_visible_finds_the_points_inside_the_rect() -> None:
    xs, ys = _crowd(200, 38.72, -9.14, 0.3)
    index = ClusterIndex(xs, ys, [None] * 200)
    rect = (min(xs), min(ys), (min(xs) + max(xs)) / 2, max(ys))
    expected = sorted(n for n in range(200) if xs[n] <= rect[2])
    for zoom in (2, 9, 14):
        assert sorted(index.visible(zoom, rect)) == expected


@pytest.mark.parametrize(
    "mpp, units, label",
    [
        (1000.0, "km", "100 km"),
        (30.0, "km", "2 km"),
        (2.0, "km", "200 m"),
        (1000.0, "mi", "50 mi"),
        (2.0, "mi", "500 ft"),
        (20_000.0, "km", "2,000 km"),
    ],
)
def test_scale_bar_picks_a_round_distance_that_fits(mpp: float, units: str, label: str) -> None:
    bar = mapgeo.scale_bar(mpp, 120, units)
    assert bar.label == label
    assert 40 <= bar.length_px <= 120


def test_meters_per_pixel_shrinks_towards_the_poles() -> None:
    assert mapgeo.meters_per_pixel(0, 0) == pytest.approx(156_543, rel=3e-3)  # a mean-radius sphere
    assert mapgeo.meters_per_pixel(60, 0) == pytest.approx(156_543 / 2, rel=3e-3)


def test_labels_that_overlap_a_larger_place_are_dropped() -> None:
    big = LabelBox("Lisbon", 100, 100, 60, 14)
    near = LabelBox("Amadora", 120, 105, 70, 14)
    far = LabelBox("Sintra", 300, 100, 50, 14)
    blocked = LabelBox("hotel", 295, 95, 20, 20)
    outside = LabelBox("Edge", 790, 10, 50, 14)
    placed = mapgeo.place_labels([big, near, far, outside], 800, 600)
    assert [b.text for b in placed] == ["Lisbon", "Sintra"]
    assert [b.text for b in mapgeo.place_labels([big, far], 800, 600, [blocked])] == ["Lisbon"]
    for a in placed:
        assert not any(a.overlaps(b) for b in placed if b is not a)


def test_a_highlighted_name_stays_inside_the_view_and_off_the_base_label() -> None:
    from netplanner.domain.mapgeo import LabelBox, label_beside

    view, size = (400.0, 300.0), (120.0, 16.0)
    # In the open: to the right of the mark.
    assert label_beside("Chen", 200, 150, 6, size, view).x == 210
    # The base's label on the right: to the left instead.
    base = LabelBox("home", 208, 140, 60, 20)
    assert label_beside("Chen", 200, 150, 6, size, view, base).x == 200 - 6 - 4 - 120
    # Near the left edge with the base on the right: not cut off at the edge (above it).
    beside = LabelBox("home", 68, 144, 60, 16)
    near_edge = label_beside("Chen Haddad 25192", 60, 150, 6, size, view, beside)
    assert near_edge.x >= 0 and near_edge.x + 120 <= 400
    assert not near_edge.overlaps(beside) and near_edge.y < 144  # above the mark
    # Near the right edge: to the left, inside the view.
    right = label_beside("Chen", 390, 150, 6, size, view)
    assert right.x + 120 <= 400 and right.x == 390 - 6 - 4 - 120

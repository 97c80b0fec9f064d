"""Great-circle geometry pinned against geopy, and search boxes at the edges of the map."""

from __future__ import annotations

import math

import pytest
from geopy.distance import great_circle
from hypothesis import given, settings
from hypothesis import strategies as st

from netplanner.domain.geo import (
    MAX_RADIUS_KM,
    bounding_box,
    check_radius,
    distance_km,
    format_km,
    km_to_miles,
    midpoint,
    miles_to_km,
)

CITIES = {
    "berlin": (52.52, 13.405),
    "lisbon": (38.7223, -9.1393),
    "tokyo": (35.6762, 139.6503),
    "new_york": (40.7128, -74.006),
    "sydney": (-33.8688, 151.2093),
    "suva": (-18.1248, 178.4501),
    "apia": (-13.8333, -171.75),
    "quito": (-0.1807, -78.4678),
}

lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)


@pytest.mark.parametrize("a", sorted(CITIES))
@pytest.mark.parametrize("b", sorted(CITIES))
def test_distance_matches_geopy_great_circle_between_cities(a: str, b: str) -> None:
    expected = great_circle(CITIES[a], CITIES[b]).km
    assert distance_km(*CITIES[a], *CITIES[b]) == pytest.approx(expected, abs=1e-6)


def test_known_distance_berlin_lisbon_is_about_2310_km() -> None:
    assert distance_km(*CITIES["berlin"], *CITIES["lisbon"]) == pytest.approx(2311, abs=5)


@settings(max_examples=300, deadline=None)
@given(lats, lons, lats, lons)
def test_distance_matches_geopy_anywhere(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    expected = great_circle((lat1, lon1), (lat2, lon2)).km
    assert distance_km(lat1, lon1, lat2, lon2) == pytest.approx(expected, abs=1e-3)


def test_miles_and_km_convert_both_ways() -> None:
    assert km_to_miles(1.609344) == pytest.approx(1.0)
    assert miles_to_km(10) == pytest.approx(16.09344)
    assert format_km(3.24) == "3.2 km"
    assert format_km(16.09344, "mi") == "10.0 mi"
    assert format_km(0.42) == "420 m"
    assert format_km(2326.54) == "2,327 km"
    assert format_km(99.94) == "99.9 km"
    assert format_km(8000.0, "mi") == "4,971 mi"


def test_box_across_the_antimeridian_has_two_longitude_ranges() -> None:
    box = bounding_box(-18.0, 179.5, 200)
    assert len(box.lon_ranges) == 2
    assert box.contains(-18.0, -179.5)  # about 105 km east, across the line
    assert box.contains(-18.0, 178.5)
    assert not box.contains(-18.0, 0.0)


def test_box_across_the_antimeridian_from_the_west_side() -> None:
    box = bounding_box(-13.8, -179.8, 100)
    assert len(box.lon_ranges) == 2
    assert box.contains(-13.8, 179.6)


def test_box_near_the_north_pole_takes_every_longitude() -> None:
    box = bounding_box(89.5, 10.0, 100)
    assert box.full_longitude
    assert box.max_lat == 90.0
    assert box.contains(89.6, -170.0)  # just over the pole


def test_box_near_the_south_pole_takes_every_longitude() -> None:
    box = bounding_box(-89.9, 0.0, 50)
    assert box.full_longitude
    assert box.min_lat == -90.0


def test_box_of_an_ordinary_city_is_one_narrow_range() -> None:
    box = bounding_box(52.52, 13.405, 25)
    assert len(box.lon_ranges) == 1
    low, high = box.lon_ranges[0]
    assert 12.9 < low < 13.1 and 13.7 < high < 13.9
    assert box.max_lat - box.min_lat == pytest.approx(2 * 25 / 111.19, rel=1e-3)


@settings(max_examples=400, deadline=None)
@given(
    lats,
    lons,
    st.floats(min_value=0.5, max_value=3000),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=2 * math.pi),
)
def test_every_point_within_the_radius_is_inside_the_box(
    lat: float, lon: float, radius: float, fraction: float, bearing: float
) -> None:
    # A point at distance fraction*radius along a bearing, by the spherical destination formula.
    angular = fraction * radius / 6371.009
    phi, lam = math.radians(lat), math.radians(lon)
    phi2 = math.asin(
        math.sin(phi) * math.cos(angular) + math.cos(phi) * math.sin(angular) * math.cos(bearing)
    )
    lam2 = lam + math.atan2(
        math.sin(bearing) * math.sin(angular) * math.cos(phi),
        math.cos(angular) - math.sin(phi) * math.sin(phi2),
    )
    lat2 = math.degrees(phi2)
    lon2 = (math.degrees(lam2) + 180) % 360 - 180
    if distance_km(lat, lon, lat2, lon2) > radius * 0.999999:
        return  # rounding at the rim
    assert bounding_box(lat, lon, radius).contains(lat2, lon2)


def test_midpoint_is_equally_far_from_both_ends() -> None:
    mid = midpoint(*CITIES["berlin"], *CITIES["lisbon"])
    to_berlin = distance_km(*mid, *CITIES["berlin"])
    to_lisbon = distance_km(*mid, *CITIES["lisbon"])
    assert to_berlin == pytest.approx(to_lisbon, abs=1e-6)
    assert to_berlin == pytest.approx(distance_km(*CITIES["berlin"], *CITIES["lisbon"]) / 2)


def test_midpoint_across_the_antimeridian_stays_on_the_short_side() -> None:
    lat, lon = midpoint(0.0, 179.0, 0.0, -179.0)
    assert lat == pytest.approx(0.0, abs=1e-9)
    assert abs(lon) == pytest.approx(180.0, abs=1e-9)


@pytest.mark.parametrize("radius", [0, -5, float("nan"), MAX_RADIUS_KM + 1])
def test_a_zero_negative_or_absurd_radius_is_refused(radius: float) -> None:
    with pytest.raises(ValueError, match="radius"):
        check_radius(radius)

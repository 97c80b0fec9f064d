"""Great-circle geometry on a spherical Earth: distances, search boxes, midpoints, units.

Pure Python on purpose: the domain must not depend on geopy. The Earth radius is the mean
radius geopy's ``great_circle`` uses, so both agree to the millimetre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.009
KM_PER_MILE = 1.609344
# Beyond this a radius is not a search near a place any more but a typing mistake.
MAX_RADIUS_KM = 20_000.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in km between two points (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def km_to_miles(km: float) -> float:
    return km / KM_PER_MILE


def miles_to_km(miles: float) -> float:
    return miles * KM_PER_MILE


# Past this, a tenth of a kilometre (or mile) is noise: "2,327 km", not "2326.5 km".
WHOLE_UNITS_FROM = 100.0


def format_km(km: float, unit: str = "km") -> str:
    """A distance as people read it: '3.2 km', '2.0 mi', '850 m', '2,327 km'."""
    value, name = (km_to_miles(km), "mi") if unit == "mi" else (km, "km")
    if name == "km" and km < 1:
        return f"{round(km * 1000, -1):.0f} m"
    if value >= WHOLE_UNITS_FROM:
        return f"{value:,.0f} {name}"
    return f"{value:.1f} {name}"


def normalize_lon(lon: float) -> float:
    """A longitude folded into [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


@dataclass(frozen=True)
class BoundingBox:
    """Latitude range plus one or two longitude ranges (two when it crosses the antimeridian)."""

    min_lat: float
    max_lat: float
    lon_ranges: tuple[tuple[float, float], ...]

    @property
    def full_longitude(self) -> bool:
        return self.lon_ranges == ((-180.0, 180.0),)

    def contains(self, lat: float, lon: float) -> bool:
        if not self.min_lat <= lat <= self.max_lat:
            return False
        return any(low <= lon <= high for low, high in self.lon_ranges)


def check_radius(radius_km: float) -> None:
    """Raise ``ValueError`` with a sentence for a radius that is negative, zero or absurd."""
    if math.isnan(radius_km) or radius_km <= 0:
        raise ValueError(f"The radius must be more than 0 km (got {radius_km:g}).")
    if radius_km > MAX_RADIUS_KM:
        raise ValueError(
            f"A radius of {radius_km:g} km is more than the Earth allows; "
            f"use at most {MAX_RADIUS_KM:,.0f} km."
        )


def bounding_box(lat: float, lon: float, radius_km: float) -> BoundingBox:
    """The smallest lat/lon box holding every point within ``radius_km`` of (lat, lon).

    Follows J. P. Matuschek's method: when a pole lies inside the circle every longitude
    is needed; otherwise the longitude span is widened by asin(sin r / cos lat) and split
    in two where it crosses the antimeridian.
    """
    check_radius(radius_km)
    angular = radius_km / EARTH_RADIUS_KM
    lat_r = math.radians(lat)
    min_lat = lat_r - angular
    max_lat = lat_r + angular
    full = ((-180.0, 180.0),)
    if max_lat >= math.pi / 2 or min_lat <= -math.pi / 2 or angular >= math.pi:
        return BoundingBox(
            max(math.degrees(min_lat), -90.0), min(math.degrees(max_lat), 90.0), full
        )
    ratio = math.sin(angular) / math.cos(lat_r)
    if ratio >= 1:
        return BoundingBox(math.degrees(min_lat), math.degrees(max_lat), full)
    dlon = math.degrees(math.asin(ratio))
    west, east = lon - dlon, lon + dlon
    ranges: tuple[tuple[float, float], ...]
    if east - west >= 360:
        ranges = full
    elif west < -180:
        ranges = ((west + 360, 180.0), (-180.0, east))
    elif east > 180:
        ranges = ((west, 180.0), (-180.0, east - 360))
    else:
        ranges = ((west, east),)
    return BoundingBox(math.degrees(min_lat), math.degrees(max_lat), ranges)


def midpoint(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """The point halfway along the great circle between two points, as (lat, lon)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    lam1, lam2 = math.radians(lon1), math.radians(lon2)
    x = math.cos(phi1) * math.cos(lam1) + math.cos(phi2) * math.cos(lam2)
    y = math.cos(phi1) * math.sin(lam1) + math.cos(phi2) * math.sin(lam2)
    z = math.sin(phi1) + math.sin(phi2)
    if math.hypot(x, y, z) < 1e-12:  # antipodes: every great circle is as short; pick one
        return 0.0, normalize_lon(lon1 + 90.0)
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    lon = math.degrees(math.atan2(y, x))
    return lat, normalize_lon(lon)

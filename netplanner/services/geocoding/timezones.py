"""The IANA time zone at a point, from timezonefinder's offline boundary data."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _finder() -> Any:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


@lru_cache(maxsize=65536)
def timezone_at(lat: float, lon: float) -> str | None:
    """The zone name at (lat, lon), the nearest zone at sea, or None where none is known."""
    finder = _finder()
    zone = finder.timezone_at(lat=lat, lng=lon)
    if zone is None:
        zone = finder.certain_timezone_at(lat=lat, lng=lon)
    return str(zone) if zone else None

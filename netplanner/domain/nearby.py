"""Light views of contacts for search by place, and the exact-distance pass after the box."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from netplanner.domain.geo import distance_km


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """Who a contact is and where, without the rest of their record."""

    id: int
    name: str
    company: str | None
    location_text: str | None
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class ContactProfile:
    """A contact point plus what the suggestion ranking looks at."""

    id: int
    name: str
    company: str | None
    location_text: str | None
    lat: float
    lon: float
    position: str | None = None
    industry: str | None = None
    interests: tuple[str, ...] = field(default_factory=tuple)
    connected_on: date | None = None
    last_met: date | None = None
    cadence_days: int | None = None
    has_photo: bool = False
    stage: str = "new"


P = TypeVar("P", ContactPoint, ContactProfile)


def within_radius(
    candidates: Iterable[P], lat: float, lon: float, radius_km: float
) -> list[tuple[P, float]]:
    """Candidates within ``radius_km`` of (lat, lon) with their distance, nearest first."""
    found = []
    for candidate in candidates:
        d = distance_km(lat, lon, candidate.lat, candidate.lon)
        if d <= radius_km:
            found.append((candidate, d))
    found.sort(key=lambda pair: (pair[1], pair[0].id))
    return found


def nearest(candidates: Sequence[P], lat: float, lon: float) -> tuple[P, float] | None:
    """The candidate closest to (lat, lon), or None when there are none."""
    best: tuple[P, float] | None = None
    for candidate in candidates:
        d = distance_km(lat, lon, candidate.lat, candidate.lon)
        if best is None or d < best[1]:
            best = (candidate, d)
    return best

"""What a place lookup answers, whoever answers it (the offline gazetteer or an online service)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class PlaceMatch:
    """One place a text may mean."""

    name: str  # display name, e.g. "Munich, Bavaria, Germany"
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    timezone: str | None = None
    population: int | None = None
    source: str = "geonames"  # "geonames", "nominatim", ...


@dataclass(frozen=True)
class LocateResult:
    """The answer for one place text: the best match (if any) and the other candidates."""

    query: str
    best: PlaceMatch | None
    candidates: tuple[PlaceMatch, ...] = field(default_factory=tuple)
    failed: bool = False  # a service failed: not the same as "not found"
    # Why: the part of the text that named the place, and the parts set aside (streets,
    # postcodes, units, components that did not agree). Offline answers fill them in.
    matched: str | None = None
    ignored: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.best is not None


class PlaceLocator(Protocol):
    """Turns a place as a person writes it into coordinates."""

    def locate(self, text: str) -> LocateResult:
        """The best match for ``text`` with its other candidates; ``best`` is None if unknown."""
        ...

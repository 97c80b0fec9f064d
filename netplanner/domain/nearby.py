"""Light views of contacts for searches by place: who and where, without the whole record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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

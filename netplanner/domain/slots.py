"""Coffee slots inside a trip: morning, lunch and afternoon, in the venue's own time zone.

Local hours are turned into UTC through zoneinfo day by day, so a trip across a
daylight-saving change keeps 10:00 at 10:00 on the wall clock; arithmetic on instants is
done in UTC, never on wall-clock datetimes. A slot must leave the user time to travel from
and to their other meetings; without coordinates a fixed margin is kept.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netplanner.domain.geo import distance_km

# (label, earliest start, latest start) in local time.
WINDOWS: tuple[tuple[str, time, time], ...] = (
    ("morning", time(9, 0), time(11, 0)),
    ("lunch", time(12, 0), time(13, 30)),
    ("afternoon", time(15, 0), time(17, 0)),
)
STEP = timedelta(minutes=30)
DEFAULT_DURATION = timedelta(minutes=60)
UNKNOWN_TRAVEL_MIN = 30  # margin around a meeting whose place is unknown
CITY_SPEED_KMH = 20.0  # door to door across a city, by foot, bike, taxi or train
TRAVEL_OVERHEAD_MIN = 10
MAX_TRAVEL_MIN = 180


@dataclass(frozen=True)
class Busy:
    """Time the user is taken, in UTC, and where (if known)."""

    start_utc: datetime
    end_utc: datetime
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Slot:
    """A free time for coffee; ``start`` and ``end`` are local to ``tzid``."""

    label: str
    start: datetime
    end: datetime
    tzid: str

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(UTC)

    @property
    def local_text(self) -> str:
        """The start as CLI.md writes local times: 2026-12-03T10:00."""
        return self.start.strftime("%Y-%m-%dT%H:%M")


def travel_minutes(
    a_lat: float | None, a_lon: float | None, b_lat: float | None, b_lon: float | None
) -> int:
    """Minutes to allow between two places: a city pace plus an overhead, in steps of 5."""
    if a_lat is None or a_lon is None or b_lat is None or b_lon is None:
        return UNKNOWN_TRAVEL_MIN
    minutes = TRAVEL_OVERHEAD_MIN + distance_km(a_lat, a_lon, b_lat, b_lon) / CITY_SPEED_KMH * 60
    return min(MAX_TRAVEL_MIN, 5 * math.ceil(minutes / 5))


def zone_of(tzid: str) -> ZoneInfo:
    """The IANA zone, or ``ValueError`` with a sentence when the name is unknown."""
    try:
        return ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{tzid}' is not a known time zone.") from exc


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The aware local datetime for a wall-clock time, or None if the clock skips it (DST)."""
    local = datetime.combine(day, at, zone)
    back = local.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local


def _is_free(
    start_utc: datetime,
    end_utc: datetime,
    busy: Sequence[Busy],
    venue_lat: float | None,
    venue_lon: float | None,
) -> bool:
    for other in busy:
        travel = timedelta(minutes=travel_minutes(other.lat, other.lon, venue_lat, venue_lon))
        if start_utc < other.end_utc + travel and other.start_utc < end_utc + travel:
            return False
    return True


def coffee_slots(
    first_day: date,
    last_day: date,
    tzid: str,
    busy: Sequence[Busy] = (),
    venue_lat: float | None = None,
    venue_lon: float | None = None,
    duration: timedelta = DEFAULT_DURATION,
    not_before: datetime | None = None,
) -> list[Slot]:
    """The first free start in each window of each day, in order; none before ``not_before``."""
    if last_day < first_day:
        raise ValueError("The last day comes before the first day.")
    zone = zone_of(tzid)
    slots: list[Slot] = []
    day = first_day
    while day <= last_day:
        for label, earliest, latest in WINDOWS:
            at = datetime.combine(day, earliest)
            stop = datetime.combine(day, latest)
            while at <= stop:
                local = local_instant(day, at.time(), zone)
                at += STEP
                if local is None:
                    continue
                start_utc = local.astimezone(UTC)
                end_utc = start_utc + duration
                if not_before is not None and start_utc < not_before:
                    continue
                if _is_free(start_utc, end_utc, busy, venue_lat, venue_lon):
                    slots.append(Slot(label, local, end_utc.astimezone(zone), tzid))
                    break
        day += timedelta(days=1)
    return slots

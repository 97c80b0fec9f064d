"""Trips read from a calendar file: events with a place become trips, merged by place and day.

The file is read (``calendar_ics.read_calendar_events``), each event's LOCATION resolved by
the place finder, past events left out, stays in one place merged (``domain.trips``), and the
result matched to the trips already read by the events' UIDs. A dry run reports the same
answer and writes nothing, which is what the window's import preview shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from netplanner.domain.errors import InputError
from netplanner.domain.places import PlaceLocator, PlaceMatch
from netplanner.domain.trips import (
    CalendarEvent,
    CalendarStay,
    SkippedEvent,
    StayPlace,
    TripImportAction,
    event_days,
    merge_stays,
)
from netplanner.services.calendar_ics import read_calendar_events
from netplanner.services.geocoding.timezones import timezone_at
from netplanner.storage.repositories import TripRepository

PAST_REASON = "ended before today"
_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class TripImportItem:
    """One trip an import creates, updates or leaves unchanged, as it is (or would be) after."""

    action: TripImportAction
    trip_id: int | None  # None for a trip a dry run would create
    name: str
    place: str
    start: date
    end: date
    event_uids: tuple[str, ...]


@dataclass(frozen=True)
class TripImportPreview:
    """What an import of a calendar file does (or, on a dry run, would do)."""

    trips: tuple[TripImportItem, ...]
    skipped: tuple[SkippedEvent, ...]
    dry_run: bool

    def _count(self, action: TripImportAction) -> int:
        return sum(1 for item in self.trips if item.action == action)

    @property
    def created(self) -> int:
        return self._count("create")

    @property
    def updated(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")


def _place_texts(location: str) -> list[str]:
    """The texts to try for an event's place: all of it, then shorter tails of its parts.

    "Hotel Avenida, Rua 1 de Dezembro 123, 1100-001 Lisboa, Portugal" is an address; its
    tail "Lisboa, Portugal" is the place. Parts holding a number (street numbers, postcodes)
    are also tried without those words.
    """
    parts = [p.strip() for p in location.split(",") if p.strip()]
    texts = [location]
    for i in range(1, len(parts)):
        texts.append(", ".join(parts[i:]))
    words = [" ".join(w for w in p.split() if not _HAS_DIGIT.search(w)) for p in parts]
    cleaned = [w for w in words if w]
    for i in range(len(cleaned)):
        texts.append(", ".join(cleaned[i:]))
    return list(dict.fromkeys(texts))


def _in_zone(moment: date | datetime, zone: ZoneInfo) -> date | datetime:
    """A timed moment as naive local time in the place's zone (floating times stay as they are)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone)
        return moment.replace(tzinfo=None)
    return moment


class TripImporter:
    """Reads trips from .ics files through a place finder into the trips repository."""

    def __init__(
        self,
        locator: PlaceLocator,
        trips: TripRepository,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.locator = locator
        self.trips = trips
        self.today = today

    def preview(self, path: Path) -> TripImportPreview:
        """What importing the file would do: the trips to create and update, the skipped events."""
        return self.run(path, dry_run=True)

    def run(self, path: Path, dry_run: bool = False) -> TripImportPreview:
        """Import the trips of a calendar file (nothing written on a dry run).

        ``InputError`` when the file cannot be read, is not a calendar, or has no event with
        a location; nothing is written then.
        """
        events, skipped = read_calendar_events(Path(path))
        if not events:
            raise InputError(
                f"{Path(path).name} has no event with a location, so it holds no trip; "
                "nothing was written."
            )
        today = self.today()
        places: dict[str, PlaceMatch | None] = {}
        stays: list[CalendarStay] = []
        for event in events:
            stay, reason = self._stay(event, today, places)
            if stay is not None:
                stays.append(stay)
            elif reason:
                skipped.append(SkippedEvent(event.label, reason, event.uid))
        steps = self.trips.import_stays(merge_stays(stays), write=not dry_run)
        items = tuple(
            TripImportItem(
                action=step.action,
                trip_id=step.trip.id,
                name=step.trip.name,
                place=step.trip.place_text,
                start=step.trip.start_date,
                end=step.trip.end_date,
                event_uids=step.uids,
            )
            for step in steps
        )
        return TripImportPreview(items, tuple(skipped), dry_run)

    def _match(self, location: str, cache: dict[str, PlaceMatch | None]) -> PlaceMatch | None:
        if location not in cache:
            # A whole country ("Portugal", no comma in its name) is a last resort: an address
            # whose street part confuses the finder usually names its city further on.
            coarse: PlaceMatch | None = None
            found: PlaceMatch | None = None
            for text in _place_texts(location):
                best = self.locator.locate(text).best
                if best is not None and "," in best.name:
                    found = best
                    break
                coarse = coarse or best
            cache[location] = found or coarse
        return cache[location]

    def _stay(
        self, event: CalendarEvent, today: date, cache: dict[str, PlaceMatch | None]
    ) -> tuple[CalendarStay | None, str | None]:
        match = self._match(event.location, cache)
        if match is None:
            first, last = event_days(event.start, event.end)
            if last < today:
                return None, PAST_REASON
            return None, f"the place '{event.location}' was not found"
        tzid = match.timezone or timezone_at(match.lat, match.lon) or "UTC"
        zone = ZoneInfo(tzid)
        end = None if event.end is None else _in_zone(event.end, zone)
        first, last = event_days(_in_zone(event.start, zone), end)
        if last < today:
            return None, PAST_REASON
        place = StayPlace(match.name, match.lat, match.lon, tzid, match.country_code)
        return CalendarStay(event.uid, event.summary, place, first, last), None

"""Trips from calendar events: stays in one place merged into trips, and what an import changes.

A calendar holds a trip as one multi-day event ("Lisbon, 10-14 January") or as several
("Flight to Lisbon", "Web Summit", "Dinner with Ana"). Events in the same place that touch or
overlap (the next starts no later than the day after the previous ends) are one trip.

An imported trip remembers the UIDs of all its events and the fields as they were last
imported, so a re-import of an unchanged calendar changes nothing, and a field the calendar
did not change keeps the user's own edit (a renamed trip stays renamed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from netplanner.domain.entities import Trip

ICS_SOURCE = "ics"
TripImportAction = Literal["create", "update", "unchanged"]


@dataclass(frozen=True)
class CalendarEvent:
    """An event as a calendar file has it, before its place is resolved.

    ``start`` and ``end`` are dates for all-day events (``end`` exclusive, as iCalendar has
    it) and datetimes for timed ones; ``end`` is None when the event gives neither an end
    nor a duration.
    """

    uid: str
    summary: str
    location: str
    start: date | datetime
    end: date | datetime | None = None

    @property
    def label(self) -> str:
        """How a report names the event: its summary, else its UID."""
        return self.summary or self.uid


@dataclass(frozen=True)
class SkippedEvent:
    """An event that did not become (part of) a trip, and why, in words."""

    event: str  # the summary, else the UID
    reason: str
    uid: str = ""


def event_days(start: date | datetime, end: date | datetime | None) -> tuple[date, date]:
    """The first and last day an event covers (both included), in the zone of its times.

    An all-day end is exclusive; a timed event ending at midnight ends the day before.
    """
    if isinstance(start, datetime):
        first = start.date()
        if not isinstance(end, datetime) or end <= start:
            return first, first
        last = end.date()
        if end.time() == datetime.min.time():
            last -= timedelta(days=1)
        return first, max(first, last)
    if end is None or isinstance(end, datetime):
        return start, start
    return start, max(start, end - timedelta(days=1))


@dataclass(frozen=True)
class StayPlace:
    """Where an event happens, as the place finder resolved it; equal places merge."""

    name: str  # "Lisbon, Portugal"
    lat: float
    lon: float
    timezone: str
    country_code: str | None = None


@dataclass(frozen=True)
class CalendarStay:
    """One calendar event with a resolved place and the days it covers (both included)."""

    uid: str
    summary: str
    place: StayPlace
    start: date
    end: date


@dataclass(frozen=True)
class MergedStay:
    """Consecutive or overlapping stays in one place: one trip to be."""

    place: StayPlace
    start: date
    end: date
    uids: tuple[str, ...]  # in date order; the first is the trip's source key
    summaries: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class TripFields:
    """The fields of a trip that a calendar decides, as one import set them."""

    name: str
    place_text: str
    lat: float
    lon: float
    timezone: str
    country_code: str | None
    start_date: date
    end_date: date

    @classmethod
    def of(cls, trip: Trip) -> TripFields:
        """The calendar's fields of a stored trip."""
        return cls(**{f.name: getattr(trip, f.name) for f in dataclasses.fields(cls)})

    @classmethod
    def of_stay(cls, stay: MergedStay) -> TripFields:
        """The fields a merged stay gives its trip."""
        p = stay.place
        return cls(stay.name, p.name, p.lat, p.lon, p.timezone, p.country_code, stay.start,
                   stay.end)  # fmt: skip

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class StoredImport:
    """A trip already read from a calendar: the trip, its events' UIDs, the fields as imported.

    ``imported`` is None for a trip imported before the fields were remembered; its current
    fields stand in for them.
    """

    trip: Trip
    uids: frozenset[str]
    imported: TripFields | None = None


@dataclass(frozen=True)
class TripImportStep:
    """What an import does to one trip: create it, update it, or leave it as it is.

    ``trip`` is the trip as it is after the step (no id when it is created); ``absorbed`` are
    trips read earlier from events that now belong to this one (they are folded into it).
    """

    action: TripImportAction
    trip: Trip
    uids: tuple[str, ...]
    imported: TripFields
    absorbed: tuple[int, ...] = ()


def default_trip_name(place_name: str, start: date) -> str:
    """'Lisbon December 2026': the place's first part and the month of the first day."""
    head = place_name.split(",")[0].strip() or place_name
    return f"{head} {start:%B %Y}"


def _trip_name(stays: Sequence[CalendarStay], place: StayPlace, start: date) -> str:
    """The summary of the longest event (the trip itself, more than its flights), else a default."""
    named = [s for s in stays if s.summary.strip()]
    if not named:
        return default_trip_name(place.name, start)
    longest = max(named, key=lambda s: ((s.end - s.start).days, -s.start.toordinal()))
    return " ".join(longest.summary.split())


def _merged(stays: list[CalendarStay]) -> MergedStay:
    place = stays[0].place
    start = min(s.start for s in stays)
    return MergedStay(
        place=place,
        start=start,
        end=max(s.end for s in stays),
        uids=tuple(dict.fromkeys(s.uid for s in stays)),
        summaries=tuple(s.summary for s in stays),
        name=_trip_name(stays, place, start),
    )


def merge_stays(stays: Iterable[CalendarStay]) -> list[MergedStay]:
    """Stays grouped by place, merged where the next starts by the day after the last ends.

    A stay whose end comes before its start is taken as one day. The trips come in date order
    (then by place name).
    """
    by_place: dict[StayPlace, list[CalendarStay]] = {}
    for stay in stays:
        if stay.end < stay.start:
            stay = dataclasses.replace(stay, end=stay.start)
        by_place.setdefault(stay.place, []).append(stay)
    merged: list[MergedStay] = []
    for group in by_place.values():
        group.sort(key=lambda s: (s.start, s.end, s.uid))
        run = [group[0]]
        run_end = group[0].end
        for stay in group[1:]:
            if stay.start <= run_end + timedelta(days=1):
                run.append(stay)
                run_end = max(run_end, stay.end)
            else:
                merged.append(_merged(run))
                run, run_end = [stay], stay.end
        merged.append(_merged(run))
    merged.sort(key=lambda m: (m.start, m.end, m.place.name, m.uids))
    return merged


def _three_way(current: Trip, before: TripFields, after: TripFields) -> Trip:
    """The trip with each field the calendar changed since ``before`` taken from ``after``."""
    changes: dict[str, Any] = {
        name: value for name, value in after.as_dict().items() if value != getattr(before, name)
    }
    updated = dataclasses.replace(current, **changes)
    if updated.end_date < updated.start_date:  # the user's dates and the calendar's crossed
        updated = dataclasses.replace(updated, start_date=after.start_date,
                                      end_date=after.end_date)  # fmt: skip
    return updated


def plan_trip_import(
    stays: Sequence[MergedStay], stored: Mapping[str, StoredImport]
) -> list[TripImportStep]:
    """What importing the merged stays does, given the trips already read (by event UID).

    A stay whose events belong to a stored trip updates that trip (the oldest, when they
    belong to several: the others are absorbed into it); a trip claimed by an earlier stay
    of this import is not claimed again, so events that no longer merge make a new trip.
    """
    claimed: set[int] = set()
    steps: list[TripImportStep] = []
    for stay in stays:
        fields = TripFields.of_stay(stay)
        owners: dict[int, StoredImport] = {}
        for uid in stay.uids:
            found = stored.get(uid)
            if found is not None and found.trip.id is not None and found.trip.id not in claimed:
                owners[found.trip.id] = found
        if not owners:
            trip = Trip(
                name=fields.name,
                place_text=fields.place_text,
                lat=fields.lat,
                lon=fields.lon,
                start_date=fields.start_date,
                end_date=fields.end_date,
                timezone=fields.timezone,
                country_code=fields.country_code,
                source=ICS_SOURCE,
                source_key=stay.uids[0],
            )
            steps.append(TripImportStep("create", trip, stay.uids, fields))
            continue
        target_id = min(owners)
        target = owners[target_id]
        claimed.update(owners)
        absorbed = tuple(sorted(i for i in owners if i != target_id))
        before = target.imported or TripFields.of(target.trip)
        trip = _three_way(target.trip, before, fields)
        if trip.source_key is None:
            trip = dataclasses.replace(trip, source_key=stay.uids[0])
        changed = trip != target.trip or bool(absorbed) or bool(set(stay.uids) - target.uids)
        steps.append(
            TripImportStep("update" if changed else "unchanged", trip, stay.uids, fields, absorbed)
        )
    return steps


@dataclass(frozen=True)
class DeletedTrip:
    """What an undo of a trip's deletion puts back: the trip with its id and what pointed at it.

    ``meeting_ids`` are the meetings that were on the trip; ``event_uids`` and ``imported``
    keep a trip read from a calendar recognisable by the next import.
    """

    trip: Trip
    meeting_ids: tuple[int, ...] = ()
    event_uids: tuple[str, ...] = ()
    imported: TripFields | None = None

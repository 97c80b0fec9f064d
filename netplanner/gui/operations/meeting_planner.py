"""The meeting planner's use cases: who they are, where and when to meet, and saving it.

Each read runs as a ``QueryOp`` (venues, slots and the briefing touch the database, and an
online venue search waits on a server); each write is a ``WriteOp`` whose ``Changes`` name
the meeting, the contact and any venue it created, so Today, Meetings and the timeline
follow without being told.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from netplanner.domain.briefing import LastHeard
from netplanner.domain.changes import Changes
from netplanner.domain.entities import Contact, FollowUp, Meeting, Trip, Venue
from netplanner.domain.errors import InputError, NotFoundError
from netplanner.domain.fairness import Point, VenueOption, favouring_rated, rank_venues
from netplanner.domain.geo import distance_km
from netplanner.domain.localtime import format_utc, zone
from netplanner.domain.progress import ProgressSink
from netplanner.domain.slots import Slot
from netplanner.gui.operations import Lane, OpHost, QueryOp, WriteOp, Written
from netplanner.services.briefing import Briefing, BriefingService
from netplanner.services.calendar_ics import CalendarService
from netplanner.services.geocoding.timezones import timezone_at
from netplanner.services.invitations import InvitationService
from netplanner.services.locations import LocationService
from netplanner.services.meetings import MAX_DURATION_MIN, MeetingService, VenueChoice
from netplanner.services.planning import (
    DEFAULT_DAYS,
    PlanningService,
    short_place,
    user_point,
)
from netplanner.services.venues import VenueAnswer, VenueFinder
from netplanner.settings import Settings

GOOD_RATING = 4.0  # a venue rated this well after past meetings is said to be


class VenueBook(Protocol):
    """The user's saved venues (``context.venue_repo``)."""

    def add(self, entity: Venue) -> Venue: ...

    def get(self, entity_id: int) -> Venue: ...

    def update(self, entity: Venue) -> Venue: ...


class MeetingPlannerServices(Protocol):
    """What the meeting planner needs (an ``AppContext`` has it)."""

    @property
    def briefings(self) -> BriefingService: ...

    @property
    def venue_finder(self) -> VenueFinder: ...

    @property
    def planner(self) -> PlanningService: ...

    @property
    def locations(self) -> LocationService: ...

    @property
    def invitations(self) -> InvitationService: ...

    @property
    def meetings(self) -> MeetingService: ...

    @property
    def calendar(self) -> CalendarService: ...

    @property
    def venue_repo(self) -> VenueBook: ...

    @property
    def settings(self) -> Settings: ...


# Where the user is -----------------------------------------------------------------------
@dataclass(frozen=True)
class PlannerPlace:
    """The user's side of the meeting: a trip's base, or where they are now."""

    user: Point
    first_day: date
    last_day: date
    tzid: str  # the place's zone, for venues that have none
    home_tzid: str  # "your time"
    label: str  # "your hotel", "home"
    city: str | None  # "Lisbon", for the invitation
    trip: Trip | None = None
    hotel_name: str | None = None
    hotel: Point | None = None


@dataclass(frozen=True)
class PlannerStart:
    """What the planner opens with: the contact's briefing and the user's place."""

    briefing: Briefing
    place: PlannerPlace | None  # None: no trip and no home set

    @property
    def contact(self) -> Contact:
        return self.briefing.contact

    @property
    def last_heard(self) -> LastHeard:
        return self.briefing.last_heard

    @property
    def follow_ups(self) -> list[FollowUp]:
        return self.briefing.follow_ups


def home_zone(services: MeetingPlannerServices) -> str:
    """The zone 'your time' is read in: the home location's, as Today does, else UTC."""
    home = services.locations.get_home()
    return (home.timezone if home is not None else None) or "UTC"


def planner_place(
    services: MeetingPlannerServices, trip_id: int | None, now: datetime
) -> PlannerPlace | None:
    """The trip's base and dates, or the current/home location for the coming days."""
    home_tzid = home_zone(services)
    if trip_id is not None:
        trip = services.planner.get_trip(trip_id)
        lat, lon = user_point(trip)
        hotel = None
        if trip.base_lat is not None and trip.base_lon is not None:
            hotel = Point(trip.base_lat, trip.base_lon)
        request = services.planner.request_for_trip(trip_id)
        return PlannerPlace(
            Point(lat, lon), trip.start_date, trip.end_date, trip.timezone, home_tzid,
            request.label, short_place(trip.place_text), trip,
            trip.base_address if hotel is not None else None, hotel,
        )  # fmt: skip
    where = services.planner.now_location()
    if where is None:
        return None
    tzid = where.timezone or timezone_at(where.lat, where.lon) or "UTC"
    first = now.astimezone(ZoneInfo(tzid)).date()
    label = "where you are" if where.kind == "current" else "home"
    return PlannerPlace(
        Point(where.lat, where.lon), first, first + timedelta(days=DEFAULT_DAYS - 1), tzid,
        home_tzid, label, short_place(where.text),
    )  # fmt: skip


def read_start(
    host: OpHost,
    services: MeetingPlannerServices,
    contact_id: int,
    trip_id: int | None,
    now: datetime,
) -> QueryOp[PlannerStart]:
    """The contact's card (briefing) and the user's place."""

    def read(_progress: ProgressSink) -> PlannerStart:
        briefing = services.briefings.brief(contact_id, now)
        return PlannerStart(briefing, planner_place(services, trip_id, now))

    return QueryOp(host, "Read the contact", read)


# Where ---------------------------------------------------------------------------------
def venue_reason(option: VenueOption) -> str | None:
    """Why a venue ranks higher than its distance alone says, in words."""
    if option.rating is not None and option.rating >= GOOD_RATING:
        return f"you rated it {option.rating:.1f} of 5 after past meetings there: ranked higher"
    return None


def find_venues(
    services: MeetingPlannerServices,
    contact: Contact,
    place: PlannerPlace,
    online: bool = False,
    added: Sequence[Venue] = (),
) -> VenueAnswer:
    """The fair venues between the two, with venues the user has just added among them.

    A venue added by hand may lie outside the search circle around the midpoint; it is
    still ranked with the others, by the same rule, because the user asked for it.
    """
    answer = services.venue_finder.find(
        place.user, contact, online=online, hotel_name=place.hotel_name, hotel=place.hotel
    )
    shown = {o.venue.id for o in answer.options if o.venue.id is not None}
    missing = [v for v in added if v.id not in shown]
    if missing and contact.lat is not None and contact.lon is not None:
        ratings = {o.venue.id: o.rating for o in answer.options if o.venue.id and o.rating}
        answer.options = rank_venues(
            [o.venue for o in answer.options] + missing,
            place.user,
            Point(contact.lat, contact.lon),
            contact_company=contact.company,
            hotel_name=place.hotel_name,
            hotel=place.hotel,
            ratings=ratings,
        )
    answer.options = favouring_rated(answer.options)  # places that went well come first
    return answer


def read_venues(
    host: OpHost,
    services: MeetingPlannerServices,
    contact: Contact,
    place: PlannerPlace,
    online: bool = False,
    added: Sequence[Venue] = (),
) -> QueryOp[VenueAnswer]:
    """Venues ranked by the shorter worst trip; online searches run in the network lane."""

    def read(_progress: ProgressSink) -> VenueAnswer:
        return find_venues(services, contact, place, online, added)

    lane = Lane.NETWORK if online else Lane.READ
    name = "Search cafés online" if online else "Find venues"
    return QueryOp(host, name, read, lane=lane, latest="planner-venues")


@dataclass(frozen=True)
class VenueDraft:
    """A venue as the user typed it: a name, an address, maybe a point on the map."""

    name: str
    address: str = ""
    point: tuple[float, float] | None = None


def locate_venue(services: MeetingPlannerServices, draft: VenueDraft) -> tuple[float, float]:
    """Where a new venue is: the point placed on the map, else its address found offline.

    The offline gazetteer knows places, not streets: the address is tried whole, then by
    its parts from the end ('Rua Augusta 28, Lisbon' is found at Lisbon).
    """
    if draft.point is not None:
        return draft.point
    address = " ".join(draft.address.split())
    if not address:
        raise InputError(
            f"Where is {draft.name}? Give its address with the city, or click the map where it is."
        )
    parts = [p.strip() for p in address.split(",") if p.strip()]
    tries = [address] + [", ".join(parts[n:]) for n in range(1, len(parts))]
    for text in tries:
        try:
            match = services.planner.resolve(text)
        except NotFoundError:
            continue
        return match.lat, match.lon
    raise InputError(
        f"The address '{address}' could not be found offline; click the map where {draft.name} is."
    )


def add_venue(host: OpHost, services: MeetingPlannerServices, draft: VenueDraft) -> WriteOp[Venue]:
    """Save a venue in the venue book, so it is ranked here and offered next time."""

    def write(_progress: ProgressSink) -> Written[Venue]:
        name = " ".join(draft.name.split())
        if not name:
            raise InputError("A new venue needs a name.")
        lat, lon = locate_venue(services, dataclasses.replace(draft, name=name))
        venue = services.venue_repo.add(
            Venue(
                name=name,
                lat=lat,
                lon=lon,
                address=" ".join(draft.address.split()) or None,
                source="saved",
                timezone=timezone_at(lat, lon),
            )
        )
        return Written(venue, Changes(venues=frozenset({venue.id or 0})))

    return WriteOp(host, "Add a venue", write)


# When ----------------------------------------------------------------------------------
def venue_zone(place: PlannerPlace, venue: Venue | None) -> str:
    return (venue.timezone if venue is not None else None) or place.tzid


def free_slots(
    services: MeetingPlannerServices,
    place: PlannerPlace,
    venue: Venue | None,
    now: datetime,
    meeting_id: int | None = None,
) -> list[Slot]:
    """Free coffee times in the venue's zone, around the user's meetings (but the one being
    planned, once saved), none in the past."""
    if place.trip is not None and place.trip.id is not None:
        return services.planner.coffee_slots(place.trip.id, venue, now, meeting_id)
    # No trip: the coming days where the user is, around the meetings already booked.
    return services.planner.coffee_slots_between(
        place.first_day, place.last_day, venue_zone(place, venue), venue, now, meeting_id
    )


def read_slots(
    host: OpHost,
    services: MeetingPlannerServices,
    place: PlannerPlace,
    venue: Venue | None,
    now: datetime,
    meeting_id: int | None = None,
) -> QueryOp[list[Slot]]:
    def read(_progress: ProgressSink) -> list[Slot]:
        return free_slots(services, place, venue, now, meeting_id)

    return QueryOp(host, "Find free times", read, latest="planner-slots")


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_words(moment: datetime | date) -> str:
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"


def zone_city(tzid: str) -> str:
    return tzid.rsplit("/", 1)[-1].replace("_", " ")


def both_times(start_utc: datetime, tzid: str, home_tzid: str) -> str:
    """'Tue 8 Dec 09:00 Lisbon time · 10:00 your time (Berlin)': always both zones."""
    local = start_utc.astimezone(zone(tzid))
    home = start_utc.astimezone(zone(home_tzid))
    first = f"{day_words(local)} {local:%H:%M} {zone_city(tzid)} time"
    home_day = "" if home.date() == local.date() else f"{day_words(home)} "
    return f"{first} · {home_day}{home:%H:%M} your time ({zone_city(home_tzid)})"


def _hm(instant: datetime, tzid: str) -> str:
    return f"{instant.astimezone(zone(tzid)):%H:%M}"


def meeting_start(
    local: datetime,
    tzid: str,
    duration_min: int,
    place: PlannerPlace,
    now: datetime | None = None,
) -> datetime:
    """The UTC start of a wall-clock time chosen by hand, or ``InputError`` saying why not.

    A time the clocks skip or repeat is refused with both instants it could mean; so is a
    duration of zero or more than a day, and a day outside the trip.
    """
    if duration_min <= 0 or duration_min > MAX_DURATION_MIN:
        raise InputError(
            f"A coffee lasts between 1 and {MAX_DURATION_MIN} minutes (a day), not {duration_min}."
        )
    tz = zone(tzid)
    naive = local.replace(tzinfo=None, second=0, microsecond=0)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    shown = f"{day_words(naive)} {naive.year} {naive:%H:%M}"
    if first != second:
        earlier, later = sorted((first, second))
        exists = first.astimezone(tz).replace(tzinfo=None) == naive
        if exists:
            raise InputError(
                f"{shown} happens twice in {tzid} (the clocks go back): it is either "
                f"{format_utc(earlier)} or {format_utc(later)}; choose a time outside that hour."
            )
        raise InputError(
            f"{shown} does not exist in {tzid} (the clocks skip it): it would be either "
            f"{format_utc(earlier)} ({_hm(earlier, tzid)} there) or {format_utc(later)} "
            f"({_hm(later, tzid)} there); choose one of those or another time."
        )
    if place.trip is not None and not place.first_day <= naive.date() <= place.last_day:
        raise InputError(
            f"{day_words(naive)} is outside your trip {place.trip.name} "
            f"({day_words(place.first_day)} to {day_words(place.last_day)} {place.last_day.year})"
            "; choose a day of the trip."
        )
    if now is not None and first < now:
        raise InputError(f"{shown} has already passed; choose a time still to come.")
    return first


# Then ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class MeetingDraft:
    """The meeting as the planner has it: one contact, a venue, a local start, the text."""

    contact_id: int
    start_local: datetime  # naive wall-clock time in ``tzid``
    tzid: str
    duration_min: int
    venue: Venue | None
    trip_id: int | None
    invitation_text: str


def _choice(venue: Venue | None) -> VenueChoice | None:
    if venue is None:
        return None
    if venue.id is not None:
        return VenueChoice(venue_id=venue.id)
    return VenueChoice(name=venue.name, address=venue.address)


def _place_new_venue(
    services: MeetingPlannerServices, meeting: Meeting, wanted: Venue | None
) -> Venue | None:
    """Give a venue made for the meeting (an OpenStreetMap café) its point and source.

    The meeting and its new venue were written together; only then is the point added,
    so a failure here leaves a saved meeting with a venue to place, never half a meeting.
    """
    if wanted is None or wanted.id is not None or meeting.venue_id is None:
        return None
    stored = services.venue_repo.get(meeting.venue_id)
    return services.venue_repo.update(
        dataclasses.replace(
            stored, lat=wanted.lat, lon=wanted.lon, kind=wanted.kind, source=wanted.source,
            source_key=wanted.source_key,
        )
    )  # fmt: skip


def save_meeting(
    host: OpHost,
    services: MeetingPlannerServices,
    draft: MeetingDraft,
    meeting_id: int | None = None,
) -> WriteOp[Meeting]:
    """Store the meeting as proposed (or change the one saved before) with its invitation."""

    def write(_progress: ProgressSink) -> Written[Meeting]:
        text = draft.invitation_text.strip() or None
        if meeting_id is None:
            meeting = services.meetings.add(
                [draft.contact_id], draft.start_local, duration_min=draft.duration_min,
                tz=draft.tzid, venue=_choice(draft.venue), trip_id=draft.trip_id,
                invitation_text=text,
            )  # fmt: skip
        else:
            old = services.meetings.get(meeting_id)
            same_venue = draft.venue is not None and draft.venue.id == old.venue_id
            meeting = services.meetings.update(
                meeting_id, start_local=draft.start_local, duration_min=draft.duration_min,
                venue=None if same_venue else _choice(draft.venue),
            )  # fmt: skip
            if text != meeting.invitation_text:
                meeting = services.meetings.set_invitation(meeting_id, text)
        placed = _place_new_venue(services, meeting, draft.venue)
        venues = frozenset({placed.id}) if placed is not None and placed.id else frozenset()
        changes = Changes(
            meetings=frozenset({meeting.id or 0}),
            contacts=frozenset({draft.contact_id}),
            venues=venues,
        )
        return Written(meeting, changes)

    return WriteOp(host, "Save the meeting", write)


def export_meeting(
    host: OpHost, services: MeetingPlannerServices, meeting_id: int, path: Path
) -> QueryOp[Path]:
    """Write the meeting's .ics; in the write lane, so it follows the save before it."""

    def export(_progress: ProgressSink) -> Path:
        services.calendar.export(path, meeting_id=meeting_id)
        return path

    return QueryOp(host, "Export .ics", export, lane=Lane.WRITE)


def invitation_day(start_local: datetime, slots: Sequence[Slot]) -> list[datetime]:
    """The times to offer in the message: the chosen one, then the day's other free ones."""
    others = [
        s.start.replace(tzinfo=None)
        for s in slots
        if s.start.date() == start_local.date() and s.start.replace(tzinfo=None) != start_local
    ]
    return [start_local, *sorted(others)][:3]


def distance_apart_km(place: PlannerPlace, contact: Contact) -> float | None:
    if contact.lat is None or contact.lon is None:
        return None
    return distance_km(place.user.lat, place.user.lon, contact.lat, contact.lon)

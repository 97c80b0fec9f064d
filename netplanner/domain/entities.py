"""The entities of NetPlanner as plain dataclasses.

Repositories return these, never ORM objects, so the GUI can hold them on any thread
and the domain stays free of SQLAlchemy and Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class LocationStatus(StrEnum):
    """Where a contact's location stands in geocoding."""

    UNRESOLVED = "unresolved"  # text given (or none), not looked up yet
    FOUND = "found"
    NOT_FOUND = "not_found"
    FAILED = "failed"  # the service failed; retried later, never taken for "not found"
    MANUAL = "manual"  # chosen by the user; never overwritten by geocoding


class RelationshipStage(StrEnum):
    """How far a connection has grown into a relationship."""

    NEW = "new"
    CONTACTED = "contacted"
    MET = "met"
    RELATIONSHIP = "relationship"


class MeetingStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DONE = "done"
    CANCELLED = "cancelled"


class PlaceStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    FAILED = "failed"


@dataclass
class Contact:
    """A professional connection and what the user knows of them."""

    first_name: str
    last_name: str = ""
    company: str | None = None
    position: str | None = None
    industry: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    profile_url: str | None = None
    photo: bytes | None = None
    notes: str | None = None
    location_text: str | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    timezone: str | None = None
    location_status: LocationStatus = LocationStatus.UNRESOLVED
    interests: list[str] = field(default_factory=list)
    past_experience: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    connected_on: date | None = None
    source: str | None = None
    source_key: str | None = None
    stage: RelationshipStage = RelationshipStage.NEW
    cadence_days: int | None = None
    last_met: date | None = None
    # Names of fields the user edited by hand; imports never overwrite them.
    edited_fields: list[str] = field(default_factory=list)
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def name(self) -> str:
        """The name as people say it: first then last."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


# The fields that together say where a contact is; they change together or not at all.
LOCATION_FIELDS: tuple[str, ...] = (
    "location_text",
    "lat",
    "lon",
    "country_code",
    "admin1",
    "timezone",
    "location_status",
)
# The one ``edited_fields`` name that says the location (all of LOCATION_FIELDS) was set by hand.
LOCATION_EDITED = "location"


def hand_edit_markers(names: Iterable[str]) -> list[str]:
    """``edited_fields`` for these names, each location field counted as ``LOCATION_EDITED``.

    An import keeps or replaces a place as a whole, so one marker says it all; older
    databases and exports named the single fields.
    """
    markers = (LOCATION_EDITED if name in LOCATION_FIELDS else name for name in names)
    return list(dict.fromkeys(markers))


@dataclass
class Place:
    """One cached geocoding answer for a normalised place string."""

    query: str  # normalised
    provider: str
    status: PlaceStatus
    lat: float | None = None
    lon: float | None = None
    display_name: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    timezone: str | None = None
    candidates: list[dict[str, object]] = field(default_factory=list)
    resolved_at: datetime | None = None
    id: int | None = None


@dataclass
class UserLocation:
    """The user's home or current location."""

    kind: str  # "home" or "current"
    text: str
    lat: float
    lon: float
    timezone: str | None = None
    country_code: str | None = None
    updated_at: datetime | None = None


@dataclass
class Trip:
    """A planned stay somewhere, during which meetings can happen."""

    name: str
    place_text: str
    lat: float
    lon: float
    start_date: date
    end_date: date
    timezone: str
    country_code: str | None = None
    base_address: str | None = None
    base_lat: float | None = None
    base_lon: float | None = None
    notes: str | None = None
    source: str = "manual"  # manual, ics, demo
    source_key: str | None = None  # e.g. the UID of the event it was read from
    id: int | None = None
    created_at: datetime | None = None


@dataclass
class Venue:
    """A place to meet: saved by the user or found on OpenStreetMap."""

    name: str
    lat: float | None = None  # a venue typed in by hand may have no coordinates yet
    lon: float | None = None
    address: str | None = None
    kind: str = "cafe"
    source: str = "saved"  # "saved" or "openstreetmap"
    source_key: str | None = None  # e.g. "node/123" for OpenStreetMap
    timezone: str | None = None
    notes: str | None = None
    id: int | None = None
    created_at: datetime | None = None


@dataclass
class Meeting:
    """A meeting with one or more contacts; times are UTC with the IANA zone beside them."""

    contact_ids: list[int]
    start_utc: datetime
    end_utc: datetime
    tzid: str
    uid: str
    status: MeetingStatus = MeetingStatus.PROPOSED
    venue_id: int | None = None
    trip_id: int | None = None
    invitation_text: str | None = None
    sequence: int = 0
    caldav_href: str | None = None
    caldav_etag: str | None = None
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class Debrief:
    """What was shared and learned at one meeting."""

    meeting_id: int
    food_drink: str | None = None
    service: str | None = None
    weather_journey: str | None = None
    in_common: str | None = None
    disliked: str | None = None
    business: str | None = None
    ambitions: str | None = None
    challenges: str | None = None
    learned: str | None = None
    notes: str | None = None
    rating: int | None = None  # 1..5, how the meeting (and the venue) went
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class FollowUp:
    """Something the user promised or wants to do after meeting someone."""

    contact_id: int
    text: str
    due: date | None = None
    done: bool = False
    meeting_id: int | None = None
    done_at: datetime | None = None
    id: int | None = None
    created_at: datetime | None = None


@dataclass
class TargetCompany:
    """A company the user wants to do business with."""

    name: str
    notes: str | None = None
    id: int | None = None
    created_at: datetime | None = None


@dataclass
class ConnectionCriteria:
    """Who belongs in the user's network."""

    avoid_industries: list[str] = field(default_factory=list)
    avoid_titles: list[str] = field(default_factory=list)
    wanted_job_types: list[str] = field(default_factory=list)
    wanted_companies: list[str] = field(default_factory=list)
    wanted_areas: list[str] = field(default_factory=list)
    radius_km: float | None = None
    require_photo: bool = False
    updated_at: datetime | None = None


@dataclass
class Invitation:
    """A pending connection request, imported from LinkedIn."""

    from_name: str
    to_name: str
    direction: str  # "INCOMING" or "OUTGOING"
    sent_at: datetime | None = None
    message: str | None = None
    inviter_profile_url: str | None = None
    invitee_profile_url: str | None = None
    status: str = "pending"  # pending, accepted, ignored
    source_key: str | None = None
    id: int | None = None
    created_at: datetime | None = None

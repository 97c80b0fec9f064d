"""What needs the user today: the report's types and how its lines are worded.

Pure on purpose: the window, the command line and the tests word a meeting time, a due
date or a lapse the same way, and none of it needs a database to be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from netplanner.domain.entities import MeetingStatus
from netplanner.domain.nearby import ContactProfile

NEVER_MET_AFTER_DAYS = 365  # a connection never met is overdue once it is a year old
# English names, not strftime's %a/%b: Qt sets the C locale from the system, which would
# turn "Thu 3 Dec" into "Do 3 Dez" in the middle of an English sentence.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# What storage hands back -----------------------------------------------------------------
@dataclass(frozen=True)
class ContactRef:
    """A contact as a Today item names it, with the id that opens it."""

    id: int
    name: str
    location_text: str | None = None


@dataclass(frozen=True)
class MeetingRef:
    """A meeting with the names around it, read in one query for a Today section."""

    meeting_id: int
    contacts: tuple[ContactRef, ...]
    start_utc: datetime
    end_utc: datetime
    tzid: str
    status: MeetingStatus
    venue_id: int | None = None
    venue_name: str | None = None
    trip_id: int | None = None
    trip_place: str | None = None


@dataclass(frozen=True)
class FollowUpRef:
    """An open follow-up with the name of the contact it is owed to."""

    follow_up_id: int
    contact_id: int
    contact_name: str
    text: str
    due: date
    meeting_id: int | None = None


# The report ------------------------------------------------------------------------------
@dataclass(frozen=True)
class UpcomingMeeting:
    """A meeting in the coming fortnight, with its time worded in its place and at home."""

    meeting_id: int
    contacts: tuple[ContactRef, ...]
    venue_id: int | None
    venue_name: str | None
    trip_id: int | None
    start_utc: datetime
    end_utc: datetime
    tzid: str  # the meeting's zone
    home_tzid: str  # the user's home zone (UTC when no home is set)
    status: MeetingStatus
    place: str  # "Lisbon"
    when: str  # "Thu 3 Dec 10:00 in Lisbon · 11:00 your time"


@dataclass(frozen=True)
class DebriefDue:
    """A meeting that has happened and still waits for its debrief."""

    meeting_id: int
    contacts: tuple[ContactRef, ...]
    venue_id: int | None
    venue_name: str | None
    start_utc: datetime
    end_utc: datetime
    tzid: str
    days_ago: int
    ago: str  # "3 days ago"


@dataclass(frozen=True)
class FollowUpDue:
    """An open follow-up due today or already overdue."""

    follow_up_id: int
    contact_id: int
    contact_name: str
    meeting_id: int | None
    text: str
    due: date
    days_overdue: int  # 0 when due today
    due_words: str  # "overdue by 3 days", "due today"


@dataclass(frozen=True)
class OverdueConnection:
    """A connection nearby whose keep-in-touch time has lapsed, as the ranking scored it."""

    contact_id: int
    name: str
    company: str | None
    location_text: str | None
    distance_km: float
    score: float
    reasons: tuple[str, ...]  # the ranking's, in words
    last_met: date | None
    cadence_days: int | None


@dataclass(frozen=True)
class TodayReport:
    """What needs the user today, and what to do first when there is nothing yet."""

    today: date  # in the user's home zone
    home_tzid: str
    upcoming: tuple[UpcomingMeeting, ...]
    debriefs_due: tuple[DebriefDue, ...]
    follow_ups_due: tuple[FollowUpDue, ...]
    overdue_nearby: tuple[OverdueConnection, ...]
    near_label: str | None  # "near your home in Berlin", "on your trip Lisbon December 2026"
    near_trip_id: int | None  # the trip the user is on today, when that is where it looked
    has_contacts: bool
    has_home: bool
    has_trips: bool  # a trip that has not ended yet

    @property
    def is_empty(self) -> bool:
        sections = (self.upcoming, self.debriefs_due, self.follow_ups_due, self.overdue_nearby)
        return not any(sections)


# Wording ---------------------------------------------------------------------------------
def _day(moment: datetime) -> str:
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"


def zone_city(tzid: str) -> str:
    """The city an IANA zone is named after: 'America/New_York' gives 'New York'."""
    return tzid.rsplit("/", 1)[-1].replace("_", " ")


def meeting_place(meeting: MeetingRef) -> str:
    """Where a meeting is, in a word: its trip's place, else its contact's, else its zone's."""
    texts = [meeting.trip_place, *(c.location_text for c in meeting.contacts)]
    for text in texts:
        head = (text or "").split(",")[0].strip()
        if head:
            return head
    return zone_city(meeting.tzid)


def format_meeting_time(start_utc: datetime, tzid: str, home_tzid: str, place: str) -> str:
    """'Thu 3 Dec 10:00 in Lisbon · 11:00 your time'; the day is repeated when it differs.

    When the clock reads the same at home, the second half is left out.
    """
    local = start_utc.astimezone(ZoneInfo(tzid))
    home = start_utc.astimezone(ZoneInfo(home_tzid))
    first = f"{_day(local)} {local:%H:%M} in {place}"
    if local.replace(tzinfo=None) == home.replace(tzinfo=None):
        return first
    if local.date() == home.date():
        return f"{first} · {home:%H:%M} your time"
    return f"{first} · {_day(home)} {home:%H:%M} your time"


def describe_due(due: date, today: date) -> str:
    """'due today', 'overdue by 1 day', 'overdue by 5 days' (or 'due in 2 days')."""
    days = (today - due).days
    if days == 0:
        return "due today"
    if days > 0:
        return f"overdue by {days} day{'s' if days != 1 else ''}"
    ahead = -days
    return f"due in {ahead} day{'s' if ahead != 1 else ''}"


def is_overdue(profile: ContactProfile, today: date) -> bool:
    """Whether keeping in touch has lapsed: past the cadence, or never met in over a year.

    The cadence counts as lapsed on the day it is reached, as the ranking's reason does.
    """
    if profile.last_met is not None:
        if not profile.cadence_days:
            return False
        return (today - profile.last_met).days >= profile.cadence_days
    if profile.connected_on is None:
        return False
    return (today - profile.connected_on).days > NEVER_MET_AFTER_DAYS

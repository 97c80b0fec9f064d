"""Calendar files: meetings written as iCalendar with the icalendar library, trips read back.

An event that goes to a calendar is seen by everyone it invites: a calendar server sends the
DESCRIPTION to each ATTENDEE. So it holds only what the contact may see (title, time, place
and the invitation the user wrote); the briefing and the debriefs stay in NetPlanner, or go
into a *private copy* that invites no one and has a UID of its own.

Text is escaped by the library, never by hand; line breaks are normalised and control
characters dropped first, so a lone carriage return in a note cannot end a content line.
Each meeting carries its zone as a TZID with the matching VTIMEZONE, so calendars show the
right instant wherever they are.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar

from netplanner import __version__
from netplanner.domain.entities import Contact, Meeting, MeetingStatus, Venue
from netplanner.domain.errors import InputError
from netplanner.domain.localtime import utc_to_local
from netplanner.domain.places import PlaceLocator
from netplanner.domain.trips import CalendarEvent, SkippedEvent
from netplanner.services.briefing import BriefingService
from netplanner.settings import ProfileSettings, Settings, SettingsProvider, provider_of
from netplanner.storage.repositories import (
    ContactRepository,
    MeetingRepository,
    TripRepository,
    VenueRepository,
)
from netplanner.storage.repositories.meeting_records import MeetingRecordRepository

PRODID = f"-//NetPlanner//NetPlanner {__version__}//EN"
PRIVATE_UID_SUFFIX = "-private"
REMINDER_MINUTES = 30
_STATUS = {
    MeetingStatus.PROPOSED: "TENTATIVE",
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.DONE: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


# C0 and C1 controls but tab and newline: not allowed in iCalendar text (RFC 5545 3.3.11).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Text with every kind of line break as a plain newline and no control characters.

    The library escapes the rest; a control character would make a parser drop or misread
    the property (a backspace in a name made icalendar lose the ATTENDEE).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROLS.sub("", text)


def summary_for(contacts: Sequence[Contact]) -> str:
    """``Coffee with Ana Silva`` (``..., B and C`` for several)."""
    names = [c.name for c in contacts]
    if not names:
        return "Coffee"
    if len(names) == 1:
        return f"Coffee with {names[0]}"
    return f"Coffee with {', '.join(names[:-1])} and {names[-1]}"


def _address(email: str, name: str, **params: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    # A parameter value is one line and cannot hold a double quote (RFC 5545 3.1).
    common_name = " ".join(clean_text(name).replace('"', "'").split())
    address.params["CN"] = icalendar.vText(common_name)
    for key, value in params.items():
        address.params[key] = icalendar.vText(value)
    return address


def timezones(tzids: set[str], first: date, last: date) -> list[icalendar.Timezone]:
    """The VTIMEZONE of each zone the events name (UTC needs none: its times end in Z).

    What icalendar's ``add_missing_timezones`` adds, in a fixed order, from the zones
    gathered while the events were made instead of a walk through every property of them.
    """
    found: list[icalendar.Timezone] = []
    for tzid in sorted(tzids - {"UTC"}):
        try:
            found.append(icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last))
        except ValueError:
            continue  # a zone icalendar does not know: left out, as it would be
    return found


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; an unwritable path is an InputError."""
    target = Path(path)
    try:
        if target.is_dir():
            raise InputError(f"Cannot write {target}: it is a folder.")
        fd, tmp = tempfile.mkstemp(prefix=".netplanner-", suffix=".tmp", dir=target.parent)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"Cannot write {target}: {reason}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"Cannot write {target}: {exc.strerror or exc}.") from None


class CalendarService:
    """Builds .ics documents for meetings and reads trips from .ics files."""

    def __init__(
        self,
        meetings: MeetingRepository,
        contacts: ContactRepository,
        venues: VenueRepository,
        trips: TripRepository,
        records: MeetingRecordRepository,
        briefings: BriefingService,
        settings: SettingsProvider | Settings,
        locator: Callable[[], PlaceLocator | None] = lambda: None,
    ) -> None:
        self.meetings = meetings
        self.contacts = contacts
        self.venues = venues
        self.trips = trips
        self.records = records
        self.briefings = briefings
        self._settings = provider_of(settings)
        self.locator = locator

    @property
    def profile(self) -> ProfileSettings:
        """The organizer of the meetings: the user's profile as it is set now."""
        return self._settings.current().profile

    # Writing ---------------------------------------------------------------------------
    def select(
        self, meeting_id: int | None = None, trip_id: int | None = None, all_meetings: bool = False
    ) -> list[Meeting]:
        """The meetings of one export: one meeting, a trip's, or all of them."""
        if meeting_id is not None:
            return [self.meetings.get(meeting_id)]
        if trip_id is not None:
            self.trips.get(trip_id)  # NotFoundError for an unknown trip
            return [m for m in self.meetings.list() if m.trip_id == trip_id]
        if all_meetings:
            return self.meetings.list()
        raise InputError("Say which meetings to export: --meeting ID, --trip ID or --all.")

    def build(
        self,
        meetings: Sequence[Meeting],
        for_caldav: bool = False,
        now: datetime | None = None,
        private: bool = False,
    ) -> bytes:
        """The iCalendar document for ``meetings``, as the contacts may see it.

        A file holding only cancellations says METHOD:CANCEL so a calendar app removes the
        event; a CalDAV resource never carries METHOD (RFC 4791), its STATUS says it.

        ``private`` makes the user's own copy instead: the briefing in DESCRIPTION, no
        ORGANIZER or ATTENDEE (nothing a server would send to anyone), no METHOD, and UIDs
        of their own so it never replaces the shared event. A CalDAV resource is never private.
        """
        if private and for_caldav:
            raise ValueError("a CalDAV resource is shared with its attendees, never private")
        now = now or datetime.now(UTC)
        profile = self.profile
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        if (
            not for_caldav
            and not private
            and meetings
            and all(m.status == MeetingStatus.CANCELLED for m in meetings)
            and profile.email
        ):
            calendar.add("method", "CANCEL")
        # Everyone and every venue at once: an export of a year must not query per meeting.
        wanted = list(dict.fromkeys(cid for m in meetings for cid in m.contact_ids))
        people = {c.id: c for c in self.contacts.get_many(wanted)} if wanted else {}
        venue_ids = {m.venue_id for m in meetings if m.venue_id is not None}
        places = {v.id: v for v in self.venues.list() if v.id in venue_ids} if venue_ids else {}
        # One briefing per contact, not per meeting: a busy year repeats the same people.
        essentials: dict[int, str] = {}
        zones: set[str] = set()
        for meeting in meetings:
            contacts = [people[cid] for cid in meeting.contact_ids]
            venue = places.get(meeting.venue_id) if meeting.venue_id is not None else None
            if private:
                for contact in contacts:
                    if contact.id is not None and contact.id not in essentials:
                        essentials[contact.id] = self.briefings.essentials(contact.id, now)
                event = self._event(meeting, contacts, venue, now, profile, essentials)
            else:
                event = self._event(meeting, contacts, venue, now, profile, None)
            calendar.add_component(event)
            for name in ("dtstart", "dtend"):
                zones.add(event[name].params.get("TZID", "UTC"))
        if meetings:
            first = min(m.start_utc for m in meetings).date() - timedelta(days=366)
            last = max(m.end_utc for m in meetings).date() + timedelta(days=366)
            calendar.subcomponents[0:0] = timezones(zones, first, last)
        data: bytes = calendar.to_ical()
        return data

    def _event(
        self,
        meeting: Meeting,
        contacts: list[Contact],
        venue: Venue | None,
        now: datetime,
        profile: ProfileSettings,
        essentials: dict[int, str] | None,
    ) -> icalendar.Event:
        """One VEVENT: shared (``essentials`` None) or the user's private copy with them."""
        private = essentials is not None
        event = icalendar.Event()
        event.add("uid", meeting.uid + PRIVATE_UID_SUFFIX if private else meeting.uid)
        event.add("dtstamp", now.astimezone(UTC))
        event.add("sequence", meeting.sequence)
        event.add("dtstart", utc_to_local(meeting.start_utc, meeting.tzid))
        event.add("dtend", utc_to_local(meeting.end_utc, meeting.tzid))
        summary = summary_for(contacts)
        event.add("summary", clean_text(summary))
        if venue is not None:
            location = ", ".join(p for p in (venue.name, venue.address) if p)
            event.add("location", clean_text(location))
            if venue.lat is not None and venue.lon is not None:
                event.add("geo", (venue.lat, venue.lon))
        invitation = clean_text(meeting.invitation_text or "")
        if not invitation.strip():
            invitation = ""
        if essentials is not None:
            parts = [clean_text(essentials[c.id]) for c in contacts if c.id is not None]
            if invitation:
                parts.append("Invitation:\n" + invitation)
            description = "\n\n".join(parts)
        else:
            description = invitation  # the message the contact receives anyway, nothing else
        if description:
            event.add("description", description)
        if not private:  # the private copy invites no one: nobody a server could send it to
            if profile.email:
                event.add("organizer", _address(profile.email, profile.name or ""))
            for contact in contacts:
                if contact.emails:
                    event.add(
                        "attendee",
                        _address(
                            contact.emails[0],
                            contact.name,
                            ROLE="REQ-PARTICIPANT",
                            PARTSTAT="NEEDS-ACTION",
                            RSVP="TRUE",
                        ),
                    )
        event.add("status", _STATUS[meeting.status])
        if meeting.updated_at is not None:
            event.add("last-modified", meeting.updated_at.astimezone(UTC))
        if meeting.status != MeetingStatus.CANCELLED:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", clean_text(f"{summary} in {REMINDER_MINUTES} minutes"))
            alarm.add("trigger", timedelta(minutes=-REMINDER_MINUTES))
            event.add_component(alarm)
        return event

    def export(
        self,
        path: Path,
        meeting_id: int | None = None,
        trip_id: int | None = None,
        all_meetings: bool = False,
        private: bool = False,
    ) -> int:
        """Write the chosen meetings to ``path``; returns how many were written.

        The file is for the contacts' calendars too, so it holds no private notes unless
        ``private`` asks for the user's own copy (see ``build``).
        """
        meetings = self.select(meeting_id, trip_id, all_meetings)
        write_atomically(Path(path), self.build(meetings, private=private))
        return len(meetings)

    # Reading ---------------------------------------------------------------------------
    def import_trips(self, path: Path, dry_run: bool = False) -> dict[str, Any]:
        """Trips from the events with a LOCATION in an .ics file (see ``services.trips``).

        The counts of ``calendar import-trips``: created, updated, unchanged, and the skipped
        events with their UID, summary and reason.
        """
        from netplanner.services.trips import TripImporter

        locator = self.locator()
        if locator is None:
            raise InputError(
                "Reading trips from a calendar needs the place finder, which is not set up."
            )
        result = TripImporter(locator, self.trips).run(Path(path), dry_run=dry_run)
        return {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "skipped": [
                {"uid": s.uid, "event": s.event, "reason": s.reason} for s in result.skipped
            ],
        }


def _event_time(event: Any, name: str) -> date | datetime | None:
    try:
        value = event.decoded(name, None)
    except (ValueError, TypeError, KeyError):
        return None
    return value if isinstance(value, date) else None


def read_calendar_events(path: Path) -> tuple[list[CalendarEvent], list[SkippedEvent]]:
    """The events with a LOCATION in an .ics file, and those left out with the reason.

    ``InputError`` (one sentence) when the file cannot be read or is not a calendar. An
    event without a UID gets a stable one made from its summary, start and place, so a
    re-import still recognises it.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        components = icalendar.Calendar.from_ical(raw, multiple=True)
    except (ValueError, IndexError, KeyError, TypeError):
        components = []
    calendars = [c for c in components if getattr(c, "name", None) == "VCALENDAR"]
    if not calendars:
        raise InputError(
            f"{Path(path).name} is not a calendar file (an .ics file from a calendar "
            "program); nothing was written."
        )
    events: list[CalendarEvent] = []
    skipped: list[SkippedEvent] = []
    for calendar in calendars:
        for event in calendar.walk("VEVENT"):
            uid = " ".join(str(event.get("uid", "")).split())
            summary = " ".join(str(event.get("summary", "")).split())
            location = " ".join(str(event.get("location", "")).split())
            label = summary or uid or "an event without a summary"
            if not location:
                skipped.append(SkippedEvent(label, "it has no location", uid))
                continue
            start = _event_time(event, "dtstart")
            if start is None:
                skipped.append(SkippedEvent(label, "it has no start", uid))
                continue
            end = _event_time(event, "dtend")
            if end is None:
                try:
                    duration = event.decoded("duration", None)
                except (ValueError, TypeError):
                    duration = None
                if isinstance(duration, timedelta):
                    end = start + duration
            if not uid:
                digest = hashlib.sha1(
                    f"{summary}\x1f{start.isoformat()}\x1f{location}".encode()
                ).hexdigest()
                uid = f"netplanner-{digest[:20]}"
            events.append(CalendarEvent(uid, summary, location, start, end))
    return events, skipped

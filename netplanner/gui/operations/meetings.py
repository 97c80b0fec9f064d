"""The Meetings use cases: read the list, confirm, reschedule, cancel, export, publish.

Each write names the meeting and its contacts in its ``Changes`` (their timelines show the
meeting too). Export is a write as well, though it changes no record: on the write worker
it runs after any change still being saved, so the file holds what the table shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from netplanner.domain.changes import Changes
from netplanner.domain.entities import Meeting, MeetingStatus, Trip
from netplanner.domain.errors import InputError
from netplanner.domain.progress import ProgressSink
from netplanner.gui.models.meetings_model import MeetingRow, build_rows
from netplanner.gui.operations import Lane, OpHost, QueryOp, WriteOp, Written
from netplanner.services.caldav import (
    CalDAVService,
    Published,
    password_from_keyring,
    store_password_in_keyring,
)
from netplanner.services.calendar_ics import CalendarService
from netplanner.services.debrief import DebriefService
from netplanner.services.locations import LocationService
from netplanner.services.meetings import MeetingService
from netplanner.services.planning import PlanningService
from netplanner.settings import Settings
from netplanner.storage.repositories import ContactRepository, VenueRepository


class MeetingsServices(Protocol):
    """What Meetings needs (an ``AppContext`` has it).

    ``caldav_password``: the password asked for in this session, kept in memory only.
    """

    caldav_password: str | None

    @property
    def meetings(self) -> MeetingService: ...

    @property
    def debriefs(self) -> DebriefService: ...

    @property
    def calendar(self) -> CalendarService: ...

    @property
    def caldav(self) -> CalDAVService: ...

    @property
    def planner(self) -> PlanningService: ...

    @property
    def locations(self) -> LocationService: ...

    @property
    def contact_repo(self) -> ContactRepository: ...

    @property
    def venue_repo(self) -> VenueRepository: ...

    @property
    def settings(self) -> Settings: ...


@dataclass(frozen=True)
class MeetingsList:
    """Every meeting as a row, and the trips the Trip filter offers."""

    rows: list[MeetingRow]
    trips: list[Trip]
    home_tzid: str
    now: datetime


def caldav_configured(settings: Settings) -> bool:
    """Whether a CalDAV calendar is set up (its URL given in the settings)."""
    return bool(settings.caldav.url.strip())


def keyring_available() -> bool:
    """Whether the system has a keyring to keep a password in (not keyring's 'fail' one)."""
    import keyring
    from keyring.backends import fail

    try:
        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # a broken backend is as good as none
        return False


def read_meetings(host: OpHost, services: MeetingsServices, now: datetime) -> QueryOp[MeetingsList]:
    """All meetings with their people, venue, trip and debrief; the latest read wins."""

    def read(_progress: ProgressSink) -> MeetingsList:
        meetings = services.meetings.list()
        wanted = list(dict.fromkeys(cid for m in meetings for cid in m.contact_ids))
        people = services.contact_repo.get_many(wanted) if wanted else []
        names = {c.id: c.name for c in people if c.id is not None}
        venues = {v.id: v for v in services.venue_repo.list() if v.id is not None}
        trips = services.planner.list_trips()
        home = services.locations.get_home()
        home_tzid = (home.timezone if home is not None else None) or "UTC"
        # Only meetings that are over can have a debrief.
        debriefed = {
            m.id
            for m in meetings
            if m.id is not None
            and m.end_utc <= now
            and m.status != MeetingStatus.CANCELLED
            and services.debriefs.get(m.id) is not None
        }
        by_trip = {t.id: t for t in trips if t.id is not None}
        rows = build_rows(meetings, names, venues, by_trip, debriefed, home_tzid, now)
        return MeetingsList(rows, trips, home_tzid, now)

    return QueryOp(host, "Read meetings", read, latest="meetings-list")


def _changed(meeting: Meeting) -> Changes:
    return Changes(contacts=frozenset(meeting.contact_ids), meetings=frozenset({meeting.id or 0}))


def confirm(host: OpHost, services: MeetingsServices, meeting_id: int) -> WriteOp[Meeting]:
    """Mark a proposed meeting confirmed (the .ics then says STATUS:CONFIRMED)."""

    def write(_progress: ProgressSink) -> Written[Meeting]:
        meeting = services.meetings.set_status(meeting_id, MeetingStatus.CONFIRMED)
        return Written(meeting, _changed(meeting))

    return WriteOp(host, "Confirm meeting", write)


def reschedule(
    host: OpHost,
    services: MeetingsServices,
    meeting_id: int,
    start_local: datetime,
    duration_min: int,
) -> WriteOp[Meeting]:
    """Move a meeting to a new local start in its own zone; the sequence goes up by one."""

    def write(_progress: ProgressSink) -> Written[Meeting]:
        meeting = services.meetings.reschedule(meeting_id, start_local, duration_min=duration_min)
        return Written(meeting, _changed(meeting))

    return WriteOp(host, "Reschedule meeting", write)


def cancel(host: OpHost, services: MeetingsServices, meeting_id: int) -> WriteOp[Meeting]:
    """Cancel a meeting; it stays in the list, and its .ics says STATUS:CANCELLED."""

    def write(_progress: ProgressSink) -> Written[Meeting]:
        meeting = services.meetings.cancel(meeting_id)
        return Written(meeting, _changed(meeting))

    return WriteOp(host, "Cancel meeting", write)


def export_ics(
    host: OpHost,
    services: MeetingsServices,
    path: Path,
    *,
    meeting_id: int | None = None,
    trip_id: int | None = None,
    all_meetings: bool = False,
) -> WriteOp[int]:
    """Write one meeting, a trip's or all of them to ``path``; gives how many were written."""

    def write(_progress: ProgressSink) -> Written[int]:
        count = services.calendar.export(
            path, meeting_id=meeting_id, trip_id=trip_id, all_meetings=all_meetings
        )
        return Written(count, Changes())

    return WriteOp(host, "Export .ics", write)


def stored_password(host: OpHost, services: MeetingsServices) -> QueryOp[str | None]:
    """The CalDAV password in the system keyring, if any (asking a keyring can wait on it)."""

    def read(_progress: ProgressSink) -> str | None:
        return password_from_keyring(services.settings.caldav)

    return QueryOp(host, "Read the CalDAV password", read, lane=Lane.NETWORK)


@dataclass(frozen=True)
class PublishResult:
    """A published meeting, and why its password could not be kept, if it could not."""

    published: Published
    keyring_note: str = ""


def publish(
    host: OpHost, services: MeetingsServices, meeting_id: int, remember: str | None = None
) -> WriteOp[PublishResult]:
    """Create or update the meeting on the CalDAV calendar.

    ``remember``: a password to keep in the system keyring once the server took it (a
    refused password is never stored). A keyring that fails then does not undo the
    publication; it is said beside it.
    """

    def write(_progress: ProgressSink) -> Written[PublishResult]:
        published = services.caldav.publish(meeting_id)
        note = ""
        if remember is not None:
            try:
                store_password_in_keyring(services.settings.caldav, remember)
            except InputError as exc:
                note = str(exc)
        return Written(PublishResult(published, note), _changed(published.meeting))

    return WriteOp(host, "Publish meeting", write, lane=Lane.NETWORK)


def unpublish(host: OpHost, services: MeetingsServices, meeting_id: int) -> WriteOp[Meeting]:
    """Delete the meeting's copy from the CalDAV calendar; the meeting stays here."""

    def write(_progress: ProgressSink) -> Written[Meeting]:
        meeting = services.caldav.unpublish(meeting_id)
        return Written(meeting, _changed(meeting))

    return WriteOp(host, "Unpublish meeting", write, lane=Lane.NETWORK)

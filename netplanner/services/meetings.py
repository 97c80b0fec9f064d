"""Meetings: adding one from a local time at a venue, changing it, cancelling it.

Every change raises the sequence number, so a calendar that already holds the meeting
takes the new copy for an update of the old one rather than for a second meeting.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from netplanner.domain.entities import Meeting, MeetingStatus, Trip, Venue
from netplanner.domain.errors import InputError
from netplanner.domain.localtime import local_to_utc, zone
from netplanner.domain.sanity import check_planning_year
from netplanner.storage.repositories import (
    ContactRepository,
    MeetingRepository,
    TripRepository,
    VenueRepository,
)
from netplanner.storage.repositories.meeting_records import MeetingRecordRepository

DEFAULT_DURATION_MIN = 60
MAX_DURATION_MIN = 24 * 60


def new_uid() -> str:
    """A globally unique, stable calendar UID."""
    return f"{uuid.uuid4()}@netplanner"


@dataclasses.dataclass(frozen=True)
class VenueChoice:
    """A saved venue by id, or a new one by name (and address)."""

    venue_id: int | None = None
    name: str | None = None
    address: str | None = None


class MeetingService:
    """The meeting use cases the command line and the GUI share."""

    def __init__(
        self,
        meetings: MeetingRepository,
        records: MeetingRecordRepository,
        contacts: ContactRepository,
        venues: VenueRepository,
        trips: TripRepository,
    ) -> None:
        self.meetings = meetings
        self.records = records
        self.contacts = contacts
        self.venues = venues
        self.trips = trips

    def add(
        self,
        contact_ids: list[int],
        start_local: datetime,
        *,
        duration_min: int | None = None,
        end_local: datetime | None = None,
        tz: str | None = None,
        venue: VenueChoice | None = None,
        trip_id: int | None = None,
        fold: int | None = None,
        invitation_text: str | None = None,
    ) -> Meeting:
        """Store a proposed meeting; everything is checked before anything is written."""
        if not contact_ids:
            raise InputError("A meeting needs at least one contact.")
        ids = list(dict.fromkeys(contact_ids))
        self.contacts.get_many(ids)  # NotFoundError for an unknown contact
        trip = self.trips.get(trip_id) if trip_id is not None else None
        saved, new_venue = self._venue(venue)
        tzid = self._zone(saved, trip, tz)
        start_utc, end_utc = self._times(start_local, end_local, duration_min, tzid, fold)
        if new_venue is not None:
            new_venue.timezone = tzid
        meeting = Meeting(
            contact_ids=ids,
            start_utc=start_utc,
            end_utc=end_utc,
            tzid=tzid,
            uid=new_uid(),
            status=MeetingStatus.PROPOSED,
            venue_id=saved.id if saved else None,
            trip_id=trip.id if trip else None,
            invitation_text=invitation_text,
            sequence=0,
        )
        return self.records.add_meeting(meeting, new_venue)

    def _venue(self, choice: VenueChoice | None) -> tuple[Venue | None, Venue | None]:
        """(saved venue, new venue to create) for the choice."""
        if choice is None:
            return None, None
        if choice.venue_id is not None:
            return self.venues.get(choice.venue_id), None
        name = " ".join((choice.name or "").split())
        if not name:
            raise InputError("A new venue needs a name.")
        address = " ".join((choice.address or "").split()) or None
        return None, Venue(name=name, address=address, source="saved")

    @staticmethod
    def _zone(venue: Venue | None, trip: Trip | None, tz: str | None) -> str:
        """The venue's zone, else the trip's, else ``tz``; checked to exist."""
        for candidate in (venue.timezone if venue else None, trip.timezone if trip else None, tz):
            if candidate:
                zone(candidate)
                return candidate
        raise InputError(
            "The meeting's time zone is not known; give --tz ZONE (such as Europe/Lisbon), "
            "a venue with a time zone or a trip."
        )

    @staticmethod
    def _times(
        start_local: datetime,
        end_local: datetime | None,
        duration_min: int | None,
        tzid: str,
        fold: int | None,
    ) -> tuple[datetime, datetime]:
        # Every start and end passes here: a year 1 or 9999 meeting could not be converted
        # to UTC or written to a calendar later, so it never gets in.
        check_planning_year(start_local, "start")
        if end_local is not None:
            check_planning_year(end_local, "end")
        start_utc = local_to_utc(start_local, tzid, fold)
        if end_local is not None:
            end_utc = local_to_utc(end_local, tzid, fold)
        else:
            minutes = DEFAULT_DURATION_MIN if duration_min is None else duration_min
            if minutes <= 0 or minutes > MAX_DURATION_MIN:
                raise InputError(
                    f"A meeting lasts between 1 and {MAX_DURATION_MIN} minutes, not {minutes}."
                )
            end_utc = start_utc + timedelta(minutes=minutes)
        if end_utc <= start_utc:
            raise InputError("The meeting ends before it starts; give an end after the start.")
        return start_utc, end_utc

    def get(self, meeting_id: int) -> Meeting:
        return self.meetings.get(meeting_id)

    def list(self, contact_id: int | None = None, trip_id: int | None = None) -> list[Meeting]:
        found = self.meetings.list(contact_id=contact_id)
        if trip_id is not None:
            found = [m for m in found if m.trip_id == trip_id]
        return found

    def update(
        self,
        meeting_id: int,
        *,
        contact_ids: Sequence[int] | None = None,
        start_local: datetime | None = None,
        duration_min: int | None = None,
        end_local: datetime | None = None,
        venue: VenueChoice | None = None,
        fold: int | None = None,
        invitation_text: str | None = None,
    ) -> Meeting:
        """Change what is given (times in the meeting's zone); raises the sequence once.

        A new venue with a zone of its own moves the meeting into that zone, keeping the
        local wall-clock time unless a new start is given.
        """
        meeting = self.meetings.get(meeting_id)
        changes: dict[str, object] = {}
        if contact_ids is not None:
            if not contact_ids:
                raise InputError("A meeting needs at least one contact.")
            ids = list(dict.fromkeys(contact_ids))
            self.contacts.get_many(ids)
            changes["contact_ids"] = ids
        saved, new_venue = self._venue(venue)
        tzid = meeting.tzid
        if saved is not None:
            changes["venue_id"] = saved.id
            tzid = saved.timezone or tzid
        if new_venue is not None:
            new_venue.timezone = tzid
        if start_local is not None or end_local is not None or tzid != meeting.tzid:
            old_local = meeting.start_utc.astimezone(zone(meeting.tzid)).replace(tzinfo=None)
            start = start_local or old_local
            if duration_min is None and end_local is None:
                duration_min = int((meeting.end_utc - meeting.start_utc).total_seconds() // 60)
            changes["start_utc"], changes["end_utc"] = self._times(
                start, end_local, duration_min, tzid, fold
            )
            changes["tzid"] = tzid
        elif duration_min is not None:
            changes["end_utc"] = meeting.start_utc + timedelta(minutes=duration_min)
            if duration_min <= 0 or duration_min > MAX_DURATION_MIN:
                raise InputError(
                    f"A meeting lasts between 1 and {MAX_DURATION_MIN} minutes, not {duration_min}."
                )
        if invitation_text is not None:
            changes["invitation_text"] = invitation_text or None
        if not changes and new_venue is None:
            return meeting
        return self._change(meeting, new_venue=new_venue, **changes)

    def reschedule(
        self,
        meeting_id: int,
        start_local: datetime,
        *,
        duration_min: int | None = None,
        end_local: datetime | None = None,
        fold: int | None = None,
    ) -> Meeting:
        """Move a meeting to a new local start (in its own zone); raises the sequence."""
        return self.update(
            meeting_id,
            start_local=start_local,
            duration_min=duration_min,
            end_local=end_local,
            fold=fold,
        )

    def set_status(self, meeting_id: int, status: MeetingStatus) -> Meeting:
        """Confirm, cancel or reopen a meeting; raises the sequence."""
        meeting = self.meetings.get(meeting_id)
        if meeting.status == status:
            return meeting
        return self._change(meeting, status=status)

    def cancel(self, meeting_id: int) -> Meeting:
        return self.set_status(meeting_id, MeetingStatus.CANCELLED)

    def set_invitation(self, meeting_id: int, text: str | None) -> Meeting:
        meeting = self.meetings.get(meeting_id)
        return self._change(meeting, invitation_text=text)

    def record_publication(self, meeting: Meeting, href: str | None, etag: str | None) -> Meeting:
        """Remember where the meeting lives on a CalDAV server (not a change of the meeting)."""
        return self.meetings.update(
            dataclasses.replace(meeting, caldav_href=href, caldav_etag=etag)
        )

    def _change(
        self, meeting: Meeting, new_venue: Venue | None = None, **changes: object
    ) -> Meeting:
        """Write the changes (and a new venue) at once, with the sequence raised by one."""
        changed = dataclasses.replace(meeting, **changes)  # type: ignore[arg-type]
        changed.sequence = meeting.sequence + 1
        return self.records.update_meeting(changed, new_venue)

"""The reads behind the Today workspace: a few set queries, never one per contact or meeting.

Each section is one read: the meetings with their venue and trip joined in, then the
names of everyone in them in one more statement on the same connection. Rows are read
without the ORM (as ``geo_queries`` does), since thousands of follow-ups can be due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Connection, Executable, select

from netplanner.domain.entities import MeetingStatus
from netplanner.domain.today import ContactRef, FollowUpRef, MeetingRef
from netplanner.storage.database import Database
from netplanner.storage.models import (
    ContactRow,
    DebriefRow,
    FollowUpRow,
    MeetingContactRow,
    MeetingRow,
    TripRow,
    VenueRow,
)

CHUNK = 500  # ids per IN (...) list, well under every database's limit on parameters
_STILL_ON = (MeetingStatus.PROPOSED.value, MeetingStatus.CONFIRMED.value)

_MEETINGS = (
    select(
        MeetingRow.id,
        MeetingRow.start_utc,
        MeetingRow.end_utc,
        MeetingRow.tzid,
        MeetingRow.status,
        MeetingRow.venue_id,
        VenueRow.name,
        MeetingRow.trip_id,
        TripRow.place_text,
    )
    .outerjoin(VenueRow, VenueRow.id == MeetingRow.venue_id)
    .outerjoin(TripRow, TripRow.id == MeetingRow.trip_id)
)


def _name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)


def _contacts_of(connection: Connection, meeting_ids: Sequence[int]) -> dict[int, list[ContactRef]]:
    """The contacts of each meeting by id, in one statement per few hundred meetings."""
    found: dict[int, list[ContactRef]] = defaultdict(list)
    for i in range(0, len(meeting_ids), CHUNK):
        stmt = (
            select(
                MeetingContactRow.meeting_id,
                ContactRow.id,
                ContactRow.first_name,
                ContactRow.last_name,
                ContactRow.location_text,
            )
            .join(ContactRow, ContactRow.id == MeetingContactRow.contact_id)
            .where(MeetingContactRow.meeting_id.in_(meeting_ids[i : i + CHUNK]))
            .order_by(MeetingContactRow.meeting_id, ContactRow.id)
        )
        for meeting_id, cid, first, last, location in connection.execute(stmt):
            found[meeting_id].append(ContactRef(cid, _name(first, last), location))
    return found


class TodayQueryRepository:
    """Read-only queries for the Today report, each on its own short-lived connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _meetings(self, stmt: Executable) -> list[MeetingRef]:
        with self.db.engine.connect() as connection:
            rows = connection.execute(stmt).all()
            people = _contacts_of(connection, [row[0] for row in rows])
        return [
            MeetingRef(
                meeting_id=mid,
                contacts=tuple(people.get(mid, ())),
                start_utc=start,
                end_utc=end,
                tzid=tzid,
                status=MeetingStatus(status),
                venue_id=venue_id,
                venue_name=venue_name,
                trip_id=trip_id,
                trip_place=trip_place,
            )
            for mid, start, end, tzid, status, venue_id, venue_name, trip_id, trip_place in rows
        ]

    def meetings_between(self, start_utc: datetime, end_utc: datetime) -> list[MeetingRef]:
        """Proposed or confirmed meetings not over by ``start_utc`` that start before
        ``end_utc``, soonest first."""
        return self._meetings(
            _MEETINGS.where(
                MeetingRow.status.in_(_STILL_ON),
                MeetingRow.end_utc > start_utc,
                MeetingRow.start_utc < end_utc,
            ).order_by(MeetingRow.start_utc, MeetingRow.id)
        )

    def undebriefed_before(self, before_utc: datetime) -> list[MeetingRef]:
        """Meetings over by ``before_utc``, not cancelled, without a debrief; newest first."""
        return self._meetings(
            _MEETINGS.outerjoin(DebriefRow, DebriefRow.meeting_id == MeetingRow.id)
            .where(
                MeetingRow.status != MeetingStatus.CANCELLED.value,
                MeetingRow.end_utc < before_utc,
                DebriefRow.id.is_(None),
            )
            .order_by(MeetingRow.end_utc.desc(), MeetingRow.id.desc())
        )

    def open_follow_ups_due(self, by: date) -> list[FollowUpRef]:
        """Open follow-ups due on or before ``by`` with their contact's name, oldest due first."""
        stmt = (
            select(
                FollowUpRow.id,
                FollowUpRow.contact_id,
                ContactRow.first_name,
                ContactRow.last_name,
                FollowUpRow.text,
                FollowUpRow.due,
                FollowUpRow.meeting_id,
            )
            .join(ContactRow, ContactRow.id == FollowUpRow.contact_id)
            .where(FollowUpRow.done.is_(False), FollowUpRow.due <= by)
            .order_by(FollowUpRow.due, FollowUpRow.id)
        )
        with self.db.engine.connect() as connection:
            rows = connection.execute(stmt).all()
        return [
            FollowUpRef(fid, cid, _name(first, last), text, due, meeting_id)
            for fid, cid, first, last, text, due, meeting_id in rows
            if due is not None  # always, by the query; said again for the type
        ]

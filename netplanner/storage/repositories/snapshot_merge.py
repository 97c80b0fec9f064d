"""Adding a NetPlanner JSON export's venues, trips, meetings and the rest to a database.

What the database already holds is recognised by natural keys (a meeting's UID, a venue's
name and place, a trip's name and dates, ...) and left alone, so importing an export into
the database it came from creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from netplanner.domain.entities import Contact
from netplanner.domain.network import NetworkSnapshot
from netplanner.storage.models import (
    ConnectionCriteriaRow,
    DebriefRow,
    FollowUpRow,
    MeetingContactRow,
    MeetingRow,
    TargetCompanyRow,
    TripRow,
    UserLocationRow,
    VenueRow,
)
from netplanner.storage.repositories.convert import to_row_values

_NO_ID = frozenset({"id"})


@dataclass
class SnapshotCounts:
    created: int = 0
    unchanged: int = 0


def store_snapshot(
    session: Session, snapshot: NetworkSnapshot, contacts: dict[int, Contact]
) -> SnapshotCounts:
    """Add what the database lacks of a snapshot; what it already holds is left alone."""
    counts = SnapshotCounts()

    def contact_id(local: int) -> int | None:
        contact = contacts.get(local)
        return contact.id if contact is not None else None

    venue_ids: dict[int | None, int] = {}
    existing_venues = {
        (row.name, row.address, row.lat, row.lon): row.id
        for row in session.scalars(select(VenueRow))
    }
    for venue in snapshot.venues:
        key = (venue.name, venue.address, venue.lat, venue.lon)
        if key in existing_venues:
            counts.unchanged += 1
        else:
            row = VenueRow(**to_row_values(venue, VenueRow, _NO_ID))
            session.add(row)
            session.flush()
            existing_venues[key] = row.id
            counts.created += 1
        venue_ids[venue.id] = existing_venues[key]
    trip_ids: dict[int | None, int] = {}
    existing_trips = {
        (row.name, row.place_text, row.start_date, row.end_date): row.id
        for row in session.scalars(select(TripRow))
    }
    for trip in snapshot.trips:
        tkey = (trip.name, trip.place_text, trip.start_date, trip.end_date)
        if tkey in existing_trips:
            counts.unchanged += 1
        else:
            trow = TripRow(**to_row_values(trip, TripRow, _NO_ID))
            session.add(trow)
            session.flush()
            existing_trips[tkey] = trow.id
            counts.created += 1
        trip_ids[trip.id] = existing_trips[tkey]
    meeting_ids: dict[int | None, int] = {}
    existing_meetings = {row.uid: row.id for row in session.scalars(select(MeetingRow))}
    for meeting in snapshot.meetings:
        if meeting.uid in existing_meetings:
            counts.unchanged += 1
            meeting_ids[meeting.id] = existing_meetings[meeting.uid]
            continue
        values = to_row_values(meeting, MeetingRow, _NO_ID)
        values["venue_id"] = venue_ids.get(meeting.venue_id)
        values["trip_id"] = trip_ids.get(meeting.trip_id)
        mrow = MeetingRow(**values)
        session.add(mrow)
        session.flush()
        meeting_ids[meeting.id] = mrow.id
        existing_meetings[meeting.uid] = mrow.id
        linked = {cid for cid in (contact_id(c) for c in meeting.contact_ids) if cid is not None}
        session.add_all(
            MeetingContactRow(meeting_id=mrow.id, contact_id=cid) for cid in sorted(linked)
        )
        counts.created += 1
    debriefed = set(session.scalars(select(DebriefRow.meeting_id)))
    for debrief in snapshot.debriefs:
        target = meeting_ids.get(debrief.meeting_id)
        if target is None:
            continue
        if target in debriefed:
            counts.unchanged += 1
            continue
        values = to_row_values(debrief, DebriefRow, _NO_ID)
        values["meeting_id"] = target
        session.add(DebriefRow(**values))
        debriefed.add(target)
        counts.created += 1
    existing_follow_ups = {
        (row.contact_id, row.text, row.due) for row in session.scalars(select(FollowUpRow))
    }
    for follow_up in snapshot.follow_ups:
        owner = contact_id(follow_up.contact_id)
        if owner is None:
            continue
        fkey = (owner, follow_up.text, follow_up.due)
        if fkey in existing_follow_ups:
            counts.unchanged += 1
            continue
        values = to_row_values(follow_up, FollowUpRow, _NO_ID)
        values["contact_id"] = owner
        values["meeting_id"] = meeting_ids.get(follow_up.meeting_id)
        session.add(FollowUpRow(**values))
        existing_follow_ups.add(fkey)
        counts.created += 1
    companies = set(session.scalars(select(TargetCompanyRow.name)))
    for company in snapshot.target_companies:
        if company.name in companies:
            counts.unchanged += 1
            continue
        session.add(TargetCompanyRow(**to_row_values(company, TargetCompanyRow, _NO_ID)))
        companies.add(company.name)
        counts.created += 1
    for location in snapshot.user_locations:
        if session.get(UserLocationRow, location.kind) is None:
            session.add(UserLocationRow(**to_row_values(location, UserLocationRow)))
    if snapshot.criteria is not None and session.get(ConnectionCriteriaRow, 1) is None:
        session.add(
            ConnectionCriteriaRow(id=1, **to_row_values(snapshot.criteria, ConnectionCriteriaRow))
        )
    session.flush()
    return counts

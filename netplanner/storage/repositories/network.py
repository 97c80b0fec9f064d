"""Writing a whole network snapshot in one transaction."""

from __future__ import annotations

from sqlalchemy import func, select

from netplanner.domain.network import NetworkSnapshot
from netplanner.storage.database import Database
from netplanner.storage.models import (
    ConnectionCriteriaRow,
    ContactRow,
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


class NetworkRepository:
    """Whole-network operations: is it empty, store a snapshot."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def has_contacts(self) -> bool:
        with self.db.read() as session:
            return session.scalar(select(func.count(ContactRow.id))) != 0

    def store(self, snapshot: NetworkSnapshot) -> dict[str, int]:
        """Store every part of ``snapshot`` at once: all of it or, on any error, nothing."""
        with self.db.session() as session:
            contact_ids: dict[int | None, int] = {}
            for contact in snapshot.contacts:
                row = ContactRow(**to_row_values(contact, ContactRow, _NO_ID))
                session.add(row)
                session.flush()
                contact_ids[contact.id] = row.id
            venue_ids: dict[int | None, int] = {}
            for venue in snapshot.venues:
                vrow = VenueRow(**to_row_values(venue, VenueRow, _NO_ID))
                session.add(vrow)
                session.flush()
                venue_ids[venue.id] = vrow.id
            trip_ids: dict[int | None, int] = {}
            for trip in snapshot.trips:
                trow = TripRow(**to_row_values(trip, TripRow, _NO_ID))
                session.add(trow)
                session.flush()
                trip_ids[trip.id] = trow.id
            meeting_ids: dict[int | None, int] = {}
            for meeting in snapshot.meetings:
                values = to_row_values(meeting, MeetingRow, _NO_ID)
                values["venue_id"] = venue_ids.get(meeting.venue_id)
                values["trip_id"] = trip_ids.get(meeting.trip_id)
                mrow = MeetingRow(**values)
                session.add(mrow)
                session.flush()
                meeting_ids[meeting.id] = mrow.id
                session.add_all(
                    MeetingContactRow(meeting_id=mrow.id, contact_id=contact_ids[cid])
                    for cid in meeting.contact_ids
                )
            for debrief in snapshot.debriefs:
                values = to_row_values(debrief, DebriefRow, _NO_ID)
                values["meeting_id"] = meeting_ids[debrief.meeting_id]
                session.add(DebriefRow(**values))
            for follow_up in snapshot.follow_ups:
                values = to_row_values(follow_up, FollowUpRow, _NO_ID)
                values["contact_id"] = contact_ids[follow_up.contact_id]
                values["meeting_id"] = meeting_ids.get(follow_up.meeting_id)
                session.add(FollowUpRow(**values))
            for company in snapshot.target_companies:
                session.add(TargetCompanyRow(**to_row_values(company, TargetCompanyRow, _NO_ID)))
            for location in snapshot.user_locations:
                session.merge(UserLocationRow(**to_row_values(location, UserLocationRow)))
            if snapshot.criteria is not None:
                values = to_row_values(snapshot.criteria, ConnectionCriteriaRow)
                session.merge(ConnectionCriteriaRow(id=1, **values))
            session.flush()
        return {
            "contacts": len(snapshot.contacts),
            "venues": len(snapshot.venues),
            "trips": len(snapshot.trips),
            "meetings": len(snapshot.meetings),
            "debriefs": len(snapshot.debriefs),
            "follow_ups": len(snapshot.follow_ups),
        }

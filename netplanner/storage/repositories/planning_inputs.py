"""What planning reads besides contacts: target companies, criteria, venue ratings, busy time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, or_, select

from netplanner.domain.entities import ConnectionCriteria, FollowUp, UserLocation
from netplanner.domain.slots import Busy
from netplanner.storage.database import Database
from netplanner.storage.models import (
    ConnectionCriteriaRow,
    DebriefRow,
    FollowUpRow,
    MeetingContactRow,
    MeetingRow,
    TargetCompanyRow,
    UserLocationRow,
    VenueRow,
)
from netplanner.storage.repositories.convert import to_domain

CANCELLED = "cancelled"
CHUNK = 500  # ids per IN (...) list, well under every database's limit on parameters


class PlanningInputRepository:
    """Read-only queries the planner needs, each in its own short read."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def user_location(self, kind: str) -> UserLocation | None:
        """The user's home (``"home"``) or current location (``"current"``), if set."""
        with self.db.read() as session:
            row = session.get(UserLocationRow, kind)
            return to_domain(row, UserLocation) if row is not None else None

    def target_company_names(self) -> list[str]:
        with self.db.read() as session:
            return list(
                session.scalars(select(TargetCompanyRow.name).order_by(TargetCompanyRow.id))
            )

    def criteria(self) -> ConnectionCriteria | None:
        with self.db.read() as session:
            row = session.get(ConnectionCriteriaRow, 1)
            return to_domain(row, ConnectionCriteria) if row is not None else None

    def venue_ratings(self) -> dict[int, float]:
        """The mean debrief rating of the meetings held at each venue."""
        stmt = (
            select(MeetingRow.venue_id, func.avg(DebriefRow.rating))
            .join(DebriefRow, DebriefRow.meeting_id == MeetingRow.id)
            .where(MeetingRow.venue_id.is_not(None), DebriefRow.rating.is_not(None))
            .group_by(MeetingRow.venue_id)
        )
        with self.db.read() as session:
            return {int(v): float(r) for v, r in session.execute(stmt) if v is not None}

    def busy_between(
        self, start_utc: datetime, end_utc: datetime, except_meeting: int | None = None
    ) -> list[Busy]:
        """The user's meetings (not cancelled) overlapping the interval, with their venues;
        ``except_meeting`` is left out (the one being planned does not block itself)."""
        stmt = (
            select(MeetingRow.start_utc, MeetingRow.end_utc, VenueRow.lat, VenueRow.lon)
            .outerjoin(VenueRow, VenueRow.id == MeetingRow.venue_id)
            .where(
                MeetingRow.status != CANCELLED,
                MeetingRow.start_utc < end_utc,
                MeetingRow.end_utc > start_utc,
            )
            .order_by(MeetingRow.start_utc)
        )
        if except_meeting is not None:
            stmt = stmt.where(MeetingRow.id != except_meeting)
        with self.db.read() as session:
            return [Busy(s, e, lat, lon) for s, e, lat, lon in session.execute(stmt)]

    def booked_contact_ids(
        self, trip_id: int | None, start_utc: datetime, end_utc: datetime
    ) -> set[int]:
        """Contacts with a meeting (not cancelled) on the trip or within its dates."""
        in_window = (MeetingRow.start_utc >= start_utc) & (MeetingRow.start_utc < end_utc)
        condition = in_window if trip_id is None else or_(MeetingRow.trip_id == trip_id, in_window)
        stmt = (
            select(MeetingContactRow.contact_id)
            .join(MeetingRow, MeetingRow.id == MeetingContactRow.meeting_id)
            .where(MeetingRow.status != CANCELLED, condition)
        )
        with self.db.read() as session:
            return set(session.scalars(stmt))

    def open_follow_ups_due(
        self, by: date, contact_ids: Iterable[int] | None = None
    ) -> dict[int, list[FollowUp]]:
        """Open follow-ups due by ``by``, per contact (only these contacts when given)."""
        columns = (
            FollowUpRow.id,
            FollowUpRow.contact_id,
            FollowUpRow.text,
            FollowUpRow.due,
            FollowUpRow.meeting_id,
        )
        base = (
            select(*columns)
            .where(FollowUpRow.done.is_(False), FollowUpRow.due <= by)
            .order_by(FollowUpRow.due, FollowUpRow.id)
        )
        if contact_ids is None:
            statements = [base]
        else:
            wanted = sorted(set(contact_ids))
            statements = [
                base.where(FollowUpRow.contact_id.in_(wanted[i : i + CHUNK]))
                for i in range(0, len(wanted), CHUNK)
            ]
        found: dict[int, list[FollowUp]] = defaultdict(list)
        with self.db.read() as session:
            for stmt in statements:
                for fid, cid, text, due, meeting_id in session.execute(stmt):
                    found[cid].append(
                        FollowUp(contact_id=cid, text=text, due=due, meeting_id=meeting_id, id=fid)
                    )
        return dict(found)

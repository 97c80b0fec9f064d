"""Trips, venues, meetings, debriefs and follow-ups."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from netplanner.domain.entities import Debrief, FollowUp, Meeting, Trip, Venue
from netplanner.domain.errors import NotFoundError
from netplanner.storage.database import Database
from netplanner.storage.models import (
    Base,
    DebriefRow,
    FollowUpRow,
    MeetingContactRow,
    MeetingRow,
    TripRow,
    VenueRow,
)
from netplanner.storage.repositories.convert import apply, to_domain, to_row_values

E = TypeVar("E")


class _SimpleRepository(Generic[E]):
    """Add, get, list and update for an entity stored in one table."""

    row_type: type[Base]
    entity_type: type[E]
    noun: str

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, entity: E) -> E:
        with self.db.session() as session:
            row = self.row_type(**to_row_values(entity, self.row_type, frozenset({"id"})))
            session.add(row)
            session.flush()
            return to_domain(row, self.entity_type)

    def get(self, entity_id: int) -> E:
        with self.db.read() as session:
            row = session.get(self.row_type, entity_id)
            if row is None:
                raise NotFoundError(f"There is no {self.noun} with id {entity_id}.")
            return to_domain(row, self.entity_type)

    def list(self) -> list[E]:
        with self.db.read() as session:
            rows = session.scalars(select(self.row_type).order_by(self.row_type.id)).all()  # type: ignore[attr-defined]
            return [to_domain(row, self.entity_type) for row in rows]

    def update(self, entity: E) -> E:
        entity_id = getattr(entity, "id", None)
        with self.db.session() as session:
            row = session.get(self.row_type, entity_id)
            if row is None:
                raise NotFoundError(f"There is no {self.noun} with id {entity_id}.")
            apply(row, entity)
            session.flush()
            return to_domain(row, self.entity_type)


class TripRepository(_SimpleRepository[Trip]):
    row_type = TripRow
    entity_type = Trip
    noun = "trip"


class VenueRepository(_SimpleRepository[Venue]):
    row_type = VenueRow
    entity_type = Venue
    noun = "venue"


class FollowUpRepository(_SimpleRepository[FollowUp]):
    row_type = FollowUpRow
    entity_type = FollowUp
    noun = "follow-up"

    def for_contact(self, contact_id: int, open_only: bool = False) -> list[FollowUp]:
        stmt = select(FollowUpRow).where(FollowUpRow.contact_id == contact_id)
        if open_only:
            stmt = stmt.where(FollowUpRow.done.is_(False))
        with self.db.read() as session:
            rows = session.scalars(stmt.order_by(FollowUpRow.due, FollowUpRow.id)).all()
            return [to_domain(row, FollowUp) for row in rows]

    def set_done(self, follow_up_id: int, done: bool, at: datetime) -> FollowUp:
        """The follow-up marked done at ``at`` (kept if it already was), or open again.

        Read and write in one transaction, so an undo racing a second click cannot interleave.
        """
        with self.db.session() as session:
            row = session.get(FollowUpRow, follow_up_id)
            if row is None:
                raise NotFoundError(f"There is no {self.noun} with id {follow_up_id}.")
            if done and not row.done:
                row.done_at = at
            elif not done:
                row.done_at = None
            row.done = done
            session.flush()
            return to_domain(row, FollowUp)


def meeting_contact_ids(session: Session, meeting_ids: list[int]) -> dict[int, list[int]]:
    """The contact ids of each meeting, in a single query."""
    found: dict[int, list[int]] = defaultdict(list)
    stmt = (
        select(MeetingContactRow.meeting_id, MeetingContactRow.contact_id)
        .where(MeetingContactRow.meeting_id.in_(meeting_ids))
        .order_by(MeetingContactRow.meeting_id, MeetingContactRow.contact_id)
    )
    for meeting_id, contact_id in session.execute(stmt):
        found[meeting_id].append(contact_id)
    return found


def insert_meeting(session: Session, meeting: Meeting, venue_id: int | None = None) -> Meeting:
    """Add a meeting row and its contact links in ``session``; ``venue_id`` overrides its venue."""
    values = to_row_values(meeting, MeetingRow, frozenset({"id"}))
    if venue_id is not None:
        values["venue_id"] = venue_id
    row = MeetingRow(**values)
    session.add(row)
    session.flush()
    session.add_all(
        MeetingContactRow(meeting_id=row.id, contact_id=cid) for cid in meeting.contact_ids
    )
    session.flush()
    return to_domain(row, Meeting, contact_ids=list(meeting.contact_ids))


class MeetingRepository:
    """Meetings with the contacts who take part."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, meeting: Meeting) -> Meeting:
        with self.db.session() as session:
            return insert_meeting(session, meeting)

    def get(self, meeting_id: int) -> Meeting:
        with self.db.read() as session:
            row = session.get(MeetingRow, meeting_id)
            if row is None:
                raise NotFoundError(f"There is no meeting with id {meeting_id}.")
            ids = meeting_contact_ids(session, [row.id])
            return to_domain(row, Meeting, contact_ids=ids.get(row.id, []))

    def list(self, contact_id: int | None = None) -> list[Meeting]:
        stmt = select(MeetingRow).order_by(MeetingRow.start_utc, MeetingRow.id)
        if contact_id is not None:
            stmt = stmt.join(MeetingContactRow).where(MeetingContactRow.contact_id == contact_id)
        with self.db.read() as session:
            rows = session.scalars(stmt).all()
            ids = meeting_contact_ids(session, [row.id for row in rows])
            return [to_domain(row, Meeting, contact_ids=ids.get(row.id, [])) for row in rows]

    def update(self, meeting: Meeting) -> Meeting:
        with self.db.session() as session:
            row = session.get(MeetingRow, meeting.id)
            if row is None:
                raise NotFoundError(f"There is no meeting with id {meeting.id}.")
            apply(row, meeting)
            existing = set(meeting_contact_ids(session, [row.id]).get(row.id, []))
            wanted = set(meeting.contact_ids)
            for cid in existing - wanted:
                link = session.get(MeetingContactRow, (row.id, cid))
                if link is not None:
                    session.delete(link)
            session.add_all(
                MeetingContactRow(meeting_id=row.id, contact_id=cid) for cid in wanted - existing
            )
            session.flush()
            return to_domain(row, Meeting, contact_ids=sorted(wanted))


class DebriefRepository:
    """One debrief per meeting."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def for_meeting(self, meeting_id: int) -> Debrief | None:
        with self.db.read() as session:
            row = session.scalar(select(DebriefRow).where(DebriefRow.meeting_id == meeting_id))
            return to_domain(row, Debrief) if row is not None else None

    def save(self, debrief: Debrief) -> Debrief:
        """Create or replace the debrief of its meeting."""
        with self.db.session() as session:
            row = session.scalar(
                select(DebriefRow).where(DebriefRow.meeting_id == debrief.meeting_id)
            )
            if row is None:
                row = DebriefRow(**to_row_values(debrief, DebriefRow, frozenset({"id"})))
                session.add(row)
            else:
                apply(row, debrief, skip=frozenset({"id", "created_at", "meeting_id"}))
            session.flush()
            return to_domain(row, Debrief)

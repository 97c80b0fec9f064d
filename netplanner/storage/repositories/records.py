"""Trips, venues, meetings, debriefs and follow-ups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netplanner.domain.entities import Debrief, FollowUp, Meeting, Trip, Venue
from netplanner.domain.errors import NotFoundError
from netplanner.domain.trips import (
    DeletedTrip,
    MergedStay,
    StoredImport,
    TripFields,
    TripImportStep,
    plan_trip_import,
)
from netplanner.storage.database import Database
from netplanner.storage.models import (
    Base,
    DebriefRow,
    FollowUpRow,
    MeetingContactRow,
    MeetingRow,
    TripEventRow,
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


def _fields_json(fields: TripFields) -> dict[str, Any]:
    values = fields.as_dict()
    values["start_date"] = fields.start_date.isoformat()
    values["end_date"] = fields.end_date.isoformat()
    return values


def _fields_from_json(values: object) -> TripFields | None:
    """The remembered fields, or None when they are missing or not as this version writes."""
    if not isinstance(values, dict):
        return None
    try:
        data = dict(values)
        data["start_date"] = date.fromisoformat(str(data["start_date"]))
        data["end_date"] = date.fromisoformat(str(data["end_date"]))
        return TripFields(**data)
    except (KeyError, TypeError, ValueError):
        return None


class TripRepository(_SimpleRepository[Trip]):
    """Trips, with the calendar events they were read from and the meetings on them."""

    row_type = TripRow
    entity_type = Trip
    noun = "trip"

    def _row(self, session: Session, trip_id: int | None) -> TripRow:
        row = session.get(TripRow, trip_id) if trip_id is not None else None
        if row is None:
            raise NotFoundError(f"There is no trip with id {trip_id}.")
        return row

    @staticmethod
    def _meeting_ids(session: Session, trip_id: int) -> tuple[int, ...]:
        stmt = select(MeetingRow.id).where(MeetingRow.trip_id == trip_id)
        return tuple(session.scalars(stmt.order_by(MeetingRow.id)))

    def delete(self, trip_id: int) -> DeletedTrip:
        """Remove a trip in one transaction; its meetings stay, no longer on a trip."""
        with self.db.session() as session:
            row = self._row(session, trip_id)
            trip = to_domain(row, Trip)
            meeting_ids = self._meeting_ids(session, trip_id)
            uids = tuple(
                session.scalars(
                    select(TripEventRow.uid)
                    .where(TripEventRow.trip_id == trip_id)
                    .order_by(TripEventRow.uid)
                )
            )
            imported = _fields_from_json(row.imported)
            # Unlink explicitly rather than trusting ON DELETE SET NULL (off on some engines).
            if meeting_ids:
                session.execute(
                    update(MeetingRow).where(MeetingRow.trip_id == trip_id).values(trip_id=None)
                )
            events = select(TripEventRow).where(TripEventRow.trip_id == trip_id)
            for event in session.scalars(events):
                session.delete(event)
            session.delete(row)
            session.flush()
            return DeletedTrip(trip, meeting_ids, uids, imported)

    def restore(self, deleted: DeletedTrip) -> Trip:
        """Put a deleted trip back in one transaction, under its old id when that is free.

        The meetings that were on it and have not been put on another trip since go back on
        it; event UIDs that another trip has taken since stay with that trip.
        """
        with self.db.session() as session:
            skip = frozenset({"id"})
            values = to_row_values(deleted.trip, TripRow, skip)
            if deleted.trip.id is not None and session.get(TripRow, deleted.trip.id) is None:
                values["id"] = deleted.trip.id
            if deleted.imported is not None:
                values["imported"] = _fields_json(deleted.imported)
            row = TripRow(**values)
            session.add(row)
            session.flush()
            if deleted.meeting_ids:
                session.execute(
                    update(MeetingRow)
                    .where(MeetingRow.id.in_(deleted.meeting_ids), MeetingRow.trip_id.is_(None))
                    .values(trip_id=row.id)
                )
            taken = set(
                session.scalars(
                    select(TripEventRow.uid).where(TripEventRow.uid.in_(deleted.event_uids))
                )
            )
            session.add_all(
                TripEventRow(uid=uid, trip_id=row.id)
                for uid in deleted.event_uids
                if uid not in taken
            )
            session.flush()
            return to_domain(row, Trip)

    def meeting_ids(self, trip_id: int) -> list[int]:
        """The meetings on a trip, by id."""
        with self.db.read() as session:
            return list(self._meeting_ids(session, trip_id))

    @staticmethod
    def _stored(session: Session, uids: Iterable[str]) -> dict[str, StoredImport]:
        """The trips that own any of these event UIDs, by UID."""
        wanted = sorted(set(uids))
        owner: dict[str, int] = {}
        for start in range(0, len(wanted), 500):  # keep each IN list short
            chunk = wanted[start : start + 500]
            for uid, trip_id in session.execute(
                select(TripEventRow.uid, TripEventRow.trip_id).where(TripEventRow.uid.in_(chunk))
            ):
                owner[uid] = trip_id
        if not owner:
            return {}
        trip_ids = sorted(set(owner.values()))
        all_uids: dict[int, set[str]] = defaultdict(set)
        for uid, trip_id in session.execute(
            select(TripEventRow.uid, TripEventRow.trip_id).where(TripEventRow.trip_id.in_(trip_ids))
        ):
            all_uids[trip_id].add(uid)
        stored: dict[int, StoredImport] = {}
        for row in session.scalars(select(TripRow).where(TripRow.id.in_(trip_ids))):
            stored[row.id] = StoredImport(
                to_domain(row, Trip), frozenset(all_uids[row.id]), _fields_from_json(row.imported)
            )
        return {uid: stored[trip_id] for uid, trip_id in owner.items() if trip_id in stored}

    def import_stays(self, stays: Sequence[MergedStay], write: bool) -> list[TripImportStep]:
        """What importing the stays does (see ``plan_trip_import``), done when ``write``.

        Planning and writing happen in one transaction, so what is reported is what was done;
        without ``write`` nothing is written at all.
        """
        uids = [uid for stay in stays for uid in stay.uids]
        if not write:
            with self.db.read() as session:
                return plan_trip_import(stays, self._stored(session, uids))
        with self.db.session() as session:
            steps = plan_trip_import(stays, self._stored(session, uids))
            done: list[TripImportStep] = []
            for step in steps:
                done.append(self._apply_step(session, step))
            session.flush()
            return done

    @staticmethod
    def _apply_step(session: Session, step: TripImportStep) -> TripImportStep:
        row: TripRow | None
        if step.action == "create":
            row = TripRow(**to_row_values(step.trip, TripRow, frozenset({"id"})))
            row.imported = _fields_json(step.imported)
            session.add(row)
            session.flush()
        else:
            row = session.get(TripRow, step.trip.id)
            if row is None:  # deleted since it was read: nothing to change
                return step
            apply(row, step.trip)
            row.imported = _fields_json(step.imported)
            for other in step.absorbed:
                session.execute(
                    update(MeetingRow).where(MeetingRow.trip_id == other).values(trip_id=row.id)
                )
                session.execute(
                    update(TripEventRow).where(TripEventRow.trip_id == other).values(trip_id=row.id)
                )
                absorbed = session.get(TripRow, other)
                if absorbed is not None:
                    session.delete(absorbed)
        for uid in step.uids:
            event = session.get(TripEventRow, uid)
            if event is None:
                session.add(TripEventRow(uid=uid, trip_id=row.id))
            elif event.trip_id != row.id:
                event.trip_id = row.id
        session.flush()
        return TripImportStep(
            step.action, to_domain(row, Trip), step.uids, step.imported, step.absorbed
        )


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

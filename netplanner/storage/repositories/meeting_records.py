"""Writes about meetings that must happen all at once: a meeting with a new venue, a debrief
with its effects on the meeting, the contacts and their follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from netplanner.domain.entities import Debrief, FollowUp, Meeting, RelationshipStage, Venue
from netplanner.domain.errors import NotFoundError
from netplanner.storage.database import Database
from netplanner.storage.models import (
    ContactRow,
    DebriefRow,
    FollowUpRow,
    MeetingContactRow,
    MeetingRow,
    VenueRow,
)
from netplanner.storage.repositories.convert import apply, to_domain, to_row_values
from netplanner.storage.repositories.records import insert_meeting

_NO_ID = frozenset({"id"})
# Recording a meeting moves a new or merely contacted connection to "met"; never backwards.
_STAGES_BEFORE_MET = {RelationshipStage.NEW.value, RelationshipStage.CONTACTED.value}


class MeetingRecordRepository:
    """Multi-table writes for meetings, each one transaction: all of it or nothing."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_meeting(self, meeting: Meeting, new_venue: Venue | None = None) -> Meeting:
        """Store ``meeting`` (and ``new_venue``, which becomes its venue) in one transaction."""
        with self.db.session() as session:
            venue_id = meeting.venue_id
            if new_venue is not None:
                vrow = VenueRow(**to_row_values(new_venue, VenueRow, _NO_ID))
                session.add(vrow)
                session.flush()
                venue_id = vrow.id
            return insert_meeting(session, meeting, venue_id)

    def update_meeting(self, meeting: Meeting, new_venue: Venue | None = None) -> Meeting:
        """Write back a meeting with its contacts (and ``new_venue`` as its venue) at once."""
        with self.db.session() as session:
            row = session.get(MeetingRow, meeting.id)
            if row is None:
                raise NotFoundError(f"There is no meeting with id {meeting.id}.")
            apply(row, meeting)
            if new_venue is not None:
                vrow = VenueRow(**to_row_values(new_venue, VenueRow, _NO_ID))
                session.add(vrow)
                session.flush()
                row.venue_id = vrow.id
            links = session.scalars(
                select(MeetingContactRow).where(MeetingContactRow.meeting_id == row.id)
            ).all()
            existing = {link.contact_id for link in links}
            wanted = list(dict.fromkeys(meeting.contact_ids))
            for link in links:
                if link.contact_id not in wanted:
                    session.delete(link)
            session.add_all(
                MeetingContactRow(meeting_id=row.id, contact_id=cid)
                for cid in wanted
                if cid not in existing
            )
            session.flush()
            return to_domain(row, Meeting, contact_ids=wanted)

    def record_debrief(
        self, debrief: Debrief, met_on: date, follow_ups: Sequence[FollowUp]
    ) -> tuple[Debrief, Meeting, list[FollowUp]]:
        """Save the debrief, mark its meeting done, update its contacts, add the follow-ups.

        A follow-up with the same text as one already recorded for this meeting and contact
        updates that one (its due date) instead of adding a copy, so a debrief can be re-run.
        """
        with self.db.session() as session:
            meeting_row = session.get(MeetingRow, debrief.meeting_id)
            if meeting_row is None:
                raise NotFoundError(f"There is no meeting with id {debrief.meeting_id}.")
            row = session.scalar(
                select(DebriefRow).where(DebriefRow.meeting_id == debrief.meeting_id)
            )
            if row is None:
                row = DebriefRow(**to_row_values(debrief, DebriefRow, _NO_ID))
                session.add(row)
            else:
                apply(row, debrief, skip=frozenset({"id", "created_at", "meeting_id"}))
            if meeting_row.status != "done":
                meeting_row.status = "done"
                meeting_row.sequence += 1
            contact_ids = list(
                session.scalars(
                    select(MeetingContactRow.contact_id)
                    .where(MeetingContactRow.meeting_id == meeting_row.id)
                    .order_by(MeetingContactRow.contact_id)
                )
            )
            for contact in session.scalars(
                select(ContactRow).where(ContactRow.id.in_(contact_ids))
            ):
                if contact.last_met is None or contact.last_met < met_on:
                    contact.last_met = met_on
                if contact.stage in _STAGES_BEFORE_MET:
                    contact.stage = RelationshipStage.MET.value
            stored: list[FollowUp] = []
            for follow_up in follow_ups:
                existing = session.scalar(
                    select(FollowUpRow).where(
                        FollowUpRow.meeting_id == meeting_row.id,
                        FollowUpRow.contact_id == follow_up.contact_id,
                        FollowUpRow.text == follow_up.text,
                    )
                )
                if existing is None:
                    existing = FollowUpRow(**to_row_values(follow_up, FollowUpRow, _NO_ID))
                    session.add(existing)
                else:
                    existing.due = follow_up.due
                session.flush()
                stored.append(to_domain(existing, FollowUp))
            session.flush()
            return (
                to_domain(row, Debrief),
                to_domain(meeting_row, Meeting, contact_ids=contact_ids),
                stored,
            )

    def follow_ups_for_meeting(self, meeting_id: int) -> list[FollowUp]:
        with self.db.read() as session:
            rows = session.scalars(
                select(FollowUpRow)
                .where(FollowUpRow.meeting_id == meeting_id)
                .order_by(FollowUpRow.id)
            )
            return [to_domain(r, FollowUp) for r in rows]

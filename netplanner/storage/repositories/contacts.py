"""Contacts: the people in the user's network."""

from __future__ import annotations

import builtins
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import String, cast, delete, func, or_, select
from sqlalchemy.orm import defer

from netplanner.domain.entities import Contact, FollowUp
from netplanner.domain.errors import NotFoundError
from netplanner.domain.summaries import ContactSummary
from netplanner.storage.database import Database
from netplanner.storage.models import ContactRow, FollowUpRow, MeetingContactRow
from netplanner.storage.quick_listing import TABLE_COLUMNS, summaries
from netplanner.storage.repositories.convert import apply, to_domain, to_row_values


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass
class DeletedContacts:
    """Everything a delete of contacts removed, so that it can be put back as it was."""

    contacts: list[Contact] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    meeting_links: list[tuple[int, int]] = field(default_factory=list)  # (meeting, contact)


class ContactRepository:
    """Reads and writes contacts, each call its own transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, contact: Contact) -> Contact:
        """Store a new contact; returns it with its id."""
        return self.add_many([contact])[0]

    def add_many(self, contacts: Sequence[Contact]) -> list[Contact]:
        """Store new contacts in one transaction; returns them with their ids."""
        with self.db.session() as session:
            rows = [ContactRow(**to_row_values(c, ContactRow, frozenset({"id"}))) for c in contacts]
            session.add_all(rows)
            session.flush()
            return [to_domain(row, Contact) for row in rows]

    def get(self, contact_id: int) -> Contact:
        """The contact with this id, or ``NotFoundError``."""
        with self.db.read() as session:
            row = session.get(ContactRow, contact_id)
            if row is None:
                raise NotFoundError(f"There is no contact with id {contact_id}.")
            return to_domain(row, Contact)

    def get_many(self, ids: Iterable[int]) -> list[Contact]:
        wanted = list(ids)
        with self.db.read() as session:
            rows = session.scalars(select(ContactRow).where(ContactRow.id.in_(wanted))).all()
            found = {row.id: to_domain(row, Contact) for row in rows}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFoundError(f"There is no contact with id {missing[0]}.")
        return [found[i] for i in wanted]

    def list(
        self,
        query: str | None = None,
        needs_location: bool = False,
        with_photos: bool = False,
    ) -> list[Contact]:
        """Contacts ordered by name, narrowed by a text query over the fields people search.

        Photos are left out unless asked for: the table of 30,000 contacts does not need them.
        """
        stmt = select(ContactRow).order_by(
            func.lower(ContactRow.first_name), func.lower(ContactRow.last_name), ContactRow.id
        )
        if not with_photos:
            stmt = stmt.options(defer(ContactRow.photo))
        if query:
            for word in query.split():
                pattern = _like_pattern(word)
                stmt = stmt.where(
                    or_(
                        ContactRow.first_name.ilike(pattern, escape="\\"),
                        ContactRow.last_name.ilike(pattern, escape="\\"),
                        ContactRow.company.ilike(pattern, escape="\\"),
                        ContactRow.position.ilike(pattern, escape="\\"),
                        ContactRow.location_text.ilike(pattern, escape="\\"),
                        cast(ContactRow.tags, String).ilike(pattern, escape="\\"),
                    )
                )
        if needs_location:
            stmt = stmt.where(or_(ContactRow.lat.is_(None), ContactRow.lon.is_(None)))
        with self.db.read() as session:
            rows = session.scalars(stmt).all()
            return [
                to_domain(row, Contact, **({} if with_photos else {"photo": None})) for row in rows
            ]

    def list_for_table(self) -> builtins.list[ContactSummary]:
        """Every contact as a compact summary, read in one fast pass (in no set order).

        Plain SQL on a few columns skips the ORM identity map and the conversion of
        every field; photos, notes and other long fields stay in the database until one
        contact is opened. 30,000 contacts load in a fraction of a second this way.
        """
        # Plain SQL on the driver: no per-value type processing for 30,000 rows.
        with self.db.read() as session:
            raw = session.connection().connection.dbapi_connection
            if isinstance(raw, sqlite3.Connection):  # SQLite: skip the Row objects too
                return summaries(raw.execute(TABLE_COLUMNS))
            rows = session.connection().exec_driver_sql(TABLE_COLUMNS).all()
        return summaries(tuple(row) for row in rows)

    def count(self) -> int:
        with self.db.read() as session:
            return int(session.scalar(select(func.count(ContactRow.id))) or 0)

    def update(self, contact: Contact) -> Contact:
        """Write back every field of an existing contact."""
        if contact.id is None:
            raise ValueError("update needs a stored contact")
        with self.db.session() as session:
            row = session.get(ContactRow, contact.id)
            if row is None:
                raise NotFoundError(f"There is no contact with id {contact.id}.")
            apply(row, contact)
            session.flush()
            return to_domain(row, Contact)

    def delete(self, ids: Iterable[int]) -> int:
        """Delete contacts (with their follow-ups); returns how many were deleted."""
        wanted = list(ids)
        with self.db.session() as session:
            result = session.execute(delete(ContactRow).where(ContactRow.id.in_(wanted)))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def delete_restorably(self, ids: Iterable[int]) -> DeletedContacts:
        """Delete contacts in one transaction; returns what was removed (for undo)."""
        wanted = list(ids)
        with self.db.session() as session:
            rows = session.scalars(select(ContactRow).where(ContactRow.id.in_(wanted))).all()
            follow_rows = session.scalars(
                select(FollowUpRow).where(FollowUpRow.contact_id.in_(wanted))
            ).all()
            links = session.execute(
                select(MeetingContactRow.meeting_id, MeetingContactRow.contact_id).where(
                    MeetingContactRow.contact_id.in_(wanted)
                )
            ).all()
            deleted = DeletedContacts(
                contacts=[to_domain(row, Contact) for row in rows],
                follow_ups=[to_domain(row, FollowUp) for row in follow_rows],
                meeting_links=[(int(m), int(c)) for m, c in links],
            )
            session.execute(delete(ContactRow).where(ContactRow.id.in_(wanted)))
            return deleted

    def restore(self, deleted: DeletedContacts) -> builtins.list[Contact]:
        """Put deleted contacts back with their ids, follow-ups and meetings, in one transaction."""
        with self.db.session() as session:
            rows = [ContactRow(**to_row_values(c, ContactRow)) for c in deleted.contacts]
            session.add_all(rows)
            session.flush()
            session.add_all(
                FollowUpRow(**to_row_values(f, FollowUpRow)) for f in deleted.follow_ups
            )
            session.add_all(
                MeetingContactRow(meeting_id=m, contact_id=c) for m, c in deleted.meeting_links
            )
            session.flush()
            return [to_domain(row, Contact) for row in rows]

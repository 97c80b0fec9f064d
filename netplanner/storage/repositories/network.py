"""Writing a whole network snapshot in one transaction."""

from __future__ import annotations

from sqlalchemy import func, select

from netplanner.domain.entities import Contact
from netplanner.domain.network import NetworkSnapshot
from netplanner.storage.database import Database
from netplanner.storage.models import ContactRow
from netplanner.storage.repositories.convert import to_domain, to_row_values
from netplanner.storage.repositories.snapshot_merge import store_snapshot


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
            stored: dict[int, Contact] = {}
            for contact in snapshot.contacts:
                row = ContactRow(**to_row_values(contact, ContactRow, frozenset({"id"})))
                session.add(row)
                session.flush()
                if contact.id is not None:
                    stored[contact.id] = to_domain(row, Contact)
            # The rest links to the contacts by their snapshot ids, as a JSON export's does.
            store_snapshot(session, snapshot, stored)
        return {
            "contacts": len(snapshot.contacts),
            "venues": len(snapshot.venues),
            "trips": len(snapshot.trips),
            "meetings": len(snapshot.meetings),
            "debriefs": len(snapshot.debriefs),
            "follow_ups": len(snapshot.follow_ups),
        }

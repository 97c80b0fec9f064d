"""The user's connection criteria (a single row) and what evaluating them needs."""

from __future__ import annotations

from sqlalchemy import select

from netplanner.domain.entities import ConnectionCriteria
from netplanner.storage.database import Database
from netplanner.storage.models import ConnectionCriteriaRow, ContactRow, UserLocationRow
from netplanner.storage.repositories.convert import to_domain, to_row_values

CRITERIA_ROW_ID = 1


class CriteriaRepository:
    """Reads and writes the criteria row; also the home point and who has a photo."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self) -> ConnectionCriteria:
        """The stored criteria, or empty criteria when none were ever set."""
        with self.db.read() as session:
            row = session.get(ConnectionCriteriaRow, CRITERIA_ROW_ID)
            return to_domain(row, ConnectionCriteria) if row else ConnectionCriteria()

    def save(self, criteria: ConnectionCriteria) -> ConnectionCriteria:
        with self.db.session() as session:
            values = to_row_values(criteria, ConnectionCriteriaRow, frozenset({"updated_at"}))
            row = session.merge(ConnectionCriteriaRow(id=CRITERIA_ROW_ID, **values))
            session.flush()
            return to_domain(row, ConnectionCriteria)

    def home(self) -> tuple[float, float] | None:
        """The user's home as (lat, lon), if set."""
        with self.db.read() as session:
            row = session.get(UserLocationRow, "home")
            return (row.lat, row.lon) if row else None

    def contact_ids_with_photo(self) -> set[int]:
        """Ids of contacts with a photo, without loading the photos."""
        with self.db.read() as session:
            return set(session.scalars(select(ContactRow.id).where(ContactRow.photo.is_not(None))))

"""The user's own places: home and current location, one row per kind."""

from __future__ import annotations

from netplanner.domain.entities import UserLocation
from netplanner.storage.database import Database
from netplanner.storage.models import UserLocationRow
from netplanner.storage.repositories.convert import to_domain, to_row_values

KINDS = ("home", "current")


class UserLocationRepository:
    """Reads and replaces the user's home and current location."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, kind: str) -> UserLocation | None:
        with self.db.read() as session:
            row = session.get(UserLocationRow, kind)
            return to_domain(row, UserLocation) if row is not None else None

    def save(self, location: UserLocation) -> UserLocation:
        """Create or replace the location of its kind."""
        if location.kind not in KINDS:
            raise ValueError(f"unknown location kind {location.kind!r}")
        with self.db.session() as session:
            values = to_row_values(location, UserLocationRow, frozenset({"updated_at"}))
            row = session.merge(UserLocationRow(**values))
            session.flush()
            return to_domain(row, UserLocation)

    def delete(self, kind: str) -> bool:
        """Forget the location of this kind; True when there was one."""
        if kind not in KINDS:
            raise ValueError(f"unknown location kind {kind!r}")
        with self.db.session() as session:
            row = session.get(UserLocationRow, kind)
            if row is None:
                return False
            session.delete(row)
            return True

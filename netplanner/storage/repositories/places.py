"""The geocoding cache (``places``) and the bulk writes that place contacts from it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from netplanner.domain.entities import LocationStatus, Place, PlaceStatus
from netplanner.storage.database import Database
from netplanner.storage.models import ContactRow, PlaceRow, utcnow
from netplanner.storage.repositories.convert import apply, to_domain, to_row_values

# SQLite's limit on bound parameters is generous in new versions and small in old ones.
_CHUNK = 500


def _chunks(values: Sequence[int], size: int = _CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class PendingLocation:
    """A contact whose location text still needs coordinates."""

    contact_id: int
    text: str
    status: LocationStatus


@dataclass(frozen=True)
class PlaceAssignment:
    """A resolved place and the contacts that share its location text."""

    place: Place
    contact_ids: tuple[int, ...]


class PlaceRepository:
    """Reads and writes the cache; every write is one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, query: str, provider: str) -> Place | None:
        """The cached answer for a normalised query from one provider, if any."""
        return self.get_many([query], provider).get(query)

    def get_many(self, queries: Iterable[str], provider: str) -> dict[str, Place]:
        """Cached answers by normalised query, for those queries that have one."""
        wanted = sorted(set(queries))
        found: dict[str, Place] = {}
        with self.db.read() as session:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                rows = session.scalars(
                    select(PlaceRow).where(PlaceRow.provider == provider, PlaceRow.query.in_(chunk))
                ).all()
                for row in rows:
                    found[row.query] = to_domain(row, Place)
        return found

    def count(self, provider: str | None = None) -> int:
        stmt = select(func.count(PlaceRow.id))
        if provider is not None:
            stmt = stmt.where(PlaceRow.provider == provider)
        with self.db.read() as session:
            return int(session.scalar(stmt) or 0)

    def pending(self, statuses: Iterable[LocationStatus]) -> list[PendingLocation]:
        """Contacts with a location text and one of ``statuses`` (never manual ones)."""
        wanted = [s.value for s in statuses if s is not LocationStatus.MANUAL]
        with self.db.read() as session:
            rows = session.execute(
                select(ContactRow.id, ContactRow.location_text, ContactRow.location_status)
                .where(
                    ContactRow.location_text.is_not(None),
                    ContactRow.location_status.in_(wanted),
                )
                .order_by(ContactRow.id)
            ).all()
        return [
            PendingLocation(int(cid), str(text), LocationStatus(status))
            for cid, text, status in rows
            if str(text).strip()
        ]

    def save(self, assignments: Sequence[PlaceAssignment]) -> int:
        """Store each place in the cache and apply it to its contacts, in one transaction.

        Contacts placed by hand (``manual``) are never touched, even if the user set them
        while geocoding ran. Returns how many contacts were updated.
        """
        updated = 0
        now = utcnow()
        with self.db.session() as session:
            for assignment in assignments:
                self._upsert(session, assignment.place)
                updated += self._apply_to_contacts(session, assignment, now)
        return updated

    @staticmethod
    def _upsert(session: Session, place: Place) -> None:
        row = session.scalars(
            select(PlaceRow).where(
                PlaceRow.query == place.query, PlaceRow.provider == place.provider
            )
        ).first()
        if row is None:
            session.add(PlaceRow(**to_row_values(place, PlaceRow, frozenset({"id"}))))
        else:
            apply(row, place, skip=frozenset({"id"}))

    @staticmethod
    def _apply_to_contacts(session: Session, assignment: PlaceAssignment, now: datetime) -> int:
        place = assignment.place
        values: dict[str, object]
        if place.status is PlaceStatus.FOUND:
            values = {
                "lat": place.lat,
                "lon": place.lon,
                "country_code": place.country_code,
                "admin1": place.admin1,
                "timezone": place.timezone,
                "location_status": LocationStatus.FOUND.value,
            }
        elif place.status is PlaceStatus.NOT_FOUND:
            values = {"location_status": LocationStatus.NOT_FOUND.value}
        else:
            values = {"location_status": LocationStatus.FAILED.value}
        values["updated_at"] = now
        updated = 0
        for chunk in _chunks(list(assignment.contact_ids)):
            result = session.execute(
                update(ContactRow)
                .where(
                    ContactRow.id.in_(chunk),
                    ContactRow.location_status != LocationStatus.MANUAL.value,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            updated += int(result.rowcount or 0)  # type: ignore[attr-defined]
        return updated

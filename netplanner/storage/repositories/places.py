"""The geocoding cache (``places``) and the bulk writes that place contacts from it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from netplanner.domain.entities import LocationStatus, Place, PlaceStatus
from netplanner.storage.database import Database
from netplanner.storage.models import ContactRow, PlaceRow, utcnow
from netplanner.storage.repositories.convert import to_domain, to_row_values

# SQLite's limit on bound parameters is generous in new versions and small in old ones.
_CHUNK = 500


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
                    found[row.query] = to_domain(row, Place, status=PlaceStatus(row.status))
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
        while geocoding ran. Returns how many contacts were updated. Writes go as bulk
        statements (one per kind of change), so thousands of places take a fraction of a
        second.
        """
        if not assignments:
            return 0
        now = utcnow()
        with self.db.session() as session:
            self._upsert_places(session, [a.place for a in assignments], now)
            return self._apply_to_contacts(session, assignments, now)

    @staticmethod
    def _upsert_places(session: Session, places: Sequence[Place], now: datetime) -> None:
        by_provider: dict[str, dict[str, Place]] = {}
        for place in places:
            by_provider.setdefault(place.provider, {})[place.query] = place
        table = cast(Table, PlaceRow.__table__)
        connection = session.connection()
        for provider, wanted in by_provider.items():
            existing: dict[str, int] = {}
            queries = sorted(wanted)
            for start in range(0, len(queries), _CHUNK):
                rows = connection.execute(
                    select(table.c.query, table.c.id).where(
                        table.c.provider == provider,
                        table.c.query.in_(queries[start : start + _CHUNK]),
                    )
                ).all()
                existing.update({str(query): int(pid) for query, pid in rows})
            new_rows: list[dict[str, Any]] = []
            changed_rows: list[dict[str, Any]] = []
            for query, place in wanted.items():
                values = to_row_values(place, PlaceRow, frozenset({"id"}))
                values["resolved_at"] = place.resolved_at or now
                if query in existing:
                    values["b_id"] = existing[query]
                    changed_rows.append(values)
                else:
                    new_rows.append(values)
            if new_rows:
                connection.execute(insert(table), new_rows)
            if changed_rows:
                columns = [key for key in changed_rows[0] if key != "b_id"]
                connection.execute(
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values({key: bindparam(key) for key in columns}),
                    changed_rows,
                )

    @staticmethod
    def _apply_to_contacts(
        session: Session, assignments: Sequence[PlaceAssignment], now: datetime
    ) -> int:
        table = cast(Table, ContactRow.__table__)
        placed: list[dict[str, Any]] = []
        status_only: list[dict[str, Any]] = []
        for assignment in assignments:
            place = assignment.place
            if place.status is PlaceStatus.FOUND:
                placed.extend(
                    {
                        "b_id": contact_id,
                        "b_lat": place.lat,
                        "b_lon": place.lon,
                        "b_country": place.country_code,
                        "b_admin1": place.admin1,
                        "b_tz": place.timezone,
                    }
                    for contact_id in assignment.contact_ids
                )
            else:
                status = (
                    LocationStatus.NOT_FOUND
                    if place.status is PlaceStatus.NOT_FOUND
                    else LocationStatus.FAILED
                )
                status_only.extend(
                    {"b_id": contact_id, "b_status": status.value}
                    for contact_id in assignment.contact_ids
                )
        not_manual = table.c.location_status != LocationStatus.MANUAL.value
        connection = session.connection()
        updated = 0
        if placed:
            result = connection.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"), not_manual)
                .values(
                    lat=bindparam("b_lat"),
                    lon=bindparam("b_lon"),
                    country_code=bindparam("b_country"),
                    admin1=bindparam("b_admin1"),
                    timezone=bindparam("b_tz"),
                    location_status=LocationStatus.FOUND.value,
                    updated_at=now,
                ),
                placed,
            )
            updated += max(0, int(result.rowcount))
        if status_only:
            result = connection.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"), not_manual)
                .values(location_status=bindparam("b_status"), updated_at=now),
                status_only,
            )
            updated += max(0, int(result.rowcount))
        return updated

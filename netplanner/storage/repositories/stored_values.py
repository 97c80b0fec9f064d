"""Values already stored that other commands cannot use: for ``netplanner check``.

Imports and edits refuse such values now (``domain.sanity``), but a database written by an
older version may hold them: a zone that does not exist, a coordinate that is no number, a
meeting in year 1. Each is reported by table and row, never by what the row holds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, select

from netplanner.domain.sanity import FIRST_YEAR, LAST_YEAR, is_finite_place, is_known_zone
from netplanner.storage.database import Database
from netplanner.storage.models import (
    ContactRow,
    FollowUpRow,
    MeetingRow,
    PlaceRow,
    TripRow,
    UserLocationRow,
    VenueRow,
)

_ZONES: tuple[tuple[Any, str], ...] = (
    (ContactRow, "timezone"),
    (PlaceRow, "timezone"),
    (UserLocationRow, "timezone"),
    (TripRow, "timezone"),
    (VenueRow, "timezone"),
    (MeetingRow, "tzid"),
)
_PLACES: tuple[tuple[Any, str, str], ...] = (
    (ContactRow, "lat", "lon"),
    (PlaceRow, "lat", "lon"),
    (UserLocationRow, "lat", "lon"),
    (TripRow, "lat", "lon"),
    (TripRow, "base_lat", "base_lon"),
    (VenueRow, "lat", "lon"),
)
_DATES: tuple[tuple[Any, str], ...] = (
    (MeetingRow, "start_utc"),
    (MeetingRow, "end_utc"),
    (TripRow, "start_date"),
    (TripRow, "end_date"),
    (FollowUpRow, "due"),
)


class StoredValueRepository:
    """Finds stored rows whose zone, place or date the rest of NetPlanner cannot use."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def problems(self) -> list[str]:
        """One line per bad value, e.g. "meetings row 3: tzid 'Mars/Olympus' is no time zone"."""
        found: list[str] = []
        with self.db.read() as session:
            for row_type, column in _ZONES:
                table: Table = row_type.__table__
                stmt = select(_key(table), table.c[column]).where(table.c[column].is_not(None))
                for row_id, zone in session.execute(stmt):
                    if not is_known_zone(zone):
                        found.append(
                            f"{table.name} row {row_id}: {column} {zone!r} is no known time zone"
                        )
            for row_type, lat_name, lon_name in _PLACES:
                table = row_type.__table__
                stmt = select(_key(table), table.c[lat_name], table.c[lon_name])
                for row in session.execute(stmt):
                    row_id, lat, lon = row[0], _number(row[1]), _number(row[2])
                    if not _place_ok(lat, lon):
                        found.append(
                            f"{table.name} row {row_id}: {lat_name}/{lon_name} "
                            f"{lat!r}/{lon!r} is no place on Earth"
                        )
            for row_type, column in _DATES:
                table = row_type.__table__
                raw = select(_key(table), table.c[column]).where(table.c[column].is_not(None))
                for row_id, value in session.execute(raw):
                    if isinstance(value, date | datetime) and not (
                        FIRST_YEAR <= value.year <= LAST_YEAR
                    ):
                        found.append(
                            f"{table.name} row {row_id}: {column} {value.isoformat()[:10]} is "
                            f"outside the years {FIRST_YEAR}–{LAST_YEAR}"
                        )
        return found


def _place_ok(lat: float | None, lon: float | None) -> bool:
    if lat is None and lon is None:
        return True
    if lat is None or lon is None:  # one without the other: a half place, not a broken one
        return True
    return is_finite_place(float(lat), float(lon))


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _key(table: Table) -> Any:
    """The table's first key column (places are keyed by their query, not an id)."""
    return next(iter(table.primary_key.columns))

"""Contacts near a point: a box on the (lat, lon) index, then the exact great-circle distance.

Only the columns a search by place needs are read, without the ORM, through one prepared
statement, and objects are built only for the rows inside the circle: ``nearby`` over
30,000 contacts stays within a few milliseconds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, or_, select

from netplanner.domain.entities import Venue
from netplanner.domain.geo import BoundingBox, bounding_box, distance_km
from netplanner.domain.nearby import ContactPoint, ContactProfile
from netplanner.storage.database import Database
from netplanner.storage.models import ContactRow, VenueRow
from netplanner.storage.repositories.convert import to_domain

_POINT_COLUMNS = (
    ContactRow.id,
    ContactRow.lat,
    ContactRow.lon,
    ContactRow.first_name,
    ContactRow.last_name,
    ContactRow.company,
    ContactRow.location_text,
)
_PROFILE_COLUMNS = (
    *_POINT_COLUMNS,
    ContactRow.position,
    ContactRow.industry,
    ContactRow.interests,
    ContactRow.connected_on,
    ContactRow.last_met,
    ContactRow.cadence_days,
    ContactRow.photo.is_not(None),
    ContactRow.stage,
)
# One statement for every box: a latitude band and up to two longitude ranges (the same
# range twice when there is one), so SQLAlchemy compiles it once and SQLite walks the index.
_IN_BOX = and_(
    ContactRow.lat >= bindparam("min_lat"),
    ContactRow.lat <= bindparam("max_lat"),
    or_(
        ContactRow.lon.between(bindparam("lo1"), bindparam("hi1")),
        ContactRow.lon.between(bindparam("lo2"), bindparam("hi2")),
    ),
)
_POINTS_IN_BOX = select(*_POINT_COLUMNS).where(_IN_BOX)
_PROFILES_IN_BOX = select(*_PROFILE_COLUMNS).where(_IN_BOX)


def _box_params(box: BoundingBox) -> dict[str, float]:
    (lo1, hi1), (lo2, hi2) = box.lon_ranges[0], box.lon_ranges[-1]
    return {
        "min_lat": box.min_lat,
        "max_lat": box.max_lat,
        "lo1": lo1,
        "hi1": hi1,
        "lo2": lo2,
        "hi2": hi2,
    }


def _name(first: str | None, last: str | None) -> str:
    if first and last:
        return f"{first} {last}"
    return first or last or ""


class GeoQueryRepository:
    """Reads contacts and venues by where they are."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _within(self, stmt: Any, lat: float, lon: float, radius_km: float) -> list[Any]:
        """Rows of ``stmt`` inside the circle, as (distance, row), nearest first."""
        params = _box_params(bounding_box(lat, lon, radius_km))
        with self.db.engine.connect() as connection:
            rows = connection.execute(stmt, params).all()
        hits = []
        for row in rows:
            d = distance_km(lat, lon, row[1], row[2])
            if d <= radius_km:
                hits.append((d, row))
        hits.sort(key=lambda hit: (hit[0], hit[1][0]))
        return hits

    def points_within(
        self, lat: float, lon: float, radius_km: float
    ) -> list[tuple[ContactPoint, float]]:
        """Contacts within ``radius_km`` of (lat, lon) with their distance, nearest first."""
        return [
            (ContactPoint(r[0], _name(r[3], r[4]), r[5], r[6], r[1], r[2]), d)
            for d, r in self._within(_POINTS_IN_BOX, lat, lon, radius_km)
        ]

    def profiles_within(
        self, lat: float, lon: float, radius_km: float
    ) -> list[tuple[ContactProfile, float]]:
        """Contacts within the radius with the fields the suggestion ranking needs."""
        return [
            (
                ContactProfile(
                    id=r[0],
                    name=_name(r[3], r[4]),
                    company=r[5],
                    location_text=r[6],
                    lat=r[1],
                    lon=r[2],
                    position=r[7],
                    industry=r[8],
                    interests=tuple(r[9] or ()),
                    connected_on=r[10],
                    last_met=r[11],
                    cadence_days=r[12],
                    has_photo=bool(r[13]),
                    stage=r[14] or "new",
                ),
                d,
            )
            for d, r in self._within(_PROFILES_IN_BOX, lat, lon, radius_km)
        ]

    def nearest_point(self, lat: float, lon: float) -> tuple[ContactPoint, float] | None:
        """The located contact closest to (lat, lon), searching outwards; None if none."""
        for radius in (25.0, 250.0, 2500.0, 20000.0):
            found = self.points_within(lat, lon, radius)
            if found:
                return found[0]
        return None

    def venues_in_box(self, box: BoundingBox) -> list[Venue]:
        """Saved venues with coordinates inside ``box``."""
        lat_ok = and_(VenueRow.lat >= box.min_lat, VenueRow.lat <= box.max_lat)
        lon_ok = or_(*(VenueRow.lon.between(lo, hi) for lo, hi in box.lon_ranges))
        with self.db.read() as session:
            rows = session.scalars(
                select(VenueRow).where(lat_ok, lon_ok).order_by(VenueRow.id)
            ).all()
            return [to_domain(row, Venue) for row in rows]

    def unlocated_location_texts(self) -> list[str | None]:
        """The location text of every contact without coordinates (None where there is none).

        One narrow query over the contacts that are not located, so a hint about them stays
        cheap however large the network is.
        """
        stmt = select(ContactRow.location_text).where(
            or_(ContactRow.lat.is_(None), ContactRow.lon.is_(None))
        )
        with self.db.engine.connect() as connection:
            return [text for (text,) in connection.execute(stmt)]

"""Planning at scale: ``nearby`` and ``suggest`` over 30,000 contacts, against a naive loop.

Floors (in process, median of repeated runs): ``nearby`` (25 km) at most 5 ms, ``suggest``
for a trip at most 50 ms, and ``nearby`` at least 100 times faster than a loop of geopy's
great-circle distance over every contact (measured in the same run, on coordinates already
in memory, which flatters the baseline).
"""

from __future__ import annotations

import math
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from geopy.distance import great_circle
from sqlalchemy import insert

from netplanner.domain.entities import ConnectionCriteria, Meeting, TargetCompany, Trip
from netplanner.domain.network import NetworkSnapshot
from netplanner.services.demo_data import CITIES, COMPANIES, INTERESTS
from netplanner.services.planning import PlanningService
from netplanner.settings import Settings
from netplanner.storage.database import Database, open_database
from netplanner.storage.models import ContactRow, FollowUpRow
from netplanner.storage.repositories import (
    MeetingRepository,
    NetworkRepository,
    TripRepository,
)
from netplanner.storage.repositories.geo_queries import GeoQueryRepository
from netplanner.storage.repositories.planning_inputs import PlanningInputRepository

CONTACTS = 30_000
NEARBY_FLOOR_MS = 5.0
SUGGEST_FLOOR_MS = 50.0
SPEEDUP_FLOOR = 100.0
TODAY = date(2026, 11, 26)


def _jitter(rng: random.Random, lat: float, lon: float, max_km: float) -> tuple[float, float]:
    distance = max_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.32
    dlon = distance * math.sin(bearing) / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return lat + dlat, (lon + dlon + 180) % 360 - 180


def populate(db: Database, rng: random.Random) -> int:
    """30,000 contacts: most around the demo cities, the rest anywhere; returns a trip id."""
    rows: list[dict[str, Any]] = []
    for index in range(CONTACTS):
        if index % 5 < 3:
            city = CITIES[index % len(CITIES)]
            lat, lon = _jitter(rng, city.lat, city.lon, 40.0)
            location = f"{city.name}, {city.country}"
        else:
            lat = math.degrees(math.asin(rng.uniform(-0.87, 0.94)))
            lon = rng.uniform(-180, 180)
            location = "Somewhere"
        company, industry, positions = rng.choice(COMPANIES)
        met = rng.random() < 0.3
        rows.append(
            {
                "first_name": f"First{index}",
                "last_name": f"Last{index}",
                "company": company,
                "industry": industry,
                "position": rng.choice(positions),
                "location_text": location,
                "lat": lat,
                "lon": lon,
                "location_status": "found",
                "interests": rng.sample(INTERESTS, k=2),
                "connected_on": TODAY - timedelta(days=rng.randint(30, 3000)),
                "last_met": TODAY - timedelta(days=rng.randint(10, 900)) if met else None,
                "cadence_days": rng.choice([None, 90, 180, 365]),
                "stage": "met" if met else "new",
            }
        )
    with db.session() as session:
        session.execute(insert(ContactRow), rows)
    lisbon = next(c for c in CITIES if c.name == "Lisbon")
    NetworkRepository(db).store(
        NetworkSnapshot(
            target_companies=[TargetCompany(name=COMPANIES[0][0])],
            criteria=ConnectionCriteria(avoid_industries=[COMPANIES[1][1]]),
        )
    )
    trip = TripRepository(db).add(
        Trip(
            name="Lisbon",
            place_text="Lisbon, Portugal",
            lat=lisbon.lat,
            lon=lisbon.lon,
            start_date=TODAY + timedelta(days=10),
            end_date=TODAY + timedelta(days=14),
            timezone=lisbon.timezone,
            base_address="Hotel Avenida Palace, Lisbon",
            base_lat=lisbon.lat + 0.005,
            base_lon=lisbon.lon - 0.004,
        )
    )
    meetings = MeetingRepository(db)
    start = datetime.combine(trip.start_date, datetime.min.time(), UTC) + timedelta(hours=10)
    for contact_id in range(1, CONTACTS, 26 * 40)[:10]:
        meetings.add(
            Meeting(
                contact_ids=[contact_id],
                start_utc=start,
                end_utc=start + timedelta(hours=1),
                tzid=lisbon.timezone,
                uid=f"bench-{contact_id}@netplanner",
                trip_id=trip.id,
            )
        )
    with db.session() as session:
        session.execute(
            insert(FollowUpRow),
            [
                {"contact_id": cid, "text": "Send the deck", "due": TODAY, "done": False}
                for cid in range(1, CONTACTS, 7)
            ],
        )
    assert trip.id is not None
    return trip.id


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm caches and compiled statements
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run() -> bool:
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        try:
            started = time.perf_counter()
            trip_id = populate(db, rng)
            print(f"generated {CONTACTS:,} contacts in {time.perf_counter() - started:.1f} s")
            planner = PlanningService(
                locator=None,  # type: ignore[arg-type]  # points are given, nothing to locate
                geo=GeoQueryRepository(db),
                trips=TripRepository(db),
                inputs=PlanningInputRepository(db),
                settings=Settings(),
                today=lambda: TODAY,
            )
            berlin = next(c for c in CITIES if c.name == "Berlin")
            found = planner.nearby(berlin.lat, berlin.lon, 25.0)
            nearby_ms = median_ms(lambda: planner.nearby(berlin.lat, berlin.lon, 25.0), 200)
            suggestions = planner.suggest(planner.request_for_trip(trip_id), limit=20)
            suggest_ms = median_ms(
                lambda: planner.suggest(planner.request_for_trip(trip_id), limit=20), 50
            )
            with db.engine.connect() as connection:
                points = list(connection.exec_driver_sql("SELECT id, lat, lon FROM contacts"))

            def naive() -> list[tuple[int, float]]:
                here = (berlin.lat, berlin.lon)
                hits = []
                for cid, lat, lon in points:
                    d = great_circle(here, (lat, lon)).km
                    if d <= 25.0:
                        hits.append((cid, d))
                hits.sort(key=lambda pair: pair[1])
                return hits

            naive_ids = [cid for cid, _ in naive()]
            naive_ms = median_ms(naive, 5)
        finally:
            db.dispose()
    same = naive_ids == [p.id for p, _ in found]
    speedup = naive_ms / nearby_ms
    print(
        f"nearby Berlin 25 km: {len(found)} contacts, median {nearby_ms:.2f} ms "
        f"(floor {NEARBY_FLOOR_MS} ms)"
    )
    print(
        f"suggest for a trip: {len(suggestions)} shown, median {suggest_ms:.2f} ms "
        f"(floor {SUGGEST_FLOOR_MS} ms)"
    )
    print(
        f"naive geopy great_circle loop over {len(points):,} contacts: median {naive_ms:.1f} ms;"
        f" nearby is {speedup:.0f}x faster (floor {SPEEDUP_FLOOR:.0f}x); same answer: {same}"
    )
    ok = (
        nearby_ms <= NEARBY_FLOOR_MS
        and suggest_ms <= SUGGEST_FLOOR_MS
        and speedup >= SPEEDUP_FLOOR
        and same
    )
    print("floors hold" if ok else "FLOOR MISSED")
    return ok

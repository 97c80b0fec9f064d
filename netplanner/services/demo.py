"""The demo network: about 150 contacts in 26 cities on every continent, generated from a seed.

The same seed and the same ``today`` give the same network, so screenshots and tests
are stable; trips are placed after ``today`` and past meetings before it. A few meetings
close to ``today`` (two to come, three awaiting their debrief) give Today something to show;
they are added after everything else, so the rest of the network is what it always was.
About fifty pending invitations, written as LinkedIn's Invitations.csv and read by its
importer, give the Network workspace something to judge; they are drawn from a generator
of their own, so the network itself is unchanged by them.
"""

from __future__ import annotations

import csv
import io
import math
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from netplanner.domain.entities import (
    ConnectionCriteria,
    Contact,
    Debrief,
    FollowUp,
    LocationStatus,
    Meeting,
    MeetingStatus,
    RelationshipStage,
    TargetCompany,
    Trip,
    UserLocation,
    Venue,
)
from netplanner.domain.errors import InputError
from netplanner.domain.geo import distance_km
from netplanner.domain.network import NetworkSnapshot
from netplanner.services import demo_data as data
from netplanner.services.importers.linkedin import parse_invitations
from netplanner.storage.repositories import NetworkRepository
from netplanner.storage.repositories.invitations import InvitationRepository

DEMO_SEED = 20261126
CONTACT_COUNT = 150
MEETING_COUNT = 20
UID_NAMESPACE = uuid.UUID("6f1c3a52-5f0e-4d7e-9a53-0d6c5c1e8a11")
HOME_CITY = "Berlin"
TRIP_PLAN = (
    ("Lisbon", 12, 4, "Hotel Avenida Palace"),
    ("Tokyo", 33, 5, "Park Hotel Tokyo"),
    ("New York", 58, 3, "The Greenwich Hotel"),
)
# Meetings near ``today``: (city, days from today, local hour, minute), moved off weekends
# away from today (by two days at most). The upcoming ones stay clear of the trips (the
# first begins on day 12), so the trips' suggestions and free slots are what they were;
# London is in another zone than the Berlin home.
UPCOMING_PLAN = (("Berlin", 3, 9, 30), ("London", 7, 10, 0))
DEBRIEF_DUE_PLAN = (("Munich", -2, 16, 0), ("Paris", -6, 9, 30), ("Stockholm", -10, 15, 0))
# Pending invitations: (how many, from whom). Received ones from people who fit, from
# recruiters (whom the demo's criteria avoid), from far away, and sent by the user; two
# more come from people already among the contacts (one of them a recruiter).
INVITATION_PLAN = (("friendly", 22), ("recruiter", 10), ("far", 10), ("sent", 6))
INVITATIONS_HEADER = (
    "From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl",
)  # fmt: skip


def _jitter(rng: random.Random, lat: float, lon: float, max_km: float) -> tuple[float, float]:
    """A point within ``max_km`` of (lat, lon), uniform over the disc."""
    distance = max_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.32
    dlon = distance * math.sin(bearing) / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def _city(name: str) -> data.DemoCity:
    return next(c for c in data.CITIES if c.name == name)


def _local_to_utc(day: date, hour: int, minute: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone)).astimezone(UTC)


def _meeting(
    meeting_id: int,
    contact_id: int,
    start: datetime,
    tzid: str,
    status: MeetingStatus,
    venue_id: int | None,
) -> Meeting:
    """An hour's coffee with one contact, with the stable UID a re-load gives again."""
    return Meeting(
        id=meeting_id,
        contact_ids=[contact_id],
        start_utc=start,
        end_utc=start + timedelta(minutes=60),
        tzid=tzid,
        uid=f"{uuid.uuid5(UID_NAMESPACE, f'demo-meeting-{meeting_id}')}@netplanner",
        status=status,
        venue_id=venue_id,
        sequence=1,
    )


def build_demo_network(today: date | None = None, seed: int = DEMO_SEED) -> NetworkSnapshot:
    """Generate the demo network; deterministic for a given seed and day."""
    today = today or date.today()
    rng = random.Random(seed)
    snapshot = NetworkSnapshot()
    cities = data.CITIES

    # Contacts, spread evenly over the cities.
    city_of: dict[int, data.DemoCity] = {}
    used_names: set[str] = set()
    for index in range(CONTACT_COUNT):
        city = cities[index % len(cities)]
        first_pool, last_pool = data.NAME_POOLS[city.names]
        while True:
            first, last = rng.choice(first_pool), rng.choice(last_pool)
            if f"{first} {last}" not in used_names:
                used_names.add(f"{first} {last}")
                break
        company, industry, positions = rng.choice(data.COMPANIES)
        lat, lon = _jitter(rng, city.lat, city.lon, 8.0)
        contact_id = index + 1
        slug = f"{first}-{last}".lower().replace(" ", "-")
        contact = Contact(
            id=contact_id,
            first_name=first,
            last_name=last,
            company=company,
            position=rng.choice(positions),
            industry=industry,
            emails=[f"{slug}@{company.split()[0].lower()}.example"] if rng.random() < 0.7 else [],
            profile_url=f"https://www.linkedin.com/in/{slug}-{contact_id:03d}",
            location_text=f"{city.name}, {city.country}",
            lat=lat,
            lon=lon,
            country_code=city.country_code,
            admin1=city.admin1,
            timezone=city.timezone,
            location_status=LocationStatus.FOUND,
            interests=rng.sample(data.INTERESTS, k=rng.randint(1, 3)),
            past_experience=rng.sample(data.PAST_ROLES, k=rng.randint(0, 2)),
            tags=rng.sample(
                ["conference", "alumni", "investor", "customer", "mentor"], k=rng.randint(0, 2)
            ),
            connected_on=today - timedelta(days=rng.randint(30, 2500)),
            source="demo",
            source_key=f"demo-{contact_id}",
            stage=RelationshipStage.NEW,
            cadence_days=rng.choice([None, 90, 180, 365]),
        )
        snapshot.contacts.append(contact)
        city_of[contact_id] = city

    # Two saved cafés per city, near the centre.
    venues_in: dict[str, list[Venue]] = {}
    venue_id = 0
    for city in cities:
        for street in city.streets[:2]:
            venue_id += 1
            lat, lon = _jitter(rng, city.lat, city.lon, 2.5)
            venue = Venue(
                id=venue_id,
                name=f"{rng.choice(data.CAFE_NAMES)} {city.name}",
                address=f"{street} {rng.randint(2, 180)}, {city.name}",
                lat=lat,
                lon=lon,
                kind="cafe",
                source="saved",
                timezone=city.timezone,
                notes=rng.choice(["Quiet before 10.", "Good wifi.", "Outdoor tables.", None]),
            )
            snapshot.venues.append(venue)
            venues_in.setdefault(city.name, []).append(venue)

    # Three upcoming trips.
    for trip_id, (name, offset, length, hotel) in enumerate(TRIP_PLAN, start=1):
        city = _city(name)
        start = today + timedelta(days=offset)
        base_lat, base_lon = _jitter(rng, city.lat, city.lon, 1.5)
        snapshot.trips.append(
            Trip(
                id=trip_id,
                name=f"{city.name} {start:%B %Y}",
                place_text=f"{city.name}, {city.country}",
                lat=city.lat,
                lon=city.lon,
                timezone=city.timezone,
                country_code=city.country_code,
                start_date=start,
                end_date=start + timedelta(days=length),
                base_address=f"{hotel}, {city.name}",
                base_lat=base_lat,
                base_lon=base_lon,
            )
        )

    # Twenty past meetings, each with a debrief; some leave a follow-up.
    met = rng.sample(range(1, CONTACT_COUNT + 1), k=MEETING_COUNT)
    for meeting_id, contact_id in enumerate(sorted(met), start=1):
        city = city_of[contact_id]
        venue = rng.choice(venues_in[city.name])
        day = today - timedelta(days=rng.randint(20, 420))
        start = _local_to_utc(
            day, rng.choice([9, 10, 11, 15, 16]), rng.choice([0, 30]), city.timezone
        )
        snapshot.meetings.append(
            _meeting(meeting_id, contact_id, start, city.timezone, MeetingStatus.DONE, venue.id)
        )
        snapshot.debriefs.append(
            Debrief(
                meeting_id=meeting_id,
                food_drink=rng.choice(data.DEBRIEF_FOOD),
                service=rng.choice(data.DEBRIEF_SERVICE),
                weather_journey=rng.choice(data.DEBRIEF_WEATHER),
                in_common=rng.choice(data.DEBRIEF_COMMON),
                disliked=rng.choice(data.DEBRIEF_DISLIKED),
                business=rng.choice(data.DEBRIEF_BUSINESS),
                ambitions=rng.choice(data.DEBRIEF_AMBITIONS),
                challenges=rng.choice(data.DEBRIEF_CHALLENGES),
                learned=rng.choice(data.DEBRIEF_LEARNED),
                rating=rng.randint(3, 5),
            )
        )
        contact = snapshot.contacts[contact_id - 1]
        contact.last_met = day
        contact.stage = RelationshipStage.MET
        if meeting_id % 3 == 0:
            snapshot.follow_ups.append(
                FollowUp(
                    contact_id=contact_id,
                    meeting_id=meeting_id,
                    text=rng.choice(data.FOLLOW_UPS),
                    due=today + timedelta(days=rng.randint(-5, 30)),
                )
            )

    _add_recent_meetings(snapshot, today, city_of, venues_in)

    home = _city(HOME_CITY)
    snapshot.user_locations.append(
        UserLocation(
            kind="home",
            text=f"{home.name}, {home.country}",
            lat=home.lat,
            lon=home.lon,
            timezone=home.timezone,
            country_code=home.country_code,
        )
    )
    snapshot.target_companies = [TargetCompany(name=name) for name in data.TARGET_COMPANIES]
    snapshot.criteria = ConnectionCriteria(
        avoid_industries=["Staffing & Recruiting"], avoid_titles=["recruiter"]
    )
    return snapshot


def _add_recent_meetings(
    snapshot: NetworkSnapshot,
    today: date,
    city_of: dict[int, data.DemoCity],
    venues_in: dict[str, list[Venue]],
) -> None:
    """Two confirmed meetings to come and three held but not yet debriefed.

    Fixed choices, no draws from the seeded generator, so nothing drawn before changes.
    Each is with the last contact of its city never met, far from the low ids the tests
    use; last-met dates are left alone, as only a debrief moves them.
    """
    taken: set[int] = set()
    meeting_id = len(snapshot.meetings)
    for city_name, offset, hour, minute in (*UPCOMING_PLAN, *DEBRIEF_DUE_PLAN):
        city = _city(city_name)
        here = [cid for cid, c in city_of.items() if c.name == city_name and cid not in taken]
        never_met = [cid for cid in here if snapshot.contacts[cid - 1].last_met is None]
        contact_id = max(never_met or here)
        taken.add(contact_id)
        meeting_id += 1
        day = today + timedelta(days=offset)
        while day.weekday() >= 5:  # Saturday, Sunday
            day += timedelta(days=1 if offset > 0 else -1)
        start = _local_to_utc(day, hour, minute, city.timezone)
        venue_id = venues_in[city_name][0].id
        snapshot.meetings.append(
            _meeting(
                meeting_id, contact_id, start, city.timezone, MeetingStatus.CONFIRMED, venue_id
            )
        )


def _linkedin_time(moment: datetime) -> str:
    """A time as LinkedIn's export writes it: "11/20/26, 09:15 AM"."""
    return moment.strftime("%m/%d/%y, %I:%M %p")


def demo_invitations_csv(snapshot: NetworkSnapshot, today: date, seed: int = DEMO_SEED) -> str:
    """The demo's pending invitations as LinkedIn's Invitations.csv, newest first.

    Drawn from a generator of their own (the network's draws stay as they were); sent in
    the two months before ``today``. Names are new but for two senders already known.
    """
    rng = random.Random(seed + 13)
    me, my_url = data.DEMO_USER
    my_first = me.split()[0]
    taken = {c.name for c in snapshot.contacts}
    home = _city(HOME_CITY)
    far_cities = [_city(name) for name in data.FAR_CITIES]
    near_cities = [c for c in data.CITIES if distance_km(home.lat, home.lon, c.lat, c.lon) < 1500]
    rows: list[tuple[datetime, list[str]]] = []

    def person(city: data.DemoCity) -> tuple[str, str]:
        first_pool, last_pool = data.NAME_POOLS[city.names]
        while True:
            name = f"{rng.choice(first_pool)} {rng.choice(last_pool)}"
            if name not in taken:
                taken.add(name)
                break
        slug = name.lower().replace(" ", "-")
        return name, f"https://www.linkedin.com/in/{slug}-{rng.randrange(16**6):06x}"

    def sent() -> datetime:
        day = today - timedelta(days=rng.randint(1, 60))
        return datetime.combine(day, time(rng.randint(7, 21), rng.choice([0, 5, 20, 35, 50])))

    def received(name: str, url: str, message: str) -> None:
        rows.append((sent(), [name, me, "", message, "INCOMING", url, my_url]))

    for kind, count in INVITATION_PLAN:
        for number in range(count):
            if kind == "far":
                city = far_cities[number % len(far_cities)]
                name, url = person(city)
                text = data.INVITATION_FAR[number % len(data.INVITATION_FAR)]
                received(name, url, text.format(me=my_first, city=city.name))
            elif kind == "recruiter":
                name, url = person(near_cities[number % len(near_cities)])
                text = data.INVITATION_RECRUITERS[number % len(data.INVITATION_RECRUITERS)]
                received(name, url, text.format(me=my_first))
            elif kind == "friendly":
                name, url = person(near_cities[number % len(near_cities)])
                text = data.INVITATION_FRIENDLY[number % len(data.INVITATION_FRIENDLY)]
                received(name, url, text.format(me=my_first))
            else:
                name, url = person(rng.choice(data.CITIES))
                text = data.INVITATION_SENT[number % len(data.INVITATION_SENT)]
                message = text.format(them=name.split()[0])
                rows.append((sent(), [me, name, "", message, "OUTGOING", my_url, url]))
    # Two who are contacts already: the last recruiter, and the last one in Tokyo.
    recruiter = max(
        (c for c in snapshot.contacts if c.industry == "Staffing & Recruiting"),
        key=lambda c: c.id or 0,
    )
    tokyo = max(
        (c for c in snapshot.contacts if (c.location_text or "").startswith("Tokyo")
         and c.industry != "Staffing & Recruiting"),
        key=lambda c: c.id or 0,
    )  # fmt: skip
    received(recruiter.name, recruiter.profile_url or "", f"Hi {my_first}, good to see you again.")
    received(tokyo.name, tokyo.profile_url or "", f"Hi {my_first}, let's meet when you are here.")
    rows.sort(key=lambda row: row[0], reverse=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INVITATIONS_HEADER)
    for moment, cells in rows:
        cells[2] = _linkedin_time(moment)
        writer.writerow(cells)
    return out.getvalue()


class DemoService:
    """Loads the demo network into an empty database."""

    def __init__(
        self, network: NetworkRepository, invitations: InvitationRepository | None = None
    ) -> None:
        self.network = network
        self.invitations = invitations or InvitationRepository(network.db)

    def load(self, today: date | None = None) -> dict[str, int]:
        """Store the demo network; refuses where the database already holds contacts."""
        if self.network.has_contacts():
            raise InputError(
                "The database already holds contacts; the demo network loads only into an "
                "empty database (use another --data-dir)."
            )
        today = today or date.today()
        snapshot = build_demo_network(today)
        counts = self.network.store(snapshot)
        # Read as the importer reads LinkedIn's file, so they are what an import gives.
        parsed = parse_invitations(demo_invitations_csv(snapshot, today), "Invitations.csv")
        counts["invitations"] = self.invitations.add_many([i for _, i in parsed.invitations])
        return counts

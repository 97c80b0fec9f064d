"""Nearby, trips and suggestions through the services, on a real database and a fake locator."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from netplanner.domain.entities import (
    Contact,
    FollowUp,
    LocationStatus,
    Meeting,
    TargetCompany,
    Trip,
    Venue,
)
from netplanner.domain.errors import InputError, NotFoundError
from netplanner.domain.network import NetworkSnapshot
from netplanner.services.context import AppContext
from netplanner.services.planning import PlanningService
from netplanner.storage.repositories import TripRepository
from netplanner.storage.repositories.geo_queries import GeoQueryRepository
from netplanner.storage.repositories.planning_inputs import PlanningInputRepository
from tests.unit.planning_fakes import FakeLocator

TODAY = date(2026, 11, 26)


def planner_for(context: AppContext) -> PlanningService:
    return PlanningService(
        FakeLocator(),
        GeoQueryRepository(context.db),
        TripRepository(context.db),
        PlanningInputRepository(context.db),
        context.settings,
        today=lambda: TODAY,
    )


def located(first: str, lat: float, lon: float, **fields: object) -> Contact:
    return Contact(
        first_name=first,
        last_name="Test",
        lat=lat,
        lon=lon,
        location_status=LocationStatus.FOUND,
        location_text=str(fields.pop("location_text", "Lisbon, Portugal")),
        **fields,  # type: ignore[arg-type]
    )


def test_nearby_returns_contacts_within_the_radius_nearest_first(context: AppContext) -> None:
    context.contact_repo.add_many(
        [
            located("Far", 38.90, -9.14),  # about 20 km north
            located("Near", 38.725, -9.14),
            located("Out", 41.15, -8.61),  # Porto
            Contact(first_name="Nowhere"),
        ]
    )
    planner = planner_for(context)
    found = planner.nearby(38.7223, -9.1393, 25)
    assert [(p.name, round(d)) for p, d in found] == [("Near Test", 0), ("Far Test", 20)]
    assert [p.name for p, _ in planner.nearby(38.7223, -9.1393, 400)][-1] == "Out Test"


def test_nearby_finds_contacts_across_the_antimeridian(context: AppContext) -> None:
    context.contact_repo.add_many(
        [located("West", -18.0, -179.9, location_text="Lau"), located("East", -18.1, 178.5)]
    )
    found = planner_for(context).nearby(-18.0, 179.9, 100)
    assert [p.name for p, _ in found] == ["West Test"]
    assert found[0][1] == pytest.approx(21.2, abs=0.2)


def test_nearby_on_an_empty_network_is_an_empty_list(context: AppContext) -> None:
    assert planner_for(context).nearby(52.52, 13.405) == []


@pytest.mark.parametrize("radius", [-1.0, 0.0, 50_000.0])
def test_a_bad_radius_is_a_clear_input_error(context: AppContext, radius: float) -> None:
    with pytest.raises(InputError, match="radius"):
        planner_for(context).nearby(52.52, 13.405, radius)


def test_an_unknown_place_names_the_closest_candidates(context: AppContext) -> None:
    with pytest.raises(NotFoundError) as caught:
        planner_for(context).resolve("Lisbn")
    assert str(caught.value) == "No place called 'Lisbn' is known; closest: 'Lisbon, Portugal'."
    with pytest.raises(NotFoundError, match="check the spelling"):
        planner_for(context).resolve("Qqq")


def test_add_trip_locates_the_place_and_the_base(context: AppContext) -> None:
    planner = planner_for(context)
    trip = planner.add_trip(
        "Lisbon", date(2026, 12, 8), date(2026, 12, 12), base="Hotel Avenida Palace, Lisbon"
    )
    assert trip.id is not None
    assert trip.name == "Lisbon December 2026"
    assert (trip.lat, trip.lon, trip.timezone) == (38.7223, -9.1393, "Europe/Lisbon")
    assert (trip.base_lat, trip.base_lon) == (38.7155, -9.1420)
    assert planner.list_trips() == [trip]


def test_a_base_the_locator_does_not_know_falls_back_to_the_trip_centre(
    context: AppContext,
) -> None:
    trip = planner_for(context).add_trip(
        "Berlin", date(2026, 12, 8), date(2026, 12, 9), name="Fair", base="Zimmer 12"
    )
    assert (trip.name, trip.base_address) == ("Fair", "Zimmer 12")
    assert (trip.base_lat, trip.base_lon) == (52.52, 13.405)


def test_a_place_without_a_zone_gets_one_from_its_coordinates(context: AppContext) -> None:
    trip = planner_for(context).add_trip("nowhere at sea", date(2026, 12, 8), date(2026, 12, 9))
    assert trip.timezone.startswith("Etc/") or trip.timezone == "UTC"


def test_trip_dates_in_the_wrong_order_are_refused_and_nothing_is_stored(
    context: AppContext,
) -> None:
    planner = planner_for(context)
    with pytest.raises(InputError, match="wrong order"):
        planner.add_trip("Lisbon", date(2026, 12, 12), date(2026, 12, 8))
    assert planner.list_trips() == []


def test_suggestions_for_a_trip_rank_down_the_booked_contact(context: AppContext) -> None:
    planner = planner_for(context)
    context.network_repo.store(
        NetworkSnapshot(
            contacts=[
                located("Booked", 38.716, -9.142, id=1, connected_on=TODAY - timedelta(400)),
                located(
                    "Target", 38.75, -9.15, id=2, company="Cobalt Ventures", connected_on=TODAY
                ),
                located("Plain", 38.72, -9.14, id=3, last_met=TODAY - timedelta(days=5)),
                located("Porto", 41.15, -8.61, id=4),
            ],
            follow_ups=[FollowUp(contact_id=3, text="Send the deck", due=TODAY)],
            target_companies=[TargetCompany(name="Cobalt Ventures")],
        )
    )
    trip = planner.add_trip(
        "Lisbon", date(2026, 12, 8), date(2026, 12, 12), base="Hotel Avenida Palace, Lisbon"
    )
    assert trip.id is not None
    context.meeting_repo.add(
        Meeting(
            contact_ids=[1],
            start_utc=datetime(2026, 12, 9, 10, tzinfo=UTC),
            end_utc=datetime(2026, 12, 9, 11, tzinfo=UTC),
            tzid="Europe/Lisbon",
            uid="m1@test",
        )
    )
    found = planner.suggest(planner.request_for_trip(trip.id))
    assert [s.contact.name for s in found] == ["Target Test", "Plain Test", "Booked Test"]
    assert found[0].reasons[0].endswith("from your hotel")
    assert "works at Cobalt Ventures, one of your target companies" in found[0].reasons
    assert "follow-up due: send the deck" in found[1].reasons
    assert found[2].reasons[-1] == "already booked on this trip"


def test_suggest_at_a_place_uses_the_coming_week_and_the_limit(context: AppContext) -> None:
    context.contact_repo.add_many([located(f"P{i}", 38.72 + i / 1000, -9.14) for i in range(5)])
    planner = planner_for(context)
    request = planner.request_at("Lisbon")
    assert (request.start, request.end, request.label) == (TODAY, TODAY + timedelta(7), "Lisbon")
    assert len(planner.suggest(request, limit=3)) == 3
    with pytest.raises(InputError, match="limit"):
        planner.suggest(request, limit=0)
    with pytest.raises(InputError, match="wrong order"):
        planner.request_at("Lisbon", date(2026, 12, 5), date(2026, 12, 1))


def test_suggest_on_an_empty_network_is_empty(context: AppContext) -> None:
    planner = planner_for(context)
    assert planner.suggest(planner.request_at("Berlin")) == []


def test_home_and_current_location_are_set_through_the_locator(context: AppContext) -> None:
    from netplanner.services.locations import LocationService
    from netplanner.storage.repositories.user_locations import UserLocationRepository

    service = LocationService(UserLocationRepository(context.db), FakeLocator())
    assert service.get_home() is None
    home = service.set_home("Berlin")
    assert (home.kind, home.text, home.timezone) == ("home", "Berlin, Germany", "Europe/Berlin")
    service.set_home("Lisbon")
    assert service.get_home() is not None and service.get_home().text == "Lisbon, Portugal"  # type: ignore[union-attr]
    assert service.where_am_i() is not None and service.where_am_i().text == "Lisbon, Portugal"  # type: ignore[union-attr]
    service.set_current("Suva")
    assert service.where_am_i().text == "Suva, Fiji"  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        service.set_current("Atlantis")
    assert service.get_current().text == "Suva, Fiji"  # type: ignore[union-attr]


def test_nearby_near_the_north_pole_looks_over_every_longitude(context: AppContext) -> None:
    context.contact_repo.add_many(
        [located("Over", 89.8, 179.0, location_text="Arctic"), located("South", 88.0, 0.0)]
    )
    found = planner_for(context).nearby(89.9, 0.0, 50)
    assert [p.name for p, _ in found] == ["Over Test"]
    assert found[0][1] == pytest.approx(33.4, abs=0.1)


def test_coffee_slots_on_a_trip_avoid_the_users_other_meetings(context: AppContext) -> None:
    planner = planner_for(context)
    trip = planner.add_trip("Lisbon", date(2026, 12, 8), date(2026, 12, 8))
    assert trip.id is not None
    venue = context.venue_repo.add(
        Venue(name="Café", lat=38.71, lon=-9.14, timezone="Europe/Lisbon")
    )
    [contact] = context.contact_repo.add_many([located("Busy", 38.72, -9.14)])
    assert contact.id is not None
    context.meeting_repo.add(
        Meeting(
            contact_ids=[contact.id],
            start_utc=datetime(2026, 12, 8, 9, tzinfo=UTC),
            end_utc=datetime(2026, 12, 8, 10, tzinfo=UTC),
            tzid="Europe/Lisbon",
            uid="busy@test",
            venue_id=venue.id,
        )
    )
    slots = planner.coffee_slots(trip.id, venue, not_before=datetime(2026, 12, 1, tzinfo=UTC))
    # Same venue: 10 minutes to get ready again, then the next half hour.
    assert [s.local_text for s in slots] == [
        "2026-12-08T10:30",
        "2026-12-08T12:00",
        "2026-12-08T15:00",
    ]
    assert planner.coffee_slots(trip.id, venue, not_before=datetime(2027, 1, 1, tzinfo=UTC)) == []


def test_suggestions_for_a_trip_never_open_the_gazetteer(context: AppContext) -> None:
    from netplanner.services.planning import DeferredLocator

    opened: list[str] = []

    def open_locator() -> FakeLocator:
        opened.append("gazetteer")
        return FakeLocator()

    planner = PlanningService(
        DeferredLocator(open_locator),
        GeoQueryRepository(context.db),
        TripRepository(context.db),
        PlanningInputRepository(context.db),
        context.settings,
        today=lambda: TODAY,
    )
    trip = context.trip_repo.add(
        Trip(
            name="Lisbon",
            place_text="Lisbon, Portugal",
            lat=38.72,
            lon=-9.14,
            start_date=date(2026, 12, 8),
            end_date=date(2026, 12, 9),
            timezone="Europe/Lisbon",
        )
    )
    assert trip.id is not None
    context.contact_repo.add(located("Rui", 38.72, -9.14))
    [found] = planner.suggest(planner.request_for_trip(trip.id))
    assert found.reasons[0] == "0 m from the centre of Lisbon"
    assert opened == []
    planner.resolve("Lisbon")
    assert opened == ["gazetteer"]


def test_an_unknown_place_borrows_suggestions_from_name_completion(context: AppContext) -> None:
    from netplanner.domain.places import LocateResult, PlaceMatch
    from netplanner.services.planning import resolve_place

    class CompletingLocator:
        def locate(self, text: str) -> LocateResult:
            return LocateResult(text, None)

        def complete(self, prefix: str, limit: int = 10) -> list[PlaceMatch]:
            names = {"Lisb": ["Lisbon, Portugal", "Lisburn, United Kingdom"]}
            return [PlaceMatch(n, 0.0, 0.0) for n in names.get(prefix, [])][:limit]

    with pytest.raises(NotFoundError) as caught:
        resolve_place(CompletingLocator(), "Lisbn")
    assert str(caught.value) == (
        "No place called 'Lisbn' is known; closest: 'Lisbon, Portugal', 'Lisburn, United Kingdom'."
    )

"""The fairness rule for venues: shortest worst trip, then cafés, then good past meetings."""

from __future__ import annotations

from netplanner.domain.entities import Venue
from netplanner.domain.fairness import Point, rank_venues

USER = Point(38.7000, -9.2000)
CONTACT = Point(38.7000, -9.1000)  # about 8.7 km east of the user


def venue(venue_id: int, name: str, lon: float, kind: str = "cafe", lat: float = 38.7) -> Venue:
    return Venue(id=venue_id, name=name, lat=lat, lon=lon, kind=kind)


def test_the_venue_with_the_shortest_worst_trip_comes_first() -> None:
    at_user = venue(1, "Next to me", -9.2)  # 0 km for me, 8.7 km for them
    middle = venue(2, "Halfway", -9.15)  # 4.3 km for both
    near_them = venue(3, "Their corner", -9.11)
    options = rank_venues([at_user, near_them, middle], USER, CONTACT)
    assert [o.venue.name for o in options] == ["Halfway", "Their corner", "Next to me"]
    first = options[0]
    assert first.worst_trip_km == max(first.distance_user_km, first.distance_contact_km)
    assert first.worst_trip_km == 4.3


def test_at_an_equal_worst_trip_a_cafe_beats_a_restaurant() -> None:
    restaurant = venue(1, "A Bistro", -9.15, kind="restaurant")
    cafe = venue(2, "Z Café", -9.15, kind="cafe")
    options = rank_venues([restaurant, cafe], USER, CONTACT)
    assert [o.venue.name for o in options] == ["Z Café", "A Bistro"]


def test_at_an_equal_trip_and_kind_good_past_meetings_win() -> None:
    meh = venue(1, "A Meh Café", -9.15)
    loved = venue(2, "B Loved Café", -9.15)
    unknown = venue(3, "C New Café", -9.15)
    options = rank_venues([meh, loved, unknown], USER, CONTACT, ratings={1: 2.0, 2: 5.0})
    assert [o.venue.name for o in options] == ["B Loved Café", "C New Café", "A Meh Café"]


def test_the_contacts_workplace_and_the_users_hotel_are_never_offered() -> None:
    office = venue(1, "Lumen Payments HQ Café", -9.15)
    hotel_bar = venue(2, "Hotel Avenida Palace Lounge", -9.149)
    same_spot = venue(3, "Lobby Coffee", -9.2)
    fine = venue(4, "Fair Café", -9.14)
    options = rank_venues(
        [office, hotel_bar, same_spot, fine],
        USER,
        CONTACT,
        contact_company="Lumen Payments",
        hotel_name="Hotel Avenida Palace, Lisbon",
        hotel=USER,
    )
    assert [o.venue.name for o in options] == ["Fair Café"]


def test_venues_without_coordinates_are_left_out() -> None:
    options = rank_venues([Venue(id=1, name="Somewhere")], USER, CONTACT)
    assert options == []


def test_the_planner_moves_a_well_rated_venue_up_but_not_past_a_much_fairer_one() -> None:
    from netplanner.domain.fairness import favouring_rated

    halfway = venue(1, "Halfway", -9.15)  # 4.3 km worst trip
    loved = venue(2, "Loved, a bit off", -9.14)  # 5.2 km worst trip, rated 5 of 5
    far_loved = venue(3, "Loved, far off", -9.11)  # 7.8 km, rated 5 of 5
    plain = rank_venues([halfway, loved, far_loved], USER, CONTACT, ratings={2: 5.0, 3: 5.0})
    assert [o.venue.name for o in plain] == ["Halfway", "Loved, a bit off", "Loved, far off"]
    favoured = favouring_rated(plain)
    # 5.2 km counts as 4.2 km, shorter than 4.3; 7.8 km counts as 6.2 km, still behind.
    assert [o.venue.name for o in favoured] == ["Loved, a bit off", "Halfway", "Loved, far off"]
    assert favoured[0].worst_trip_km == plain[1].worst_trip_km  # the real distance is shown

"""A neutral venue: the one whose longer trip, of the two people's, is shortest.

Ranking: the worst trip (to 0.1 km, the precision shown), then the kind of place (a café
first), then how past meetings there went (the mean debrief rating; unknown counts as an
average 3 of 5). Two kinds of venue are never offered: the contact's own workplace (not
neutral) and the user's hotel (not neutral either, and rarely a good coffee).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from netplanner.domain.entities import Venue
from netplanner.domain.geo import distance_km

KIND_ORDER: Mapping[str, int] = {
    "cafe": 0,
    "coffee_shop": 0,
    "tea_house": 1,
    "bakery": 1,
    "restaurant": 2,
    "bar": 3,
}
OTHER_KIND = 2
NEUTRAL_RATING = 3.0
SAME_PLACE_KM = 0.05  # closer than this to the hotel, a venue is the hotel


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class VenueOption:
    """A venue with the trip each person would make to get there."""

    venue: Venue
    distance_user_km: float
    distance_contact_km: float
    worst_trip_km: float
    rating: float | None = None


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().replace(",", " ").split())


def kind_rank(kind: str) -> int:
    return KIND_ORDER.get(kind.casefold().replace(" ", "_"), OTHER_KIND)


def is_workplace(venue: Venue, company: str | None) -> bool:
    """Whether the venue is (at) the contact's company: its name carries the company's."""
    name, firm = _fold(venue.name), _fold(company)
    return len(firm) >= 3 and (firm in name or (len(name) >= 3 and name in firm))


def is_hotel(venue: Venue, hotel_name: str | None, hotel: Point | None) -> bool:
    """Whether the venue is the user's hotel, by name or by standing on the same spot."""
    if hotel_name:
        first = _fold(hotel_name.split(",")[0])
        name = _fold(venue.name)
        if len(first) >= 3 and (first == name or first in name or name in first):
            return True
    if hotel is not None and venue.lat is not None and venue.lon is not None:
        return distance_km(hotel.lat, hotel.lon, venue.lat, venue.lon) < SAME_PLACE_KM
    return False


def rank_venues(
    venues: Iterable[Venue],
    user: Point,
    contact: Point,
    contact_company: str | None = None,
    hotel_name: str | None = None,
    hotel: Point | None = None,
    ratings: Mapping[int, float] | None = None,
) -> list[VenueOption]:
    """The fair venues among ``venues``, best first; excluded and unplaced ones left out."""
    ratings = ratings or {}
    options: list[VenueOption] = []
    for venue in venues:
        if venue.lat is None or venue.lon is None:
            continue
        if is_workplace(venue, contact_company) or is_hotel(venue, hotel_name, hotel):
            continue
        to_user = round(distance_km(user.lat, user.lon, venue.lat, venue.lon), 1)
        to_contact = round(distance_km(contact.lat, contact.lon, venue.lat, venue.lon), 1)
        rating = ratings.get(venue.id) if venue.id is not None else None
        options.append(VenueOption(venue, to_user, to_contact, max(to_user, to_contact), rating))
    options.sort(
        key=lambda o: (
            o.worst_trip_km,
            kind_rank(o.venue.kind),
            -(o.rating if o.rating is not None else NEUTRAL_RATING),
            o.venue.name.casefold(),
        )
    )
    return options


# How much shorter a venue's worst trip counts per rating point above average, when the
# planner puts the places that went well first (a 5 of 5 counts as 20 % nearer).
RATED_FAVOUR_PER_POINT = 0.10


def favouring_rated(options: Iterable[VenueOption]) -> list[VenueOption]:
    """``options`` with venues rated above average in past debriefs moved up: their worst
    trip counts as shorter, by ``RATED_FAVOUR_PER_POINT`` per point above 3 of 5.

    The command line's ``venues`` keeps the plain order by worst trip (its documented
    contract); the window's planner uses this one and says why a venue moved up.
    """

    def counted(option: VenueOption) -> float:
        rating = option.rating if option.rating is not None else NEUTRAL_RATING
        favour = max(0.0, rating - NEUTRAL_RATING) * RATED_FAVOUR_PER_POINT
        return option.worst_trip_km * (1.0 - favour)

    return sorted(options, key=lambda o: (round(counted(o), 1), kind_rank(o.venue.kind)))

"""Venues between the user and a contact: the venue book, OpenStreetMap over a loopback server."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from netplanner.domain.entities import Contact, Venue
from netplanner.domain.errors import InputError
from netplanner.domain.fairness import Point
from netplanner.services.context import AppContext
from netplanner.services.venues import OSM_ATTRIBUTION, VenueFinder
from netplanner.settings import Settings
from netplanner.storage.repositories.geo_queries import GeoQueryRepository
from netplanner.storage.repositories.planning_inputs import PlanningInputRepository
from tests.unit.planning_fakes import FakeLocator

USER = Point(38.7155, -9.1420)  # the hotel
CONTACT = Contact(id=7, first_name="Ana", last_name="Costa", lat=38.7300, lon=-9.1000)

OVERPASS_ANSWER: dict[str, Any] = {
    "version": 0.6,
    "elements": [
        {
            "type": "node",
            "id": 101,
            "lat": 38.7230,
            "lon": -9.1210,
            "tags": {
                "amenity": "cafe",
                "name": "Café Fair",
                "addr:street": "Rua Augusta",
                "addr:housenumber": "12",
                "addr:city": "Lisboa",
            },
        },
        {
            "type": "way",
            "id": 202,
            "center": {"lat": 38.7250, "lon": -9.1150},
            "tags": {"amenity": "cafe", "name": "Way Café"},
        },
        {"type": "node", "id": 303, "lat": 38.72, "lon": -9.12, "tags": {"amenity": "cafe"}},
    ],
}


class OverpassHandler(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, str]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        type(self).requests.append(
            {"query": form["data"][0], "agent": self.headers.get("User-Agent", "")}
        )
        body = json.dumps(OVERPASS_ANSWER).encode() if self.status == 200 else b"busy"
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


@pytest.fixture
def overpass() -> Iterator[str]:
    OverpassHandler.requests = []
    OverpassHandler.status = 200
    server = HTTPServer(("127.0.0.1", 0), OverpassHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/interpreter"
    server.shutdown()
    server.server_close()


def finder(context: AppContext, endpoint: str = "", cache: Path | None = None) -> VenueFinder:
    settings = Settings()
    settings.venues.online = True
    settings.venues.overpass_endpoint = endpoint
    return VenueFinder(
        GeoQueryRepository(context.db),
        PlanningInputRepository(context.db),
        FakeLocator(),
        settings,
        cache or context.paths.cache_dir,
    )


def test_saved_venues_are_ranked_by_the_worst_trip(context: AppContext) -> None:
    context.venue_repo.add(Venue(name="Near Me", lat=38.7160, lon=-9.1400))
    context.venue_repo.add(Venue(name="Halfway", lat=38.7230, lon=-9.1210))
    context.venue_repo.add(Venue(name="In Porto", lat=41.15, lon=-8.61))
    answer = finder(context).find(USER, CONTACT)
    assert [o.venue.name for o in answer.options] == ["Halfway", "Near Me"]
    assert answer.options[0].worst_trip_km == 2.0
    assert answer.notes == [] and answer.attribution is None


def test_openstreetmap_cafes_come_with_their_attribution(
    context: AppContext, overpass: str
) -> None:
    answer = finder(context, overpass).find(USER, CONTACT, online=True)
    assert [o.venue.name for o in answer.options] == ["Café Fair", "Way Café"]
    fair = answer.options[0].venue
    assert (fair.source, fair.source_key, fair.address) == (
        "openstreetmap",
        "node/101",
        "Rua Augusta 12, Lisboa",
    )
    assert answer.attribution == OSM_ATTRIBUTION
    [sent] = OverpassHandler.requests
    assert sent["agent"].startswith("NetPlanner/")
    assert '"amenity"="cafe"' in sent["query"] and "around:" in sent["query"]


def test_a_second_identical_search_is_answered_from_the_cache(
    context: AppContext, overpass: str
) -> None:
    first = finder(context, overpass).find(USER, CONTACT, online=True)
    again = finder(context, overpass).find(USER, CONTACT, online=True)
    assert [o.venue.name for o in again.options] == [o.venue.name for o in first.options]
    assert len(OverpassHandler.requests) == 1


def test_offline_sends_nothing(context: AppContext, overpass: str) -> None:
    finder(context, overpass).find(USER, CONTACT, online=False)
    assert OverpassHandler.requests == []


def test_a_failing_service_falls_back_to_the_venue_book_with_a_note(
    context: AppContext, overpass: str
) -> None:
    OverpassHandler.status = 429
    context.venue_repo.add(Venue(name="Halfway", lat=38.7230, lon=-9.1210))
    answer = finder(context, overpass).find(USER, CONTACT, online=True)
    assert [o.venue.name for o in answer.options] == ["Halfway"]
    assert answer.notes == ["OpenStreetMap answered HTTP 429; showing saved venues only."]


def test_an_unreachable_service_is_a_note_not_a_crash(context: AppContext) -> None:
    answer = finder(context, "http://127.0.0.1:9/api").find(USER, CONTACT, online=True)
    assert answer.options == []
    assert answer.notes[0].startswith("OpenStreetMap could not be reached")


def test_nothing_in_the_book_and_offline_explains_and_offers_the_midpoint(
    context: AppContext,
) -> None:
    context.contact_repo.add(
        Contact(first_name="Rui", lat=38.72, lon=-9.13, location_text="Lisbon, Portugal")
    )
    answer = finder(context).find(USER, CONTACT)
    assert answer.options == []
    lat, lon = answer.midpoint
    assert answer.nearest_place == "Lisbon, Portugal"
    assert answer.notes == [
        "No venue between you and Ana Costa was found in your venue book and online search "
        f"is off; meet around the midpoint {lat:.4f}, {lon:.4f} (near Lisbon, Portugal)."
    ]


def test_a_gazetteer_that_can_name_a_point_is_asked_first(context: AppContext) -> None:
    from netplanner.domain.places import PlaceMatch

    class NamingLocator(FakeLocator):
        def nearest(self, lat: float, lon: float) -> PlaceMatch:
            return PlaceMatch("Baixa, Lisbon", lat, lon)

    venue_finder = finder(context)
    venue_finder.locator = NamingLocator()
    assert venue_finder.find(USER, CONTACT).nearest_place == "Baixa, Lisbon"


def test_a_contact_far_away_gets_a_note(context: AppContext) -> None:
    berlin = Contact(id=8, first_name="Jonas", last_name="Weber", lat=52.52, lon=13.405)
    answer = finder(context).find(USER, berlin)
    assert answer.notes[0].startswith("Jonas Weber is 2,3")


def test_a_contact_without_coordinates_is_a_clear_error(context: AppContext) -> None:
    with pytest.raises(InputError, match="no known location"):
        finder(context).find(USER, Contact(id=9, first_name="Lost"))

"""``trips``, ``suggest``, ``venues``, ``nearby`` and ``trip add`` as a user runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netplanner.paths import resource

NEEDS_LOCATOR = pytest.mark.skipif(
    not resource("gazetteer.sqlite").is_file(),
    reason="place lookup needs resources/gazetteer.sqlite, which `make` builds",
)

TRIP_KEYS = {"id", "name", "place", "lat", "lon", "timezone", "from", "to"}
SUGGEST_KEYS = {"id", "name", "company", "distance_km", "score", "reasons"}
VENUE_KEYS = {
    "name",
    "address",
    "lat",
    "lon",
    "kind",
    "source",
    "distance_user_km",
    "distance_contact_km",
    "worst_trip_km",
}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database for the read-only tests of this module (loading it takes a second)."""
    return tmp_path_factory.mktemp("planning-demo")


@pytest.fixture
def demo_cli(cli: Any, demo_dir: Path) -> Any:
    if not (demo_dir / "netplanner.sqlite").exists():
        assert cli("demo", data=demo_dir).code == 0

    def run(*args: str) -> Any:
        return cli(*args, data=demo_dir)

    return run


def test_trips_lists_the_demo_trips(demo_cli: Any) -> None:
    result = demo_cli("trips", "--json")
    assert result.code == 0
    trips = result.json()
    assert [t["id"] for t in trips] == [1, 2, 3]
    assert all(set(t) >= TRIP_KEYS for t in trips)
    assert trips[0]["place"] == "Lisbon, Portugal" and trips[0]["timezone"] == "Europe/Lisbon"


def test_suggest_for_a_trip_ranks_contacts_with_reasons(demo_cli: Any) -> None:
    result = demo_cli("suggest", "--trip", "1", "--json")
    assert result.code == 0, result.stderr
    found = result.json()
    assert found, "the demo has contacts in Lisbon"
    assert all(set(s) == SUGGEST_KEYS for s in found)
    scores = [s["score"] for s in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s["distance_km"] <= 25 for s in found)
    assert all(s["reasons"] and s["reasons"][0].endswith("from your hotel") for s in found)
    assert any("never met" in r for s in found for r in s["reasons"])


def test_suggest_for_people_in_miles(demo_cli: Any) -> None:
    result = demo_cli("suggest", "--trip", "1", "--limit", "3", "--unit", "mi")
    assert result.code == 0
    assert " 1. [" in result.stdout and "mi from your hotel" in result.stdout
    assert " 4. [" not in result.stdout


def test_venues_for_a_contact_on_a_trip_are_sorted_by_worst_trip(demo_cli: Any) -> None:
    top = demo_cli("suggest", "--trip", "1", "--json").json()[0]
    result = demo_cli("venues", "--contact", str(top["id"]), "--trip", "1", "--json")
    assert result.code == 0, result.stderr
    venues = result.json()
    assert venues, result.stderr
    assert all(set(v) >= VENUE_KEYS for v in venues)
    worst = [v["worst_trip_km"] for v in venues]
    assert worst == sorted(worst)
    for v in venues:
        assert v["worst_trip_km"] == max(v["distance_user_km"], v["distance_contact_km"])
        assert v["source"] == "saved" and "Lisbon" in v["name"]


def test_venues_with_nothing_near_say_why(demo_cli: Any) -> None:
    # A Lisbon contact while in Tokyo: no saved venue near the midpoint.
    top = demo_cli("suggest", "--trip", "1", "--json").json()[0]
    result = demo_cli("venues", "--contact", str(top["id"]), "--trip", "2")
    assert result.code == 0
    assert "No venue between you and" in result.stdout
    assert "meet around the midpoint" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("suggest", "--trip", "99"), "There is no trip with id 99."),
        (("suggest", "--trip", "1", "--radius", "-2"), "The radius must be more than 0 km"),
        (("suggest", "--trip", "1", "--radius", "99999"), "more than the Earth allows"),
        (("suggest", "--trip", "1", "--from", "2026-12-01"), "--from and --to go with --at"),
        (("venues", "--contact", "9999", "--trip", "1"), "There is no contact with id 9999."),
    ],
)
def test_bad_input_is_one_sentence_and_exit_3(
    demo_cli: Any, args: tuple[str, ...], message: str
) -> None:
    result = demo_cli(*args)
    assert result.code == 3
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(cli: Any) -> None:
    assert cli("suggest").code == 2
    assert cli("venues", "--trip", "1").code == 2


def test_an_empty_network_has_no_trips_and_crashes_nothing(cli: Any) -> None:
    assert cli("trips", "--json").json() == []
    result = cli("trips")
    assert result.code == 0 and "No trips yet" in result.stdout
    assert cli("suggest", "--trip", "1").code == 3


@NEEDS_LOCATOR
def test_nearby_lists_contacts_by_distance(demo_cli: Any) -> None:
    result = demo_cli("nearby", "Lisbon", "--json")
    assert result.code == 0, result.stderr
    found = result.json()
    assert found and all(
        set(c) == {"id", "name", "company", "location", "distance_km"} for c in found
    )
    distances = [c["distance_km"] for c in found]
    assert distances == sorted(distances) and distances[-1] <= 25
    assert all("Lisbon" in (c["location"] or "") for c in found)


@NEEDS_LOCATOR
def test_trip_add_then_suggest_at_a_place(cli: Any) -> None:
    result = cli("trip", "add", "Lisbon", "--from", "2026-12-03", "--to", "2026-12-05", "--json")
    assert result.code == 0, result.stderr
    trip = result.json()
    assert set(trip) >= TRIP_KEYS
    assert (trip["from"], trip["to"], trip["timezone"]) == (
        "2026-12-03",
        "2026-12-05",
        "Europe/Lisbon",
    )
    assert abs(trip["lat"] - 38.72) < 0.2 and abs(trip["lon"] + 9.14) < 0.2
    assert cli("trips", "--json").json() == [trip]
    assert cli("suggest", "--at", "Lisbon", "--json").json() == []


@NEEDS_LOCATOR
def test_place_errors_exit_3_and_write_nothing(cli: Any) -> None:
    unknown = cli("trip", "add", "Xqzwvtt", "--from", "2026-12-03", "--to", "2026-12-05")
    assert unknown.code == 3 and "No place called 'Xqzwvtt'" in unknown.stderr
    backwards = cli("trip", "add", "Lisbon", "--from", "2026-12-05", "--to", "2026-12-03")
    assert backwards.code == 3 and "wrong order" in backwards.stderr
    bad_date = cli("trip", "add", "Lisbon", "--from", "3/12/2026", "--to", "2026-12-03")
    assert bad_date.code == 3 and "write dates like 2026-12-03" in bad_date.stderr
    assert cli("trips", "--json").json() == []
    assert cli("nearby", "Lisbon", "--radius", "-1").code == 3


def test_venues_online_adds_openstreetmap_cafes_with_attribution(
    demo_cli: Any, demo_dir: Path
) -> None:
    import threading
    from http.server import HTTPServer

    from tests.unit.test_venues import OverpassHandler

    OverpassHandler.requests = []
    OverpassHandler.status = 200
    server = HTTPServer(("127.0.0.1", 0), OverpassHandler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    settings = demo_dir / "config" / "settings.toml"
    settings.parent.mkdir(exist_ok=True)
    settings.write_text(
        "[venues]\nonline = true\n"
        f'overpass_endpoint = "http://127.0.0.1:{server.server_address[1]}/api/interpreter"\n',
        encoding="utf-8",
    )
    try:
        top = demo_cli("suggest", "--trip", "1", "--json").json()[0]
        offline = demo_cli("venues", "--contact", str(top["id"]), "--trip", "1", "--json")
        assert offline.code == 0 and offline.json(), offline.stderr
        assert OverpassHandler.requests == []
        result = demo_cli(
            "venues", "--contact", str(top["id"]), "--trip", "1", "--online", "--limit", "20"
        )
    finally:
        settings.unlink()
        server.shutdown()
        server.server_close()
    assert result.code == 0, result.stderr
    assert len(OverpassHandler.requests) == 1
    assert "Café Fair" in result.stdout and "openstreetmap" in result.stdout
    assert result.stdout.rstrip().endswith("© OpenStreetMap contributors")
    assert all(v["source"] == "saved" for v in offline.json())

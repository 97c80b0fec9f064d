"""``netplanner locate``, ``geocode`` and ``contact set-location`` as a user runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netplanner.domain.entities import Contact
from netplanner.paths import resource
from netplanner.services.context import build_context

pytestmark = pytest.mark.skipif(
    not resource("gazetteer.sqlite").is_file(),
    reason="resources/gazetteer.sqlite is missing: 'make test' builds it first",
)

LOCATE_KEYS = {
    "query",
    "found",
    "lat",
    "lon",
    "name",
    "country_code",
    "admin1",
    "timezone",
    "source",
    "candidates",
}


def _seed(data_dir: Path, *locations: str) -> list[int]:
    context = build_context(data_dir)
    try:
        stored = context.contact_repo.add_many(
            [Contact(first_name=f"P{i}", location_text=text) for i, text in enumerate(locations)]
        )
        return [c.id or 0 for c in stored]
    finally:
        context.close()


def test_locate_answers_each_place_in_order(cli: Any) -> None:
    result = cli("locate", "Cambridge, MA", "Remote", "Greater Seattle Area", "--json")
    assert result.code == 0, result.stderr
    answers = result.json()
    assert [a["query"] for a in answers] == ["Cambridge, MA", "Remote", "Greater Seattle Area"]
    assert all(set(a) >= LOCATE_KEYS for a in answers)
    cambridge, remote, seattle = answers
    assert cambridge["found"] and cambridge["admin1"] == "Massachusetts"
    assert cambridge["country_code"] == "US" and cambridge["source"] == "geonames"
    assert cambridge["timezone"] == "America/New_York"
    assert (remote["found"], remote["lat"], remote["name"], remote["candidates"]) == (
        False,
        None,
        None,
        0,
    )
    assert seattle["name"] == "Seattle, Washington, United States"


def test_locate_explains_which_part_named_the_place_and_what_it_set_aside(cli: Any) -> None:
    result = cli("locate", "Friedrichstraße 43-45, 10117 Berlin", "Palermo, Buenos Aires", "--json")
    assert result.code == 0, result.stderr
    berlin, palermo = result.json()
    assert berlin["name"] == "Berlin, Germany"
    assert berlin["matched"] == "Berlin"
    assert berlin["ignored"] == ["Friedrichstraße 43-45", "10117"]
    # The district is not in the gazetteer: the city beside it is the answer, not Sicily.
    assert palermo["country_code"] == "AR"
    assert palermo["matched"] == "Buenos Aires"
    assert palermo["ignored"] == ["Palermo"]


def test_locate_online_when_switched_off_says_it_stays_offline(cli: Any) -> None:
    result = cli("locate", "Lisbon", "--online", "--json")
    assert result.code == 0
    assert result.json()[0]["source"] == "geonames"
    assert "offline" in result.stderr


def test_locate_prints_a_table_for_people(cli: Any) -> None:
    result = cli("locate", "München")
    assert result.code == 0
    assert "Munich, Bavaria, Germany" in result.stdout
    assert "GeoNames" in result.stdout


def test_geocode_places_contacts_and_a_second_run_finds_nothing_left(
    cli: Any, data_dir: Path
) -> None:
    _seed(data_dir, "Berlin", "berlin", "Remote", "Paris, TX")
    first = cli("geocode", "--json")
    assert first.code == 0, first.stderr
    report = first.json()
    assert {k: report[k] for k in ("located", "not_found", "failed", "requests")} == {
        "located": 3,
        "not_found": 1,
        "failed": 0,
        "requests": 0,
    }
    contacts = cli("contacts", "--json").json()
    berlin = [c for c in contacts if (c["location"] or "").lower() == "berlin"]
    assert len(berlin) == 2 and all(c["timezone"] == "Europe/Berlin" and c["lat"] for c in berlin)
    second = cli("geocode", "--json").json()
    assert second["located"] == 0 and second["requests"] == 0


def test_set_location_marks_the_contact_and_geocode_leaves_it(cli: Any, data_dir: Path) -> None:
    [contact_id] = _seed(data_dir, "Paris")
    result = cli("contact", "set-location", str(contact_id), "Paris, TX", "--json")
    assert result.code == 0, result.stderr
    document = result.json()
    assert document["id"] == contact_id
    assert document["location"] == "Paris, TX"
    assert document["timezone"] == "America/Chicago"
    assert cli("geocode").code == 0
    [after] = cli("contacts", "--json").json()
    assert after["timezone"] == "America/Chicago"


def test_set_location_of_an_unknown_place_exits_3_and_changes_nothing(
    cli: Any, data_dir: Path
) -> None:
    [contact_id] = _seed(data_dir, "Lisbon")
    result = cli("contact", "set-location", str(contact_id), "Qwxzv Nowhere")
    assert result.code == 3
    assert "Qwxzv Nowhere" in result.stderr and "Traceback" not in result.stderr
    [after] = cli("contacts", "--json").json()
    assert after["location"] == "Lisbon" and after["lat"] is None


def test_set_location_of_an_unknown_contact_exits_3(cli: Any) -> None:
    result = cli("contact", "set-location", "999", "Lisbon")
    assert result.code == 3
    assert "999" in result.stderr


def test_online_locate_and_geocode_use_the_configured_endpoint_and_cache(
    cli: Any, data_dir: Path
) -> None:
    from netplanner.settings import GeocodingSettings, Settings, save_settings
    from tests.unit.geocoding.nominatim_stub import NominatimStub

    with NominatimStub() as stub:
        settings = Settings(
            geocoding=GeocodingSettings(online=True, endpoint=stub.url, contact_email="a@b.org")
        )
        save_settings(settings, data_dir / "config" / "settings.toml")
        located = cli("locate", "Somewhere Nice", "--online", "--json")
        assert located.code == 0, located.stderr
        [answer] = located.json()
        assert (answer["found"], answer["source"]) == (True, "nominatim")
        assert answer["timezone"]  # from the coordinates, by tzfpy
        _seed(data_dir, "Somewhere Nice", "empty place", "somewhere nice")
        report = cli("geocode", "--online", "--json").json()
        assert {k: report[k] for k in ("located", "not_found", "failed", "requests")} == {
            "located": 2,
            "not_found": 1,
            "failed": 0,
            "requests": 1,  # "Somewhere Nice" was cached by locate
        }
        assert stub.record.texts() == ["Somewhere Nice", "empty place"]
        assert all(h["user-agent"].startswith("NetPlanner/") for h in stub.record.headers)

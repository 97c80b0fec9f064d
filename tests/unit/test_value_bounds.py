"""Values that were accepted and then broke other commands: refused where they come in.

Issue 14, defect 5: a year 1 start broke ``export ics`` (OverflowError), ``--radius inf``
was stored and ``--radius nan`` cleared the radius, ``NaN``/``Infinity`` coordinates made
``contacts --json`` print invalid JSON, and an unknown zone broke the meetings list.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netplanner.domain.entities import Contact, Meeting, Trip, Venue
from netplanner.services.context import AppContext
from netplanner.services.importers.normalise import check_record, need_checking


def _strict_json(text: str) -> Any:
    """JSON as other programs read it: ``NaN`` and ``Infinity`` are not JSON."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _one_sentence(stderr: str) -> None:
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "Traceback" not in stderr and "unexpected error" not in stderr


@pytest.mark.parametrize("start", ["0001-01-01T00:10", "9999-12-31T23:30", "2201-01-01T10:00"])
def test_a_meeting_start_outside_the_planning_years_is_refused(
    context: AppContext, cli: Any, start: str
) -> None:
    context.contact_repo.add(Contact("Ada"))
    context.close()

    added = cli("meeting", "add", "--contact", "1", "--start", start, "--tz", "Europe/Lisbon")

    assert added.code == 3, added.stderr
    _one_sentence(added.stderr)
    assert "1900" in added.stderr and "2200" in added.stderr
    assert cli("meetings", "--json").json() == []  # nothing half-saved


def test_a_meeting_in_the_planning_years_is_still_added_and_exported(
    context: AppContext, cli: Any, tmp_path: Path
) -> None:
    context.contact_repo.add(Contact("Ada"))
    context.close()
    added = cli("meeting", "add", "--contact", "1", "--start", "1900-01-02T10:00",
                "--tz", "Europe/Lisbon")  # fmt: skip
    assert added.code == 0, added.stderr
    out = tmp_path / "all.ics"
    exported = cli("export", "ics", "-o", str(out), "--all")
    assert exported.code == 0, exported.stderr
    assert "DTSTART" in out.read_text(encoding="utf-8")


def test_rescheduling_into_year_9999_is_refused(context: AppContext) -> None:
    from netplanner.domain.errors import InputError

    ada = context.contact_repo.add(Contact("Ada"))
    meeting = context.meetings.add([ada.id or 0], datetime(2026, 12, 3, 10), tz="Europe/Lisbon")
    with pytest.raises(InputError, match="1900–2200"):
        context.meetings.reschedule(meeting.id or 0, datetime(9999, 12, 31, 23, 30))
    assert context.meetings.get(meeting.id or 0).start_utc == meeting.start_utc


@pytest.mark.parametrize("radius", ["inf", "nan", "-inf", "1e9"])
def test_a_radius_that_is_no_distance_is_refused_and_the_old_one_kept(
    cli: Any, radius: str
) -> None:
    assert cli("criteria", "set", "--radius", "40").code == 0

    result = cli("criteria", "set", f"--radius={radius}")

    assert result.code == 3, result.stdout + result.stderr
    _one_sentence(result.stderr)
    assert cli("criteria", "show", "--json").json()["radius_km"] == 40.0


def test_contacts_json_stays_json_when_stored_coordinates_are_not_numbers(
    context: AppContext, cli: Any
) -> None:
    context.contact_repo.add(Contact("Ada", lat=math.inf, lon=-math.inf))
    context.close()

    result = cli("contacts", "--json")

    assert result.code == 0, result.stderr
    (ada,) = _strict_json(result.stdout)
    assert (ada["lat"], ada["lon"]) == (None, None)


def test_check_record_drops_coordinates_and_zones_that_are_not_real() -> None:
    contact = Contact("Ada", lat=math.nan, lon=math.inf, timezone="Mars/Olympus")
    refused, notes = check_record(contact)
    assert refused is None
    assert (contact.lat, contact.lon, contact.timezone) == (None, None, None)
    assert notes == [
        "the coordinates (nan, inf) are not a place on Earth and were left out",
        "the time zone 'Mars/Olympus' is not known and was left out",
    ]
    venue = Venue("Café", lat=91.0, lon=0.0, timezone="Europe/Lisbon")
    assert check_record(venue) == (
        None,
        ["the coordinates (91, 0) are not a place on Earth and were left out"],
    )
    assert venue.timezone == "Europe/Lisbon"


def test_check_record_refuses_records_that_cannot_do_without_the_bad_value() -> None:
    start = datetime(2026, 12, 3, 10, tzinfo=UTC)
    meeting = Meeting([1], start, start, tzid="Mars/Olympus", uid="u")
    assert check_record(meeting)[0] == "the time zone 'Mars/Olympus' is not known"
    old = Meeting([1], datetime(1, 1, 1, tzinfo=UTC), start, tzid="UTC", uid="u")
    assert check_record(old)[0] == "the date 0001-01-01 is outside the years 1900–2200"
    trip = Trip("Mars", "Olympus", math.nan, 0.0, start.date(), start.date(), "UTC")
    assert check_record(trip)[0] == "the coordinates (nan, 0) are not a place on Earth"


def test_a_file_is_checked_record_by_record_only_where_one_could_be_changed() -> None:
    plain = [Contact("Ada", company="Acme"), Contact("Bo", timezone=None)]
    assert not need_checking(plain, texts_clean=True)
    assert need_checking(plain, texts_clean=False)  # a text might hold a control character
    # One record of thousands with a place or a zone is enough to look at every record.
    for odd in (Contact("Cy", lat=91.0, lon=0.0), Contact("Di", timezone="Mars/Olympus")):
        assert need_checking([*plain, odd], texts_clean=True)
    start = datetime(2026, 12, 3, 10, tzinfo=UTC)
    assert need_checking([Meeting([1], start, start, tzid="UTC", uid="u")], texts_clean=True)
    # The fields the parser says it sets: a zone among them is still looked at.
    zoned = [*plain, Contact("Di", timezone="Mars/Olympus")]
    assert need_checking(zoned, texts_clean=True, fields=frozenset({"first_name", "timezone"}))
    assert not need_checking(plain, texts_clean=True, fields=frozenset({"first_name"}))


JSON_EXPORT = {
    "format": "netplanner",
    "version": 1,
    "contacts": [
        {"id": 1, "first_name": "Ada", "lat": math.nan, "lon": math.inf, "timezone": "Mars/Olympus"}
    ],
    "meetings": [
        {"contact_ids": [1], "start_utc": "2026-12-03T10:00:00+00:00",
         "end_utc": "2026-12-03T11:00:00+00:00", "tzid": "Mars/Olympus", "uid": "m@x"}
    ],
}  # fmt: skip


def test_a_json_import_leaves_out_unknown_zones_and_non_numbers(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(JSON_EXPORT), encoding="utf-8")  # writes NaN and Infinity
    imported = cli("import", str(path), "--json")
    assert imported.code == 0, imported.stderr
    listed = _strict_json(cli("contacts", "--json").stdout)
    assert [(c["lat"], c["lon"], c["timezone"]) for c in listed] == [(None, None, None)]
    assert cli("meetings", "--json").json() == []
    assert cli("meetings").code == 0

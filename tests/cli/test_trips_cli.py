"""``trip import``, ``trip edit`` and ``trip delete`` on the command line."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.unit.test_trip_import import write_calendar

# Dates relative to the real today: the command line imports against the clock.
SOON = date.today() + timedelta(days=60)


def _one_line_error(result: Any) -> None:
    assert result.code == 3, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def calendar_file(path: Path) -> Path:
    tokyo = ZoneInfo("Asia/Tokyo")
    return write_calendar(
        path,
        [
            {"uid": "lis-1", "summary": "Lisbon week", "location": "Lisbon, Portugal",
             "dtstart": SOON, "dtend": SOON + timedelta(days=4)},
            {"uid": "lis-2", "summary": "Client dinner", "location": "Lisboa",
             "dtstart": datetime.combine(SOON + timedelta(days=4), datetime.min.time())
             .replace(hour=20, tzinfo=ZoneInfo("Europe/Lisbon")),
             "dtend": datetime.combine(SOON + timedelta(days=4), datetime.min.time())
             .replace(hour=22, tzinfo=ZoneInfo("Europe/Lisbon"))},
            {"uid": "tyo-1", "summary": "Tokyo office", "location": "Tokyo",
             "dtstart": datetime.combine(SOON, datetime.min.time()).replace(hour=9, tzinfo=tokyo),
             "dtend": datetime.combine(SOON, datetime.min.time()).replace(hour=18, tzinfo=tokyo)},
            {"uid": "call-1", "summary": "Stand-up", "dtstart": datetime(2027, 1, 5, 9, 0)},
            {"uid": "old-1", "summary": "Berlin 2025", "location": "Berlin",
             "dtstart": date(2025, 3, 1), "dtend": date(2025, 3, 3)},
        ],
    )  # fmt: skip


def test_trip_import_creates_merged_trips_once(cli: Any, tmp_path: Path) -> None:
    path = calendar_file(tmp_path / "google.ics")
    dry = cli("trip", "import", str(path), "--dry-run", "--json")
    assert dry.code == 0, dry.stderr
    assert (dry.json()["created"], dry.json()["updated"]) == (2, 0)
    assert cli("trips", "--json").json() == []
    first = cli("trip", "import", str(path), "--json")
    assert first.code == 0, first.stderr
    answer = first.json()
    assert (answer["created"], answer["updated"]) == (2, 0)
    assert {"created", "updated", "skipped"} <= set(answer)
    assert sorted(answer["skipped"], key=lambda s: s["event"]) == [
        {"event": "Berlin 2025", "reason": "ended before today"},
        {"event": "Stand-up", "reason": "it has no location"},
    ]
    trips = {t["place"]: t for t in cli("trips", "--json").json()}
    assert set(trips) == {"Lisbon, Portugal", "Tokyo, Japan"}
    lisbon = trips["Lisbon, Portugal"]
    assert (lisbon["from"], lisbon["to"]) == (
        SOON.isoformat(),
        (SOON + timedelta(days=4)).isoformat(),
    )
    assert lisbon["name"] == "Lisbon week"
    again = cli("trip", "import", str(path), "--json").json()
    assert (again["created"], again["updated"]) == (0, 0)
    human = cli("trip", "import", str(path))
    assert human.code == 0 and "0 were created, 0 updated, 2 unchanged" in human.stdout


def test_trip_import_refuses_what_is_no_calendar_and_writes_nothing(
    cli: Any, tmp_path: Path
) -> None:
    not_ics = tmp_path / "contacts.csv"
    not_ics.write_text("First Name,Last Name\nAna,Silva\n")
    _one_line_error(cli("trip", "import", str(not_ics), "--json"))
    call = {"uid": "c", "summary": "Call", "dtstart": datetime(2027, 1, 5, 9, 0)}
    no_place = write_calendar(tmp_path / "calls.ics", [call])
    result = cli("trip", "import", str(no_place))
    _one_line_error(result)
    assert "no event with a location" in result.stderr
    _one_line_error(cli("trip", "import", str(tmp_path / "missing.ics")))
    assert cli("trips", "--json").json() == []


def test_trip_edit_and_delete(cli: Any) -> None:
    added = cli("trip", "add", "Lisbon", "--from", "2027-02-01", "--to", "2027-02-03",
                "--base", "Hotel Avenida Palace, Lisbon", "--json").json()  # fmt: skip
    edited = cli("trip", "edit", str(added["id"]), "--to", "2027-02-05", "--notes", "summit",
                 "--json")  # fmt: skip
    assert edited.code == 0, edited.stderr
    trip = edited.json()
    assert set(trip) >= {"id", "name", "place", "lat", "lon", "timezone", "from", "to"}
    assert (trip["id"], trip["from"], trip["to"], trip["notes"]) == (
        added["id"], "2027-02-01", "2027-02-05", "summit",
    )  # fmt: skip
    moved = cli("trip", "edit", str(added["id"]), "--place", "Porto", "--name", "Porto visit",
                "--json").json()  # fmt: skip
    assert (moved["place"], moved["name"]) == ("Porto, Portugal", "Porto visit")
    assert cli("trips", "--json").json() == [moved]

    _one_line_error(cli("trip", "edit", str(added["id"]), "--from", "2027-02-10"))
    unknown_place = cli("trip", "edit", str(added["id"]), "--place", "Lisbonn")
    _one_line_error(unknown_place)
    assert "Lisbon" in unknown_place.stderr
    _one_line_error(cli("trip", "edit", "999", "--name", "x"))
    assert cli("trips", "--json").json() == [moved]

    deleted = cli("trip", "delete", str(added["id"]), "--json")
    assert deleted.code == 0 and deleted.json()["deleted"] == 1
    assert cli("trips", "--json").json() == []
    _one_line_error(cli("trip", "delete", str(added["id"])))

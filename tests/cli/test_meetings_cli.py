"""The command line of meetings: add, export, debrief, brief, and bad input that writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject

from tests.conftest import run_cli_in_process
from tests.radicale_server import running_radicale


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database for the module: loading it for each test would cost seconds each."""
    path = tmp_path_factory.mktemp("demo-data")
    with pytest.MonkeyPatch.context() as patch:
        loaded = run_cli_in_process(patch, path, ["demo"])
    assert loaded.code == 0, loaded.stderr
    return path


@pytest.fixture
def demo_cli(cli: Any, demo_dir: Path) -> Any:
    """``cli`` against the module's demo database."""
    return lambda *args: cli(*args, data=demo_dir)


def test_meeting_added_exports_debriefs_and_briefs(demo_cli: Any, tmp_path: Path) -> None:
    added = demo_cli("meeting", "add", "--contact", "1", "--start", "2026-03-03T10:00",
                "--tz", "Europe/Lisbon", "--json")  # fmt: skip
    assert added.code == 0, added.stderr
    meeting = added.json()
    assert meeting["start_utc"] == "2026-03-03T10:00:00Z"
    assert meeting["end_utc"] == "2026-03-03T11:00:00Z"
    assert meeting["tzid"] == "Europe/Lisbon" and meeting["status"] == "proposed"
    assert meeting["uid"].endswith("@netplanner")
    assert {"id", "uid", "start_utc", "end_utc", "tzid", "status"} <= set(meeting)

    listed = demo_cli("meetings", "--json").json()
    mine = next(m for m in listed if m["id"] == meeting["id"])
    assert mine["contacts"] == [1] and mine["venue"] is None and mine["uid"] == meeting["uid"]
    assert set(mine) >= {"id", "uid", "contacts", "venue", "start_utc", "end_utc", "tzid", "status"}

    out = tmp_path / "meeting.ics"
    exported = demo_cli("export", "ics", "-o", str(out), "--meeting", str(meeting["id"]))
    assert exported.code == 0, exported.stderr
    event = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting["uid"]
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 3, 3, 10, tzinfo=UTC)
    second = vobject.readOne(out.read_text(encoding="utf-8")).vevent
    assert second.dtstart.value.astimezone(UTC) == datetime(2026, 3, 3, 10, tzinfo=UTC)
    with running_radicale(tmp_path / "radicale") as radicale:
        href = f"{radicale.calendar}meeting.ics"
        assert radicale.request("PUT", href, out.read_bytes())[0] == 201
        status, body = radicale.request("GET", href)
        assert status == 200 and meeting["uid"].encode() in body

    debrief = demo_cli("debrief", str(meeting["id"]), "--food", "Bica, pastel; both loved it",
                  "--business", "Cork exports to Japan", "--ambitions", "A Tokyo office",
                  "--follow-up", "Send the market report", "--due", "2026-12-10",
                  "--follow-up", "Introduce to Kenji", "--json")  # fmt: skip
    assert debrief.code == 0, debrief.stderr
    recorded = debrief.json()
    assert recorded["meeting_status"] == "done"
    assert recorded["food_drink"] == "Bica, pastel; both loved it"
    assert [(f["text"], f["due"]) for f in recorded["follow_ups"]] == [
        ("Send the market report", "2026-12-10"),
        ("Introduce to Kenji", None),
    ]

    brief = demo_cli("brief", "1", "--json")
    assert brief.code == 0, brief.stderr
    document = brief.json()
    assert {"contact", "meetings", "follow_ups", "questions"} <= set(document)
    assert document["contact"]["id"] == 1
    assert document["contact"]["last_met"] == "2026-03-03"
    last = document["meetings"][-1]
    assert last["id"] == meeting["id"] and last["shared"]["food_drink"].startswith("Bica")
    assert document["last_heard"]["business"] == "Cork exports to Japan"
    assert {"Send the market report", "Introduce to Kenji"} <= {
        f["text"] for f in document["follow_ups"]
    }
    assert any("A Tokyo office" in q for q in document["questions"])
    human = demo_cli("brief", "1")
    assert human.code == 0 and "Cork exports to Japan" in human.stdout
    assert "Questions worth asking" in human.stdout

    # The file for the contact's calendar holds none of it; --private is the user's own copy.
    shared_out, private_out = tmp_path / "shared.ics", tmp_path / "mine.ics"
    for path, extra in ((shared_out, ()), (private_out, ("--private",))):
        written = demo_cli(
            "export", "ics", "-o", str(path), "--meeting", str(meeting["id"]), *extra
        )
        assert written.code == 0, written.stderr
    shared_event = icalendar.Calendar.from_ical(shared_out.read_bytes()).walk("VEVENT")[0]
    private_event = icalendar.Calendar.from_ical(private_out.read_bytes()).walk("VEVENT")[0]
    assert "Cork exports to Japan" not in shared_out.read_text(encoding="utf-8")
    assert "Cork exports to Japan" in str(private_event["DESCRIPTION"])
    assert "ATTENDEE" in shared_event and "ATTENDEE" not in private_event


def _one_line_error(result: Any) -> None:
    assert result.code == 3, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_bad_input_exits_3_with_one_sentence_and_writes_nothing(
    demo_cli: Any, tmp_path: Path
) -> None:
    before = demo_cli("meetings", "--json").json()
    base = ["meeting", "add", "--start", "2026-12-03T10:00", "--tz", "Europe/Lisbon"]
    for args in (
        [*base, "--contact", "9999"],
        [*base, "--contact", "1", "--venue", "9999"],
        [*base, "--contact", "1", "--end", "2026-12-03T09:00"],
        [*base, "--contact", "1", "--venue-name", "New café", "--tz", "Mars/Base"],
        ["debrief", "9999", "--food", "nothing"],
        ["export", "ics", "-o", str(tmp_path / "no" / "such" / "dir.ics"), "--all"],
    ):  # fmt: skip
        _one_line_error(demo_cli(*args))
    gap = demo_cli("meeting", "add", "--contact", "1", "--start", "2026-03-29T02:30", "--tz",
              "Europe/Berlin")  # fmt: skip
    _one_line_error(gap)
    assert "2026-03-29T00:30:00Z" in gap.stderr and "2026-03-29T01:30:00Z" in gap.stderr
    assert demo_cli("meetings", "--json").json() == before
    assert list(tmp_path.glob("**/*.ics")) == []
    chosen = demo_cli("meeting", "add", "--contact", "1", "--start", "2026-03-29T02:30", "--tz",
                 "Europe/Berlin", "--fold", "1", "--json")  # fmt: skip
    assert chosen.code == 0 and chosen.json()["start_utc"] == "2026-03-29T00:30:00Z"


def test_cancel_then_export_is_a_cancellation(demo_cli: Any, tmp_path: Path) -> None:
    meeting = demo_cli("meeting", "add", "--contact", "5", "--venue", "1", "--start",
                  "2026-12-05T16:00", "--json").json()  # fmt: skip
    moved = demo_cli("meeting", "update", str(meeting["id"]), "--start", "2026-12-05T17:00",
                     "--json")  # fmt: skip
    assert moved.code == 0, moved.stderr
    assert moved.json()["start_local"] == "2026-12-05T17:00" and moved.json()["sequence"] == 1
    assert demo_cli("meeting", "cancel", str(meeting["id"])).code == 0
    out = tmp_path / "cancel.ics"
    assert demo_cli("export", "ics", "-o", str(out), "--meeting", str(meeting["id"])).code == 0
    event = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 2


def test_criteria_and_targets_from_the_command_line(demo_cli: Any) -> None:
    shown = demo_cli("criteria", "set", "--avoid-titles", "recruiter,talent partner", "--json")
    assert shown.code == 0 and shown.json()["avoid_titles"] == ["recruiter", "talent partner"]
    [one] = demo_cli("criteria", "check", "--contact", "1", "--json").json()
    assert one["id"] == 1
    if one["fits"]:
        assert one["verdict"] == "fits"
    else:
        assert one["verdict"].startswith("does not fit, because ")
    everyone = demo_cli("criteria", "check", "--json").json()
    assert len(everyone) == 150
    # The title just added is judged ("recruiter" was in the demo's criteria already).
    assert any(
        "talent partner, a role you avoid" in v["verdict"].casefold()
        for v in everyone
        if not v["fits"]
    )
    added = demo_cli("targets", "add", "Zebra Analytics", "--json")
    assert added.code == 0
    assert "Zebra Analytics" in [
        t["company"] for t in demo_cli("targets", "contacts", "--json").json()
    ]
    _one_line_error(demo_cli("targets", "add", "zebra analytics"))


def test_trips_are_read_from_a_calendar_file_once(demo_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "trips.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:summit-2027@test\r\nDTSTAMP:20261101T000000Z\r\n"
        b"SUMMARY:Web Summit\r\nLOCATION:Lisbon\\, Portugal\r\n"
        b"DTSTART;VALUE=DATE:20270110\r\nDTEND;VALUE=DATE:20270114\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    first = demo_cli("calendar", "import-trips", str(path), "--json")
    assert first.code == 0, first.stderr
    assert (first.json()["created"], first.json()["skipped"]) == (1, [])
    again = demo_cli("calendar", "import-trips", str(path), "--json").json()
    assert (again["created"], again["unchanged"]) == (0, 1)


def test_a_negative_radius_around_home_is_refused(demo_cli: Any) -> None:
    result = demo_cli("criteria", "set", "--radius", "-1")
    assert result.code == 3 and "positive number" in result.stderr
    assert demo_cli("criteria", "set", "--radius", "0").code == 0

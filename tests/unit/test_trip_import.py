"""Trips from a calendar: events merged by place and day, re-imports that change nothing twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import func, select

from netplanner.domain.errors import InputError
from netplanner.domain.trips import (
    CalendarStay,
    StayPlace,
    event_days,
    merge_stays,
)
from netplanner.services.context import AppContext
from netplanner.storage.models import TripEventRow, TripRow

TODAY = date(2026, 12, 1)
LISBON = StayPlace("Lisbon, Portugal", 38.7167, -9.1333, "Europe/Lisbon", "PT")
PORTO = StayPlace("Porto, Portugal", 41.1496, -8.611, "Europe/Lisbon", "PT")


def stay(uid: str, start: date, end: date, place: StayPlace = LISBON, summary: str = "") -> Any:
    return CalendarStay(uid, summary or uid, place, start, end)


def write_calendar(path: Path, events: list[dict[str, Any]]) -> Path:
    """An .ics file written by the icalendar library, as calendar programs export them."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//TripIt//Test//EN")
    calendar.add("version", "2.0")
    for spec in events:
        event = icalendar.Event()
        for key, value in spec.items():
            event.add(key, value)
        event.add("dtstamp", datetime(2026, 11, 1, 9, 0, tzinfo=ZoneInfo("UTC")))
        calendar.add_component(event)
    path.write_bytes(calendar.to_ical())
    return path


def tripit_like(path: Path) -> Path:
    """A TripIt-like export: an all-day trip, a flight, a dinner, a call without a place."""
    lisbon = ZoneInfo("Europe/Lisbon")
    return write_calendar(
        path,
        [
            # All-day, DTSTART;VALUE=DATE, exclusive DTEND: 10-13 January.
            {"uid": "trip-1@tripit", "summary": "Lisbon, January 2027",
             "location": "Lisbon, Portugal", "dtstart": date(2027, 1, 10),
             "dtend": date(2027, 1, 14)},
            # The day after: merges into the trip (timed, with a TZID).
            {"uid": "dinner-1@google", "summary": "Dinner with Ana",
             "location": "Cervejaria Ramiro, Av. Almirante Reis 1, 1150-007 Lisboa, Portugal",
             "dtstart": datetime(2027, 1, 14, 20, 0, tzinfo=lisbon),
             "dtend": datetime(2027, 1, 14, 22, 0, tzinfo=lisbon)},
            # Another city in the same days: its own trip.
            {"uid": "porto-1@outlook", "summary": "Porto office",
             "location": "Porto", "dtstart": date(2027, 1, 12), "dtend": date(2027, 1, 13)},
            # No place: not a trip.
            {"uid": "call-1@google", "summary": "Weekly call",
             "dtstart": datetime(2027, 1, 11, 9, 0, tzinfo=lisbon)},
            # Over before today.
            {"uid": "old-1@tripit", "summary": "Lisbon last year", "location": "Lisbon",
             "dtstart": date(2025, 5, 1), "dtend": date(2025, 5, 4)},
        ],
    )  # fmt: skip


@pytest.fixture
def planner_today(context: AppContext) -> AppContext:
    context.planner.today = lambda: TODAY
    return context


def trip_counts(context: AppContext) -> tuple[int, int]:
    with context.db.read() as session:
        trips = session.scalar(select(func.count()).select_from(TripRow))
        events = session.scalar(select(func.count()).select_from(TripEventRow))
    return int(trips or 0), int(events or 0)


# Merging (pure) -------------------------------------------------------------------------
def test_a_multi_day_event_is_one_trip() -> None:
    (trip,) = merge_stays([stay("a", date(2027, 1, 10), date(2027, 1, 13))])
    assert (trip.start, trip.end, trip.uids) == (date(2027, 1, 10), date(2027, 1, 13), ("a",))


def test_events_on_consecutive_days_in_one_place_merge() -> None:
    merged = merge_stays(
        [
            stay("b", date(2027, 1, 11), date(2027, 1, 11)),
            stay("a", date(2027, 1, 10), date(2027, 1, 10)),
            stay("c", date(2027, 1, 12), date(2027, 1, 14)),
        ]
    )
    assert len(merged) == 1
    assert (merged[0].start, merged[0].end) == (date(2027, 1, 10), date(2027, 1, 14))
    assert merged[0].uids == ("a", "b", "c")


def test_overlapping_and_same_day_events_merge_and_the_longest_names_the_trip() -> None:
    (trip,) = merge_stays(
        [
            stay("flight", date(2027, 1, 10), date(2027, 1, 10), summary="Flight to LIS"),
            stay("summit", date(2027, 1, 10), date(2027, 1, 13), summary="Web Summit"),
            stay("dinner", date(2027, 1, 12), date(2027, 1, 12), summary="Dinner"),
        ]
    )
    assert (trip.start, trip.end, trip.name) == (date(2027, 1, 10), date(2027, 1, 13), "Web Summit")
    assert set(trip.uids) == {"flight", "summit", "dinner"}


def test_the_same_days_in_different_cities_are_different_trips() -> None:
    merged = merge_stays(
        [stay("l", date(2027, 1, 10), date(2027, 1, 12)),
         stay("p", date(2027, 1, 11), date(2027, 1, 12), PORTO)]
    )  # fmt: skip
    assert sorted(m.place.name for m in merged) == ["Lisbon, Portugal", "Porto, Portugal"]


def test_a_gap_of_two_days_is_not_merged() -> None:
    merged = merge_stays(
        [stay("a", date(2027, 1, 10), date(2027, 1, 10)),
         stay("b", date(2027, 1, 13), date(2027, 1, 14))]
    )  # fmt: skip
    assert [m.uids for m in merged] == [("a",), ("b",)]


def test_event_days_read_all_day_ends_as_exclusive_and_midnight_as_the_day_before() -> None:
    assert event_days(date(2027, 1, 10), date(2027, 1, 14)) == (
        date(2027, 1, 10),
        date(2027, 1, 13),
    )
    assert event_days(date(2027, 1, 10), None) == (date(2027, 1, 10), date(2027, 1, 10))
    assert event_days(datetime(2027, 1, 10, 9), datetime(2027, 1, 12, 0, 0)) == (
        date(2027, 1, 10),
        date(2027, 1, 11),
    )


# Importing ------------------------------------------------------------------------------
def test_import_merges_skips_and_reports(planner_today: AppContext, tmp_path: Path) -> None:
    context = planner_today
    result = context.planner.import_trips(tripit_like(tmp_path / "tripit.ics"))
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    by_place = {item.place: item for item in result.trips}
    lisbon = by_place["Lisbon, Portugal"]
    assert (lisbon.start, lisbon.end) == (date(2027, 1, 10), date(2027, 1, 14))
    assert lisbon.name == "Lisbon, January 2027"
    assert set(lisbon.event_uids) == {"trip-1@tripit", "dinner-1@google"}
    assert (by_place["Porto, Portugal"].start, by_place["Porto, Portugal"].end) == (
        date(2027, 1, 12),
        date(2027, 1, 12),
    )
    reasons = {s.event: s.reason for s in result.skipped}
    assert reasons == {
        "Weekly call": "it has no location",
        "Lisbon last year": "ended before today",
    }
    stored = {t.place_text: t for t in context.planner.list_trips()}
    assert stored["Lisbon, Portugal"].source == "ics"
    assert stored["Lisbon, Portugal"].source_key == "trip-1@tripit"
    assert stored["Lisbon, Portugal"].timezone == "Europe/Lisbon"
    assert trip_counts(context) == (2, 3)


def test_reimport_of_same_file_creates_and_updates_nothing(
    planner_today: AppContext, tmp_path: Path
) -> None:
    path = tripit_like(tmp_path / "tripit.ics")
    planner_today.planner.import_trips(path)
    before = planner_today.planner.list_trips()
    again = planner_today.planner.import_trips(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert planner_today.planner.list_trips() == before


def test_a_changed_event_updates_its_trip_once(planner_today: AppContext, tmp_path: Path) -> None:
    path = tripit_like(tmp_path / "tripit.ics")
    planner_today.planner.import_trips(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    for event in calendar.walk("VEVENT"):
        if str(event["uid"]) == "porto-1@outlook":
            del event["dtend"]
            event.add("dtend", date(2027, 1, 15))  # now three days
    path.write_bytes(calendar.to_ical())
    changed = planner_today.planner.import_trips(path)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    porto = next(t for t in planner_today.planner.list_trips() if t.place_text.startswith("Porto"))
    assert (porto.start_date, porto.end_date) == (date(2027, 1, 12), date(2027, 1, 14))
    assert planner_today.planner.import_trips(path).updated == 0


def test_a_users_own_edit_survives_a_reimport(planner_today: AppContext, tmp_path: Path) -> None:
    path = tripit_like(tmp_path / "tripit.ics")
    planner_today.planner.import_trips(path)
    lisbon = next(t for t in planner_today.planner.list_trips() if t.place_text.startswith("Lis"))
    planner_today.planner.update_trip(lisbon.id or 0, name="Web Summit week", notes="stand B12")
    again = planner_today.planner.import_trips(path)
    assert (again.created, again.updated) == (0, 0)
    kept = planner_today.planner.get_trip(lisbon.id or 0)
    assert (kept.name, kept.notes) == ("Web Summit week", "stand B12")


def test_a_dry_run_reports_the_import_and_writes_nothing(
    planner_today: AppContext, tmp_path: Path
) -> None:
    path = tripit_like(tmp_path / "tripit.ics")
    preview = planner_today.planner.preview_trip_import(path)
    assert preview.dry_run and (preview.created, preview.updated) == (2, 0)
    assert all(item.trip_id is None and item.action == "create" for item in preview.trips)
    assert {s.reason for s in preview.skipped} == {"it has no location", "ended before today"}
    assert trip_counts(planner_today) == (0, 0)
    planner_today.planner.import_trips(path)
    assert planner_today.planner.preview_trip_import(path).unchanged == 2


def test_an_event_that_joins_two_trips_folds_them_into_one(
    planner_today: AppContext, tmp_path: Path
) -> None:
    first = write_calendar(
        tmp_path / "a.ics",
        [{"uid": "a", "summary": "A", "location": "Lisbon",
          "dtstart": date(2027, 2, 1), "dtend": date(2027, 2, 3)},
         {"uid": "c", "summary": "C", "location": "Lisbon",
          "dtstart": date(2027, 2, 6), "dtend": date(2027, 2, 8)}],
    )  # fmt: skip
    assert planner_today.planner.import_trips(first).created == 2
    joined = write_calendar(
        tmp_path / "b.ics",
        [{"uid": "a", "summary": "A", "location": "Lisbon",
          "dtstart": date(2027, 2, 1), "dtend": date(2027, 2, 3)},
         {"uid": "b", "summary": "B long stay", "location": "Lisbon",
          "dtstart": date(2027, 2, 3), "dtend": date(2027, 2, 6)},
         {"uid": "c", "summary": "C", "location": "Lisbon",
          "dtstart": date(2027, 2, 6), "dtend": date(2027, 2, 8)}],
    )  # fmt: skip
    result = planner_today.planner.import_trips(joined)
    assert (result.created, result.updated) == (0, 1)
    (trip,) = planner_today.planner.list_trips()
    assert (trip.start_date, trip.end_date) == (date(2027, 2, 1), date(2027, 2, 7))
    assert trip_counts(planner_today) == (1, 3)
    assert planner_today.planner.import_trips(joined).updated == 0


def test_a_file_that_is_not_a_calendar_writes_nothing(
    planner_today: AppContext, tmp_path: Path
) -> None:
    vcard = tmp_path / "contact.ics"
    vcard.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n")
    text = tmp_path / "notes.ics"
    text.write_text("name,email\nana,ana@example.com\n")
    for path in (vcard, text):
        with pytest.raises(InputError, match="is not a calendar file"):
            planner_today.planner.import_trips(path)
    assert trip_counts(planner_today) == (0, 0)


def test_a_calendar_without_a_located_event_writes_nothing(
    planner_today: AppContext, tmp_path: Path
) -> None:
    path = write_calendar(
        tmp_path / "calls.ics",
        [{"uid": "x", "summary": "Call", "dtstart": datetime(2027, 1, 1, 9, 0)}],
    )
    with pytest.raises(InputError, match="no event with a location"):
        planner_today.planner.import_trips(path)
    assert trip_counts(planner_today) == (0, 0)


def test_calendar_import_trips_shares_the_import(planner_today: AppContext, tmp_path: Path) -> None:
    path = tripit_like(tmp_path / "tripit.ics")
    counts = planner_today.calendar.import_trips(path)
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (2, 0, 0)
    again = planner_today.planner.import_trips(path)  # the same trips, seen by the planner
    assert (again.created, again.updated) == (0, 0)


def test_restore_keeps_an_imported_trip_recognisable(
    planner_today: AppContext, tmp_path: Path
) -> None:
    path = tripit_like(tmp_path / "tripit.ics")
    planner_today.planner.import_trips(path)
    trip = planner_today.planner.list_trips()[0]
    deleted = planner_today.planner.delete_trip(trip.id or 0)
    assert deleted.event_uids
    planner_today.planner.restore_trip(deleted)
    assert planner_today.planner.import_trips(path).created == 0
    assert replace(planner_today.planner.get_trip(trip.id or 0), created_at=None) == replace(
        trip, created_at=None
    )


def test_timed_events_count_the_days_in_the_places_zone(
    planner_today: AppContext, tmp_path: Path
) -> None:
    # 23:30 in New York on 10 January is already 11 January in UTC; the trip says the 10th.
    ny = ZoneInfo("America/New_York")
    path = write_calendar(
        tmp_path / "ny.ics",
        [{"uid": "ny", "summary": "Late arrival", "location": "New York",
          "dtstart": datetime(2027, 1, 10, 23, 30, tzinfo=ny).astimezone(ZoneInfo("UTC")),
          "dtend": datetime(2027, 1, 10, 23, 30, tzinfo=ny) + timedelta(minutes=20)}],
    )  # fmt: skip
    (item,) = planner_today.planner.import_trips(path).trips
    assert (item.start, item.end) == (date(2027, 1, 10), date(2027, 1, 10))


def test_trips_read_before_0003_are_found_by_their_uid(tmp_path: Path) -> None:
    """A trip imported by the version before keeps its one UID (``source_key``) after 0003."""
    from alembic import command
    from sqlalchemy import text

    from netplanner.services.trips import TripImporter
    from netplanner.storage.database import alembic_config, open_database
    from netplanner.storage.repositories import TripRepository
    from tests.unit.planning_fakes import FakeLocator

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    db = open_database(url)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
        connection.execute(
            text(
                "INSERT INTO trips (name, place_text, lat, lon, timezone, country_code, "
                "start_date, end_date, source, source_key, created_at) VALUES ('Web Summit', "
                "'Lisbon, Portugal', 38.7223, -9.1393, 'Europe/Lisbon', 'PT', '2027-01-10', "
                "'2027-01-13', 'ics', 'summit@test', '2026-11-01 00:00:00')"
            )
        )
    db.dispose()
    db = open_database(url, backup_dir=tmp_path / "backups")
    try:
        path = write_calendar(
            tmp_path / "summit.ics",
            [{"uid": "summit@test", "summary": "Web Summit", "location": "Lisbon",
              "dtstart": date(2027, 1, 10), "dtend": date(2027, 1, 14)}],
        )  # fmt: skip
        importer = TripImporter(FakeLocator(), TripRepository(db), lambda: TODAY)
        result = importer.run(path)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
        assert importer.run(path).unchanged == 1
    finally:
        db.dispose()

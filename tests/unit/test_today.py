"""Today: what needs the user, worded for the window, read from the demo network."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from netplanner.domain.entities import MeetingStatus
from netplanner.domain.nearby import ContactProfile
from netplanner.domain.today import describe_due, format_meeting_time, is_overdue
from netplanner.services.context import AppContext
from netplanner.services.planning import SuggestionRequest
from netplanner.services.today import TodayService
from netplanner.storage.repositories.today_queries import TodayQueryRepository
from netplanner.storage.repositories.user_locations import UserLocationRepository
from tests.conftest import DEMO_TODAY

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # noon of DEMO_TODAY, a Thursday
BERLIN = "Europe/Berlin"


def _noon(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)


def today_service(context: AppContext) -> TodayService:
    return TodayService(
        TodayQueryRepository(context.db),
        context.planner,
        UserLocationRepository(context.db),
        context.network_repo,
    )


@pytest.fixture
def service(demo_context: AppContext) -> TodayService:
    return today_service(demo_context)


def _profile(**fields: Any) -> ContactProfile:
    return ContactProfile(id=1, name="Ana", company=None, location_text=None, lat=0, lon=0,
                          **fields)  # fmt: skip


# Wording -------------------------------------------------------------------------------
def test_a_meeting_abroad_shows_its_local_time_and_the_time_at_home() -> None:
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # 10:00 in Lisbon, 11:00 in Berlin
    line = format_meeting_time(start, "Europe/Lisbon", BERLIN, "Lisbon")
    assert line == "Thu 3 Dec 10:00 in Lisbon · 11:00 your time"


def test_a_meeting_on_another_day_at_home_names_that_day() -> None:
    start = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)  # 19:00 in New York, 01:00 in Berlin
    line = format_meeting_time(start, "America/New_York", BERLIN, "New York")
    assert line == "Thu 3 Dec 19:00 in New York · Fri 4 Dec 01:00 your time"


def test_the_weeks_when_only_one_side_has_changed_its_clocks_are_an_hour_closer() -> None:
    # New York springs forward on 8 March 2026, Berlin only on 29 March: five hours apart.
    start = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    line = format_meeting_time(start, "America/New_York", BERLIN, "New York")
    assert line == "Tue 10 Mar 10:00 in New York · 15:00 your time"
    after = format_meeting_time(start + timedelta(days=28), "America/New_York", BERLIN, "NYC")
    assert after == "Tue 7 Apr 10:00 in NYC · 16:00 your time"


def test_a_meeting_where_the_clock_reads_as_at_home_says_the_time_once() -> None:
    start = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    assert format_meeting_time(start, BERLIN, BERLIN, "Berlin") == "Mon 30 Nov 09:30 in Berlin"
    assert format_meeting_time(start, "Europe/Paris", BERLIN, "Paris") == (
        "Mon 30 Nov 09:30 in Paris"
    )


def test_due_dates_are_worded_as_due_today_or_overdue_by_days() -> None:
    assert describe_due(DEMO_TODAY, DEMO_TODAY) == "due today"
    assert describe_due(DEMO_TODAY - timedelta(days=1), DEMO_TODAY) == "overdue by 1 day"
    assert describe_due(DEMO_TODAY - timedelta(days=5), DEMO_TODAY) == "overdue by 5 days"


def test_overdue_means_past_the_cadence_or_never_met_in_over_a_year() -> None:
    week_ago, today = DEMO_TODAY - timedelta(days=7), DEMO_TODAY
    assert not is_overdue(_profile(last_met=week_ago, cadence_days=90), today)
    assert is_overdue(_profile(last_met=today - timedelta(days=90), cadence_days=90), today)
    assert not is_overdue(_profile(last_met=today - timedelta(days=900)), today)  # no cadence
    assert not is_overdue(_profile(connected_on=today - timedelta(days=61)), today)
    assert not is_overdue(_profile(connected_on=today - timedelta(days=365)), today)
    assert is_overdue(_profile(connected_on=today - timedelta(days=366)), today)
    assert not is_overdue(_profile(), today)  # never met, connected when is unknown


# Upcoming --------------------------------------------------------------------------------
def test_upcoming_holds_the_demo_meetings_of_the_coming_fortnight_soonest_first(
    service: TodayService,
) -> None:
    report = service.report(NOW)
    assert report.today == DEMO_TODAY and report.home_tzid == BERLIN
    assert [m.meeting_id for m in report.upcoming] == [21, 22]
    berlin, london = report.upcoming
    assert [c.name for c in berlin.contacts] == ["Lena Hoffmann"]
    assert berlin.when == "Mon 30 Nov 09:30 in Berlin"
    assert london.venue_name == "Grind & Co. London" and london.tzid == "Europe/London"
    assert london.when == "Thu 3 Dec 10:00 in London · 11:00 your time"
    assert all(m.status is MeetingStatus.CONFIRMED for m in report.upcoming)
    assert all(m.contacts[0].id and m.venue_id for m in report.upcoming)


def test_cancelled_meetings_and_those_more_than_fourteen_days_out_are_not_upcoming(
    demo_context: AppContext, service: TodayService
) -> None:
    add = demo_context.meetings.add
    cancelled = add([2], datetime(2026, 12, 1, 10), tz=BERLIN)
    demo_context.meetings.cancel(cancelled.id or 0)
    later = add([2], datetime(2026, 12, 11, 13), tz=BERLIN)  # 15 days out, to the hour
    proposed = add([2], datetime(2026, 12, 9, 15), tz=BERLIN)  # 13 days out: still upcoming
    ids = [m.meeting_id for m in service.report(NOW).upcoming]
    assert proposed.id in ids
    assert cancelled.id not in ids and later.id not in ids


# Debriefs due ----------------------------------------------------------------------------
def test_debriefs_due_are_the_past_meetings_without_a_debrief_newest_first(
    demo_context: AppContext, service: TodayService
) -> None:
    report = service.report(NOW)
    assert [(d.meeting_id, d.ago) for d in report.debriefs_due] == [
        (23, "2 days ago"),
        (24, "6 days ago"),
        (25, "10 days ago"),
    ]
    assert [d.contacts[0].name for d in report.debriefs_due] == [
        "Lukas Müller",
        "Chloé Girard",
        "Maja Holm",
    ]
    demo_context.debriefs.clock = lambda: NOW
    demo_context.debriefs.record(23, {"food_drink": "Two flat whites"})
    cancelled = demo_context.meetings.add([2], datetime(2026, 11, 20, 10), tz=BERLIN)
    demo_context.meetings.cancel(cancelled.id or 0)
    assert [d.meeting_id for d in service.report(NOW).debriefs_due] == [24, 25]


# Follow-ups due --------------------------------------------------------------------------
def test_follow_ups_due_are_the_open_ones_due_by_today_most_overdue_first(
    demo_context: AppContext, service: TodayService
) -> None:
    due = service.report(NOW).follow_ups_due
    assert [(f.contact_name, f.due_words) for f in due] == [
        ("Olivia Walsh", "overdue by 5 days"),
        ("Marcus Brooks", "overdue by 4 days"),
        ("Aditya Gupta", "overdue by 3 days"),
        ("Lena Vogel", "due today"),
    ]
    assert due[-1].days_overdue == 0 and due[-1].due == DEMO_TODAY
    assert all(f.follow_up_id and f.contact_id and f.meeting_id and f.text for f in due)
    demo_context.debriefs.complete_follow_up(due[0].follow_up_id)
    after = service.report(NOW).follow_ups_due
    assert [f.follow_up_id for f in after] == [f.follow_up_id for f in due[1:]]


def test_a_follow_up_due_later_is_not_due_today(service: TodayService) -> None:
    report = service.report(NOW)
    assert all(f.due <= DEMO_TODAY for f in report.follow_ups_due)
    later = service.report(NOW - timedelta(days=10))
    assert later.follow_ups_due == ()


# Overdue nearby --------------------------------------------------------------------------
def test_overdue_near_home_are_the_lapsed_connections_with_the_suggest_reasons(
    demo_context: AppContext, service: TodayService
) -> None:
    report = service.report(NOW)
    assert report.near_label == "near your home in Berlin" and report.near_trip_id is None
    assert [c.contact_id for c in report.overdue_nearby] == [106, 28]
    never, lapsed = report.overdue_nearby
    assert never.reasons[1] == "connected 3 years ago, never met"
    assert lapsed.reasons[1] == "last met 7 months ago (you wanted every 3)"
    assert all(c.distance_km <= 25 for c in report.overdue_nearby)
    # The same ranking as ``netplanner suggest`` for the same place and days.
    home = UserLocationRepository(demo_context.db).get("home")
    assert home is not None
    demo_context.planner.today = lambda: DEMO_TODAY
    request = SuggestionRequest(home.lat, home.lon, DEMO_TODAY, DEMO_TODAY + timedelta(days=13),
                                BERLIN, "your home", booked_label="the next two weeks")  # fmt: skip
    ranked = {s.contact.id: s for s in demo_context.planner.suggest(request, limit=None)}
    for item in report.overdue_nearby:
        assert (item.reasons, item.score) == (ranked[item.contact_id].reasons,
                                              ranked[item.contact_id].score)  # fmt: skip


def test_those_not_overdue_or_already_booked_are_not_listed(service: TodayService) -> None:
    listed = {c.contact_id for c in service.report(NOW).overdue_nearby}
    assert 80 not in listed  # never met, connected two months ago
    assert 54 not in listed  # never met, connected 349 days ago
    assert 2 not in listed  # met 165 days ago, every 180 days
    assert 132 not in listed  # lapsed, but meets the user on Monday


def test_a_contact_met_last_week_on_a_ninety_day_cadence_is_not_overdue(
    demo_context: AppContext, service: TodayService
) -> None:
    contact = demo_context.contact_repo.get(28)
    assert contact.cadence_days == 90
    assert 28 in {c.contact_id for c in service.report(NOW).overdue_nearby}
    demo_context.contact_repo.update(replace(contact, last_met=DEMO_TODAY - timedelta(days=7)))
    assert 28 not in {c.contact_id for c in service.report(NOW).overdue_nearby}


def test_the_trip_the_user_is_on_today_is_searched_instead_of_home(
    demo_context: AppContext, service: TodayService
) -> None:
    lisbon = demo_context.trip_repo.get(1)
    assert lisbon.start_date == DEMO_TODAY + timedelta(days=12)
    report = service.report(_noon(lisbon.start_date + timedelta(days=1)))
    assert report.near_label == "on your trip Lisbon December 2026"
    assert report.near_trip_id == lisbon.id
    lisbon_people = {c.id for c in demo_context.contact_repo.list()
                     if (c.location_text or "").startswith("Lisbon")}  # fmt: skip
    found = {c.contact_id for c in report.overdue_nearby}
    assert found and found <= lisbon_people
    assert all(c.reasons[0].endswith("from your hotel") for c in report.overdue_nearby)
    after = service.report(_noon(lisbon.end_date + timedelta(days=1)))
    assert after.near_label == "near your home in Berlin"


def test_at_most_ten_overdue_connections_are_listed(
    demo_context: AppContext, service: TodayService
) -> None:
    lisbon = demo_context.trip_repo.get(1)
    base = demo_context.contact_repo.get(1)
    clones = [replace(base, id=None, first_name=f"Clone{i}", source_key=f"clone-{i}",
                      last_met=None, connected_on=date(2020, 1, 1)) for i in range(12)]  # fmt: skip
    demo_context.contact_repo.add_many(clones)
    assert len(service.report(_noon(lisbon.start_date)).overdue_nearby) == 10


# The empty state and the cost ------------------------------------------------------------
def test_an_empty_database_gives_an_empty_report_with_the_flags_down(
    context: AppContext,
) -> None:
    report = today_service(context).report(NOW)
    assert report.is_empty
    assert (report.has_contacts, report.has_home, report.has_trips) == (False, False, False)
    assert report.near_label is None and report.home_tzid == "UTC"


def test_the_demo_report_has_all_flags_up(service: TodayService) -> None:
    report = service.report(NOW)
    assert (report.has_contacts, report.has_home, report.has_trips) == (True, True, True)
    assert not report.is_empty


def test_a_naive_now_is_refused(service: TodayService) -> None:
    with pytest.raises(ValueError, match="naive"):
        service.report(datetime(2026, 11, 26, 12))


@pytest.fixture
def statements(demo_context: AppContext) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    engine = demo_context.db.engine
    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_the_report_takes_a_handful_of_queries_whatever_the_number_of_items(
    demo_context: AppContext, service: TodayService, statements: list[str]
) -> None:
    service.report(NOW)
    first = len(statements)
    assert first <= 13  # 5 of them are the ranking's own, as for `netplanner suggest`
    for day in range(1, 6):  # more meetings, more debriefs due: no more queries
        demo_context.meetings.add([day + 40], datetime(2026, 11, 10 + day, 10), tz=BERLIN)
    statements.clear()
    service.report(NOW)
    assert len(statements) == first

"""Coffee slots in the venue's local zone, across time zones and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from netplanner.domain.slots import Busy, coffee_slots, travel_minutes


def test_three_slots_a_day_at_local_coffee_hours() -> None:
    slots = coffee_slots(date(2026, 12, 8), date(2026, 12, 9), "Asia/Tokyo")
    assert [(s.label, s.local_text) for s in slots] == [
        ("morning", "2026-12-08T09:00"),
        ("lunch", "2026-12-08T12:00"),
        ("afternoon", "2026-12-08T15:00"),
        ("morning", "2026-12-09T09:00"),
        ("lunch", "2026-12-09T12:00"),
        ("afternoon", "2026-12-09T15:00"),
    ]
    # 09:00 in Tokyo is midnight UTC.
    assert slots[0].start_utc == datetime(2026, 12, 8, 0, 0, tzinfo=UTC)


def test_local_hours_hold_across_the_autumn_clock_change() -> None:
    # Lisbon leaves summer time on Sunday 25 October 2026.
    slots = coffee_slots(date(2026, 10, 24), date(2026, 10, 26), "Europe/Lisbon")
    mornings = [s for s in slots if s.label == "morning"]
    assert [s.start.time() for s in mornings] == [time(9, 0)] * 3
    assert [s.start_utc.hour for s in mornings] == [8, 9, 9]


def test_local_hours_hold_across_the_spring_clock_change_in_new_york() -> None:
    slots = coffee_slots(date(2027, 3, 13), date(2027, 3, 15), "America/New_York")
    afternoons = [s for s in slots if s.label == "afternoon"]
    assert [s.start.time() for s in afternoons] == [time(15, 0)] * 3
    assert [s.start_utc.hour for s in afternoons] == [20, 19, 19]
    # An hour-long slot ends an hour later in real time, whatever the clock did.
    assert all(s.end_utc - s.start_utc == timedelta(hours=1) for s in slots)


def test_another_meeting_and_its_travel_time_push_the_slot_later() -> None:
    # The user meets someone 09:00-10:00 Lisbon time (UTC+0 in December) 6 km away.
    other = Busy(
        datetime(2026, 12, 8, 9, 0, tzinfo=UTC),
        datetime(2026, 12, 8, 10, 0, tzinfo=UTC),
        lat=38.70,
        lon=-9.20,
    )
    venue = (38.70, -9.13)
    travel = travel_minutes(other.lat, other.lon, *venue)
    assert travel == 30  # 10 min overhead + 6 km at 20 km/h, rounded up to 5 minutes
    slots = coffee_slots(date(2026, 12, 8), date(2026, 12, 8), "Europe/Lisbon", [other], *venue)
    assert slots[0].label == "morning"
    assert slots[0].local_text == "2026-12-08T10:30"


def test_a_meeting_booked_in_another_zone_blocks_the_same_instant() -> None:
    # Booked from Berlin as 10:00 Berlin time = 09:00 UTC = 18:00 in Tokyo: no clash.
    # Booked as 01:00 UTC = 10:00 Tokyo: blocks the Tokyo morning around it.
    berlin_call = Busy(datetime(2026, 12, 8, 9, tzinfo=UTC), datetime(2026, 12, 8, 10, tzinfo=UTC))
    tokyo_breakfast = Busy(
        datetime(2026, 12, 8, 0, tzinfo=UTC), datetime(2026, 12, 8, 1, tzinfo=UTC)
    )
    slots = coffee_slots(
        date(2026, 12, 8), date(2026, 12, 8), "Asia/Tokyo", [berlin_call, tokyo_breakfast]
    )
    assert [s.local_text for s in slots] == [
        "2026-12-08T10:30",  # 09:00-10:00 taken, plus 30 minutes' margin (place unknown)
        "2026-12-08T12:00",
        "2026-12-08T15:00",
    ]


def test_a_fully_booked_window_offers_nothing_for_it() -> None:
    day = Busy(datetime(2026, 12, 8, 8, tzinfo=UTC), datetime(2026, 12, 8, 14, tzinfo=UTC))
    slots = coffee_slots(date(2026, 12, 8), date(2026, 12, 8), "Europe/London", [day])
    assert [s.label for s in slots] == ["afternoon"]


def test_nothing_before_now() -> None:
    now = datetime(2026, 12, 8, 11, 15, tzinfo=UTC)
    slots = coffee_slots(date(2026, 12, 8), date(2026, 12, 8), "UTC", not_before=now)
    assert [s.local_text for s in slots] == ["2026-12-08T12:00", "2026-12-08T15:00"]


def test_dates_in_the_wrong_order_or_an_unknown_zone_are_refused() -> None:
    with pytest.raises(ValueError, match="before"):
        coffee_slots(date(2026, 12, 9), date(2026, 12, 8), "UTC")
    with pytest.raises(ValueError, match="time zone"):
        coffee_slots(date(2026, 12, 8), date(2026, 12, 8), "Mars/Olympus_Mons")

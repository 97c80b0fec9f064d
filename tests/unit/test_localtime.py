"""Local wall-clock times become the right UTC instant, and DST edges are never guessed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netplanner.domain.errors import InputError
from netplanner.domain.localtime import format_utc, local_to_utc, parse_local, utc_to_local


@pytest.mark.parametrize(
    ("local", "zone", "expected"),
    [
        ("2026-12-03T10:00", "Europe/Lisbon", "2026-12-03T10:00:00Z"),  # WET, UTC+0
        ("2026-07-03T10:00", "Europe/Lisbon", "2026-07-03T09:00:00Z"),  # WEST, UTC+1
        ("2026-12-03T10:00", "Asia/Tokyo", "2026-12-03T01:00:00Z"),
        ("2026-12-03T10:00", "America/New_York", "2026-12-03T15:00:00Z"),
        ("2026-06-03T10:00", "America/New_York", "2026-06-03T14:00:00Z"),
        ("2026-12-03T10:00", "Asia/Kolkata", "2026-12-03T04:30:00Z"),
    ],
)
def test_local_time_gives_the_utc_instant_of_that_zone(
    local: str, zone: str, expected: str
) -> None:
    assert format_utc(local_to_utc(parse_local(local), zone)) == expected


def test_time_skipped_by_spring_forward_is_refused_naming_both_instants() -> None:
    with pytest.raises(InputError) as error:
        local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")
    message = str(error.value)
    assert "does not exist" in message
    assert "2026-03-29T00:30:00Z" in message and "2026-03-29T01:30:00Z" in message


def test_time_repeated_by_fall_back_is_refused_naming_both_instants() -> None:
    with pytest.raises(InputError) as error:
        local_to_utc(datetime(2026, 11, 1, 1, 30), "America/New_York")
    message = str(error.value)
    assert "happens twice" in message
    assert "2026-11-01T05:30:00Z" in message and "2026-11-01T06:30:00Z" in message


def test_fold_chooses_explicitly_between_the_two_readings_of_a_repeated_time() -> None:
    local = datetime(2026, 10, 25, 2, 30)
    first = local_to_utc(local, "Europe/Berlin", fold=0)
    second = local_to_utc(local, "Europe/Berlin", fold=1)
    assert format_utc(first) == "2026-10-25T00:30:00Z"
    assert format_utc(second) == "2026-10-25T01:30:00Z"


def test_fold_chooses_the_offset_for_a_skipped_time() -> None:
    local = datetime(2026, 3, 29, 2, 30)
    assert format_utc(local_to_utc(local, "Europe/Berlin", fold=0)) == "2026-03-29T01:30:00Z"
    assert format_utc(local_to_utc(local, "Europe/Berlin", fold=1)) == "2026-03-29T00:30:00Z"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd", "Europe/"])
def test_unknown_zone_is_a_clear_error(zone: str) -> None:
    with pytest.raises(InputError, match="no time zone called"):
        local_to_utc(datetime(2026, 12, 3, 10), zone)


@pytest.mark.parametrize("text", ["2026-12-03T10:00+01:00", "tomorrow", "2026-13-03T10:00"])
def test_local_time_with_an_offset_or_garbage_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_local(text)


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2037, 12, 31)),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Tokyo"]),
)
def test_a_resolved_instant_shows_the_same_wall_clock_time_in_its_zone(
    local: datetime, zone: str
) -> None:
    try:
        instant = local_to_utc(local, zone)
    except InputError:
        return  # a gap or a fold: refused, never shifted
    assert instant.tzinfo is UTC
    assert utc_to_local(instant, zone).replace(tzinfo=None) == local

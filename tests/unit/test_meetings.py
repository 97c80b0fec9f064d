"""Meetings: the zone comes from the venue, the trip or --tz; bad input writes nothing."""

from __future__ import annotations

from datetime import datetime

import pytest

from netplanner.domain.entities import MeetingStatus, Venue
from netplanner.domain.errors import InputError, NotFoundError
from netplanner.domain.localtime import format_utc
from netplanner.services.context import AppContext
from netplanner.services.meetings import VenueChoice

START = datetime(2026, 12, 3, 10, 0)


def _venue_in(context: AppContext, zone: str) -> Venue:
    return next(v for v in context.venue_repo.list() if v.timezone == zone)


def test_meeting_gets_the_venue_zone_before_the_trip_zone_and_tz(demo_context: AppContext) -> None:
    tokyo = _venue_in(demo_context, "Asia/Tokyo")
    lisbon_trip = next(t for t in demo_context.trip_repo.list() if t.timezone == "Europe/Lisbon")
    meeting = demo_context.meetings.add(
        [1], START, tz="America/New_York", venue=VenueChoice(tokyo.id), trip_id=lisbon_trip.id
    )
    assert meeting.tzid == "Asia/Tokyo"
    assert format_utc(meeting.start_utc) == "2026-12-03T01:00:00Z"
    assert format_utc(meeting.end_utc) == "2026-12-03T02:00:00Z"
    assert meeting.status == MeetingStatus.PROPOSED
    assert meeting.sequence == 0
    assert meeting.uid.endswith("@netplanner") and len(meeting.uid) > 30


def test_meeting_without_venue_zone_uses_the_trip_then_tz(demo_context: AppContext) -> None:
    trip = next(t for t in demo_context.trip_repo.list() if t.timezone == "America/New_York")
    by_trip = demo_context.meetings.add([2], START, tz="Europe/Lisbon", trip_id=trip.id)
    assert by_trip.tzid == "America/New_York"
    assert format_utc(by_trip.start_utc) == "2026-12-03T15:00:00Z"
    by_tz = demo_context.meetings.add([2], START, tz="Europe/Lisbon", duration_min=45)
    assert by_tz.tzid == "Europe/Lisbon"
    assert format_utc(by_tz.end_utc) == "2026-12-03T10:45:00Z"


def test_new_venue_by_name_is_created_with_the_meeting(demo_context: AppContext) -> None:
    before = len(demo_context.venue_repo.list())
    meeting = demo_context.meetings.add(
        [3],
        START,
        tz="Europe/Lisbon",
        venue=VenueChoice(name="Café  Nicola", address="Praça Dom Pedro IV 24, Lisbon"),
    )
    venues = demo_context.venue_repo.list()
    assert len(venues) == before + 1
    created = demo_context.venue_repo.get(meeting.venue_id or 0)
    assert created.name == "Café Nicola"
    assert created.address == "Praça Dom Pedro IV 24, Lisbon"
    assert created.lat is None and created.timezone == "Europe/Lisbon"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"contact_ids": [9999]}, NotFoundError),
        ({"venue": VenueChoice(9999)}, NotFoundError),
        ({"trip_id": 9999}, NotFoundError),
        ({"tz": "Nowhere/Special"}, InputError),
        ({"tz": None}, InputError),
        ({"end_local": datetime(2026, 12, 3, 9, 0)}, InputError),
        ({"duration_min": 0}, InputError),
        ({"start_local": datetime(2026, 3, 29, 1, 30), "tz": "Europe/London"}, InputError),
    ],
)
def test_bad_meeting_input_is_refused_and_writes_nothing(
    demo_context: AppContext, kwargs: dict[str, object], error: type[Exception]
) -> None:
    args: dict[str, object] = {
        "contact_ids": [1],
        "start_local": START,
        "tz": "Europe/Lisbon",
        "venue": VenueChoice(name="A new café"),
    }
    args.update(kwargs)
    meetings_before = len(demo_context.meeting_repo.list())
    venues_before = len(demo_context.venue_repo.list())
    contact_ids = args.pop("contact_ids")
    start = args.pop("start_local")
    with pytest.raises(error):
        demo_context.meetings.add(contact_ids, start, **args)  # type: ignore[arg-type]
    assert len(demo_context.meeting_repo.list()) == meetings_before
    assert len(demo_context.venue_repo.list()) == venues_before


def test_every_change_raises_the_sequence_and_keeps_the_uid(demo_context: AppContext) -> None:
    meeting = demo_context.meetings.add([1], START, tz="Europe/Lisbon")
    moved = demo_context.meetings.reschedule(meeting.id or 0, datetime(2026, 12, 4, 15, 30))
    assert moved.sequence == 1 and moved.uid == meeting.uid
    assert format_utc(moved.start_utc) == "2026-12-04T15:30:00Z"
    assert format_utc(moved.end_utc) == "2026-12-04T16:30:00Z"
    confirmed = demo_context.meetings.set_status(meeting.id or 0, MeetingStatus.CONFIRMED)
    cancelled = demo_context.meetings.cancel(meeting.id or 0)
    assert (confirmed.sequence, cancelled.sequence) == (2, 3)
    assert demo_context.meetings.get(meeting.id or 0).status == MeetingStatus.CANCELLED
    assert demo_context.meetings.cancel(meeting.id or 0).sequence == 3  # no change, no bump


def test_update_changes_contacts_venue_and_time_at_once_raising_the_sequence_once(
    demo_context: AppContext,
) -> None:
    meeting = demo_context.meetings.add([1], START, tz="Europe/Lisbon", duration_min=30)
    tokyo = _venue_in(demo_context, "Asia/Tokyo")
    moved = demo_context.meetings.update(
        meeting.id or 0, contact_ids=[1, 4], venue=VenueChoice(tokyo.id)
    )
    # The venue's zone wins and the local wall-clock time is kept: 10:00 in Tokyo.
    assert (moved.tzid, format_utc(moved.start_utc)) == ("Asia/Tokyo", "2026-12-03T01:00:00Z")
    assert format_utc(moved.end_utc) == "2026-12-03T01:30:00Z"
    assert sorted(moved.contact_ids) == [1, 4] and moved.sequence == 1
    renamed = demo_context.meetings.update(
        meeting.id or 0, venue=VenueChoice(name="Blue Bottle Kiyosumi"), invitation_text="Hi"
    )
    assert renamed.sequence == 2 and renamed.invitation_text == "Hi"
    venue = demo_context.venue_repo.get(renamed.venue_id or 0)
    assert (venue.name, venue.timezone) == ("Blue Bottle Kiyosumi", "Asia/Tokyo")
    with pytest.raises(NotFoundError):
        demo_context.meetings.update(meeting.id or 0, contact_ids=[1, 9999])
    with pytest.raises(InputError):
        demo_context.meetings.update(meeting.id or 0, end_local=datetime(2026, 12, 3, 9))
    assert demo_context.meetings.get(meeting.id or 0).sequence == 2

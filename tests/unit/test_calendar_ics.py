"""Calendar files read back by two independent parsers; text cannot forge properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from netplanner.domain.entities import Meeting
from netplanner.domain.errors import InputError, NotFoundError
from netplanner.domain.places import LocateResult, PlaceMatch
from netplanner.services.context import AppContext
from netplanner.services.meetings import VenueChoice

NASTY = (
    "Notes, with; semi\\colons\r\nATTENDEE:mailto:evil@example.com\rSTATUS:CANCELLED"
    '\nEND:VEVENT, "quoted"'
)


def _one_event(data: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def _vobject_events(data: bytes) -> list[vobject.base.Component]:
    calendars = list(vobject.readComponents(data.decode("utf-8")))
    assert len(calendars) == 1
    return list(calendars[0].vevent_list)


def _add(context: AppContext, **kwargs: object) -> Meeting:
    defaults: dict[str, object] = {"tz": "Europe/Lisbon"}
    defaults.update(kwargs)
    start = defaults.pop("start", datetime(2026, 12, 3, 10, 0))
    contacts = defaults.pop("contacts", [1])
    return context.meetings.add(contacts, start, **defaults)  # type: ignore[arg-type]


def test_meeting_exports_with_every_property_both_parsers_agree(demo_context: AppContext) -> None:
    demo_context.settings.profile.name = "Sam Planner"
    demo_context.settings.profile.email = "sam@example.org"
    venue = next(v for v in demo_context.venue_repo.list() if v.timezone == "Europe/Berlin")
    contact = demo_context.contact_repo.get(2)
    contact.emails = ["lena@example.com"]
    demo_context.contact_repo.update(contact)
    meeting = _add(
        demo_context, contacts=[2], start=datetime(2026, 7, 3, 10, 0), venue=VenueChoice(venue.id)
    )
    data = demo_context.calendar.build([meeting])

    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0" and "NetPlanner" in str(calendar["PRODID"])
    event = _one_event(data)
    assert str(event["UID"]) == meeting.uid
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 7, 3, 8, 0, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2026, 7, 3, 9, 0, tzinfo=UTC)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["SUMMARY"]) == f"Coffee with {contact.name}"
    assert str(event["LOCATION"]) == f"{venue.name}, {venue.address}"
    assert event["GEO"].latitude == pytest.approx(venue.lat)
    assert event["GEO"].longitude == pytest.approx(venue.lon)
    assert "DESCRIPTION" not in event  # no invitation was written; nothing private goes out
    assert str(event["ORGANIZER"]) == "mailto:sam@example.org"
    assert event["ORGANIZER"].params["CN"] == "Sam Planner"
    assert str(event["ATTENDEE"]) == "mailto:lena@example.com"
    assert str(event["STATUS"]) == "TENTATIVE"
    alarms = list(event.walk("VALARM"))
    assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
    assert "METHOD" not in calendar

    (second,) = _vobject_events(data)
    assert second.uid.value == meeting.uid
    # vobject builds the zone from the file's own VTIMEZONE: the instant must agree.
    assert second.dtstart.value.astimezone(UTC) == datetime(2026, 7, 3, 8, 0, tzinfo=UTC)
    assert second.dtend.value.astimezone(UTC) == datetime(2026, 7, 3, 9, 0, tzinfo=UTC)
    assert second.summary.value == f"Coffee with {contact.name}"
    assert second.location.value == f"{venue.name}, {venue.address}"
    assert second.organizer.value == "mailto:sam@example.org"


def test_text_with_separators_and_line_breaks_cannot_add_or_change_properties(
    demo_context: AppContext,
) -> None:
    meeting = _add(
        demo_context,
        venue=VenueChoice(name=NASTY, address="Rua Nova; 12, 2º\\Esq"),
        invitation_text=NASTY,
    )
    debrief_meeting = _add(demo_context, start=datetime(2026, 11, 1, 10, 0))
    demo_context.debriefs.record(debrief_meeting.id or 0, {"business": NASTY, "notes": NASTY})
    data = demo_context.calendar.build([demo_context.meetings.get(meeting.id or 0)])
    expected_text = NASTY.replace("\r\n", "\n").replace("\r", "\n")

    event = _one_event(data)
    assert sorted(event.keys()) == sorted(
        ["UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION",
         "ATTENDEE", "STATUS", "LAST-MODIFIED"]
    )  # fmt: skip
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "evil@example.com" not in str(event["ATTENDEE"])
    assert str(event["LOCATION"]) == " ".join(NASTY.split()) + ", Rua Nova; 12, 2º\\Esq"
    # Only the invitation the contact will read anyway; the business as last heard stays home.
    assert str(event["DESCRIPTION"]) == expected_text

    (second,) = _vobject_events(data)
    assert second.status.value == "TENTATIVE"
    assert len(second.contents["attendee"]) == 1
    assert second.description.value == str(event["DESCRIPTION"])
    assert second.location.value == str(event["LOCATION"])
    # Every physical line is a property, a continuation, or a component boundary of our own.
    lines = data.decode("utf-8").split("\r\n")
    assert "\r" not in "".join(lines) and "\n" not in "".join(lines)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert not [line for line in lines if line.startswith(("ATTENDEE:mailto:evil", "STATUS:C"))]


def test_cancelled_meeting_exports_as_a_cancellation_with_raised_sequence(
    demo_context: AppContext, tmp_path: Path
) -> None:
    demo_context.settings.profile.email = "sam@example.org"
    meeting = _add(demo_context)
    first = tmp_path / "first.ics"
    demo_context.calendar.export(first, meeting_id=meeting.id)
    demo_context.meetings.cancel(meeting.id or 0)
    again = tmp_path / "cancel.ics"
    demo_context.calendar.export(again, meeting_id=meeting.id)

    before, after = _one_event(first.read_bytes()), _one_event(again.read_bytes())
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["STATUS"]) == "CANCELLED"
    assert str(icalendar.Calendar.from_ical(again.read_bytes())["METHOD"]) == "CANCEL"
    assert not list(after.walk("VALARM"))
    (parsed,) = _vobject_events(again.read_bytes())
    assert parsed.status.value == "CANCELLED" and int(parsed.sequence.value) == 1


def test_trip_and_all_exports_hold_their_meetings_each_with_its_zone(
    demo_context: AppContext, tmp_path: Path
) -> None:
    tokyo = next(t for t in demo_context.trip_repo.list() if t.timezone == "Asia/Tokyo")
    in_trip = [
        _add(demo_context, trip_id=tokyo.id, contacts=[c], start=datetime(2027, 1, 1 + c, 9, 0))
        for c in (3, 4)
    ]
    _add(demo_context, contacts=[5])
    trip_file = tmp_path / "trip.ics"
    assert demo_context.calendar.export(trip_file, trip_id=tokyo.id) == 2
    calendar = icalendar.Calendar.from_ical(trip_file.read_bytes())
    assert sorted(str(e["UID"]) for e in calendar.walk("VEVENT")) == sorted(m.uid for m in in_trip)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]

    all_file = tmp_path / "all.ics"
    total = len(demo_context.meeting_repo.list())
    assert demo_context.calendar.export(all_file, all_meetings=True) == total
    events = _vobject_events(all_file.read_bytes())
    assert len(events) == total
    for event, meeting in zip(
        sorted(events, key=lambda e: e.uid.value),
        sorted(demo_context.meeting_repo.list(), key=lambda m: m.uid),
        strict=True,
    ):
        assert event.dtstart.value.astimezone(UTC) == meeting.start_utc


def test_unwritable_path_or_unknown_meeting_writes_nothing(
    demo_context: AppContext, tmp_path: Path
) -> None:
    meeting = _add(demo_context)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(InputError, match="Cannot write"):
        demo_context.calendar.export(tmp_path / "missing" / "x.ics", meeting_id=meeting.id)
    with pytest.raises(InputError, match="Cannot write"):
        demo_context.calendar.export(tmp_path, meeting_id=meeting.id)
    with pytest.raises(NotFoundError):
        demo_context.calendar.export(tmp_path / "y.ics", meeting_id=9999)
    assert list(tmp_path.iterdir()) == []


class FakeLocator:
    """Knows two places; counts lookups."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def locate(self, text: str) -> LocateResult:
        self.asked.append(text)
        places = {
            "Lisbon, Portugal": PlaceMatch("Lisbon", 38.72, -9.14, "PT", None, "Europe/Lisbon"),
            "Tokyo": PlaceMatch("Tokyo, Japan", 35.69, 139.69, "JP", None, "Asia/Tokyo"),
        }
        return LocateResult(text, places.get(text))


TRIPS_ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//EN\r
BEGIN:VEVENT\r
UID:trip-lisbon@test\r
DTSTAMP:20261101T000000Z\r
SUMMARY:Web Summit\r
LOCATION:Lisbon\\, Portugal\r
DTSTART;VALUE=DATE:20270110\r
DTEND;VALUE=DATE:20270114\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:trip-tokyo@test\r
DTSTAMP:20261101T000000Z\r
SUMMARY:Tokyo visit\r
LOCATION:Tokyo\r
DTSTART;TZID=Asia/Tokyo:20270201T090000\r
DTEND;TZID=Asia/Tokyo:20270205T180000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:call@test\r
DTSTAMP:20261101T000000Z\r
SUMMARY:A call with no place\r
DTSTART:20270115T090000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:atlantis@test\r
DTSTAMP:20261101T000000Z\r
SUMMARY:Lost\r
LOCATION:Atlantis\r
DTSTART;VALUE=DATE:20270301\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_trips_are_read_from_events_with_a_place_once_by_uid(
    context: AppContext, tmp_path: Path
) -> None:
    locator = FakeLocator()
    context.calendar.locator = lambda: locator
    path = tmp_path / "trips.ics"
    path.write_bytes(TRIPS_ICS)
    first = context.calendar.import_trips(path)
    assert (first["created"], first["updated"], first["unchanged"]) == (2, 0, 0)
    assert first["skipped"] == [
        {"uid": "call@test", "event": "A call with no place", "reason": "it has no location"},
        {"uid": "atlantis@test", "event": "Lost", "reason": "the place 'Atlantis' was not found"},
    ]
    trips = {t.source_key: t for t in context.trip_repo.list()}
    lisbon = trips["trip-lisbon@test"]
    assert (lisbon.name, lisbon.timezone, lisbon.source) == ("Web Summit", "Europe/Lisbon", "ics")
    assert (lisbon.start_date, lisbon.end_date) == (date(2027, 1, 10), date(2027, 1, 13))
    assert (trips["trip-tokyo@test"].start_date, trips["trip-tokyo@test"].end_date) == (
        date(2027, 2, 1),
        date(2027, 2, 5),
    )
    again = context.calendar.import_trips(path)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert len(context.trip_repo.list()) == 2


def test_reading_trips_from_a_file_that_is_not_a_calendar_writes_nothing(
    context: AppContext, tmp_path: Path
) -> None:
    context.calendar.locator = FakeLocator
    path = tmp_path / "not.ics"
    path.write_bytes(b"\x00\x01 this is not a calendar")
    with pytest.raises(InputError):
        context.calendar.import_trips(path)
    with pytest.raises(InputError, match="Cannot read"):
        context.calendar.import_trips(tmp_path / "missing.ics")
    assert context.trip_repo.list() == []


def test_the_zones_gathered_while_exporting_are_those_icalendar_would_add(
    demo_context: AppContext,
) -> None:
    """The export names its VTIMEZONEs itself instead of walking every property; the file
    holds the same events and the same zones as with icalendar's add_missing_timezones."""
    meetings = demo_context.meetings.list()
    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    ours = icalendar.Calendar.from_ical(demo_context.calendar.build(meetings, now=now))
    reference = icalendar.Calendar.from_ical(demo_context.calendar.build(meetings, now=now))
    reference.subcomponents = [c for c in reference.subcomponents if c.name != "VTIMEZONE"]
    first = min(m.start_utc for m in meetings).date() - timedelta(days=366)
    last = max(m.end_utc for m in meetings).date() + timedelta(days=366)
    reference.add_missing_timezones(first_date=first, last_date=last)

    def zones(calendar: icalendar.Calendar) -> dict[str, bytes]:
        return {str(z["TZID"]): z.to_ical() for z in calendar.walk("VTIMEZONE")}

    def events(calendar: icalendar.Calendar) -> list[bytes]:
        return [e.to_ical() for e in calendar.walk("VEVENT")]

    assert len(zones(ours)) > 3 and "UTC" not in zones(ours)
    assert zones(ours) == zones(reference)
    assert events(ours) == events(reference) and len(events(ours)) == len(meetings)
    # and every zone comes before the events that name it
    names = [c.name for c in ours.subcomponents]
    assert names == sorted(names, key=lambda n: n != "VTIMEZONE")

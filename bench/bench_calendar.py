"""Calendar export at scale: all meetings of a busy year in one .ics file.

Floor (issue 16): the export takes at most 2x what icalendar alone takes to build and
serialise the same events with their VTIMEZONEs (the baseline, measured in the same run:
the exported events copied property by property into a new calendar), and every event
reads back. Further baselines, for scale: a briefing built for every meeting (what the
events carried before they were kept free of private notes, and what a private copy with
the briefings still costs), and the library's default VTIMEZONE range (1970-2038) instead
of the span the meetings need.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar

from netplanner.domain.entities import Meeting, MeetingStatus
from netplanner.services.context import build_context
from netplanner.services.meetings import new_uid

MEETINGS = 1000
FLOOR_RATIO = 2.0


def _plain(component: icalendar.cal.Component) -> list[tuple[str, Any]]:
    """A component's properties as the plain values an exporter starts from."""
    items: list[tuple[str, Any]] = []
    for name, value in component.property_items(recursive=False)[1:-1]:  # not BEGIN, END
        if hasattr(value, "dt"):
            plain = value.dt
        elif isinstance(value, icalendar.vGeo):
            plain = (value.latitude, value.longitude)
        elif isinstance(value, icalendar.vCalAddress):
            plain = value  # the address with its CN and RSVP parameters
        elif isinstance(value, str):
            plain = str(value)
        elif isinstance(value, int):
            plain = int(value)
        else:
            plain = value
        items.append((name, plain))
    return items


def icalendar_alone(data: bytes) -> float:
    """Seconds icalendar alone takes to build and serialise these events with their zones.

    The events are taken apart into plain values first (untimed); then a new calendar gets
    each VTIMEZONE made by icalendar for the export's span (a year either side of the
    meetings) and each event and alarm added property by property, and is serialised.
    """
    parsed = icalendar.Calendar.from_ical(data)
    events = [
        (_plain(event), [_plain(alarm) for alarm in event.subcomponents])
        for event in parsed.walk("VEVENT")
    ]
    zones = sorted(str(zone["TZID"]) for zone in parsed.walk("VTIMEZONE"))
    starts = [event.decoded("dtstart").astimezone(UTC) for event in parsed.walk("VEVENT")]
    ends = [event.decoded("dtend").astimezone(UTC) for event in parsed.walk("VEVENT")]
    first = min(starts).date() - timedelta(days=366)
    last = max(ends).date() + timedelta(days=366)
    start = time.perf_counter()
    calendar = icalendar.Calendar()
    for name, value in _plain(parsed):
        calendar.add(name, value)
    for tzid in zones:
        calendar.add_component(icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last))
    for properties, alarms in events:
        event = icalendar.Event()
        for name, value in properties:
            event.add(name, value)
        for alarm_properties in alarms:
            alarm = icalendar.Alarm()
            for name, value in alarm_properties:
                alarm.add(name, value)
            event.add_component(alarm)
        calendar.add_component(event)
    calendar.to_ical()
    return time.perf_counter() - start


def run() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        context = build_context(Path(tmp) / "data")
        try:
            context.demo.load(today=date(2026, 11, 26))
            contacts = context.contact_repo.list()
            venues = context.venue_repo.list()
            start = datetime(2027, 1, 4, 9, tzinfo=UTC)
            for i in range(MEETINGS):
                contact = contacts[i % len(contacts)]
                venue = next((v for v in venues if v.timezone == contact.timezone), venues[0])
                begin = start + timedelta(hours=7 * i)
                context.meeting_records.add_meeting(
                    Meeting(contact_ids=[contact.id or 0], start_utc=begin,
                            end_utc=begin + timedelta(hours=1), tzid=venue.timezone or "UTC",
                            uid=new_uid(), status=MeetingStatus.PROPOSED, venue_id=venue.id)
                )  # fmt: skip
            meetings = context.meetings.list()
            path = Path(tmp) / "all.ics"
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                context.calendar.export(path, all_meetings=True)
                runs.append(time.perf_counter() - t0)
            data = path.read_bytes()
            events = len(icalendar.Calendar.from_ical(data).walk("VEVENT"))

            t2 = time.perf_counter()
            for meeting in meetings:
                for contact_id in meeting.contact_ids:
                    context.briefings.essentials(contact_id)
            per_meeting_seconds = time.perf_counter() - t2

            alone_runs = [icalendar_alone(data) for _ in range(3)]

            naive = icalendar.Calendar.from_ical(data)
            naive.subcomponents = [c for c in naive.subcomponents if c.name != "VTIMEZONE"]
            t1 = time.perf_counter()
            naive.add_missing_timezones()  # the library default: 1970 to 2038
            naive_bytes = len(naive.to_ical())
            naive_seconds = time.perf_counter() - t1
        finally:
            context.close()
    seconds, alone = statistics.median(runs), statistics.median(alone_runs)
    ratio = seconds / alone
    ok = ratio <= FLOOR_RATIO and events == len(meetings)
    print(
        f"export of {len(meetings)} meetings: {seconds:.2f} s, {ratio:.1f}x, {len(data):,} "
        f"bytes, {events} events read back (floor: {FLOOR_RATIO:.0f}x, all read back); "
        f"baseline icalendar alone building and serialising them with their VTIMEZONEs: "
        f"{alone:.2f} s (medians of 3)"
    )
    print(f"naive: the briefings alone, one per meeting, took {per_meeting_seconds:.2f} s")
    print(
        f"naive VTIMEZONE 1970-2038: {naive_bytes:,} bytes "
        f"(+{naive_bytes - len(data):,}), zones alone took {naive_seconds:.2f} s"
    )
    print("ok" if ok else "FLOOR MISSED")
    return ok

"""What goes to a calendar is what the contact may see; the user's private notes stay home.

A calendar server that sends invitations delivers the event's DESCRIPTION to every ATTENDEE,
so the exported file and the published CalDAV resource must hold only the title, the time,
the place and the invitation the user wrote: no debrief, no briefing, no notes, no follow-ups.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netplanner.domain.entities import Meeting
from netplanner.services.caldav import CalDAVService
from netplanner.services.context import AppContext
from netplanner.services.meetings import VenueChoice
from netplanner.settings import CalDAVSettings, Settings
from tests.radicale_server import PASSWORD, USER, Radicale, running_radicale

BUSINESS = "Quietly selling the Porto bakery chain"
AMBITIONS = "Wants to run the Lisbon office by 2028"
CHALLENGES = "Fighting with her cofounder over equity"
NOTES_OF_DEBRIEF = "Seemed tired, avoid talking about the merger"
CONTACT_NOTES = "Owes me a favour since the Berlin fair"
FOLLOW_UP = "Send the term sheet before Friday"
INVITATION = "Shall we have a coffee at the usual place? Looking forward to it."
PRIVATE_TEXTS = (BUSINESS, AMBITIONS, CHALLENGES, NOTES_OF_DEBRIEF, CONTACT_NOTES, FOLLOW_UP)


def _meeting_with_private_history(context: AppContext) -> tuple[Meeting, str, str]:
    """A coming meeting with contact 1, whose last meeting has a full debrief and a follow-up.

    Returns the meeting, the contact's name and the venue's name.
    """
    context.settings.profile.name = "Sam Planner"
    context.settings.profile.email = "sam@example.org"
    contact = context.contact_repo.get(1)
    contact.emails = ["ana@example.com"]
    contact.notes = CONTACT_NOTES
    context.contact_repo.update(contact)
    venue = context.venue_repo.list()[0]
    past = context.meetings.add(
        [1], datetime(2026, 11, 2, 10, 0), venue=VenueChoice(venue.id), tz="Europe/Lisbon"
    )
    context.debriefs.record(
        past.id or 0,
        {
            "business": BUSINESS,
            "ambitions": AMBITIONS,
            "challenges": CHALLENGES,
            "notes": NOTES_OF_DEBRIEF,
        },
        follow_ups=[(FOLLOW_UP, date(2026, 12, 20))],
    )
    coming = context.meetings.add(
        [1],
        datetime(2026, 12, 14, 10, 0),
        venue=VenueChoice(venue.id),
        tz="Europe/Lisbon",
        invitation_text=INVITATION,
    )
    return coming, contact.name, venue.name


def _assert_only_shared(data: bytes, meeting: Meeting, contact_name: str, venue: str) -> None:
    text = data.decode("utf-8")
    # Unfolded and unescaped, so a text cut at a folded line or escaped is still found.
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    for escaped, plain in (("\\,", ","), ("\\;", ";"), ("\\n", "\n"), ("\\\\", "\\")):
        unfolded = unfolded.replace(escaped, plain)
    for private in PRIVATE_TEXTS:
        assert private not in unfolded, private
    assert "Ask:" not in unfolded
    assert "Follow-up" not in unfolded
    calendar = icalendar.Calendar.from_ical(data)
    events = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == meeting.uid]
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == f"Coffee with {contact_name}"
    assert str(event["LOCATION"]).startswith(venue)
    assert str(event["DESCRIPTION"]) == INVITATION


def test_exported_file_holds_the_invitation_but_no_private_notes(
    demo_context: AppContext, tmp_path: Path
) -> None:
    meeting, name, venue = _meeting_with_private_history(demo_context)
    # The briefing the user reads does hold these texts: the test is about where they go.
    own = demo_context.briefings.essentials(1)
    assert BUSINESS in own and FOLLOW_UP in own and "Ask:" in own

    path = tmp_path / "all.ics"
    count = demo_context.calendar.export(path, all_meetings=True)
    assert count == len(demo_context.meetings.list())
    data = path.read_bytes()
    _assert_only_shared(data, meeting, name, venue)
    # No event of the whole export carries anything but its invitation as a description.
    stored = {m.uid: m for m in demo_context.meetings.list()}
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        invitation = stored[str(event["UID"])].invitation_text
        if invitation:
            assert str(event["DESCRIPTION"]) == invitation.replace("\r\n", "\n")
        else:
            assert "DESCRIPTION" not in event
    # The contact is still invited, as before: that is why nothing private may be in it.
    (event,) = [
        e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if e["UID"] == meeting.uid
    ]
    assert str(event["ATTENDEE"]) == "mailto:ana@example.com"
    place = demo_context.venue_repo.list()[0]
    assert place.lat is not None and event["GEO"].latitude == pytest.approx(place.lat)


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


def test_published_event_holds_the_invitation_but_no_private_notes(
    demo_context: AppContext, radicale: Radicale
) -> None:
    meeting, name, venue = _meeting_with_private_history(demo_context)
    settings = Settings(caldav=CalDAVSettings(url=radicale.calendar, username=USER))
    service = CalDAVService(
        settings, demo_context.meetings, demo_context.calendar, lambda: PASSWORD
    )
    published = service.publish(meeting.id or 0)
    status, body = radicale.request("GET", published.href)
    assert status == 200
    _assert_only_shared(body, meeting, name, venue)


def test_private_copy_has_the_briefing_and_invites_no_one(
    demo_context: AppContext, tmp_path: Path
) -> None:
    meeting, name, _ = _meeting_with_private_history(demo_context)
    path = tmp_path / "mine.ics"
    assert demo_context.calendar.export(path, meeting_id=meeting.id, private=True) == 1
    event = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    description = str(event["DESCRIPTION"])
    assert BUSINESS in description and FOLLOW_UP in description and "Ask:" in description
    assert INVITATION in description
    assert "ATTENDEE" not in event and "ORGANIZER" not in event
    # Its own UID: importing it beside the invitation never replaces the shared event.
    assert str(event["UID"]) != meeting.uid
    assert str(event["SUMMARY"]) == f"Coffee with {name}"


# Text a user (or an import) may put anywhere: separators, escapes, line breaks, controls.
_NASTY = st.lists(
    st.one_of(
        st.sampled_from(list(",;:\\\"'\r\n\t\x00\x07\x1b\x7f\u2028\u202e=")),
        st.sampled_from(["END:VEVENT", "BEGIN:VEVENT", "ATTENDEE:mailto:x@y", "DESCRIPTION:"]),
        st.characters(codec="utf-8"),
    ),
    max_size=30,
).map("".join)


def _shape(data: bytes) -> tuple[int, list[str]]:
    """(number of VEVENTs, the event's property names with repeats) as icalendar reads them."""
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    names = sorted(str(name) for name, _ in events[0].property_items(recursive=False))
    # A second, independent parser must agree on the count of events.
    (parsed,) = list(vobject.readComponents(data.decode("utf-8")))
    assert len(parsed.vevent_list) == len(events)
    return len(events), names


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=_NASTY, venue=_NASTY, invitation=_NASTY)
def test_random_text_never_changes_the_shape_of_an_exported_event(
    demo_context: AppContext, name: str, venue: str, invitation: str
) -> None:
    demo_context.settings.profile.email = "sam@example.org"
    contact = demo_context.contact_repo.get(2)
    contact.emails = ["lena@example.com"]
    contact.first_name, contact.last_name = "Lena", "Plain"
    demo_context.contact_repo.update(contact)
    plain = demo_context.meetings.add(
        [2], datetime(2026, 12, 3, 10), tz="Europe/Lisbon",
        venue=VenueChoice(name="Cafe", address="Rua 1"), invitation_text="Hello",
    )  # fmt: skip
    expected = _shape(demo_context.calendar.build([plain]))
    expected_private = _shape(demo_context.calendar.build([plain], private=True))

    contact.first_name, contact.last_name = "L" + name, ""
    demo_context.contact_repo.update(contact)
    odd = demo_context.meetings.add(
        [2], datetime(2026, 12, 3, 10), tz="Europe/Lisbon",
        venue=VenueChoice(name="V" + venue, address="A" + venue), invitation_text="I" + invitation,
    )  # fmt: skip
    data = demo_context.calendar.build([odd])
    assert _shape(data) == expected
    assert _shape(demo_context.calendar.build([odd], private=True)) == expected_private
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["UID"]) == odd.uid
    assert str(event["ATTENDEE"]) == "mailto:lena@example.com"
    # Every physical line is a content line: no raw CR or LF slipped through.
    assert all(b"\r" not in line and b"\n" not in line for line in data.split(b"\r\n"))

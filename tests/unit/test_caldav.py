"""Publishing to a real Radicale server started on loopback: create, update, delete."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import icalendar
import pytest
import vobject

from netplanner.domain.errors import InputError
from netplanner.services.caldav import (
    CalDAVService,
    password_from_keyring,
    store_password_in_keyring,
)
from netplanner.services.context import AppContext
from netplanner.services.meetings import VenueChoice
from netplanner.settings import CalDAVSettings, Settings
from tests.radicale_server import PASSWORD, USER, Radicale, free_port, running_radicale


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


def _service(context: AppContext, radicale: Radicale, password: str = PASSWORD) -> CalDAVService:
    settings = Settings(caldav=CalDAVSettings(url=radicale.calendar, username=USER))
    return CalDAVService(settings, context.meetings, context.calendar, lambda: password)


def test_meeting_is_created_updated_with_if_match_and_deleted(
    demo_context: AppContext, radicale: Radicale
) -> None:
    service = _service(demo_context, radicale)
    meeting = demo_context.meetings.add([1], datetime(2026, 12, 3, 10), tz="Europe/Lisbon")
    created = service.publish(meeting.id or 0)
    assert created.created and created.etag
    assert created.href.startswith(radicale.calendar) and created.href.endswith(".ics")
    stored = demo_context.meetings.get(meeting.id or 0)
    assert (stored.caldav_href, stored.caldav_etag) == (created.href, created.etag)

    status, body = radicale.request("GET", created.href)
    assert status == 200
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid and str(event["STATUS"]) == "TENTATIVE"
    assert "METHOD" not in icalendar.Calendar.from_ical(body)
    vobject.readOne(body.decode("utf-8"))  # the server's copy reads with a second parser too

    demo_context.meetings.reschedule(meeting.id or 0, datetime(2026, 12, 3, 15, 0))
    updated = service.publish(meeting.id or 0)
    assert not updated.created and updated.href == created.href
    assert updated.etag and updated.etag != created.etag
    _, body = radicale.request("GET", created.href)
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").hour == 15

    service.unpublish(meeting.id or 0)
    assert radicale.request("GET", created.href)[0] == 404
    assert demo_context.meetings.get(meeting.id or 0).caldav_href is None


def test_update_refuses_to_overwrite_a_copy_changed_on_the_server(
    demo_context: AppContext, radicale: Radicale
) -> None:
    service = _service(demo_context, radicale)
    meeting = demo_context.meetings.add([2], datetime(2026, 12, 4, 10), tz="Europe/Berlin")
    published = service.publish(meeting.id or 0)
    _, body = radicale.request("GET", published.href)
    changed = body.replace(b"SUMMARY:Coffee", b"SUMMARY:Lunch")
    assert radicale.request("PUT", published.href, changed)[0] in (201, 204)

    demo_context.meetings.cancel(meeting.id or 0)
    with pytest.raises(InputError, match="changed since it was last published"):
        service.publish(meeting.id or 0)
    _, body = radicale.request("GET", published.href)
    assert b"SUMMARY:Lunch" in body  # the server's copy was kept
    with pytest.raises(InputError, match="changed since"):
        service.unpublish(meeting.id or 0)
    # A meeting that forgot where it was published cannot create over the existing copy.
    stored = demo_context.meetings.get(meeting.id or 0)
    demo_context.meetings.record_publication(stored, None, None)
    with pytest.raises(InputError, match="already holds an event"):
        service.publish(meeting.id or 0)


def test_wrong_password_or_unreachable_server_is_one_clear_error(
    demo_context: AppContext, radicale: Radicale
) -> None:
    meeting = demo_context.meetings.add([3], datetime(2026, 12, 4, 10), tz="Europe/Berlin")
    with pytest.raises(InputError, match="refused the user name or password"):
        _service(demo_context, radicale, password="wrong").publish(meeting.id or 0)
    unreachable = CalDAVSettings(url=f"http://127.0.0.1:{free_port()}/cal/", username=USER)
    gone = CalDAVService(
        Settings(caldav=unreachable), demo_context.meetings, demo_context.calendar,
        lambda: PASSWORD,
    )  # fmt: skip
    with pytest.raises(InputError, match="cannot be reached"):
        gone.publish(meeting.id or 0)
    assert demo_context.meetings.get(meeting.id or 0).caldav_href is None


def test_password_lives_in_the_keyring_never_in_the_settings_file(
    context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring

    secrets: dict[tuple[str, str], str] = {}  # an in-memory keyring, for this test alone
    monkeypatch.setattr(keyring, "get_password", lambda s, u: secrets.get((s, u)))
    monkeypatch.setattr(keyring, "set_password", lambda s, u, p: secrets.__setitem__((s, u), p))
    context.settings.caldav = CalDAVSettings(url="https://dav.example/cal/", username=USER)
    assert password_from_keyring(context.settings.caldav) is None
    store_password_in_keyring(context.settings.caldav, PASSWORD)
    assert password_from_keyring(context.settings.caldav) == PASSWORD
    assert context.caldav.password() == PASSWORD
    context.save_settings()
    assert PASSWORD not in Path(context.paths.settings_file).read_text(encoding="utf-8")


def test_radicale_accepts_the_exported_file_of_a_meeting(
    demo_context: AppContext, radicale: Radicale, tmp_path: Path
) -> None:
    demo_context.settings.profile.email = "sam@example.org"
    venue = demo_context.venue_repo.list()[0]
    meeting = demo_context.meetings.add(
        [1, 2], datetime(2026, 12, 3, 10), venue=VenueChoice(venue.id),
        invitation_text="Coffee, tea; or\\ juice?\r\nSee you",
    )  # fmt: skip
    path = tmp_path / "meeting.ics"
    demo_context.calendar.export(path, meeting_id=meeting.id)
    href = f"{radicale.calendar}exported-{meeting.id}.ics"
    assert radicale.request("PUT", href, path.read_bytes())[0] == 201
    status, body = radicale.request("GET", href)
    assert status == 200
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid
    assert str(event["DESCRIPTION"]).endswith("Coffee, tea; or\\ juice?\nSee you")

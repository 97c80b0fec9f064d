"""Publishing to a real Radicale server started on loopback: create, update, delete."""

from __future__ import annotations

import base64
import dataclasses
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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
from netplanner.settings import CalDAVSettings

USER, PASSWORD = "sam", "s3cret, with; odd:chars"


@dataclasses.dataclass(frozen=True)
class Radicale:
    base: str
    calendar: str

    def request(self, method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(
            url, data=body, method=method, headers={"Authorization": f"Basic {token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """A real Radicale server on 127.0.0.1 with htpasswd auth and a fresh calendar."""
    root = tmp_path_factory.mktemp("radicale")
    (root / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = _free_port()
    config = root / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {root / 'users'}\n"
        "htpasswd_encryption = plain\ndelay = 0\n"
        f"[storage]\nfilesystem_folder = {root / 'collections'}\n"
        "[rights]\ntype = owner_only\n[logging]\nlevel = warning\n"
    )
    log = (root / "log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)], stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    server = Radicale(base, f"{base}/{USER}/meetings/")
    try:
        for _ in range(200):
            if process.poll() is not None:
                raise RuntimeError((root / "log").read_text())
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        status, body = server.request("MKCALENDAR", server.calendar)
        assert status == 201, body
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _service(context: AppContext, radicale: Radicale, password: str = PASSWORD) -> CalDAVService:
    settings = CalDAVSettings(url=radicale.calendar, username=USER)
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
    gone = CalDAVService(
        CalDAVSettings(url=f"http://127.0.0.1:{_free_port()}/cal/", username=USER),
        demo_context.meetings, demo_context.calendar, lambda: PASSWORD,
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

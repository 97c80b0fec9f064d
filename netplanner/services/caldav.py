"""Publishing meetings to a CalDAV calendar over plain HTTP (RFC 4791).

Create is a PUT that must not overwrite (If-None-Match: *), update a PUT guarded by the
ETag stored last time (If-Match), so a copy edited on the server is never silently lost.
The password comes from the system keyring or is asked for each time; it is never stored
in the settings or the database.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from netplanner.domain.entities import Meeting
from netplanner.domain.errors import InputError
from netplanner.services.calendar_ics import CalendarService
from netplanner.services.meetings import MeetingService
from netplanner.settings import CalDAVSettings, Settings, SettingsProvider, provider_of

KEYRING_SERVICE = "netplanner-caldav"
TIMEOUT_S = 20.0


def keyring_user(settings: CalDAVSettings) -> str:
    """The keyring entry's user name: one password per user and server."""
    return f"{settings.username}@{settings.url}"


def password_from_keyring(settings: CalDAVSettings) -> str | None:
    """The stored CalDAV password, or None when there is none (or no keyring at all)."""
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_user(settings))
    except keyring.errors.KeyringError:
        return None


def store_password_in_keyring(settings: CalDAVSettings, password: str) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_user(settings), password)
    except keyring.errors.KeyringError as exc:
        raise InputError(f"The system keyring cannot store the password ({exc}).") from None


@dataclass(frozen=True)
class Published:
    meeting: Meeting
    href: str
    etag: str | None
    created: bool


class CalDAVService:
    """Create, update and delete meetings on a CalDAV calendar collection."""

    def __init__(
        self,
        settings: SettingsProvider | Settings,
        meetings: MeetingService,
        calendar: CalendarService,
        password: Callable[[], str | None],
    ) -> None:
        self._settings = provider_of(settings)
        self.meetings = meetings
        self.calendar = calendar
        self.password = password

    @property
    def settings(self) -> CalDAVSettings:
        """The calendar's address and user as they are set now."""
        return self._settings.current().caldav

    def _collection(self) -> str:
        url = self.settings.url.strip()
        if not url:
            raise InputError("No CalDAV calendar is set up; set its URL in the settings.")
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise InputError(f"The CalDAV URL '{url}' is not an http or https address.")
        return url if url.endswith("/") else url + "/"

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str]]:
        all_headers = dict(headers or {})
        username = self.settings.username
        if username:
            secret = self.password()
            if secret is None:
                raise InputError(
                    "No CalDAV password: store one in the system keyring or give it when asked."
                )
            token = base64.b64encode(f"{username}:{secret}".encode()).decode()
            all_headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(url, data=body, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}
        except urllib.error.HTTPError as exc:
            return exc.code, {k.lower(): v for k, v in exc.headers.items()}
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise InputError(f"The CalDAV server at {url} cannot be reached ({reason}).") from None

    def publish(self, meeting_id: int) -> Published:
        """Create the meeting on the server, or update the copy published before."""
        meeting = self.meetings.get(meeting_id)
        body = self.calendar.build([meeting], for_caldav=True)
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        created = meeting.caldav_href is None
        if created:
            href = self._collection() + urllib.parse.quote(meeting.uid, safe="@-_.") + ".ics"
            headers["If-None-Match"] = "*"
        else:
            assert meeting.caldav_href is not None
            href = meeting.caldav_href
            if meeting.caldav_etag:
                headers["If-Match"] = meeting.caldav_etag
        status, response = self._request("PUT", href, body, headers)
        if created and status == 412:
            raise InputError(
                f"The calendar already holds an event at {href}; nothing was overwritten."
            )
        self._check(status, "publish", href)
        etag = response.get("etag")
        stored = self.meetings.record_publication(meeting, href, etag)
        return Published(stored, href, etag, created)

    def unpublish(self, meeting_id: int) -> Meeting:
        """Delete the meeting's copy from the server (guarded by its ETag)."""
        meeting = self.meetings.get(meeting_id)
        if meeting.caldav_href is None:
            raise InputError(f"Meeting {meeting_id} has not been published to a calendar.")
        headers = {"If-Match": meeting.caldav_etag} if meeting.caldav_etag else {}
        status, _ = self._request("DELETE", meeting.caldav_href, None, headers)
        if status != 404:  # already gone is as good as deleted
            self._check(status, "delete", meeting.caldav_href)
        return self.meetings.record_publication(meeting, None, None)

    @staticmethod
    def _check(status: int, action: str, href: str) -> None:
        if 200 <= status < 300:
            return
        if status == 412:
            raise InputError(
                f"Cannot {action} {href}: the copy on the server changed since it was last "
                "published; nothing was overwritten."
            )
        if status in (401, 403):
            raise InputError(f"The CalDAV server refused the user name or password ({status}).")
        raise InputError(f"The CalDAV server answered {status} to {action} {href}.")

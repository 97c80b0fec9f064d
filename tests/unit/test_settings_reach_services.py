"""Settings changed in a running app reach the services that were built before the change.

Each test builds the services first (as the window does on start), then changes the
settings the way the Settings dialog does, and checks the built service follows them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from netplanner.domain.entities import Contact, LocationStatus
from netplanner.domain.errors import InputError
from netplanner.domain.fairness import Point
from netplanner.paths import resolve_paths
from netplanner.services.context import AppContext
from netplanner.services.planning import SuggestionRequest
from netplanner.settings import (
    CalDAVSettings,
    GeocodingSettings,
    ProfileSettings,
    Settings,
    SettingsProvider,
    VenueSettings,
    load_settings,
)
from tests.radicale_server import free_port
from tests.unit.geocoding.nominatim_stub import NominatimStub

UNKNOWN_OFFLINE = "Alpha Town Qwxz"  # not in the gazetteer; the stub finds anything
LISBON = (38.7223, -9.1393)


@pytest.fixture
def nominatim() -> Iterator[NominatimStub]:
    """A Nominatim-like server on 127.0.0.1; never the internet."""
    with NominatimStub() as stub:
        yield stub


def _online(stub: NominatimStub) -> Settings:
    return Settings(
        geocoding=GeocodingSettings(online=True, endpoint=stub.url, contact_email="t@example.org")
    )


def _near_lisbon(context: AppContext) -> Contact:
    return context.contact_repo.add(
        Contact(
            first_name="Rita",
            last_name="Sousa",
            lat=38.7250,
            lon=-9.1400,
            location_text="Lisbon, Portugal",
            location_status=LocationStatus.FOUND,
            interests=["Jazz"],
            emails=["rita@example.pt"],
        )
    )


def _lisbon_request() -> SuggestionRequest:
    return SuggestionRequest(
        lat=LISBON[0],
        lon=LISBON[1],
        start=date(2026, 12, 7),
        end=date(2026, 12, 9),
        tzid="Europe/Lisbon",
        label="Lisbon",
    )


def test_switching_online_geocoding_on_reaches_the_built_service(
    context: AppContext, nominatim: NominatimStub
) -> None:
    geocoding = context.geocoding
    assert not geocoding.lookup(UNKNOWN_OFFLINE, online=True).found
    assert nominatim.record.count == 0, "off: nothing leaves the machine"

    context.update_settings(_online(nominatim))

    found = geocoding.lookup(UNKNOWN_OFFLINE, online=True)
    assert found.found and found.best is not None
    assert nominatim.record.texts() == [UNKNOWN_OFFLINE]
    assert load_settings(context.paths.settings_file).geocoding.online is True


def test_switching_online_geocoding_off_again_stops_the_online_lookups(
    context: AppContext, nominatim: NominatimStub
) -> None:
    context.update_settings(_online(nominatim))
    geocoding = context.geocoding
    assert geocoding.lookup("Beta Village Qwxz", online=True).found
    context.update_settings(Settings())
    assert not geocoding.lookup("Gamma Hamlet Qwxz", online=True).found
    assert nominatim.record.count == 1


def test_a_new_endpoint_is_used_by_the_built_service(
    context: AppContext, nominatim: NominatimStub
) -> None:
    unreachable = _online(nominatim)
    unreachable.geocoding.endpoint = f"http://127.0.0.1:{free_port()}"
    unreachable.geocoding.timeout_s = 2.0
    context.update_settings(unreachable)
    geocoding = context.geocoding
    assert geocoding.lookup("Delta Town Qwxz", online=True).failed
    context.update_settings(_online(nominatim))
    assert geocoding.lookup("Delta Town Qwxz", online=True).found
    assert nominatim.record.texts() == ["Delta Town Qwxz"]


def test_the_dialogs_way_of_assigning_settings_reaches_services_too(
    context: AppContext, nominatim: NominatimStub
) -> None:
    """What the window does today: assign ``context.settings``, then ``save_settings()``."""
    geocoding = context.geocoding
    context.settings = _online(nominatim)
    context.save_settings()
    assert geocoding.lookup(UNKNOWN_OFFLINE, online=True).found
    assert load_settings(context.paths.settings_file).geocoding.endpoint == nominatim.url


def test_a_setting_changed_in_place_reaches_services_too(
    context: AppContext, nominatim: NominatimStub
) -> None:
    """The online-consent dialog switches ``context.settings.geocoding.online`` in place."""
    geocoding = context.geocoding
    context.settings.geocoding.endpoint = nominatim.url
    assert not geocoding.lookup(UNKNOWN_OFFLINE, online=True).found
    context.settings.geocoding.online = True
    assert geocoding.lookup(UNKNOWN_OFFLINE, online=True).found


def test_units_and_interests_reach_the_built_planner(context: AppContext) -> None:
    _near_lisbon(context)
    planner = context.planner
    before = planner.suggest(_lisbon_request())[0]
    assert any(r.endswith("km from Lisbon") or " m from " in r for r in before.reasons)
    assert not any("Jazz" in r for r in before.reasons)

    context.update_settings(Settings(units="mi", profile=ProfileSettings(interests=["jazz"])))

    after = planner.suggest(_lisbon_request())[0]
    assert any(r.endswith("mi from Lisbon") for r in after.reasons), after.reasons
    assert "shares your interest in Jazz" in after.reasons


def test_the_profile_reaches_the_built_invitations_and_calendar(context: AppContext) -> None:
    rita = _near_lisbon(context)
    invitations, calendar = context.invitations, context.calendar
    meeting = context.meetings.add([rita.id or 0], datetime(2026, 12, 8, 10), tz="Europe/Lisbon")
    day = date(2026, 12, 8)
    assert "Sam Planner" not in invitations.draft(rita, "Café A Brasileira", day, []).text
    assert b"ORGANIZER" not in calendar.build([meeting])

    profile = ProfileSettings(name="Sam Planner", email="sam@example.org", interests=["Jazz"])
    context.update_settings(Settings(profile=profile))

    draft = invitations.draft(rita, "Café A Brasileira", day, []).text
    assert draft.rstrip().endswith("Sam Planner")
    assert "into Jazz too" in draft
    ics = calendar.build([meeting]).decode()
    assert "mailto:sam@example.org" in ics and "ORGANIZER" in ics


def test_online_venues_switched_on_reach_the_built_finder(context: AppContext) -> None:
    rita = _near_lisbon(context)
    finder = context.venue_finder
    me = Point(*LISBON)
    offline = finder.find(me, rita, online=True)
    assert finder.overpass.requests == 0, "online venues are off in the settings"
    assert any("online search is off" in note for note in offline.notes)

    endpoint = f"http://127.0.0.1:{free_port()}/api/interpreter"
    context.update_settings(Settings(venues=VenueSettings(online=True, overpass_endpoint=endpoint)))

    answer = finder.find(me, rita, online=True)
    assert finder.overpass.endpoint == endpoint
    assert finder.overpass.requests == 1
    assert any("OpenStreetMap could not be reached" in note for note in answer.notes)


def test_a_calendar_set_up_later_reaches_the_built_caldav_service(context: AppContext) -> None:
    rita = _near_lisbon(context)
    meeting = context.meetings.add([rita.id or 0], datetime(2026, 12, 8, 10), tz="Europe/Lisbon")
    caldav = context.caldav
    with pytest.raises(InputError, match="No CalDAV calendar is set up"):
        caldav.publish(meeting.id or 0)
    url = f"http://127.0.0.1:{free_port()}/cal/"
    context.update_settings(Settings(caldav=CalDAVSettings(url=url)))
    with pytest.raises(InputError, match="cannot be reached"):
        caldav.publish(meeting.id or 0)


def test_two_contexts_can_share_one_provider(tmp_path: Path, context: AppContext) -> None:
    """The demo network's context follows the settings of the window that opened it."""
    demo = AppContext(
        paths=resolve_paths(tmp_path / "demo"),
        db_url="sqlite:///:memory:",
        settings=context.settings_provider,
    )
    context.update_settings(Settings(units="mi"))
    assert demo.settings.units == "mi"


def test_a_provider_hands_out_the_current_settings() -> None:
    first = Settings()
    provider = SettingsProvider(first)
    assert provider.current() is first
    second = copy.deepcopy(first)
    second.units = "mi"
    provider.replace(second)
    assert provider.current() is second
    assert SettingsProvider().current() == Settings()

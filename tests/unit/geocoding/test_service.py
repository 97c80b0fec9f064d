"""Geocoding the network: dedup, cache, manual choices, cancel and resume, no sockets offline."""

from __future__ import annotations

import socket

import pytest

from netplanner.domain.entities import Contact, LocationStatus
from netplanner.domain.errors import CancelledError, InputError, NotFoundError
from netplanner.domain.progress import CancelToken
from netplanner.domain.ratelimit import RateLimiter
from netplanner.services.context import AppContext
from netplanner.services.geocoding.online import OnlineGeocoder
from netplanner.services.geocoding.service import GeocodingService
from netplanner.settings import GeocodingSettings
from tests.unit.geocoding.conftest import FakeClock
from tests.unit.geocoding.nominatim_stub import NominatimStub


def _add(context: AppContext, *locations: str | None) -> list[Contact]:
    contacts = [
        Contact(first_name=f"Person{i}", location_text=text) for i, text in enumerate(locations)
    ]
    return context.contact_repo.add_many(contacts)


def _online_service(
    context: AppContext, stub: NominatimStub, clock: FakeClock, attempts: int = 2
) -> GeocodingService:
    settings = GeocodingSettings(online=True, endpoint=stub.url, contact_email="t@example.org")

    def factory() -> OnlineGeocoder:
        return OnlineGeocoder(
            settings,
            "0.0-test",
            limiter=RateLimiter(1.0, clock=clock, sleep=clock.sleep),
            max_attempts=attempts,
            sleep=clock.sleep,
        )

    return GeocodingService(
        context.contact_repo, context.place_repo, context.locator, settings, online_factory=factory
    )


def test_contacts_sharing_a_location_are_all_placed_from_one_lookup(
    context: AppContext,
) -> None:
    _add(context, "Munich", "münchen", "MUNICH ", "Muenchen", "Remote", None, "Paris, TX")
    report = context.geocoding.geocode_all()
    assert (report.located, report.not_found, report.failed, report.requests) == (5, 1, 0, 0)
    contacts = {c.first_name: c for c in context.contact_repo.list()}
    assert contacts["Person0"].lat == contacts["Person2"].lat
    assert contacts["Person1"].timezone == "Europe/Berlin"
    assert contacts["Person1"].location_status is LocationStatus.FOUND
    assert contacts["Person4"].location_status is LocationStatus.NOT_FOUND
    assert contacts["Person5"].location_status is LocationStatus.UNRESOLVED
    assert contacts["Person6"].admin1 == "Texas"
    assert report.places == 5  # munich, munchen, muenchen, remote, paris tx


def test_second_online_run_sends_nothing(
    context: AppContext, nominatim: NominatimStub, clock: FakeClock
) -> None:
    _add(context, "Alpha Town", "alpha town", "Beta City", "empty nowhere")
    service = _online_service(context, nominatim, clock)
    first = service.geocode_all(online=True)
    assert (first.located, first.not_found, first.requests) == (3, 1, 2 + 1)
    assert nominatim.record.count == 3
    # New contacts with known texts: answered from the cache.
    _add(context, "ALPHA TOWN", "Beta City")
    second = service.geocode_all(online=True)
    assert second.requests == 0
    assert second.located == 2
    assert nominatim.record.count == 3


def test_failures_are_stored_as_failed_and_retried_on_the_next_run(
    context: AppContext, nominatim: NominatimStub, clock: FakeClock
) -> None:
    [contact] = _add(context, "error500 springs")
    service = _online_service(context, nominatim, clock)
    report = service.geocode_all(online=True)
    assert (report.failed, report.not_found, report.requests) == (1, 0, 2)
    assert context.contact_repo.get(contact.id or 0).location_status is LocationStatus.FAILED
    again = service.geocode_all(online=True)
    assert again.requests == 2  # failed answers are not cached as answers


def test_online_requested_but_switched_off_opens_no_socket(
    context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(context, "Lisbon", "Greater Seattle Area")
    context.locator.locate("warm up")  # opening the file is not networking; do it first

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert context.settings.geocoding.online is False
    report = context.geocoding.geocode_all(online=True)
    assert (report.located, report.requests, report.online) == (2, 0, False)
    assert context.geocoding.lookup("Cambridge, MA", online=True).found


def test_manual_location_is_never_overwritten(context: AppContext) -> None:
    [contact] = _add(context, "Paris")
    assert contact.id is not None
    choice = context.geocoding.set_location(contact.id, "Paris, TX")
    assert choice.contact.location_status is LocationStatus.MANUAL
    assert "location" in choice.contact.edited_fields
    context.geocoding.geocode_all()
    stored = context.contact_repo.get(contact.id)
    assert stored.admin1 == "Texas"
    assert stored.location_status is LocationStatus.MANUAL


def test_manual_choice_picks_one_of_the_candidates(context: AppContext) -> None:
    [contact] = _add(context, None)
    assert contact.id is not None
    candidates = context.geocoding.candidates("Cambridge")
    index = next(i for i, c in enumerate(candidates) if c.admin1 == "Massachusetts")
    choice = context.geocoding.set_location(contact.id, "Cambridge", choice=index)
    assert choice.contact.admin1 == "Massachusetts"
    assert choice.contact.timezone == "America/New_York"
    with pytest.raises(InputError):
        context.geocoding.set_location(contact.id, "Cambridge", choice=len(candidates))


def test_unknown_place_changes_nothing(context: AppContext) -> None:
    [contact] = _add(context, "Lisbon")
    assert contact.id is not None
    with pytest.raises(NotFoundError):
        context.geocoding.set_location(contact.id, "Qwxzv Nowhere")
    assert context.contact_repo.get(contact.id).location_text == "Lisbon"


class _CancelAfter(CancelToken):
    def __init__(self, reports: int) -> None:
        super().__init__()
        self.left = reports

    def report(self, done: int, total: int, message: str = "") -> None:
        super().report(done, total, message)
        if done:
            self.left -= 1
            if self.left <= 0:
                self.cancel()


def test_cancel_keeps_the_work_done_and_a_second_run_finishes(
    context: AppContext, nominatim: NominatimStub, clock: FakeClock
) -> None:
    _add(context, "One", "Two", "Three", "Four", "Five")
    service = _online_service(context, nominatim, clock)
    with pytest.raises(CancelledError, match="kept"):
        service.geocode_all(online=True, progress=_CancelAfter(2))
    placed = [c for c in context.contact_repo.list() if c.has_coordinates]
    assert len(placed) == 2
    report = service.geocode_all(online=True)
    assert (report.located, report.requests) == (3, 3)
    assert all(c.has_coordinates for c in context.contact_repo.list())


def test_cancel_before_anything_changes_nothing(context: AppContext) -> None:
    _add(context, "Lisbon")
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        context.geocoding.geocode_all(progress=token)
    assert context.contact_repo.list()[0].location_status is LocationStatus.UNRESOLVED


def test_progress_reaches_the_total(context: AppContext) -> None:
    _add(context, "Lisbon", "Porto", "Faro")
    token = CancelToken()
    context.geocoding.geocode_all(progress=token)
    assert token.last[:2] == (3, 3)


def test_completion_is_served_for_the_location_field(context: AppContext) -> None:
    names = [m.name for m in context.geocoding.complete("Mun")]
    assert names[0] == "Munich, Bavaria, Germany"


def test_a_service_that_keeps_failing_is_not_asked_about_every_place(
    context: AppContext, nominatim: NominatimStub, clock: FakeClock
) -> None:
    _add(context, *(f"error500 place {n}" for n in range(6)))
    service = _online_service(context, nominatim, clock, attempts=1)
    report = service.geocode_all(online=True)
    assert report.gave_up
    assert (report.failed, report.requests) == (6, 3)
    statuses = {c.location_status for c in context.contact_repo.list()}
    assert statuses == {LocationStatus.FAILED}

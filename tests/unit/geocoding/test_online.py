"""Online geocoding against a loopback Nominatim: policy, retries, failures kept apart."""

from __future__ import annotations

from netplanner.domain.ratelimit import RateLimiter
from netplanner.services.geocoding.online import OnlineGeocoder, user_agent
from netplanner.settings import GeocodingSettings
from tests.unit.geocoding.conftest import FakeClock
from tests.unit.geocoding.nominatim_stub import NominatimStub


def _geocoder(
    stub: NominatimStub, clock: FakeClock, timeout: float = 5.0, attempts: int = 3
) -> OnlineGeocoder:
    settings = GeocodingSettings(
        online=True, endpoint=stub.url, contact_email="me@example.org", timeout_s=timeout
    )
    return OnlineGeocoder(
        settings,
        "9.9.9",
        limiter=RateLimiter(1.0, clock=clock, sleep=clock.sleep),
        max_attempts=attempts,
        max_backoff=10.0,
        sleep=clock.sleep,
    )


def test_found_place_comes_back_with_its_coordinates(
    nominatim: NominatimStub, clock: FakeClock
) -> None:
    result = _geocoder(nominatim, clock).locate("Lisbon")
    assert result.found and not result.failed
    assert result.best is not None
    assert result.best.name == "Lisbon, Testland"
    assert result.best.country_code == "DE"
    assert result.best.source == "nominatim"
    assert nominatim.record.paths == ["/search"]


def test_only_the_location_text_is_sent_with_an_identifying_user_agent(
    nominatim: NominatimStub, clock: FakeClock
) -> None:
    _geocoder(nominatim, clock).locate("Cambridge, MA")
    assert nominatim.record.texts() == ["Cambridge, MA"]
    headers = nominatim.record.headers[0]
    assert headers["user-agent"] == "NetPlanner/9.9.9 (me@example.org)"
    assert "cookie" not in headers and "authorization" not in headers
    sent = nominatim.record.queries[0]
    assert set(sent) <= {"q", "format", "limit", "addressdetails", "accept-language"}


def test_user_agent_names_the_app_and_version_even_without_an_email() -> None:
    assert user_agent("1.2.3", "").startswith("NetPlanner/1.2.3 (")


def test_requests_to_one_host_are_spaced_one_second_apart(
    nominatim: NominatimStub, clock: FakeClock
) -> None:
    geocoder = _geocoder(nominatim, clock)
    for text in ("Berlin", "Paris", "Rome"):
        geocoder.locate(text)
    assert geocoder.requests == 3
    assert clock.sleeps == [1.0, 1.0]


def test_empty_answer_is_not_found_rather_than_failed(
    nominatim: NominatimStub, clock: FakeClock
) -> None:
    result = _geocoder(nominatim, clock).locate("empty place")
    assert not result.found and not result.failed
    assert nominatim.record.count == 1


def test_rate_limit_is_retried_after_the_retry_after_delay(
    nominatim: NominatimStub, clock: FakeClock
) -> None:
    geocoder = _geocoder(nominatim, clock)
    result = geocoder.locate("ratelimit town")
    assert result.found
    assert geocoder.requests == 2
    assert clock.sleeps == [2.0]  # Retry-After: 2, and the pacing second fits inside it


def test_server_errors_are_retried_then_reported_as_failed(
    nominatim: NominatimStub, clock: FakeClock
) -> None:
    geocoder = _geocoder(nominatim, clock, attempts=3)
    result = geocoder.locate("error500 city")
    assert result.failed and not result.found
    assert nominatim.record.count == 3
    assert max(clock.sleeps) <= 10.0


def test_unavailable_service_is_retried_and_then_answers(
    nominatim: NominatimStub, clock: FakeClock
) -> None:
    result = _geocoder(nominatim, clock).locate("busy503 village")
    assert result.found
    assert nominatim.record.count == 2


def test_timeouts_are_retried_then_reported_as_failed(
    nominatim: NominatimStub, clock: FakeClock
) -> None:
    geocoder = _geocoder(nominatim, clock, timeout=0.2, attempts=2)
    result = geocoder.locate("slow town")
    assert result.failed
    assert geocoder.requests == 2


def test_malformed_answer_fails_at_once_without_retrying(
    nominatim: NominatimStub, clock: FakeClock
) -> None:
    geocoder = _geocoder(nominatim, clock)
    result = geocoder.locate("malformed answer")
    assert result.failed
    assert nominatim.record.count == 1


def test_any_geopy_provider_by_name_gets_its_key_from_the_settings() -> None:
    settings = GeocodingSettings(online=True, provider="OpenCage", api_key="secret-key")
    geocoder = OnlineGeocoder(settings, "1.0")
    assert type(geocoder._geocoder).__name__ == "OpenCage"
    assert geocoder._geocoder.api_key == "secret-key"
    assert geocoder.provider == "opencage"


def test_custom_endpoint_is_used_for_providers_that_take_one() -> None:
    settings = GeocodingSettings(
        online=True, provider="nominatim", endpoint="https://geo.example.org/nominatim/"
    )
    geocoder = OnlineGeocoder(settings, "1.0")
    assert geocoder.host == "geo.example.org"
    assert geocoder._geocoder.domain == "geo.example.org/nominatim"
    assert geocoder._geocoder.scheme == "https"


def test_unknown_provider_is_one_clear_error() -> None:
    import pytest

    from netplanner.domain.errors import NetPlannerError

    with pytest.raises(NetPlannerError, match="not one geopy knows"):
        OnlineGeocoder(GeocodingSettings(online=True, provider="no-such-service"), "1.0")

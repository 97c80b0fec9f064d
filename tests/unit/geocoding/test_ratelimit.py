"""The per-host rate limiter and the retry backoff, on a fake clock."""

from __future__ import annotations

from netplanner.domain.ratelimit import RateLimiter, backoff_delay
from tests.unit.geocoding.conftest import FakeClock


def test_first_request_goes_at_once_and_the_next_waits_a_second(clock: FakeClock) -> None:
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    assert limiter.acquire("nominatim.openstreetmap.org") == 0
    assert limiter.acquire("nominatim.openstreetmap.org") == 1.0
    assert clock.sleeps == [1.0]


def test_hosts_are_paced_independently(clock: FakeClock) -> None:
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    limiter.acquire("a.example")
    assert limiter.acquire("b.example") == 0
    assert clock.sleeps == []


def test_time_already_passed_counts(clock: FakeClock) -> None:
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    limiter.acquire("host")
    clock.now += 0.7
    assert round(limiter.acquire("host"), 6) == 0.3


def test_retry_after_defers_the_next_request(clock: FakeClock) -> None:
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    limiter.acquire("host")
    limiter.defer("host", 5.0)
    assert limiter.acquire("host") == 5.0


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_delay(n, cap=5.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]


def test_backoff_honours_retry_after_within_the_cap() -> None:
    assert backoff_delay(1, retry_after=7, cap=30) == 7
    assert backoff_delay(1, retry_after=3600, cap=30) == 30

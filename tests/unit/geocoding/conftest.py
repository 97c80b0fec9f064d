"""Fixtures for unit tests: the offline gazetteer (built by ``make`` before the tests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netplanner.paths import resource
from netplanner.services.geocoding.gazetteer import OfflineGazetteer
from tests.unit.geocoding.nominatim_stub import NominatimStub


@pytest.fixture(scope="session")
def gazetteer() -> OfflineGazetteer:
    path = resource("gazetteer.sqlite")
    if not path.is_file():
        pytest.skip("resources/gazetteer.sqlite is missing: 'make test' builds it first")
    return OfflineGazetteer(path)


@pytest.fixture
def nominatim() -> Iterator[NominatimStub]:
    """A Nominatim-like server on 127.0.0.1 (see nominatim_stub.py for its answers)."""
    with NominatimStub() as stub:
        yield stub


class FakeClock:
    """A clock that moves only when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()

"""Fixtures for unit tests: the offline gazetteer (built by ``make`` before the tests)."""

from __future__ import annotations

import pytest

from netplanner.paths import resource
from netplanner.services.geocoding.gazetteer import OfflineGazetteer


@pytest.fixture(scope="session")
def gazetteer() -> OfflineGazetteer:
    path = resource("gazetteer.sqlite")
    if not path.is_file():
        pytest.skip("resources/gazetteer.sqlite is missing: 'make test' builds it first")
    return OfflineGazetteer(path)

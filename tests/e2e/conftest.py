"""Fixtures of the end-to-end tests: a headless desktop per session, one window per module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.desktop import HeadlessDesktop, remove_desktop_files, start_desktop
from tests.e2e.prerequisites import install_hint, missing_prerequisites
from tests.e2e.running_app import RunningApp, start_app, stop_app


@pytest.fixture(scope="session")
def desktop() -> Iterator[HeadlessDesktop]:
    """Xvfb, D-Bus and AT-SPI; on a machine without them, skip (or fail under CI)."""
    problems = missing_prerequisites()
    if problems:
        message = install_hint(problems)
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    started = start_desktop()
    try:
        yield started
    finally:
        started.stop()
        remove_desktop_files(started)


@pytest.fixture(scope="module")
def window(
    desktop: HeadlessDesktop, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningApp]:
    """The NetPlanner window on the demo network, shared by the tests of one module in order."""
    data_dir: Path = tmp_path_factory.mktemp("e2e-data")
    app = start_app(desktop, data_dir)
    try:
        yield app
    finally:
        stop_app(app)

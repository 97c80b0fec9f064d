"""Shared fixtures: a temporary data dir, a context on it, the demo network, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

# Qt must never look for a screen in tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from netplanner.services.context import AppContext, build_context

# The day the demo network is built around in tests, so results do not drift with the clock.
DEMO_TODAY = date(2026, 11, 26)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/gui, or using qtbot, is marked ``gui``."""
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()) or "/gui/" in str(item.fspath):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def context(data_dir: Path) -> Iterator[AppContext]:
    ctx = build_context(data_dir)
    yield ctx
    ctx.close()


@pytest.fixture
def demo_context(context: AppContext) -> AppContext:
    context.demo.load(today=DEMO_TODAY)
    return context


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli(data_dir: Path) -> Any:
    """Run ``netplanner`` as a subprocess against the temporary data dir."""

    def run(*args: str, data: Path | None = None, stdin: str | None = None) -> CliResult:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NETPLANNER_")}
        env["NETPLANNER_DATA_DIR"] = str(data or data_dir)
        proc = subprocess.run(
            [sys.executable, "-m", "netplanner", *args],
            capture_output=True,
            text=True,
            env=env,
            input=stdin,
            timeout=120,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run

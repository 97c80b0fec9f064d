"""GUI fixtures: a synchronous task runner, fake place lookups, and windows on temp data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from netplanner.domain.errors import CancelledError
from netplanner.domain.places import LocateResult, PlaceMatch
from netplanner.domain.progress import ProgressSink, check_cancelled
from netplanner.gui.main_window import MainWindow
from netplanner.gui.tasks import TaskRunner
from netplanner.services.context import AppContext

MUNICH = PlaceMatch("Munich, Bavaria, Germany", 48.137, 11.575, "DE", "Bavaria", "Europe/Berlin")
MUNSTER = PlaceMatch("Münster, North Rhine-Westphalia, Germany", 51.96, 7.63, "DE", None, None)
PARIS_FR = PlaceMatch(
    "Paris, Île-de-France, France", 48.857, 2.352, "FR", None, "Europe/Paris", 2_138_551
)
PARIS_TX = PlaceMatch("Paris, Texas, United States", 33.661, -95.556, "US", "Texas", None, 24_171)
PORTLAND_OR = PlaceMatch(
    "Portland, Oregon, United States", 45.52, -122.68, "US", population=652_503
)
PORTLAND_ME = PlaceMatch("Portland, Maine, United States", 43.66, -70.25, "US", population=66_881)


class FakeGazetteer:
    """A tiny stand-in for the offline gazetteer with one ambiguous name."""

    def complete(self, prefix: str, limit: int = 10) -> list[PlaceMatch]:
        places = [MUNICH, MUNSTER, PARIS_FR, PARIS_TX]
        return [p for p in places if p.name.lower().startswith(prefix.lower())][:limit]

    def locate(self, text: str) -> LocateResult:
        key = text.strip().lower()
        if key.startswith("munich") or key == "münchen":
            return LocateResult(text, MUNICH, (MUNICH,))
        if key == "paris":
            return LocateResult(text, PARIS_FR, (PARIS_FR, PARIS_TX))
        if key == "portland":
            return LocateResult(text, PORTLAND_OR, (PORTLAND_OR, PORTLAND_ME))
        return LocateResult(text, None)


@dataclass
class FakeReport:
    format: str
    file: Path
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)

    def warning_texts(self) -> list[str]:
        return [f"line {line}: {reason}" for line, reason in self.warnings]


@pytest.fixture
def runner() -> TaskRunner:
    return TaskRunner(synchronous=True)


@pytest.fixture
def window(demo_context: AppContext, runner: TaskRunner, qtbot: Any) -> Iterator[MainWindow]:
    demo_context.__dict__["locator"] = FakeGazetteer()
    win = MainWindow(demo_context, runner)
    qtbot.addWidget(win)
    win.show()
    win.show_workspace("contacts")  # most tests here work on contacts; Today has its own
    yield win


@pytest.fixture
def empty_window(context: AppContext, runner: TaskRunner, qtbot: Any) -> Iterator[MainWindow]:
    win = MainWindow(context, runner)
    qtbot.addWidget(win)
    yield win


def cancel_midway(progress: ProgressSink, total: int) -> None:
    """Report progress and stop when asked, as services do."""
    for done in range(total):
        progress.report(done, total, f"Row {done}")
        check_cancelled(progress)


__all__ = ["CancelledError", "FakeGazetteer", "FakeReport", "cancel_midway"]

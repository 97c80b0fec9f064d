"""Progress reporting and cancellation for long work, with no Qt in sight.

Services accept a ``ProgressSink``; the GUI's task helper passes one that forwards to a
signal and the command line passes ``NullProgress``.
"""

from __future__ import annotations

import threading
from typing import Protocol

from netplanner.domain.errors import CancelledError


class ProgressSink(Protocol):
    def report(self, done: int, total: int, message: str = "") -> None:
        """Tell how far the work has come."""

    def cancelled(self) -> bool:
        """True once the user asked to stop."""


class NullProgress:
    """Reports nowhere and never cancels."""

    def report(self, done: int, total: int, message: str = "") -> None:
        return None

    def cancelled(self) -> bool:
        return False


class CancelToken:
    """A thread-safe flag and progress record; a simple sink for tests and the CLI."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.last: tuple[int, int, str] = (0, 0, "")

    def cancel(self) -> None:
        self._event.set()

    def cancelled(self) -> bool:
        return self._event.is_set()

    def report(self, done: int, total: int, message: str = "") -> None:
        self.last = (done, total, message)


def check_cancelled(progress: ProgressSink) -> None:
    """Raise ``CancelledError`` when the user asked to stop."""
    if progress.cancelled():
        raise CancelledError("Cancelled; nothing was changed.")

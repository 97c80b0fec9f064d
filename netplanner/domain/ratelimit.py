"""A per-host request pacer and the retry backoff, in pure Python (no clock of its own).

Nominatim's usage policy allows one request per second; other services ask for the same
courtesy after a 429. The limiter takes its clock and sleep from the caller, so tests run it
with a fake clock and never wait.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Spaces requests to each host at least ``min_interval`` seconds apart; thread-safe."""

    def __init__(
        self,
        min_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._next_allowed: dict[str, float] = {}
        self._lock = threading.Lock()

    def acquire(self, host: str) -> float:
        """Wait until a request to ``host`` is allowed and book it; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_allowed.get(host, now))
            self._next_allowed[host] = start + self.min_interval
        waited = start - now
        if waited > 0:
            self._sleep(waited)
        return waited

    def defer(self, host: str, seconds: float) -> None:
        """Allow no request to ``host`` for ``seconds`` from now (a Retry-After answer)."""
        with self._lock:
            until = self._clock() + max(0.0, seconds)
            self._next_allowed[host] = max(self._next_allowed.get(host, until), until)


def backoff_delay(
    attempt: int, retry_after: float | None = None, base: float = 1.0, cap: float = 30.0
) -> float:
    """Seconds to wait before retry number ``attempt`` (1 = first retry), never above ``cap``.

    A server's Retry-After is honoured as given (within the cap); otherwise the wait doubles
    with each attempt.
    """
    if retry_after is not None and retry_after >= 0:
        return min(float(retry_after), cap)
    return float(min(base * 2.0 ** max(0, attempt - 1), cap))

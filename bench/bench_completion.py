"""Place completion as the Location field asks for it: one ``complete`` per keystroke.

The window asks on the read worker (latest keystroke wins), so the popup fills within a
frame when each answer takes well under one: the floor is 16 ms at the 99th percentile,
over every prefix of a set of place texts typed letter by letter (cold cache: each prefix
asked once). Enter then asks ``locate`` for the whole text on the GUI thread: its floor is
8 ms (half a frame) at the 99th percentile. The baseline: a naive ``LIKE`` scan of the names.
"""

from __future__ import annotations

import sqlite3
import statistics
import time

from netplanner.paths import resource
from netplanner.services.geocoding.gazetteer import OfflineGazetteer

COMPLETE_P99_FLOOR_MS = 16.0  # a frame: the answer comes from the worker
LOCATE_P99_FLOOR_MS = 8.0  # on the GUI thread, once per Enter: half a frame
TYPED = (
    "Munich", "München", "Lisbon", "Cambridge, MA", "Cambridge, England", "San Francisco",
    "New York", "Greater Seattle Area", "São Paulo", "St. Petersburg", "Springfield, IL",
    "Portland, Oregon", "Frankfurt am Main", "Zürich", "Kraków", "Tokyo", "Lagos, Nigeria",
    "Bengaluru", "Mexico City", "Buenos Aires", "Cape Town", "Reykjavík", "Ho Chi Minh City",
    "Wellington, New Zealand", "Paris, Texas", "Melbourne, Australia", "Den Haag",
)  # fmt: skip


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _time_each(calls: list[str], ask: object) -> list[float]:
    assert callable(ask)
    times = []
    for text in calls:
        start = time.perf_counter()
        ask(text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def run() -> bool:
    path = resource("gazetteer.sqlite")
    gazetteer = OfflineGazetteer(path)
    gazetteer.complete("warm up", 8)  # opens the file and loads the small tables
    prefixes = list(dict.fromkeys(t[:n] for t in TYPED for n in range(2, len(t) + 1)))
    completing = _time_each(prefixes, lambda p: gazetteer.complete(p, 8))
    locating = _time_each(list(TYPED), gazetteer.locate)
    naive_db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def naive(prefix: str) -> None:
        naive_db.execute(
            "SELECT place_id FROM names WHERE key LIKE ? ORDER BY place_id LIMIT 8",
            (prefix.casefold() + "%",),
        ).fetchall()

    baseline = _time_each(prefixes[:60], naive)
    p99 = _percentile(completing, 0.99)
    print(
        f"complete, {len(prefixes)} prefixes typed letter by letter: median "
        f"{statistics.median(completing):.3f} ms, p99 {p99:.3f} ms, worst {max(completing):.3f} ms "
        f"(floor p99 {COMPLETE_P99_FLOOR_MS:.0f} ms, on the read worker)"
    )
    print(
        f"locate on Enter, {len(TYPED)} texts: median {statistics.median(locating):.3f} ms, "
        f"p99 {_percentile(locating, 0.99):.3f} ms (floor p99 {LOCATE_P99_FLOOR_MS:.0f} ms)"
    )
    print(
        f"naive LIKE scan of the name table, first {len(baseline)} prefixes: median "
        f"{statistics.median(baseline):.1f} ms, p99 {_percentile(baseline, 0.99):.1f} ms"
    )
    ok = p99 <= COMPLETE_P99_FLOOR_MS and _percentile(locating, 0.99) <= LOCATE_P99_FLOOR_MS
    print("ok" if ok else "FLOOR MISSED")
    return ok

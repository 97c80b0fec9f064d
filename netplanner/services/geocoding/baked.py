"""What ``scripts/build_gazetteer.py`` bakes into the gazetteer file for quick lookups.

The file stores each name's places in reading order (so a lookup reads them without sorting)
and the few names that end or begin in decoration words ("Greater Sudbury", "Central
Coast"), so a decorated text is looked up once. Both depend on the constants below and on
the decoration phrases of ``placetext``; the file records their fingerprint, and the reader
refuses a file built with other ones (``make`` rebuilds it when either module changes).
"""

from __future__ import annotations

import hashlib
import json

from netplanner.services.geocoding import placetext

SCHEMA = "3"
# A place found by one of its alternate names counts for a tenth of its population: old
# names and nicknames ("Venice" for Dayton, "Cancun" for Changchun) must not beat the
# place that bears the name, while "Bombay" still finds Mumbai.
ALTERNATE_NAME_WEIGHT = 10
# The places of one name that are read: the most populous ones.
MAX_PLACES_PER_KEY = 60


def reading_rank(population: int, alternate: bool) -> int:
    """A place's rank when read by a name: its population, a tenth of it by an alternate."""
    return population // ALTERNATE_NAME_WEIGHT if alternate else population


def fingerprint() -> str:
    """A short digest of everything above and of the decoration phrases."""
    baked = [
        SCHEMA,
        ALTERNATE_NAME_WEIGHT,
        MAX_PLACES_PER_KEY,
        list(placetext.LEADING_PHRASES),
        list(placetext.TRAILING_PHRASES),
    ]
    return hashlib.sha256(json.dumps(baked).encode()).hexdigest()[:16]

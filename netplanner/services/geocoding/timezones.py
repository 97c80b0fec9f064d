"""The IANA time zone at a point, from tzfpy's offline boundary data.

A gazetteer match already carries GeoNames' zone; this answers for the points that do not come
from it (an online result, a vCard's GEO, a venue). tzfpy ships timezone-boundary-builder's
polygons with the oceans in a 3 MB wheel, where timezonefinder needed numpy and h3 besides its
data: 76 MB of the installed package for this one question.
"""

from __future__ import annotations

import math
from functools import lru_cache


@lru_cache(maxsize=65536)
def timezone_at(lat: float, lon: float) -> str | None:
    """The zone name at (lat, lon) (the nautical zone at sea), or None where none is known."""
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    from tzfpy import get_tz

    zone = get_tz(lon, lat)
    return str(zone) if zone else None

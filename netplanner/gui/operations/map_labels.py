"""City labels for the maps, from the offline gazetteer when it is there."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from netplanner.domain.places import PlaceMatch
from netplanner.gui.widgets.location_edit import PlaceLookup

LabelProvider = Callable[[float, float, float, float, int], Sequence[PlaceMatch]]


def labels_from(lookup: Callable[[], PlaceLookup | None]) -> LabelProvider:
    """The largest places of a box, or none when the gazetteer cannot say."""

    def labels(
        south: float, north: float, west: float, east: float, limit: int
    ) -> list[PlaceMatch]:
        found = lookup()
        largest = getattr(found, "largest_places", None)
        if not callable(largest):
            return []
        places: list[PlaceMatch] = largest(south, north, west, east, limit)
        return places

    return labels

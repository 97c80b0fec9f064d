"""A small place locator for planning tests: a handful of cities, and candidates for typos."""

from __future__ import annotations

from netplanner.domain.places import LocateResult, PlaceMatch

PLACES = {
    "lisbon": PlaceMatch("Lisbon, Portugal", 38.7223, -9.1393, "PT", "Lisbon", "Europe/Lisbon"),
    "berlin": PlaceMatch("Berlin, Germany", 52.52, 13.405, "DE", "Berlin", "Europe/Berlin"),
    "suva": PlaceMatch("Suva, Fiji", -18.1248, 178.4501, "FJ", "Central", "Pacific/Fiji"),
    "hotel avenida palace, lisbon": PlaceMatch(
        "Hotel Avenida Palace, Lisbon", 38.7155, -9.1420, "PT", "Lisbon", "Europe/Lisbon"
    ),
    "nowhere at sea": PlaceMatch("Somewhere at sea", 0.5, -30.0, None, None, None),
}


class FakeLocator:
    """Knows the places above; for anything else offers the ones sharing a first letter."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def locate(self, text: str) -> LocateResult:
        self.asked.append(text)
        key = " ".join(text.casefold().split())
        if key in PLACES:
            return LocateResult(text, PLACES[key], (PLACES[key],))
        similar = tuple(m for k, m in PLACES.items() if k[:1] == key[:1])
        return LocateResult(text, None, similar)

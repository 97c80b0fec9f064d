"""The user's own places: home and the current location, each set from a place text."""

from __future__ import annotations

from netplanner.domain.entities import UserLocation
from netplanner.domain.places import PlaceLocator
from netplanner.services.geocoding.timezones import timezone_at
from netplanner.services.planning import resolve_place, zone_of
from netplanner.storage.repositories.user_locations import UserLocationRepository


class LocationService:
    """Sets and reads the user's home and current location through the locator."""

    def __init__(self, repo: UserLocationRepository, locator: PlaceLocator) -> None:
        self.repo = repo
        self.locator = locator

    def _set(self, kind: str, text: str) -> UserLocation:
        match = resolve_place(self.locator, text)
        return self.repo.save(
            UserLocation(
                kind=kind,
                text=match.name,
                lat=match.lat,
                lon=match.lon,
                timezone=zone_of(match),
                country_code=match.country_code,
            )
        )

    def set_home(self, text: str) -> UserLocation:
        return self._set("home", text)

    def set_current(self, text: str) -> UserLocation:
        return self._set("current", text)

    def set_current_point(self, lat: float, lon: float, text: str | None = None) -> UserLocation:
        """The current location from coordinates (e.g. the system's location service)."""
        return self.repo.save(
            UserLocation(
                kind="current",
                text=text or f"{lat:.4f}, {lon:.4f}",
                lat=lat,
                lon=lon,
                timezone=timezone_at(lat, lon) or "UTC",
            )
        )

    def get_home(self) -> UserLocation | None:
        return self.repo.get("home")

    def get_current(self) -> UserLocation | None:
        return self.repo.get("current")

    def clear_current(self) -> bool:
        """Forget the current location, so "now" is home again; True when one was set."""
        return self.repo.delete("current")

    def where_am_i(self) -> UserLocation | None:
        """The current location when set, else home."""
        return self.get_current() or self.get_home()

"""Neutral venues between the user and a contact: the venue book, and OpenStreetMap if allowed.

Online lookups are one small Overpass query per midpoint, with an identifying User-Agent and
a timeout, cached on disk for a week so asking twice sends nothing. Results from
OpenStreetMap carry their attribution. The answer is never empty without saying why.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netplanner import __version__
from netplanner.domain.entities import Contact, Venue
from netplanner.domain.errors import InputError, NetPlannerError
from netplanner.domain.fairness import Point, VenueOption, rank_venues
from netplanner.domain.geo import bounding_box, distance_km, midpoint
from netplanner.domain.places import PlaceLocator, PlaceMatch
from netplanner.settings import Settings, SettingsProvider, provider_of
from netplanner.storage.repositories.geo_queries import GeoQueryRepository
from netplanner.storage.repositories.planning_inputs import PlanningInputRepository

log = logging.getLogger(__name__)

OSM_ATTRIBUTION = "© OpenStreetMap contributors"
DEFAULT_OVERPASS = "https://overpass-api.de/api/interpreter"
CACHE_SECONDS = 7 * 24 * 3600
TIMEOUT_S = 15.0
MAX_ONLINE_RESULTS = 40
MAX_ONLINE_RADIUS_M = 3000
DEFAULT_LIMIT = 10
FAR_APART_KM = 150.0  # farther apart than this, a midpoint is nobody's place for a coffee


class OnlineLookupError(Exception):
    """The online venue service could not answer; the caller falls back to the venue book."""


def search_radius_km(apart_km: float) -> float:
    """How far from the midpoint to look: half the way between the two, at least 2 km."""
    return min(max(3.0, apart_km / 2 + 2.0), 50.0)


def overpass_query(lat: float, lon: float, radius_m: int) -> str:
    around = f"(around:{radius_m},{lat:.5f},{lon:.5f})"
    return (
        "[out:json][timeout:10];"
        f'(node["amenity"="cafe"]{around};way["amenity"="cafe"]{around};);'
        f"out center {MAX_ONLINE_RESULTS};"
    )


def parse_overpass(document: Any) -> list[Venue]:
    """Named cafés from an Overpass JSON answer as venues (unnamed ones are no help)."""
    venues: list[Venue] = []
    elements = document.get("elements", []) if isinstance(document, dict) else []
    for element in elements:
        if not isinstance(element, dict):
            continue
        tags = element.get("tags") or {}
        name = tags.get("name")
        centre = element.get("center") or {}
        lat = element.get("lat", centre.get("lat"))
        lon = element.get("lon", centre.get("lon"))
        if not name or not isinstance(lat, int | float) or not isinstance(lon, int | float):
            continue
        street = " ".join(
            str(p) for p in (tags.get("addr:street"), tags.get("addr:housenumber")) if p
        )
        address = ", ".join(p for p in (street, tags.get("addr:city")) if p) or None
        venues.append(
            Venue(
                name=str(name),
                lat=float(lat),
                lon=float(lon),
                address=address,
                kind=str(tags.get("amenity", "cafe")),
                source="openstreetmap",
                source_key=f"{element.get('type', 'node')}/{element.get('id')}",
            )
        )
    return venues


class OverpassClient:
    """One polite, cached query for cafés around a point."""

    def __init__(
        self,
        endpoint: str,
        cache_dir: Path,
        user_agent: str,
        timeout_s: float = TIMEOUT_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.endpoint = endpoint or DEFAULT_OVERPASS
        self.cache_dir = cache_dir
        self.user_agent = user_agent
        self.timeout_s = timeout_s
        self.clock = clock
        self.requests = 0

    def _cache_file(self, query: str) -> Path:
        key = hashlib.sha256(f"{self.endpoint}\n{query}".encode()).hexdigest()[:32]
        return self.cache_dir / f"{key}.json"

    def cafes_around(self, lat: float, lon: float, radius_m: int) -> list[Venue]:
        query = overpass_query(lat, lon, radius_m)
        cached = self._cache_file(query)
        if cached.exists() and self.clock() - cached.stat().st_mtime < CACHE_SECONDS:
            try:
                return parse_overpass(json.loads(cached.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                log.warning("Ignoring an unreadable Overpass cache file %s", cached)
        body = urllib.parse.urlencode({"data": query}).encode()
        request = urllib.request.Request(
            self.endpoint,
            data=body,
            headers={"User-Agent": self.user_agent, "Accept": "application/json"},
        )
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                raw = response.read()
            document = json.loads(raw)
        except urllib.error.HTTPError as exc:
            raise OnlineLookupError(f"OpenStreetMap answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise OnlineLookupError(f"OpenStreetMap could not be reached ({reason})") from exc
        except ValueError as exc:
            raise OnlineLookupError("OpenStreetMap sent an answer that is not JSON") from exc
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(raw)
        except OSError:
            log.warning("Could not cache the Overpass answer in %s", self.cache_dir)
        return parse_overpass(document)


@dataclass
class VenueAnswer:
    """Venues to propose, best first, with what a person should be told about them."""

    options: list[VenueOption]
    midpoint: tuple[float, float]
    notes: list[str] = field(default_factory=list)
    attribution: str | None = None
    nearest_place: str | None = None


class VenueFinder:
    """Finds fair venues between the user's side and a contact.

    Whether OpenStreetMap may be asked, and where, is read from the settings at each search.
    """

    def __init__(
        self,
        geo: GeoQueryRepository,
        inputs: PlanningInputRepository,
        locator: PlaceLocator,
        settings: SettingsProvider | Settings,
        cache_dir: Path,
    ) -> None:
        self.geo = geo
        self.inputs = inputs
        self.locator = locator
        self._settings = provider_of(settings)
        self._cache_dir = cache_dir / "overpass"
        self._overpass: OverpassClient | None = None

    @property
    def settings(self) -> Settings:
        return self._settings.current()

    @property
    def overpass(self) -> OverpassClient:
        """The Overpass client for the current endpoint and contact address."""
        settings = self.settings
        contact = settings.geocoding.contact_email
        user_agent = f"NetPlanner/{__version__} (desktop app{'; ' + contact if contact else ''})"
        client = self._overpass
        endpoint = settings.venues.overpass_endpoint or DEFAULT_OVERPASS
        if client is None or (client.endpoint, client.user_agent) != (endpoint, user_agent):
            client = self._overpass = OverpassClient(endpoint, self._cache_dir, user_agent)
        return client

    def find(
        self,
        user: Point,
        contact: Contact,
        online: bool = False,
        hotel_name: str | None = None,
        hotel: Point | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> VenueAnswer:
        """Fair venues for a coffee between ``user`` and ``contact``, best first.

        ``online`` asks OpenStreetMap too, if the settings allow it.
        """
        online = online and self.settings.venues.online
        if contact.lat is None or contact.lon is None:
            raise InputError(
                f"{contact.name} has no known location yet; set it with "
                f"'netplanner contact set-location {contact.id} PLACE'."
            )
        if limit < 1:
            raise InputError(f"The limit must be at least 1 (got {limit}).")
        their = Point(contact.lat, contact.lon)
        mid = midpoint(user.lat, user.lon, their.lat, their.lon)
        apart = distance_km(user.lat, user.lon, their.lat, their.lon)
        radius = search_radius_km(apart)
        candidates = self.geo.venues_in_box(bounding_box(mid[0], mid[1], radius))
        candidates = [
            v
            for v in candidates
            if v.lat is not None
            and v.lon is not None
            and distance_km(mid[0], mid[1], v.lat, v.lon) <= radius
        ]
        answer = VenueAnswer(options=[], midpoint=mid)
        if apart > FAR_APART_KM:
            answer.notes.append(
                f"{contact.name} is {apart:,.0f} km away from you; a coffee means one of you "
                "travels, so consider meeting where they are."
            )
        if online:
            try:
                found = self.overpass.cafes_around(
                    mid[0], mid[1], min(MAX_ONLINE_RADIUS_M, int(radius * 1000))
                )
            except OnlineLookupError as exc:
                answer.notes.append(f"{exc}; showing saved venues only.")
            else:
                known = {
                    (v.name.casefold(), round(v.lat or 0, 3), round(v.lon or 0, 3))
                    for v in candidates
                }
                fresh = [
                    v
                    for v in found
                    if (v.name.casefold(), round(v.lat or 0, 3), round(v.lon or 0, 3)) not in known
                ]
                candidates.extend(fresh)
        ranked = rank_venues(
            candidates,
            user,
            their,
            contact_company=contact.company,
            hotel_name=hotel_name,
            hotel=hotel,
            ratings=self.inputs.venue_ratings(),
        )
        answer.options = ranked[:limit]
        if any(o.venue.source == "openstreetmap" for o in answer.options):
            answer.attribution = OSM_ATTRIBUTION
        if not answer.options:
            answer.nearest_place = self.nearest_place_name(*mid)
            where = f"{mid[0]:.4f}, {mid[1]:.4f}"
            if answer.nearest_place:
                where += f" (near {answer.nearest_place})"
            source = (
                "in your venue book or on OpenStreetMap"
                if online
                else "in your venue book and online search is off"
            )
            answer.notes.append(
                f"No venue between you and {contact.name} was found {source}; "
                f"meet around the midpoint {where}."
            )
        return answer

    def nearest_place_name(self, lat: float, lon: float) -> str | None:
        """The named place nearest a point: from the gazetteer if it can tell, else a contact's."""
        try:
            reverse = getattr(self.locator, "nearest", None)
        except NetPlannerError:  # no gazetteer at hand: fall back to the contacts' places
            reverse = None
        if callable(reverse):
            try:
                match = reverse(lat, lon)
            except Exception:  # a lookup helper must not break the answer
                log.warning("The gazetteer could not name the place at %s, %s", lat, lon)
                match = None
            if isinstance(match, PlaceMatch):
                return match.name
        found = self.geo.nearest_point(lat, lon)
        if found is not None and found[0].location_text:
            return found[0].location_text
        return None

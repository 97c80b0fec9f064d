"""Geocoding the network: every distinct location text resolved once, cached, shared.

Contacts that write their location the same way (after normalising case, accents and
punctuation) share one lookup; answers are cached in the ``places`` table per provider,
so a second run sends nothing. Work is committed in batches, so a cancelled run keeps what
it did and the next run carries on. Contacts placed by hand are never overwritten.
"""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from netplanner import __version__
from netplanner.domain.entities import Contact, LocationStatus, Place, PlaceStatus
from netplanner.domain.errors import CancelledError, InputError, NetPlannerError, NotFoundError
from netplanner.domain.placenames import normalize_key
from netplanner.domain.places import LocateResult, PlaceLocator, PlaceMatch
from netplanner.domain.progress import NullProgress, ProgressSink
from netplanner.domain.ratelimit import RateLimiter
from netplanner.services.contacts import ContactService
from netplanner.services.geocoding.gazetteer import SOURCE as OFFLINE_PROVIDER
from netplanner.services.geocoding.gazetteer import OfflineGazetteer
from netplanner.services.geocoding.timezones import timezone_at
from netplanner.settings import GeocodingSettings, Settings, SettingsProvider, provider_of
from netplanner.storage.repositories.contacts import ContactRepository
from netplanner.storage.repositories.places import PlaceAssignment, PlaceRepository

MAX_STORED_CANDIDATES = 10
# After this many places in a row fail online (no network, service down), the rest of the
# run is marked failed without asking: each would wait through its retries for nothing.
MAX_CONSECUTIVE_FAILURES = 3


class OnlineLocator(PlaceLocator, Protocol):
    """A locator that talks to a service and counts its requests."""

    requests: int


@dataclass
class GeocodeReport:
    """What a run did, in contacts; ``requests`` counts calls to an online service."""

    located: int = 0
    not_found: int = 0
    failed: int = 0
    requests: int = 0
    places: int = 0  # distinct location texts looked at
    cached: int = 0  # of those, answered from the cache
    source: str = OFFLINE_PROVIDER
    online: bool = False
    gave_up: bool = False  # the service kept failing; the rest is left for the next run

    def as_json(self) -> dict[str, Any]:
        return {
            "located": self.located,
            "not_found": self.not_found,
            "failed": self.failed,
            "requests": self.requests,
            "places": self.places,
            "cached": self.cached,
            "source": self.source,
            "online": self.online,
            "gave_up": self.gave_up,
        }


@dataclass(frozen=True)
class LocationChoice:
    """The contact after ``set_location`` and the place it now has."""

    contact: Contact
    match: PlaceMatch
    candidates: tuple[PlaceMatch, ...] = field(default_factory=tuple)


def match_to_dict(match: PlaceMatch) -> dict[str, object]:
    return {
        "name": match.name,
        "lat": match.lat,
        "lon": match.lon,
        "country_code": match.country_code,
        "admin1": match.admin1,
        "timezone": match.timezone,
        "population": match.population,
        "source": match.source,
    }


def match_from_dict(data: dict[str, Any]) -> PlaceMatch:
    return PlaceMatch(
        name=str(data.get("name") or ""),
        lat=float(data["lat"]),
        lon=float(data["lon"]),
        country_code=data.get("country_code"),
        admin1=data.get("admin1"),
        timezone=data.get("timezone"),
        population=data.get("population"),
        source=str(data.get("source") or OFFLINE_PROVIDER),
    )


def with_timezone(match: PlaceMatch) -> PlaceMatch:
    """The match with its time zone, found from its coordinates where it has none."""
    if match.timezone:
        return match
    return dataclasses.replace(match, timezone=timezone_at(match.lat, match.lon))


def _geocoding_provider(
    settings: SettingsProvider | Settings | GeocodingSettings,
) -> SettingsProvider:
    """A provider for the service; bare geocoding settings (benchmarks, tests) are held fixed."""
    if isinstance(settings, GeocodingSettings):
        return SettingsProvider(Settings(geocoding=settings))
    return provider_of(settings)


def _online_key(settings: GeocodingSettings) -> tuple[object, ...]:
    """What the online client is built from; the ``online`` switch is checked per lookup."""
    return (
        settings.provider,
        settings.endpoint,
        settings.api_key,
        settings.contact_email,
        settings.timeout_s,
    )


class GeocodingService:
    """Places contacts: offline by default, online only when the user allows it.

    The settings are read from the provider at each lookup, so switching online lookups on
    (or changing the endpoint) in a running app takes effect at once.
    """

    def __init__(
        self,
        contacts: ContactRepository,
        places: PlaceRepository,
        locator: Callable[[], OfflineGazetteer] | OfflineGazetteer,
        settings: SettingsProvider | Settings | GeocodingSettings,
        online_factory: Callable[[], OnlineLocator] | None = None,
        batch_size: int = 500,
        commit_every_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.contacts = contacts
        self.places = places
        self._hand_edits = ContactService(contacts)
        self._locator_source = locator
        self._offline: OfflineGazetteer | None = None
        self._provider = _geocoding_provider(settings)
        self._online_factory = online_factory
        self._online: OnlineLocator | None = None
        self._online_built_for: tuple[object, ...] | None = None
        # One pace for the service whatever client is current: a client rebuilt after a
        # settings change must not send its first request right after the last one's.
        self._limiter = RateLimiter(1.0)
        self.batch_size = batch_size
        self.commit_every_s = commit_every_s
        self._clock = clock

    @property
    def settings(self) -> GeocodingSettings:
        """The geocoding settings in force now."""
        return self._provider.current().geocoding

    # Locators ---------------------------------------------------------------------------
    @property
    def offline(self) -> OfflineGazetteer:
        if self._offline is None:
            source = self._locator_source
            self._offline = source if isinstance(source, OfflineGazetteer) else source()
        return self._offline

    def online_allowed(self, requested: bool) -> bool:
        """Online only when asked for and switched on in the settings."""
        return requested and self.settings.online

    def online_provider(self) -> str:
        provider = (self.settings.provider or "nominatim").strip().lower()
        endpoint = self.settings.endpoint.strip()
        return f"{provider}@{endpoint}"[:64] if endpoint else provider

    def _online_locator(self) -> OnlineLocator:
        """The online client for the current settings, rebuilt when they have changed."""
        if self._online_factory is not None:
            if self._online is None:
                self._online = self._online_factory()
            return self._online
        settings = self.settings
        key = _online_key(settings)
        if self._online is None or key != self._online_built_for:
            from netplanner.services.geocoding.online import OnlineGeocoder

            # A copy: the client must match the key it was built for, whatever is edited later.
            self._online = OnlineGeocoder(copy.copy(settings), __version__, limiter=self._limiter)
            self._online_built_for = key
        return self._online

    # Single lookups ---------------------------------------------------------------------
    def lookup(self, text: str, online: bool = False) -> LocateResult:
        """What ``text`` names, with time zones; online answers are cached and reused."""
        if not self.online_allowed(online):
            result = self.offline.locate(text)
        else:
            key = normalize_key(text)
            provider = self.online_provider()
            cached = self.places.get(key, provider) if key else None
            if cached is not None and cached.status is not PlaceStatus.FAILED:
                return self._result_from_place(text, cached)
            result = self._online_locator().locate(text)
            if key:
                self.places.save([PlaceAssignment(self._place(key, provider, result), ())])
        candidates = tuple(with_timezone(m) for m in result.candidates)
        best = with_timezone(result.best) if result.best is not None else None
        if best is not None and (not candidates or candidates[0] != best):
            candidates = (best, *candidates)
        return LocateResult(
            query=text,
            best=best,
            candidates=candidates,
            failed=result.failed,
            matched=result.matched,
            ignored=result.ignored,
        )

    def candidates(self, text: str) -> list[PlaceMatch]:
        """Every place ``text`` may name, best first, from the offline gazetteer."""
        return list(self.lookup(text).candidates)

    def complete(self, prefix: str, limit: int = 10) -> list[PlaceMatch]:
        """Place names for a location field's completer ("Mun": Munich first)."""
        return self.offline.complete(prefix, limit)

    def set_location(
        self, contact_id: int, text: str, choice: int | None = None, online: bool = False
    ) -> LocationChoice:
        """Set a contact's location by hand: geocoded, marked manual, never overwritten.

        ``choice`` picks one of ``candidates(text)`` by index (0 is the best match).
        """
        contact = self.contacts.get(contact_id)
        cleaned = text.strip()
        if not cleaned:
            raise InputError("The location is empty; nothing was changed.")
        result = self.lookup(cleaned, online=online)
        if result.failed:
            raise NetPlannerError(
                f"The geocoding service could not be reached for '{cleaned}'; "
                "the location was not changed."
            )
        if not result.candidates:
            raise NotFoundError(f"No place called '{cleaned}' was found; nothing was changed.")
        index = 0 if choice is None else choice
        if not 0 <= index < len(result.candidates):
            raise InputError(
                f"Choice {index} is not one of the {len(result.candidates)} candidates "
                f"for '{cleaned}'."
            )
        match = result.candidates[index]
        stored = self._hand_edits.set_location(contact, cleaned, match)
        return LocationChoice(stored, match, result.candidates)

    # The whole network ------------------------------------------------------------------
    def geocode_all(
        self, online: bool = False, progress: ProgressSink | None = None
    ) -> GeocodeReport:
        """Geocode every contact whose location is not resolved yet; see the module doc.

        On cancel, what was resolved is committed and ``CancelledError`` says so.
        """
        sink = progress or NullProgress()
        use_online = self.online_allowed(online)
        statuses = [LocationStatus.UNRESOLVED, LocationStatus.FAILED]
        if use_online:
            statuses.append(LocationStatus.NOT_FOUND)  # the service may know what we do not
        groups: dict[str, list[int]] = {}
        texts: dict[str, str] = {}
        for pending in self.places.pending(statuses):
            key = normalize_key(pending.text)
            groups.setdefault(key, []).append(pending.contact_id)
            texts.setdefault(key, pending.text.strip())
        provider = self.online_provider() if use_online else OFFLINE_PROVIDER
        report = GeocodeReport(places=len(groups), source=provider, online=use_online)
        cached = self.places.get_many(groups, provider)
        locator: PlaceLocator = self._online_locator() if use_online else self.offline
        requests_before = getattr(locator, "requests", 0)
        batch: list[PlaceAssignment] = []
        last_commit = self._clock()
        total = len(groups)
        failures_in_a_row = 0
        sink.report(0, total, "")

        def flush() -> None:
            nonlocal last_commit
            if batch:
                self.places.save(batch)
                batch.clear()
            last_commit = self._clock()

        for done, (key, ids) in enumerate(groups.items(), start=1):
            if sink.cancelled():
                flush()
                kept = report.located + report.not_found + report.failed
                raise CancelledError(
                    f"Geocoding was cancelled; the {kept} contacts done so far were kept."
                )
            place = cached.get(key)
            if place is not None and place.status is not PlaceStatus.FAILED:
                report.cached += 1
            elif not key:
                place = Place(query=key, provider=provider, status=PlaceStatus.NOT_FOUND)
            elif report.gave_up:
                place = Place(query=key, provider=provider, status=PlaceStatus.FAILED)
            else:
                place = self._place(key, provider, locator.locate(texts[key]))
                failures_in_a_row = (
                    failures_in_a_row + 1 if place.status is PlaceStatus.FAILED else 0
                )
                report.gave_up = use_online and failures_in_a_row >= MAX_CONSECUTIVE_FAILURES
            batch.append(PlaceAssignment(place, tuple(ids)))
            if place.status is PlaceStatus.FOUND:
                report.located += len(ids)
            elif place.status is PlaceStatus.NOT_FOUND:
                report.not_found += len(ids)
            else:
                report.failed += len(ids)
            if len(batch) >= self.batch_size or (
                use_online and self._clock() - last_commit >= self.commit_every_s
            ):
                flush()
            if use_online or done % 50 == 0 or done == total:
                sink.report(done, total, texts[key])
        flush()
        report.requests = getattr(locator, "requests", 0) - requests_before
        return report

    # Cache rows -------------------------------------------------------------------------
    def _place(self, key: str, provider: str, result: LocateResult) -> Place:
        if result.failed:
            return Place(query=key, provider=provider, status=PlaceStatus.FAILED)
        if result.best is None:
            return Place(query=key, provider=provider, status=PlaceStatus.NOT_FOUND)
        best = with_timezone(result.best)
        others = [m for m in result.candidates if m != result.best][: MAX_STORED_CANDIDATES - 1]
        return Place(
            query=key,
            provider=provider,
            status=PlaceStatus.FOUND,
            lat=best.lat,
            lon=best.lon,
            display_name=best.name[:500],
            country_code=best.country_code,
            admin1=best.admin1,
            timezone=best.timezone,
            candidates=[match_to_dict(best), *(match_to_dict(m) for m in others)],
        )

    @staticmethod
    def _result_from_place(text: str, place: Place) -> LocateResult:
        if place.status is not PlaceStatus.FOUND or place.lat is None or place.lon is None:
            return LocateResult(query=text, best=None)
        candidates = tuple(match_from_dict(c) for c in place.candidates)
        best = (
            candidates[0]
            if candidates
            else PlaceMatch(
                name=place.display_name or text,
                lat=place.lat,
                lon=place.lon,
                country_code=place.country_code,
                admin1=place.admin1,
                timezone=place.timezone,
                source=place.provider,
            )
        )
        return LocateResult(query=text, best=best, candidates=candidates or (best,))

"""Planning: who is near a place, the user's trips, and whom to meet on them.

Searches take a point and a radius: a bounding-box query on the indexed coordinates, then
the exact great-circle distance. Suggestions rank the contacts nearby with the model of
``domain.ranking`` and keep everyone, ranking down those already booked or off-criteria.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from netplanner.domain.entities import Trip, UserLocation, Venue
from netplanner.domain.errors import InputError, NotFoundError
from netplanner.domain.geo import check_radius, distance_km
from netplanner.domain.nearby import ContactPoint
from netplanner.domain.places import LocateResult, PlaceLocator, PlaceMatch
from netplanner.domain.ranking import RankingContext, Suggestion, rank_suggestions
from netplanner.domain.slots import Slot, coffee_slots
from netplanner.domain.trips import DeletedTrip, default_trip_name
from netplanner.services.geocoding.timezones import timezone_at
from netplanner.services.trips import TripImporter, TripImportPreview
from netplanner.settings import Settings, SettingsProvider, provider_of
from netplanner.storage.repositories import TripRepository
from netplanner.storage.repositories.geo_queries import GeoQueryRepository
from netplanner.storage.repositories.planning_inputs import PlanningInputRepository

DEFAULT_RADIUS_KM = 25.0
DEFAULT_LIMIT = 20
DEFAULT_DAYS = 7  # ``suggest --at`` without dates: the coming week
MAX_TRIP_DAYS = 366
BASE_MATCH_KM = 100.0  # a base address resolved farther than this from the trip is a mistake
NOW_LABELS = {"current": "where you are", "home": "home"}

__all__ = [
    "DeletedTrip",
    "PlanningService",
    "SuggestionRequest",
    "TripImportPreview",
    "UnlocatedHint",
]


class DeferredLocator:
    """A locator opened on first lookup, so work that needs no place never opens the gazetteer.

    Other methods of the real locator (``complete``, ``nearest``) are passed through.
    """

    def __init__(self, open_locator: Callable[[], PlaceLocator]) -> None:
        self._open = open_locator

    def locate(self, text: str) -> LocateResult:
        return self._open().locate(text)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._open(), name)


def similar_names(locator: PlaceLocator, text: str, limit: int = 3) -> list[str]:
    """Places whose names start like ``text`` does, from a locator that can complete names."""
    complete = getattr(locator, "complete", None)
    if not callable(complete):
        return []
    head = text.split(",")[0].strip()
    for size in (5, 4, 3, 2):
        if len(head) <= size and size > 2:
            continue
        try:
            found = complete(head[:size], limit)
        except Exception:  # suggestions are a courtesy; never let them hide the real error
            return []
        names = [m.name for m in found if isinstance(m, PlaceMatch)]
        if names:
            return names[:limit]
    return []


def resolve_place(locator: PlaceLocator, text: str) -> PlaceMatch:
    """The best match for a place text, or ``NotFoundError`` naming the closest candidates."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InputError("Give a place, for example 'Lisbon' or 'Cambridge, MA'.")
    result = locator.locate(cleaned)
    if result.best is not None:
        return result.best
    if result.failed:
        raise NotFoundError(f"The place '{cleaned}' could not be looked up just now; try again.")
    names = [c.name for c in result.candidates[:3]] or similar_names(locator, cleaned)
    if names:
        listed = ", ".join(f"'{n}'" for n in names)
        raise NotFoundError(f"No place called '{cleaned}' is known; closest: {listed}.")
    raise NotFoundError(
        f"No place called '{cleaned}' is known; check the spelling or add the country."
    )


def checked_radius(radius_km: float) -> float:
    """The radius if it is sensible, else ``InputError`` with the reason."""
    try:
        check_radius(radius_km)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    return radius_km


def check_dates(start: date, end: date) -> None:
    if end < start:
        raise InputError(
            f"The dates are in the wrong order: the last day ({end.isoformat()}) comes before "
            f"the first ({start.isoformat()})."
        )
    if (end - start).days > MAX_TRIP_DAYS:
        raise InputError(
            f"A trip of more than {MAX_TRIP_DAYS} days is not a trip; check the dates."
        )


def zone_of(match: PlaceMatch) -> str:
    """The IANA zone of a place: its own, else the one at its point, else UTC (out at sea).

    A trip or a suggestion needs some zone to lay out its days in, so UTC stands in.
    """
    return match.timezone or timezone_at(match.lat, match.lon) or "UTC"


def short_place(text: str) -> str:
    return text.split(",")[0].strip() or text


def base_label(trip: Trip) -> str:
    """How reasons name the user's side of a trip: 'your hotel', 'your base', 'Lisbon'."""
    if trip.base_lat is not None and trip.base_lon is not None:
        return "your hotel" if "hotel" in (trip.base_address or "").casefold() else "your base"
    return f"the centre of {short_place(trip.place_text)}"


def user_point(trip: Trip) -> tuple[float, float]:
    """Where the user stays on a trip: the base when known, else the trip's centre."""
    if trip.base_lat is not None and trip.base_lon is not None:
        return trip.base_lat, trip.base_lon
    return trip.lat, trip.lon


def utc_window(start: date, end: date, tzid: str) -> tuple[datetime, datetime]:
    """From the first day's local midnight to the local midnight after the last day, in UTC."""
    zone = ZoneInfo(tzid)
    first = datetime.combine(start, time(0), zone).astimezone(UTC)
    last = datetime.combine(end + timedelta(days=1), time(0), zone).astimezone(UTC)
    return first, last


@dataclass(frozen=True)
class SuggestionRequest:
    """Where and when to suggest meetings, however it was asked."""

    lat: float
    lon: float
    start: date
    end: date
    tzid: str
    label: str
    trip_id: int | None = None
    booked_label: str = "these dates"
    country_code: str | None = None  # the country of the place, when known


@dataclass(frozen=True)
class UnlocatedHint:
    """Contacts without coordinates, for a hint when a search finds few people.

    ``total``: every contact without coordinates; ``in_country``: those of them whose
    location text names the request's country (``country_name``, None when the request has
    no known country).
    """

    in_country: int
    country_name: str | None
    total: int


def fold_text(text: str) -> str:
    """Text compared without case, accents or extra spaces: 'São Paulo' -> 'sao paulo'."""
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


_PARTS = re.compile(r"\s*[,;|/()]\s*|\s+[-–—]\s+")
_DIGIT = re.compile(r"\d")


class PlanningService:
    """Nearby contacts, trips and suggestions."""

    def __init__(
        self,
        locator: PlaceLocator,
        geo: GeoQueryRepository,
        trips: TripRepository,
        inputs: PlanningInputRepository,
        settings: SettingsProvider | Settings,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.locator = locator
        self.geo = geo
        self.trips = trips
        self.inputs = inputs
        self._settings = provider_of(settings)
        self.today = today
        self._country_verdicts: dict[tuple[str, str], bool] = {}
        self._text_verdicts: dict[str, dict[str, bool]] = {}

    @property
    def settings(self) -> Settings:
        """The settings in force now (units, the user's interests)."""
        return self._settings.current()

    def resolve(self, text: str) -> PlaceMatch:
        return resolve_place(self.locator, text)

    # Nearby -----------------------------------------------------------------------------
    def nearby(
        self, lat: float, lon: float, radius_km: float = DEFAULT_RADIUS_KM
    ) -> list[tuple[ContactPoint, float]]:
        """Contacts within the radius of a point with their distance in km, nearest first."""
        checked_radius(radius_km)
        return self.geo.points_within(lat, lon, radius_km)

    # Trips ------------------------------------------------------------------------------
    def _base_point(
        self, lat: float, lon: float, base: str | None
    ) -> tuple[str | None, float | None, float | None]:
        """The base address and where it is: located when the locator knows it near the trip,
        else at the trip's centre; no base for an empty text."""
        text = " ".join((base or "").split())
        if not text:
            return None, None, None
        found = self.locator.locate(text).best
        if found is not None and distance_km(lat, lon, found.lat, found.lon) <= BASE_MATCH_KM:
            return text, found.lat, found.lon
        return text, lat, lon

    @staticmethod
    def _placed_base(
        lat: float, lon: float, place: str, point: tuple[float, float]
    ) -> tuple[float, float]:
        """A base placed by hand, if it is near the trip's place (a slip of the hand is not)."""
        away = distance_km(lat, lon, point[0], point[1])
        if away > BASE_MATCH_KM:
            raise InputError(
                f"The base you placed is {away:,.0f} km from {short_place(place)}; place it "
                "nearer the trip."
            )
        return point

    def add_trip(
        self,
        place: str,
        start: date,
        end: date,
        name: str | None = None,
        base: str | None = None,
        notes: str | None = None,
        base_point: tuple[float, float] | None = None,
    ) -> Trip:
        """Store a trip to a place; the base address is located when the locator knows it,
        or where the user placed it (``base_point``, e.g. a click on the map)."""
        check_dates(start, end)
        match = self.resolve(place)
        base_text, base_lat, base_lon = self._base_point(match.lat, match.lon, base)
        if base_point is not None:
            base_lat, base_lon = self._placed_base(match.lat, match.lon, match.name, base_point)
        trip = Trip(
            name=(name or "").strip() or default_trip_name(match.name, start),
            place_text=match.name,
            lat=match.lat,
            lon=match.lon,
            start_date=start,
            end_date=end,
            timezone=zone_of(match),
            country_code=match.country_code,
            base_address=base_text,
            base_lat=base_lat,
            base_lon=base_lon,
            notes=(notes or "").strip() or None,
        )
        return self.trips.add(trip)

    def update_trip(
        self,
        trip_id: int,
        *,
        place: str | None = None,
        start: date | None = None,
        end: date | None = None,
        name: str | None = None,
        base: str | None = None,
        notes: str | None = None,
        base_point: tuple[float, float] | None = None,
    ) -> Trip:
        """The trip with the given fields changed, stored in one transaction.

        None leaves a field as it is; an empty ``base`` or ``notes`` clears it, an empty
        ``name`` gives the default name. A new place is resolved like ``add_trip``'s (an
        unknown one fails naming similar places); a trip still under its default name is
        renamed with its new place or month. End before start is an ``InputError``.
        """
        trip = self.trips.get(trip_id)
        first = start or trip.start_date
        last = end or trip.end_date
        check_dates(first, last)
        updated = dataclasses.replace(trip, start_date=first, end_date=last)
        cleaned = " ".join((place or "").split())
        moved = bool(cleaned) and cleaned != trip.place_text
        if place is not None and not cleaned:
            raise InputError("Give a place, for example 'Lisbon' or 'Cambridge, MA'.")
        if moved:
            match = self.resolve(cleaned)
            updated = dataclasses.replace(
                updated,
                place_text=match.name,
                lat=match.lat,
                lon=match.lon,
                timezone=zone_of(match),
                country_code=match.country_code,
            )
        if name is not None:
            wanted = " ".join(name.split())
            updated.name = wanted or default_trip_name(updated.place_text, first)
        elif trip.name == default_trip_name(trip.place_text, trip.start_date):
            updated.name = default_trip_name(updated.place_text, first)
        if base is not None or (moved and trip.base_address):
            text = trip.base_address if base is None else base
            updated.base_address, updated.base_lat, updated.base_lon = self._base_point(
                updated.lat, updated.lon, text
            )
        if base_point is not None:
            updated.base_lat, updated.base_lon = self._placed_base(
                updated.lat, updated.lon, updated.place_text, base_point
            )
        if notes is not None:
            updated.notes = notes.strip() or None
        if updated == trip:
            return trip
        return self.trips.update(updated)

    def delete_trip(self, trip_id: int) -> DeletedTrip:
        """Delete a trip in one transaction; what is returned puts it back (``restore_trip``).

        Its meetings stay, no longer on a trip; an unknown id is a ``NotFoundError``.
        """
        return self.trips.delete(trip_id)

    def restore_trip(self, deleted: DeletedTrip) -> Trip:
        """Put a deleted trip back, with its id (when still free) and its meetings on it."""
        return self.trips.restore(deleted)

    # Trips from a calendar ----------------------------------------------------------------
    def _importer(self) -> TripImporter:
        return TripImporter(self.locator, self.trips, self.today)

    def preview_trip_import(self, path: Path) -> TripImportPreview:
        """What importing the .ics file would do; nothing is written."""
        return self._importer().preview(Path(path))

    def import_trips(self, path: Path, dry_run: bool = False) -> TripImportPreview:
        """Trips from the events with a place in an .ics file, idempotent by the events' UIDs.

        ``InputError`` (nothing written) when the file is not a calendar or has no event with
        a location.
        """
        return self._importer().run(Path(path), dry_run=dry_run)

    def list_trips(self) -> list[Trip]:
        """Trips in date order."""
        return sorted(self.trips.list(), key=lambda t: (t.start_date, t.id or 0))

    def get_trip(self, trip_id: int) -> Trip:
        return self.trips.get(trip_id)

    # Suggestions ------------------------------------------------------------------------
    def request_for_trip(self, trip_id: int) -> SuggestionRequest:
        trip = self.trips.get(trip_id)
        lat, lon = user_point(trip)
        return SuggestionRequest(
            lat=lat,
            lon=lon,
            start=trip.start_date,
            end=trip.end_date,
            tzid=trip.timezone,
            label=base_label(trip),
            trip_id=trip.id,
            booked_label="this trip",
            country_code=trip.country_code,
        )

    def now_location(self) -> UserLocation | None:
        """Where the user is now: the current location when set, else home."""
        return self.inputs.user_location("current") or self.inputs.user_location("home")

    def request_now(self, days: int = DEFAULT_DAYS) -> SuggestionRequest | None:
        """Suggestions around where the user is now, from today for ``days`` days.

        None when neither a current location nor home is set.
        """
        if days < 1:
            raise InputError(f"The number of days must be at least 1 (got {days}).")
        where = self.now_location()
        if where is None:
            return None
        first = self.today()
        return SuggestionRequest(
            lat=where.lat,
            lon=where.lon,
            start=first,
            end=first + timedelta(days=days - 1),
            tzid=where.timezone or timezone_at(where.lat, where.lon) or "UTC",
            label=NOW_LABELS.get(where.kind, "you"),
            booked_label="the coming days",
            country_code=where.country_code,
        )

    def request_at(
        self, place: str, start: date | None = None, end: date | None = None
    ) -> SuggestionRequest:
        match = self.resolve(place)
        first = start or self.today()
        last = end or (first if start is not None else first + timedelta(days=DEFAULT_DAYS))
        check_dates(first, last)
        return SuggestionRequest(
            lat=match.lat,
            lon=match.lon,
            start=first,
            end=last,
            tzid=zone_of(match),
            label=short_place(match.name),
            country_code=match.country_code,
        )

    def suggest(
        self,
        request: SuggestionRequest,
        radius_km: float = DEFAULT_RADIUS_KM,
        limit: int | None = DEFAULT_LIMIT,
        unit: str | None = None,
    ) -> list[Suggestion]:
        """The contacts near the request's point, best to meet first, with their reasons."""
        checked_radius(radius_km)
        if limit is not None and limit < 1:
            raise InputError(f"The limit must be at least 1 (got {limit}).")
        nearby = self.geo.profiles_within(request.lat, request.lon, radius_km)
        if not nearby:
            return []
        settings = self.settings
        window = utc_window(request.start, request.end, request.tzid)
        ids = {profile.id for profile, _ in nearby}
        context = RankingContext(
            today=self.today(),
            window_end=request.end,
            radius_km=radius_km,
            base_label=request.label,
            target_companies=self.inputs.target_company_names(),
            user_interests=settings.profile.interests,
            criteria=self.inputs.criteria(),
            booked_ids=frozenset(self.inputs.booked_contact_ids(request.trip_id, *window) & ids),
            follow_ups=self.inputs.open_follow_ups_due(request.end, ids),
            booked_label=request.booked_label,
            unit=unit or settings.units,
        )
        ranked = rank_suggestions(nearby, context)
        return ranked if limit is None else ranked[:limit]

    def unlocated_hint(self, request: SuggestionRequest) -> UnlocatedHint:
        """How many contacts have no coordinates, and how many of them are in its country.

        A location text is in the country when it names it ("Lisboa, Portugal", "lisbon
        portugal", "Porto, PT"), compared without case or accents; a last part the locator
        reads as the country ("Deutschland" for Germany) counts too. One query for the
        unlocated contacts, then Python over their texts, each distinct one looked at once.
        """
        texts = self.geo.unlocated_location_texts()
        code = request.country_code
        if not code:
            return UnlocatedHint(0, None, len(texts))
        name = self._country_name(code)
        folded_name = fold_text(name) if name else None
        named = re.compile(rf"\b{re.escape(folded_name)}\b") if folded_name else None
        # Verdicts are kept per country between calls: the window asks again on every change
        # of a control, and the texts of unlocated contacts rarely change in between.
        verdicts = self._text_verdicts.setdefault(code, {})
        if len(self._text_verdicts) > 4 or len(verdicts) > 200_000:
            self._text_verdicts = {code: {}}
            verdicts = self._text_verdicts[code]
        in_country = 0
        for text in texts:
            if not text:
                continue
            verdict = verdicts.get(text)
            if verdict is None:
                verdict = self._names_country(fold_text(text), code, folded_name, named)
                verdicts[text] = verdict
            in_country += verdict
        return UnlocatedHint(in_country, name, len(texts))

    def _country_name(self, code: str) -> str | None:
        """The country's name from the locator (the gazetteer knows it), else None."""
        lookup = getattr(self.locator, "country_name", None)
        if not callable(lookup):
            return None
        try:
            found = lookup(code)
        except Exception:  # a hint is a courtesy; never let it fail a search
            return None
        return found if isinstance(found, str) and found and found != code else None

    def _names_country(
        self, folded: str, code: str, folded_name: str | None, named: re.Pattern[str] | None
    ) -> bool:
        if named is not None and named.search(folded):
            return True
        parts = [p for p in _PARTS.split(folded) if p]
        if len(parts) < 2:
            return False
        last = parts[-1]
        if last == code.casefold():
            return True
        if folded_name is None or _DIGIT.search(last) or len(last.split()) > 4:
            return False
        key = (code, last)
        if key not in self._country_verdicts:
            try:
                best = self.locator.locate(last).best
            except Exception:  # as above: a hint never fails a search
                best = None
            self._country_verdicts[key] = (
                best is not None
                and best.country_code == code
                and best.admin1 is None
                and fold_text(best.name) == folded_name
            )
        return self._country_verdicts[key]

    # Time slots -------------------------------------------------------------------------
    def coffee_slots(
        self,
        trip_id: int,
        venue: Venue | None = None,
        not_before: datetime | None = None,
        except_meeting: int | None = None,
    ) -> list[Slot]:
        """Free coffee times on a trip, local to the venue, around the user's other meetings
        (all but ``except_meeting``, the one being planned).

        Past times are never offered (``not_before`` defaults to now).
        """
        trip = self.trips.get(trip_id)
        tzid = (venue.timezone if venue is not None else None) or trip.timezone
        return self.coffee_slots_between(
            trip.start_date, trip.end_date, tzid, venue, not_before, except_meeting
        )

    def coffee_slots_between(
        self,
        first_day: date,
        last_day: date,
        tzid: str,
        venue: Venue | None = None,
        not_before: datetime | None = None,
        except_meeting: int | None = None,
    ) -> list[Slot]:
        """Free coffee times on these days in ``tzid`` (the venue's zone when it has one),
        around the user's other meetings: for the days ahead where the user is now."""
        tzid = (venue.timezone if venue is not None else None) or tzid
        busy = self.inputs.busy_between(*utc_window(first_day, last_day, tzid), except_meeting)
        return coffee_slots(
            first_day,
            last_day,
            tzid,
            busy,
            venue.lat if venue is not None else None,
            venue.lon if venue is not None else None,
            not_before=not_before or datetime.now(UTC),
        )

"""The offline gazetteer as it was before the place-text reader of issue 17.

Kept only so bench_geocode can measure it beside the new reader in the same run. Its doc
then: places from GeoNames in a read-only SQLite file, no network ever.

Lookups read the file's primary-key indexes (a few microseconds each) and remember recent
answers; the small tables of countries and admin-1 areas live in memory. The file is built
by ``scripts/build_gazetteer.py`` (``make`` does it when it is missing).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from bench.legacy.placetext import (
    alias_for,
    head_variants,
    parse_place,
    strip_decorations,
    trailing_splits,
)
from netplanner.domain.errors import NetPlannerError
from netplanner.domain.placenames import normalize_key
from netplanner.domain.places import LocateResult, PlaceMatch

SOURCE = "geonames"
# A city beats an admin area of the same name when it is at least this share of the
# area's largest city ("Washington" is the city; "Ontario" is the province).
CITY_OVER_AREA = 0.5
# A place found by one of its alternate names counts for a third of its population: old
# names and nicknames ("Venice" for Dayton, "Porto" for Bordeaux) must not beat the place
# that bears the name.
ALTERNATE_NAME_WEIGHT = 3
MAX_CANDIDATES = 20
# Places this large are few (about 4,000), so walking them by population is always quick.
LARGE_PLACE = 100_000
WIDE_BOX_DEG = 10.0
_HIGHEST = "\U0010ffff"


class GazetteerMissingError(NetPlannerError):
    """The gazetteer file is not there (it is built by ``make``)."""


@dataclass(frozen=True)
class _Place:
    id: int
    name: str
    lat: float
    lon: float
    country_code: str
    admin1_code: str
    population: int
    timezone: str | None


@dataclass(frozen=True)
class _Area:
    """What a qualifier can mean: some countries and some admin-1 areas."""

    countries: frozenset[str]
    admins: frozenset[tuple[str, str]]

    @property
    def known(self) -> bool:
        return bool(self.countries or self.admins)

    def holds(self, country_code: str, admin1_code: str | None) -> bool:
        return country_code in self.countries or (country_code, admin1_code or "") in self.admins


@dataclass(frozen=True)
class _Candidate:
    match: PlaceMatch
    rank: int  # larger is better: the population that speaks for this reading
    kind: str  # "place", "admin1" or "country"
    key: tuple[str, str]  # country, admin1 code


class OfflineGazetteer:
    """Answers ``locate`` and ``complete`` from the gazetteer file; thread-safe."""

    def __init__(self, path: Path, cache_size: int = 8192) -> None:
        if not path.is_file():
            raise GazetteerMissingError(
                f"The offline gazetteer {path.name} is missing; run 'make' (or "
                "'python -m scripts.build_gazetteer') to build it."
            )
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        self._load_areas()
        self._cached_locate = lru_cache(maxsize=cache_size)(self._locate) if cache_size else None

    # Loading ----------------------------------------------------------------------------
    def _load_areas(self) -> None:
        rows = self._db.execute("SELECT code, name, population, capital_id FROM countries")
        self._countries: dict[str, tuple[str, int, int | None]] = {
            code: (name, int(population), capital) for code, name, population, capital in rows
        }
        self._country_names: dict[str, list[tuple[str, int]]] = {}
        for key, code, kind in self._db.execute("SELECT key, code, kind FROM country_names"):
            self._country_names.setdefault(key, []).append((code, int(kind)))
        self._admins: dict[tuple[str, str], tuple[str, int | None]] = {
            (cc, code): (name, rep)
            for cc, code, name, rep in self._db.execute(
                "SELECT country_code, code, name, representative_id FROM admin1"
            )
        }
        self._admin_names: dict[str, list[tuple[str, str, int]]] = {}
        for key, cc, code, kind in self._db.execute(
            "SELECT key, country_code, code, kind FROM admin1_names"
        ):
            self._admin_names.setdefault(key, []).append((cc, code, int(kind)))
        self._country_keys: dict[str, set[str]] = {}
        self._area_key_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        for key, codes in self._country_names.items():
            for code, kind in codes:
                if kind < 2 or len(key) == 2:
                    self._country_keys.setdefault(code, set()).add(key)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # Queries ----------------------------------------------------------------------------
    def _query(self, sql: str, params: Sequence[object]) -> list[_Place]:
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [_Place(*row) for row in rows]

    def _places_named(self, key: str) -> list[tuple[_Place, int]]:
        """Places known by ``key``, each with 0 (its own name) or 1 (an alternate name)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1_code, "
                "p.population, p.timezone, n.kind FROM names n JOIN places p "
                "ON p.id = n.place_id WHERE n.key = ? ORDER BY p.population DESC, p.id LIMIT 200",
                (key,),
            ).fetchall()
        return [(_Place(*row[:8]), int(row[8])) for row in rows]

    def _place(self, place_id: int | None) -> _Place | None:
        if place_id is None:
            return None
        found = self._query(
            "SELECT id, name, lat, lon, country_code, admin1_code, population, timezone "
            "FROM places WHERE id = ?",
            (place_id,),
        )
        return found[0] if found else None

    # Building answers -------------------------------------------------------------------
    def admin1_name(self, country_code: str, admin1_code: str | None) -> str | None:
        """The English name of an admin-1 area, where the gazetteer knows it."""
        entry = self._admins.get((country_code, admin1_code or ""))
        return entry[0] if entry else None

    def country_name(self, country_code: str) -> str:
        entry = self._countries.get(country_code)
        return entry[0] if entry else country_code

    def _match(self, place: _Place) -> PlaceMatch:
        admin = self.admin1_name(place.country_code, place.admin1_code)
        pieces = [place.name]
        if admin and normalize_key(admin) != normalize_key(place.name):
            pieces.append(admin)
        pieces.append(self.country_name(place.country_code))
        return PlaceMatch(
            name=", ".join(pieces),
            lat=place.lat,
            lon=place.lon,
            country_code=place.country_code,
            admin1=admin,
            timezone=place.timezone,
            population=place.population,
            source=SOURCE,
        )

    def _place_candidate(self, place: _Place, kind: int = 0) -> _Candidate:
        rank = place.population if kind == 0 else place.population // ALTERNATE_NAME_WEIGHT
        return _Candidate(
            self._match(place), rank, "place", (place.country_code, place.admin1_code)
        )

    def _admin_candidate(self, cc: str, code: str) -> _Candidate | None:
        name, rep_id = self._admins[(cc, code)]
        rep = self._place(rep_id)
        if rep is None:
            return None
        match = replace(
            self._match(rep),
            name=f"{name}, {self.country_name(cc)}",
            admin1=name,
        )
        return _Candidate(match, rep.population, "admin1", (cc, code))

    def _country_candidate(self, cc: str) -> _Candidate | None:
        name, population, capital_id = self._countries[cc]
        capital = self._place(capital_id)
        if capital is None:
            return None
        match = replace(self._match(capital), name=name, admin1=None)
        return _Candidate(match, max(population, capital.population), "country", (cc, ""))

    def _area(self, text: str) -> _Area:
        """What a qualifier ("MA", "Hessen", "Deutschland", "UK") can mean."""
        key = strip_decorations(normalize_key(text))
        countries = frozenset(code for code, _kind in self._country_names.get(key, ()))
        admins = frozenset((cc, code) for cc, code, _kind in self._admin_names.get(key, ()))
        return _Area(countries, admins)

    # Resolving --------------------------------------------------------------------------
    def _readings(self, key: str, areas: Sequence[_Area]) -> list[_Candidate]:
        """Every place, area and country ``key`` may name, within the qualifying areas."""
        found: list[_Candidate] = []
        for code, kind in self._country_names.get(key, ()):
            if kind < 2 or len(key) > 3:
                candidate = self._country_candidate(code)
                if candidate is not None:
                    found.append(candidate)
        for cc, code, kind in self._admin_names.get(key, ()):
            if kind == 0 or len(key) > 2:
                candidate = self._admin_candidate(cc, code)
                if candidate is not None:
                    found.append(candidate)
        found.extend(self._place_candidate(place, kind) for place, kind in self._places_named(key))
        known = [area for area in areas if area.known]
        return [c for c in found if all(area.holds(*c.key) for area in known)]

    @staticmethod
    def _choose(readings: list[_Candidate]) -> list[_Candidate]:
        """Readings best first: a country, else a big enough city over an area, else size."""
        by_rank = sorted(readings, key=lambda c: -c.rank)
        countries = [c for c in by_rank if c.kind == "country"]
        places = [c for c in by_rank if c.kind == "place"]
        admins = [c for c in by_rank if c.kind == "admin1"]
        best: _Candidate
        if countries:
            best = countries[0]
        elif admins and places:
            best = places[0] if places[0].rank >= CITY_OVER_AREA * admins[0].rank else admins[0]
        else:
            best = by_rank[0]
        ordered = [best]
        seen = {(round(best.match.lat, 3), round(best.match.lon, 3))}
        for candidate in by_rank:
            spot = (round(candidate.match.lat, 3), round(candidate.match.lon, 3))
            if spot not in seen:
                seen.add(spot)
                ordered.append(candidate)
        return ordered[:MAX_CANDIDATES]

    def _resolve_head(self, head: str, qualifiers: Sequence[str]) -> list[_Candidate]:
        areas = [self._area(q) for q in qualifiers]
        for key in head_variants(head):
            readings = self._readings(key, areas)
            if readings:
                return self._choose(readings)
        # "Cambridge MA", "Paris France": a qualifier written without a comma.
        for place_key, qualifier in trailing_splits(strip_decorations(normalize_key(head))):
            area = self._area(qualifier)
            if area.known:
                readings = self._readings(place_key, [*areas, area])
                if readings:
                    return self._choose(readings)
        return []

    def _resolve(self, text: str, follow_alias: bool = True) -> list[_Candidate]:
        whole = normalize_key(text)
        if follow_alias:
            alias = alias_for(whole)
            if alias is not None:
                return self._resolve(alias, follow_alias=False)
        parsed = parse_place(text)
        if parsed.names_no_place:
            return []
        if len(parsed.parts) > 1:
            # "Washington, D.C.", "Frankfurt (Oder)": some names carry their own comma.
            readings = [c for c in self._readings(whole, []) if c.kind == "place"]
            if readings:
                return self._choose(readings)
        for index, part in enumerate(parsed.parts):
            if follow_alias and index == 0:
                alias = alias_for(normalize_key(part))
                if alias is not None:
                    qualified = self._resolve(alias, follow_alias=False)
                    areas = [self._area(q) for q in parsed.parts[1:]]
                    kept = [c for c in qualified if all(a.holds(*c.key) for a in areas if a.known)]
                    if kept:
                        return kept
            found = self._resolve_head(part, parsed.parts[index + 1 :])
            if found:
                return found
        return []

    def _locate(self, text: str) -> LocateResult:
        candidates = tuple(c.match for c in self._resolve(text))
        return LocateResult(
            query=text, best=candidates[0] if candidates else None, candidates=candidates
        )

    # The PlaceLocator protocol ----------------------------------------------------------
    def locate(self, text: str) -> LocateResult:
        """The best match for ``text`` and the other candidates (best first, best included)."""
        if self._cached_locate is not None:
            return self._cached_locate(text)
        return self._locate(text)

    def locate_many(self, texts: Iterable[str]) -> list[LocateResult]:
        return [self.locate(text) for text in texts]

    # The map's labels ----------------------------------------------------------------------
    def largest_places(
        self, min_lat: float, max_lat: float, min_lon: float, max_lon: float, limit: int = 60
    ) -> list[PlaceMatch]:
        """The largest places inside the box, largest first: the map's city labels.

        Walking places by population answers a wide box at once but a small or empty box
        only after reading every place, so in a wide box the large places are tried first;
        a box they do not fill, or one under ten degrees high, is read by latitude (both a
        few milliseconds with the map indexes of ``scripts/build_gazetteer.py``).
        """
        if limit <= 0 or min_lat > max_lat:
            return []
        where = "lat BETWEEN ? AND ? AND "
        if min_lon <= max_lon:
            where += "lon BETWEEN ? AND ?"
        else:  # the box crosses the antimeridian
            where += "(lon >= ? OR lon <= ?)"
        columns = "id, name, lat, lon, country_code, admin1_code, population, timezone"
        box = (min_lat, max_lat, min_lon, max_lon)
        places: list[_Place] = []
        if max_lat - min_lat >= WIDE_BOX_DEG:
            # The unary + keeps SQLite from reading the large places by latitude.
            large = where.replace("lat", "+lat")
            places = self._query(
                f"SELECT {columns} FROM places WHERE population >= ? AND {large} "
                "ORDER BY population DESC LIMIT ?",
                (LARGE_PLACE, *box, limit),
            )
        if len(places) < limit:
            places = self._query(
                f"SELECT {columns} FROM places WHERE {where} ORDER BY population DESC, id LIMIT ?",
                (*box, limit),
            )
        return [self._match(place) for place in places]

    # Completion -------------------------------------------------------------------------
    def complete(self, prefix: str, limit: int = 10) -> list[PlaceMatch]:
        """Places whose name starts with ``prefix``, largest first ("Mun": Munich first).

        Text after a comma narrows by country or area ("Cambridge, M" keeps places whose
        area or country starts with "m").
        """
        head, _, rest = prefix.partition(",")
        key = normalize_key(head)
        if not key or limit <= 0:
            return []
        narrow = normalize_key(rest)
        places: list[_Place] = []
        if not narrow:
            places = self._query(
                "SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1_code, "
                "p.population, p.timezone FROM completion c JOIN places p ON p.id = c.place_id "
                "WHERE c.prefix = ? ORDER BY c.rank",
                (key,),
            )
        if not places:
            rows = self._query(
                "SELECT p.id, p.name, p.lat, p.lon, p.country_code, p.admin1_code, "
                "p.population, p.timezone FROM names n JOIN places p ON p.id = n.place_id "
                "WHERE n.key >= ? AND n.key < ? ORDER BY n.kind, p.population DESC LIMIT 5000",
                (key, key + _HIGHEST),
            )
            primary_first: dict[int, _Place] = {}
            for place in rows:
                primary_first.setdefault(place.id, place)
            places = list(primary_first.values())
        results: list[PlaceMatch] = []
        seen: set[str] = set()
        for place in places:
            # Narrow on the place's words and its area's keys before building its answer:
            # "Paris, T" looks at a few hundred Parises, and most of them are not kept.
            if narrow and not self._narrowed_by(place, narrow):
                continue
            match = self._match(place)
            if match.name in seen:
                continue
            seen.add(match.name)
            results.append(match)
            if len(results) >= limit:
                break
        return results

    def _narrowed_by(self, place: _Place, narrow: str) -> bool:
        words = normalize_key(place.name).split(" ")
        tails = [" ".join(words[i:]) for i in range(1, len(words))]
        if any(tail.startswith(narrow) for tail in tails):
            return True
        return any(key.startswith(narrow) for key in self._area_keys(place))

    def _area_keys(self, place: _Place) -> tuple[str, ...]:
        """The keys an area part can start with: the admin-1 name's tails and the country's."""
        where = (place.country_code, place.admin1_code or "")
        keys = self._area_key_cache.get(where)
        if keys is None:
            found: set[str] = set(self._country_keys.get(place.country_code, ()))
            for name in (self.admin1_name(*where), self.country_name(place.country_code)):
                if name:
                    words = normalize_key(name).split(" ")
                    found.update(" ".join(words[i:]) for i in range(len(words)))
            keys = self._area_key_cache[where] = tuple(found)
        return keys

"""The offline gazetteer: places from GeoNames in a read-only SQLite file, no network ever.

Lookups read the file's primary-key indexes (a few microseconds each) and remember recent
answers; the small tables of countries and admin-1 areas live in memory. The file is built
by ``scripts/build_gazetteer.py`` (``make`` does it when it is missing).
"""

from __future__ import annotations

import math
import sqlite3
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from netplanner.domain.errors import NetPlannerError
from netplanner.domain.placenames import normalize_key
from netplanner.domain.places import LocateResult, PlaceMatch
from netplanner.services.geocoding.baked import (
    ALTERNATE_NAME_WEIGHT,
    MAX_PLACES_PER_KEY,
    SCHEMA,
    fingerprint,
)
from netplanner.services.geocoding.placetext import (
    ALIASES,
    NO_PLACE,
    alias_for,
    extra_variants,
    head_variants,
    strip_decorations,
    trailing_splits,
)
from netplanner.services.geocoding.reader import (
    AREA_WORDS,
    NOT_PLAIN,
    is_plain_street,
    read_place_text,
)

SOURCE = "geonames"
PAGE_CACHE_KIB = 8192
MMAP_BYTES = 256 * 1024 * 1024  # more than the file: all of it is mapped
# A city beats an admin area of the same name when it is at least this share of the
# area's largest city ("Washington" is the city; "Ontario" is the province).
CITY_OVER_AREA = 0.5
MAX_CANDIDATES = 10
# A district and the city named beside it lie within about this many kilometres.
NEAR_KM = 20.0
NEAR_DEG2 = (NEAR_KM / 111.2) ** 2
NEAR_READINGS = 12
# Places this large are few (about 4,000), so walking them by population is always quick.
LARGE_PLACE = 100_000
WIDE_BOX_DEG = 10.0
_HIGHEST = "\U0010ffff"


class GazetteerMissingError(NetPlannerError):
    """The gazetteer file is not there (it is built by ``make``)."""


class _Place(NamedTuple):
    id: int
    name: str
    lat: float
    lon: float
    country_code: str
    admin1_code: str
    population: int
    timezone: str | None
    admin2_code: str


# A row of ``_NAMED_SQL``: the name's kind (1 an alternate name), then a ``_Place``'s columns.
_Row = tuple[Any, ...]

_PLACE_COLUMNS = "id, name, lat, lon, country_code, admin1_code, population, timezone, admin2_code"
_P_COLUMNS = ", ".join(f"p.{c.strip()}" for c in _PLACE_COLUMNS.split(","))
# The places read by a name, in reading order (rank, population, id) straight off the primary
# key: the file stores them so (``names_by_rank`` in scripts/build_gazetteer.py).
_NAMED_SQL = (
    f"SELECT n.sk & 1, {_P_COLUMNS} FROM names_by_rank n JOIN places p ON p.id = n.place_id "
    f"WHERE n.key = ? AND n.sk < {2 * MAX_PLACES_PER_KEY} ORDER BY n.sk"
)


def _largest_first(row: Sequence[object]) -> tuple[int, int]:
    return (-row[7], row[1])  # type: ignore[operator,return-value]


def _row_rank(row: Sequence[Any]) -> int:
    """A row's reading rank: its population, a tenth of it when named by an alternate name."""
    population: int = row[7]
    return population // ALTERNATE_NAME_WEIGHT if row[0] else population


def _ordered_rows(rows: list[_Row]) -> list[_Reading | _Row]:
    """``_ordered(_first_choice(r), r)`` for the readings of place ``rows``, as rows."""
    if len(rows) == 1:
        return rows  # type: ignore[return-value]
    weight = ALTERNATE_NAME_WEIGHT
    ranks = [row[7] // weight if row[0] else row[7] for row in rows]  # _row_rank, inlined
    best = rows[ranks.index(max(ranks))]  # the first of the highest rank, as _first_choice
    ordered: list[_Reading | _Row] = [best]
    seen = {(best[3], best[4])}
    # Largest first, stable as _ordered (a reversed sort keeps equal ranks in their order).
    for at in sorted(range(len(rows)), key=ranks.__getitem__, reverse=True):
        row = rows[at]
        spot = (row[3], row[4])
        if spot not in seen:
            seen.add(spot)
            ordered.append(row)
            if len(ordered) >= MAX_CANDIDATES:
                break
    return ordered


def _row_reading(row: Sequence[Any]) -> _Reading:
    place = _new_place(_Place, row[1:10])
    return _Reading(
        PLACE, place, _row_rank(row), place.country_code, place.admin1_code, place.admin2_code
    )


# Reading kinds, most specific first.
PLACE, ADMIN2, ADMIN1, COUNTRY = 0, 1, 2, 3


class _Reading:
    """One thing a component may name: a place, or an area through its representative."""

    __slots__ = ("a1", "a2", "area_name", "cc", "component", "kind", "place", "rank")

    def __init__(
        self,
        kind: int,
        place: _Place,
        rank: int,
        cc: str,
        a1: str = "",
        a2: str = "",
        area_name: str | None = None,
    ) -> None:
        self.kind = kind
        self.place = place
        self.rank = rank
        self.cc = cc
        self.a1 = a1
        self.a2 = a2
        self.area_name = area_name
        self.component = 0


@dataclass
class _Component:
    """A component of the text with what it may name and what it may lie in."""

    text: str
    readings: list[_Reading]
    countries: frozenset[str] = frozenset()
    admins: frozenset[tuple[str, str]] = frozenset()
    admin2s: frozenset[tuple[str, str, str]] = frozenset()
    # The component names a city before its area ("İstanbul", "São Paulo"): then it speaks
    # for what is near the city, not for every village of the province.
    city_first: bool = False

    def holds(self, r: _Reading) -> bool:
        """True when this component names an area ``r`` lies in."""
        if r.kind < COUNTRY and r.cc in self.countries:
            return True
        if self.city_first:
            return False
        if r.kind < ADMIN1 and (r.cc, r.a1) in self.admins:
            return True
        return r.kind < ADMIN2 and (r.cc, r.a1, r.a2) in self.admin2s

    def near(self, r: _Reading) -> bool:
        """True when this component names a place close to ``r`` (a district and its city)."""
        if r.kind != PLACE:
            return False
        lat, lon = r.place.lat, r.place.lon
        scale = math.cos(math.radians(lat))
        for other in self.readings[:NEAR_READINGS]:
            # The named place itself, or a county's centre; not the main city of a province.
            if other.kind > ADMIN2 or (other.place.id == r.place.id and other.kind == PLACE):
                continue
            dlat = other.place.lat - lat
            dlon = (other.place.lon - lon) * scale
            # A county is wider than a city: what lies within twice the distance is in it.
            reach = NEAR_DEG2 * 4 if other.kind == ADMIN2 else NEAR_DEG2
            if dlat * dlat + dlon * dlon <= reach:
                return True
        return False


# The first rows of a name, for the plain texts (``_plain_ordered``).
_FEW = 12
_FEW_SQL = f"{_NAMED_SQL} LIMIT {_FEW}"
_NO_READINGS: list[_Reading] = []  # never changed: what a key that names no area reads


def _key(text: str) -> str:
    """``normalize_key(text)``, quicker for the usual text: ASCII letters and single spaces
    ("Berlin", "New York") are their own key, lowered."""
    if text.isascii():
        lowered = text.lower()
        if lowered.isalpha():
            return lowered
        lowered = lowered.strip(" ")  # as normalize_key strips its separators
        # ASCII letters and single spaces (isalpha is true only for letters here: ASCII).
        if lowered and "  " not in lowered and lowered.replace(" ", "").isalpha():
            return lowered
    return normalize_key(text)


_new = object.__new__
_new_place = tuple.__new__  # a _Place from a row slice, without NamedTuple's own __new__


def _new_match(
    name: str,
    lat: float,
    lon: float,
    country_code: str,
    admin1: str | None,
    timezone: str | None,
    population: int,
) -> PlaceMatch:
    """A ``PlaceMatch`` made three times quicker than through its frozen ``__init__``.

    The gazetteer makes one or two per lookup, and at 30,000 contacts that is felt; the
    result is the same object (same fields, equality, hash and repr).
    """
    match = _new(PlaceMatch)
    match.__dict__.update(
        name=name,
        lat=lat,
        lon=lon,
        country_code=country_code,
        admin1=admin1,
        timezone=timezone,
        population=population,
        source=SOURCE,
    )
    return match


def _by_rank(r: _Reading) -> int:
    return -r.rank


def _close(a: _Place, b: _Place) -> bool:
    scale = math.cos(math.radians(a.lat))
    dlat, dlon = a.lat - b.lat, (a.lon - b.lon) * scale
    return dlat * dlat + dlon * dlon <= NEAR_DEG2


class OfflineGazetteer:
    """Answers ``locate`` and ``complete`` from the gazetteer file; thread-safe."""

    def __init__(self, path: Path, cache_size: int = 8192) -> None:
        if not path.is_file():
            if getattr(sys, "frozen", False):  # an installed bundle: its user has no make
                raise GazetteerMissingError(
                    f"This installation of NetPlanner is incomplete: its list of places "
                    f"({path.name}) is missing, so places cannot be found; please reinstall "
                    "NetPlanner."
                )
            raise GazetteerMissingError(
                f"The offline gazetteer {path.name} is missing; run 'make' (or "
                "'python -m scripts.build_gazetteer') to build it."
            )
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("schema") != SCHEMA or meta.get("baked") != fingerprint():
            self._db.close()
            raise GazetteerMissingError(
                f"The offline gazetteer {path.name} is out of date; run 'make' (or "
                "'python -m scripts.build_gazetteer') to build it again."
            )
        # A larger page cache than SQLite's 2 MB keeps the busy pages of the name index, and
        # the file is read through a memory map: a page not in the cache is read without a
        # system call or a copy (the file is never written; the map is shared, not private).
        self._db.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        self._db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        # One cursor for every lookup (under the lock, each result read at once): making a
        # cursor per query cost more than a quick query's own reading.
        self._cursor = self._db.cursor()
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
        # What a place's answer names beside it: its admin-1 area (with the area's key and
        # first letter, which decide whether the area is written) and its country.
        self._labels: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        for where, (name, _) in self._admins.items():
            country = self._countries.get(where[0])
            self._labels[where] = (
                name,
                country[0] if country else where[0],
                normalize_key(name),
                name[:1].casefold(),
            )
        self._admin_names: dict[str, list[tuple[str, str, int]]] = {}
        for key, cc, code, kind in self._db.execute(
            "SELECT key, country_code, code, kind FROM admin1_names"
        ):
            self._admin_names.setdefault(key, []).append((cc, code, int(kind)))
        self._has_admin2 = bool(
            self._db.execute(
                "SELECT 1 FROM pragma_table_info('admin2_names') WHERE name = 'lat_e3'"
            ).fetchone()
        )
        # The places that stand for countries and admin-1 areas, read once.
        wanted = {c for _, _, c in self._countries.values() if c is not None}
        wanted |= {rep for _, rep in self._admins.values() if rep is not None}
        self._representatives: dict[int, _Place] = {}
        ids = sorted(wanted)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT {_PLACE_COLUMNS} FROM places WHERE id IN ({marks})", chunk
            ):
                self._representatives[row[0]] = _Place(*row)
        # The names that decoration words begin or end ("Greater Sudbury", "Central Coast"):
        # under a thousand, so a decorated text is looked up as written only where it is one.
        self._decorated: frozenset[str] = frozenset(
            key for (key,) in self._db.execute("SELECT key FROM decorated_names")
        )
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
            rows = self._cursor.execute(sql, params).fetchall()
        return [_Place(*row) for row in rows]

    def _admin2_named(self, key: str) -> list[_Reading]:
        """Counties and districts known by ``key``, each standing at the centre of its places."""
        if not self._has_admin2:
            return []
        with self._lock:
            rows = self._cursor.execute(
                "SELECT country_code, admin1_code, code, name, representative_id, lat_e3, "
                "lon_e3 FROM admin2_names WHERE key = ? LIMIT 20",
                (key,),
            ).fetchall()
        found: list[_Reading] = []
        for cc, a1, code, name, rep_id, lat, lon in rows:
            rep = self._place(rep_id)
            if rep is not None:
                spot = rep._replace(lat=lat / 1000, lon=lon / 1000)
                found.append(_Reading(ADMIN2, spot, rep.population, cc, a1, code, name))
        return found

    def _place(self, place_id: int | None) -> _Place | None:
        if place_id is None:
            return None
        known = self._representatives.get(place_id)
        if known is not None:
            return known
        found = self._query(f"SELECT {_PLACE_COLUMNS} FROM places WHERE id = ?", (place_id,))
        return found[0] if found else None

    # Building answers -------------------------------------------------------------------
    def admin1_name(self, country_code: str, admin1_code: str | None) -> str | None:
        """The English name of an admin-1 area, where the gazetteer knows it."""
        entry = self._admins.get((country_code, admin1_code or ""))
        return entry[0] if entry else None

    def country_name(self, country_code: str) -> str:
        entry = self._countries.get(country_code)
        return entry[0] if entry else country_code

    def _match(self, place: _Place, name: str | None = None, admin1: str | None = "") -> PlaceMatch:
        """The answer for ``place``; an area's answer passes its own ``name`` and ``admin1``."""
        if name is None:
            return self._place_match(place)
        entry = self._admins.get((place.country_code, place.admin1_code))
        admin = entry[0] if entry else None
        return _new_match(
            name,
            place.lat,
            place.lon,
            place.country_code,
            admin if admin1 == "" else admin1,
            place.timezone,
            place.population,
        )

    def _place_match(self, place: _Place) -> PlaceMatch:
        """The usual answer for ``place``: its name, its area's where that tells it apart."""
        return self._named_match(*place[1:8])

    def _row_match(self, row: _Row) -> PlaceMatch:
        """``_place_match`` for a row of ``_NAMED_SQL`` (its kind, then the place's columns)."""
        return self._named_match(*row[2:9])

    def _named_match(
        self,
        own: str,
        lat: float,
        lon: float,
        cc: str,
        admin1_code: str,
        population: int,
        timezone: str | None,
    ) -> PlaceMatch:
        """The answer for a place's columns, with its area's names looked up once
        (``_labels``): "Name, Area, Country", the area left out where it is the name."""
        label = self._labels.get((cc, admin1_code))
        if label is None:
            country = self._countries.get(cc)
            admin = None
            name = f"{own}, {country[0] if country else cc}"
        else:
            admin, country_name, admin_key, initial = label
            if admin and admin != own and (initial != own[:1].casefold() or admin_key != _key(own)):
                name = f"{own}, {admin}, {country_name}"
            else:
                name = f"{own}, {country_name}"
        return _new_match(name, lat, lon, cc, admin, timezone, population)

    def _reading_match(self, r: _Reading) -> PlaceMatch:
        if r.kind == PLACE:
            return self._match(r.place)
        country = self.country_name(r.cc)
        if r.kind == COUNTRY:
            return self._match(r.place, country, None)
        if r.kind == ADMIN1:
            return self._match(r.place, f"{r.area_name}, {country}", r.area_name)
        admin = self.admin1_name(r.cc, r.a1)
        return self._match(r.place, f"{r.area_name}, {admin or country}, {country}")

    # Readings ---------------------------------------------------------------------------
    def _readings(
        self, key: str, areas_only: bool = False, countries_only: bool = False
    ) -> list[_Reading]:
        """Every place, area and country ``key`` may name, countries first."""
        found = self._area_readings(key, countries_only)
        if countries_only:
            return found
        if areas_only:
            return found + self._admin2_named(key)
        with self._lock:
            rows = self._cursor.execute(_NAMED_SQL, (key,)).fetchall()
        if len(rows) > 1:
            rows.sort(key=_largest_first)
        self._add_places(found, rows)
        return found

    def _area_readings(self, key: str, countries_only: bool = False) -> list[_Reading]:
        """The countries and admin-1 areas ``key`` may name (from memory, no query)."""
        found: list[_Reading] = []
        countries = self._country_names.get(key)
        if countries:
            for code, kind in countries:
                if kind < 2 or len(key) > 3:
                    _name, population, capital_id = self._countries[code]
                    capital = self._place(capital_id)
                    if capital is not None:
                        rank = max(population, capital.population)
                        found.append(_Reading(COUNTRY, capital, rank, code))
        if countries_only:
            return found
        admins = self._admin_names.get(key)
        if admins:
            for cc, code, kind in admins:
                if kind == 0 or len(key) > 2:
                    name, rep_id = self._admins[(cc, code)]
                    rep = self._place(rep_id)
                    if rep is not None:
                        found.append(_Reading(ADMIN1, rep, rep.population, cc, code, "", name))
        return found

    @staticmethod
    def _add_places(found: list[_Reading], rows: Iterable[Sequence[object]]) -> None:
        weight = ALTERNATE_NAME_WEIGHT
        for row in rows:
            place = _new_place(_Place, row[1:10])
            population = place.population
            found.append(
                _Reading(
                    PLACE,
                    place,
                    population // weight if row[0] else population,
                    place.country_code,
                    place.admin1_code,
                    place.admin2_code,
                )
            )

    def _component(
        self,
        text: str,
        qualifier_areas: bool,
        follow_alias: bool = True,
        key: str | None = None,
        later: bool = False,
        checked: bool = False,
    ) -> _Component:
        """What one component may name, trying the ways people decorate names.

        ``later`` says the component follows another: when it names a country it is only
        a qualifier then ("Paris, France"), so places that share the country's name are not
        read.
        """
        readings: list[_Reading] = []
        if key is None:
            key = normalize_key(text)
        alias = alias_for(key) if follow_alias and not checked else None
        if alias is not None:
            readings = self._resolve(alias, follow_alias=False)[:1]
        elif later and any(kind < 2 for _, kind in self._country_names.get(key, ())):
            readings = self._readings(key, countries_only=True)
        if not readings:
            for variant in head_variants(text, key):
                readings = self._readings(variant)
                if readings:
                    key = variant
                    break
        if not readings:
            readings, key = self._fallback_readings(text, key)
        if not qualifier_areas:
            return _Component(text, readings)
        area_key = strip_decorations(key)
        countries = frozenset(code for code, _ in self._country_names.get(area_key, ()))
        admins = frozenset((cc, code) for cc, code, _ in self._admin_names.get(area_key, ()))
        named2 = [] if countries or admins else self._admin2_named(area_key)
        admin2s = frozenset((r.cc, r.a1, r.a2) for r in named2)
        city_first = False
        if readings:
            first = self._first_choice(readings)
            city_first = first.kind == PLACE and any(
                r.kind == ADMIN1 and _close(r.place, first.place) for r in readings
            )
        # A county or district named as a qualifier ("Rochester, Kent") stands at the
        # centre of its places too, so what lies near it agrees with it.
        for r in named2[:5]:
            r.rank //= 10
            readings.append(r)
        return _Component(text, readings, countries, admins, admin2s, city_first)

    def _fallback_readings(self, text: str, key: str) -> tuple[list[_Reading], str]:
        """Readings for a component its plain variants did not find, and the key that did."""
        for variant in extra_variants(text):
            stripped = AREA_WORDS.sub("", variant)
            if stripped != variant:
                readings = self._readings(stripped, areas_only=True)
                if readings:
                    return readings, stripped
            readings = self._readings(variant)
            if readings:
                return readings, variant
        # "Cambridge MA", "Sydney NSW": a qualifier written without a comma.
        for place_key, qualifier in trailing_splits(strip_decorations(key)):
            area = self._component(qualifier, qualifier_areas=True, follow_alias=False)
            if area.countries or area.admins or area.admin2s:
                head = self._readings(place_key)
                held = [r for r in head if area.holds(r)]
                if held:
                    return held, place_key
        # "北京海淀区": a city written straight before its district.
        if not key.isascii() and " " not in key:
            for cut in range(len(key) - 1, 1, -1):
                readings = self._readings(key[:cut])
                if readings:
                    return readings, key[:cut]
        # "Bangalore Urban", "Santa Clara County": a county or district named alone.
        for area_key in dict.fromkeys((key, strip_decorations(AREA_WORDS.sub("", key)))):
            found = self._admin2_named(area_key)[:5]
            if found:
                return found, area_key
        # "Milano MI": a short code after the name that names nothing we know.
        words = key.split()
        if len(words) > 1 and len(words[-1]) <= 3:
            readings = self._readings(" ".join(words[:-1]))
            if readings:
                return readings, " ".join(words[:-1])
        return [], key

    # Choosing ---------------------------------------------------------------------------
    @staticmethod
    def _first_choice(readings: list[_Reading]) -> _Reading:
        """Within one component: a country, else a big enough city over an area, else size."""
        best_country = best_place = best_area = None
        for r in readings:
            if r.kind == COUNTRY:
                if best_country is None or r.rank > best_country.rank:
                    best_country = r
            elif r.kind == PLACE:
                if best_place is None or r.rank > best_place.rank:
                    best_place = r
            elif best_area is None or r.rank > best_area.rank:
                best_area = r
        if best_country is not None:
            return best_country
        if best_place is not None and best_area is not None:
            if best_place.rank >= CITY_OVER_AREA * best_area.rank:
                return best_place
            for r in readings:
                if r.kind == PLACE and r.place.id == best_area.place.id:
                    return r  # "Tokyo": the city that stands for the prefecture is the answer
            return best_area
        chosen = best_place or best_area
        assert chosen is not None
        return chosen

    def _ordered(self, best: _Reading, readings: Iterable[_Reading]) -> list[_Reading]:
        """``best``, then the other readings largest first, one per spot, at most ten."""
        if isinstance(readings, list) and len(readings) == 1:
            return [best]
        ordered = [best]
        seen = {(best.place.lat, best.place.lon)}
        if not isinstance(readings, list) or len(readings) > 1:
            readings = sorted(readings, key=_by_rank)
        for r in readings:
            spot = (r.place.lat, r.place.lon)
            if spot not in seen:
                seen.add(spot)
                ordered.append(r)
                if len(ordered) >= MAX_CANDIDATES:
                    break
        return ordered

    def _agreeing(
        self, components: list[_Component], countries: frozenset[str]
    ) -> tuple[list[_Reading], dict[int, set[int]]]:
        """Readings best first by how many other components agree with them.

        A component agrees with a reading when it names an area the reading lies in (the
        city inside the named admin area and country) or a place near it (a district and
        its city); a postcode's country prefix agrees too. With no agreement anywhere, the
        largest reading wins: "Westminster, London" is London, not Colorado.
        """
        scored: list[tuple[float, int, int, _Reading]] = []
        support: dict[int, set[int]] = {}
        for index, component in enumerate(components):
            for r in component.readings:
                r.component = index
                agree = {
                    j
                    for j, other in enumerate(components)
                    if j != index and (other.holds(r) or other.near(r))
                }
                score = float(len(agree))
                if countries:
                    score += 0.5 if r.cc in countries else -0.5
                support[id(r)] = agree
                scored.append((score, index, r.rank, r))
        if not scored:
            return [], support
        top = max(s[0] for s in scored)
        best_rows = [s for s in scored if s[0] == top]
        if top >= 1:
            # The most specific component the others agree with: the district or the city.
            first = min(s[1] for s in best_rows)
            best = self._first_choice([s[3] for s in best_rows if s[1] == first])
        else:
            best = self._first_choice([s[3] for s in best_rows])
        rest = [s[3] for s in sorted(scored, key=lambda s: (-s[0], -s[2]))]
        return self._ordered(best, rest), support

    # Resolving --------------------------------------------------------------------------
    def _resolve(self, text: str, follow_alias: bool = True) -> list[_Reading]:
        return [
            r if isinstance(r, _Reading) else _row_reading(r)
            for r in self._read(text, follow_alias)[0]
        ]

    def _alone_ordered(
        self, text: str, key: str, follow_alias: bool, checked: bool
    ) -> list[_Reading | _Row]:
        """``_ordered(_first_choice(r), r)`` for the readings ``r`` of ``_component(text,
        False, follow_alias, key, checked=checked)``: what a component alone may name.

        The same answer, quicker: each variant of the name is read as ``_plain_ordered``
        reads a plain name, a dozen rows first, not every place of the name as readings.
        """
        if follow_alias and not checked:
            alias = alias_for(key)
            if alias is not None:
                readings = self._resolve(alias, follow_alias=False)[:1]
                if readings:
                    return [readings[0]]
        for variant in head_variants(text, key):
            ordered = self._plain_ordered(variant, variant)
            if ordered:
                return ordered
        readings, _ = self._fallback_readings(text, key)
        return [*self._ordered(self._first_choice(readings), readings)] if readings else []

    def _read_plain(
        self, text: str, key: str, stripped: str
    ) -> tuple[list[_Reading | _Row], str | None, tuple[str, ...]]:
        """``_read`` for one plain name ("Berlin", "Greater Boston Area"), the usual text."""
        if key in ALIASES or stripped in ALIASES:
            alias = ALIASES.get(key) or ALIASES[stripped]
            return [*self._read(alias, follow_alias=False)[0]], text.strip(), ()
        ordered = self._plain_ordered(key, stripped)
        if ordered:
            return ordered, text.strip(), ()
        readings = self._component(text, False, True, key, checked=True).readings
        if not readings:
            return [], None, ()
        return [*self._ordered(self._first_choice(readings), readings)], text.strip(), ()

    def _plain_ordered(self, key: str, stripped: str, few: bool = True) -> list[_Reading | _Row]:
        """``_ordered(_first_choice(r), r)`` for the readings of ``key``, else of ``stripped``.

        The same answer, quicker: most texts are one name, and a common name ("San Jose")
        is shared by dozens of places of which ten at most are answered, so no reading is
        made for a place: its row stands for it (``_row_reading`` makes one where needed,
        ``_locate`` makes the answer straight from the row). With ``few``, only the first
        ``_FEW`` rows are read (a dozen: enough for ten answers nearly always), and all of
        them only where those did not make the answer.
        """
        sql = _FEW_SQL if few else _NAMED_SQL
        areas = (
            self._area_readings(key)
            if key in self._country_names or key in self._admin_names
            else _NO_READINGS
        )
        if stripped == key or areas:
            with self._lock:
                rows = self._cursor.execute(sql, (key,)).fetchall()
        else:
            # "Greater Boston Area": the few names that are decorated are known, so the name
            # as written is read only where there is one (it wins: "Greater Sudbury").
            rows = []
            if key in self._decorated:
                with self._lock:
                    rows = self._cursor.execute(sql, (key,)).fetchall()
            if not rows:
                areas = self._area_readings(stripped)
                with self._lock:
                    rows = self._cursor.execute(sql, (stripped,)).fetchall()
        more = few and len(rows) == _FEW  # the name may have places beyond those read
        if not rows:
            return [*self._ordered(self._first_choice(areas), areas)] if areas else []
        top = rows[0]
        best: _Reading | None = None
        if areas:
            best = self._first_choice(areas)
            if best.kind == ADMIN1 and _row_rank(top) < CITY_OVER_AREA * best.rank:
                # As ``_first_choice``: the city that stands for the area, else the area.
                if more:
                    return self._plain_ordered(key, stripped, few=False)
                area_id = best.place.id
                stands = next((row for row in rows if row[1] == area_id), None)
                best = best if stands is None else stands
            elif best.kind == ADMIN1:
                best = None
        ordered: list[_Reading | _Row]
        if best is None:
            if not areas and len(rows) == 1:
                return rows  # the usual answer: one place
            best = top
        ordered = [best]
        spot = (best[3], best[4]) if type(best) is tuple else (best.place.lat, best.place.lon)
        seen = {spot}
        # Areas, then rows, largest first; an area before a row of the same rank (a stable
        # sort of areas + rows by rank, as ``_ordered`` does).
        pending = sorted(areas, key=_by_rank) if len(areas) > 1 else areas
        at = 0
        weight = ALTERNATE_NAME_WEIGHT
        for row in rows:
            rank = row[7] // weight if row[0] else row[7]  # _row_rank, inlined
            while at < len(pending) and pending[at].rank >= rank:
                area = pending[at]
                at += 1
                spot = (area.place.lat, area.place.lon)
                if spot not in seen:
                    seen.add(spot)
                    ordered.append(area)
                    if len(ordered) >= MAX_CANDIDATES:
                        return ordered
            spot = (row[3], row[4])
            if spot not in seen:
                seen.add(spot)
                ordered.append(row)
                if len(ordered) >= MAX_CANDIDATES:
                    return ordered
        if more:
            return self._plain_ordered(key, stripped, few=False)
        for area in pending[at:]:
            spot = (area.place.lat, area.place.lon)
            if spot not in seen:
                seen.add(spot)
                ordered.append(area)
                if len(ordered) >= MAX_CANDIDATES:
                    break
        return ordered

    def _read_city_country(
        self, text: str
    ) -> tuple[list[_Reading | _Row], str | None, tuple[str, ...]] | None:
        """``_read`` for "Tokyo, Japan", the usual two-part text; None for any other text."""
        head, _, tail = text.partition(",")
        if NOT_PLAIN.search(head) or NOT_PLAIN.search(tail):
            return None
        tail_key = _key(tail)
        named = self._country_names.get(tail_key)
        codes = {c for c, kind in named if kind < 2} if named else None
        key = _key(head)
        if not codes or not key or key in NO_PLACE or is_plain_street(key):
            return None
        # The key of the whole text: a comma between two keys is one space.
        if alias_for(f"{key} {tail_key}") is not None:
            return None
        stripped = strip_decorations(key) if " " in key else key
        found, matched, _ = self._read_plain(head.strip(), key, stripped)
        rows = [r for r in found if type(r) is tuple]
        if len(rows) == len(found):
            # The usual: places only, read off their rows (as below, without readings).
            rows = [r for r in rows if r[5] in codes]
            return (_ordered_rows(rows), matched, ()) if rows else None
        readings = [r if isinstance(r, _Reading) else _row_reading(r) for r in found]
        held = [r for r in readings if r.kind != COUNTRY and r.cc in codes]
        if not held:
            return None
        return [*self._ordered(self._first_choice(held), held)], matched, ()

    def _read_quick(
        self, text: str
    ) -> tuple[list[_Reading | _Row], str | None, tuple[str, ...]] | None:
        """``_read`` for the usual texts, one name or "City, Country"; None for the others."""
        if NOT_PLAIN.search(text) is None:
            key = _key(text)
            if not key or key in NO_PLACE:
                return None
            stripped = strip_decorations(key) if " " in key else key
            if stripped in NO_PLACE or is_plain_street(key):
                return None
            return self._read_plain(text, key, stripped)
        if text.count(",") == 1:
            return self._read_city_country(text)
        return None

    def _read(
        self, text: str, follow_alias: bool = True
    ) -> tuple[Sequence[_Reading | _Row], str | None, tuple[str, ...]]:
        """The readings of ``text`` best first (or the rows that stand for them, as
        ``_plain_ordered`` gives them), the component that won, what was set aside."""
        parts = read_place_text(text)
        texts = parts.components
        simple = len(texts) == 1 and not parts.ignored
        whole = parts.keys[0] if simple else normalize_key(text)
        if follow_alias:
            alias = alias_for(whole)
            if alias is not None:
                return self._read(alias, follow_alias=False)[0], text.strip(), ()
        if parts.no_place:
            return [], None, parts.ignored
        if (len(texts) <= 1 and parts.ignored) or (
            len(texts) > 1 and (len(parts.keys[-1]) <= 4 or "(" in text or "/" in text)
        ):
            # "Washington, D.C.", "Frankfurt (Oder)", "Sector 3", "6th of October City": some
            # names carry their own comma, brackets or number.
            for key in dict.fromkeys((whole, strip_decorations(whole))):
                readings = [r for r in self._readings(key) if r.kind == PLACE]
                if readings:
                    best = self._first_choice(readings)
                    return self._ordered(best, readings), text.strip(), ()
        if not texts:
            return [], None, parts.ignored
        if len(texts) == 2 and not parts.ignored and not parts.countries:
            # "Tokyo, Japan", the usual two-part text: the city in the named country.
            codes = {c for c, kind in self._country_names.get(parts.keys[1], ()) if kind < 2}
            if codes:
                head = self._component(texts[0], False, follow_alias, parts.keys[0])
                held = [r for r in head.readings if r.kind != COUNTRY and r.cc in codes]
                if held:
                    return self._ordered(self._first_choice(held), held), texts[0], ()
        if len(texts) == 1 and not parts.countries:
            alone = self._alone_ordered(texts[0], parts.keys[0], follow_alias, simple)
            if not alone:
                return [], None, parts.ignored
            return alone, texts[0], parts.ignored
        components = [
            self._component(t, True, follow_alias, k, later=i > 0)
            for i, (t, k) in enumerate(zip(texts, parts.keys, strict=True))
        ]
        ordered, support = self._agreeing(components, parts.countries)
        if not ordered:
            return [], None, parts.ignored
        best = ordered[0]
        used = support.get(id(best), set()) | {best.component}
        ignored = parts.ignored + tuple(t for i, t in enumerate(texts) if i not in used)
        return ordered, texts[best.component], ignored

    def _locate(self, text: str) -> LocateResult:
        quick = self._read_quick(text)
        if quick is None:
            readings, matched, ignored = self._read(text)
            found: Sequence[_Reading | _Row] = readings
        else:
            found, matched, ignored = quick
        if len(found) == 1 and type(found[0]) is tuple:  # the usual: one place
            candidates: tuple[PlaceMatch, ...] = (self._row_match(found[0]),)
        else:
            candidates = tuple(
                [
                    self._row_match(r)
                    if type(r) is tuple
                    else self._place_match(r.place)  # type: ignore[union-attr]
                    if r.kind == PLACE  # type: ignore[union-attr]
                    else self._reading_match(r)  # type: ignore[arg-type]
                    for r in found
                ]
            )
        result = _new(LocateResult)
        result.__dict__.update(  # as ``_new_match``: LocateResult's frozen __init__ is slow
            query=text,
            best=candidates[0] if candidates else None,
            candidates=candidates,
            failed=False,
            matched=matched if candidates else None,
            ignored=ignored,
        )
        return result

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
        columns = _PLACE_COLUMNS
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
                f"SELECT {_P_COLUMNS} FROM completion c JOIN places p ON p.id = c.place_id "
                "WHERE c.prefix = ? ORDER BY c.rank",
                (key,),
            )
        if not places:
            rows = self._query(
                f"SELECT {_P_COLUMNS} FROM names_by_rank n JOIN places p ON p.id = n.place_id "
                "WHERE n.key >= ? AND n.key < ? "
                "ORDER BY n.sk & 1, p.population DESC, n.key, n.place_id LIMIT 5000",
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

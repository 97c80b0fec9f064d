"""Normalising imported values: profile URLs, emails, dates, place text, unsafe values."""

from __future__ import annotations

import dataclasses
import operator
import re
import typing
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from itertools import repeat
from typing import Any
from urllib.parse import unquote, urlsplit

from netplanner.domain.entities import LocationStatus
from netplanner.domain.sanity import (
    FIRST_YEAR,
    LAST_YEAR,
    clean_text,
    in_planning_years,
    is_finite_place,
    is_known_zone,
)

_LINKEDIN_PREFIX = "https://www.linkedin.com/in/"
_LINKEDIN_PATH = re.compile(r"^/in/([^/?#]+)", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


@lru_cache(maxsize=65_536)  # a re-import asks for each URL three times, 30,000 of them
def linkedin_profile(url: str) -> str | None:
    """The canonical form of a LinkedIn profile URL, or None when ``url`` is not one.

    The profile's own part keeps its case: member ids (``ACoAAB...``) are case-sensitive
    links; merging compares the URLs case-insensitively.
    """
    url = url.strip()
    if not url:
        return None
    if url.startswith(_LINKEDIN_PREFIX) and "?" not in url and "#" not in url:
        slug = url[len(_LINKEDIN_PREFIX) :].rstrip("/")
        if slug and "/" not in slug and "%" not in slug:
            return _LINKEDIN_PREFIX + slug
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None
    match = _LINKEDIN_PATH.match(parts.path)
    if not match:
        return None
    slug = unquote(match.group(1)).strip()
    return _LINKEDIN_PREFIX + slug if slug else None


def email_key(email: str) -> str | None:
    """The lower-cased address used to recognise a person, or None for no address."""
    value = email.strip().lower()
    if value.startswith("mailto:"):
        value = value[7:]
    return value if _EMAIL.match(value) else None


def clean_emails(values: list[str]) -> list[str]:
    """Addresses without blanks and duplicates, in order, as written."""
    seen: set[str] = set()
    result: list[str] = []
    for value in values:
        value = value.strip()
        if value.lower().startswith("mailto:"):
            value = value[7:]
        key = value.lower()
        if value and key not in seen:
            seen.add(key)
            result.append(value)
    return result


def clean_list(values: list[str]) -> list[str]:
    """Non-empty values without duplicates, in order."""
    seen: set[str] = set()
    result: list[str] = []
    for value in values:
        value = value.strip()
        if value and value not in seen:
            seen.add(value)
            result.append(value)
    return result


def place_text(*parts: str | None) -> str | None:
    """A location text like "Lisbon, Portugal" from address parts, without repeats."""
    seen: list[str] = []
    for part in parts:
        value = " ".join((part or "").split())
        if value and value.lower() not in (s.lower() for s in seen):
            seen.append(value)
    return ", ".join(seen) or None


def first_and_middle(first: str, middle: str) -> str:
    """The first name with the middle name after it: every importer's one rule.

    NetPlanner keeps a first and a last name only; a middle name is part of how the person
    is called, so it is kept after the first name rather than dropped ("Mary" + "Ann" →
    "Mary Ann"), unless the first name already ends with it.
    """
    words, extra = first.split(), middle.split()
    if not extra or [w.casefold() for w in words[-len(extra) :]] == [w.casefold() for w in extra]:
        return " ".join(words)
    return " ".join(words + extra)


def split_full_name(full: str) -> tuple[str, str]:
    """A display name as (first, last) when no parts are given: the last word is the
    family name ("Mary Ann Lee" → "Mary Ann", "Lee")."""
    first, _, last = full.rpartition(" ") if " " in full else (full, "", "")
    return first, last


def stand_in_name(company: str | None, emails: Sequence[str]) -> str | None:
    """What to call an entry without a name: its company, else its first e-mail (an office's
    or a shared mailbox's entry); None when it has neither, and is not a contact."""
    return company or (emails[0] if emails else None)


def best_place_text(parts: Sequence[str | None], *fallbacks: str | None) -> str | None:
    """The place text of an address: its city, region and country when it has any.

    Where those are all empty, the first non-empty of ``fallbacks`` (a formatted or street
    address such as "123 Main St, San Francisco, CA", whose lines become ", "): the geocoder
    reads a whole address, so it is better kept than lost.
    """
    text = place_text(*parts)
    if text:
        return text
    for fallback in fallbacks:
        lines = [" ".join(line.split()) for line in (fallback or "").splitlines()]
        joined = ", ".join(line.strip(" ,") for line in lines if line.strip(" ,"))
        if joined:
            return joined
    return None


@lru_cache(maxsize=16_384)  # 30,000 connections were made on a few thousand days
def parse_date(text: str) -> date | None:
    """A date written as "20 Jan 2024", "2024-01-20", "01/20/2024" or "1/20/24"; else None."""
    text = text.strip()
    if not text:
        return None
    try:
        parts = text.replace(",", " ").split()
        if len(parts) == 3 and parts[1][:3].lower() in MONTHS:  # 20 Jan 2024
            return date(int(parts[2]), MONTHS[parts[1][:3].lower()], int(parts[0]))
        if len(parts) == 3 and parts[0][:3].lower() in MONTHS:  # Jan 20 2024
            return date(int(parts[2]), MONTHS[parts[0][:3].lower()], int(parts[1]))
        if len(text) == 10 and text[4] == "-":
            return date.fromisoformat(text)
        pieces = text.split("/")
        if len(pieces) == 3:  # US order, as LinkedIn and Outlook write it
            year = int(pieces[2])
            return date(year + 2000 if year < 100 else year, int(pieces[0]), int(pieces[1]))
    except ValueError:
        return None
    return None


def parse_datetime(text: str) -> datetime | None:
    """A UTC datetime from the forms LinkedIn writes ("1/15/24, 10:05 AM", ISO); else None."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%d %b %Y %H:%M", "%d %b %Y"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        day = parse_date(text)
        return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


# Values other commands rely on --------------------------------------------------------
# Fields that hold lines of their own: they keep tabs and line breaks, nothing else.
MULTILINE_FIELDS = frozenset(
    {
        "notes", "message", "invitation_text", "food_drink", "service", "weather_journey",
        "in_common", "disliked", "business", "ambitions", "challenges", "learned", "text",
    }
)  # fmt: skip
# (lat, lon) pairs, whether the record can do without them, and the fields that go with them.
_PLACES = (("lat", "lon"), ("base_lat", "base_lon"))
_ZONES = ("timezone", "tzid")
_DATES = ("start_utc", "end_utc", "start_date", "end_date")


def _label(name: str) -> str:
    return "the " + name.replace("_", " ")


def _spoken(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


# Every character ``clean_text`` would change in a one-line or a multiline text, and more.
_UNSAFE_ANYWHERE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


_UNSAFE_BUT_LINE_ENDS = re.compile(
    "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def safe_but_line_ends(text: str) -> bool:
    """Whether ``text`` holds no character ``clean_text`` changes but CR and LF (a file
    whose records each fit on their line then gives texts that need no cleaning)."""
    if text.replace("\r", "").replace("\n", "").isprintable():  # fast and nearly always
        return True
    return _UNSAFE_BUT_LINE_ENDS.search(text) is None


def _has_unsafe(values: dict[str, Any], spec: _Checks) -> bool:
    """Whether any text of the record holds a character ``clean_text`` would change.

    One search over the record's texts joined: nearly every record is clean. The texts are
    taken by the fields' declared types (one C call); a value of another type than
    declared falls back to looking at every value."""
    try:
        joined = "\x20".join(filter(None, spec.take_texts(values)))
        lists = spec.take_lists(values)
        if any(lists):
            joined += "\x20" + "\x20".join([item for value in lists for item in value])
    except TypeError:
        texts: list[str] = []
        for value in values.values():
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, list):
                texts.extend(v for v in value if isinstance(v, str))
        joined = "\x20".join(texts)
    # Every character the pattern finds is one ``isprintable`` refuses, which is far faster.
    return not joined.isprintable() and _UNSAFE_ANYWHERE.search(joined) is not None


def _clean_texts(values: dict[str, Any]) -> list[str]:
    """Control characters out of every text (and list of texts); the fields changed.

    ``type(value) is str`` rather than ``isinstance``: enums are str subclasses to leave
    alone."""
    changed: list[str] = []
    for name, value in values.items():
        kind = type(value)
        if kind is str:
            cleaned = clean_text(value, name in MULTILINE_FIELDS)
            if cleaned != value:
                values[name] = cleaned
                changed.append(name)
        elif kind is list and value:
            multiline = name in MULTILINE_FIELDS
            items = [clean_text(v, multiline) if type(v) is str else v for v in value]
            if items != value:
                values[name] = [v for v in items if v != ""]
                changed.append(name)
    return changed


def _no_values(values: dict[str, Any]) -> tuple[Any, ...]:
    return ()


@dataclasses.dataclass(frozen=True)
class _Checks:
    """What ``check_record`` looks at in one record class (worked out once per class: an
    import checks 30,000 records)."""

    required: frozenset[str]
    places: tuple[tuple[str, str], ...]
    zones: tuple[str, ...]
    dates: tuple[str, ...]
    take_texts: Callable[[dict[str, Any]], tuple[Any, ...]]  # the fields declared text
    take_lists: Callable[[dict[str, Any]], tuple[Any, ...]]  # the fields declared lists
    # The places, zones and dates: where all are None (most imported rows) none is checked.
    take_checked: Callable[[dict[str, Any]], tuple[Any, ...]]
    checked: int
    checked_names: frozenset[str]


def _getter(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if not names:
        return _no_values
    if len(names) == 1:
        single = names[0]
        return lambda values: (values[single],)
    return operator.itemgetter(*names)


@cache
def _checks(kind: type) -> _Checks:
    fields = dataclasses.fields(kind)
    names = {f.name for f in fields}
    hints = typing.get_type_hints(kind)
    texts = [f.name for f in fields if hints[f.name] in (str, str | None)]
    lists = [f.name for f in fields if typing.get_origin(hints[f.name]) is list]
    places = tuple(pair for pair in _PLACES if pair[0] in names)
    zones = tuple(name for name in _ZONES if name in names)
    dates = tuple(name for name in _DATES if name in names)
    checked = [*(name for pair in places for name in pair), *zones, *dates]
    return _Checks(
        required=frozenset(
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ),
        places=places,
        zones=zones,
        dates=dates,
        take_texts=_getter(texts),
        take_lists=_getter(lists),
        take_checked=_getter(checked),
        checked=len(checked),
        checked_names=frozenset(checked),
    )


def check_record(record: object, texts_clean: bool = False) -> tuple[str | None, list[str]]:
    """Make an imported record safe to store: ``(reason to refuse it, notes of what changed)``.

    Every importer hands each record here (a contact, and the venues, trips, meetings and
    the rest of a NetPlanner export). Texts lose control characters, escape sequences and
    bidi overrides; coordinates that are not numbers or not on Earth, unknown time zones and
    dates outside the planning years are left out where the record can do without them
    (with a note), else the reason to refuse the whole record is returned. The record is
    changed in place; nothing is refused for text alone. ``texts_clean``: the caller knows
    no text needs cleaning (``ParsedFile.texts_clean``).
    """
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        return None, []
    values = record.__dict__
    spec = _checks(type(record))
    notes: list[str] = []
    if spec.take_checked(values).count(None) != spec.checked:  # a place, zone or date
        problem = _check_values(values, spec, notes)
        if problem is not None:
            return problem, []
    changed = _clean_texts(values) if not texts_clean and _has_unsafe(values, spec) else []
    if changed:
        notes.append(
            "control characters were removed from " + _spoken([_label(n) for n in changed])
        )
    return None, notes


def nothing_to_check(kind: type, texts_clean: bool, fields: frozenset[str] | None) -> bool:
    """Whether ``check_record`` leaves every record of ``kind`` as it is and says nothing,
    known without looking at one: the texts are clean and the only ``fields`` the records
    may set (``ParsedFile.fields``) hold no place, zone or date."""
    if not texts_clean or fields is None or not dataclasses.is_dataclass(kind):
        return False
    return fields.isdisjoint(_checks(kind).checked_names)


def need_checking(
    records: Sequence[object], texts_clean: bool, fields: frozenset[str] | None = None
) -> bool:
    """Whether ``check_record`` could change or say anything of any of these records.

    False for the usual file, where the texts are known clean and no record holds a place,
    a zone or a date to check: the caller may then leave the 30,000 calls out. Looked at
    in C over all records at once, or not at all where the only ``fields`` the records
    may set (``ParsedFile.fields``) hold none."""
    kinds = set(map(type, records))
    if not texts_clean or len(kinds) != 1:
        return bool(records)
    kind = kinds.pop()
    if not dataclasses.is_dataclass(kind):
        return False  # check_record leaves anything else as it is
    if nothing_to_check(kind, texts_clean, fields):
        return False
    spec = _checks(kind)
    nones = sum(map(tuple.count, map(spec.take_checked, map(vars, records)), repeat(None)))
    return nones != spec.checked * len(records)


def _check_values(values: dict[str, Any], spec: _Checks, notes: list[str]) -> str | None:
    """``check_record``'s places, zones and dates: the reason to refuse the record, or None
    when what could not be kept was left out (said in ``notes``)."""
    for lat_name, lon_name in spec.places:
        lat, lon = values[lat_name], values[lon_name]
        if (lat is None and lon is None) or is_finite_place(lat, lon):
            continue
        if (lat is None) != (lon is None):
            continue
        problem = f"the coordinates ({lat:g}, {lon:g}) are not a place on Earth"
        if lat_name in spec.required:
            return problem
        values[lat_name] = values[lon_name] = None
        if lat_name == "lat" and "location_status" in values:
            values["location_status"] = LocationStatus.UNRESOLVED
        notes.append(problem + " and were left out")
    for name in spec.zones:
        zone_name = values[name]
        if zone_name is None or is_known_zone(zone_name):
            continue
        problem = f"the time zone {zone_name!r} is not known"
        if name in spec.required:
            return problem
        values[name] = None
        notes.append(problem + " and was left out")
    for name in spec.dates:
        day = values[name]
        if isinstance(day, date) and not in_planning_years(day):
            years = f"{FIRST_YEAR}–{LAST_YEAR}"
            return f"the date {day.isoformat()[:10]} is outside the years {years}"
    return None

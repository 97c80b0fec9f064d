"""How people write places: the parser before issue 17, kept for bench_geocode's baseline.

People write "Cambridge, MA", "London Area, United Kingdom", "Greater Seattle Area",
"Washington DC-Baltimore Area", "NYC" or "Remote". This module knows those habits and
nothing about where places are: it yields the place name to look up first, then the
qualifiers (areas, countries) that narrow it, and the fallbacks worth trying.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from netplanner.domain.placenames import normalize_key

# Texts that name no place: matching them to some village would be worse than nothing.
NO_PLACE: frozenset[str] = frozenset(
    normalize_key(text)
    for text in (
        "Remote",
        "Fully remote",
        "Remote first",
        "Worldwide",
        "World",
        "Anywhere",
        "Everywhere",
        "Global",
        "Globally",
        "International",
        "Earth",
        "Planet Earth",
        "N/A",
        "NA",
        "None",
        "Nowhere",
        "Unknown",
        "Not specified",
        "TBD",
        "TBA",
        "Online",
        "Virtual",
        "Home",
        "Home office",
        "Work from home",
        "WFH",
        "Hybrid",
        "On the road",
        "Travelling",
        "Traveling",
        "Various",
        "Various locations",
        "Multiple locations",
        "Location independent",
        "Digital nomad",
        "Europe",
        "European Union",
        "EU",
        "EMEA",
        "APAC",
        "LATAM",
        "Asia",
        "Asia Pacific",
        "Africa",
        "North America",
        "South America",
        "Latin America",
        "Middle East",
        "Oceania",
        "Scandinavia",
        "Nordics",
        "DACH",
        "Benelux",
        "Other",
        "Private",
        "Secret",
    )
)

# Short forms and named regions, written out as a place the gazetteer knows.
ALIASES: dict[str, str] = {
    normalize_key(short): full
    for short, full in (
        ("NYC", "New York City, NY, US"),
        ("NY NY", "New York City, NY, US"),
        ("New York NY", "New York City, NY, US"),
        ("Big Apple", "New York City, NY, US"),
        ("Tri-State Area", "New York City, NY, US"),
        ("Manhattan", "Manhattan, NY, US"),
        ("LA", "Los Angeles, CA, US"),
        ("SF", "San Francisco, CA, US"),
        ("San Francisco Bay Area", "San Francisco, CA, US"),
        ("SF Bay Area", "San Francisco, CA, US"),
        ("Bay Area", "San Francisco, CA, US"),
        ("Silicon Valley", "San Jose, CA, US"),
        ("DC", "Washington, D.C., US"),
        ("Washington DC", "Washington, D.C., US"),
        ("Washington D.C.", "Washington, D.C., US"),
        ("Washington, DC", "Washington, D.C., US"),
        ("Washington, D.C.", "Washington, D.C., US"),
        ("DMV", "Washington, D.C., US"),
        ("Philly", "Philadelphia, PA, US"),
        ("Vegas", "Las Vegas, NV, US"),
        ("NOLA", "New Orleans, LA, US"),
        ("DFW", "Dallas, TX, US"),
        ("Twin Cities", "Minneapolis, MN, US"),
        ("Research Triangle", "Raleigh, NC, US"),
        ("Triangle Area", "Raleigh, NC, US"),
        ("Tampa Bay", "Tampa, FL, US"),
        ("Inland Empire", "Riverside, CA, US"),
        ("Hampton Roads", "Norfolk, VA, US"),
        ("Puget Sound", "Seattle, WA, US"),
        ("South Florida", "Miami, FL, US"),
        ("GTA", "Toronto, ON, CA"),
        ("Greater Toronto Area", "Toronto, ON, CA"),
        ("Greater Toronto", "Toronto, ON, CA"),
        ("Lower Mainland", "Vancouver, BC, CA"),
        ("Frankfurt Rhine-Main", "Frankfurt am Main, DE"),
        ("Rhine-Main", "Frankfurt am Main, DE"),
        ("Rhein-Main", "Frankfurt am Main, DE"),
        ("Rhein-Main-Gebiet", "Frankfurt am Main, DE"),
        ("Ruhr", "Essen, DE"),
        ("Ruhrgebiet", "Essen, DE"),
        ("Ruhr Area", "Essen, DE"),
        ("Cologne Bonn Region", "Cologne, DE"),
        ("Randstad", "Amsterdam, NL"),
        ("Greater London", "London, GB"),
        ("The City", "London, GB"),
        ("City of London", "London, GB"),
        ("Greater Manchester", "Manchester, GB"),
        ("West Midlands", "Birmingham, GB"),
        ("Greater Paris", "Paris, FR"),
        ("Paris Region", "Paris, FR"),
        ("Mumbai Metropolitan Region", "Mumbai, IN"),
        ("Bombay", "Mumbai, IN"),
        ("Bangalore", "Bengaluru, IN"),
        ("NCR", "New Delhi, IN"),
        ("Delhi NCR", "New Delhi, IN"),
        ("National Capital Region", "New Delhi, IN"),
        ("KL", "Kuala Lumpur, MY"),
        ("HCMC", "Ho Chi Minh City, VN"),
        ("Saigon", "Ho Chi Minh City, VN"),
        ("CDMX", "Mexico City, MX"),
        ("HK", "Hong Kong, HK"),
        ("Hong Kong SAR", "Hong Kong, HK"),
        ("Gold Coast", "Gold Coast, AU"),
    )
}

# Words around a place name that say "the area around it" (LinkedIn writes them a lot).
_LEADING = re.compile(r"^(?:greater|metro|the|city of|region|grossraum|area of|central)\s+")
_TRAILING = re.compile(
    r"\s+(?:metropolitan area|metropolitan region|metro area|metroplex|metro|area|region"
    r"|bay area|und umgebung|and surrounding areas?|surrounding areas?|surroundings"
    r"|y alrededores|et environs|e dintorni|omgeving|metropolregion|gebiet|agglomeration"
    r"|urban area|capital region|county)$"
)
# Separators between two places in one name ("Washington DC-Baltimore", "Pune/Pimpri").
_JOINERS = re.compile(r"\s*[-/&+–—]\s*|\s+and\s+|\s+und\s+")
# Separators between a place and its qualifiers.
_PART_SPLIT = re.compile(r"[,;|·•]+|\s+[-–—]\s+|\(|\)")
_SAINT = (("st ", "saint "), ("ste ", "sainte "), ("mt ", "mount "), ("ft ", "fort "))


@dataclass(frozen=True)
class PlaceText:
    """A place text cut into its parts: ``parts[0]`` the place, the rest its qualifiers."""

    original: str
    parts: tuple[str, ...]

    @property
    def names_no_place(self) -> bool:
        """True when the text says "no particular place" ("Remote", "N/A", empty)."""
        return not self.parts


def strip_decorations(key: str) -> str:
    """``key`` without "Greater ... Area" and the like; unchanged when nothing is left."""
    current = key
    while True:
        stripped = _TRAILING.sub("", _LEADING.sub("", current)).strip()
        if stripped == current or not stripped:
            return current
        current = stripped


def parse_place(text: str) -> PlaceText:
    """Cut ``text`` into its place and qualifier parts, dropping no-place words."""
    pieces = [piece.strip() for piece in _PART_SPLIT.split(text)]
    parts = tuple(piece for piece in pieces if normalize_key(piece))
    had_no_place = any(normalize_key(part) in NO_PLACE for part in parts)
    kept = tuple(part for part in parts if normalize_key(part) not in NO_PLACE)
    if had_no_place and len(kept) <= 1:
        # "Remote, Germany" says the person is somewhere in a country: no place to meet.
        kept = ()
    return PlaceText(original=text, parts=kept)


def alias_for(key: str) -> str | None:
    """The written-out place for a short form or named region ("NYC", "Bay Area")."""
    return ALIASES.get(key) or ALIASES.get(strip_decorations(key))


def head_variants(part: str) -> Iterator[str]:
    """Keys to try, best first, for the place part of a text (no repeats)."""
    seen: set[str] = set()

    def fresh(key: str) -> bool:
        if not key or key in seen:
            return False
        seen.add(key)
        return True

    key = normalize_key(part)
    for candidate in (key, strip_decorations(key)):
        if fresh(candidate):
            yield candidate
    # "Washington DC-Baltimore Area": each of the joined places, first one first.
    raw_pieces = _JOINERS.split(part)
    if len(raw_pieces) > 1:
        for piece in raw_pieces:
            piece_key = strip_decorations(normalize_key(piece))
            if fresh(piece_key):
                yield piece_key
    for short, long in _SAINT:
        for candidate in list(seen):
            padded = candidate + " "
            if padded.startswith(short):
                swapped = (long + padded[len(short) :]).strip()
            elif padded.startswith(long):
                swapped = (short + padded[len(long) :]).strip()
            else:
                continue
            if fresh(swapped):
                yield swapped
    # "Dublin City", "Kansas City Area" are caught above; "X City" alone comes last.
    for candidate in list(seen):
        if candidate.endswith(" city") and fresh(candidate[: -len(" city")]):
            yield candidate[: -len(" city")]


def trailing_splits(key: str, most: int = 3) -> Iterator[tuple[str, str]]:
    """("cambridge", "ma") for "cambridge ma": a place followed by a qualifier, no comma."""
    words = key.split()
    for count in range(1, min(most, len(words) - 1) + 1):
        yield " ".join(words[:-count]), " ".join(words[-count:])

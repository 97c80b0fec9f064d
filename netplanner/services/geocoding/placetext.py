"""How people write places, turned into lookups a gazetteer can answer.

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
        "Anywhere in the world",
        "Remote anywhere",
        "World wide",
        "Planet",
        "Internet",
        "Cloud",
        "Telecommute",
        "Telework",
        "Distributed",
        "Americas",
        "The Americas",
        "MENA",
        "CEE",
        "SEA",
        "ANZ",
        "Nordic",
        "Baltics",
        "Balkans",
        "Central Europe",
        "Eastern Europe",
        "Western Europe",
        "Northern Europe",
        "Southern Europe",
        "Southeast Asia",
        "South Asia",
        "East Asia",
        "Central Asia",
        "Sub-Saharan Africa",
        "Caribbean",
        "Central America",
        "Gulf",
        "GCC",
        "Not applicable",
        "Somewhere",
        "Here",
        "Everywhere and nowhere",
        "Moving",
        "Relocating",
        "Open to relocation",
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
        ("CABA", "Buenos Aires, AR"),
        ("Capital Federal", "Buenos Aires, AR"),
        ("Mexico DF", "Mexico City, MX"),
        ("México DF", "Mexico City, MX"),
        ("Ciudad de Mexico", "Mexico City, MX"),
        ("Chicagoland", "Chicago, IL, US"),
        ("Metro Manila", "Manila, PH"),
        ("NCR Philippines", "Manila, PH"),
        ("Krung Thep", "Bangkok, TH"),
        ("Krung Thep Maha Nakhon", "Bangkok, TH"),
        ("Grand Paris", "Paris, FR"),
        ("Randstad Holland", "Amsterdam, NL"),
        # Regions that are no admin-1 area, written out as the place that stands for them.
        ("Kansai", "Osaka, JP"),
        ("Kinki", "Osaka, JP"),
        ("Kanto", "Tokyo, JP"),
        ("Kantō", "Tokyo, JP"),
        ("Kyushu", "Fukuoka, JP"),
        ("Kyūshū", "Fukuoka, JP"),
        ("Tohoku", "Sendai, JP"),
        ("Tōhoku", "Sendai, JP"),
        ("Chubu", "Nagoya, JP"),
        ("Shikoku", "Matsuyama, JP"),
        ("Chugoku", "Hiroshima, JP"),
        ("Midlands", "Birmingham, GB"),
        ("East Midlands", "Nottingham, GB"),
        ("East Anglia", "Norwich, GB"),
        ("Home Counties", "London, GB"),
        ("Yorkshire", "Leeds, GB"),
        ("Pearl River Delta", "Guangzhou, CN"),
        ("Yangtze River Delta", "Shanghai, CN"),
        ("Côte d'Azur", "Nice, FR"),
        ("French Riviera", "Nice, FR"),
        ("Algarve", "Faro, PT"),
        ("Costa del Sol", "Málaga, ES"),
        ("Black Forest", "Freiburg, DE"),
        ("Schwarzwald", "Freiburg, DE"),
        ("New England", "Boston, MA, US"),
        ("Pacific Northwest", "Seattle, WA, US"),
        ("PNW", "Seattle, WA, US"),
        ("Midwest", "Chicago, IL, US"),
        ("Upstate New York", "Albany, NY, US"),
        ("Long Island", "Hempstead, NY, US"),
        ("Southern California", "Los Angeles, CA, US"),
        ("SoCal", "Los Angeles, CA, US"),
        ("Northern California", "San Francisco, CA, US"),
        ("NorCal", "San Francisco, CA, US"),
    )
}

# Traditional characters the gazetteer may know only in their simplified or Japanese form.
_HAN_FOLD = str.maketrans(
    "臺灣區縣東廣門龍陽華雲島蘇園興漢寧義進關濱鄉鎮營縣長樂會灣豐貴陝滬濟齊遼黑內蒙"
    "寶嶺澤壽廈穀頭淺彎濱島澳錫靈鳳劉聖餘",
    "台湾区县东广门龙阳华云岛苏园兴汉宁义进关滨乡镇营县长乐会湾丰贵陕沪济齐辽黑内蒙"
    "宝岭泽寿厦谷头浅弯滨岛澳锡灵凤刘圣余",
)
# Administrative suffixes written onto names ("東京都", "서울특별시", "Osaka-shi").
_CJK_SUFFIXES = (
    "特別自治市",
    "特别行政区",
    "特別行政區",
    "自治区",
    "特別市",
    "특별자치시",
    "특별자치도",
    "특별시",
    "광역시",
    "都",
    "道",
    "府",
    "県",
    "縣",
    "市",
    "区",
    "區",
    "町",
    "村",
    "省",
    "州",
    "시",
    "구",
    "도",
    "군",
)
_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "an", "at", "az", "ash"})
# As keys: ``normalize_key`` writes Hangul as its letters (jamo), so compare keys with keys.
_CJK_SUFFIX_KEYS = tuple(normalize_key(suffix) for suffix in _CJK_SUFFIXES)

# Words around a place name that say "the area around it" (LinkedIn writes them a lot).
_LEADING_PHRASES = (
    "greater",
    "metro",
    "the",
    "city of",
    "region",
    "grossraum",
    "area of",
    "central",
    "metropolregion",
    "metropoolregio",
    "metropolitan area of",
    "area metropolitana de",
    "area metropolitana di",
    "regiao metropolitana de",
    "zona metropolitana de",
    "agglomeration de",
    "ballungsraum",
    "regierungsbezirk",
    "landkreis",
    "kreis",
)
_TRAILING_PHRASES = (
    "metropolitan area",
    "metropolitan region",
    "metro area",
    "metroplex",
    "metro",
    "area",
    "region",
    "bay area",
    "und umgebung",
    "and surrounding area",
    "and surrounding areas",
    "surrounding area",
    "surrounding areas",
    "surroundings",
    "y alrededores",
    "et environs",
    "e dintorni",
    "omgeving",
    "metropolregion",
    "gebiet",
    "agglomeration",
    "urban area",
    "capital region",
    "county",
)


def _by_word(phrases: tuple[str, ...], index: int) -> dict[str, tuple[str, ...]]:
    """The phrases by their first (index 0) or last (-1) word, longest first, each with the
    space that joins it to the name ("greater " before, " area" after)."""
    found: dict[str, list[str]] = {}
    for phrase in phrases:
        joined = phrase + " " if index == 0 else " " + phrase
        found.setdefault(phrase.split()[index], []).append(joined)
    return {word: tuple(sorted(group, key=len, reverse=True)) for word, group in found.items()}


# Public for ``baked.fingerprint``: the gazetteer file bakes in which names they decorate.
LEADING_PHRASES = _LEADING_PHRASES
TRAILING_PHRASES = _TRAILING_PHRASES
_LEADING_BY_FIRST = _by_word(_LEADING_PHRASES, 0)
_TRAILING_BY_LAST = _by_word(_TRAILING_PHRASES, -1)
# The trailing phrases as they follow a name (" area"), and the longest of them.
_TRAILING_JOINED = frozenset(p for group in _TRAILING_BY_LAST.values() for p in group)
_TRAILING_LONGEST = max(map(len, _TRAILING_JOINED))
# The first words of the leading phrases ("greater", "the", "city").
LEADING_WORDS = frozenset(_LEADING_BY_FIRST)
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
        space = current.find(" ")
        if space < 0:
            return current
        leading = _LEADING_BY_FIRST.get(current[:space])
        trailing = _TRAILING_BY_LAST.get(current[current.rfind(" ") + 1 :])
        if leading is None and trailing is None:
            return current  # most keys: no decoration word at either end
        stripped = current
        for phrase in leading or ():
            if stripped.startswith(phrase):
                stripped = stripped[len(phrase) :]
                break
        # The longest trailing phrase that ends it, with something before: the suffix from
        # the first space that leaves room for one, tried space by space (longest first).
        space = stripped.find(" ", max(len(stripped) - _TRAILING_LONGEST, 1))
        while space > 0:
            if stripped[space:] in _TRAILING_JOINED:
                stripped = stripped[:space]
                break
            space = stripped.find(" ", space + 1)
        stripped = stripped.strip()
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


def head_variants(part: str, key: str | None = None) -> Iterator[str]:
    """Keys to try, best first, for the place part of a text (no repeats).

    ``key`` is ``normalize_key(part)`` where the caller has it already.
    """
    # In the order found: the variants below are made from the earlier ones first (a set
    # would make the order, and so the answer, differ from one run to the next).
    seen: dict[str, None] = {}

    def fresh(key: str) -> bool:
        if not key or key in seen:
            return False
        seen[key] = None
        return True

    if key is None:
        key = normalize_key(part)
    if fresh(key):
        yield key
    for candidate in (strip_decorations(key),):
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


def extra_variants(part: str) -> Iterator[str]:
    """Keys worth trying when ``head_variants`` found nothing, best first.

    An administrative suffix dropped ("東京都" -> "東京", "서울특별시" -> "서울"), traditional
    characters folded to the simplified forms ("臺北" -> "台北"), a district letter dropped
    ("Aarhus C", "København V").
    """
    key = strip_decorations(normalize_key(part))
    seen = {key}
    found: list[str] = [key]
    if not key.isascii():
        folded = key.translate(_HAN_FOLD)
        for candidate in (folded, key):
            for suffix in _CJK_SUFFIX_KEYS:
                rest = candidate[: -len(suffix)].strip()
                if candidate.endswith(suffix) and len(rest) >= 2:
                    found.append(rest)
                    break
            found.append(candidate)
    words = key.split()
    if len(words) > 1 and len(words[-1]) == 1:
        found.append(" ".join(words[:-1]))
    if len(words) > 1 and words[0] in _ARTICLES:
        found.append(" ".join(words[1:]))  # "Al Riyadh", "El Cairo"
    for candidate in found:
        if candidate and candidate not in seen:
            seen.add(candidate)
            yield candidate
    if key:
        yield key


def trailing_splits(key: str, most: int = 3) -> Iterator[tuple[str, str]]:
    """("cambridge", "ma") for "cambridge ma": a place followed by a qualifier, no comma."""
    words = key.split()
    for count in range(1, min(most, len(words) - 1) + 1):
        yield " ".join(words[:-count]), " ".join(words[-count:])

"""Reading place text as people write it: whole addresses, postcodes, districts, any script.

vCard, Outlook and Google exports carry "Friedrichstraße 43-45, 10117 Berlin", LinkedIn
carries "Greater Boston", people type "東京都渋谷区" or "서울시 강남구". This module cuts such a
text into the components that may name a place (in written order) and sets aside what
cannot: street parts, units and floors, postcodes. It knows nothing about where places
are; the gazetteer decides which component wins (see ``OfflineGazetteer``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netplanner.domain.placenames import normalize_key
from netplanner.services.geocoding.placetext import NO_PLACE, strip_decorations

# Separators between components, in every script people use ("،" Arabic, "、" CJK).
_SEPARATORS = re.compile(r"[,;|·•،、，；]+|\s+[-–—]\s+|[()（）\[\]]")
_SPACE = re.compile(r"\s+")

# Country prefixes written before a postcode ("SE-111 52", "CH-1201", "D-10117").
POSTCODE_PREFIXES: dict[str, str] = {
    "A": "AT",
    "AT": "AT",
    "B": "BE",
    "BE": "BE",
    "CH": "CH",
    "CZ": "CZ",
    "D": "DE",
    "DE": "DE",
    "DK": "DK",
    "E": "ES",
    "ES": "ES",
    "F": "FR",
    "FR": "FR",
    "FI": "FI",
    "SF": "FI",
    "GR": "GR",
    "H": "HU",
    "HR": "HR",
    "I": "IT",
    "IT": "IT",
    "L": "LU",
    "LT": "LT",
    "LV": "LV",
    "N": "NO",
    "NO": "NO",
    "NL": "NL",
    "P": "PT",
    "PL": "PL",
    "PT": "PT",
    "RO": "RO",
    "S": "SE",
    "SE": "SE",
    "SI": "SI",
    "SK": "SK",
    "US": "US",
}
_PREFIXED = re.compile(r"\b([A-Z]{1,2})-(\d{3,5}(?: \d{2})?)\b")
# National patterns, most specific first. Each is a whole token (or two) of the component.
_POSTCODES = re.compile(
    r"〒\s*\d{3}-?\d{4}"  # Japan with its mark
    r"|\b(?:C\.?P\.?|CEP|PLZ|ZIP|CAP|P\.?O\.? Box)\s*\d{4,6}\b"  # written with its label
    r"|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"  # UK: SW1A 1AA
    r"|\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b"  # Canada: M5V 3L9
    r"|\b[AC-FHKNPRTV-Y]\d{2} ?[AC-FHKNPRTV-Y\d]{4}\b"  # Ireland: D02 X285
    r"|\b\d{4} ?[A-Z]{2}\b(?![A-Za-z])"  # Netherlands: 1012 AB
    r"|\b\d{5}-\d{3,4}\b"  # Brazil 01310-100, US ZIP+4
    r"|\b\d{4}-\d{3}\b"  # Portugal 1250-146
    r"|\b\d{3}-\d{4}\b"  # Japan 100-0005
    r"|\b\d{2}-\d{3}\b"  # Poland 00-017
    r"|\b\d{3} \d{2}\b"  # Sweden, Czechia, Slovakia, Greece: 111 52
    r"|\b[A-Z]\d{4}[A-Z]{3}\b"  # Argentina: C1043AAB
    r"|\b[A-Z]\d{4}\b"  # Argentina, short: C1043
    r"|\b\d{4,6}\b"  # plain: 10117, 1010, 560001
)
# A UK outward code alone ("London W1", "London EC2V"): only right after a name.
_UK_OUTWARD = re.compile(r"(?<=[a-z]) (?:[A-Z]{1,2}\d{1,2}[A-Z]?)$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that make a component a street, in the major languages (whole words, folded).
_STREET_WORDS = _words(
    """
    street road rd avenue av avda avd avenida boulevard blvd bvd boul lane ln parkway pkwy
    highway hwy expressway square sq terrace crescent cres mews alley wharf quay pike
    turnpike rue chemin allee quai impasse faubourg calle carrer carretera camino paseo
    passeig placa travesia glorieta carrera cra cll via viale corso piazza piazzale vicolo
    lungomare rua travessa praca estrada rodovia ulica ul aleja ulitsa prospekt prosp shosse
    naberezhnaya pereulok ploshchad vulytsia vul provulok caddesi cad cd sokak sok bulvari
    mahallesi jalan jl soi thanon strasse gasse weg allee platz damm chaussee straat laan
    plein kade gracht singel dreef gatan gata vagen veien vej gade torv katu kuja utca korut
    namesti trida nabrezi calea bulevardul strada soseaua odos leoforos rehov shari sharia
    """
)
# Street words that also begin or sit inside place names ("St Louis", "Minneapolis-St.
# Paul"): a street only as the last of several words ("Wall St", "Wacker Dr").
_STREET_WORDS_AFTER = _words(
    """
    st dr ct ave way drive court close row circle cir place pl
    """
)
# Endings that make a word a street ("Friedrichstraße", "Drottninggatan", "Teheran-ro").
_STREET_ENDINGS = (
    "strasse",
    "gasse",
    "platz",
    "allee",
    "chaussee",
    "straat",
    "gracht",
    "gatan",
    "vagen",
    "veien",
    "utca",
    "daero",
)
# Short endings that end place names too ("Nilüfer", "Hoofddorp"): a street only with a number.
_STREET_ENDINGS_NUMBERED = (
    "str",
    "weg",
    "damm",
    "ufer",
    "plein",
    "laan",
    "vej",
    "gade",
    "katu",
    "kuja",
    "tie",
)
_STREET_DASH_ENDINGS = ("-ro", "-gil", "-daero", "-dong-ro", "-chome", "-dori", "-dōri")
# Unit, floor and building parts ("Flat 3", "Suite 1800", "8th Floor", "Level 12").
_UNIT_WORDS = _words(
    """
    flat apt apartment suite ste unit floor fl level lvl room rm building bldg tower block
    etage stock og piso planta andar sala office box postfach postbus kav plot no nr nro num
    """
)
# Ordinals and district numbers after a city name ("Paris 8e", "Praha 2", "Dublin 2").
_DISTRICT_NUMBER = re.compile(
    r"^(?P<name>\D+?)\s+(?:\d{1,2}(?:e|er|eme|ème|è|º|°|st|nd|rd|th)?(?:\s+arr(?:ondissement)?\.?)?)$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
# Marks written before a city's name: "г. Москва", "м. Київ" (city), "Kota Bandung".
_LEADING_MARKS = re.compile(r"^(?:г|гор|м|пгт|с|смт)\.\s*|^(?:город|місто)\s+", re.IGNORECASE)
# "Frankfurt a.M.", "Freiburg i. Br.", "Halle a.d. Saale": German short forms.
_GERMAN_SHORT = (
    (re.compile(r"\ba\.\s?M\.?(?=\s|$)"), "am Main"),
    (re.compile(r"\ba\.\s?d\.\s?"), "an der "),
    (re.compile(r"\bi\.\s?Br\.?(?=\s|$)"), "im Breisgau"),
    (re.compile(r"\bi\.\s?d\.\s?"), "in der "),
    (re.compile(r"\bi\.\s?"), "im "),
)

# CJK and Hangul: administrative suffixes that end a component written without spaces.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_HAN_SUFFIXES = frozenset("都府県縣市区區町村省州")
_HAN_STREET = re.compile(r"(?:路|街|大道|大街|巷|弄|号|號|丁目|番地|番|胡同|通り)$|[0-9０-９]")
_HANGUL_STREET = re.compile(r"..(?:로|길|대로)$|[0-9]")
# Anything that needs more than the one-name reading: separators, digits, dots, CJK.
NOT_PLAIN = re.compile(  # one character class: a single scan of the text
    r"[\d,;|·•،、，；()（）\[\]\-–—./&+#\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]"
)
# Words that say the component is an area ("Lagos State", "Zhejiang Province").
AREA_WORDS = re.compile(
    r"\s+(?:state|province|prefecture|district|region|county|oblast|governorate|emirate"
    r"|land|departement|department|provincia|estado|bundesland|kanton|canton|voivodeship"
    r"|wojewodztwo|shi|to|fu|ken|si|do|gu)$"
)


@dataclass(frozen=True)
class PlaceParts:
    """A place text read: what may name a place, what was set aside, and why."""

    original: str
    components: tuple[str, ...]  # place-like components, in written order
    ignored: tuple[str, ...] = ()  # streets, units, postcodes, as written
    keys: tuple[str, ...] = ()  # ``normalize_key`` of each component
    countries: frozenset[str] = frozenset()  # country codes a postcode prefix names
    no_place: bool = False  # the text says "no particular place" ("Remote", "Worldwide")


def _split_cjk(token: str) -> list[str]:
    """ "東京都渋谷区" -> ["東京都", "渋谷区"]: split after an administrative suffix."""
    pieces: list[str] = []
    start = 0
    n = len(token)
    for i, ch in enumerate(token):
        suffix = ch in _HAN_SUFFIXES or (ch == "道" and token[max(0, i - 2) : i] == "北海")
        if not suffix or i - start < 1 or i + 1 >= n:
            continue
        nxt = token[i + 1]
        if nxt in _HAN_SUFFIXES:
            continue  # "京都府": the 都 belongs to the name
        pieces.append(token[start : i + 1])
        start = i + 1
    pieces.append(token[start:])
    return [p for p in pieces if p]


def is_street(part: str, key: str | None = None) -> bool:
    """True for a street, unit or building part ("Friedrichstraße 43-45", "Suite 1800")."""
    if _CJK.search(part):
        return bool(_HAN_STREET.search(part) or _HANGUL_STREET.search(part))
    if "-" in part:
        lowered = part.lower()
        if any(lowered.endswith(e) or (e + " ") in lowered for e in _STREET_DASH_ENDINGS):
            return True
    words = (normalize_key(part) if key is None else key).split()
    if not words:
        return False
    if not _STREET_WORDS.isdisjoint(words) or (words[-1] in _STREET_WORDS_AFTER and len(words) > 1):
        return True
    has_digit = bool(_DIGIT.search(part))
    if has_digit and _names_a_unit(words):
        return True
    if any(len(w) > 7 and w.endswith(_STREET_ENDINGS) for w in words):
        return True
    if has_digit and any(len(w) > 5 and w.endswith(_STREET_ENDINGS_NUMBERED) for w in words):
        return True
    return has_digit


def is_plain_street(key: str) -> bool:
    """``is_street(text, key)`` for a text ``NOT_PLAIN`` does not match: no digit, no dash,
    no CJK, so only the street words and endings can make it a street (the usual text)."""
    if " " not in key:
        return key in _STREET_WORDS or (len(key) > 7 and key.endswith(_STREET_ENDINGS))
    words = key.split()
    if not _STREET_WORDS.isdisjoint(words) or words[-1] in _STREET_WORDS_AFTER:
        return True
    # A loop, not any() over a generator (twice as slow): this runs for every plain name.
    for word in words:  # noqa: SIM110
        if len(word) > 7 and word.endswith(_STREET_ENDINGS):
            return True
    return False


def _has_unit(part: str) -> bool:
    return _names_a_unit(normalize_key(part).split())


def _names_a_unit(words: list[str]) -> bool:
    """A unit word with its number: "Suite 1800", "Suite A-100", "12th Floor". Alone it may
    be a name: "00186 Roma RM" is Rome in its province (RM), not a room."""
    for at, word in enumerate(words):
        if word in _UNIT_WORDS and (
            any(_DIGIT.search(w) for w in words[at + 1 : at + 3])
            or (at > 0 and _DIGIT.search(words[at - 1]))
        ):
            return True
    return False


def read_place_text(text: str) -> PlaceParts:
    """Cut ``text`` into place components, setting aside streets, units and postcodes."""
    if not NOT_PLAIN.search(text):
        # Most texts are one name ("Berlin", "Greater Boston Area"): read them at once.
        key = normalize_key(text)
        if not key:
            return PlaceParts(text, ())
        if key in NO_PLACE or (" " in key and strip_decorations(key) in NO_PLACE):
            return PlaceParts(text, (), no_place=True)
        if is_street(text, key):
            return PlaceParts(text, (), (text.strip(),))
        return PlaceParts(text, (text.strip(),), (), (key,))
    ignored: list[str] = []
    countries: set[str] = set()
    components: list[str] = []
    keys: list[str] = []
    no_place = False
    raw_parts = [p.strip() for p in _SEPARATORS.split(text)]
    if "." in text:
        raw_parts = [_german_short(p) for p in raw_parts]
    for raw in raw_parts:
        if not raw:
            continue
        key = normalize_key(raw)
        if not key:
            continue
        if key in NO_PLACE or (" " in key and strip_decorations(key) in NO_PLACE):
            no_place = True
            continue
        part = _LEADING_MARKS.sub("", raw) if "." in raw or " " in raw else raw
        if part is raw and key.isascii() and not _DIGIT.search(raw):
            # The usual component: a name in Latin letters, no number.
            if is_street(raw, key):
                ignored.append(raw)
            else:
                components.append(raw)
                keys.append(key)
            continue
        noted = len(ignored)
        if _DIGIT.search(part):
            if not _CJK.search(part) and _has_unit(part):
                ignored.append(raw)  # "Suite 1800", "Level 12", "Plot 17"
                continue
            part = _strip_postcodes(part, ignored, countries)
            outward = _UK_OUTWARD.search(part)
            if outward:
                ignored.append(outward.group().strip())
                part = part[: outward.start()].strip()
        if not part:
            continue
        if _CJK.search(part):
            for token in _SPACE.split(part):
                for piece in _split_cjk(token) if not token.isascii() else [token]:
                    if is_street(piece):
                        ignored.append(piece)
                    else:
                        components.append(piece)
                        keys.append(normalize_key(piece))
            continue
        if _DIGIT.search(part):
            district = _DISTRICT_NUMBER.match(part)
            if district and not is_street(district.group("name")):
                ignored.append(part[len(district.group("name")) :].strip())
                part = district.group("name")
        part_key = key if part == raw else normalize_key(part)
        if is_street(part, part_key):
            del ignored[noted:]  # the street as written, its number not a postcode
            ignored.append(raw)
        elif part_key:
            components.append(part)
            keys.append(part_key)
    if no_place and len(components) <= 1:
        # "Remote, Germany" says the person is somewhere in a country: no place to meet.
        return PlaceParts(text, (), tuple(ignored), countries=frozenset(countries), no_place=True)
    return PlaceParts(
        text, tuple(components), tuple(ignored), tuple(keys), countries=frozenset(countries)
    )


def _german_short(part: str) -> str:
    for pattern, written in _GERMAN_SHORT:
        part = pattern.sub(written, part)
    return part.strip()


def _strip_postcodes(part: str, ignored: list[str], countries: set[str]) -> str:
    """``part`` without its postcodes, each noted in ``ignored`` (prefix countries too)."""

    def prefixed(match: re.Match[str]) -> str:
        country = POSTCODE_PREFIXES.get(match.group(1))
        if country is None:
            return match.group()
        countries.add(country)
        ignored.append(match.group())
        return " "

    stripped = _PREFIXED.sub(prefixed, part)

    def plain(match: re.Match[str]) -> str:
        ignored.append(match.group())
        return " "

    stripped = _POSTCODES.sub(plain, stripped)
    return _SPACE.sub(" ", stripped).strip(" -–,")

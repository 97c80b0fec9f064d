"""vCard 2.1, 3.0 and 4.0, as Apple Contacts, Google, Outlook and Android write them.

Parsed card by card with its own reader rather than a strict library: one broken card is
reported with its line and skipped while the others are imported. Handles grouped
properties (``item1.ADR``), TYPE lists, 2.1 QUOTED-PRINTABLE with CHARSET and soft line
breaks, 4.0 ``tel:`` and ``geo:`` URIs, escapes, folded lines and inline photos; a photo
too large to keep is dropped with a warning without ever being joined into one string.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from netplanner.domain.entities import Contact, LocationStatus
from netplanner.services.geocoding.timezones import timezone_at
from netplanner.services.importers.normalise import (
    clean_emails,
    clean_list,
    linkedin_profile,
    place_text,
)
from netplanner.services.importers.records import ParsedContact, ParsedFile

FORMAT = "vcard"
# Photos bigger than this (decoded) are dropped: a contact's avatar needs far less.
MAX_PHOTO_BYTES = 512 * 1024
_MAX_PHOTO_CHARS = MAX_PHOTO_BYTES * 4 // 3 + 4096
_LINES = re.compile(r"\r\n|\r|\n")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


class CardError(Exception):
    """A card that cannot be read; its message is the reason shown to the user."""


@dataclass
class Property:
    group: str
    name: str
    params: dict[str, list[str]]
    value: str
    line: int
    oversize: bool = False


@dataclass
class _Card:
    line: int
    props: list[Property] = field(default_factory=list)


def _logical_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(first line number, unfolded content, oversize) for each logical line of ``text``."""
    start = 0
    parts: list[str] = []
    size = 0
    oversize = False
    is_photo = False
    is_qp = False
    for number, raw in enumerate(_LINES.split(text), 1):
        if parts and is_qp and parts[-1].endswith("="):
            parts[-1] = parts[-1][:-1]  # a quoted-printable soft line break
            piece = raw[1:] if raw[:1] in (" ", "\t") else raw
        elif parts and raw[:1] in (" ", "\t"):
            piece = raw[1:]
        elif parts and is_photo and raw and _BASE64_LINE.match(raw):
            piece = raw  # some 2.1 writers put photo lines unindented
        else:
            if parts:
                yield start, "".join(parts), oversize
            start, parts, size, oversize = number, [raw], len(raw), False
            head = raw.split(":", 1)[0].upper()
            is_photo = head.rsplit(".", 1)[-1].split(";", 1)[0] in ("PHOTO", "LOGO")
            is_qp = "QUOTED-PRINTABLE" in head
            continue
        size += len(piece)
        if is_photo and size > _MAX_PHOTO_CHARS:
            oversize = True  # keep reading the lines, never keep them
            continue
        parts.append(piece)
    if parts:
        yield start, "".join(parts), oversize


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return pieces


def parse_property(content: str, line: int, oversize: bool = False) -> Property:
    """One property line split into group, name, parameters and raw value."""
    colon = -1
    quoted = False
    for index, char in enumerate(content):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            colon = index
            break
    if colon <= 0:
        raise CardError(f"line {line} is not a vCard property")
    head, value = content[:colon], content[colon + 1 :]
    pieces = _split_outside_quotes(head, ";")
    full_name = pieces[0].strip()
    group, _, name = full_name.rpartition(".")
    if not name or not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise CardError(f"line {line} is not a vCard property")
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        key, sep, raw = piece.partition("=")
        key = key.strip().upper()
        if not sep:  # vCard 2.1 bare parameters: ;WORK;VOICE or ;QUOTED-PRINTABLE
            if key in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                params.setdefault("ENCODING", []).append(key)
            else:
                params.setdefault("TYPE", []).append(key)
            continue
        for item in _split_outside_quotes(raw, ","):
            item = item.strip().strip('"')
            if item:
                params.setdefault(key, []).append(item if key == "CHARSET" else item.upper())
    return Property(group, name.upper(), params, value, line, oversize)


def unescape(value: str) -> str:
    """Text with vCard escapes (``\\,`` ``\\;`` ``\\n`` ``\\\\``) resolved."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def split_structured(value: str, separator: str = ";") -> list[str]:
    """Components of a structured value (N, ADR, ORG), split where not escaped."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(char)
    parts.append(unescape("".join(current)))
    return parts


def _decoded_value(prop: Property) -> str:
    """The property's text after any quoted-printable and charset decoding."""
    encodings = prop.params.get("ENCODING", [])
    if "QUOTED-PRINTABLE" in encodings or "Q" in encodings:
        charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
        raw = quopri.decodestring(prop.value.encode("utf-8"))
        try:
            return raw.decode(charset)
        except LookupError as exc:
            raise CardError(f"line {prop.line} names an unknown character set {charset!r}") from exc
        except UnicodeDecodeError as exc:
            raise CardError(f"line {prop.line} holds text that is not valid {charset}") from exc
    return prop.value


def _text(prop: Property) -> str:
    return unescape(_decoded_value(prop)).strip()


def _geo(prop: Property, warnings: list[tuple[int, str]]) -> tuple[float, float] | None:
    value = _decoded_value(prop).strip()
    if value.lower().startswith("geo:"):
        value = value[4:].split(";", 1)[0]
        pieces = value.split(",")
    else:
        pieces = re.split(r"[;,]", value)
    try:
        lat, lon = float(pieces[0]), float(pieces[1])
    except (ValueError, IndexError):
        warnings.append((prop.line, f"the GEO value {value!r} was not understood"))
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        warnings.append((prop.line, f"the GEO value {value!r} is off the globe"))
        return None
    return lat, lon


def _photo(prop: Property, warnings: list[tuple[int, str]]) -> bytes | None:
    if prop.oversize:
        warnings.append(
            (prop.line, f"a photo larger than {MAX_PHOTO_BYTES // 1024} KB was left out")
        )
        return None
    value = prop.value.strip()
    encodings = prop.params.get("ENCODING", [])
    if value.lower().startswith("data:"):
        meta, _, value = value.partition(",")
        if ";base64" not in meta.lower():
            return None
    elif not ({"B", "BASE64"} & set(encodings)):
        return None  # a link to a photo elsewhere: nothing is fetched
    try:
        data = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        warnings.append((prop.line, "the photo could not be decoded and was left out"))
        return None
    if len(data) > MAX_PHOTO_BYTES:
        warnings.append(
            (prop.line, f"a photo larger than {MAX_PHOTO_BYTES // 1024} KB was left out")
        )
        return None
    return data or None


def _preferred(props: list[Property]) -> Property | None:
    """The preferred of several properties: TYPE=pref or PREF=1, then WORK, then the first."""

    def rank(prop: Property) -> int:
        types = prop.params.get("TYPE", [])
        if "PREF" in types or "PREF" in prop.params:
            return 0
        return 1 if "WORK" in types else 2

    return min(props, key=rank) if props else None


def card_to_contact(card: _Card, warnings: list[tuple[int, str]]) -> Contact:
    """The contact a card describes; ``CardError`` when it cannot be read."""
    by_name: dict[str, list[Property]] = {}
    for prop in card.props:
        by_name.setdefault(prop.name, []).append(prop)

    def first_text(name: str) -> str:
        for prop in by_name.get(name, []):
            value = _text(prop)
            if value:
                return value
        return ""

    given = family = ""
    if "N" in by_name:
        parts = split_structured(_decoded_value(by_name["N"][0])) + [""] * 5
        family, given = parts[0].strip(), parts[1].strip()
        middle = parts[2].strip()
        if middle:
            given = f"{given} {middle}".strip()
    full = first_text("FN")
    company = ""
    if "ORG" in by_name:
        company = split_structured(_decoded_value(by_name["ORG"][0]))[0].strip()
    emails = clean_emails([_text(p) for p in by_name.get("EMAIL", [])])
    if not given and not family:
        if full:
            given, _, family = full.rpartition(" ") if " " in full else (full, "", "")
        elif company or emails:
            given = company or emails[0]
        else:
            raise CardError("the card has no name")
    phones = []
    for prop in by_name.get("TEL", []):
        value = _text(prop)
        if value.lower().startswith("tel:"):
            value = value[4:]
        phones.append(value)
    urls = [_text(p) for p in by_name.get("URL", []) + by_name.get("X-SOCIALPROFILE", [])]
    profile = next((p for p in (linkedin_profile(u) for u in urls) if p), None)
    location = None
    address = _preferred(by_name.get("ADR", []))
    if address is not None:
        parts = split_structured(_decoded_value(address)) + [""] * 7
        location = place_text(parts[3], parts[4], parts[6])
    lat = lon = None
    for prop in by_name.get("GEO", []):
        point = _geo(prop, warnings)
        if point is not None:
            lat, lon = point
            break
    photo = None
    for prop in by_name.get("PHOTO", []):
        photo = _photo(prop, warnings)
        if photo is not None:
            break
    categories: list[str] = []
    for prop in by_name.get("CATEGORIES", []):
        categories.extend(split_structured(_decoded_value(prop), ","))
    uid = first_text("UID") or None
    return Contact(
        first_name=given,
        last_name=family,
        company=company or None,
        position=first_text("TITLE") or first_text("ROLE") or None,
        emails=emails,
        phones=clean_list(phones),
        profile_url=profile,
        photo=photo,
        notes=first_text("NOTE") or None,
        location_text=location,
        lat=lat,
        lon=lon,
        timezone=timezone_at(lat, lon) if lat is not None and lon is not None else None,
        location_status=LocationStatus.FOUND if lat is not None else LocationStatus.UNRESOLVED,
        tags=clean_list(categories),
        source=FORMAT,
        source_key=uid,
    )


def parse_vcard(text: str, name: str) -> ParsedFile:
    """Contacts from a .vcf file, card by card; broken cards are listed in ``skipped``."""
    del name  # a file with no card at all is refused by format detection
    parsed = ParsedFile(FORMAT)
    card: _Card | None = None
    stray_from: int | None = None

    def finish(current: _Card) -> None:
        warnings: list[tuple[int, str]] = []
        try:
            contact = card_to_contact(current, warnings)
        except CardError as exc:
            parsed.skip(current.line, f"the card is broken: {exc}")
            return
        parsed.warnings.extend(warnings)
        parsed.contacts.append(ParsedContact(current.line, contact))

    for line, content, oversize in _logical_lines(text):
        stripped = content.strip()
        if not stripped:
            continue
        upper = stripped.upper()
        if card is None:
            if upper == "BEGIN:VCARD":
                card, stray_from = _Card(line), None
            elif stray_from is None:
                stray_from = line
                parsed.skip(line, "text outside any card")
            continue
        if upper == "END:VCARD":
            if not isinstance(card, _BrokenCard):
                finish(card)
            card = None
        elif upper == "BEGIN:VCARD":
            if not isinstance(card, _BrokenCard):
                parsed.skip(card.line, "the card has no END:VCARD before the next card begins")
            card = _Card(line)
        elif not isinstance(card, _BrokenCard):
            try:
                card.props.append(parse_property(content, line, oversize))
            except CardError as exc:
                parsed.skip(card.line, f"the card is broken: {exc}")
                card = _BrokenCard(card.line)
    if card is not None and not isinstance(card, _BrokenCard):
        parsed.skip(card.line, "the card is cut off at the end of the file (no END:VCARD)")
        parsed.warn(0, "the file ends in the middle of a card; it may be truncated")
    return parsed


class _BrokenCard(_Card):
    """A card already reported as broken: its lines are read to its end and ignored."""

    def __init__(self, line: int) -> None:
        super().__init__(line)

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
import codecs
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from netplanner.domain.entities import Contact, LocationStatus
from netplanner.services.geocoding.timezones import timezone_at
from netplanner.services.importers.decoding import Guess, encoding_label, guess_encoding
from netplanner.services.importers.normalise import (
    clean_emails,
    clean_list,
    first_and_middle,
    linkedin_profile,
    place_text,
    split_full_name,
    stand_in_name,
)
from netplanner.services.importers.records import (
    ImportFileError,
    ParsedContact,
    ParsedFile,
    digest_prefix,
    row_digest,
)

FORMAT = "vcard"
# Photos bigger than this (decoded) are dropped: a contact's avatar needs far less.
MAX_PHOTO_BYTES = 512 * 1024
_MAX_PHOTO_CHARS = MAX_PHOTO_BYTES * 4 // 3 + 4096
# A line ends at LF, with any CRs before it (iOS writes CR CR LF); a bare CR inside a
# line is part of its value (Thunderbird). A file with no LF at all ends its lines at CR.
_LINES = re.compile(r"\r*\n")
_LINES_BYTES = re.compile(rb"\r*\n")
_QP_8BIT = re.compile(rb"=[89A-Fa-f][0-9A-Fa-f]")  # maybe a quoted-printable 8-bit byte
_CHARSET = re.compile(rb";[ \t]*CHARSET[ \t]*=[ \t]*\"?([^;:\"]+)", re.IGNORECASE)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


class CardError(Exception):
    """A card that cannot be read; its message is the reason shown to the user."""


class PropertyError(CardError):
    """A line that is no property: the card is kept and the line reported as ignored."""

    def __init__(self, line: int, what: str) -> None:
        super().__init__(f"line {line} {what}")
        self.what = what


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
    broken: bool = False  # already reported: its lines are read to its end and ignored
    texts: list[str] = field(default_factory=list)  # its logical lines, for the row digest


def physical_lines(text: str) -> list[str]:
    """The file's lines: ended by LF (any CRs before it included), or by CR where no LF is."""
    return _LINES.split(text) if "\n" in text else text.split("\r")


def _ends_escaped(text: str) -> bool:
    """True when the line ends with an unescaped backslash: a 2.1 value that goes on."""
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _logical_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(first line number, unfolded content, oversize) for each logical line of ``text``."""
    start = 0
    parts: list[str] = []
    size = 0
    oversize = False
    is_photo = False
    is_qp = False
    for number, raw in enumerate(physical_lines(text), 1):
        if parts and is_qp and parts[-1].endswith("="):
            parts[-1] = parts[-1][:-1]  # a quoted-printable soft line break
            piece = raw[1:] if raw[:1] in (" ", "\t") else raw
        elif parts and raw[:1] in (" ", "\t"):
            piece = raw[1:]
        elif parts and is_photo and raw and _BASE64_LINE.match(raw):
            piece = raw  # some 2.1 writers put photo lines unindented
        elif parts and not is_photo and _ends_escaped(parts[-1]) and not _is_card_edge(raw):
            piece = "\n" + raw  # a 2.1 value continued after a trailing backslash
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


def _is_card_edge(line: str) -> bool:
    return line.strip().upper() in ("BEGIN:VCARD", "END:VCARD")


# Decoding the bytes of a vCard -----------------------------------------------------------
@dataclass
class _ByteLine:
    """One logical line of a vCard's bytes: its physical lines and how to decode its value."""

    number: int
    lines: list[bytes]
    qp: bool
    colon: int
    charset: str | None = None
    guess: bool = False  # its value needs the file's guessed code page
    text: list[str] = field(default_factory=list)


def _byte_lines(data: bytes) -> list[_ByteLine]:
    """The logical lines of a vCard's bytes, grouped as ``_logical_lines`` groups text."""
    physical = _LINES_BYTES.split(data) if b"\n" in data else data.split(b"\r")
    grouped: list[_ByteLine] = []
    for number, raw in enumerate(physical, 1):
        current = grouped[-1] if grouped else None
        if current is not None and (
            (current.qp and current.lines[-1].endswith(b"="))
            or (raw[:1] in (b" ", b"\t") and not current.qp)
        ):
            current.lines.append(raw)
            continue
        colon = raw.find(b":")
        head = raw[:colon] if colon > 0 else b""
        grouped.append(_ByteLine(number, [raw], b"QUOTED-PRINTABLE" in head.upper(), colon))
        match = _CHARSET.search(head)
        if match:
            grouped[-1].charset = match.group(1).decode("ascii", "replace").strip()
    return grouped


def decode_vcard_bytes(data: bytes, name: str) -> tuple[str, list[str]]:
    """A vCard's text, decoded property by property, and what had to be guessed.

    Folded lines are joined before decoding (RFC 6350 §3.2), so a UTF-8 character split by
    a fold is read whole; each value is decoded in the ``CHARSET`` its property names
    (Shift_JIS, whose second bytes may be a backslash, before any escape or ``;`` is read);
    values naming none are UTF-8 when they are, else in the code page the file's other
    lines name, else in the one detection finds (a note says when it was unsure). A
    quoted-printable value naming no charset gets the one found, to be read after
    unquoting. The lines keep their numbers: a joined fold leaves empty folds behind.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        named = {m.group(1).strip().lower() for m in _CHARSET.finditer(data)}
        if named <= {"utf-8", "utf8"} and not _QP_8BIT.search(data):
            return text, []
    notes: list[str] = []
    lines = _byte_lines(data)
    pool: list[bytes] = []
    named_charsets: list[str] = []
    for line in lines:
        if line.charset is not None:
            try:
                line.charset = codecs.lookup(line.charset).name
            except LookupError:
                if not line.qp:  # a quoted-printable value is refused with its card
                    notes.append(
                        f"line {line.number} names an unknown character set "
                        f"{line.charset!r}; its text was read as the rest of the file"
                    )
                    line.charset = None
            else:
                named_charsets.append(line.charset)
        value = _byte_value(line)
        if line.qp:
            value = quopri.decodestring(value) if line.charset is None else b""
        if value.isascii():
            continue
        if line.charset is not None:
            try:
                value.decode(line.charset)
                continue
            except UnicodeDecodeError:
                notes.append(
                    f"line {line.number} says its text is {encoding_label(line.charset)} "
                    "but it is not; it was read as the rest of the file"
                )
                line.charset = None
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            line.guess = True
            pool.append(value)
    fallback = _fallback_encoding(pool, named_charsets, lines, notes, name)
    for line in lines:
        _decode_line(line, fallback)
    return "\r\n".join(piece for line in lines for piece in line.text), notes


def _byte_value(line: _ByteLine) -> bytes:
    """The value bytes of a logical line, folds (or quoted-printable soft breaks) undone."""
    first = line.lines[0][line.colon + 1 :] if line.colon > 0 else line.lines[0]
    pieces = [first]
    for raw in line.lines[1:]:
        if line.qp:
            pieces[-1] = pieces[-1][:-1]
            pieces.append(raw[1:] if raw[:1] in (b" ", b"\t") else raw)
        else:
            pieces.append(raw[1:])
    return b"".join(pieces)


def _fallback_encoding(
    pool: list[bytes],
    named: list[str],
    lines: list[_ByteLine],
    notes: list[str],
    name: str,
) -> str:
    """The code page for values that name none and are not UTF-8."""
    if not pool:
        return "utf-8"
    joined = b"\n".join(pool)
    for charset in sorted(set(named), key=named.count, reverse=True):
        if charset != "utf-8":
            try:
                joined.decode(charset)
                return charset  # as the file's other lines name it
            except UnicodeDecodeError:
                pass
    guess: Guess | None = guess_encoding(joined)
    if guess is None:
        raise ImportFileError(
            f"The file {name} is neither UTF-8, UTF-16 nor text in a known code page."
        )
    if guess.unsure:
        numbers = [str(line.number) for line in lines if line.guess]
        where = f"line {numbers[0]}" if len(numbers) == 1 else f"lines {', '.join(numbers[:5])}"
        if len(numbers) > 5:
            where += f" and {len(numbers) - 5} more"
        notes.append(guess.note(f"the text of {where}"))
    return guess.encoding


def _decode_line(line: _ByteLine, fallback: str) -> None:
    """Set the line's text: its physical lines, or its joined folds and empty folds."""
    charset = fallback if line.guess else (line.charset or "utf-8")
    if line.qp:
        for index, raw in enumerate(line.lines):
            text = _decode_piece(raw, charset, fallback)
            if index == 0 and line.guess and line.colon > 0:
                # the unquoted bytes are in the guessed code page: say so to the parser
                text = f"{text[: line.colon]};CHARSET={fallback}{text[line.colon :]}"
            line.text.append(text)
        return
    head = line.lines[0][: line.colon + 1] if line.colon > 0 else b""
    value = _byte_value(line)
    line.text.append(
        _decode_piece(head, "ascii", fallback) + _decode_piece(value, charset, fallback)
    )
    line.text.extend(" " for _ in line.lines[1:])


def _decode_piece(raw: bytes, charset: str, fallback: str) -> str:
    """Bytes in ``charset``; a stray non-ASCII byte elsewhere (a group name, a QP line's
    raw text) in the file's fallback; ``UnicodeDecodeError`` when neither fits."""
    if raw.isascii():
        return raw.decode("ascii")
    try:
        return raw.decode(charset)
    except UnicodeDecodeError:
        return raw.decode(fallback)


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
    if content.lstrip().startswith("#"):
        raise PropertyError(line, "is a comment")
    if colon <= 0:
        raise CardError(f"line {line} is not a vCard property")
    head, value = content[:colon], content[colon + 1 :]
    pieces = _split_outside_quotes(head, ";")
    full_name = pieces[0].strip()
    group, _, name = full_name.rpartition(".")
    if not name or not re.fullmatch(r"[A-Za-z0-9-]+", name):
        shown = name if len(name) <= 40 else name[:40] + "…"
        raise PropertyError(line, f"has {shown!r}, which is not a vCard property name")
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
        named = prop.params.get("CHARSET")
        charset = named[0] if named else "utf-8"
        raw = quopri.decodestring(prop.value.encode("utf-8"))
        try:
            if not named and not _is_utf8(raw):
                return raw.decode("cp1252")  # as raw 8-bit text naming no charset is read
            return raw.decode(charset)
        except LookupError as exc:
            raise CardError(f"line {prop.line} names an unknown character set {charset!r}") from exc
        except UnicodeDecodeError as exc:
            raise CardError(f"line {prop.line} holds text that is not valid {charset}") from exc
    return prop.value


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text(prop: Property) -> str:
    return unescape(_decoded_value(prop)).replace("\r\n", "\n").replace("\r", "\n").strip()


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


def _address_place(parts: list[str]) -> str | None:
    """The place of an ADR: its city, region and country, or what stands for them.

    Gmail writes the whole address into the extended-address component, some phones the
    city into the second component alone (``ADR;WORK:;Szczecin``): with no city, region or
    country, the other components' text is kept whole for the geocoder ("123 Main St, San
    Francisco, CA"), its lines joined with commas.
    """
    place = place_text(parts[3], parts[4], parts[6])
    if place:
        return place
    pieces = []
    for part in (parts[2], parts[1], parts[0], parts[5]):  # street, extended, PO box, code
        for line in part.replace("\r", "\n").split("\n"):
            line = " ".join(line.split()).strip(" ,")
            if line:
                pieces.append(line)
    return place_text(*pieces)


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

    def all_texts(name: str) -> list[str]:
        texts = [_text(prop) for prop in by_name.get(name, [])]
        return [t for i, t in enumerate(texts) if t and t not in texts[:i]]

    given = family = ""
    if "N" in by_name:
        parts = split_structured(_decoded_value(by_name["N"][0])) + [""] * 5
        family, given = parts[0].strip(), parts[1].strip()
        given = first_and_middle(given, parts[2])
    full = first_text("FN")
    company = ""
    if "ORG" in by_name:
        company = split_structured(_decoded_value(by_name["ORG"][0]))[0].strip()
    emails = clean_emails([_text(p) for p in by_name.get("EMAIL", [])])
    if not given and not family:
        if full:
            given, family = split_full_name(full)
        else:
            given = stand_in_name(company, emails) or ""
            if not given:
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
        location = _address_place(split_structured(_decoded_value(address)) + [""] * 7)
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
        notes="\n\n".join(all_texts("NOTE")) or None,
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
    """Contacts from a .vcf file, card by card; broken cards are listed in ``skipped``.

    A property line the parser does not take (a comment, a name with ``_`` or ``/``) is
    left out with a warning and its card kept; text with no property at all breaks its
    card. A card inside a card (as some phones wrote 2.1 cards) is a card of its own, and
    so is the one around it.
    """
    del name  # a file with no card at all is refused by format detection
    parsed = ParsedFile(FORMAT)
    open_cards: list[_Card] = []  # the innermost last
    nested: set[int] = set()  # lines of the cards that had a card begin inside them
    stray_from: int | None = None
    prefix = digest_prefix(FORMAT)

    def finish(current: _Card) -> None:
        warnings: list[tuple[int, str]] = []
        try:
            contact = card_to_contact(current, warnings)
        except CardError as exc:
            parsed.skip(current.line, f"the card is broken: {exc}")
            return
        parsed.warnings.extend(warnings)
        digest = row_digest(prefix, current.texts)
        parsed.contacts.append(ParsedContact(current.line, contact, digest))

    for line, content, oversize in _logical_lines(text):
        stripped = content.strip()
        if not stripped:
            continue
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if open_cards:
                nested.add(open_cards[-1].line)
            open_cards.append(_Card(line))
            stray_from = None
            continue
        if not open_cards:
            if stray_from is None:
                stray_from = line
                parsed.skip(line, "text outside any card")
            continue
        card = open_cards[-1]
        if upper == "END:VCARD":
            open_cards.pop()
            if not card.broken:
                finish(card)
            continue
        if card.broken:
            continue
        card.texts.append(content)
        try:
            card.props.append(parse_property(content, line, oversize))
        except PropertyError as exc:
            parsed.warn(line, f"the line {exc.what} and was left out")
        except CardError as exc:  # text with no property at all: the card cannot be trusted
            parsed.skip(card.line, f"the card is broken: {exc}")
            card.broken = True
    for card in open_cards:
        if card.broken:
            continue
        if card.line in nested:
            parsed.skip(card.line, "the card has no END:VCARD before the next card begins")
        else:
            parsed.skip(card.line, "the card is cut off at the end of the file (no END:VCARD)")
            parsed.warn(0, "the file ends in the middle of a card; it may be truncated")
    return parsed

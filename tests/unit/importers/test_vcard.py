"""vCard 2.1, 3.0 and 4.0 with the quirks real exports have, read card by card."""

from __future__ import annotations

import base64

import pytest

from netplanner.domain.entities import Contact, LocationStatus
from netplanner.services.context import AppContext
from netplanner.services.importers.records import ParsedFile
from netplanner.services.importers.vcard import MAX_PHOTO_BYTES, parse_vcard
from tests.unit.importers.helpers import DATA


@pytest.fixture
def parsed(context: AppContext) -> ParsedFile:
    return context.importer.read(DATA / "contacts.vcf")


def _card(parsed: ParsedFile, name: str) -> Contact:
    return next(p.contact for p in parsed.contacts if p.contact.name == name)


def test_one_broken_card_is_skipped_and_the_others_imported(parsed: ParsedFile) -> None:
    assert parsed.format == "vcard"
    assert [p.contact.name for p in parsed.contacts] == [
        "Karin Lindqvist",
        "Çağlar Göktürk",
        "Aiyana Redcloud",
        "Chidi Okafor",
    ]
    assert len(parsed.skipped) == 1
    line, reason = parsed.skipped[0]
    assert line == 54 and "line 57" in reason


def test_vcard3_grouped_address_escapes_folding_photo_and_uid(parsed: ParsedFile) -> None:
    karin = _card(parsed, "Karin Lindqvist")
    assert karin.company == "Spotify" and karin.position == "Engineering Manager"
    assert karin.location_text == "Stockholm, Sweden"  # from item1.ADR
    assert karin.profile_url == "https://www.linkedin.com/in/karinlindqvist"  # item2.URL
    assert karin.notes == (
        "Met at Slush 2023, talked about platform teams; wants intro to Ana.\nLikes filter coffee."
    )
    assert (
        karin.photo is not None and karin.photo.startswith(b"\xff\xd8") and len(karin.photo) == 518
    )
    assert karin.source == "vcard" and karin.source_key == "5F1D2B3C-9A8E-4C2D-B1E0-0123456789AB"
    assert karin.tags == ["Conference", "Nordics"]
    assert karin.phones == ["+46 70 123 45 67"]


def test_vcard21_quoted_printable_with_charset_and_soft_breaks(parsed: ParsedFile) -> None:
    caglar = _card(parsed, "Çağlar Göktürk")
    assert caglar.last_name == "Göktürk" and caglar.company == "Türk Telekom"
    assert caglar.location_text == "İstanbul, Türkiye"
    assert caglar.notes == "Tanıştık: Mobile World Congress, Barcelona. Çok iyi bir sohbet."
    assert caglar.emails == ["caglar@example.com.tr"]


def test_vcard4_tel_uri_and_geo_give_coordinates_without_geocoding(parsed: ParsedFile) -> None:
    aiyana = _card(parsed, "Aiyana Redcloud")
    assert aiyana.phones == ["+1-507-555-0142"]
    assert (aiyana.lat, aiyana.lon) == (44.0225, -92.4699)
    assert aiyana.timezone == "America/Chicago"  # from the coordinates, no geocoding needed
    assert aiyana.location_status == LocationStatus.FOUND
    assert aiyana.location_text == "Rochester, MN, USA"


def test_social_profile_gives_the_linkedin_url(parsed: ParsedFile) -> None:
    assert _card(parsed, "Chidi Okafor").profile_url == "https://www.linkedin.com/in/chidi-okafor"


def test_a_huge_photo_is_dropped_with_a_warning_and_the_card_kept() -> None:
    blob = base64.b64encode(b"\x00" * (MAX_PHOTO_BYTES + 10_000)).decode()
    folded = "\r\n ".join(blob[i : i + 76] for i in range(0, len(blob), 76))
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEMAIL:big@example.com\r\nEND:VCARD\r\n"
    )
    parsed = parse_vcard(text, "big.vcf")
    contact = parsed.contacts[0].contact
    assert contact.name == "Big Photo" and contact.photo is None
    assert contact.emails == ["big@example.com"]  # lines after the photo still read
    assert any("photo larger than" in w for _line, w in parsed.warnings)


def test_a_card_cut_off_at_the_end_is_reported() -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Whole\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Cut\n"
    parsed = parse_vcard(text, "cut.vcf")
    assert [p.contact.name for p in parsed.contacts] == ["Whole"]
    assert parsed.skipped == [(5, "the card is cut off at the end of the file (no END:VCARD)")]


def test_a_card_without_end_before_the_next_begin_is_skipped() -> None:
    text = "BEGIN:VCARD\nFN:Lost\nBEGIN:VCARD\nFN:Kept\nEND:VCARD\n"
    parsed = parse_vcard(text, "x.vcf")
    assert [p.contact.name for p in parsed.contacts] == ["Kept"]
    assert parsed.skipped[0][0] == 1


def test_a_card_with_no_name_at_all_is_skipped() -> None:
    parsed = parse_vcard("BEGIN:VCARD\nVERSION:4.0\nNOTE:who?\nEND:VCARD\n", "x.vcf")
    assert parsed.contacts == [] and "no name" in parsed.skipped[0][1]


def test_an_unknown_charset_breaks_only_its_card() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=KLINGON;ENCODING=QUOTED-PRINTABLE:=41;B\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:2.1\nN:Smith;Jo\nEND:VCARD\n"
    )
    parsed = parse_vcard(text, "x.vcf")
    assert [p.contact.name for p in parsed.contacts] == ["Jo Smith"]
    assert "KLINGON" in parsed.skipped[0][1]


def test_vcard3_geo_with_semicolon_and_an_off_globe_geo_warns() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:A B\nGEO:38.7223;-9.1393\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:C D\nGEO:geo:123,456\nEND:VCARD\n"
    )
    parsed = parse_vcard(text, "x.vcf")
    first, second = (p.contact for p in parsed.contacts)
    assert (first.lat, first.lon) == (38.7223, -9.1393)
    assert second.lat is None and second.location_status == LocationStatus.UNRESOLVED
    assert any("off the globe" in w for _line, w in parsed.warnings)


def test_bad_base64_photo_is_left_out_with_a_warning() -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:A B\nPHOTO;ENCODING=b:***not base64***\nEND:VCARD\n"
    parsed = parse_vcard(text, "x.vcf")
    assert parsed.contacts[0].contact.photo is None
    assert "could not be decoded" in parsed.warnings[0][1]


def test_vcard4_data_uri_photo_and_unindented_21_photo_lines() -> None:
    jpeg = b"\xff\xd8\xff\xe0" + b"pixels" * 40
    encoded = base64.b64encode(jpeg).decode()
    lines = "\r\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60))
    text = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Data Uri\r\n"
        f"PHOTO:data:image/jpeg;base64,{encoded}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Android;Ann\r\n"
        f"PHOTO;ENCODING=BASE64;JPEG:{lines}\r\n\r\nTEL;CELL:+4915112345678\r\nEND:VCARD\r\n"
    )
    parsed = parse_vcard(text, "x.vcf")
    assert parsed.skipped == []
    first, second = (p.contact for p in parsed.contacts)
    assert first.photo == jpeg and second.photo == jpeg
    assert second.phones == ["+4915112345678"]

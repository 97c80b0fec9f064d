"""Character sets other than UTF-8 and cp1252 (issue 18): detected, and a guess that could
as well have been another code page says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from netplanner.services.context import AppContext
from netplanner.services.importers import ImportFileError
from netplanner.services.importers.decoding import decode, decode_with_notes, guess_encoding
from tests.unit.importers.helpers import DATA, by_name

CHARSETS = DATA / "charsets"
GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Organization Name,E-mail 1 - Label,E-mail 1 - Value\n"
)


def test_a_shift_jis_csv_is_detected_not_stored_as_mojibake(context: AppContext) -> None:
    (report,) = context.importer.run([CHARSETS / "google-shift-jis.csv"])
    assert report.created == 2
    people = by_name(context)
    assert people["安藤 ロイド"].company == "ソニー株式会社"
    assert people["山田 太郎"].emails == ["taro.yamada@example.jp"]
    again = context.importer.run([CHARSETS / "google-shift-jis.csv"])
    assert (again[0].created, again[0].updated) == (0, 0)


def test_a_cyrillic_csv_is_detected(context: AppContext) -> None:
    context.importer.run([CHARSETS / "google-cp1251.csv"])
    assert by_name(context)["Віталій Кличко"].company == "Київська міська рада"


def test_a_utf16_csv_without_a_bom_is_read(context: AppContext) -> None:
    (report,) = context.importer.run([CHARSETS / "connections-utf16-be-no-bom.csv"])
    assert report.format == "linkedin" and report.created == 1
    assert by_name(context)["Zoë Ångström"].company == "Spotify"


def test_a_sure_detection_adds_no_note() -> None:
    data = (CHARSETS / "google-shift-jis.csv").read_bytes()
    text, notes = decode_with_notes(data, "f.csv")
    assert "安藤,,ロイド" in text and notes == []


def test_a_guess_another_code_page_fits_as_well_is_noted() -> None:
    # Two kanji alone decode as cleanly in Korean: the reader is told to check.
    data = (GOOGLE_HEADER + "安藤,,,,,a@example.jp\n").encode("shift_jis")
    text, notes = decode_with_notes(data, "f.csv")
    assert "安藤" in text
    assert notes == [
        "the file is not UTF-8 and names no character set; it was read as Shift_JIS "
        "(Japanese), a guess (it could also be GB18030 (Chinese) or EUC-KR (Korean)): "
        "check its names"
    ]


def test_an_unsure_vcard_guess_names_its_lines() -> None:
    data = (CARDS := DATA / "vcard-real-world" / "qp-no-charset.vcf").read_bytes()
    _text, notes = decode_with_notes(data, str(CARDS))
    assert len(notes) == 1 and notes[0].startswith("the text of line 3 is not UTF-8")
    assert "Windows-1250 (Central European)" in notes[0]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Ευάγγελος Παπαδόπουλος", "cp1253"),
        ("Віталій Кличко", "cp1251"),
        ("Hélène Dubois, Frère Jacques", "cp1252"),
    ],
)
def test_short_names_are_detected_in_their_code_page(text: str, encoding: str) -> None:
    guess = guess_encoding(text.encode(encoding))
    assert guess is not None and guess.text == text


def test_a_short_turkish_name_is_a_guess_naming_windows_1254() -> None:
    guess = guess_encoding("Çağlar Göktürk".encode("cp1254"))
    assert guess is not None and guess.unsure and "cp1254" in guess.alternatives


def test_bytes_that_are_no_text_in_any_code_page_are_still_refused() -> None:
    with pytest.raises(ImportFileError, match=r"known code page"):
        decode(b"First Name\n\x81\x9d\x81\n", "f.csv")


def test_a_vcard_in_no_known_code_page_is_refused(context: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "bad.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:\x81\x9d\x81;A\r\nEND:VCARD\r\n")
    with pytest.raises(ImportFileError, match=r"bad.vcf is neither UTF-8"):
        context.importer.run([path])
    assert by_name(context) == {}


def test_text_several_code_pages_read_alike_is_named_windows_1252() -> None:
    guess = guess_encoding("María Fernández,Telefónica\n".encode("cp1252"))
    assert guess is not None and guess.encoding == "cp1252"
    assert guess.text == "María Fernández,Telefónica\n"

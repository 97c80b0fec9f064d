"""vCards as phones and address books really write them (issue 18), imported through the
service: every card kept, every character set read, and what was left out reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from netplanner.domain.entities import Contact
from netplanner.services.context import AppContext
from netplanner.services.importers.records import ImportReport
from tests.unit.importers.helpers import DATA, by_name

CARDS = DATA / "vcard-real-world"


def _run(context: AppContext, name: str) -> tuple[ImportReport, dict[str, Contact]]:
    (report,) = context.importer.run([CARDS / name])
    return report, by_name(context)


def test_a_property_name_with_an_underscore_is_left_out_with_a_warning_and_the_card_kept(
    context: AppContext,
) -> None:
    report, people = _run(context, "wab-underscore.vcf")
    assert list(people) == ["Jane Doe"] and report.created == 1 and report.skipped == []
    assert report.warning_texts() == [
        "line 5: the line has 'X-WAB-WEDDING_ANNIVERSARY', which is not a vCard property "
        "name and was left out"
    ]


def test_slash_names_comments_backslash_continuations_and_bare_crs_keep_their_cards(
    context: AppContext,
) -> None:
    report, people = _run(context, "odd-lines.vcf")
    assert sorted(people) == ["Ewa Nowak", "Jan Kowalski"] and report.skipped == []
    assert people["Ewa Nowak"].emails == ["ewa.nowak@example.pl"]  # read after the odd lines
    assert [line for line, _reason in report.warnings] == [5, 6]
    assert "comment" in report.warnings[1][1]
    jan = people["Jan Kowalski"]
    assert jan.location_text == "Gdansk, Poland"  # the ADR continued on the next line
    assert jan.notes == "first line\nsecond line"  # Thunderbird's bare CR inside the value


def test_ios_cr_cr_lf_line_ends_with_a_folded_note(context: AppContext) -> None:
    report, people = _run(context, "ios-crcrlf.vcf")
    assert report.created == 1 and report.skipped == [] and report.warnings == []
    assert people["Jane Doe"].notes == "line one continued"


def test_a_card_error_counts_cr_cr_lf_as_one_line(context: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "ios.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:A B\r\r\n# note\r\r\nEND:VCARD\r\r\n")
    (report,) = context.importer.run([path])
    assert report.warnings == [(4, "the line is a comment and was left out")]


def test_shift_jis_named_by_charset_is_decoded_before_escapes_and_semicolons(
    context: AppContext,
) -> None:
    report, people = _run(context, "shift-jis.vcf")
    assert report.created == 2 and report.skipped == [] and report.warnings == []
    ando = people["ロイド 安藤"]
    assert (ando.last_name, ando.first_name) == ("安藤", "ロイド")
    # ソ is 0x83 0x5C in Shift_JIS: its second byte is no backslash escape.
    sony = people["太郎 ソニー"]
    assert (sony.last_name, sony.first_name) == ("ソニー", "太郎")
    assert sony.company == "ソフト開発"  # quoted-printable, then Shift_JIS


def test_greek_named_on_one_line_is_read_so_on_the_lines_naming_none(
    context: AppContext,
) -> None:
    report, people = _run(context, "greek-named-once.vcf")
    assert report.warnings == []
    person = people["Ευάγγελος Παπαδόπουλος"]
    assert person.position == "Διευθυντής πωλήσεων"


def test_cyrillic_named_nowhere_is_detected(context: AppContext) -> None:
    report, people = _run(context, "cyrillic-unnamed.vcf")
    assert list(people) == ["Віталій Кличко"] and report.created == 1
    assert people["Віталій Кличко"].company == "Київська міська рада"


def test_a_utf8_character_split_by_a_fold_is_read_whole(context: AppContext) -> None:
    report, people = _run(context, "utf8-split-fold.vcf")
    assert list(people) == ["Віталій Кличко"] and report.warnings == []


@pytest.mark.parametrize("name", ["utf16-le-no-bom.vcf", "utf16-be-no-bom.vcf"])
def test_utf16_without_a_bom_is_read_by_its_nuls(context: AppContext, name: str) -> None:
    report, people = _run(context, name)
    assert report.created == 1
    assert people["Jürgen Müller"].emails == ["juergen.mueller@example.de"]


def test_quoted_printable_8bit_without_charset_is_read_with_a_warning(
    context: AppContext,
) -> None:
    report, people = _run(context, "qp-no-charset.vcf")
    assert report.created == 1 and report.skipped == []
    (person,) = people.values()
    assert (person.first_name, person.last_name) == ("Piotr", "Iksiñski")  # as raw 8-bit text


def test_every_note_is_kept_with_a_blank_line_between(context: AppContext) -> None:
    _report, people = _run(context, "two-notes.vcf")
    assert people["Ana Lima"].notes == "Met at Web Summit.\n\nWants an intro to the Lisbon team."


def test_an_address_without_city_region_or_country_keeps_its_other_text(
    context: AppContext,
) -> None:
    _report, people = _run(context, "addresses.vcf")
    assert people["Gmail Person"].location_text == "123 Main St, San Francisco, CA"
    assert people["Marek Zielinski"].location_text == "Szczecin"


def test_nested_cards_are_all_kept(context: AppContext) -> None:
    report, people = _run(context, "nested.vcf")
    assert report.created == 3 and report.skipped == []
    assert people["Olga Outer"].emails == ["olga.outer@example.pl"]  # after the inner cards
    assert people["Olga Outer"].phones == ["+48111111111"]
    assert people["Ida Inner"].phones == ["+48222222222"]
    assert people["Igor Inside"].phones == ["+48333333333"]


def test_reimporting_every_real_world_card_creates_nothing(context: AppContext) -> None:
    paths = sorted(CARDS.iterdir())
    first = context.importer.run(paths)
    assert sum(r.created for r in first) == len(context.contact_repo.list()) > 15
    again = context.importer.run(paths)
    assert [(r.created, r.updated) for r in again] == [(0, 0)] * len(paths)

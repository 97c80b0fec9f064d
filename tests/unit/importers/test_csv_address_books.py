"""Address book CSVs (Thunderbird, generic, Outlook, Google) imported without losing a column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netplanner.services.context import AppContext
from netplanner.services.importers.normalise import first_and_middle
from tests.unit.importers.helpers import DATA, by_name

THUNDERBIRD = DATA / "csv-thunderbird"
OUTLOOK = DATA / "csv-outlook"
GOOGLE = DATA / "csv-google"
GENERIC = DATA / "csv-generic"
ALL_FILES = sorted(DATA.glob("csv-*/*.csv"))


def test_a_thunderbird_csv_is_read_as_thunderbird_with_every_mapped_column(
    context: AppContext,
) -> None:
    (report,) = context.importer.run([THUNDERBIRD / "thunderbird-en.csv"])
    assert (report.format, report.created) == ("thunderbird", 2)
    people = by_name(context)
    ines = people["Ines Varga"]
    assert ines.emails == ["ines.varga@example.hu", "ines@varga.example"]
    assert ines.phones == ["+36 1 555 0100", "+36 30 555 0101"]
    assert (ines.company, ines.position) == ("Prezi", "Head of Data")
    assert ines.location_text == "Budapest, Hungary"  # the work address before the home one
    assert ines.notes == "Met at Craft conference"
    # No first or last name: the display name gives both.
    tomasz = people["Tomasz Nowak"]
    assert (tomasz.first_name, tomasz.last_name) == ("Tomasz", "Nowak")
    assert (tomasz.company, tomasz.location_text) == ("Allegro", "Kraków, Poland")


def test_thunderbird_columns_no_field_takes_are_listed_not_dropped(
    context: AppContext,
) -> None:
    (report,) = context.importer.run([THUNDERBIRD / "thunderbird-en.csv"])
    unmapped = report.to_json()["unmapped_columns"]
    assert isinstance(unmapped, list)
    for column in ("Nickname", "Birth Year", "Department", "Custom 1", "Fax Number"):
        assert column in unmapped
    for column in ("Primary Email", "Mobile Number", "Organization", "Work City", "Notes"):
        assert column not in unmapped
    assert "" not in unmapped  # Thunderbird's trailing comma is no column


def test_a_german_thunderbird_csv_is_read_by_its_german_column_names(
    context: AppContext,
) -> None:
    (report,) = context.importer.run([THUNDERBIRD / "thunderbird-de.csv"])
    assert report.format == "thunderbird"
    juergen = by_name(context)["Jürgen Weiß"]
    assert juergen.emails == ["juergen.weiss@example.de"]
    assert juergen.phones == ["+49 170 5550123"]
    assert (juergen.company, juergen.position) == ("Siemens", "Einkaufsleiter")
    assert juergen.location_text == "München, Bayern, Deutschland"
    assert juergen.profile_url == "https://www.linkedin.com/in/juergenweiss"
    assert "Spitzname" in report.unmapped_columns


def test_a_generic_first_name_last_name_primary_email_csv_imports(
    context: AppContext,
) -> None:
    (report,) = context.importer.run([GENERIC / "address-book.csv"])
    assert (report.format, report.created, report.unmapped_columns) == ("thunderbird", 1, [])
    amara = by_name(context)["Amara Okafor"]
    assert amara.emails == ["amara@example.ng"]
    assert amara.phones == ["+234 803 555 0199"]
    assert (amara.company, amara.position) == ("Flutterwave", "Engineering Manager")
    assert amara.location_text == "Lagos, Nigeria"


def test_first_name_and_job_title_alone_no_longer_make_a_file_outlook(
    context: AppContext,
) -> None:
    (report,) = context.importer.run([GENERIC / "first-name-job-title.csv"])
    assert report.format == "thunderbird"
    leila = by_name(context)["Leila Haddad"]
    assert (leila.company, leila.position) == ("Careem", "CFO")


def test_outlook_home_and_business_country_without_region_give_the_location(
    context: AppContext,
) -> None:
    (report,) = context.importer.run([OUTLOOK / "outlook-country.csv"])
    assert report.format == "outlook"
    people = by_name(context)
    assert people["Maria Luisa Fernández"].location_text == "Madrid, Spain"
    assert people["Pekka Virtanen"].location_text == "Espoo, Finland"
    assert "Home Country" not in report.unmapped_columns


def test_an_outlook_csv_with_only_email_columns_imports_named_after_the_address(
    context: AppContext,
) -> None:
    (report,) = context.importer.run([OUTLOOK / "outlook-emails-only.csv"])
    assert (report.format, report.created, report.skipped) == ("outlook", 2, [])
    people = by_name(context)
    assert people["jane.doe@example.com"].emails == ["jane.doe@example.com"]
    assert people["old.friend@example.org"].emails == [
        "old.friend@example.org",
        "friend@example.net",
    ]


def test_an_outlook_csv_lists_the_columns_it_does_not_read(context: AppContext) -> None:
    (report,) = context.importer.run([DATA / "outlook.csv"])
    assert "Spouse" in report.unmapped_columns
    assert "Anniversary" in report.unmapped_columns
    assert "Business City" not in report.unmapped_columns


def test_google_formatted_address_alone_gives_the_place_text(context: AppContext) -> None:
    (report,) = context.importer.run([GOOGLE / "google-formatted-address.csv"])
    assert report.format == "google"
    people = by_name(context)
    assert people["Chris Alan Miller"].location_text == "123 Main St, San Francisco, CA"
    # Google writes a multi-line formatted address; its lines become one place text.
    assert people["Dana Lee"].location_text == "500 Terry Francine St, San Francisco, CA 94158, US"
    assert "Address 1 - Formatted" not in report.unmapped_columns
    assert "E-mail 1 - Type" in report.unmapped_columns


def test_google_keeps_the_middle_name_after_the_first_as_outlook_does(
    context: AppContext,
) -> None:
    context.importer.run([GOOGLE / "google-formatted-address.csv"])
    context.importer.run([OUTLOOK / "outlook-country.csv"])
    people = by_name(context)
    assert (people["Chris Alan Miller"].first_name, people["Chris Alan Miller"].last_name) == (
        "Chris Alan",
        "Miller",
    )
    assert people["Maria Luisa Fernández"].first_name == "Maria Luisa"


@pytest.mark.parametrize(
    ("first", "middle", "expected"),
    [
        ("Mary", "Ann", "Mary Ann"),
        ("Mary Ann", "Ann", "Mary Ann"),  # already written into the first name
        ("Joann", "Ann", "Joann Ann"),  # a word, not a suffix, is compared
        ("", "Ann", "Ann"),
        ("  Jean ", "", "Jean"),
    ],
)
def test_the_one_middle_name_rule(first: str, middle: str, expected: str) -> None:
    assert first_and_middle(first, middle) == expected


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_re_importing_an_address_book_csv_creates_nothing(path: Path, context: AppContext) -> None:
    first = context.importer.run([path])
    count = context.contacts.count()
    (again,) = context.importer.run([path])
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == first[0].created
    assert context.contacts.count() == count


def test_the_cli_json_report_lists_the_unmapped_columns(cli: Any) -> None:
    result = cli("import", str(THUNDERBIRD / "thunderbird-en.csv"), "--json")
    assert result.code == 0, result.stderr
    document = result.json()
    assert document["format"] == "thunderbird"
    assert "Nickname" in document["unmapped_columns"]


def test_format_thunderbird_can_be_chosen_on_the_command_line(cli: Any) -> None:
    path = str(GENERIC / "address-book.csv")
    result = cli("import", path, "--format", "thunderbird", "--dry-run", "--json")
    assert result.code == 0, result.stderr
    assert (result.json()["format"], result.json()["created"]) == ("thunderbird", 1)

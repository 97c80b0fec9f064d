"""Google Contacts CSV and Outlook CSV, and recognising every format by its content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netplanner.services.context import AppContext
from netplanner.services.importers import ImportFileError
from tests.unit.importers.helpers import DATA, write


def test_google_csv_with_bom_and_joined_values(context: AppContext) -> None:
    parsed = context.importer.read(DATA / "google.csv")
    assert parsed.format == "google"
    sofia, kenji = (p.contact for p in parsed.contacts)
    assert sofia.name == "Sofia Rossi"  # the BOM does not stick to the first header
    assert sofia.emails == ["sofia.rossi@example.it", "sofia@rossi.example"]  # " ::: "
    assert (sofia.company, sofia.position) == ("Bending Spoons", "Growth Lead")
    assert sofia.location_text == "Milano, Lombardia, Italy"
    assert sofia.profile_url == "https://www.linkedin.com/in/sofiarossi"
    assert sofia.tags == ["Clients"]  # Google's own "* myContacts" label is left out
    assert sofia.notes == "Coffee at Orsonero, Milan."
    assert kenji.location_text == "Tokyo, Japan"


def test_outlook_csv_in_cp1252(context: AppContext) -> None:
    parsed = context.importer.read(DATA / "outlook.csv")
    assert parsed.format == "outlook"
    francois, zoe = (p.contact for p in parsed.contacts)
    assert francois.name == "François Lefèvre"
    assert (francois.company, francois.position) == ("Société Générale", "Directeur Général")
    assert francois.location_text == "Paris, Île-de-France, France"
    assert francois.notes == "Café crème at Télescope – “great” espresso"
    # No business address: the home address gives the location.
    assert (zoe.name, zoe.location_text) == ("Zoë Ångström", "Göteborg, Sweden")
    assert zoe.phones == ["+46 8 555 0199"]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("Connections.csv", "linkedin"),
        ("Connections-utf16.csv", "linkedin"),
        ("Invitations.csv", "linkedin-invitations"),
        ("contacts.vcf", "vcard"),
        ("google.csv", "google"),
        ("outlook.csv", "outlook"),
    ],
)
def test_formats_are_recognised_by_content_not_name(
    fixture: str, expected: str, tmp_path: Path, context: AppContext
) -> None:
    renamed = tmp_path / "export.txt"
    shutil.copy(DATA / fixture, renamed)
    assert context.importer.read(renamed).format == expected


def test_an_explicit_format_that_does_not_fit_is_refused(context: AppContext) -> None:
    with pytest.raises(ImportFileError, match=r"not an Outlook CSV export"):
        context.importer.read(DATA / "Connections.csv", fmt="outlook")


def test_an_unknown_text_file_is_refused_naming_it(tmp_path: Path, context: AppContext) -> None:
    path = write(tmp_path, "shopping.txt", "milk\neggs\ncoffee beans\n")
    with pytest.raises(ImportFileError, match=r"shopping.txt is not a LinkedIn, vCard"):
        context.importer.read(path)


def test_a_header_with_no_rows_is_refused(tmp_path: Path, context: AppContext) -> None:
    path = write(
        tmp_path,
        "empty.csv",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    )
    with pytest.raises(ImportFileError, match=r"empty.csv holds no contacts"):
        context.importer.read(path)

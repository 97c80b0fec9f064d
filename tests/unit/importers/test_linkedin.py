"""LinkedIn Connections.csv and Invitations.csv as LinkedIn writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from netplanner.domain.entities import Contact, LocationStatus
from netplanner.services.context import AppContext
from netplanner.services.importers import ImportFileError
from netplanner.services.importers.linkedin import parse_connections
from netplanner.services.importers.normalise import linkedin_profile
from tests.unit.importers.helpers import CONNECTIONS_HEADER, DATA, write


def test_connections_behind_the_notes_preamble_are_read(context: AppContext) -> None:
    parsed = context.importer.read(DATA / "Connections.csv")
    assert parsed.format == "linkedin"
    names = [p.contact.name for p in parsed.contacts]
    assert names == [
        "Ana Ferreira",
        "Jonas Müller",
        "Priya Raman",
        "Chen Wei",
        "Marie Dubois",
        "Tom O'Brien",
    ]


def test_quoted_commas_and_quotes_stay_inside_their_cells(context: AppContext) -> None:
    contacts = {
        p.contact.name: p.contact for p in context.importer.read(DATA / "Connections.csv").contacts
    }
    assert contacts["Priya Raman"].company == 'Acme "Rockets" Inc.'
    assert contacts["Priya Raman"].position == "VP, Engineering"
    assert contacts["Chen Wei"].position == 'Staff Engineer, Payments "Core"'
    assert contacts["Tom O'Brien"].company == "Smith, Jones & Partners LLP"


def test_rows_blank_but_for_the_date_are_skipped_with_their_line(context: AppContext) -> None:
    parsed = context.importer.read(DATA / "Connections.csv")
    assert [line for line, _ in parsed.skipped] == [8, 11]
    assert all("no name" in reason for _, reason in parsed.skipped)


def test_connection_fields_map_to_the_contact(context: AppContext) -> None:
    contacts = {
        p.contact.name: p.contact for p in context.importer.read(DATA / "Connections.csv").contacts
    }
    jonas = contacts["Jonas Müller"]
    assert jonas.connected_on == date(2023, 3, 3)
    assert jonas.emails == ["jonas.mueller@example.de"]
    # The percent-encoded profile URL is stored in one canonical form, also its merge key.
    assert jonas.profile_url == "https://www.linkedin.com/in/jonas-müller-88"
    assert jonas.source == "linkedin" and jonas.source_key == jonas.profile_url
    # No location column: the contact waits for a location.
    assert jonas.location_text is None and jonas.location_status == LocationStatus.UNRESOLVED
    assert contacts["Ana Ferreira"].emails == []


def test_the_utf16_copy_reads_exactly_like_the_utf8_file(context: AppContext) -> None:
    utf8 = context.importer.read(DATA / "Connections.csv")
    utf16 = context.importer.read(DATA / "Connections-utf16.csv")
    assert [p.contact for p in utf16.contacts] == [p.contact for p in utf8.contacts]
    assert utf16.skipped == utf8.skipped


def test_a_file_ending_inside_a_quoted_cell_is_refused_as_truncated(tmp_path: Path) -> None:
    text = CONNECTIONS_HEADER + 'Ana,Ferreira,,,"Farfetch, Lis'
    with pytest.raises(ImportFileError, match=r"truncated"):
        parse_connections(text, "cut.csv")


def test_a_csv_without_the_connections_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"header is missing"):
        parse_connections("Name,Firm\nAna,Farfetch\n", "other.csv")


def test_an_unreadable_date_is_a_warning_not_a_lost_contact() -> None:
    parsed = parse_connections(CONNECTIONS_HEADER + "Ana,Ferreira,,,,,someday\n", "c.csv")
    assert parsed.contacts[0].contact.connected_on is None
    assert "someday" in parsed.warnings[0][1]


def test_invitations_become_pending_invitations(context: AppContext) -> None:
    parsed = context.importer.read(DATA / "Invitations.csv")
    assert parsed.format == "linkedin-invitations"
    first = parsed.invitations[0][1]
    assert (first.from_name, first.to_name, first.direction) == (
        "Luca Bianchi",
        "Sam Taylor",
        "INCOMING",
    )
    assert first.sent_at == datetime(2024, 1, 15, 10, 5, tzinfo=UTC)
    assert first.status == "pending"
    assert [i.direction for _, i in parsed.invitations] == ["INCOMING", "OUTGOING", "INCOMING"]


def test_invitations_are_stored_once(context: AppContext, tmp_path: Path) -> None:
    first = context.importer.run([DATA / "Invitations.csv"])[0]
    again = context.importer.run([DATA / "Invitations.csv"])[0]
    assert (first.created, again.created, again.unchanged) == (3, 0, 3)


def test_an_invitation_without_direction_is_skipped(tmp_path: Path, context: AppContext) -> None:
    path = write(
        tmp_path,
        "inv.csv",
        'From,To,Sent At,Message,Direction\nA B,C D,"1/2/24, 9:00 AM",,SIDEWAYS\n'
        'E F,G H,"1/2/24, 9:00 AM",,OUTGOING\n',
    )
    parsed = context.importer.read(path)
    assert len(parsed.invitations) == 1
    assert parsed.skipped[0][0] == 2 and "SIDEWAYS" in parsed.skipped[0][1]


def test_an_older_export_without_the_url_column_still_reads() -> None:
    text = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Ana,Ferreira,ana@example.pt,Farfetch,PM,20 Jan 2024,surplus cell\n"
        "Jo,Short\n"
    )
    parsed = parse_connections(text, "old.csv")
    ana, jo = (p.contact for p in parsed.contacts)
    assert ana.profile_url is None and ana.emails == ["ana@example.pt"]
    assert ana.connected_on == date(2024, 1, 20)
    assert (jo.name, jo.company, jo.connected_on) == ("Jo Short", None, None)


def test_profile_urls_are_canonical_but_keep_a_member_ids_case() -> None:
    assert linkedin_profile("linkedin.com/in/ana-f/") == "https://www.linkedin.com/in/ana-f"
    assert (
        linkedin_profile("http://de.linkedin.com/in/ACoAABx9?trk=abc")
        == "https://www.linkedin.com/in/ACoAABx9"
    )
    assert linkedin_profile("https://example.com/in/ana") is None
    assert linkedin_profile("https://www.linkedin.com/company/acme") is None


def test_a_connection_sets_only_the_fields_its_parser_names() -> None:
    """Storing them reads only ``ParsedFile.fields``: a field set but not named would be
    lost on the way to the database."""
    parsed = parse_connections((DATA / "Connections.csv").read_text("utf-8"), "Connections.csv")
    blank = vars(Contact(first_name=""))
    set_by_rows: set[str] = set()
    for item in parsed.contacts:
        differing = {k for k, v in vars(item.contact).items() if v != blank[k]}
        assert parsed.fields is not None and differing <= parsed.fields
        set_by_rows |= differing
    assert set_by_rows == parsed.fields  # the file fills every column, so every field is set


def test_each_row_with_a_date_not_understood_is_warned_about() -> None:
    """A date is read once however many rows share it; each row still says so."""
    rows = [
        "Ana,Lee,,,Acme,Founder,31 Foo 2024",
        "Ben,Okafor,,,Grab,CTO,20 Jan 2024",
        "Cy,Berg,,,Grab,CTO,31 Foo 2024",
        "Di,Lima,,,Grab,CTO,20 Jan 2024",
    ]
    parsed = parse_connections(CONNECTIONS_HEADER + "\n".join(rows) + "\n", "Connections.csv")
    assert parsed.warnings == [
        (2, "the date '31 Foo 2024' was not understood"),
        (4, "the date '31 Foo 2024' was not understood"),
    ]
    dates = [p.contact.connected_on for p in parsed.contacts]
    assert dates == [None, date(2024, 1, 20), None, date(2024, 1, 20)]


def test_the_keys_a_connection_is_read_with_are_its_merge_keys() -> None:
    """Merging takes the parser's keys where it found them: they must be ``merge_keys``."""
    from netplanner.services.importers.merging import merge_keys

    rows = [
        "Ana,Lee,https://www.linkedin.com/in/Ana-Lee/,Ana@Example.com,Acme,Founder,20 Jan 2024",
        "Ben,Okafor,linkedin.com/in/ben-o,,Grab,CTO,03 Mar 2023",
        "Cy,Berg,,cy@example.com,,,",
        "Di,Lima,https://example.com/di,not an address,,,",
        "Eve,Roe,https://www.linkedin.com/in/eve%2525roe,,,,",
    ]
    text = CONNECTIONS_HEADER + "\n".join(rows) + "\n"
    parsed = parse_connections(text, "Connections.csv")
    assert len(parsed.contacts) == 5
    for item in parsed.contacts:
        assert item.keys is None or item.keys == merge_keys(item.contact)
    assert [item.keys is None for item in parsed.contacts] == [False] * 4 + [True]
    assert parsed.contacts[0].keys == [
        "url:https://www.linkedin.com/in/ana-lee",
        "src:linkedin:https://www.linkedin.com/in/Ana-Lee",
        "email:ana@example.com",
    ]

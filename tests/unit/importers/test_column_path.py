"""A first import written from the parser's columns stores what merging row by row stores.

LinkedIn's parser hands its rows as columns (``ContactColumns``); where every row is a new
person and nothing needs checking or cutting, the import writes them without building a
Contact per row. Anything else (a row that matches someone, an escaped URL, a text too
long) takes the row-by-row path, and the database must not be able to tell which ran.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from netplanner.domain.contact_columns import ContactColumns
from netplanner.domain.entities import Contact, LocationStatus
from netplanner.services.context import AppContext, build_context
from netplanner.services.importers.linkedin import CONNECTION_FIELDS, parse_connections
from netplanner.services.importers.records import ParsedContact, ParsedFile
from netplanner.services.importers.service import ImportService
from tests.unit.importers.helpers import CONNECTIONS_HEADER, write

# Quotes, commas, a missing and an odd date, an address, a URL without its scheme, a page
# that is no LinkedIn profile, a row without a URL, a blank member and a short row.
_ROWS = (
    "Ana,Ferreira,https://www.linkedin.com/in/ana-f,,Farfetch,Senior PM,20 Jan 2024\n"
    'Priya,Raman,linkedin.com/in/priya/,Priya@Example.com,"Acme ""Rockets"" Inc.",'
    '"VP, Engineering",15 Nov 2022\n'
    "Chen,Wei,https://example.com/chen,chen@example.com,Stripe,,sometime\n"
    "Tom,O'Brien,,tom@example.ie,,Partner,\n"
    ",,,,,,08 Feb 2021\n"
    "Zoë,Çağlar,https://www.linkedin.com/in/zoe-c\n"
)
_COLUMNS = "SELECT * FROM contacts ORDER BY id"


def _stored(context: AppContext) -> list[dict[str, Any]]:
    """Every stored contact's columns but those an import sets from the clock."""
    with sqlite3.connect(context.db.sqlite_path) as connection:
        connection.row_factory = sqlite3.Row
        rows = [dict(row) for row in connection.execute(_COLUMNS)]
    for row in rows:
        assert row.pop("created_at") and row.pop("updated_at")
    return rows


def _no_contacts_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_: ContactColumns) -> list[Contact]:
        raise AssertionError("a Contact was built from the columns")

    monkeypatch.setattr(ContactColumns, "contacts", refuse)


def _import(tmp_path: Path, name: str, text: str) -> tuple[AppContext, Any]:
    context = build_context(tmp_path / name)
    report = context.importer.run([write(tmp_path, f"{name}.csv", CONNECTIONS_HEADER + text)])[0]
    return context, report


def test_the_columns_store_what_merging_row_by_row_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(ImportService, "_as_columns", staticmethod(lambda *_: False))
        by_rows, by_rows_report = _import(tmp_path, "rows", _ROWS)
    with monkeypatch.context() as patch:
        _no_contacts_built(patch)
        by_columns, report = _import(tmp_path, "columns", _ROWS)
    try:
        assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
        assert report.warnings == by_rows_report.warnings
        assert [w for _, w in report.warnings] == [
            "'https://example.com/chen' is not a LinkedIn profile URL",
            "the date 'sometime' was not understood",
        ]
        assert report.skipped == by_rows_report.skipped
        stored = _stored(by_columns)
        assert stored == _stored(by_rows)
        priya = stored[1]
        assert priya["profile_url"] == "https://www.linkedin.com/in/priya"
        assert priya["source_key"] == priya["profile_url"]
        assert priya["emails"] == '["Priya@Example.com"]'
        assert priya["company"] == 'Acme "Rockets" Inc.'
        assert stored[2]["connected_on"] is None and stored[2]["profile_url"] is None
        assert stored[4]["first_name"] == "Zoë" and stored[4]["company"] is None
        assert {row["import_digest"] is not None for row in stored} == {True}
        ana = by_columns.contact_repo.get(stored[0]["id"])
        assert ana.connected_on == date(2024, 1, 20)
        assert ana.location_status is LocationStatus.UNRESOLVED
    finally:
        by_rows.close()
        by_columns.close()


def test_importing_the_file_again_builds_no_contact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, _ = _import(tmp_path, "again", _ROWS)
    try:
        before = _stored(context)
        _no_contacts_built(monkeypatch)
        report = context.importer.run([tmp_path / "again.csv"])[0]
        assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
        assert _stored(context) == before
    finally:
        context.close()


def test_a_changed_row_alone_becomes_a_contact_when_imported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, _ = _import(tmp_path, "changed", _ROWS)
    built: list[str] = []
    contacts = ContactColumns.contacts

    def spy(columns: ContactColumns, rows: Any = None) -> list[Contact]:
        made = contacts(columns, rows)
        built.extend(c.first_name for c in made)
        return made

    monkeypatch.setattr(ContactColumns, "contacts", spy)
    try:
        again = write(tmp_path, "again.csv", CONNECTIONS_HEADER + _ROWS.replace("Senior PM", "CPO"))
        report = context.importer.run([again])[0]
        assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
        assert built == ["Ana"]
        assert [r["position"] for r in _stored(context)][:2] == ["CPO", "VP, Engineering"]
    finally:
        context.close()


@pytest.mark.parametrize(
    ("rows", "created"),
    [
        # The same person twice in one file: merged into one.
        (
            "Ana,F,https://www.linkedin.com/in/ana,,A,,\nAna,F,https://www.linkedin.com/in/ana,,,B,\n",
            1,
        ),
        # Namesakes without a profile URL or an address: one person or two is for
        # merging to say (two, at different companies).
        ("Chen,Wei,,,Stripe,,\nChen,Wei,,,Adyen,,\n", 2),
        # An escaped URL (its keys are found again after decoding).
        ("Jonas,M,https://www.linkedin.com/in/jonas-m%C3%BCller,,,,\n", 1),
        # A company longer than the database holds: cut, with a warning.
        (f"Long,Name,https://www.linkedin.com/in/long,,{'x' * 301},,\n", 1),
    ],
)
def test_rows_the_columns_cannot_say_are_merged_row_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: str, created: int
) -> None:
    taken: list[bool] = []
    as_columns = ImportService._as_columns

    def spy(*args: Any) -> bool:
        taken.append(as_columns(*args))
        return taken[-1]

    monkeypatch.setattr(ImportService, "_as_columns", staticmethod(spy))
    context, report = _import(tmp_path, "odd", rows)
    try:
        assert taken == [False]
        assert report.created == created == context.contacts.count()
        stored = _stored(context)
        assert all(len(row["company"] or "") <= 300 for row in stored)
        assert {r["source"] for r in stored} == {"linkedin"}
    finally:
        context.close()


def test_a_row_matching_a_stored_contact_updates_it(tmp_path: Path) -> None:
    context, _ = _import(tmp_path, "known", "Ana,F,https://www.linkedin.com/in/ana,,A,,\n")
    try:
        later = write(
            tmp_path,
            "later.csv",
            CONNECTIONS_HEADER + "Ana,F,https://www.linkedin.com/in/ana,,A,CTO,\n"
            "Ben,G,https://www.linkedin.com/in/ben,,,,\n",
        )
        report = context.importer.run([later])[0]
        assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
        assert sorted((r["first_name"], r["position"]) for r in _stored(context)) == [
            ("Ana", "CTO"),
            ("Ben", None),
        ]
    finally:
        context.close()


def test_the_parsed_columns_become_records_once_and_only_when_asked() -> None:
    parsed = parse_connections(CONNECTIONS_HEADER + _ROWS, "c.csv")
    assert parsed.columns is not None
    assert set(parsed.columns.values.columns) == CONNECTION_FIELDS == parsed.fields
    assert parsed.count == 5 and len(parsed.digests()) == 5
    assert parsed.columns is not None  # counting and digests built nothing
    records = parsed.contacts
    assert parsed.columns is None and parsed.contacts is records
    assert [r.line for r in records] == [2, 3, 4, 5, 7]
    assert [r.contact.name for r in records][-1] == "Zoë Çağlar"
    assert records[1].contact.emails == ["Priya@Example.com"]
    assert records[0].contact.emails is not records[2].contact.emails
    assert records[0].keys == [
        "url:https://www.linkedin.com/in/ana-f",
        "src:linkedin:https://www.linkedin.com/in/ana-f",
    ]


def test_columns_beside_records_are_never_taken_for_the_whole_file() -> None:
    columns = parse_connections(CONNECTIONS_HEADER + _ROWS, "c.csv").columns
    assert columns is not None
    extra = ParsedContact(9, Contact(first_name="Extra"), None, [])
    parsed = ParsedFile("linkedin", columns=columns, _contacts=[extra])
    assert parsed.only_columns is None and parsed.count == 6
    assert parsed.digests()[-1] is None
    assert [r.contact.first_name for r in parsed.contacts][-2:] == ["Zoë", "Extra"]


def test_contact_columns_are_contacts_a_field_at_a_time() -> None:
    columns = ContactColumns({"first_name": ["Ana", "Ben"], "emails": [["a@x.io"], []]}, 2)
    ana, ben = columns.contacts()
    assert ana == Contact(first_name="Ana", emails=["a@x.io"])
    assert ben == Contact(first_name="Ben")
    assert ana.tags is not ben.tags  # each list default its own
    assert columns.contacts()[0] is not ana
    with pytest.raises(TypeError, match="no field"):
        ContactColumns({"first_name": ["A"], "nickname": ["B"]}, 1)
    with pytest.raises(TypeError, match="first_name column"):
        ContactColumns({"last_name": ["Lee"]}, 1)
    with pytest.raises(ValueError, match="one value per contact"):
        ContactColumns({"first_name": ["A", "B"], "last_name": ["C"]}, 2)

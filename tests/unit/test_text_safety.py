"""Terminal escapes, bidi overrides and line breaks in names: kept out and never printed raw.

Issue 14, defect 10: a name holding ``ESC]0;…BEL ESC[31m`` retitled and recoloured the
terminal of whoever listed the contacts, and U+202E or CR/LF broke the table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from netplanner.domain.entities import Contact
from netplanner.domain.sanity import clean_text
from netplanner.services.context import AppContext
from netplanner.services.importers.normalise import check_record

HOSTILE = "Eve\x1b]0;pwned\x07\x1b[31m\u202eRed\r\nLine"
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e", "\r")


def test_a_hostile_name_stored_raw_is_shown_escaped_and_the_table_keeps_its_rows(
    context: AppContext, cli: Any
) -> None:
    context.contact_repo.add(Contact(HOSTILE, "Tester\u2066x", company="Acme\x9b2J"))
    context.contact_repo.add(Contact("Plain", "Person"))
    context.close()  # the command opens the database itself

    result = cli("contacts")

    assert result.code == 0, result.stderr
    for character in (*UNSAFE, "\u2066"):
        assert character not in result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 4, lines  # header, two rows, the count: no row split by CR/LF
    assert lines[-1] == "2 contacts"
    assert "\\x1b]0;pwned" in result.stdout  # shown, so the user sees what is there
    assert "\\u202e" in result.stdout


def test_hand_edits_store_names_without_controls_and_notes_keep_their_lines(
    context: AppContext,
) -> None:
    stored = context.contact_repo.add(Contact("Ada"))
    edited = Contact(HOSTILE, "Love\u202elace", notes="first\r\nsecond\x1b[2J\tend", id=stored.id)

    context.contacts.update(edited, ["first_name", "last_name", "notes"])

    saved = context.contacts.get(stored.id or 0)
    assert saved.first_name == "EveRed Line"
    assert saved.last_name == "Lovelace"
    assert saved.notes == "first\nsecond\tend"


def test_a_location_typed_by_hand_is_stored_clean(context: AppContext) -> None:
    stored = context.contact_repo.add(Contact("Ada"))
    context.contacts.set_location(stored, "Lisbon\x1b[31m\u202e", None)
    assert context.contacts.get(stored.id or 0).location_text == "Lisbon"


@pytest.mark.parametrize(
    ("raw", "multiline", "clean"),
    [
        ("Ana\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\", False, "Analink"),  # hyperlink
        ("A\x9d0;title\x9cB\x9b31mC", False, "ABC"),  # the C1 forms of OSC and CSI
        ("x\u2067y\u2069z\u202a", False, "xyz"),
        ("a\tb\nc", False, "a b c"),
        ("a\tb\r\nc\x00\x7f", True, "a\tb\nc"),
        ("Zoë Ó Briain — 東京", False, "Zoë Ó Briain — 東京"),  # ordinary text is left alone
    ],
)
def test_clean_text(raw: str, multiline: bool, clean: str) -> None:
    assert clean_text(raw, multiline) == clean


def test_check_record_cleans_a_contact_and_says_which_fields_changed() -> None:
    contact = Contact(
        HOSTILE, company="Acme", notes="one\ntwo\x07", tags=["ok", "bad\x1b[1m"], emails=["a@b.c"]
    )
    refused, notes = check_record(contact)
    assert refused is None
    assert (contact.first_name, contact.notes, contact.tags) == (
        "EveRed Line",
        "one\ntwo",
        ["ok", "bad"],
    )
    assert contact.company == "Acme"
    assert notes == ["control characters were removed from the first name, the notes and the tags"]


CSV_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def test_an_imported_csv_name_is_stored_without_escapes(
    context: AppContext, tmp_path: Path
) -> None:
    csv = tmp_path / "Connections.csv"
    row = 'Eve\x1b]0;pwned\x07\x1b[31m,"Red\u202e\r\nLine",,,Acme,CTO,20 Jan 2024\n'
    others = "".join(f"Person,Number{n},,,Acme,Engineer,20 Jan 2024\n" for n in range(200))
    csv.write_text(CSV_HEADER + others + row, encoding="utf-8", newline="")
    report = context.importer.run([csv])[0]
    stored = next(
        c for c in context.contact_repo.list() if c.company == "Acme" and c.position == "CTO"
    )
    assert (stored.first_name, stored.last_name) == ("Eve", "Red Line")
    assert any("control characters" in w for w in report.warning_texts())


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # A clean file but for one cell that spans two lines.
        ('Ann,Lee,,,Acme,"Head of\nSales",20 Jan 2024\n', ("Ann", "Lee", "Head of Sales")),
        # A clean file but for a profile URL whose escape decodes to a control character.
        (
            "Ann,Lee,https://www.linkedin.com/in/ann%1B%5B31m,,Acme,Sales,20 Jan 2024\n",
            ("Ann", "Lee", "Sales"),
        ),
    ],
)
def test_an_unsafe_cell_in_an_otherwise_clean_file_is_still_cleaned(
    context: AppContext, tmp_path: Path, cells: str, expected: tuple[str, str, str]
) -> None:
    csv = tmp_path / "Connections.csv"
    others = "".join(f"Person,Number{n},,,Acme,Engineer,20 Jan 2024\n" for n in range(50))
    csv.write_text(CSV_HEADER + others + cells, encoding="utf-8", newline="")
    context.importer.run([csv])
    (stored,) = [c for c in context.contact_repo.list() if c.first_name == "Ann"]
    assert (stored.first_name, stored.last_name, stored.position) == expected
    for value in (stored.position, stored.profile_url, stored.source_key):
        assert not any(mark in (value or "") for mark in UNSAFE), value


def test_an_imported_json_name_is_stored_without_escapes(
    context: AppContext, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    document = {
        "format": "netplanner",
        "version": 1,
        "contacts": [{"first_name": HOSTILE, "id": 1}],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    context.importer.run([path])
    (stored,) = context.contact_repo.list()
    assert stored.first_name == "EveRed Line"

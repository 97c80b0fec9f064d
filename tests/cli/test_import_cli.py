"""``netplanner import`` and ``netplanner export json|csv`` as a user runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.unit.importers.helpers import DATA

CONNECTIONS = str(DATA / "Connections.csv")
VCARD = str(DATA / "contacts.vcf")


def test_import_json_is_one_object_for_one_file(cli: Any) -> None:
    result = cli("import", CONNECTIONS, "--json")
    assert result.code == 0, result.stderr
    document = result.json()
    assert document["format"] == "linkedin"
    assert (document["created"], document["updated"], document["unchanged"]) == (6, 0, 0)
    assert document["skipped"] == [
        {
            "line": 8,
            "reason": "the row has no name (LinkedIn leaves out members who hide their data)",
        },
        {
            "line": 11,
            "reason": "the row has no name (LinkedIn leaves out members who hide their data)",
        },
    ]


def test_import_json_is_a_list_for_several_files_and_reimport_creates_nothing(
    cli: Any,
) -> None:
    first = cli("import", CONNECTIONS, VCARD, "--json")
    assert first.code == 0, first.stderr
    assert [d["created"] for d in first.json()] == [6, 4]
    assert first.json()[1]["skipped"][0]["line"] == 54
    again = cli("import", CONNECTIONS, VCARD, "--json")
    assert [(d["created"], d["updated"], d["unchanged"]) for d in again.json()] == [
        (0, 0, 6),
        (0, 0, 4),
    ]
    contacts = cli("contacts", "--json").json()
    assert len(contacts) == 10


def test_dry_run_writes_nothing(cli: Any) -> None:
    result = cli("import", CONNECTIONS, "--dry-run", "--json")
    assert result.json()["created"] == 6
    assert cli("contacts", "--json").json() == []


def test_explicit_format_is_accepted(cli: Any) -> None:
    result = cli("import", VCARD, "--format", "vcard", "--json")
    assert result.code == 0 and result.json()["format"] == "vcard"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"milk\neggs\n", "is not a LinkedIn, vCard"),
        (
            b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            b'Ana,Ferreira,,,"Farfetch, Lis',
            "truncated",
        ),
    ],
    ids=["empty", "binary", "unknown", "truncated"],
)
def test_an_unreadable_file_exits_3_naming_it_and_writes_nothing(
    cli: Any, tmp_path: Path, content: bytes, problem: str
) -> None:
    bad = tmp_path / "bad-export.csv"
    bad.write_bytes(content)
    result = cli("import", CONNECTIONS, str(bad), "--json")
    assert result.code == 3
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad-export.csv" in lines[0] and problem in lines[0]
    assert "Traceback" not in result.stderr
    assert cli("contacts", "--json").json() == []


def test_a_missing_file_exits_3(cli: Any, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "nope.vcf"))
    assert result.code == 3 and "nope.vcf does not exist" in result.stderr


def test_human_output_lists_counts_and_skipped_lines(cli: Any) -> None:
    result = cli("import", VCARD)
    assert result.code == 0
    assert "4 created" in result.stdout and "line 54: skipped" in result.stdout


def test_export_json_reimports_into_a_fresh_database(cli: Any, tmp_path: Path) -> None:
    assert cli("demo").code == 0
    out = tmp_path / "network.json"
    exported = cli("export", "json", "-o", str(out), "--json")
    assert exported.code == 0, exported.stderr
    assert exported.json()["contacts"] == 150
    fresh = tmp_path / "fresh"
    imported = cli("import", str(out), "--json", data=fresh)
    assert imported.json()["format"] == "netplanner-json"
    assert len(cli("contacts", "--json", data=fresh).json()) == 150
    same = cli("import", str(out), "--json")
    assert (same.json()["created"], same.json()["updated"]) == (0, 0)


def test_export_csv_writes_the_contacts(cli: Any, tmp_path: Path) -> None:
    cli("import", CONNECTIONS)
    out = tmp_path / "contacts.csv"
    result = cli("export", "csv", "-o", str(out))
    assert result.code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("First Name,Last Name,Company")
    assert '"Acme ""Rockets"" Inc."' in text

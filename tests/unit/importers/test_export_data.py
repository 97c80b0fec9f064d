"""The JSON export re-imports as the same network; the CSV export is spreadsheet-safe."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from netplanner.domain.entities import Contact
from netplanner.services.context import AppContext, build_context
from netplanner.services.data_export import DataExporter, spreadsheet_safe
from tests.unit.importers.helpers import DATA

_VOLATILE = {"id", "created_at", "updated_at", "done_at", "exported_at"}


def _export(context: AppContext, path: Path) -> dict[str, Any]:
    DataExporter(context.importer.repo).export_json(path)
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    return {
        key: [{k: v for k, v in item.items() if k not in _VOLATILE} for item in value]
        if isinstance(value, list)
        else value
        for key, value in document.items()
        if key not in _VOLATILE
    }


def test_json_export_into_a_fresh_database_reproduces_the_network(
    demo_context: AppContext, tmp_path: Path
) -> None:
    original = _export(demo_context, tmp_path / "network.json")
    assert original["format"] == "netplanner" and len(original["contacts"]) == 150
    fresh = build_context(tmp_path / "fresh")
    try:
        report = fresh.importer.run([tmp_path / "network.json"])[0]
        assert report.format == "netplanner-json" and report.skipped == []
        copy = _export(fresh, tmp_path / "copy.json")
    finally:
        fresh.close()
    assert _comparable(copy) == _comparable(original)


def test_json_export_into_the_same_database_creates_nothing(
    demo_context: AppContext, tmp_path: Path
) -> None:
    _export(demo_context, tmp_path / "network.json")
    before = demo_context.contact_repo.list()
    report = demo_context.importer.run([tmp_path / "network.json"])[0]
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged > 150
    assert demo_context.contact_repo.list() == before
    assert len(demo_context.meeting_repo.list()) == 25


def test_a_damaged_record_is_skipped_and_the_rest_imported(
    demo_context: AppContext, tmp_path: Path
) -> None:
    document = _export(demo_context, tmp_path / "network.json")
    document["contacts"][3]["connected_on"] = "the third of May"
    (tmp_path / "edited.json").write_text(json.dumps(document), encoding="utf-8")
    parsed = demo_context.importer.read(tmp_path / "edited.json")
    assert len(parsed.contacts) == 149
    assert "contacts #4" in parsed.skipped[0][1] and "connected_on" in parsed.skipped[0][1]


def test_csv_export_neutralises_formulas(context: AppContext, tmp_path: Path) -> None:
    context.contact_repo.add(
        Contact(
            first_name='=HYPERLINK("http://evil.example","click")',
            last_name="+1",
            company="@SUM(A1:A9)",
            position="-2+3",
            notes="plain note",
            lat=-33.86,
            lon=151.2,
        )
    )
    path = tmp_path / "contacts.csv"
    assert DataExporter(context.importer.repo).export_csv(path) == 1
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = rows[0]
    assert row["First Name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["Last Name"] == "'+1"
    assert row["Company"] == "'@SUM(A1:A9)"
    assert row["Position"] == "'-2+3"
    assert row["Notes"] == "plain note"
    assert row["Latitude"] == "-33.860000"  # a number, not text with an apostrophe


def test_spreadsheet_safe_leaves_ordinary_text_alone() -> None:
    assert spreadsheet_safe("Ana Ferreira") == "Ana Ferreira"
    assert spreadsheet_safe("=1+1") == "'=1+1"


def test_dry_run_of_a_json_export_counts_everything_and_writes_nothing(
    demo_context: AppContext, tmp_path: Path
) -> None:
    _export(demo_context, tmp_path / "network.json")
    fresh = build_context(tmp_path / "fresh")
    try:
        preview = fresh.importer.preview([tmp_path / "network.json"])[0]
        assert fresh.contacts.count() == 0
        assert fresh.meeting_repo.list() == []
        real = fresh.importer.run([tmp_path / "network.json"])[0]
    finally:
        fresh.close()
    # contacts, venues, trips, meetings, debriefs, follow-ups, targets, invitations
    assert preview.created == real.created == 150 + 52 + 3 + 25 + 20 + 6 + 3 + 50


def test_invitations_travel_in_the_json_export(context: AppContext, tmp_path: Path) -> None:
    context.importer.run([DATA / "Invitations.csv"])
    document = _export(context, tmp_path / "network.json")
    assert len(document["invitations"]) == 3
    fresh = build_context(tmp_path / "fresh")
    try:
        first = fresh.importer.run([tmp_path / "network.json"])[0]
        again = fresh.importer.run([tmp_path / "network.json"])[0]
        keys = fresh.importer.repo.invitation_keys()
    finally:
        fresh.close()
    assert (first.created, again.created, again.unchanged) == (3, 0, 3)
    assert keys == context.importer.repo.invitation_keys()

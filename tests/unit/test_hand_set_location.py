"""A location set by hand, from the window or the command line: one use case, one marker."""

from __future__ import annotations

import json
from pathlib import Path

from netplanner.domain.entities import LOCATION_EDITED, Contact, LocationStatus, hand_edit_markers
from netplanner.services.context import AppContext, build_context
from netplanner.services.data_export import DataExporter
from tests.unit.importers.helpers import DATA, by_name

GOOGLE = DATA / "google.csv"  # Sofia Rossi in Milano, Kenji Watanabe in Tokyo


def _imported(context: AppContext) -> tuple[Contact, Contact]:
    context.importer.run([GOOGLE])
    people = by_name(context)
    return people["Sofia Rossi"], people["Kenji Watanabe"]


def test_window_and_command_line_hand_sets_leave_the_same_marks(context: AppContext) -> None:
    sofia, kenji = _imported(context)
    turin = context.geocoding.lookup("Turin").best
    assert turin is not None
    by_window = context.contacts.set_location(sofia, "Turin", turin)
    by_command = context.geocoding.set_location(kenji.id or 0, "Turin").contact
    assert by_window.edited_fields == by_command.edited_fields == [LOCATION_EDITED]
    for contact in (by_window, by_command):
        assert contact.location_status is LocationStatus.MANUAL
        assert (contact.location_text, contact.lat, contact.lon) == ("Turin", turin.lat, turin.lon)
        assert contact.timezone == "Europe/Rome"


def test_a_reimport_overwrites_neither_hand_set_location(context: AppContext) -> None:
    sofia, kenji = _imported(context)
    turin = context.geocoding.lookup("Turin").best
    context.contacts.set_location(sofia, "Turin", turin)
    context.geocoding.set_location(kenji.id or 0, "Osaka")
    report = context.importer.run([GOOGLE])[0]
    assert report.updated == 0
    people = by_name(context)
    assert people["Sofia Rossi"].location_text == "Turin"
    assert people["Kenji Watanabe"].location_text == "Osaka"


def test_a_place_kept_as_text_survives_geocoding_and_a_reimport(context: AppContext) -> None:
    """Typed but not chosen: geocoding may place it later, an import still must not undo it."""
    sofia, _ = _imported(context)
    context.contacts.set_location(sofia, "Turin", None)
    context.geocoding.geocode_all()
    located = by_name(context)["Sofia Rossi"]
    assert located.location_status is LocationStatus.FOUND
    context.importer.run([GOOGLE])
    again = by_name(context)["Sofia Rossi"]
    assert (again.location_text, again.lat) == ("Turin", located.lat)


def test_editing_a_location_field_marks_the_location_as_a_whole(context: AppContext) -> None:
    stored = context.contact_repo.add(Contact("Ada", location_text="Londn"))
    stored.location_text = "London"
    saved = context.contacts.update(stored, ["location_text", "company"])
    assert saved.edited_fields == [LOCATION_EDITED, "company"]


def test_old_markers_are_read_as_the_one_location_marker() -> None:
    assert hand_edit_markers(["company", "lat", "location_text", "location"]) == [
        "company",
        LOCATION_EDITED,
    ]
    assert hand_edit_markers(["notes"]) == ["notes"]


def test_an_older_export_with_old_markers_still_protects_the_location(
    tmp_path: Path, context: AppContext
) -> None:
    """An export written before the one marker names the fields; its import reads them as one."""
    sofia, _ = _imported(context)
    context.contacts.set_location(sofia, "Turin", None)
    export = tmp_path / "network.json"
    DataExporter(context.importer.repo).export_json(export)
    document = json.loads(export.read_text(encoding="utf-8"))
    for contact in document["contacts"]:
        if contact["first_name"] == "Sofia":
            contact["edited_fields"] = ["location_text", "lat", "lon"]  # as the window wrote
    export.write_text(json.dumps(document), encoding="utf-8")
    fresh = build_context(tmp_path / "fresh")
    try:
        fresh.importer.run([export])
        assert by_name(fresh)["Sofia Rossi"].edited_fields == [LOCATION_EDITED]
        fresh.importer.run([GOOGLE])
        assert by_name(fresh)["Sofia Rossi"].location_text == "Turin"
    finally:
        fresh.close()

"""Plan in the real window, as a screen reader drives it: a trip, who is near, the map."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.e2e.atspi_client import AtspiClient, Node, wait_for
from tests.e2e.running_app import RunningApp
from tests.e2e.window_parts import show_workspace

TRIP = "Lisbon December 2026"
FIRST = "João Silva"
HIS_REASON = "6.1 km from your hotel"


def _where(ui: AtspiClient, page: Node) -> Node:
    return ui.wait_find("Where will you be?", "list", within=page, showing=True)


def _choose(ui: AtspiClient, where: Node, starting: str) -> None:
    items = ui.children(where)
    index = next((i for i, item in enumerate(items) if item.name.startswith(starting)), None)
    assert index is not None, f"no {starting!r} among {[item.name for item in items]}"
    ui.select_child(where, index)


def _table(ui: AtspiClient, page: Node) -> Node:
    return ui.wait_find("Suggestions", "table", within=page, showing=True)


def _map_says(ui: AtspiClient, page: Node) -> str:
    return ui.describe(ui.wait_find("Map", within=page, showing=True)).description


def test_the_lisbon_trip_puts_joao_first_with_his_reason_and_on_the_map(
    window: RunningApp,
) -> None:
    ui = window.ui
    page = show_workspace(ui, "Plan")
    _choose(ui, _where(ui, page), TRIP)
    table = _table(ui, page)
    name, why = ui.column_of(table, "Name"), ui.column_of(table, "Why")
    wait_for(lambda: ui.table_cell(table, 0, name) == FIRST, 10, f"{FIRST} first for {TRIP}")
    assert HIS_REASON in ui.table_cell(table, 0, why)
    ui.select_row(table, 0)
    wait_for(
        lambda: f"{FIRST} highlighted" in _map_says(ui, page),
        10,
        lambda: f"the map to highlight {FIRST}; it says {_map_says(ui, page)!r}",
    )


def test_target_companies_only_narrows_the_list_and_the_map(window: RunningApp) -> None:
    ui = window.ui
    page = show_workspace(ui, "Plan")
    table = _table(ui, page)
    before = ui.row_count(table)
    ui.press(ui.wait_find("Target companies only", "check box", within=page, showing=True))
    wait_for(lambda: 0 < ui.row_count(table) < before, 10, "the list to narrow")
    rows = ui.row_count(table)
    wait_for(
        lambda: _map_says(ui, page).startswith(f"{rows} contact"),
        10,
        lambda: f"the map to show the {rows} left; it says {_map_says(ui, page)!r}",
    )
    ui.press(ui.wait_find("Target companies only", "check box", within=page, showing=True))
    wait_for(lambda: ui.row_count(table) == before, 10, "the list to widen again")


def test_a_trip_added_through_the_dialog_is_listed(window: RunningApp) -> None:
    ui = window.ui
    page = show_workspace(ui, "Plan")
    ui.press(ui.wait_find("Add a trip", "push button", within=page, showing=True))
    dialog = ui.wait_find("Add a trip", "dialog", showing=True)
    ui.set_text(ui.wait_find("Place", "text", within=dialog), "Porto, Portugal")
    ui.set_text(ui.wait_find("Trip name", "text", within=dialog), "Porto for the port")
    ui.press(ui.wait_find("Save", "push button", within=dialog))
    where = _where(ui, page)
    wait_for(
        lambda: any(item.name.startswith("Porto for the port") for item in ui.children(where)),
        10,
        "the new trip in 'Where will you be?'",
    )


def _calendar_file(folder: Path) -> Path:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//netplanner e2e//trips//EN")
    calendar.add("version", "2.0")
    start = date.today() + timedelta(days=45)
    for uid, summary, first, days in (
        ("e2e-valencia-1", "Valencia summit", start, 2),
        ("e2e-valencia-2", "Valencia: customer visits", start + timedelta(days=2), 1),
    ):
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("summary", summary)
        event.add("dtstart", first)
        event.add("dtend", first + timedelta(days=days))
        event.add("location", "Valencia, Spain")
        calendar.add_component(event)
    path = folder / "trips.ics"
    path.write_bytes(calendar.to_ical())
    return path


def test_a_trip_imported_from_a_calendar_file_is_listed(window: RunningApp, tmp_path: Path) -> None:
    ui = window.ui
    path = _calendar_file(tmp_path)
    page = show_workspace(ui, "Plan")
    ui.press(ui.wait_find("Import trips from a calendar", "push button", within=page))
    chooser = ui.wait_find("Trips from a calendar", "dialog", showing=True)
    name = next(
        node for node in ui.find(role="text", within=chooser, showing=True)
        if "file name" in node.name.lower() or node.object_name == "fileNameEdit"
    )  # fmt: skip
    ui.set_text(name, str(path))
    ui.press(ui.wait_find("Open", "push button", within=chooser))
    preview = ui.wait_find("Trips from a calendar", "dialog", showing=True)
    run = ui.wait_find("Import trips", "push button", within=preview)
    wait_for(lambda: "sensitive" in ui.describe(run).states, 10, "the preview to finish")
    ui.press(run)
    where = _where(ui, page)
    wait_for(
        lambda: any(item.name.startswith("Valencia summit") for item in ui.children(where)),
        10,
        "the imported trip (two events in Valencia, one trip) in 'Where will you be?'",
    )

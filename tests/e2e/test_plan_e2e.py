"""Plan in the real window, as a screen reader drives it: a trip, who is near, the map."""

from __future__ import annotations

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

"""The real window, driven as a screen reader drives it: find by name, select, press, read.

The tests share one window (the ``window`` fixture of the module) and run in file order; each
leaves the window where the next one can start from any workspace.
"""

from __future__ import annotations

from tests.e2e.atspi_client import wait_for
from tests.e2e.running_app import RunningApp
from tests.e2e.window_parts import (
    contact_name_label,
    contacts_table,
    name_in,
    show_workspace,
    wait_for_contact_name,
    wait_for_workspace,
    workspace_titles,
)

# The demo network has one João (checked below against the command line, so a changed demo
# says so instead of failing obscurely).
ONE_CONTACT_QUERY = "João"
ONE_CONTACT_NAME = "João Silva"
COLUMNS = ["Name", "Company", "Position", "Location", "From home", "Last met", "Stage"]


def test_window_is_titled_and_lists_its_workspaces(window: RunningApp) -> None:
    ui = window.ui
    assert window.frame().name == "NetPlanner"
    titles = workspace_titles(ui)
    assert titles[:2] == ["Today", "Contacts"], titles


def test_ctrl_1_shows_today_and_ctrl_2_contacts(window: RunningApp) -> None:
    ui = window.ui
    ui.activate()
    ui.key("Ctrl+2")
    wait_for_workspace(ui, "Contacts")
    ui.key("Ctrl+1")
    wait_for_workspace(ui, "Today")


def test_filter_narrows_the_table_to_one_contact_shown_in_the_detail_panel(
    window: RunningApp,
) -> None:
    ui = window.ui
    matching = [name for name in window.contact_names if ONE_CONTACT_QUERY in name]
    assert matching == [ONE_CONTACT_NAME], f"the demo's {ONE_CONTACT_QUERY}s are {matching}"
    page = show_workspace(ui, "Contacts")
    table = contacts_table(ui, page)
    assert ui.table_shape(table)["headers"] == COLUMNS

    ui.set_text(ui.wait_find("Filter contacts", "text", within=page), ONE_CONTACT_QUERY)

    wait_for(lambda: ui.row_count(table) == 1, 10, "the table to narrow to one row")
    assert ui.table_cell(table, 0, ui.column_of(table, "Name")) == ONE_CONTACT_NAME
    wait_for_contact_name(ui, page, ONE_CONTACT_NAME)


def test_selecting_a_row_shows_that_contact_in_the_detail_panel(window: RunningApp) -> None:
    ui = window.ui
    page = show_workspace(ui, "Contacts")
    ui.set_text(ui.wait_find("Filter contacts", "text", within=page), "")
    table = contacts_table(ui, page)
    wait_for(lambda: ui.row_count(table) == len(window.contacts), 10, "the filter to clear")
    name_column = ui.column_of(table, "Name")
    shown = ui.text_of(contact_name_label(ui, page))
    row = next(r for r in range(1, 10) if ui.table_cell(table, r, name_column) != shown)
    expected = ui.table_cell(table, row, name_column)

    ui.select_row(table, row)

    wait_for_contact_name(ui, page, expected)


def test_opening_a_debrief_due_shows_the_meeting_in_meetings(window: RunningApp) -> None:
    ui = window.ui
    ui.activate()
    ui.key("Ctrl+1")
    today = wait_for_workspace(ui, "Today")
    debriefs = ui.wait_find("Debrief due", "list", within=today)
    items = wait_for(
        lambda: [i for i in ui.children(debriefs) if i.role == "list item" and i.name],
        10,
        "a meeting in 'Debrief due' (the demo has past meetings without a debrief)",
    )
    index, contact = next(
        (
            (n, name)
            for n, item in enumerate(items)
            if (name := name_in(item.name, window.contact_names))
        ),
        (-1, None),
    )
    assert contact is not None, f"no demo contact named in {[i.name for i in items]}"

    ui.select_child(debriefs, items[index].path[-1])
    ui.press(ui.wait_find("Open meeting to debrief", "push button", within=today))

    meetings = wait_for_workspace(ui, "Meetings")
    details = ui.wait_find("Meeting details", "label", within=meetings, showing=True)
    wait_for(
        lambda: contact in ui.text_of(details),
        10,
        lambda: f"Meetings to show {contact}'s meeting; it says {ui.text_of(details)!r}",
    )
    ui.wait_find("Debrief", "push button", within=meetings, showing=True)

"""The meeting loop in the real window, as a screen reader drives it (issue 12, "Done when").

Plan → the Lisbon trip → João Silva → Plan a coffee… → the first venue and free time → the
drafted invitation passes the check and a pitch is flagged → Save → Export .ics (parsed) →
Meetings lists it; then a past meeting: Debrief → Briefing shows it → Save as PDF.

The tests share one window (the module's ``window``) and run in file order.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from tests.e2e.atspi_client import AtspiClient, Node, wait_for
from tests.e2e.meeting_parts import (
    choose_item,
    dialog,
    save_through_file_dialog,
    status_bar_says,
    wait_enabled,
    wait_gone,
    wait_says,
)
from tests.e2e.running_app import RunningApp
from tests.e2e.window_parts import show_workspace

TRIP = "Lisbon "  # "Lisbon December 2026": the demo puts the trip 12 days after its today
HIM = "João Silva"
PLANNER = f"Plan a coffee with {HIM}"
PITCH = "our product can boost your sales"
ALL_WELL = "No warnings"
# "Sun 13 Dec 09:00 Lisbon time · 10:00 your time (Berlin)"
SLOT = re.compile(r"(?P<day>\w{3}) (?P<date>\d{1,2} \w{3}) (?P<time>\d{2}:\d{2}) Lisbon time")
TRIP_YEAR = re.compile(r"\b(20\d\d)\b")


def _open_planner(ui: AtspiClient) -> tuple[Node, str]:
    """Plan → the Lisbon trip → João first → Plan a coffee…; the planner and the trip's text."""
    page = show_workspace(ui, "Plan")
    where = ui.wait_find("Where will you be?", "list", within=page, showing=True)
    items = ui.children(where)
    index = next((i for i, item in enumerate(items) if item.name.startswith(TRIP)), None)
    assert index is not None, f"no Lisbon trip among {[item.name for item in items]}"
    ui.select_child(where, index)
    table = ui.wait_find("Suggestions", "table", within=page, showing=True)
    name = ui.column_of(table, "Name")
    wait_for(lambda: ui.table_cell(table, 0, name) == HIM, 10, f"{HIM} first in 'Suggestions'")
    ui.select_row(table, 0)
    coffee = wait_enabled(ui, ui.wait_find("Plan a coffee", "push button", within=page))
    ui.press(coffee)
    return dialog(ui, PLANNER), items[index].name


def _check(ui: AtspiClient, planner: Node) -> Node:
    return ui.wait_find("Message check", "label", within=planner, showing=True)


def test_a_coffee_planned_saved_and_exported_is_in_meetings(
    window: RunningApp, tmp_path: Path
) -> None:
    import icalendar

    ui = window.ui
    planner, trip_text = _open_planner(ui)

    venue = choose_item(ui, ui.wait_find("Venues", "list", within=planner, showing=True), 0)
    venue_name = venue.name.split(" — ")[0]
    times = ui.wait_find("Free times", "list", within=planner, showing=True)
    wait_for(lambda: ui.children(times), 10, "free times for the first venue")
    slot_text = choose_item(ui, times, 0).name
    slot = SLOT.match(slot_text)
    assert slot, f"the first free time reads {slot_text!r}"

    invitation = ui.wait_find("Invitation", "text", within=planner, showing=True)
    drafted = wait_for(lambda: ui.text_of(invitation), 10, "the drafted invitation")
    assert "João" in drafted and venue_name in drafted, drafted
    check = _check(ui, planner)
    wait_says(ui, check, lambda s: s.startswith(ALL_WELL), "the draft reads well")

    ui.set_text(invitation, f"Hi João,\n\n{PITCH}. Coffee?\n")
    warned = wait_says(ui, check, lambda s: "warning" in s and ALL_WELL not in s, "a warning")
    assert "pitch" in warned.lower() or "sales" in warned.lower(), warned

    ui.set_text(invitation, drafted)
    wait_says(ui, check, lambda s: s.startswith(ALL_WELL), "no warning for the draft again")

    ui.press(ui.wait_find("Save", "push button", within=planner, showing=True))
    status_bar_says(ui, lambda s: s == "Meeting saved as proposed.", "the meeting is saved")

    ics = tmp_path / "coffee-joao.ics"
    ui.press(wait_enabled(ui, ui.wait_find("Export .ics…", "push button", within=planner)))
    save_through_file_dialog(ui, "Export the meeting", ics)

    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1, f"{len(events)} VEVENTs in {ics}"
    event = events[0]
    assert event["DTSTART"].params.get("TZID") == "Europe/Lisbon", event["DTSTART"].to_ical()
    start: datetime = event.decoded("DTSTART")
    year = TRIP_YEAR.search(trip_text)
    assert year, trip_text
    assert f"{start:%a} {start.day} {start:%b} {start:%H:%M}" == (
        f"{slot['day']} {slot['date']} {slot['time']}"
    ), f"DTSTART {start} against the slot {slot_text!r}"
    assert start.year == int(year[1])
    assert HIM in str(event["SUMMARY"]), event["SUMMARY"]

    ui.press(ui.wait_find("Close", "push button", within=planner, showing=True))
    wait_gone(ui, PLANNER)

    page = show_workspace(ui, "Meetings")
    table = ui.wait_find("Meetings", "table", within=page, showing=True)
    with_, state, when = (ui.column_of(table, h) for h in ("With", "Status", "When"))
    moment = f"{slot['day']} {slot['date']} {slot['time']} Lisbon"  # "Sun 13 Dec 09:00 Lisbon"

    def his_rows() -> list[int]:
        return [
            row
            for row in range(ui.row_count(table))
            if ui.table_cell(table, row, with_) == HIM
            and ui.table_cell(table, row, when).startswith(moment)
        ]

    rows = wait_for(his_rows, 10, f"a meeting with {HIM} at {moment} in 'Meetings'")
    assert len(rows) == 1, f"{len(rows)} rows for one meeting saved"
    assert ui.table_cell(table, rows[0], state) == "proposed"

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

from tests.e2e.atspi_client import REACTION_TIMEOUT, AtspiClient, Node, wait_for
from tests.e2e.meeting_parts import (
    choose_item,
    dialog,
    dialog_starting,
    save_through_file_dialog,
    status_bar_says,
    type_keys,
    wait_enabled,
    wait_gone,
    wait_row,
    wait_says,
)
from tests.e2e.running_app import RunningApp
from tests.e2e.window_parts import show_workspace

TRIP = "Lisbon "  # "Lisbon December 2026": the demo puts the trip 12 days after its today
HIM = "João Silva"
PLANNER = f"Plan a coffee with {HIM}"
PITCH = "our product can boost your sales"
ALL_WELL = "No warnings: reads like a personal invitation."
# "Sun 13 Dec 09:00 Lisbon time · 10:00 your time (Berlin)"
SLOT = re.compile(r"(?P<day>\w{3}) (?P<date>\d{1,2} \w{3}) (?P<time>\d{2}:\d{2}) Lisbon time")
TRIP_YEAR = re.compile(r"\b(20\d\d)\b")


def _open_planner(ui: AtspiClient, *, first: bool = True) -> tuple[Node, str]:
    """Plan → the Lisbon trip → João (first) → Plan a coffee…; the planner and the trip's text."""
    page = show_workspace(ui, "Plan")
    where = ui.wait_find("Where will you be?", "list", within=page, showing=True)
    items = ui.children(where)
    index = next((i for i, item in enumerate(items) if item.name.startswith(TRIP)), None)
    assert index is not None, f"no Lisbon trip among {[item.name for item in items]}"
    ui.select_child(where, index)
    table = ui.wait_find("Suggestions", "table", within=page, showing=True)
    name = ui.column_of(table, "Name")
    if first:
        wait_for(lambda: ui.table_cell(table, 0, name) == HIM, 10, f"{HIM} first in 'Suggestions'")
        row = 0
    else:
        row = wait_row(ui, table, {name: HIM}, f"{HIM} in 'Suggestions'")
    ui.select_row(table, row)
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
    wait_says(ui, check, lambda s: s == ALL_WELL, "the draft reads well")

    ui.set_text(invitation, f"Hi João,\n\n{PITCH}. Coffee?\n")
    warned = wait_says(ui, check, lambda s: s != ALL_WELL and "warning" in s, "a warning")
    assert "reads like a sales pitch" in warned, warned

    ui.set_text(invitation, drafted)
    wait_says(ui, check, lambda s: s == ALL_WELL, "no warning for the draft again")

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

    row = wait_row(ui, table, {with_: HIM, state: "proposed"}, f"{HIM}'s proposed meeting")
    assert ui.table_cell(table, row, when).startswith(moment), ui.table_cell(table, row, when)


FOOD = "Pastéis de nata and two bicas"
BUSINESS = "Moving their clients to a cloud in Portugal"
FOLLOW_UP = "send the lisbon case study"  # typed key by key into the table's cell editor


def _meetings_table(ui: AtspiClient) -> tuple[Node, Node]:
    page = show_workspace(ui, "Meetings")
    table = ui.wait_find("Meetings", "table", within=page, showing=True)
    wait_for(lambda: ui.row_count(table) > 0, 10, "the meetings to be listed")
    return page, table


def test_a_past_meeting_debriefed_shows_in_its_briefing_saved_as_pdf(
    window: RunningApp, tmp_path: Path
) -> None:
    ui = window.ui
    page, table = _meetings_table(ui)
    with_, debrief = ui.column_of(table, "With"), ui.column_of(table, "Debrief")
    row = wait_row(ui, table, {debrief: "Debrief due"}, "a past meeting with 'Debrief due'")
    who = ui.table_cell(table, row, with_)
    ui.select_row(table, row)
    ui.press(wait_enabled(ui, ui.wait_find("Debrief", "push button", within=page)))

    form = dialog_starting(ui, f"Debrief: {who}")
    food = wait_enabled(ui, ui.wait_find("Food and drink", "text", within=form, showing=True))
    ui.set_text(food, FOOD)
    ui.set_text(ui.wait_find("Their business", "text", within=form, showing=True), BUSINESS)
    follow_ups = ui.wait_find("Follow-ups", "table", within=form, showing=True)
    ui.press(ui.wait_find("Add follow-up", "push button", within=form, showing=True))
    wait_for(lambda: ui.row_count(follow_ups) == 1, REACTION_TIMEOUT, "a new follow-up row")
    ui.activate()
    type_keys(ui, FOLLOW_UP)
    ui.key("Return")
    wait_for(
        lambda: ui.table_cell(follow_ups, 0, 0) == FOLLOW_UP,
        REACTION_TIMEOUT,
        lambda: f"the follow-up typed in; row 0 reads {ui.table_cell(follow_ups, 0, 0)!r}",
    )
    ui.press(ui.wait_find("Save", "push button", within=form, showing=True))
    wait_gone(ui, form.name)
    status_bar_says(ui, lambda s: "debrief" in s.lower() and "saved" in s.lower(), "it is saved")

    page, table = _meetings_table(ui)
    done = wait_row(
        ui, table, {with_: who, debrief: "Debriefed"}, f"the meeting with {who} 'Debriefed'"
    )
    ui.select_row(table, done)
    ui.press(wait_enabled(ui, ui.wait_find("Briefing", "push button", within=page)))
    briefing = dialog(ui, f"Briefing: {who}")
    view = ui.wait_find("Briefing", within=briefing, showing=True)
    shown = wait_says(
        ui,
        view,
        lambda s: all(part in s for part in (FOOD, BUSINESS, FOLLOW_UP)),
        "the food, the business and the follow-up",
        timeout=10,
    )
    assert who in shown

    pdf = tmp_path / "briefing.pdf"
    ui.press(wait_enabled(ui, ui.wait_find("Save as PDF…", "push button", within=briefing)))
    save_through_file_dialog(ui, "Save the briefing as PDF", pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    ui.press(ui.wait_find("Close", "push button", within=briefing, showing=True))
    wait_gone(ui, f"Briefing: {who}")


def test_the_chosen_time_and_the_meeting_details_are_read_out(window: RunningApp) -> None:
    ui = window.ui
    unread: list[str] = []
    planner, _trip = _open_planner(ui, first=False)
    times = ui.wait_find("Free times", "list", within=planner, showing=True)
    slot = choose_item(ui, times, 0).name.split(" Lisbon time")[0]  # "Sun 13 Dec 09:00"
    chosen = ui.wait_find("Chosen time", "label", within=planner, showing=True)
    if slot.split()[-1] not in ui.text_of(chosen):
        unread.append(f"'Chosen time' says {ui.text_of(chosen)!r}, not the time {slot!r}")
    ui.press(ui.wait_find("Close", "push button", within=planner, showing=True))
    wait_gone(ui, PLANNER)

    page, table = _meetings_table(ui)
    ui.select_row(table, 0)
    who = ui.table_cell(table, 0, ui.column_of(table, "With"))
    details = ui.wait_find("Meeting details", "label", within=page, showing=True)
    if who not in ui.text_of(details):
        unread.append(f"'Meeting details' says {ui.text_of(details)!r}, not {who!r}'s meeting")
    assert not unread, "\n".join(unread)

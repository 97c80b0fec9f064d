"""The Plan workspace as a user meets it: pick a place, see who is near, narrow, plan trips."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QListWidgetItem, QMessageBox

from netplanner.domain.changes import Changes
from netplanner.gui.main_window import MainWindow
from netplanner.gui.models.suggestions_model import DISTANCE, NAME
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.widgets.text_table import PlainTextTableView
from netplanner.services.context import AppContext
from tests.conftest import DEMO_TODAY


@pytest.fixture
def plan(demo_context: AppContext, runner: TaskRunner, qtbot: Any) -> MainWindow:
    """The window on the demo (real gazetteer), showing Plan."""
    win = MainWindow(demo_context, runner)
    qtbot.addWidget(win)
    win.show()
    win.show_workspace("plan")
    return win


def where_texts(win: MainWindow) -> list[str]:
    return [win.plan.where.item(r).text() for r in range(win.plan.where.count())]


def names(win: MainWindow) -> list[str]:
    model = win.plan.model
    return [str(model.data(model.index(row, NAME))) for row in range(model.rowCount())]


def test_where_lists_now_then_the_trips_upcoming_first(plan: MainWindow) -> None:
    shown = where_texts(plan)
    assert shown[0].startswith("Now\nBerlin")
    assert [line.split("\n")[0] for line in shown[1:]] == [
        "Lisbon December 2026",
        "Tokyo December 2026",
        "New York January 2027",
    ]


def test_selecting_the_lisbon_trip_ranks_joao_first_and_highlights_him_on_the_map(
    plan: MainWindow,
) -> None:
    assert plan.plan.select_trip(1)
    assert names(plan)[0] == "João Silva"
    first = plan.plan.model.suggestion_at(0)
    assert "6.1 km from your hotel" in first.reasons
    assert "within 25 km of your hotel" in plan.plan.count.text()
    plan.plan.table.selectRow(0)
    assert plan.plan.state.selected == first.contact.id
    assert plan.plan.map.highlighted == first.contact.id
    shown_ids = {p.id for p in plan.plan.map.points}
    assert shown_ids == {s.contact.id for s in plan.plan.model.shown()}


def test_target_companies_only_narrows_the_list_and_the_map_together(plan: MainWindow) -> None:
    plan.plan.select_trip(1)
    everyone = plan.plan.model.rowCount()
    plan.plan.target_only.setChecked(True)
    narrowed = plan.plan.model.shown()
    assert 0 < len(narrowed) < everyone
    assert all(s.is_target for s in narrowed)
    assert {p.id for p in plan.plan.map.points} == {s.contact.id for s in narrowed}
    assert "more hidden by the filters" in plan.plan.count.text()


def test_clicking_a_point_on_the_map_selects_its_row(plan: MainWindow) -> None:
    plan.plan.select_trip(1)
    third = plan.plan.model.suggestion_at(2).contact.id
    plan.plan.map.point_clicked.emit(third)
    rows = plan.plan.table.selectionModel().selectedRows()
    assert rows and plan.plan.model.suggestion_at(rows[0].row()).contact.id == third


def test_a_larger_radius_reranks_and_a_text_filter_answers_at_once(plan: MainWindow) -> None:
    plan.plan.select_trip(1)
    within_25 = plan.plan.model.ranked()
    plan.plan.radius.setValue(100)
    assert plan.plan.model.ranked() >= within_25
    plan.plan.text_filter.setText("joão")
    assert names(plan) == ["João Silva"]


def test_an_empty_place_says_why_and_what_to_try(
    plan: MainWindow, demo_context: AppContext
) -> None:
    portuguese = [
        c for c in demo_context.contacts.search() if (c.location_text or "").endswith("Portugal")
    ]
    for contact in portuguese:
        demo_context.contacts.set_location(contact, contact.location_text or "", None)
    plan.announce(Changes.of_all())  # as after an import
    plan.plan.select_trip(1)
    assert plan.plan.model.rowCount() == 0
    hint = plan.plan.hint.text()
    assert "larger radius" in hint
    assert f"{len(portuguese)} of your contacts in Portugal have no location yet" in hint


def test_adding_a_trip_in_the_dialog_lists_it_and_selects_it(
    plan: MainWindow, demo_context: AppContext
) -> None:
    plan.plan.add_button.click()
    dialog = plan.plan.trip_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.place.line.setText("Porto, Portugal")
    start = DEMO_TODAY + timedelta(days=40)
    dialog.start.setDate(QDate(start.year, start.month, start.day))
    dialog.end.setDate(QDate(start.year, start.month, start.day + 2))
    dialog.base.setText("Hotel Infante Sagres, Porto")
    dialog.accept()
    assert not dialog.isVisible()
    trip = next(t for t in demo_context.planner.list_trips() if t.place_text.startswith("Porto"))
    assert trip.start_date == start and trip.end_date == start + timedelta(days=2)
    assert any(text.startswith(trip.name) for text in where_texts(plan))


def test_the_dialog_keeps_the_end_after_the_start_and_refuses_an_unknown_place(
    plan: MainWindow, demo_context: AppContext
) -> None:
    plan.plan.add_button.click()
    dialog = plan.plan.trip_dialog
    assert dialog is not None
    dialog.start.setDate(QDate(2027, 3, 10))
    dialog.end.setDate(QDate(2027, 3, 1))  # before the start: the field will not have it
    assert dialog.end.date() >= dialog.start.date()
    before = len(demo_context.planner.list_trips())
    dialog.place.line.setText("Xyzzy Qwrtp")
    dialog.accept()
    assert dialog.isVisible(), "nothing typed is lost"
    assert "Xyzzy Qwrtp" in dialog.error.text() and "\n" not in dialog.error.text()
    assert len(demo_context.planner.list_trips()) == before


def test_deleting_a_trip_asks_once_and_ctrl_z_brings_it_back(
    plan: MainWindow, demo_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def yes(*args: Any, **_kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    plan.plan.select_trip(2)
    plan.plan.delete_button.click()
    assert len(asked) == 1 and "Tokyo December 2026" in asked[0]
    assert [t.id for t in demo_context.planner.list_trips()] == [1, 3]
    assert not any(t.startswith("Tokyo") for t in where_texts(plan))
    plan.undo_action.trigger()
    assert [t.id for t in demo_context.planner.list_trips()] == [1, 2, 3]
    assert any(t.startswith("Tokyo December 2026") for t in where_texts(plan))


def test_a_trip_saved_elsewhere_shows_in_plan_without_a_reload(
    plan: MainWindow, demo_context: AppContext
) -> None:
    trip = demo_context.planner.add_trip(
        "Madrid, Spain", date(2027, 2, 1), date(2027, 2, 3), name="Madrid conference"
    )
    plan.announce(Changes(trips=frozenset({trip.id or 0})))
    assert any(t.startswith("Madrid conference") for t in where_texts(plan))


def _calendar(path: Any, today: date) -> Any:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//tests//trips//EN")
    calendar.add("version", "2.0")
    start = today + timedelta(days=30)
    for uid, summary, location, first, days in (
        ("porto-1", "Porto: the conference", "Porto, Portugal", start, 2),
        ("porto-2", "Porto: meetings", "Porto, Portugal", start + timedelta(days=2), 1),
        ("call", "Call with the bank", None, start, 1),
        ("old", "Madrid last year", "Madrid, Spain", today - timedelta(days=300), 2),
    ):
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("summary", summary)
        event.add("dtstart", first)
        event.add("dtend", first + timedelta(days=days))
        if location:
            event.add("location", location)
        calendar.add_component(event)
    path.write_bytes(calendar.to_ical())
    return path


def test_trips_from_a_calendar_are_previewed_then_imported_once(
    plan: MainWindow, demo_context: AppContext, tmp_path: Any
) -> None:
    path = _calendar(tmp_path / "trips.ics", date.today())
    dialog = plan.plan.import_calendar(path)
    assert dialog.trips.rowCount() == 1, "two consecutive days in Porto are one trip"
    assert dialog.trips.item(0, 1).text().startswith("Porto")
    assert dialog.trips.item(0, 3).text() == "New"
    assert "would add 1 trips" in dialog.title.text()
    reasons = {dialog.skipped.item(r, 0).text(): dialog.skipped.item(r, 1).text()
               for r in range(dialog.skipped.rowCount())}  # fmt: skip
    assert "ended before today" in reasons["Madrid last year"]
    before = len(demo_context.planner.list_trips())
    dialog.import_button.click()
    assert len(demo_context.planner.list_trips()) == before + 1
    assert any("Porto" in text for text in where_texts(plan))
    again = plan.plan.import_calendar(path)
    assert "Nothing new" in again.title.text() and not again.import_button.isEnabled()


def test_a_file_that_is_not_a_calendar_is_said_in_one_sentence(
    plan: MainWindow, demo_context: AppContext, tmp_path: Any
) -> None:
    junk = tmp_path / "notes.ics"
    junk.write_text("these are my notes, not a calendar")
    before = len(demo_context.planner.list_trips())
    dialog = plan.plan.import_calendar(junk)
    assert dialog.title.text().startswith("<b>Nothing was imported.</b>")
    assert "\n" not in dialog.title.text()
    assert len(demo_context.planner.list_trips()) == before


def test_editing_a_trip_keeps_its_place_and_saves_the_new_dates(
    plan: MainWindow, demo_context: AppContext
) -> None:
    plan.plan.select_trip(1)
    before = demo_context.planner.get_trip(1)
    plan.plan.edit_button.click()
    dialog = plan.plan.trip_dialog
    assert dialog is not None and dialog.place.text() == before.place_text
    end = before.end_date + timedelta(days=1)
    dialog.end.setDate(QDate(end.year, end.month, end.day))
    dialog.accept()
    after = demo_context.planner.get_trip(1)
    assert after.end_date == end
    assert (after.lat, after.lon, after.base_lat) == (before.lat, before.lon, before.base_lat)


def test_a_base_the_gazetteer_does_not_know_is_placed_on_the_map(
    plan: MainWindow, demo_context: AppContext, qtbot: Any
) -> None:
    plan.plan.add_button.click()
    dialog = plan.plan.trip_dialog
    assert dialog is not None
    dialog.place.line.setText("Porto, Portugal")
    with qtbot.waitSignal(dialog.place.committed):
        dialog.place.resolve()
    dialog.base.setText("Casa da Tia Rosa")  # no gazetteer knows an aunt's house
    dialog.base_map.place_clicked.emit(38.0, -9.0)  # a slip: far from Porto
    dialog.accept()
    assert dialog.isVisible() and "km from Porto" in dialog.error.text()
    dialog.base_map.place_clicked.emit(41.1496, -8.6109)
    assert "placed on the map" in dialog.base_state.text()
    dialog.accept()
    assert not dialog.isVisible()
    trip = next(t for t in demo_context.planner.list_trips() if t.place_text.startswith("Porto"))
    assert (trip.base_address, trip.base_lat, trip.base_lon) == (
        "Casa da Tia Rosa",
        41.1496,
        -8.6109,
    )


def test_leaving_the_place_field_centres_the_base_map_on_that_place(plan: MainWindow) -> None:
    plan.plan.add_button.click()
    dialog = plan.plan.trip_dialog
    assert dialog is not None
    dialog.resize(600, 560)
    dialog.place.line.setText("Porto, Portugal")
    dialog.place.line.editingFinished.emit()
    south, north, west, east = dialog.base_map.viewport.bounds()
    assert south < 41.15 < north and west < -8.61 < east
    assert north - south < 1.0, "a city, not the world"


def test_with_the_threaded_runner_a_new_trip_is_selected_once_listed(
    demo_context: AppContext, qtbot: Any
) -> None:
    win = MainWindow(demo_context, TaskRunner())
    qtbot.addWidget(win)
    win.show()
    win.show_workspace("plan")
    qtbot.waitUntil(lambda: win.plan.where.count() == 4, timeout=10_000)
    win.plan.add_button.click()
    dialog = win.plan.trip_dialog
    assert dialog is not None
    dialog.place.line.setText("Porto, Portugal")
    dialog.name.setText("Porto in spring")
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(
        lambda: (
            (win.plan.where.currentItem() or QListWidgetItem()).text().startswith("Porto in spring")
        ),
        timeout=10_000,
    )
    trip = next(t for t in demo_context.planner.list_trips() if t.name == "Porto in spring")
    assert win.plan.state.where == trip.id
    win.close()


def test_the_suggestions_look_as_qt_paints_them_in_km_and_miles(
    plan: MainWindow, demo_context: AppContext
) -> None:
    from tests.gui.test_contacts_table_painting import assert_painted_as_qt_paints

    plan.resize(1280, 800)
    plan.plan.select_trip(1)
    table = plan.plan.table
    assert isinstance(table, PlainTextTableView)
    assert_painted_as_qt_paints(table, least_rows=3)  # right-aligned distances, long reasons
    plan.plan.table.setFocus()
    plan.plan.table.selectRow(1)
    assert_painted_as_qt_paints(table, least_rows=3)
    demo_context.settings.units = "mi"
    plan.plan.radius.setValue(40)
    assert " mi" in str(plan.plan.model.data(plan.plan.model.index(0, DISTANCE)))
    assert_painted_as_qt_paints(table, least_rows=3)

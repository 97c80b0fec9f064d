"""The workspace frame as a user meets it: Today first, the sidebar and Ctrl+1…, changes that
reach every workspace, reads off the GUI thread, and the bugs the GUI review found."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from netplanner.domain.changes import Changes
from netplanner.domain.entities import Contact, LocationStatus
from netplanner.domain.progress import ProgressSink, check_cancelled
from netplanner.gui.main_window import MainWindow
from netplanner.gui.tasks import Lane, State, TaskRunner
from netplanner.gui.workspaces.today import EMPTY_PAGE, REPORT_PAGE
from netplanner.services.context import AppContext
from tests.unit.geocoding.nominatim_stub import NominatimStub


@pytest.fixture
def fresh(demo_context: AppContext, runner: TaskRunner, qtbot: Any) -> MainWindow:
    """A window as it opens, on the demo network (the real gazetteer)."""
    win = MainWindow(demo_context, runner)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def on_contacts(demo_context: AppContext, runner: TaskRunner, qtbot: Any) -> MainWindow:
    """A window opened straight on Contacts: no other workspace built yet."""
    win = MainWindow(demo_context, runner)
    qtbot.addWidget(win)
    win.show_workspace("contacts")
    win.show()
    return win


def texts(widget: Any) -> list[str]:
    return [widget.item(row).text() for row in range(widget.count())]


def test_window_opens_on_today_with_what_needs_the_user(
    fresh: MainWindow, demo_context: AppContext
) -> None:
    assert fresh.current_workspace() is fresh.today
    assert fresh.sidebar.currentItem().text() == "Today"
    today = fresh.today
    assert today.pages.currentIndex() == REPORT_PAGE
    report = demo_context.today.report()
    debriefs = texts(today.debriefs.list)
    assert len(debriefs) == len(report.debriefs_due) > 0
    for shown, due in zip(debriefs, report.debriefs_due, strict=True):
        assert due.contacts[0].name in shown and due.ago in shown
    assert len(texts(today.upcoming.list)) == len(report.upcoming)
    assert len(texts(today.follow_ups.list)) == len(report.follow_ups_due)
    overdue = texts(today.overdue.list)
    assert overdue and all(" km" in line or " m\n" in line for line in overdue)
    assert "near your home in Berlin" in today.overdue.heading.text()


def test_ctrl_numbers_and_the_sidebar_switch_workspaces(fresh: MainWindow, qtbot: Any) -> None:
    qtbot.keyClick(fresh, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert fresh.current_workspace() is fresh.contacts
    assert fresh.sidebar.currentItem().text() == "Contacts"
    qtbot.keyClick(fresh, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert fresh.current_workspace() is fresh.today
    fresh.sidebar.setCurrentRow(1)
    assert fresh.stack.currentWidget() is fresh.contacts
    assert [fresh.sidebar.item(r).text() for r in range(fresh.sidebar.count())] == [
        "Today",
        "Contacts",
        "Plan",
        "Meetings",
        "Map",
        "Network",
    ]
    qtbot.keyClick(fresh, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert fresh.current_workspace() is fresh.plan
    qtbot.keyClick(fresh, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert fresh.current_workspace() is fresh.map  # Ctrl+5: Meetings will be Ctrl+4


def test_opening_a_debrief_due_shows_the_meeting_in_meetings(fresh: MainWindow) -> None:
    section = fresh.today.debriefs
    section.list.setCurrentRow(0)
    due = section.selected()
    assert due is not None
    open_button = next(
        b
        for b in section.findChildren(QAbstractButton)
        if b.accessibleName() == "Open meeting to debrief"
    )
    open_button.click()
    assert fresh.current_workspace() is fresh.meetings
    row = fresh.meetings.selected_row()
    assert row is not None and row.meeting_id == due.meeting_id


def test_a_follow_up_marked_done_in_today_reaches_the_contacts_timeline_and_undoes(
    fresh: MainWindow, demo_context: AppContext, qtbot: Any
) -> None:
    section = fresh.today.follow_ups
    section.list.setCurrentRow(0)
    item = section.selected()
    assert item is not None
    fresh.open_contact(item.contact_id, "timeline")  # type: ignore[attr-defined]
    timeline = fresh.contacts.detail.timeline
    assert any(item.text in t and "(open)" in t for t in texts(timeline))  # type: ignore[attr-defined]
    before = len(texts(section.list))
    fresh.show_workspace("today")
    section.list.setCurrentRow(0)
    fresh.today.done_button.click()
    # Today drops it and the timeline says done, without anyone reloading by hand.
    assert len(texts(section.list)) == before - 1
    assert any(item.text in t and "(done)" in t for t in texts(timeline))  # type: ignore[attr-defined]
    assert demo_context.follow_up_repo.get(item.follow_up_id).done  # type: ignore[attr-defined]
    qtbot.keyClick(fresh, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(texts(section.list)) == before
    assert not demo_context.follow_up_repo.get(item.follow_up_id).done  # type: ignore[attr-defined]


def test_an_edit_in_contacts_reaches_today_without_a_reload(
    fresh: MainWindow, demo_context: AppContext
) -> None:
    first = fresh.today.overdue
    first.list.setCurrentRow(0)
    person = first.selected()
    assert person is not None
    fresh.open_contact(person.contact_id)  # type: ignore[attr-defined]
    field = fresh.contacts.detail.line("last_met")
    field.setText(demo_context.today.report().today.isoformat())
    field.editingFinished.emit()
    names = texts(fresh.today.overdue.list)
    assert not any(line.startswith(person.name) for line in names)  # type: ignore[attr-defined]


def test_an_empty_today_says_what_to_do_first(empty_window: MainWindow) -> None:
    today = empty_window.today
    assert today.pages.currentIndex() == EMPTY_PAGE
    assert today.first_import.text() == "1. Import your contacts…"
    assert today.first_home.text() == "2. Set your home…"
    assert today.first_demo.isEnabled()


def test_exploring_the_demo_switches_every_workspace_to_it(
    empty_window: MainWindow, context: AppContext
) -> None:
    empty_window.today.first_demo.click()
    assert empty_window.today.pages.currentIndex() == REPORT_PAGE
    assert empty_window.today.debriefs.list.count() > 0
    assert empty_window.contacts.model.total() == 150
    assert context.contacts.count() == 0, "the user's own database stays empty"


# Bugs the review found ----------------------------------------------------------------------
def test_selecting_a_row_through_the_accessibility_interface_moves_the_panel(
    window: MainWindow,
) -> None:
    table = window.contacts.table
    window.contacts.select_row(0)
    QAccessible.setActive(True)
    iface = QAccessible.queryAccessibleInterface(table)
    columns = window.contacts.model.columnCount()
    row = 5
    # Children: the corner, the column headers, then per row its cells (no row headers here).
    cell = next(
        iface.child(k)
        for k in range(iface.childCount())
        if iface.child(k).role() == QAccessible.Role.Cell
        and iface.child(k).text(QAccessible.Text.Name) == window.contacts.model.contact_at(row).name
    )
    iface.selectionInterface().clear()
    assert iface.selectionInterface().select(cell)
    assert columns > 0
    shown = window.contacts.detail.contact
    assert shown is not None and shown.id == window.contacts.model.contact_at(row).id
    assert window.contacts.detail.title.text() == window.contacts.model.contact_at(row).name


def _blocked_writer(runner: TaskRunner) -> threading.Event:
    """Occupy the write worker until the returned event is set (a long import, say)."""
    release = threading.Event()

    def wait(progress: ProgressSink) -> None:
        while not release.wait(0.01):
            check_cancelled(progress)

    runner.run("Busy", wait, lane=Lane.WRITE)
    return release


def test_undo_after_two_quick_edits_while_busy_goes_back_to_the_first_edit(
    demo_context: AppContext, qtbot: Any
) -> None:
    win = MainWindow(demo_context, TaskRunner())
    qtbot.addWidget(win)
    win.show()
    win.show_workspace("contacts")
    qtbot.waitUntil(lambda: win.contacts.model.total() == 150, timeout=10_000)
    win.contacts.select_row(0)
    qtbot.waitUntil(lambda: win.contacts.detail.contact is not None, timeout=10_000)
    chosen = win.contacts.detail.contact
    assert chosen is not None and chosen.id is not None
    original = chosen.company
    release = _blocked_writer(win.runner)
    company = win.contacts.detail.line("company")
    for text in ("First Edit Ltd", "Second Edit Ltd"):
        company.setText(text)
        company.editingFinished.emit()
    release.set()
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=10_000)
    assert demo_context.contacts.get(chosen.id).company == "Second Edit Ltd"
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=10_000)
    assert demo_context.contacts.get(chosen.id).company == "First Edit Ltd"
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=10_000)
    assert demo_context.contacts.get(chosen.id).company == original
    qtbot.waitUntil(lambda: company.text() == (original or ""), timeout=10_000)
    win.close()


@pytest.fixture
def nominatim() -> Iterator[NominatimStub]:
    with NominatimStub() as stub:
        yield stub


def test_online_lookups_switched_on_in_settings_reach_locate(
    window: MainWindow, demo_context: AppContext, nominatim: NominatimStub, qtbot: Any
) -> None:
    stranger = demo_context.contact_repo.add(
        Contact(
            first_name="Uma",
            last_name="Unplaced",
            location_text="Alpha Town Qwxz",
            location_status=LocationStatus.UNRESOLVED,
        )
    )
    geocoder = demo_context.geocoding  # built before the settings change, as at start-up
    assert not geocoder.online_allowed(True)
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.geocoding_online.setChecked(True)
    dialog.endpoint.setText(nominatim.url)
    dialog.contact_email.setText("me@example.org")
    dialog.accept()
    located = window.locate_contacts()
    qtbot.waitUntil(lambda: located.report is not None, timeout=10_000)
    assert nominatim.record.count >= 1
    assert "Alpha Town Qwxz" in nominatim.record.texts()
    assert demo_context.contacts.get(stranger.id or 0).lat is not None


def _blocked(runner: TaskRunner, lane: Lane) -> threading.Event:
    """Occupy one lane's worker until the returned event is set."""
    release = threading.Event()

    def wait(progress: ProgressSink) -> None:
        while not release.wait(0.01):
            check_cancelled(progress)

    runner.run("Busy", wait, lane=lane)
    return release


def test_only_the_latest_selection_reaches_the_panel(demo_context: AppContext, qtbot: Any) -> None:
    win = MainWindow(demo_context, TaskRunner())
    qtbot.addWidget(win)
    win.show()
    win.show_workspace("contacts")
    qtbot.waitUntil(lambda: win.contacts.model.total() == 150, timeout=10_000)
    shown: list[int] = []
    original = win.contacts.detail.show_contact

    def record(contact: Any, timeline: Any) -> None:
        if contact is not None:
            shown.append(contact.id)
        original(contact, timeline)

    win.contacts.detail.show_contact = record  # type: ignore[method-assign]
    # Reads do not wait for writes: with the write worker busy, a selection still answers.
    writes = _blocked(win.runner, Lane.WRITE)
    win.contacts.select_row(1)
    second = win.contacts.model.contact_at(1).id
    qtbot.waitUntil(lambda: shown[-1:] == [second], timeout=10_000)
    writes.set()
    # Let every read already asked for (the other workspaces' too) answer first.
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=10_000)
    qtbot.wait(50)
    # Ten quick selections while the read worker is busy: only the last one is read.
    reads = _blocked(win.runner, Lane.READ)
    shown.clear()
    for row in range(10):
        win.contacts.select_row(row)
    last = win.contacts.model.contact_at(9).id
    reads.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    qtbot.wait(200)  # time for any superseded answer to arrive, were it not dropped
    assert shown == [last]
    win.close()


def test_closing_during_long_work_cancels_it_and_waits(
    demo_context: AppContext, qtbot: Any
) -> None:
    win = MainWindow(demo_context, TaskRunner())
    qtbot.addWidget(win)
    started = threading.Event()

    def long_work(progress: ProgressSink) -> None:
        started.set()
        while True:
            check_cancelled(progress)
            threading.Event().wait(0.005)

    task = win.runner.run("Long import", long_work)
    assert started.wait(5)
    win.close()
    # Closing asked the work to stop and waited for it: it ended cancelled, nothing runs.
    assert task.state is State.CANCELLED
    assert win.runner.wait(0)
    assert win.runner.closed


def test_changes_reach_every_workspace_through_the_registry(fresh: MainWindow) -> None:
    heard: list[tuple[str, Changes]] = []
    for workspace in fresh.registry:
        original = workspace.on_changes

        def spy(changes: Changes, key: str = workspace.key, original: Any = original) -> None:
            heard.append((key, changes))
            original(changes)

        workspace.on_changes = spy  # type: ignore[method-assign]
    fresh.announce(Changes.of_contacts([1], initiator=fresh))
    assert [key for key, _ in heard] == ["today", "contacts", "plan", "meetings", "map", "network"]


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if widget.objectName().startswith("qt_"):
            continue  # Qt's own parts of a control (a spin box's text), named through it
        iface = QAccessible.queryAccessibleInterface(widget)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_focusable_control_of_every_workspace_has_a_name(fresh: MainWindow) -> None:
    QAccessible.setActive(True)
    for workspace in fresh.registry:
        fresh.show_workspace(workspace.key)
        QApplication.processEvents()
        assert _unnamed(fresh) == [], workspace.key


def test_the_demo_flag_fills_an_empty_database_and_every_workspace_shows_it(
    context: AppContext, runner: TaskRunner, qtbot: Any
) -> None:
    win = MainWindow(context, runner, load_demo=True)
    qtbot.addWidget(win)
    assert context.contacts.count() == 150
    assert win.contacts.model.total() == 150
    assert win.today.pages.currentIndex() == REPORT_PAGE
    assert win.today.debriefs.list.count() > 0


def test_back_from_the_demo_every_workspace_shows_the_users_own_network_again(
    empty_window: MainWindow, context: AppContext
) -> None:
    empty_window.demo_action.trigger()
    assert empty_window.contacts.model.total() == 150
    empty_window.own_action.trigger()
    assert empty_window.contacts.model.total() == 0
    assert empty_window.today.pages.currentIndex() == EMPTY_PAGE
    assert empty_window.windowTitle() == "NetPlanner"
    assert empty_window.demo_action.isEnabled() and not empty_window.own_action.isEnabled()


def test_exploring_the_demo_twice_opens_its_database_once(
    empty_window: MainWindow, context: AppContext
) -> None:
    empty_window.demo_action.trigger()
    first = empty_window.context
    empty_window.own_action.trigger()
    empty_window.demo_action.trigger()
    assert empty_window.context is first
    assert empty_window.contacts.model.total() == 150


def test_a_workspace_is_built_when_first_wanted_and_its_menu_and_shortcut_work_before(
    on_contacts: MainWindow,
) -> None:
    """Only the page shown is built at start; Plan's menu and Ctrl+T reach it before that."""
    win = on_contacts
    assert [w.key for w in win.registry.built()] == ["contacts"]
    plan_menu = win.workspace_menus["plan"]
    plan_menu.aboutToShow.emit()  # what opening the menu does
    assert win.registry.is_built("plan")
    assert "&Add a trip…" in [a.text() for a in plan_menu.actions()]
    # Ctrl+T is Plan's own action now (the window's stand-in for it is gone).
    assert all(a.shortcut().toString() != "Ctrl+T" for a in win.actions())
    assert win.plan.add_action.shortcut().toString() == "Ctrl+T"
    win.plan.add_action.trigger()
    assert win.plan.trip_dialog is not None and win.plan.trip_dialog.isVisible()
    win.plan.trip_dialog.reject()


def test_ctrl_t_plans_a_trip_before_plan_was_ever_shown(
    on_contacts: MainWindow, qtbot: Any
) -> None:
    win = on_contacts
    QApplication.processEvents()
    assert not win.registry.is_built("plan")
    qtbot.keyClick(win, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert win.current_workspace().key == "plan"
    assert win.plan.trip_dialog is not None and win.plan.trip_dialog.isVisible()
    win.plan.trip_dialog.reject()

"""The Today workspace: what needs the user today, each item opening where it lives.

Four sections read in one report off the GUI thread: the meetings of the next two weeks,
past meetings waiting for a debrief, follow-ups due, and the connections nearby whose
keep-in-touch time has lapsed. With no data yet it says what to do first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.domain.geo import format_km
from netplanner.domain.today import (
    ContactRef,
    DebriefDue,
    FollowUpDue,
    OverdueConnection,
    TodayReport,
    UpcomingMeeting,
)
from netplanner.gui.operations import OpHost
from netplanner.gui.operations.today import TodayServices, complete_follow_up, read_today
from netplanner.gui.workspaces.base import Workspace, WorkspaceHost

ItemRole = Qt.ItemDataRole.UserRole + 7
REPORT_PAGE, EMPTY_PAGE = range(2)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


class TodayHost(WorkspaceHost, Protocol):
    """The window as Today needs it: navigation and the ways in for a new database."""

    def choose_import_files(self) -> None: ...

    def explore_demo(self) -> None: ...

    def open_settings(self) -> None: ...

    def plan_trip(self) -> None: ...


def _names(contacts: Sequence[ContactRef]) -> str:
    return ", ".join(c.name for c in contacts) or "Someone"


def upcoming_text(meeting: UpcomingMeeting) -> str:
    at = f" at {meeting.venue_name}" if meeting.venue_name else ""
    return f"{_names(meeting.contacts)}{at}\n{meeting.when}"


def debrief_text(due: DebriefDue) -> str:
    at = f" at {due.venue_name}" if due.venue_name else ""
    return f"{_names(due.contacts)}{at}\nMet {due.ago}; what did you learn?"


def follow_up_text(item: FollowUpDue) -> str:
    return f"{item.text}\nfor {item.contact_name} · {item.due_words}"


def overdue_text(person: OverdueConnection, unit: str) -> str:
    company = f", {person.company}" if person.company else ""
    reasons = "; ".join(person.reasons[:3])
    return f"{person.name}{company} · {format_km(person.distance_km, unit)}\n{reasons}"


class _Section(QWidget):
    """A titled list with the buttons that act on its selected item."""

    def __init__(self, key: str, title: str, empty: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.heading = QLabel(f"<b>{title}</b>", self)
        self.heading.setObjectName(f"today-{key}-heading")
        self.list = QListWidget(self)
        self.list.setObjectName(f"today-{key}")
        self.list.setAccessibleName(title)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.heading.setBuddy(self.list)
        self.empty = QLabel(empty, self)
        self.empty.setObjectName(f"today-{key}-empty")
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.body = QStackedWidget(self)
        self.body.addWidget(self.list)
        self.body.addWidget(self.empty)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        layout.addLayout(self.buttons)
        self._buttons: list[QPushButton] = []
        self.list.itemSelectionChanged.connect(self._enable)

    def button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setObjectName("today-" + name.lower().replace(" ", "-").replace("'", ""))
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        self._buttons.append(button)
        return button

    def fill(self, rows: Sequence[tuple[str, object]]) -> None:
        """Show ``(text, item)`` rows, keeping the selected item's row where it can."""
        chosen = [self.list.row(item) for item in self.list.selectedItems()]
        self.list.clear()
        for text, value in rows:
            item = QListWidgetItem(text, self.list)
            item.setData(ItemRole, value)
        self.body.setCurrentIndex(0 if rows else 1)
        if rows and chosen:
            self.list.setCurrentRow(min(chosen[0], len(rows) - 1))
        self._enable()

    def selected(self) -> object | None:
        """The item chosen: the selected one (however selected), else the current one."""
        items = self.list.selectedItems()
        item = items[0] if items else self.list.currentItem()
        value: object | None = item.data(ItemRole) if item is not None else None
        return value

    def set_title(self, title: str) -> None:
        self.heading.setText(f"<b>{title}</b>")

    def _enable(self) -> None:
        chosen = bool(self.list.selectedItems())
        shown = self.list.count() > 0
        for button in self._buttons:
            button.setEnabled(chosen)
            button.setVisible(shown)  # nothing to act on: no buttons to wonder about


class _FollowUpDoneCommand(QUndoCommand):
    """Marking a follow-up done, undoable with Ctrl+Z."""

    def __init__(self, host: OpHost, services: TodayServices, item: FollowUpDue) -> None:
        super().__init__(f"Mark “{item.text}” done")
        self.host = host
        self.services = services
        self.item = item

    def redo(self) -> None:
        complete_follow_up(self.host, self.services, self.item.follow_up_id, True).run()

    def undo(self) -> None:
        complete_follow_up(self.host, self.services, self.item.follow_up_id, False).run()


class TodayWorkspace(Workspace):
    """What needs the user today."""

    key = "today"
    title = "Today"
    number = 1

    def __init__(
        self,
        host: TodayHost,
        services: TodayServices,
        parent: QWidget | None = None,
        undo_stack: QUndoStack | None = None,
        units: Callable[[], str] = lambda: "km",
    ) -> None:
        super().__init__(host, parent)
        self.app = host
        self.services = services
        self.undo_stack = undo_stack
        self.units = units
        self.report: TodayReport | None = None

        self.headline = QLabel(self)
        self.headline.setObjectName("today-headline")
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.headline.setFont(font)
        self.summary = QLabel(self)
        self.summary.setObjectName("today-summary")
        self.summary.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("today-hint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.hint_button = QPushButton("Set your home…", self)
        self.hint_button.setObjectName("today-set-home")
        self.hint_button.clicked.connect(host.open_settings)
        self.hint_button.hide()
        self.trip_button = QPushButton("Plan a trip…", self)
        self.trip_button.setObjectName("today-plan-trip")
        self.trip_button.clicked.connect(host.plan_trip)
        self.trip_button.hide()

        self.upcoming = _Section(
            "upcoming", "Upcoming meetings", "No meetings in the next two weeks.", self
        )
        self.upcoming.button("Open", "Open upcoming meeting", self.open_upcoming)
        self.debriefs = _Section(
            "debriefs", "Debrief due", "Every meeting so far has its debrief.", self
        )
        self.debriefs.button("Open", "Open meeting to debrief", self.open_debrief)
        self.follow_ups = _Section(
            "follow-ups", "Follow-ups due", "No follow-up is due today.", self
        )
        self.follow_ups.button("Open contact", "Open contact with follow-up", self.open_follow_up)
        self.done_button = self.follow_ups.button(
            "Mark done", "Mark follow-up done", self.mark_follow_up_done
        )
        self.overdue = _Section(
            "overdue", "Overdue and nearby", "Nobody nearby is overdue for a coffee.", self
        )
        self.overdue.button("Open contact", "Open overdue contact", self.open_overdue)
        self.overdue.button(
            "Plan a coffee…", "Plan a coffee with overdue contact", self.plan_coffee
        )
        self.upcoming.list.itemActivated.connect(lambda _i: self.open_upcoming())
        self.debriefs.list.itemActivated.connect(lambda _i: self.open_debrief())
        self.follow_ups.list.itemActivated.connect(lambda _i: self.open_follow_up())
        self.overdue.list.itemActivated.connect(lambda _i: self.open_overdue())

        report = QWidget(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)
        grid.addWidget(self.upcoming, 0, 0)
        grid.addWidget(self.debriefs, 0, 1)
        grid.addWidget(self.follow_ups, 1, 0)
        grid.addWidget(self.overdue, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.hint, 1)
        hint_row.addWidget(self.hint_button)
        hint_row.addWidget(self.trip_button)
        column = QVBoxLayout(report)
        column.setContentsMargins(16, 12, 16, 8)
        column.addWidget(self.headline)
        column.addWidget(self.summary)
        column.addLayout(hint_row)
        column.addLayout(grid, 1)

        self.empty_page = self._build_empty_page(host)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(report)
        self.pages.addWidget(self.empty_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.refresh_action = QAction("&Refresh Today", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_action.triggered.connect(self.reload)
        self.addAction(self.refresh_action)
        self.reload()

    def _build_empty_page(self, host: TodayHost) -> QWidget:
        page = QScrollArea(self)
        page.setObjectName("today-first-steps")
        page.setAccessibleName("First steps")
        page.setWidgetResizable(True)
        body = QWidget(page)
        page.setWidget(body)
        title = QLabel("<h1>Welcome to NetPlanner</h1>", body)
        intro = QLabel(
            "Today shows what needs you: meetings coming up, debriefs and follow-ups due, and "
            "the people near you whom you have not seen for too long. Three steps fill it:",
            body,
        )
        intro.setWordWrap(True)
        self.first_import = QPushButton("1. Import your contacts…", body)
        self.first_import.setObjectName("today-import")
        self.first_import.clicked.connect(host.choose_import_files)
        self.first_demo = QPushButton("or explore the demo network", body)
        self.first_demo.setObjectName("today-demo")
        self.first_demo.clicked.connect(host.explore_demo)
        self.first_home = QPushButton("2. Set your home…", body)
        self.first_home.setObjectName("today-first-home")
        self.first_home.clicked.connect(host.open_settings)
        self.first_trip = QPushButton("3. Plan a trip…", body)
        self.first_trip.setObjectName("today-first-trip")
        self.first_trip.clicked.connect(host.plan_trip)
        trips = QLabel("NetPlanner then lists who is near where you will be.", body)
        trips.setWordWrap(True)
        drop = QLabel(
            "LinkedIn exports (Connections.csv), vCard (.vcf), Google and Outlook CSV files "
            "work; you can also drop files onto this window. Everything stays on this computer.",
            body,
        )
        drop.setWordWrap(True)
        drop.setEnabled(False)
        column = QVBoxLayout(body)
        column.setContentsMargins(48, 32, 48, 32)
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(12)
        first = QHBoxLayout()
        first.addWidget(self.first_import)
        first.addWidget(self.first_demo)
        first.addStretch(1)
        column.addLayout(first)
        second = QHBoxLayout()
        second.addWidget(self.first_home)
        second.addStretch(1)
        column.addLayout(second)
        third = QHBoxLayout()
        third.addWidget(self.first_trip)
        third.addWidget(trips, 1)
        column.addLayout(third)
        column.addSpacing(12)
        column.addWidget(drop)
        column.addStretch(1)
        for button in (self.first_import, self.first_demo, self.first_home, self.first_trip):
            button.setMinimumHeight(36)
        return page

    # The workspace frame ---------------------------------------------------------------
    def set_services(self, services: TodayServices) -> None:
        self.services = services
        self.report = None
        self.reload()

    def on_changes(self, changes: Changes) -> None:
        if changes.planning:
            self.reload()

    def activated(self) -> None:
        if self.pages.currentIndex() == EMPTY_PAGE:
            self.first_import.setFocus()
        else:
            self.upcoming.list.setFocus()

    def actions_for_menu(self) -> list[QAction]:
        return [self.refresh_action]

    # Reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        services = self.services
        read_today(self.host, services).success(
            lambda report: self.show_report(report) if services is self.services else None
        ).run()

    def show_report(self, report: TodayReport) -> None:
        self.report = report
        if not report.has_contacts:
            self.pages.setCurrentIndex(EMPTY_PAGE)
            return
        self.pages.setCurrentIndex(REPORT_PAGE)
        day = report.today
        self.headline.setText(f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}")
        self.summary.setText(_summary(report))
        self.upcoming.fill([(upcoming_text(m), m) for m in report.upcoming])
        self.debriefs.fill([(debrief_text(d), d) for d in report.debriefs_due])
        self.follow_ups.fill([(follow_up_text(f), f) for f in report.follow_ups_due])
        unit = self.units()
        self.overdue.fill([(overdue_text(p, unit), p) for p in report.overdue_nearby])
        near = report.near_label
        self.overdue.set_title(f"Overdue and nearby, {near}" if near else "Overdue and nearby")
        if not report.has_home:
            self.overdue.empty.setText("Set your home to see who near you is overdue.")
            self.hint.setText("Set your home to see who near you is overdue for a coffee.")
        elif not report.has_trips:
            self.overdue.empty.setText("Nobody nearby is overdue for a coffee.")
            self.hint.setText("No trip planned: add one to see who is near where you will be.")
        self.hint.setVisible(not report.has_home or not report.has_trips)
        self.hint_button.setVisible(not report.has_home)
        self.trip_button.setVisible(report.has_home and not report.has_trips)

    # Opening items where they live -----------------------------------------------------
    def open_upcoming(self) -> None:
        meeting = self.upcoming.selected()
        if isinstance(meeting, UpcomingMeeting):
            first = meeting.contacts[0].id if meeting.contacts else None
            self.app.open_meeting(meeting.meeting_id, first)

    def open_debrief(self) -> None:
        due = self.debriefs.selected()
        if isinstance(due, DebriefDue):
            first = due.contacts[0].id if due.contacts else None
            self.app.open_meeting(due.meeting_id, first)

    def open_follow_up(self) -> None:
        item = self.follow_ups.selected()
        if isinstance(item, FollowUpDue):
            self.app.open_contact(item.contact_id, "timeline")

    def open_overdue(self) -> None:
        person = self.overdue.selected()
        if isinstance(person, OverdueConnection):
            self.app.open_contact(person.contact_id)

    def plan_coffee(self) -> None:
        """The meeting planner for the overdue connection, where Today looked for them."""
        person = self.overdue.selected()
        if isinstance(person, OverdueConnection):
            trip = self.report.near_trip_id if self.report is not None else None
            self.app.plan_coffee(person.contact_id, trip)

    def mark_follow_up_done(self) -> None:
        item = self.follow_ups.selected()
        if not isinstance(item, FollowUpDue):
            return
        command = _FollowUpDoneCommand(self.host, self.services, item)
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()
        self.host.show_message(f"Done: {item.text}. Ctrl+Z takes it back.")


def _summary(report: TodayReport) -> str:
    parts = []
    for count, one, many in (
        (len(report.upcoming), "meeting in the next two weeks", "meetings in the next two weeks"),
        (len(report.debriefs_due), "debrief due", "debriefs due"),
        (len(report.follow_ups_due), "follow-up due", "follow-ups due"),
        (len(report.overdue_nearby), "connection nearby to see again",
         "connections nearby to see again"),
    ):  # fmt: skip
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts) + "." if parts else "Nothing needs you today."

"""The Target companies page of Network: the companies you want to do business with.

For each, how many people you know there; for the selected one, those people, with where
they are, when you last met and whether they are near your next trip, so a coffee can be
planned from here. One read brings everything, so selecting a company answers at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.domain.entities import TargetCompany, Trip
from netplanner.domain.geo import format_km, km_to_miles
from netplanner.gui.operations import OpHost
from netplanner.gui.operations.targets import (
    NEAR_KM,
    PersonThere,
    TargetRow,
    TargetsAnswer,
    TargetsServices,
    add_target,
    read_targets,
    remove_target,
    restore_target,
)
from netplanner.gui.widgets.spoken_label import SpokenLabel
from netplanner.gui.workspaces.base import WorkspaceHost
from netplanner.gui.workspaces.plan import trip_dates
from netplanner.services.criteria import company_key

TargetIdRole = Qt.ItemDataRole.UserRole + 21
ContactIdRole = Qt.ItemDataRole.UserRole + 22
HEADERS = ("Name", "Position", "Where", "Last met", "Near your next trip")
NAME, POSITION, WHERE, LAST_MET, NEAR = range(len(HEADERS))
EMPTY_TEXT = (
    "No target companies yet. Add the companies you want to do business with; "
    "the people you know there rank higher in Plan."
)


def _people(count: int) -> str:
    return f"{count:,} person" if count == 1 else f"{count:,} people"


def count_text(answer: TargetsAnswer) -> str:
    """'3 target companies; you know 11 people there'."""
    companies = len(answer.targets)
    noun = "target company" if companies == 1 else "target companies"
    return f"{companies:,} {noun}; you know {_people(answer.people_count)} there"


def near_radius_text(units: str) -> str:
    return f"{km_to_miles(NEAR_KM):.0f} mi" if units == "mi" else f"{NEAR_KM:.0f} km"


def near_text(person: PersonThere, trip: Trip | None, units: str) -> str:
    """'Near Lisbon December 2026 (6.2 km)', or '' for someone farther or not located."""
    if trip is None or not person.near_next_trip or person.km_to_next_trip is None:
        return ""
    return f"Near {trip.name} ({format_km(person.km_to_next_trip, units)})"


class _RemoveTargetCommand(QUndoCommand):
    """Removing a target company, undoable: it comes back with its name and notes."""

    def __init__(
        self,
        host: OpHost,
        services: TargetsServices,
        target: TargetCompany,
        on_restored: Callable[[TargetCompany | None], None],
    ) -> None:
        super().__init__(f"Remove target company {target.name}")
        self.host, self.services = host, services
        self.target_id = target.id or 0
        self.on_restored = on_restored
        self.removed: TargetCompany | None = None

    # Called on the write worker, so a redo queued behind an undo finds the new id.
    def _keep(self, target: TargetCompany) -> None:
        self.removed = target

    def _take(self) -> TargetCompany | None:
        removed, self.removed = self.removed, None
        return removed

    def _restored(self, target: TargetCompany) -> None:
        self.target_id = target.id or 0

    def redo(self) -> None:
        remove_target(self.host, self.services, lambda: self.target_id, self._keep).run()

    def undo(self) -> None:
        restore_target(self.host, self.services, self._take, self._restored).success(
            self.on_restored
        ).run()


class TargetsView(QWidget):
    """The target companies beside the people you know at the selected one."""

    def __init__(
        self,
        host: WorkspaceHost,
        services: TargetsServices,
        parent: QWidget | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.services = services
        self.undo_stack = undo_stack
        self.today = today
        self.answer: TargetsAnswer | None = None
        self._want_target: int | None = None  # keep this company selected across reads
        self._want_key: str | None = None  # select the company of this name once read
        self.setObjectName("targets-view")
        self.setAccessibleName("Target companies")

        # The companies ------------------------------------------------------------------
        self.heading = QLabel("<b>&Target companies</b>", self)
        self.heading.setObjectName("targets-heading")
        self.targets = QListWidget(self)
        self.targets.setObjectName("targets-list")
        self.targets.setAccessibleName("Target companies")
        self.targets.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.targets.setSpacing(3)
        self.heading.setBuddy(self.targets)
        self.targets.currentItemChanged.connect(lambda _c, _p: self._on_target())
        remove_key = QShortcut(QKeySequence.StandardKey.Delete, self.targets)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self.confirm_remove)

        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("targets-empty")
        self.empty.setAccessibleName(EMPTY_TEXT)
        self.empty.setWordWrap(True)
        self.empty.hide()

        self.count = SpokenLabel(self)
        self.count.setObjectName("targets-count")
        self.count.setAccessibleName("Target companies count")

        self.add_button = QPushButton("Add a &company…", self)
        self.add_button.setObjectName("targets-add-company")
        self.add_button.setAccessibleName("Add a company…")
        self.add_button.clicked.connect(self.start_adding)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setObjectName("targets-remove")
        self.remove_button.setAccessibleName("Remove")
        self.remove_button.setToolTip("Remove the selected company from your target companies")
        self.remove_button.clicked.connect(self.confirm_remove)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("targets-company-name")
        self.name_edit.setAccessibleName("Company name")
        self.name_edit.setPlaceholderText("Company name, e.g. Nimbus Cloud")
        self.name_edit.returnPressed.connect(self.add_typed)
        cancel_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.name_edit)
        cancel_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        cancel_key.activated.connect(self.stop_adding)
        self.add_confirm = QPushButton("&Add", self)
        self.add_confirm.setObjectName("targets-add")
        self.add_confirm.setAccessibleName("Add")
        self.add_confirm.clicked.connect(self.add_typed)
        self.error = SpokenLabel(self)
        self.error.setObjectName("targets-error")
        self.error.setAccessibleName("Target company error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.name_edit.textEdited.connect(lambda _t: self.error.hide())

        self.add_row = QWidget(self)
        self.add_row.setObjectName("targets-add-row")
        add_layout = QHBoxLayout(self.add_row)
        add_layout.setContentsMargins(0, 0, 0, 0)
        add_layout.addWidget(self.name_edit, 1)
        add_layout.addWidget(self.add_confirm)
        self.add_row.hide()

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.heading)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.targets, 1)
        left_layout.addWidget(self.count)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.add_row)
        left_layout.addWidget(self.error)

        # The people there ---------------------------------------------------------------
        self.people_heading = QLabel("<b>&People there</b>", self)
        self.people_heading.setObjectName("targets-people-heading")
        self.trip_note = SpokenLabel(self)
        self.trip_note.setObjectName("targets-next-trip")
        self.trip_note.setAccessibleName("Your next trip")
        self.trip_note.setWordWrap(True)
        self.people = QTableWidget(0, len(HEADERS), self)
        self.people.setObjectName("targets-people")
        self.people.setAccessibleName("People there")
        self.people.setHorizontalHeaderLabels(list(HEADERS))
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people.verticalHeader().hide()
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.people_heading.setBuddy(self.people)
        self.people.itemSelectionChanged.connect(self._update_buttons)
        self.people.itemActivated.connect(lambda _item: self.open_selected())
        self.people_hint = QLabel("Select a company to see the people you know there.", self)
        self.people_hint.setObjectName("targets-people-hint")
        self.people_hint.setWordWrap(True)

        self.open_button = QPushButton("&Open in Contacts", self)
        self.open_button.setObjectName("targets-open-contact")
        self.open_button.setAccessibleName("Open in Contacts")
        self.open_button.clicked.connect(self.open_selected)
        self.coffee_button = QPushButton("Plan a co&ffee…", self)
        self.coffee_button.setObjectName("targets-plan-coffee")
        self.coffee_button.setAccessibleName("Plan a coffee…")
        self.coffee_button.clicked.connect(self.plan_coffee_selected)
        people_buttons = QHBoxLayout()
        people_buttons.addWidget(self.open_button)
        people_buttons.addWidget(self.coffee_button)
        people_buttons.addStretch(1)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.people_heading)
        right_layout.addWidget(self.trip_note)
        right_layout.addWidget(self.people_hint)
        right_layout.addWidget(self.people, 1)
        right_layout.addLayout(people_buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("targets-splitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.setTabOrder(self.targets, self.add_button)
        self.setTabOrder(self.add_button, self.remove_button)
        self.setTabOrder(self.remove_button, self.name_edit)
        self.setTabOrder(self.name_edit, self.add_confirm)
        self.setTabOrder(self.add_confirm, self.people)
        self.setTabOrder(self.people, self.open_button)
        self.setTabOrder(self.open_button, self.coffee_button)

        self.add_action = QAction("Add a target company…", self)
        self.add_action.setObjectName("targets-add-action")
        self.add_action.triggered.connect(self.start_adding)
        self.remove_action = QAction("Remove target company…", self)
        self.remove_action.setObjectName("targets-remove-action")
        self.remove_action.triggered.connect(self.confirm_remove)
        self._update_buttons()

    # The interface every Network page has ---------------------------------------------
    def reload(self) -> None:
        read_targets(self.host, self.services, self.today()).success(self._show).run()

    def on_changes(self, changes: Changes) -> None:
        # Trips and settings too: they move "near your next trip" and its units.
        if (
            changes.everything or changes.criteria or changes.contacts or changes.home
            or changes.trips or changes.settings
        ):  # fmt: skip
            self.reload()

    def set_services(self, services: TargetsServices) -> None:
        self.services = services
        self.answer = None
        self._want_target = self._want_key = None
        self.targets.clear()
        self._show_people(None)
        self.reload()

    def actions_for_menu(self) -> list[QAction]:
        return [self.add_action, self.remove_action]

    # Reading ---------------------------------------------------------------------------
    def _show(self, answer: TargetsAnswer) -> None:
        self.answer = answer
        keep = self.current_target_id() if self._want_target is None else self._want_target
        if self._want_key is not None:
            wanted = answer.row_named(self._want_key)
            if wanted is not None:
                keep, self._want_key = wanted.target_id, None
        self._want_target = None
        self.targets.blockSignals(True)
        self.targets.clear()
        chosen: QListWidgetItem | None = None
        for row in answer.targets:
            item = QListWidgetItem(f"{row.target.name} — you know {_people(len(row.people))}")
            item.setData(TargetIdRole, row.target_id)
            self.targets.addItem(item)
            if row.target_id == keep:
                chosen = item
        if chosen is None and self.targets.count():
            chosen = self.targets.item(0)
        if chosen is not None:
            self.targets.setCurrentItem(chosen)
        self.targets.blockSignals(False)
        self.empty.setVisible(not answer.targets)
        self.targets.setVisible(bool(answer.targets))
        self.count.setText(count_text(answer) if answer.targets else "")
        self.count.setVisible(bool(answer.targets))
        if not answer.targets:
            self.add_row.show()  # the empty state says to add one: the field is there
        self._show_trip_note(answer)
        self._on_target()

    def _show_trip_note(self, answer: TargetsAnswer) -> None:
        trip = answer.next_trip
        if trip is None:
            self.trip_note.setText(
                "No trip ahead: add one in Plan to see who is near where you will be."
            )
        else:
            self.trip_note.setText(
                f"Your next trip: {trip.name} ({trip_dates(trip)}). People within "
                f"{near_radius_text(answer.units)} of where you stay are marked."
            )

    def current_target_id(self) -> int | None:
        item = self.targets.currentItem()
        value = item.data(TargetIdRole) if item is not None else None
        return int(value) if value is not None else None

    def current_row(self) -> TargetRow | None:
        target_id = self.current_target_id()
        if self.answer is None or target_id is None:
            return None
        return self.answer.row_for(target_id)

    def _on_target(self) -> None:
        self._show_people(self.current_row())

    def _show_people(self, row: TargetRow | None) -> None:
        answer = self.answer
        keep = self.current_contact_id()
        self.people.setRowCount(0)
        if row is None or answer is None:
            self.people_heading.setText("<b>&People there</b>")
            self.people_hint.setText("Select a company to see the people you know there.")
            self.people_hint.show()
            self._update_buttons()
            return
        self.people_heading.setText(f"<b>&People at {row.target.name}</b>")
        # Those near the next trip first: they are the ones to see soon.
        people = sorted(row.people, key=lambda p: (not p.near_next_trip, p.name.casefold()))
        self.people.setRowCount(len(people))
        for index, person in enumerate(people):
            last = person.last_met.isoformat() if person.last_met else "never"
            cells = (
                person.name,
                person.position or "",
                person.where or "not known",
                last,
                near_text(person, answer.next_trip, answer.units),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ContactIdRole, person.contact_id)
                if column == NEAR and text:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.people.setItem(index, column, item)
            if person.contact_id == keep:
                self.people.selectRow(index)
        if people and not self.people.selectedItems():
            self.people.selectRow(0)
        self.people_hint.setText(
            f"You know nobody at {row.target.name} yet: when you import or add someone "
            "who works there, they show here."
        )
        self.people_hint.setVisible(not people)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_target = self.current_target_id() is not None
        self.remove_button.setEnabled(has_target)
        self.remove_action.setEnabled(has_target)
        person = self.current_person() is not None
        self.open_button.setEnabled(person)
        self.coffee_button.setEnabled(person)

    # The people -----------------------------------------------------------------------
    def current_contact_id(self) -> int | None:
        items = self.people.selectedItems()
        value = items[0].data(ContactIdRole) if items else None
        return int(value) if value is not None else None

    def current_person(self) -> PersonThere | None:
        row, contact_id = self.current_row(), self.current_contact_id()
        if row is None or contact_id is None:
            return None
        return next((p for p in row.people if p.contact_id == contact_id), None)

    def open_selected(self) -> None:
        person = self.current_person()
        if person is not None:
            self.host.open_contact(person.contact_id)

    def plan_coffee_selected(self) -> None:
        """Plan a coffee; on the next trip when they are near it, else where you are now."""
        person = self.current_person()
        if person is None or self.answer is None:
            return
        trip = self.answer.next_trip
        trip_id = trip.id if trip is not None and person.near_next_trip else None
        self.host.plan_coffee(person.contact_id, trip_id)

    # Adding and removing --------------------------------------------------------------
    def start_adding(self) -> None:
        self.add_row.show()
        self.name_edit.setFocus()

    def stop_adding(self) -> None:
        self.name_edit.clear()
        self.error.hide()
        if self.answer is None or self.answer.targets:
            self.add_row.hide()
            self.add_button.setFocus()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def add_typed(self) -> None:
        """Add the company typed in "Company name"; an empty or known name is explained."""
        name = self.name_edit.text()
        self.error.hide()
        self.add_confirm.setEnabled(False)
        self._want_key = company_key(name) or None

        def added(target: TargetCompany) -> None:
            self.add_confirm.setEnabled(True)
            self.name_edit.clear()
            self.host.show_message(f"Added {target.name} to your target companies.")

        def failed(message: str) -> None:
            self.add_confirm.setEnabled(True)
            self._want_key = None
            self.show_error(message)

        add_target(self.host, self.services, name).success(added).failure(failed).run()

    def confirm_remove(self) -> None:
        row = self.current_row()
        if row is None:
            return
        name = row.target.name
        undo = " You can undo this with Ctrl+Z." if self.undo_stack is not None else ""
        answer = QMessageBox.question(
            self,
            "Remove target company",
            f"Remove {name} from your target companies? The people there stay in your "
            f"contacts.{undo}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.undo_stack is not None:
            self.undo_stack.push(
                _RemoveTargetCommand(self.host, self.services, row.target, self._restored)
            )
            self.host.show_message(
                f"Removed {name} from your target companies. Ctrl+Z brings it back."
            )
        else:
            remove_target(self.host, self.services, row.target_id).success(
                lambda removed: self.host.show_message(
                    f"Removed {removed.name} from your target companies."
                )
            ).run()

    def _restored(self, target: TargetCompany | None) -> None:
        if target is None:
            return
        # The read announced before this may still be on its way: select it when it lands.
        if self.answer is not None and self.answer.row_for(target.id or 0) is not None:
            self.select_target(target.id or 0)
        else:
            self._want_target = target.id
        self.host.show_message(f"{target.name} is a target company again.")

    def select_target(self, target_id: int) -> bool:
        for index in range(self.targets.count()):
            item = self.targets.item(index)
            if item.data(TargetIdRole) == target_id:
                self.targets.setCurrentItem(item)
                return True
        return False

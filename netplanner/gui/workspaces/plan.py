"""The Plan workspace: where you will be, who is near it (ranked, with reasons), and the map.

The place chosen and the contact selected live in a ``PlanState`` that the table and the
map both follow. Ranking runs on the read worker once per place and radius; the narrowing
controls filter what was ranked, so they answer as you change them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.domain.entities import Trip
from netplanner.domain.geo import miles_to_km
from netplanner.domain.trips import DeletedTrip
from netplanner.gui.dialogs.trip_dialog import TripDialog
from netplanner.gui.dialogs.trip_import_dialog import TripImportDialog
from netplanner.gui.models.plan_state import NOW, PlanState
from netplanner.gui.models.suggestions_model import Narrowing, SuggestionsModel
from netplanner.gui.operations import OpHost
from netplanner.gui.operations.map_labels import labels_from
from netplanner.gui.operations.places import completer_for
from netplanner.gui.operations.plan import (
    Places,
    PlanAnswer,
    PlanServices,
    delete_trip,
    import_trips,
    preview_trip_import,
    read_places,
    read_suggestions,
    restore_trip,
    save_trip,
)
from netplanner.gui.widgets.location_edit import PlaceLookup
from netplanner.gui.widgets.map_view import MapPoint, MapView
from netplanner.gui.widgets.tables import record_table
from netplanner.gui.widgets.text_table import PlainTextTableView
from netplanner.gui.workspaces.base import Workspace, WorkspaceHost
from netplanner.services.planning import DEFAULT_RADIUS_KM
from netplanner.services.trips import TripImportPreview

WhereRole = Qt.ItemDataRole.UserRole + 11
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def trip_dates(trip: Trip) -> str:
    """'8–11 Dec 2026', '29 Dec 2026 – 2 Jan 2027'."""
    a, b = trip.start_date, trip.end_date
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {_MONTHS[b.month - 1]} {b.year}"
    if a.year == b.year:
        return f"{a.day} {_MONTHS[a.month - 1]} – {b.day} {_MONTHS[b.month - 1]} {b.year}"
    return f"{a.day} {_MONTHS[a.month - 1]} {a.year} – {b.day} {_MONTHS[b.month - 1]} {b.year}"


class PlanHost(WorkspaceHost, Protocol):
    def lookup(self) -> PlaceLookup | None: ...


class _DeleteTripCommand(QUndoCommand):
    """Deleting a trip, undoable: the trip comes back with its id and its meetings."""

    def __init__(self, host: OpHost, services: PlanServices, trip: Trip) -> None:
        super().__init__(f"Delete trip {trip.name}")
        self.host, self.services, self.trip_id = host, services, trip.id or 0
        self.deleted: DeletedTrip | None = None

    def _keep(self, deleted: DeletedTrip) -> None:
        self.deleted = deleted

    def _take(self) -> DeletedTrip | None:
        deleted, self.deleted = self.deleted, None
        return deleted

    def redo(self) -> None:
        delete_trip(self.host, self.services, self.trip_id, self._keep).run()

    def undo(self) -> None:
        restore_trip(self.host, self.services, self._take).run()


class PlanWorkspace(Workspace):
    """Where will you be, and whom to see there."""

    key = "plan"
    title = "Plan"
    number = 3

    def __init__(
        self,
        host: PlanHost,
        services: PlanServices,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(host, parent)
        self.app = host
        self.services = services
        self.undo_stack = undo_stack
        self.state = PlanState()
        self.places: Places | None = None
        self.answer: PlanAnswer | None = None
        # One map point per person of the current wide ranking (re-ranked on every step).
        self._points: dict[int, MapPoint] = {}
        self.trip_dialog: TripDialog | None = None
        self._fresh = False  # whether ``answer`` still holds for the data
        self._want_where: int | None = None  # a trip to select once the list has it

        # Where will you be? ----------------------------------------------------------
        self.where_heading = QLabel("<b>Where will you be?</b>", self)
        self.where = QListWidget(self)
        self.where.setObjectName("plan-where")
        self.where.setAccessibleName("Where will you be?")
        self.where.setWordWrap(True)
        self.where.setSpacing(3)
        self.where_heading.setBuddy(self.where)
        self.where.currentItemChanged.connect(lambda _c, _p: self._on_where_item())
        self.where.itemSelectionChanged.connect(self._on_where_item)
        self.add_button = self._button("Add trip…", "Add a trip", self.add_trip)
        self.edit_button = self._button("Edit…", "Edit the trip", self.edit_trip)
        self.delete_button = self._button("Delete", "Delete the trip", self.confirm_delete)
        self.import_button = self._button(
            "From a calendar…", "Import trips from a calendar", self.choose_calendar
        )
        trip_buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            trip_buttons.addWidget(button)
        trip_buttons.addStretch(1)
        import_row = QHBoxLayout()
        import_row.addWidget(self.import_button)
        import_row.addStretch(1)
        left = QWidget(self)
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.where_heading)
        left_column.addWidget(self.where, 1)
        left_column.addLayout(trip_buttons)
        left_column.addLayout(import_row)

        # Narrowing ----------------------------------------------------------------------
        self.radius = QDoubleSpinBox(self)
        self.radius.setObjectName("plan-radius")
        self.radius.setAccessibleName("Radius")
        self.radius.setDecimals(0)
        self.radius.setRange(1, 500)
        self.radius.setSingleStep(5)
        self.radius.setValue(DEFAULT_RADIUS_KM)
        self.radius.setKeyboardTracking(False)  # re-rank once the number is typed
        self.radius.valueChanged.connect(lambda _v: self._ask())
        self.target_only = QCheckBox("&Target companies only", self)
        self.target_only.setObjectName("plan-target-only")
        self.fits_only = QCheckBox("&Fits my criteria", self)
        self.fits_only.setObjectName("plan-fits-only")
        self.hide_met = QCheckBox("&Hide those met in the last", self)
        self.hide_met.setObjectName("plan-hide-met")
        self.hide_months = QSpinBox(self)
        self.hide_months.setObjectName("plan-hide-months")
        self.hide_months.setAccessibleName("Months")
        self.hide_months.setRange(1, 60)
        self.hide_months.setValue(6)
        self.hide_months.setSuffix(" months")
        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("plan-filter")
        self.text_filter.setAccessibleName("Filter suggestions")
        self.text_filter.setPlaceholderText("Filter by name, company or reason")
        self.text_filter.setClearButtonEnabled(True)
        for action in self.text_filter.findChildren(QAction):
            action.setText("Clear the filter")
        for box in (self.target_only, self.fits_only, self.hide_met):
            box.toggled.connect(lambda _on: self._narrow())
        self.hide_months.valueChanged.connect(lambda _v: self._narrow())
        self.text_filter.textChanged.connect(lambda _t: self._narrow())
        radius_label = QLabel("&Radius", self)
        radius_label.setBuddy(self.radius)
        first = QHBoxLayout()
        first.addWidget(radius_label)
        first.addWidget(self.radius)
        first.addWidget(self.target_only)
        first.addWidget(self.fits_only)
        first.addWidget(self.hide_met)
        first.addWidget(self.hide_months)
        first.addStretch(1)
        second = QHBoxLayout()
        second.addWidget(self.text_filter, 1)
        self.count = QLabel(self)
        self.count.setObjectName("plan-count")
        self.count.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("plan-hint")
        self.hint.setWordWrap(True)
        self.hint.hide()

        # Suggestions and the map ---------------------------------------------------------
        self.model = SuggestionsModel(self)
        self.table = record_table(
            self,
            "plan-suggestions",
            "Suggestions",
            self.model,
            (130, 120, 70, 84),
            table=PlainTextTableView(self),  # a radius step's table painted in ~3 ms, not ~14
        )
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(lambda _s, _d: self._on_row())
        selection.currentRowChanged.connect(lambda _c, _p: self._on_row())
        self.table.doubleClicked.connect(lambda _i: self.open_contact())
        self.open_button = self._button(
            "Open contact", "Open the suggested contact", self.open_contact
        )
        self.coffee_button = self._button("Plan a coffee…", "Plan a coffee", self.plan_coffee)
        self.coffee_button.setToolTip("Venue, time and invitation for the selected contact")
        self.map = MapView(labels_from(host.lookup), self)
        self.map.point_clicked.connect(self.state.select)
        self.map.cluster_clicked.connect(self._on_cluster)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("plan-splitter")
        self.splitter.setAccessibleName("Suggestions and map")
        table_side = QWidget(self)
        table_column = QVBoxLayout(table_side)
        table_column.setContentsMargins(0, 0, 0, 0)
        table_column.addWidget(self.table, 1)
        table_column.addWidget(self.hint)
        open_row = QHBoxLayout()
        open_row.addStretch(1)
        open_row.addWidget(self.open_button)
        open_row.addWidget(self.coffee_button)
        table_column.addLayout(open_row)
        self.splitter.addWidget(table_side)
        self.splitter.addWidget(self.map)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([600, 400])

        right = QWidget(self)
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addLayout(first)
        right_column.addLayout(second)
        right_column.addWidget(self.count)
        right_column.addWidget(self.splitter, 1)
        self.outer = QSplitter(Qt.Orientation.Horizontal, self)
        self.outer.setObjectName("plan-outer-splitter")
        self.outer.setAccessibleName("Places and suggestions")
        self.outer.addWidget(left)
        self.outer.addWidget(right)
        self.outer.setStretchFactor(0, 1)
        self.outer.setStretchFactor(1, 4)
        self.outer.setSizes([240, 1000])
        self.outer.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.outer)

        self.add_action = QAction("&Add a trip…", self)
        self.add_action.setShortcut(QKeySequence("Ctrl+T"))
        self.add_action.triggered.connect(self.add_trip)
        self.import_action = QAction("Import trips from a &calendar…", self)
        self.import_action.triggered.connect(self.choose_calendar)
        self.import_dialog: TripImportDialog | None = None
        self.state.on_where(lambda _w: self._ask())
        self.state.on_selected(self._show_selected)
        self.reload()

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setObjectName("plan-" + name.lower().replace(" ", "-"))
        button.clicked.connect(slot)
        return button

    # The workspace frame ---------------------------------------------------------------
    def set_services(self, services: PlanServices) -> None:
        self.services = services
        self._fresh = False
        self.places = self.answer = None
        self.state.where = None
        self.reload()

    def on_changes(self, changes: Changes) -> None:
        if changes.planning:
            self._fresh = False  # what was ranked may be out of date: ask again
            self.reload_when_shown()

    def actions_for_menu(self) -> list[QAction]:
        return [self.add_action, self.import_action]

    def activated(self) -> None:
        self.show_if_stale()
        self.where.setFocus()

    def save_state(self, store: QSettings) -> None:
        store.setValue("plan/outer", self.outer.saveState())
        store.setValue("plan/splitter", self.splitter.saveState())

    def restore_state(self, store: QSettings) -> None:
        for key, splitter in (("plan/outer", self.outer), ("plan/splitter", self.splitter)):
            value = store.value(key)
            if isinstance(value, QByteArray):
                splitter.restoreState(value)

    # Where will you be? ----------------------------------------------------------------
    def reload(self) -> None:
        services = self.services
        read_places(self.host, services).success(
            lambda places: self._show_places(places) if services is self.services else None
        ).run()

    def _show_places(self, places: Places) -> None:
        self.places = places
        chosen = self._want_where if self._want_where is not None else self.state.where
        self._want_where = None
        self.where.blockSignals(True)
        self.where.clear()
        now = QListWidgetItem(self.where)
        if places.now is not None:
            kind = "current location" if places.now.kind == "current" else "home"
            now.setText(f"Now\n{places.now.text.split(',')[0]} ({kind})")
        else:
            now.setText("Now\nSet your home in Settings")
        now.setData(WhereRole, NOW)
        upcoming = [t for t in places.trips if t.end_date >= places.today]
        past = [t for t in places.trips if t.end_date < places.today]
        grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for trip in [*upcoming, *reversed(past)]:
            item = QListWidgetItem(f"{trip.name}\n{trip_dates(trip)}", self.where)
            item.setData(WhereRole, trip.id)
            if trip.end_date < places.today:
                item.setForeground(grey)
                item.setToolTip("This trip is over.")
        keys = [self.where.item(r).data(WhereRole) for r in range(self.where.count())]
        if chosen not in keys:
            chosen = upcoming[0].id if upcoming and self.state.where is None else NOW
        self.where.setCurrentRow(keys.index(chosen))
        self.where.blockSignals(False)
        if chosen == self.state.where:
            self._ask()  # the same place: its people may have changed
        else:
            self.state.set_where(chosen)
        self._enable_trip_buttons()

    def _on_where_item(self) -> None:
        items = self.where.selectedItems() or [self.where.currentItem()]
        item = items[0] if items and items[0] is not None else None
        if item is not None:
            if self.where.currentItem() is not item:
                self.where.setCurrentItem(item)
            self.state.set_where(int(item.data(WhereRole)))
        self._enable_trip_buttons()

    def current_trip(self) -> Trip | None:
        where = self.state.where
        if self.places is None or where in (None, NOW):
            return None
        return next((t for t in self.places.trips if t.id == where), None)

    def _enable_trip_buttons(self) -> None:
        is_trip = self.current_trip() is not None
        self.edit_button.setEnabled(is_trip)
        self.delete_button.setEnabled(is_trip)

    def select_trip(self, trip_id: int) -> bool:
        for row in range(self.where.count()):
            if self.where.item(row).data(WhereRole) == trip_id:
                self.where.setCurrentRow(row)
                return True
        return False

    # Who is near -----------------------------------------------------------------------
    def _radius_km(self) -> float:
        value = float(self.radius.value())
        return miles_to_km(value) if self._unit() == "mi" else value

    def _unit(self) -> str:
        return self.services.settings.units

    def _ask(self) -> None:
        where = self.state.where
        if where is None:
            return
        services = self.services
        unit = self._unit()
        self.radius.setSuffix(f" {unit}")  # the number means km or miles, as the settings say
        self.map.set_units(unit)
        radius_km = self._radius_km()
        known = self.answer
        if (
            known is not None and self._fresh and known.where == where
            and known.request is not None and radius_km <= known.ranked_km
        ):  # fmt: skip
            self._show_answer(known.narrowed_to(radius_km))  # no query: re-scored at once
            return
        read_suggestions(self.host, services, where, radius_km).success(
            lambda answer: self._show_answer(answer) if services is self.services else None
        ).run()

    def _show_answer(self, answer: PlanAnswer) -> None:
        if answer.where != self.state.where:
            return
        if self.answer is None or answer.wide is not self.answer.wide:
            self._points = {}  # read again: places may have moved
        self.answer = answer
        self._fresh = True
        today = self.places.today if self.places is not None else date.today()
        self.model.set_suggestions(answer.suggestions, self._unit(), today, self._narrowing())
        if answer.base is not None:
            self.map.set_base(answer.base[0], answer.base[1], answer.base_label)
            self.map.set_radius_km(answer.radius_km)
            self.map.fit(answer.base[0], answer.base[1], answer.radius_km)
        else:
            self.map.clear_base()
            self.map.set_radius_km(None)
        self._after_narrowing()

    def _narrowing(self) -> Narrowing:
        return Narrowing(
            target_only=self.target_only.isChecked(),
            fits_only=self.fits_only.isChecked(),
            hide_met_months=self.hide_months.value() if self.hide_met.isChecked() else None,
            text=self.text_filter.text(),
        )

    def _narrow(self) -> None:
        self.model.narrow(self._narrowing())
        self._after_narrowing()

    def _after_narrowing(self) -> None:
        shown = self.model.shown()
        points = self._points
        for s in shown:
            if s.contact.id not in points:
                c = s.contact
                points[c.id] = MapPoint(c.id, c.lat, c.lon, None, c.name)
        last = max(1, len(shown) - 1)
        # The colour on the map follows the place in the list: the best 1, the last 0.
        self.map.set_points(
            [points[s.contact.id] for s in shown], [1.0 - n / last for n in range(len(shown))]
        )
        self._show_count()
        selected = self.state.selected
        if selected is not None and self.model.row_of(selected) >= 0:
            self._show_selected(selected)
        else:
            self.state.select(None)
            self.map.set_highlight(None)

    def _show_count(self) -> None:
        answer = self.answer
        if answer is None or answer.request is None:
            self.count.setText("Set your home in Settings, or add a trip, to see who is near.")
            self.hint.hide()
            return
        shown, ranked = self.model.rowCount(), self.model.ranked()
        where = answer.base_label or "there"
        radius = f"{self.radius.value():,.0f} {self._unit()}"  # as typed: "25 km"
        people = "connection" if shown == 1 else "connections"
        text = f"{shown:,} {people} within {radius} of {where}"
        if shown != ranked:
            text += f" ({ranked - shown:,} more hidden by the filters)"
        self.count.setText(text + ".")
        self.count.setAccessibleName(self.count.text())
        self.hint.setVisible(shown == 0)
        if shown == 0:
            self.hint.setText(self._empty_hint(answer, ranked))

    def _empty_hint(self, answer: PlanAnswer, ranked: int) -> str:
        if ranked:
            return "Nobody left after the filters: clear one of them to see the others."
        parts = ["Nobody in your network is that close. Try a larger radius"]
        hint = answer.hint
        if hint is not None and hint.in_country and hint.country_name:
            parts.append(
                f", or locate the contacts in the inbox: {hint.in_country:,} of your contacts "
                f"in {hint.country_name} have no location yet"
            )
        elif hint is not None and hint.total:
            parts.append(
                f", or locate the {hint.total:,} contacts without a location (Contacts, "
                "Needs a location)"
            )
        return "".join(parts) + "."

    # Selection: the table and the map follow the state --------------------------------
    def _on_row(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.state.select(self.model.suggestion_at(rows[0].row()).contact.id)

    def _show_selected(self, contact_id: int | None) -> None:
        self.map.set_highlight(contact_id)
        row = self.model.row_of(contact_id)
        if row >= 0:
            current = self.table.selectionModel().selectedRows()
            if not current or current[0].row() != row:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(self.model.index(row, 0))
        self.open_button.setEnabled(row >= 0)
        self.coffee_button.setEnabled(row >= 0)

    def _on_cluster(self, ids: list[int]) -> None:
        shown = [i for i in ids if self.model.row_of(i) >= 0]
        if shown:
            self.state.select(min(shown, key=self.model.row_of))

    def open_contact(self) -> None:
        if self.state.selected is not None:
            self.app.open_contact(self.state.selected)

    def plan_coffee(self) -> None:
        """The meeting planner for the selected suggestion, at the place shown."""
        where = self.state.where
        if self.state.selected is not None and where is not None:
            self.app.plan_coffee(self.state.selected, None if where == NOW else where)

    # Trips -----------------------------------------------------------------------------
    def add_trip(self) -> None:
        self._open_dialog(None)

    def edit_trip(self) -> None:
        trip = self.current_trip()
        if trip is not None:
            self._open_dialog(trip)

    def _open_dialog(self, trip: Trip | None) -> TripDialog:
        lookup = self.app.lookup()
        dialog = TripDialog(lookup, trip, self, completer_for(self.host, lambda: lookup))
        dialog.save_handler = self._save_dialog
        dialog.setModal(True)
        dialog.show()
        self.trip_dialog = dialog
        return dialog

    def _save_dialog(self, dialog: TripDialog) -> bool:
        """Save on the worker; the dialog closes when it is stored, or says why not."""
        dialog.setEnabled(False)

        def saved(trip: Trip) -> None:
            dialog.finish_saving()
            # The list may not have been read again yet (it is, on the read worker, after
            # the change is announced): then the next reading selects the trip.
            if trip.id is not None and not self.select_trip(trip.id):
                self._want_where = trip.id
            self.host.show_message(f"Saved the trip {trip.name}.")

        def failed(message: str) -> None:
            dialog.setEnabled(True)
            dialog.show_error(message)

        trip_id = dialog.trip.id if dialog.trip is not None else None
        save_trip(self.host, self.services, dialog.draft(), trip_id).success(saved).failure(
            failed
        ).run()
        return False

    def confirm_delete(self) -> None:
        trip = self.current_trip()
        if trip is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete trip",
            f"Delete the trip {trip.name}? Its meetings stay. You can undo this with Ctrl+Z.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.undo_stack.push(_DeleteTripCommand(self.host, self.services, trip))
            self.host.show_message(f"Deleted the trip {trip.name}. Ctrl+Z brings it back.")

    # Trips from a calendar -------------------------------------------------------------
    def choose_calendar(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Trips from a calendar", "", "Calendars (*.ics);;All files (*)"
        )
        if path:
            self.import_calendar(Path(path))

    def import_calendar(self, path: Path) -> TripImportDialog:
        """Preview the trips of an .ics file, then import them if the user says so."""
        services = self.services

        def preview(
            chosen: Path,
            done: Callable[[TripImportPreview], None],
            failed: Callable[[str], None],
        ) -> None:
            preview_trip_import(self.host, services, chosen).success(done).failure(failed).run()

        def run(
            chosen: Path,
            done: Callable[[TripImportPreview], None],
            failed: Callable[[str], None],
        ) -> None:
            import_trips(self.host, services, chosen).success(done).failure(failed).run()

        dialog = TripImportDialog(path, preview, run, self)
        dialog.setModal(True)
        dialog.show()
        dialog.start_preview()
        self.import_dialog = dialog
        return dialog

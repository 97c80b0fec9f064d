"""Add or edit a trip: the place (completed from the gazetteer), the dates, a base, notes.

The dialog only collects a ``TripDraft``; the workspace saves it as an operation and the
dialog stays open, with the reason in one sentence, when the place is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.entities import Trip
from netplanner.domain.places import PlaceMatch
from netplanner.gui.operations.map_labels import labels_from
from netplanner.gui.operations.plan import TripDraft
from netplanner.gui.widgets.location_edit import CompleteLater, LocationEdit, PlaceLookup
from netplanner.gui.widgets.map_view import MapView

BASE_MAP_KM = 8.0  # the dialog's map shows the place this far around


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


class TripDialog(QDialog):
    """The trip form; ``save_handler(dialog)`` stores it and returns False to stay open."""

    def __init__(
        self,
        lookup: PlaceLookup | None,
        trip: Trip | None = None,
        parent: QWidget | None = None,
        complete_later: CompleteLater | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.trip = trip
        self.setWindowTitle("Edit trip" if trip is not None else "Add a trip")
        self.setObjectName("trip-dialog")
        self.setMinimumWidth(520)
        self.save_handler: Callable[[TripDialog], bool] | None = None
        self._chosen: PlaceMatch | None = None
        start = trip.start_date if trip is not None else (today or date.today()) + timedelta(7)

        self.place = LocationEdit(lookup, self, complete_later)
        self.place.setObjectName("trip-place")
        self.place.line.setObjectName("trip-place-text")
        self.place.line.setAccessibleName("Place")
        self.place.line.setPlaceholderText("City, e.g. Lisbon or Cambridge, MA")
        self.place.set_text(trip.place_text if trip is not None else "")
        self.place.committed.connect(self._on_place)
        self.place.line.editingFinished.connect(self._show_place)
        self._lookup = lookup
        self.name = QLineEdit(trip.name if trip is not None else "", self)
        self.name.setObjectName("trip-name")
        self.name.setAccessibleName("Trip name")
        self.name.setPlaceholderText("The place and month, unless you name it")
        self.start = QDateEdit(_qdate(start), self)
        self.start.setObjectName("trip-from")
        self.start.setAccessibleName("First day")
        self.end = QDateEdit(_qdate(trip.end_date if trip is not None else start + timedelta(2)))
        self.end.setParent(self)
        self.end.setObjectName("trip-to")
        self.end.setAccessibleName("Last day")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
        self.end.setMinimumDate(self.start.date())  # the end is never before the start
        self.start.dateChanged.connect(self._on_start)
        self.base = QLineEdit(trip.base_address or "" if trip is not None else "", self)
        self.base.setObjectName("trip-base")
        self.base.setAccessibleName("Base address")
        self.base.setPlaceholderText("Hotel or office (optional)")
        self.base_point: tuple[float, float] | None = None
        self.base_map = MapView(labels_from(lambda: lookup), self)
        self.base_map.setObjectName("trip-base-map")
        self.base_map.setAccessibleName("Base on the map")
        self.base_map.setMinimumHeight(180)
        self.base_map.place_clicked.connect(self.place_base)
        self.base_state = QLabel(
            "Not found offline? Click the map where your hotel or office is.", self
        )
        self.base_state.setObjectName("trip-base-state")
        self.base_state.setWordWrap(True)
        if trip is not None:
            self.base_map.fit(trip.lat, trip.lon, BASE_MAP_KM)
            if trip.base_lat is not None and trip.base_lon is not None:
                self.base_map.set_base(trip.base_lat, trip.base_lon, "your base")
        self.notes = QPlainTextEdit(trip.notes or "" if trip is not None else "", self)
        self.notes.setObjectName("trip-notes")
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        self.error = QLabel(self)
        self.error.setObjectName("trip-error")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Place", self.place)
        form.addRow("&From", self.start)
        form.addRow("&To", self.end)
        form.addRow("&Name", self.name)
        form.addRow("&Base", self.base)
        form.addRow("", self.base_state)
        form.addRow("", self.base_map)
        form.addRow("N&otes", self.notes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.place.line.setFocus()

    def _on_start(self, start: QDate) -> None:
        length = self.start.date().daysTo(self.end.date()) if self.end.date() >= start else 0
        self.end.setMinimumDate(start)
        if self.end.date() < start:
            self.end.setDate(start.addDays(max(length, 0)))

    def _on_place(self, text: str, match: object) -> None:
        self._chosen = match if isinstance(match, PlaceMatch) else None
        if self._chosen is not None:
            self.place.line.setText(self._chosen.name)
            self.base_map.fit(self._chosen.lat, self._chosen.lon, BASE_MAP_KM)

    def _show_place(self) -> None:
        """Centre the base map on the place typed, when the gazetteer knows it."""
        text = self.place.text().strip()
        if self._lookup is None or not text or self._chosen is not None:
            return
        best = self._lookup.locate(text).best
        if best is not None:
            self.base_map.fit(best.lat, best.lon, BASE_MAP_KM)

    def place_base(self, lat: float, lon: float) -> None:
        """The base where the user clicked: used instead of the address's own place."""
        self.base_point = (lat, lon)
        self.base_map.set_base(lat, lon, "your base")
        self.base_state.setText(f"Base placed on the map at {lat:.4f}, {lon:.4f}.")

    def draft(self) -> TripDraft:
        """What the form says; the place is the one chosen among candidates, if any."""
        text = self.place.text().strip()
        return TripDraft(
            place=text,
            start=_day(self.start.date()),
            end=_day(self.end.date()),
            name=self.name.text().strip() or None,
            base=self.base.text().strip() or None,
            notes=self.notes.toPlainText().strip() or None,
            place_changed=self.trip is None or text != self.trip.place_text,
            base_changed=self.trip is None
            or self.base.text().strip() != (self.trip.base_address or ""),
            base_point=self.base_point,
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        if not self.place.text().strip():
            self.show_error("Where is the trip? Type a city, e.g. Lisbon.")
            return
        if self.save_handler is not None and not self.save_handler(self):
            return
        super().accept()

    def finish_saving(self) -> None:
        """Close after a save the handler finished later (on a worker); asks nothing again."""
        self.setEnabled(True)
        super().accept()

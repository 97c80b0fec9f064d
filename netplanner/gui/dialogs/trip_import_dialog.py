"""Trips from a calendar file: a preview of what would be created, updated and skipped,
then the import, then what it did, like the contacts import."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netplanner.services.trips import TripImportItem, TripImportPreview

ACTIONS = {"create": "New", "update": "Updated", "unchanged": "Unchanged"}


def _fill(table: QTableWidget, rows: Sequence[Sequence[object]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))


def _dates(item: TripImportItem) -> str:
    if item.start == item.end:
        return item.start.isoformat()
    return f"{item.start.isoformat()} – {item.end.isoformat()}"


class TripImportDialog(QDialog):
    """Preview, import, report; the work itself is handed in as two callables.

    Attributes:
        imported: the import ran and changed the database.
    """

    imported = Signal()

    def __init__(
        self,
        path: Path,
        preview: Callable[[Path, Callable[[TripImportPreview], None], Callable[[str], None]], None],
        run: Callable[[Path, Callable[[TripImportPreview], None], Callable[[str], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trips from a calendar")
        self.setObjectName("trip-import-dialog")
        self.setMinimumSize(640, 400)
        self.path = path
        self._preview = preview
        self._run = run
        self.report: TripImportPreview | None = None
        self.title = QLabel(f"Reading {path.name}…", self)
        self.title.setObjectName("trip-import-title")
        self.title.setWordWrap(True)
        self.trips = QTableWidget(0, 4, self)
        self.trips.setObjectName("trip-import-trips")
        self.trips.setAccessibleName("Trips in the calendar")
        self.trips.setHorizontalHeaderLabels(["Trip", "Place", "Dates", "What happens"])
        self.skipped = QTableWidget(0, 2, self)
        self.skipped.setObjectName("trip-import-skipped")
        self.skipped.setAccessibleName("Events skipped")
        self.skipped.setHorizontalHeaderLabels(["Event", "Why it is skipped"])
        for table in (self.trips, self.skipped):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setStretchLastSection(True)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.skipped_title = QLabel("Skipped events:", self)
        self.buttons = QDialogButtonBox(self)
        self.import_button = QPushButton("Import", self)
        self.import_button.setObjectName("trip-import-run")
        self.import_button.setAccessibleName("Import trips")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.trips, 2)
        layout.addWidget(self.skipped_title)
        layout.addWidget(self.skipped, 1)
        layout.addWidget(self.buttons)

    def start_preview(self) -> None:
        self._preview(self.path, self._show_preview, self._failed)

    def _show(self, report: TripImportPreview) -> None:
        _fill(
            self.trips,
            [(i.name, i.place, _dates(i), ACTIONS.get(i.action, i.action)) for i in report.trips],
        )
        _fill(self.skipped, [(s.event, s.reason) for s in report.skipped])
        self.skipped.setVisible(bool(report.skipped))
        self.skipped_title.setVisible(bool(report.skipped))

    def _show_preview(self, report: TripImportPreview) -> None:
        self._show(report)
        changes = report.created + report.updated
        if changes:
            self.title.setText(
                f"<b>Importing would add {report.created} trips and update "
                f"{report.updated}.</b> {report.unchanged} are up to date; "
                f"{len(report.skipped)} events are skipped."
            )
        else:
            self.title.setText(
                f"<b>Nothing new:</b> the {report.unchanged} trips of this calendar are up to "
                f"date ({len(report.skipped)} events skipped)."
            )
        self.import_button.setEnabled(changes > 0)

    def start_import(self) -> None:
        self.import_button.setEnabled(False)
        self.title.setText("Importing…")
        self._run(self.path, self._show_report, self._failed)

    def _show_report(self, report: TripImportPreview) -> None:
        self.report = report
        self._show(report)
        self.title.setText(
            f"<b>Imported: {report.created} new trips, {report.updated} updated.</b>"
            + (f" {len(report.skipped)} events were skipped." if report.skipped else "")
        )
        self.import_button.hide()
        self.close_button.setText("Close")
        self.imported.emit()

    def _failed(self, message: str) -> None:
        self.title.setText(f"<b>Nothing was imported.</b> {message}")
        self.trips.hide()
        self.skipped.hide()
        self.skipped_title.hide()
        self.import_button.hide()
        self.close_button.setText("Close")

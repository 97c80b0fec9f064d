"""Import: preview what the files would change, import with progress and Cancel, then report.

The dry run and the import both run through the task helper; the import is one transaction
in the service, so Cancel leaves the database as it was. A LinkedIn data export's zip names
where the user is (Profile.csv): when no home is set, the report offers it as home.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.entities import UserLocation
from netplanner.domain.progress import ProgressSink
from netplanner.gui.operations import OpHost
from netplanner.gui.operations.contacts import ContactServices, read_home, set_home
from netplanner.gui.tasks import Lane, Task, TaskRunner
from netplanner.services.importers.archive import ArchiveReport, OwnProfile

PREVIEW, RUNNING, REPORT = range(3)


class Importer(Protocol):
    """What the dialog needs from ``context.importer``."""

    def preview(self, paths: Sequence[Path]) -> list[Any]: ...

    def run(self, paths: Sequence[Path], progress: ProgressSink) -> list[Any]: ...


@runtime_checkable
class HomeHost(OpHost, Protocol):
    """The window, for the home offer: its operations and the services they use."""

    @property
    def context(self) -> ContactServices: ...


def _display_names(reports: Sequence[Any]) -> list[str]:
    """Each report's file as shown: a zip member as ``<zip name>:<member>``."""
    archives = [str(r.file) for r in reports if isinstance(r, ArchiveReport)]
    names = []
    for report in reports:
        file = str(report.file)
        inside = next((a for a in archives if file.startswith(f"{a}:")), None)
        names.append(
            f"{Path(inside).name}:{file[len(inside) + 1 :]}" if inside else Path(file).name
        )
    return names


def _table(headers: Sequence[str], parent: QWidget, stretch: int = 0) -> QTableWidget:
    # A handful of rows (one per file, or the skipped lines): a QTableWidget is the right size.
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[object]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def _counts(reports: Sequence[Any]) -> tuple[int, int, int, int]:
    return (
        sum(r.created for r in reports),
        sum(r.updated for r in reports),
        sum(r.unchanged for r in reports),
        sum(len(r.skipped) for r in reports),
    )


class ImportDialog(QDialog):
    """Three steps: preview (dry run), import (progress, Cancel), report (skipped rows).

    Attributes:
        imported: an import changed the database; its reports are ``self.reports``.
    """

    imported = Signal()

    def __init__(
        self,
        importer: Importer,
        runner: TaskRunner,
        paths: Sequence[Path],
        parent: QWidget | None = None,
        home_host: HomeHost | None = None,
    ) -> None:
        """``home_host``: the window, to offer a profile's place as home (default: ``parent``)."""
        super().__init__(parent)
        self.setWindowTitle("Import contacts")
        self.setMinimumSize(680, 420)
        self.importer = importer
        self.runner = runner
        self.paths = [Path(p) for p in paths]
        self.task: Task[Any] | None = None
        self.reports: list[Any] = []
        self.home_host = home_host or (parent if isinstance(parent, HomeHost) else None)

        self.pages = QStackedWidget(self)
        # Preview
        preview = QWidget(self.pages)
        self.preview_title = QLabel("Reading the files…", preview)
        self.preview_title.setWordWrap(True)
        self.preview_table = _table(
            ("File", "Format", "New", "Updated", "Unchanged", "Skipped"), preview
        )
        self.preview_warnings = QLabel(preview)
        self.preview_warnings.setWordWrap(True)
        box = QVBoxLayout(preview)
        box.addWidget(self.preview_title)
        box.addWidget(self.preview_table, 1)
        box.addWidget(self.preview_warnings)
        # Running
        running = QWidget(self.pages)
        self.progress_label = QLabel("Importing…", running)
        self.progress = QProgressBar(running)
        self.progress.setRange(0, 0)
        box = QVBoxLayout(running)
        box.addStretch(1)
        box.addWidget(self.progress_label)
        box.addWidget(self.progress)
        box.addWidget(QLabel("Cancel stops the import and leaves your contacts as they were."))
        box.addStretch(1)
        # Report
        report = QWidget(self.pages)
        self.report_title = QLabel(report)
        self.report_title.setWordWrap(True)
        self.skipped_table = _table(("File", "Line", "Why it was skipped"), report, stretch=2)
        # The home offer: a LinkedIn profile's place, when no home is set.
        self.home_offer = QLabel(report)
        self.home_offer.setObjectName("import-home-offer")
        self.home_offer.setAccessibleName("Home from your profile")
        self.home_offer.setWordWrap(True)
        self.home_button = QPushButton(report)
        self.home_button.setObjectName("import-set-home")
        self.home_button.clicked.connect(self.set_offered_home)
        self.home_error = QLabel(report)
        self.home_error.setObjectName("import-home-error")
        self.home_error.setAccessibleName("Why the home was not set")
        self.home_error.setWordWrap(True)
        self.offered_home: str | None = None
        box = QVBoxLayout(report)
        box.addWidget(self.report_title)
        box.addWidget(self.skipped_table, 1)
        box.addWidget(self.home_offer)
        box.addWidget(self.home_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.home_error)
        for widget in (self.home_offer, self.home_button, self.home_error):
            widget.hide()
        for page in (preview, running, report):
            self.pages.addWidget(page)

        self.buttons = QDialogButtonBox(self)
        self.import_button = QPushButton("Import", self)
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)

    # Step 1: dry run -------------------------------------------------------------------
    def start_preview(self) -> None:
        """Run the dry run on the worker; the table fills when it answers."""
        self.pages.setCurrentIndex(PREVIEW)
        paths = self.paths
        task: Task[Any] = self.runner.task(
            "Preview import", self._show_preview, self._show_failure, Lane.READ
        )
        self.task = task
        self.runner.start(task, lambda _progress: self.importer.preview(paths))

    def _show_preview(self, reports: object) -> None:
        self.task = None
        self.reports = list(reports) if isinstance(reports, list) else []
        _fill(
            self.preview_table,
            [
                (name, r.format, r.created, r.updated, r.unchanged, len(r.skipped))
                for name, r in zip(_display_names(self.reports), self.reports, strict=True)
            ],
        )
        created, updated, unchanged, skipped = _counts(self.reports)
        if created + updated:
            self.preview_title.setText(
                f"<b>Importing would add {created:,} new contacts and update {updated:,}.</b> "
                f"{unchanged:,} are already up to date; {skipped:,} rows would be skipped. "
                "Contacts you edited by hand keep your edits."
            )
        else:
            self.preview_title.setText(
                f"<b>Nothing new to import:</b> all {unchanged:,} contacts in these files are "
                f"already up to date ({skipped:,} rows would be skipped)."
            )
        warnings = [w for r in self.reports for w in r.warning_texts()]
        warnings += [
            f"{name}: columns not read: {', '.join(r.unmapped_columns)}"
            for name, r in zip(_display_names(self.reports), self.reports, strict=True)
            if r.unmapped_columns
        ]
        self.preview_warnings.setText("\n".join(warnings[:5]))
        self.import_button.setEnabled(created + updated > 0)

    # Step 2: import --------------------------------------------------------------------
    def start_import(self) -> None:
        self.pages.setCurrentIndex(RUNNING)
        self.import_button.hide()
        self.progress.setRange(0, 0)
        paths = self.paths
        task: Task[Any] = self.runner.task("Import", self._show_report, self._show_failure)
        task.progressed.connect(self._on_progress)
        task.cancelled.connect(self._on_cancelled)
        self.task = task
        self.runner.start(task, lambda progress: self.importer.run(paths, progress))

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress_label.setText(message or f"Importing… {done:,} of {total:,}")

    def cancel(self) -> None:
        """Cancel: stops a running import (nothing is kept), or closes the dialog."""
        if self.task is not None and not self.task.done:
            self.task.cancel()
            self.progress_label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
        else:
            self.reject()

    def _on_cancelled(self) -> None:
        self.task = None
        self.report_title.setText(
            "<b>Import cancelled.</b> Nothing was changed: your contacts are as they were."
        )
        self.pages.setCurrentIndex(REPORT)
        self.skipped_table.hide()
        self._finish_buttons()

    # Step 3: report --------------------------------------------------------------------
    def _show_report(self, reports: object) -> None:
        self.task = None
        self.reports = list(reports) if isinstance(reports, list) else []
        created, updated, unchanged, skipped = _counts(self.reports)
        self.report_title.setText(
            f"<b>Imported: {created:,} new, {updated:,} updated, {unchanged:,} unchanged.</b>"
            + (f" {skipped:,} rows were skipped:" if skipped else " No row was skipped.")
        )
        rows = [
            (name, line, reason)
            for name, r in zip(_display_names(self.reports), self.reports, strict=True)
            for line, reason in r.skipped
        ]
        _fill(self.skipped_table, rows)
        self.skipped_table.setVisible(bool(rows))
        self.pages.setCurrentIndex(REPORT)
        self._finish_buttons()
        self.imported.emit()
        self._check_home_offer()

    # The home offer --------------------------------------------------------------------
    def _check_home_offer(self) -> None:
        """After a LinkedIn export with a Profile.csv: offer its place when no home is set."""
        profile = next(
            (
                r.profile
                for r in self.reports
                if isinstance(r, ArchiveReport) and r.profile is not None and r.profile.location
            ),
            None,
        )
        host = self.home_host
        if profile is None or host is None:
            return

        def offer(home: UserLocation | None) -> None:
            if home is None:
                self._offer_home(profile)

        read_home(host, host.context).success(offer).failure(lambda _message: None).run()

    def _offer_home(self, profile: OwnProfile) -> None:
        place = profile.location or ""
        self.offered_home = place
        who = f" ({profile.name})" if profile.name else ""
        self.home_offer.setText(
            f"Your LinkedIn profile{who} says you are in {place}. You have no home set: "
            "distances and trips start from it."
        )
        self.home_button.setText(f"&Set {place} as your home")
        self.home_button.setAccessibleName(f"Set {place} as your home")
        self.home_button.setEnabled(True)
        self.home_error.clear()
        for widget in (self.home_offer, self.home_button):
            widget.show()
        self.home_error.hide()

    def set_offered_home(self) -> None:
        """The window's own set-home operation, with the place the profile names."""
        host, place = self.home_host, self.offered_home
        if host is None or not place:
            return
        self.home_button.setEnabled(False)
        self.home_error.hide()

        def saved(home: UserLocation) -> None:
            self.home_button.hide()
            self.home_offer.setText(f"Your home is now {home.text}.")
            self.close_button.setFocus()

        def failed(message: str) -> None:
            self.home_button.setEnabled(True)
            self.home_error.setText(message)
            self.home_error.show()

        set_home(host, host.context, place, initiator=self).success(saved).failure(failed).run()

    def _show_failure(self, message: str) -> None:
        self.task = None
        self.report_title.setText(f"<b>The import did not run.</b> {message} Nothing was changed.")
        self.skipped_table.hide()
        self.pages.setCurrentIndex(REPORT)
        self._finish_buttons()

    def _finish_buttons(self) -> None:
        self.import_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)

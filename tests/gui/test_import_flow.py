"""Import from the window: dry run, import with progress, cancel that changes nothing, report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from netplanner.domain.entities import Contact
from netplanner.domain.progress import ProgressSink, check_cancelled
from netplanner.gui.dialogs.import_dialog import PREVIEW, REPORT
from netplanner.gui.main_window import MainWindow
from netplanner.gui.workspaces.contacts import EMPTY_PAGE, TABLE_PAGE
from netplanner.services.context import AppContext
from tests.gui.conftest import FakeReport

CSV = (
    "First Name,Last Name,Company,Position\nAda,Lovelace,Engines Ltd,Analyst\nAlan,Turing,,\n,,,\n"
)


class CsvImporter:
    """Reads a tiny CSV into the database all or nothing, as ImportService does."""

    def __init__(self, context: AppContext, cancel_after: int | None = None) -> None:
        self.context = context
        self.cancel_after = cancel_after
        self.cancel_hook: Any = None

    def _read(self, paths: Sequence[Path]) -> tuple[list[Contact], FakeReport]:
        path = paths[0]
        report = FakeReport("csv", path)
        people: list[Contact] = []
        for number, line in enumerate(path.read_text().splitlines()[1:], start=2):
            first, last, company, position = line.split(",")
            if not first and not last:
                report.skipped.append((number, "no name"))
                continue
            people.append(Contact(first, last, company or None, position or None, source="csv"))
        report.created = len(people)
        return people, report

    def preview(self, paths: Sequence[Path]) -> list[FakeReport]:
        return [self._read(paths)[1]]

    def run(self, paths: Sequence[Path], progress: ProgressSink) -> list[FakeReport]:
        people, report = self._read(paths)
        for done in range(len(people)):
            progress.report(done, len(people), f"Reading {paths[0].name}")
            if self.cancel_hook is not None and done == self.cancel_after:
                self.cancel_hook()
            check_cancelled(progress)
        self.context.contact_repo.add_many(people)
        return [report]


def fixture_file(tmp_path: Path) -> Path:
    path = tmp_path / "Connections.csv"
    path.write_text(CSV)
    return path


def test_import_previews_then_imports_and_reports_skipped_rows(
    empty_window: MainWindow, context: AppContext, tmp_path: Path
) -> None:
    context.__dict__["importer"] = CsvImporter(context)
    assert empty_window.contacts.pages.currentIndex() == EMPTY_PAGE
    dialog = empty_window.import_files([fixture_file(tmp_path)])
    assert dialog is not None
    assert dialog.pages.currentIndex() == PREVIEW
    assert "add 2 new contacts" in dialog.preview_title.text()
    assert dialog.preview_table.item(0, 0).text() == "Connections.csv"
    assert dialog.preview_table.item(0, 5).text() == "1"
    assert context.contacts.count() == 0, "the preview is a dry run"
    dialog.import_button.click()
    assert dialog.pages.currentIndex() == REPORT
    assert "2 new" in dialog.report_title.text()
    assert dialog.skipped_table.item(0, 1).text() == "4"
    assert dialog.skipped_table.item(0, 2).text() == "no name"
    assert context.contacts.count() == 2
    assert empty_window.contacts.pages.currentIndex() == TABLE_PAGE
    assert empty_window.contacts.model.rowCount() == 2
    dialog.close_button.click()


def test_cancel_during_import_leaves_the_database_as_it_was(
    empty_window: MainWindow, context: AppContext, tmp_path: Path
) -> None:
    importer = CsvImporter(context, cancel_after=1)
    context.__dict__["importer"] = importer
    dialog = empty_window.import_files([fixture_file(tmp_path)])
    assert dialog is not None
    importer.cancel_hook = dialog.cancel_button.click  # the user presses Cancel midway
    dialog.import_button.click()
    assert dialog.pages.currentIndex() == REPORT
    assert "cancelled" in dialog.report_title.text().lower()
    assert "Nothing was changed" in dialog.report_title.text()
    assert context.contacts.count() == 0
    assert empty_window.contacts.pages.currentIndex() == EMPTY_PAGE


def test_dropping_a_file_on_the_window_opens_the_import(
    empty_window: MainWindow, context: AppContext, tmp_path: Path, qtbot: Any
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    context.__dict__["importer"] = CsvImporter(context)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(fixture_file(tmp_path)))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    empty_window.dropEvent(event)
    from netplanner.gui.dialogs.import_dialog import ImportDialog

    opened = empty_window.findChildren(ImportDialog)
    assert len(opened) == 1
    assert "add 2 new contacts" in opened[0].preview_title.text()


DATA = Path(__file__).parent.parent / "data" / "import"


def test_real_linkedin_and_vcard_import_lands_in_the_table_and_inbox(
    empty_window: MainWindow, context: AppContext
) -> None:
    files = [DATA / "Connections.csv", DATA / "contacts.vcf"]
    dialog = empty_window.import_files(files)
    assert dialog is not None
    formats = [dialog.preview_table.item(row, 1).text() for row in range(2)]
    assert formats == ["linkedin", "vcard"]
    assert context.contacts.count() == 0
    dialog.import_button.click()
    assert dialog.pages.currentIndex() == REPORT
    reasons = [
        dialog.skipped_table.item(r, 2).text() for r in range(dialog.skipped_table.rowCount())
    ]
    assert any("no name" in reason for reason in reasons)
    total = context.contacts.count()
    assert total >= 8
    assert empty_window.contacts.model.rowCount() == total
    assert "Needs a location" in empty_window.contacts.scope.tabText(1)
    # Importing the same files again changes nothing.
    again = empty_window.import_files(files)
    assert again is not None
    assert "Nothing new to import" in again.preview_title.text()
    assert not again.import_button.isEnabled()


def test_cancelling_a_real_import_leaves_the_database_unchanged(
    window: MainWindow, demo_context: AppContext, monkeypatch: Any
) -> None:
    dialog = window.import_files([DATA / "Connections.csv", DATA / "contacts.vcf"])
    assert dialog is not None
    original = dialog._on_progress

    def press_cancel_at_first_progress(done: int, total: int, message: str) -> None:
        original(done, total, message)
        if dialog.cancel_button.isEnabled():
            dialog.cancel_button.click()

    monkeypatch.setattr(dialog, "_on_progress", press_cancel_at_first_progress)
    dialog.import_button.click()
    assert "cancelled" in dialog.report_title.text().lower()
    assert demo_context.contacts.count() == 150
    assert window.contacts.model.rowCount() == 150

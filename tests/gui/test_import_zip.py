"""A LinkedIn data export's zip from the window: dropped or chosen, imported whole, home offered."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from netplanner.gui.dialogs.import_dialog import PREVIEW, REPORT, ImportDialog
from netplanner.gui.main_window import IMPORT_FILTER, MainWindow
from netplanner.services.context import AppContext
from tests.gui.conftest import FakeGazetteer
from tests.unit.importers.helpers import CONNECTIONS_HEADER

PROFILE_HEADER = (
    "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
    "Geo Location,Twitter Handles,Websites,Instant Messengers\n"
)


def linkedin_zip(tmp_path: Path, place: str = "Munich, Germany") -> Path:
    path = tmp_path / "Basic_LinkedInDataExport_11-20-2026.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "Connections.csv",
            CONNECTIONS_HEADER
            + "Ada,Lovelace,https://www.linkedin.com/in/adalovelace,,Engines Ltd,Analyst,"
            "12 Mar 2021\n",
        )
        archive.writestr("Profile.csv", PROFILE_HEADER + f'Sam,Taylor,,,,Founder,,,,"{place}",,,\n')
        archive.writestr("Messages.csv", "CONVERSATION ID,FROM,TO,CONTENT\n1,Ada,Sam,Hi\n")
    return path


def import_zip(window: MainWindow, path: Path) -> ImportDialog:
    dialog = window.import_files([path])
    assert dialog.pages.currentIndex() == PREVIEW
    dialog.import_button.click()
    assert dialog.pages.currentIndex() == REPORT
    return dialog


def test_the_file_dialog_offers_zip_files() -> None:
    assert "*.zip" in IMPORT_FILTER.split(";;")[0]


def test_a_dropped_zip_is_previewed_member_by_member(
    empty_window: MainWindow, context: AppContext, tmp_path: Path, qtbot: Any
) -> None:
    path = linkedin_zip(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    empty_window.dropEvent(event)
    dialog = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, ImportDialog) and w.paths == [path]
    )
    qtbot.addWidget(dialog)
    table = dialog.preview_table
    rows = [(table.item(r, 0).text(), table.item(r, 2).text()) for r in range(table.rowCount())]
    assert rows == [
        ("Basic_LinkedInDataExport_11-20-2026.zip", "0"),
        ("Basic_LinkedInDataExport_11-20-2026.zip:Connections.csv", "1"),
    ]
    assert "add 1 new contacts" in dialog.preview_title.text()
    assert "not read (not a contacts export NetPlanner reads): Messages.csv" in (
        dialog.preview_warnings.text()
    )
    assert context.contacts.count() == 0, "the preview is a dry run"


def test_the_report_offers_the_profile_place_as_home_and_sets_it(
    empty_window: MainWindow, context: AppContext, tmp_path: Path, qtbot: Any
) -> None:
    context.__dict__["locator"] = FakeGazetteer()
    dialog = import_zip(empty_window, linkedin_zip(tmp_path))
    qtbot.addWidget(dialog)
    assert context.contacts.count() == 1
    assert dialog.home_button.isVisibleTo(dialog)
    assert dialog.home_button.accessibleName() == "Set Munich, Germany as your home"
    assert "Sam Taylor" in dialog.home_offer.text()
    dialog.home_button.click()
    home = context.locations.get_home()
    assert home is not None and home.text == "Munich, Bavaria, Germany"
    assert not dialog.home_button.isVisibleTo(dialog)
    assert dialog.home_offer.text() == "Your home is now Munich, Bavaria, Germany."


def test_a_place_the_gazetteer_does_not_know_is_one_sentence_and_no_home(
    empty_window: MainWindow, context: AppContext, tmp_path: Path, qtbot: Any
) -> None:
    context.__dict__["locator"] = FakeGazetteer()
    dialog = import_zip(empty_window, linkedin_zip(tmp_path, "Atlantis Area"))
    qtbot.addWidget(dialog)
    dialog.home_button.click()
    assert dialog.home_error.isVisibleTo(dialog)
    assert dialog.home_error.text()
    assert context.locations.get_home() is None
    assert dialog.home_button.isEnabled()


def test_no_offer_when_a_home_is_set(
    empty_window: MainWindow, context: AppContext, tmp_path: Path, qtbot: Any
) -> None:
    context.__dict__["locator"] = FakeGazetteer()
    context.locations.set_home("Paris")
    dialog = import_zip(empty_window, linkedin_zip(tmp_path))
    qtbot.addWidget(dialog)
    assert context.contacts.count() == 1
    assert not dialog.home_button.isVisibleTo(dialog)
    home = context.locations.get_home()
    assert home is not None and home.text.startswith("Paris")

"""File ▸ Restore from backup…, and a damaged database at window start."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from netplanner.app import open_database_unless_current
from netplanner.domain.changes import Changes
from netplanner.gui.dialogs.damaged_dialog import (
    HEADLINE,
    HEADLINE_OPEN,
    DamagedDialog,
    check_after_start,
    open_or_recover,
)
from netplanner.gui.dialogs.restore_dialog import RestoreDialog
from netplanner.gui.main_window import MainWindow
from netplanner.gui.tasks import TaskRunner
from netplanner.services.context import AppContext, build_context
from tests.damage import damage_pages
from tests.gui.conftest import FakeGazetteer


def damaged_backup(folder: Path, sound: Path) -> Path:
    """A damaged copy with a backup's name, older than every other backup."""
    path = folder / "netplanner-20200101-090000-000000-manual.sqlite"
    shutil.copy2(sound, path)
    damage_pages(path)
    return path


def contact_ids(window: MainWindow) -> set[int]:
    model = window.contacts.model
    return {model.contact_at(row).id for row in range(model.total())}


def yes(monkeypatch: pytest.MonkeyPatch, asked: list[str]) -> None:
    def answer(_parent: Any, title: str, text: str, *_a: Any) -> QMessageBox.StandardButton:
        asked.append(f"{title}\n{text}")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)


def open_restore(window: MainWindow) -> RestoreDialog:
    window.restore_action.trigger()
    dialog = window.open_dialog
    assert isinstance(dialog, RestoreDialog)
    return dialog


def test_restore_brings_back_a_backup_and_keeps_the_current_database_aside(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = window.context
    everyone = contact_ids(window)
    backup = context.backups.backup_now("manual")
    assert backup is not None
    gone = context.contacts.search()[0]
    assert gone.id is not None
    context.contacts.delete([gone.id])
    window.announce(Changes.of_all())
    assert gone.id not in contact_ids(window)
    damaged_backup(backup.parent, backup)

    assert window.restore_action.text() == "Restore from &backup…"
    dialog = open_restore(window)
    rows = dialog.row_texts()
    assert [row[1:] for row in rows] == [
        ["Made by hand", rows[0][2], "Passes"],
        ["Made by hand", rows[1][2], "Damaged"],
    ]
    assert rows[1][0].endswith("Jan 2020, " + rows[1][0][-5:])
    dialog.table.setCurrentItem(dialog.items[1])
    assert not dialog.restore_button.isEnabled()  # a damaged backup is never put back
    dialog.table.setCurrentItem(dialog.items[0])
    assert dialog.restore_button.isEnabled()

    asked: list[str] = []
    yes(monkeypatch, asked)
    dialog.restore_button.click()

    assert "current database is kept aside" in asked[0]
    assert window.open_dialog is None
    assert contact_ids(window) == everyone  # the deleted contact is back
    assert window.context is window.own_context is not context
    assert window.status_text.text().startswith("Restored the backup of ")
    kept = [b for b in window.context.backups.listing() if b.reason == "before-restore"]
    assert len(kept) == 1 and kept[0].path.name in window.status_text.text()
    kept_context = AppContext(context.paths, f"sqlite:///{kept[0].path}")
    assert gone.id not in {c.id for c in kept_context.contacts.search()}
    kept_context.close()


def test_restore_asks_first_and_a_no_changes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = window.context
    context.backups.backup_now("manual")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    dialog = open_restore(window)
    dialog.restore_button.click()
    assert window.open_dialog is dialog and window.context is context
    assert [b.reason for b in context.backups.listing()] == ["manual"]


def test_with_no_backups_the_dialog_says_so(window: MainWindow) -> None:
    dialog = open_restore(window)
    assert dialog.row_texts() == []
    assert dialog.status.text().startswith("There are no backups in ")
    assert not dialog.restore_button.isEnabled()


def test_the_demo_network_has_no_backups_to_restore(
    data_dir: Path, runner: TaskRunner, qtbot: Any
) -> None:
    demo = build_context(data_dir, demo=True)
    win = MainWindow(demo, runner)
    qtbot.addWidget(win)
    assert not win.restore_action.isEnabled()
    win.close()
    demo.close()


# A damaged database ---------------------------------------------------------------------


@pytest.fixture
def damaged(demo_context: AppContext) -> AppContext:
    """The demo network with one sound backup, then damaged mid-file; not opened yet."""
    demo_context.backups.backup_now("manual")
    demo_context.close()
    damage_pages(demo_context.paths.database_file)
    return build_context(demo_context.paths.data_dir)


def _answer(click: str) -> None:
    """Press a button of the dialog that is about to be shown modally."""

    def press() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DamagedDialog):
            QTimer.singleShot(20, press)
            return
        getattr(dialog, click).click()

    QTimer.singleShot(0, press)


def damaged_window(context: AppContext, qtbot: Any) -> MainWindow:
    """The window on a damaged database (real workers: its first reads fail, later)."""
    context.__dict__["locator"] = FakeGazetteer()
    win = MainWindow(context, TaskRunner())
    qtbot.addWidget(win)
    win.show()
    check_after_start(win, win)
    return win


def shown_damage_dialog(win: MainWindow, qtbot: Any) -> DamagedDialog:
    qtbot.waitUntil(lambda: win.findChild(DamagedDialog) is not None, timeout=10_000)
    dialog = win.findChild(DamagedDialog)
    assert isinstance(dialog, DamagedDialog)
    qtbot.waitUntil(lambda: not dialog.offer.text().startswith("Looking"), timeout=10_000)
    return dialog


def test_damage_found_after_start_offers_the_newest_sound_backup(
    damaged: AppContext, qtbot: Any
) -> None:
    win = damaged_window(damaged, qtbot)
    dialog = shown_damage_dialog(win, qtbot)
    assert dialog.isVisible()
    assert dialog.headline.text() == HEADLINE_OPEN
    assert dialog.offer.text().startswith("The newest backup that passes the integrity check")
    assert "(made by hand)" in dialog.offer.text()
    assert str(damaged.paths.database_file) in dialog.detail.text()
    assert dialog.restore_button.isEnabled()

    dialog.restore_button.click()

    qtbot.waitUntil(lambda: win.own_context is not damaged, timeout=10_000)
    qtbot.waitUntil(lambda: win.contacts.model.total() == 150, timeout=10_000)
    kept = list(damaged.paths.backup_dir.glob("damaged-*"))
    assert len(kept) == 1  # the damaged file kept aside, byte for byte
    assert not win.own_context.db.integrity_check()
    assert win.status_text.text().startswith("Restored the backup of ")
    win.close()


def test_a_sound_database_is_checked_and_nothing_is_asked(
    window: MainWindow,
) -> None:
    check_after_start(window, window)
    assert window.findChild(DamagedDialog) is None


def test_quitting_the_damaged_dialog_closes_the_window(damaged: AppContext, qtbot: Any) -> None:
    win = damaged_window(damaged, qtbot)
    shown_damage_dialog(win, qtbot).quit_button.click()
    assert not win.isVisible()
    assert not list(damaged.paths.backup_dir.glob("damaged-*"))  # nothing was touched


def test_a_database_too_damaged_to_open_asks_before_the_window(
    damaged: AppContext, runner: TaskRunner
) -> None:
    # Damage the schema too: opening reads it, so the window cannot open at all.
    path = damaged.paths.database_file
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\x00\xff" * 2048)
    _answer("restore_button")
    opened = open_or_recover(damaged, open_database_unless_current, runner)
    assert opened is not None and opened is not damaged
    assert opened.contacts.count() == 150
    opened.close()


def test_quitting_before_the_window_opens_leaves_the_damaged_file_as_it_was(
    damaged: AppContext, runner: TaskRunner
) -> None:
    path = damaged.paths.database_file
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\x00\xff" * 2048)
    before = path.read_bytes()
    _answer("quit_button")
    assert open_or_recover(damaged, open_database_unless_current, runner) is None
    assert path.read_bytes() == before


def test_with_no_sound_backup_only_quitting_is_offered(
    damaged: AppContext, runner: TaskRunner, qtbot: Any
) -> None:
    for backup in damaged.backups.listing():
        damage_pages(backup.path)
    dialog = DamagedDialog(damaged, str(damaged.paths.database_file), runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.search()
    assert dialog.headline.text() == HEADLINE
    assert dialog.offer.text() == (
        "The one backup fails SQLite's integrity check too. "
        "Quit, and run `netplanner check` to see what is damaged."
    )
    assert not dialog.restore_button.isVisible() and dialog.quit_button.isVisible()


def test_damage_is_found_after_start_in_a_window_opened_as_the_app_opens_it(
    damaged: AppContext, qtbot: Any
) -> None:
    from netplanner.app import open_window

    damaged.__dict__["locator"] = FakeGazetteer()
    win = open_window(damaged)  # the quick check waits for the first table's read
    assert win is not None and win.first_table_read is not None
    qtbot.addWidget(win)
    win.show()
    check_after_start(win, win)
    dialog = shown_damage_dialog(win, qtbot)
    assert dialog.headline.text() == HEADLINE_OPEN
    assert win.first_table_read.is_set()


def test_after_restoring_over_damaged_contacts_the_window_says_what_it_restored(
    demo_context: AppContext, qtbot: Any
) -> None:
    demo_context.backups.backup_now("manual")
    demo_context.close()
    damage_pages(demo_context.paths.database_file, ("contacts",))
    win = damaged_window(build_context(demo_context.paths.data_dir), qtbot)
    dialog = shown_damage_dialog(win, qtbot)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: win.contacts.model.total() == 150, timeout=10_000)
    qtbot.wait(300)  # whatever else the reload brings has arrived
    assert win.status_text.text().startswith("Restored the backup of ")
    win.close()

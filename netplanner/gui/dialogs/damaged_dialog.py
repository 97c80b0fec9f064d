"""A damaged database at window start: say so, offer the newest sound backup, or quit.

The damaged file is never written to again (a write into a damaged page spreads the damage):
damage found while opening stops the window from opening on it, damage found by the quick
check just after the window shows stops the window at once. As Firefox does for its places
database, the newest backup that passes SQLite's integrity check is offered; restoring it
keeps the damaged file aside, so nothing the user might still recover from it is lost.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.domain.errors import DatabaseDamagedError
from netplanner.domain.progress import ProgressSink
from netplanner.gui.operations import QueryOp
from netplanner.gui.operations.backups import (
    Restored,
    database_file,
    has_backups,
    list_backups,
    made_text,
    newest_sound,
    reason_text,
    restore,
)
from netplanner.gui.tasks import Lane, TaskRunner
from netplanner.services.context import AppContext
from netplanner.storage.backups import BackupFile
from netplanner.storage.sqlite_files import integrity_problems

log = logging.getLogger(__name__)

WAIT_FOR_WORK_MS = 10_000
FIRST_READ_WAIT_S = 5.0
HEADLINE = (
    "Your NetPlanner database is damaged, so it was not opened and nothing more was written to it."
)
HEADLINE_OPEN = "Your NetPlanner database is damaged, so nothing more will be written to it."


class DamagedDialog(QDialog):
    """The one question a damaged database asks: restore the newest sound backup, or quit.

    ``damaged_file`` is the file named to whoever helps. ``runner``: the window's, when the
    damage is found once it is open (else the dialog has its own, closed when it closes).
    ``restored`` holds the outcome once the backup is in place and open.
    """

    def __init__(
        self,
        context: AppContext,
        damaged_file: str,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
        headline: str = HEADLINE,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._own_runner = runner is None
        self._runner = runner or TaskRunner(parent=self)
        self.candidate: BackupFile | None = None
        self.restored: Restored | None = None
        self.setWindowTitle("NetPlanner: the database is damaged")
        self.setAccessibleName("The database is damaged")
        self.setMinimumWidth(560)

        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        self.headline = QLabel(headline, self)
        self.headline.setObjectName("damaged-headline")
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.offer = QLabel("Looking for the newest backup that passes the check…", self)
        self.offer.setObjectName("damaged-offer")
        self.offer.setWordWrap(True)
        self.detail = QLabel(f"The damaged file: {damaged_file}", self)
        self.detail.setObjectName("damaged-file")
        self.detail.setWordWrap(True)
        self.detail.setEnabled(False)  # shown greyed: for whoever helps, not a question

        self.buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton("&Restore this backup", self)
        self.restore_button.setObjectName("damaged-restore")
        self.restore_button.setEnabled(False)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore)
        self.quit_button = QPushButton("&Quit", self)
        self.quit_button.setObjectName("damaged-quit")
        self.quit_button.clicked.connect(self.reject)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)

        texts = QVBoxLayout()
        texts.addWidget(self.headline)
        texts.addWidget(self.offer)
        texts.addWidget(self.detail)
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addLayout(texts, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.quit_button.setFocus()

    # OpHost: the dialog runs its own work before any window exists ---------------------
    @property
    def runner(self) -> TaskRunner:
        return self._runner

    def announce(self, changes: Changes) -> None:
        """No workspace exists yet to be told."""

    def show_message(self, text: str) -> None:
        self.offer.setText(text)

    # The search and the restore ----------------------------------------------------------
    def search(self) -> None:
        """Find the newest sound backup on the worker (each is checked whole)."""
        context = self.context

        def find(_progress: ProgressSink) -> tuple[BackupFile | None, int]:
            return newest_sound(context), len(list_backups(context))

        QueryOp(self, "Find a sound backup", find).success(
            lambda found: self._found(*found)
        ).failure(lambda message: self._found(None, 0, message)).run()

    def _found(self, entry: BackupFile | None, backups: int, problem: str = "") -> None:
        self.candidate = entry
        if entry is None:
            if backups == 1:
                none = "The one backup fails SQLite's integrity check too."
            elif backups:
                none = f"None of the {backups} backups passes SQLite's integrity check."
            else:
                none = "There is no backup to bring back."
            self.offer.setText(
                (problem + " " if problem else "")
                + none
                + " Quit, and run `netplanner check` to see what is damaged."
            )
            self.restore_button.hide()
            self.quit_button.setDefault(True)
            self.quit_button.setFocus()
            return
        self.offer.setText(
            f"The newest backup that passes the integrity check was made on "
            f"{made_text(entry)} ({reason_text(entry).lower()}). Restore it? The damaged "
            f"file is kept aside in {self.context.paths.backup_dir}; changes made since "
            "that backup are not in it."
        )
        self.restore_button.setEnabled(True)
        self.restore_button.setFocus()

    def restore(self) -> None:
        entry = self.candidate
        if entry is None:
            return
        if not self._own_runner and not self._runner.wait(WAIT_FOR_WORK_MS):
            self.offer.setText(
                "NetPlanner is still busy with "
                + ", ".join(self._runner.running())
                + "; restore when it has finished."
            )
            return
        self.restore_button.setEnabled(False)
        self.offer.setText("Restoring…")
        context = self.context

        def work(_progress: ProgressSink) -> Restored:
            return restore(context, entry)

        QueryOp(self, "Restore a backup", work, lane=Lane.WRITE).success(self._restored).failure(
            self._failed
        ).run()

    def _restored(self, outcome: Restored) -> None:
        self.restored = outcome
        self.accept()

    def _failed(self, message: str) -> None:
        self.offer.setText(f"Nothing was restored: {message}")
        self.restore_button.setEnabled(self.candidate is not None)

    def done(self, result: int) -> None:
        if self._own_runner:
            self._runner.close()  # nothing may still run on the database when the window opens
        super().done(result)


def open_or_recover(
    context: AppContext,
    opener: Callable[[AppContext], object] = lambda context: context.db,
    runner: TaskRunner | None = None,
) -> AppContext | None:
    """``context`` opened by ``opener``; if its database is damaged, what the user chose instead.

    Returns a context on the restored backup, or None when the user quits. Other errors
    opening the database are raised as they are.
    """
    try:
        opener(context)
    except DatabaseDamagedError as exc:
        if not has_backups(context):
            raise  # the demo network (made again from scratch) or a server database
        dialog = DamagedDialog(context, exc.path or str(context.paths.database_file), runner)
        dialog.search()
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.restored is None:
            print(HEADLINE, file=sys.stderr)  # exit 3 says it in one line too
            return None
        return dialog.restored.context
    return context


class DamageHost(Protocol):
    """The window as the check after start sees it."""

    @property
    def runner(self) -> TaskRunner: ...

    @property
    def own_context(self) -> AppContext: ...

    def reopen_restored(self, restored: Restored) -> None:
        """Show the restored database in every workspace."""

    def close(self) -> bool: ...


def check_after_start(window: DamageHost, parent: QWidget) -> None:
    """SQLite's quick check of the open database, on the write worker once the window shows.

    Opening reads only the schema, so damage in the middle of the file is found here, before
    the user's first edit could write into it; a damaged database then asks as at start
    (restoring replaces it in the open window, quitting closes the window).
    """
    context = window.own_context
    path = database_file(context)
    if path is None or not has_backups(context):
        return
    # Queued at once, so every write waits behind it; but it reads the whole file, so it
    # starts once the first table has been read rather than slow that read down.
    first_read = getattr(window, "first_table_read", None)

    def check(_progress: ProgressSink) -> list[str]:
        if first_read is not None:
            first_read.wait(FIRST_READ_WAIT_S)  # a read that never ends holds nothing back
        return integrity_problems(path, quick=True)

    def checked(problems: list[str]) -> None:
        if not problems:
            return
        log.warning("The database failed SQLite's quick check: %s", problems[0][:200])
        dialog = DamagedDialog(context, str(path), window.runner, parent, HEADLINE_OPEN)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda code: _after_check(window, dialog, code))
        dialog.open()
        dialog.search()

    window.runner.run("Check the database", check, checked, lambda _m: None, lane=Lane.WRITE)


def _after_check(window: DamageHost, dialog: DamagedDialog, code: int) -> None:
    dialog.deleteLater()
    if code == QDialog.DialogCode.Accepted and dialog.restored is not None:
        window.reopen_restored(dialog.restored)
    else:
        window.close()

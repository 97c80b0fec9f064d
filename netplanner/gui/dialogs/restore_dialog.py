"""File ▸ Restore from backup…: the backups, each checked, and one brought back on request.

The list comes at once; SQLite's integrity check of each backup follows on the worker, one
row at a time, and only a backup that passes can be restored. Restoring asks first, keeps
the current database aside (the service does), and hands the window a fresh context on
the restored file so that every workspace reads it anew.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.progress import ProgressSink
from netplanner.gui.operations import OpHost, QueryOp
from netplanner.gui.operations.backups import (
    Restored,
    check_text,
    list_backups,
    made_text,
    problem_of,
    reason_text,
    restore,
    size_text,
)
from netplanner.gui.tasks import Lane
from netplanner.services.context import AppContext
from netplanner.storage.backups import BackupFile

CHECKING = "Checking…"
WAIT_FOR_WORK_MS = 10_000


class RestoreDialog(QDialog):
    """The backups of the user's own database, newest first, with Restore… for a sound one.

    ``reopen`` is called with what the restore did once the restored database is open.

    Attributes:
        restored: a backup was brought back (the ``Restored``).
    """

    restored = Signal(object)

    def __init__(
        self,
        host: OpHost,
        context: AppContext,
        reopen: Callable[[Restored], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.context = context
        self.reopen = reopen
        self.entries: list[BackupFile] = []
        self.items: list[QTreeWidgetItem] = []  # one per entry, in the same order
        self.problems: dict[int, str | None] = {}  # row -> why it cannot be restored, or None
        self.setWindowTitle("Restore from backup")
        self.setAccessibleName("Restore from backup")
        self.resize(720, 420)

        intro = QLabel(
            "Choose the backup to bring back. Your current database is kept aside first, "
            "in the backups folder, so nothing is lost.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setObjectName("backup-list")
        self.table.setAccessibleName("Backups")
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels(["Made", "Why", "Size", "Integrity check"])
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.table.itemActivated.connect(lambda *_: self.ask_to_restore())
        intro.setBuddy(self.table)
        self.status = QLabel(self)
        self.status.setObjectName("restore-status")
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("&Restore…", self)
        self.restore_button.setObjectName("restore-button")
        self.restore_button.setDefault(True)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.ask_to_restore)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    # Listing and checking ---------------------------------------------------------------
    def load(self) -> None:
        """Read the list on the worker, then check each backup there, newest first."""
        self._say("Reading the backups…")
        context = self.context

        def read(_progress: ProgressSink) -> list[BackupFile]:
            return list_backups(context)

        QueryOp(self.host, "List the backups", read).success(self._show).failure(self._say).run()

    def _show(self, entries: list[BackupFile]) -> None:
        self.entries = entries
        self.problems.clear()
        self.table.clear()
        self.items = []
        for entry in entries:
            item = QTreeWidgetItem(
                [made_text(entry), reason_text(entry), size_text(entry.size), CHECKING]
            )
            item.setToolTip(0, entry.path.name)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.addTopLevelItem(item)
            self.items.append(item)
        if not entries:
            self._say(f"There are no backups in {self.context.paths.backup_dir} yet.")
            return
        self._say(f"{len(entries)} backups in {self.context.paths.backup_dir}.")
        self.table.setCurrentItem(self.items[0])
        self.table.setFocus()
        for row, entry in enumerate(entries):
            self._check(row, entry)

    def _check(self, row: int, entry: BackupFile) -> None:
        def check(_progress: ProgressSink) -> str | None:
            return problem_of(entry)

        QueryOp(self.host, "Check a backup", check).success(
            lambda problem: self._checked(row, entry, problem)
        ).failure(lambda message: self._checked(row, entry, message)).run()

    def _checked(self, row: int, entry: BackupFile, problem: str | None) -> None:
        if row >= len(self.entries) or self.entries[row] is not entry:
            return  # the list was read again meanwhile
        self.problems[row] = problem
        item = self.items[row]
        item.setText(3, check_text(problem))
        item.setToolTip(3, problem or "SQLite's integrity check finds this copy sound.")
        if problem is not None:  # shown greyed: it cannot be chosen for a restore
            grey = self.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            for column in range(self.table.columnCount()):
                item.setForeground(column, grey)
        self._update_buttons()

    def _restorable(self, row: int) -> bool:
        return row in self.problems and self.problems[row] is None

    def row_texts(self) -> list[list[str]]:
        """What each row shows (for tests and for reading aloud)."""
        return [[item.text(c) for c in range(self.table.columnCount())] for item in self.items]

    def _selected_row(self) -> int:
        item = self.table.currentItem()
        return -1 if item is None else self.table.indexOfTopLevelItem(item)

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self._restorable(self._selected_row()))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleName(text)

    # Restoring --------------------------------------------------------------------------
    def ask_to_restore(self) -> None:
        row = self._selected_row()
        if not self._restorable(row):
            return
        entry = self.entries[row]
        answer = QMessageBox.question(
            self,
            "Restore this backup?",
            f"Bring back your network as it was on {made_text(entry)}?\n\n"
            "Your current database is kept aside in the backups folder first, so you "
            "can go back to it. Anything changed since this backup is not in it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(entry)

    def restore(self, entry: BackupFile) -> None:
        """Restore ``entry`` on the write worker once nothing else runs on the database."""
        runner = self.host.runner
        if runner.busy and not runner.wait(WAIT_FOR_WORK_MS):
            self._say(
                "NetPlanner is still busy with "
                + ", ".join(runner.running())
                + "; restore when it has finished."
            )
            return
        self.setEnabled(False)
        self._say("Restoring…")
        context = self.context

        def work(_progress: ProgressSink) -> Restored:
            return restore(context, entry)

        QueryOp(self.host, "Restore a backup", work, lane=Lane.WRITE).success(
            self._restored
        ).failure(self._failed).run()

    def _restored(self, outcome: Restored) -> None:
        self.reopen(outcome)
        self.restored.emit(outcome)
        self.accept()

    def _failed(self, message: str) -> None:
        self.setEnabled(True)
        self._say(f"Nothing was restored: {message}")

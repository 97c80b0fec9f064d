"""A backup every so often while the window is open, when something changed (as Anki does).

The timer only starts the work: the backup runs on the write worker, after the writes
queued before it, so the window never waits for it and no write lands half-way through.
Whether anything changed since the newest backup is the backup service's question; it
answers cheaply, so an idle window costs nothing but a look every half hour.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from netplanner.domain.progress import ProgressSink
from netplanner.gui.operations import OpHost, QueryOp
from netplanner.gui.operations.backups import backup_if_changed
from netplanner.gui.tasks import Lane
from netplanner.services.context import AppContext

log = logging.getLogger(__name__)

MINUTE_MS = 60 * 1000


class AutoBackup(QObject):
    """Calls ``backup`` on the write worker every ``interval_ms``; it returns the backup made.

    ``backup`` returns None when nothing changed since the newest backup. A failure is a line
    in the status bar (and the log); the next interval tries again.

    Attributes:
        backed_up: a backup was written (its path).
    """

    backed_up = Signal(Path)

    def __init__(
        self,
        host: OpHost,
        backup: Callable[[], Path | None],
        interval_ms: int = 30 * MINUTE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.backup = backup
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_now)
        self._running = False

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def run_now(self) -> None:
        """Back up now if something changed (one at a time: a slow disk never piles them up)."""
        if self._running:
            return
        self._running = True

        def work(_progress: ProgressSink) -> Path | None:
            return self.backup()

        task = (
            QueryOp(self.host, "Back up the database", work, lane=Lane.WRITE)
            .success(self._done)
            .failure(self._failed)
            .run()
        )
        task.finished.connect(self._finished)
        if task.done:  # a synchronous runner has run it already
            self._finished()

    def _finished(self) -> None:
        self._running = False

    def _done(self, written: Path | None) -> None:
        if written is not None:
            log.info("Automatic backup written: %s", written.name)
            self.backed_up.emit(written)

    def _failed(self, message: str) -> None:
        log.warning("Automatic backup failed: %s", message)
        self.host.show_message(f"The automatic backup failed: {message}")


def auto_backup_for(
    host: OpHost, context: Callable[[], AppContext], parent: QObject | None = None
) -> AutoBackup:
    """The window's timer, every ``settings.backups.every_minutes`` (0: none), read at start.

    ``context`` gives the user's own database at the moment of each backup (a restore
    replaces it; the demo network is never backed up).
    """
    minutes = context().settings.backups.every_minutes
    timer = AutoBackup(
        host, lambda: backup_if_changed(context()), max(1, minutes) * MINUTE_MS, parent
    )
    if minutes > 0:
        timer.start()
    return timer

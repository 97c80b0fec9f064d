"""Backups for the command line and the window: made, thinned, checked and restored.

Everything here works on the database *file*, never through the engine, so the window can
use it when the database is too damaged to open, and making, listing and thinning backups
imports no SQLAlchemy (only ``newest_good`` and ``restore`` read Alembic's revisions). For
the window:

- ``context.backups.backup_if_changed()`` every ``settings.backups.every_minutes``: a backup
  when the database changed since the newest backup (a few ``stat`` calls when it did not).
- ``context.backups.newest_good()``: the newest backup that passes the integrity check.
- ``context.backups.restore(path)``: with the context's database closed first
  (``context.close()``), then a new context; the current database is kept in the backup
  folder (``RestoreResult.set_aside``).
- ``context.backups.listing()``: the backups, newest first, for a list to choose from.
- ``context.backups.problems(quick=True)``: what is wrong with the file, before opening it.
- A database found damaged while in use raises ``DatabaseDamagedError`` (its ``path`` the
  file) from any service call; ``newest_good()`` and ``restore()`` are the way back, and
  ``set_aside(file, folder)`` keeps a damaged file aside to start afresh.

A damaged source raises ``DatabaseDamagedError``; other failures are ``NetPlannerError``
sentences. Server databases (PostgreSQL) have no backups here: every call returns None
or an empty list (``supported`` says which).
"""

from __future__ import annotations

from pathlib import Path

from netplanner.domain.errors import DatabaseDamagedError, InputError
from netplanner.settings import Settings, SettingsProvider, provider_of
from netplanner.storage.backups import (
    BackupFile,
    Retention,
    changed_since_last_backup,
    last_change,
    list_backups,
    make_backup,
    mark_taken_at,
)
from netplanner.storage.restore import (
    RestoreResult,
    backup_problem,
    newest_good_backup,
    restore_backup,
    set_aside,
)
from netplanner.storage.sqlite_files import damaged_backup_message, integrity_problems

__all__ = [
    "BackupFile",
    "BackupService",
    "RestoreResult",
    "Retention",
    "backup_problem",
    "newest_good_backup",
    "restore_backup",
    "retention_of",
    "set_aside",
]


def retention_of(settings: Settings) -> Retention:
    """The thinning the settings ask for."""
    b = settings.backups
    return Retention(recent=max(1, b.keep), daily=b.daily, weekly=b.weekly, monthly=b.monthly)


class BackupService:
    """Backups of one SQLite database file into one backup folder."""

    def __init__(
        self,
        database_file: Path | None,
        folder: Path,
        settings: Settings | SettingsProvider | None = None,
    ) -> None:
        self.database_file = database_file
        self.folder = folder
        self._settings = provider_of(settings if settings is not None else Settings())

    @property
    def supported(self) -> bool:
        """Whether the database is an SQLite file (a server database is backed up by its server)."""
        return self.database_file is not None

    def retention(self) -> Retention:
        return retention_of(self._settings.current())

    def listing(self) -> list[BackupFile]:
        """NetPlanner's backups in the backup folder, newest first."""
        return list_backups(self.folder)

    def backup_now(self, reason: str = "manual", quick_check: bool = False) -> Path | None:
        """A new backup in the backup folder, then the folder thinned; None without a file.

        The database is checked first (``quick_check``: SQLite's quicker check) and a damaged
        one refused, so that a damaged copy never pushes a good backup out.
        """
        source = self.database_file
        if source is None or not source.exists():
            return None
        problems = integrity_problems(source, quick=quick_check)
        if problems:
            raise DatabaseDamagedError(damaged_backup_message(source, problems[0]), str(source))
        return make_backup(source, None, self.folder, reason=reason, retention=self.retention())

    def backup_to(self, target: Path) -> Path | None:
        """A backup written as ``target`` (in a folder that exists), the database checked first."""
        source = self.database_file
        if source is None or not source.exists():
            return None
        problems = integrity_problems(source)
        if problems:
            raise DatabaseDamagedError(damaged_backup_message(source, problems[0]), str(source))
        return make_backup(source, target, None)

    def problems(self, quick: bool = False) -> list[str]:
        """What SQLite's integrity check finds in the database file (empty when sound).

        ``quick`` runs SQLite's quick check (about half the time: 0.1 s for 30,000 contacts),
        for a window that checks the file before it opens it.
        """
        source = self.database_file
        if source is None or not source.exists():
            return []
        return integrity_problems(source, quick=quick)

    def before_import(self) -> Path | None:
        """The automatic backup an import makes before it writes (settings permitting)."""
        if not self._settings.current().backups.before_import:
            return None
        return self.backup_now("before-import", quick_check=True)

    def backup_if_changed(self, reason: str = "automatic") -> Path | None:
        """A backup when the database changed since the newest backup; else None at once.

        For the window's timer. The backup carries the time the database last changed when
        the copy was done, so the next call compares like with like.
        """
        source = self.database_file
        if source is None or not source.exists():
            return None
        if not changed_since_last_backup(source, self.folder):
            return None
        written = self.backup_now(reason, quick_check=True)
        if written is not None:
            mark_taken_at(written, last_change(source))
        return written

    def newest_good(self) -> Path | None:
        """The newest backup that passes the integrity check and this version can read."""
        return newest_good_backup(self.folder)

    def restore(self, backup: Path) -> RestoreResult:
        """Put ``backup`` in place of the database, the current one kept in the backup folder.

        Close the database first (``AppContext.close()``); refused in one sentence, with
        nothing changed, when the backup is damaged or not NetPlanner's.
        """
        if self.database_file is None:
            raise InputError(
                "Only an SQLite database can be restored by NetPlanner; use your "
                "database server's own tools."
            )
        return restore_backup(backup, self.database_file, self.folder, self.retention())

"""The window's use of the backups: list them, check one, restore one, back up if changed.

Each function reads or writes whole files, so each runs on a worker; the dialogs and the
timer call them through operations. The work is the backup service's
(``context.backups``); here is what the window needs of it and how its lists word it.
Importing this module imports no SQLAlchemy (the window's first paint waits for it):
the service is reached only when a function runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netplanner.services.context import DEMO_DATABASE, AppContext
from netplanner.storage.backups import BackupFile
from netplanner.storage.sqlite_files import sqlite_file_of

REASONS = {
    "manual": "Made by hand",
    "automatic": "Automatic",
    "before-import": "Before an import",
    "before-restore": "Before a restore",
}


def reason_text(backup: BackupFile) -> str:
    """Why the backup was made, as a person says it."""
    if backup.reason in REASONS:
        return REASONS[backup.reason]
    if backup.reason.startswith("before-"):
        return "Before an upgrade"  # before-0005: the migration to schema 0005
    return backup.reason.replace("-", " ").capitalize()


def made_text(backup: BackupFile) -> str:
    """When, in the user's own time zone: "Tue 1 Dec 2026, 14:06"."""
    local = backup.made.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def check_text(problem: str | None) -> str:
    """The list's short word for ``backup_problem``'s sentence (the sentence is its tip)."""
    if problem is None:
        return "Passes"
    if "damaged" in problem:
        return "Damaged"
    if "newer version" in problem:
        return "From a newer NetPlanner"
    return "Cannot be restored"


@dataclass(frozen=True)
class Restored:
    """What a restore did, and a context open on the restored database."""

    backup: BackupFile
    kept_aside: Path | None  # where the replaced database went (None: there was none)
    context: AppContext


def database_file(context: AppContext) -> Path | None:
    """The SQLite file of ``context`` (None for a server or in-memory database)."""
    return sqlite_file_of(context.db_url)


def has_backups(context: AppContext) -> bool:
    """Whether this context's database is one NetPlanner backs up: the user's own SQLite file.

    The demo network is not (its copies would sit among the user's backups), nor a server
    database (its server backs it up).
    """
    demo = f"sqlite:///{context.paths.data_dir / DEMO_DATABASE}"
    return context.db_url != demo and database_file(context) is not None


def list_backups(context: AppContext) -> list[BackupFile]:
    """The backups, newest first."""
    return context.backups.listing()


def problem_of(backup: BackupFile) -> str | None:
    """Why ``backup`` cannot be restored (integrity check, schema), or None if it can."""
    from netplanner.services.backups import backup_problem

    return backup_problem(backup.path)


def newest_sound(context: AppContext) -> BackupFile | None:
    """The newest backup that passes the integrity check and this version can read."""
    path = context.backups.newest_good()
    if path is None:
        return None
    return next((b for b in context.backups.listing() if b.path == path), None)


def restore(context: AppContext, backup: BackupFile) -> Restored:
    """Put ``backup`` in place of the database (kept aside first), then open it anew.

    ``context`` is closed first: no connection may stay open on a file being replaced.
    The fresh context opens (and, for an older backup, upgrades) the database here, on
    the worker, so the window only has to show it.
    """
    context.close()
    result = context.backups.restore(backup.path)
    fresh = AppContext(
        paths=context.paths, db_url=context.db_url, settings=context.settings_provider
    )
    fresh.db  # noqa: B018
    return Restored(backup, result.set_aside, fresh)


def backup_if_changed(context: AppContext) -> Path | None:
    """The window's automatic backup: only when the database changed since the newest one."""
    if not has_backups(context):
        return None
    return context.backups.backup_if_changed()

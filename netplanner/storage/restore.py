"""Putting a backup back in place of the database, keeping the current one aside first.

What the command line's ``restore`` and the window's *Restore from backup…* both do, on
files, with no engine open: the window calls it after closing its database (also when that
database is too damaged to open at all). Nothing is lost on the way: the backup is checked
before anything is touched; the current database is kept in the backup folder (as a
backup named ``before-restore`` when it is sound, as ``damaged-…`` byte for byte, with its
write-ahead log, when it is not, the way Firefox keeps ``places.sqlite.corrupt``); the
restored copy is written under a temporary name beside the database and renamed over it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from netplanner.domain.errors import InputError
from netplanner.storage.atomic_files import (
    TEMPORARY_PREFIX,
    TEMPORARY_SUFFIX,
    fsync_folder,
    fsync_path,
)
from netplanner.storage.backups import Retention, list_backups, make_backup, thin
from netplanner.storage.sqlite_files import (
    has_sqlite_header,
    integrity_problems,
    read_only_connection,
    schema_revision,
    side_files,
)


@dataclass(frozen=True)
class RestoreResult:
    """What ``restore_backup`` did: the database restored, and where the old one went."""

    database: Path
    restored_from: Path
    set_aside: Path | None  # None when there was no database to keep
    set_aside_was_damaged: bool


def backup_problem(backup: Path) -> str | None:
    """Why ``backup`` cannot be restored (one sentence), or None when it can be."""
    if not backup.is_file():
        return f"The backup {backup} is not a file."
    if not has_sqlite_header(backup):
        return f"The file {backup} is not an SQLite database; it cannot be restored."
    problems = integrity_problems(backup)
    if problems:
        return f"The backup {backup} is damaged ({problems[0].rstrip('.')}); it cannot be restored."
    from netplanner.storage.database import known_revision  # Alembic, only when restoring

    revision = schema_revision(backup)
    if revision is None:
        return f"The file {backup} is not a NetPlanner database; it cannot be restored."
    if not known_revision(revision):
        return (
            f"The backup {backup} was written by a newer version of NetPlanner "
            f"(schema {revision}); this version cannot restore it."
        )
    return None


def newest_good_backup(folder: Path) -> Path | None:
    """The newest backup in ``folder`` that passes the integrity check and this version reads."""
    for backup in list_backups(folder):
        if backup_problem(backup.path) is None:
            return backup.path
    return None


def set_aside(database: Path, folder: Path, label: str = "damaged") -> Path:
    """Move ``database`` (and its write-ahead log) into ``folder`` as ``LABEL-…``; its new path.

    Byte for byte and never thinned (the name is not a backup's): for a damaged database
    that a new one or a backup replaces. Within one file system it is a rename.
    """
    _make_folder(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{label}-{stamp}-{database.name}"
    wal, shm = side_files(database)
    for source, destination in ((wal, side_files(target)[0]), (database, target)):
        if source.exists():
            _move(source, destination)
    with contextlib.suppress(FileNotFoundError):
        shm.unlink()
    fsync_folder(folder)
    return target


def restore_backup(
    backup: Path,
    database: Path,
    folder: Path,
    retention: Retention | None = None,
) -> RestoreResult:
    """Replace ``database`` by a copy of ``backup``, keeping the current database in ``folder``.

    Refused in one sentence (``InputError``), with nothing changed, when the backup is
    damaged, is not NetPlanner's or comes from a newer version. Call it with no connection
    open to ``database`` (the window closes its context first); the next open migrates a
    backup of an older schema as usual.
    """
    problem = backup_problem(backup)
    if problem is not None:
        raise InputError(problem)
    if database.exists() and backup.resolve() == database.resolve():
        raise InputError(f"{backup} is the database itself; choose a backup to restore.")
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        temporary = _copy_beside(backup, database)
    except (OSError, sqlite3.Error) as exc:
        raise InputError(
            f"The backup could not be copied beside {database}: {_why(exc)}."
        ) from None
    try:
        aside, damaged = _keep_current(database, folder)
        wal, shm = side_files(database)
        for stale in (wal, shm):  # the old log must never be replayed into the restored file
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        temporary.replace(database)
        fsync_folder(database.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    if retention is not None and folder.is_dir():
        thin(folder, retention, spare=aside)
    return RestoreResult(database, backup, aside, damaged)


def _keep_current(database: Path, folder: Path) -> tuple[Path | None, bool]:
    """Keep the current database in ``folder``: as a backup if sound, else set aside."""
    if not database.exists():
        return None, False
    if not integrity_problems(database):
        try:
            return make_backup(database, None, folder, reason="before-restore"), False
        except Exception:  # unreadable after all: keep its bytes instead
            pass
    _make_folder(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"damaged-{stamp}-{database.name}"
    _copy_file(database, target)
    wal = side_files(database)[0]
    if wal.exists():
        _copy_file(wal, side_files(target)[0])
    fsync_folder(folder)
    return target, True


def _copy_beside(backup: Path, database: Path) -> Path:
    """A private, flushed copy of ``backup`` under a temporary name beside ``database``."""
    fd, name = tempfile.mkstemp(
        prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=database.parent
    )
    os.close(fd)
    temporary = Path(name)
    try:
        source = read_only_connection(backup)
        try:
            destination = sqlite3.connect(temporary)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        fsync_path(temporary)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return temporary


def _copy_file(source: Path, target: Path) -> None:
    """``source``'s bytes as ``target`` (0600, flushed): a hard link where one can be made."""
    try:
        os.link(source, target)
        return
    except OSError:
        pass
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
        shutil.copyfileobj(handle, out)
        out.flush()
        os.fsync(out.fileno())


def _move(source: Path, target: Path) -> None:
    try:
        source.replace(target)
    except OSError:  # another file system
        _copy_file(source, target)
        source.unlink()


def _make_folder(folder: Path) -> None:
    if not folder.is_dir():
        folder.mkdir(parents=True, mode=0o700)
        if os.name == "posix":
            folder.chmod(0o700)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return (exc.strerror or str(exc)).rstrip(".")
    return str(exc).rstrip(".")

"""Backups of an SQLite database: whole or not at all, never overwriting another, thinned.

A backup is made with SQLite's online backup API into a private temporary file in the target's
folder and only then given its name, so a kill or a full disk never leaves a half database under
a backup's name. Names in the backup folder carry the time to the microsecond (and a counter if
that is taken), and a name is claimed with a hard link, which fails rather than replaces, so two
quick backups are two files.

After each backup into the folder it is thinned as Anki thins its backups (``Retention``): the
newest ``recent`` stay, then the newest of each of the last ``daily`` days, ``weekly`` weeks and
``monthly`` months that have one, so some forty files reach back about nine months. Only
NetPlanner's own backups are ever removed; other files there are never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from netplanner.domain.errors import DatabaseError, InputError
from netplanner.storage.atomic_files import (
    TEMPORARY_PREFIX,
    TEMPORARY_SUFFIX,
    check_target,
    fsync_folder,
    fsync_path,
    private_temporary,
)
from netplanner.storage.sqlite_files import side_files

# netplanner-20261126-093000[-123456][.2]-reason.sqlite; the older names lack the microseconds.
_BACKUP_NAME = re.compile(
    r"^netplanner-(?P<stamp>\d{8}-\d{6})(?:-(?P<micro>\d{6}))?(?:\.(?P<n>\d+))?-(?P<reason>.+)\.sqlite$"
)
_REASON = re.compile(r"[^A-Za-z0-9_-]+")


def is_backup_name(name: str) -> bool:
    """Whether ``name`` is one of NetPlanner's own backups (the only files rotation removes)."""
    return _BACKUP_NAME.match(name) is not None


@dataclass(frozen=True)
class Retention:
    """Which backups thinning keeps: the newest ``recent``, then the newest of each period."""

    recent: int = 10
    daily: int = 12
    weekly: int = 10
    monthly: int = 9


@dataclass(frozen=True)
class BackupFile:
    """One of NetPlanner's backups in the backup folder (for a list to choose from)."""

    path: Path
    made: datetime  # UTC, from the name
    reason: str  # "manual", "before-import", "before-0003", "automatic", "before-restore"
    size: int


def _order(path: Path) -> tuple[str, str, int]:
    match = _BACKUP_NAME.match(path.name)
    assert match is not None
    return match["stamp"], match["micro"] or "000000", int(match["n"] or 0)


def _made(path: Path) -> datetime:
    stamp, micro, _n = _order(path)
    return datetime.strptime(f"{stamp}-{micro}", "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC)


def _reason_of(path: Path) -> str:
    match = _BACKUP_NAME.match(path.name)
    assert match is not None
    return match["reason"]


def list_backups(folder: Path) -> list[BackupFile]:
    """NetPlanner's backups in ``folder``, newest first (none when it does not exist)."""
    try:
        names = [p for p in folder.iterdir() if is_backup_name(p.name) and p.is_file()]
    except OSError:
        return []
    found = []
    for path in sorted(names, key=_order, reverse=True):
        try:
            size = path.stat().st_size
        except OSError:  # removed meanwhile
            continue
        found.append(BackupFile(path, _made(path), _reason_of(path), size))
    return found


def _copy(source: Path, destination: Path) -> None:
    """SQLite's online backup of ``source`` into the (empty) file ``destination``."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _private_folder(folder: Path) -> None:
    """Create NetPlanner's backup folder 0700; a folder that exists keeps its permissions."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, mode=0o700)
    if os.name == "posix":
        folder.chmod(0o700)  # mkdir's mode is reduced by the umask


def _claim_name(temporary: Path, folder: Path, now: datetime, reason: str) -> Path:
    """Give ``temporary`` a backup name no other file has, without ever replacing one."""
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    for counter in range(1000):
        suffix = "" if counter == 0 else f".{counter}"
        candidate = folder / f"netplanner-{stamp}{suffix}-{reason}.sqlite"
        try:
            os.link(temporary, candidate)
        except FileExistsError:
            continue
        return candidate
    raise InputError(f"No free backup name is left in {folder} for this moment; try again.")


def _backup_into(source: Path, folder: Path, now: datetime, reason: str) -> Path:
    """The copy made under a temporary name, flushed, then linked to a name of its own."""
    fd, name = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=folder)
    os.close(fd)
    temporary = Path(name)
    try:
        _copy(source, temporary)
        fsync_path(temporary)
        written = _claim_name(temporary, folder, now, reason)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    fsync_folder(folder)
    return written


def make_backup(
    source: Path,
    to: Path | None,
    folder: Path | None,
    reason: str = "manual",
    retention: Retention | None = None,
    now: datetime | None = None,
) -> Path:
    """Back up ``source`` to ``to``, or under a new name in ``folder``; returns the backup.

    ``to`` must be in a folder that exists and is replaced atomically if it exists; a backup
    into ``folder`` gets a name of its own and then, with ``retention``, the folder is
    thinned. Failures are one sentence; nothing is left under the final name.
    """
    if to is not None:
        target = check_target(to)
        where = target.parent
    elif folder is not None:
        try:
            _private_folder(folder)
        except OSError as exc:
            raise InputError(
                f"The backup folder {folder} cannot be created: {_reason(exc)}."
            ) from None
        where = folder
    else:
        raise InputError("No backup folder is set; give a file with --to.")
    label = _REASON.sub("-", reason).strip("-") or "manual"
    moment = now or datetime.now(UTC)
    try:
        if to is not None:
            with private_temporary(target) as temporary:
                _copy(source, temporary)
            written = target
        else:
            written = _backup_into(source, where, moment, label)
    except OSError as exc:
        raise InputError(f"The backup could not be written in {where}: {_reason(exc)}.") from None
    except sqlite3.Error as exc:
        raise DatabaseError(
            f"The backup could not be made ({str(exc).rstrip('.')}); nothing was written."
        ) from None
    if to is None and retention is not None:
        thin(where, retention, spare=written)
    return written


def thinned(made: list[datetime], retention: Retention) -> list[bool]:
    """For backup times sorted newest first, whether thinning keeps each one.

    A backup is kept when it is one of the newest ``recent``, else when it is the newest of a
    day (then a week, then a month) older than every backup kept so far, while that period's
    allowance lasts; at least one is always kept.
    """
    daily, weekly, monthly = retention.daily, retention.weekly, retention.monthly
    last_day: date | None = None
    keep: list[bool] = []
    for index, moment in enumerate(made):
        day = moment.date()
        kept = index < max(1, retention.recent)
        if not kept and last_day is not None:
            if daily > 0 and day < last_day:
                daily -= 1
                kept = True
            elif weekly > 0 and _week(day) < _week(last_day):
                weekly -= 1
                kept = True
            elif monthly > 0 and (day.year, day.month) < (last_day.year, last_day.month):
                monthly -= 1
                kept = True
        if kept:
            last_day = day if last_day is None else min(day, last_day)
        keep.append(kept)
    return keep


def _week(day: date) -> tuple[int, int]:
    year, week, _weekday = day.isocalendar()
    return year, week


def thin(folder: Path, retention: Retention, spare: Path | None = None) -> list[Path]:
    """Remove the backups in ``folder`` that ``retention`` does not keep; returns them.

    ``spare`` (the backup just made) is never removed, even if a clock set back makes it look old.
    """
    backups = [b.path for b in list_backups(folder)]
    keep = thinned([_made(p) for p in backups], retention)
    removed = [p for p, kept in zip(backups, keep, strict=True) if not kept and p != spare]
    removed += _stale_temporaries(folder)
    for path in removed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return removed


STALE_AFTER_S = 24 * 3600


def _stale_temporaries(folder: Path) -> list[Path]:
    """Temporary copies a killed backup left (and their journals), a day old or more."""
    stale = []
    now = datetime.now(UTC).timestamp()
    for path in folder.glob(f"{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}*"):
        with contextlib.suppress(OSError):
            if path.is_file() and now - path.stat().st_mtime >= STALE_AFTER_S:
                stale.append(path)
    return stale


def prune(folder: Path, keep: int, spare: Path | None = None) -> list[Path]:
    """Remove all but the newest ``keep`` (at least one) of NetPlanner's backups in ``folder``."""
    return thin(folder, Retention(recent=keep, daily=0, weekly=0, monthly=0), spare)


def last_change(database: Path) -> int:
    """When ``database`` or its write-ahead log last changed (ns), to see whether to back up."""
    stamps = []
    for path in (database, *side_files(database)[:1]):
        with contextlib.suppress(FileNotFoundError):
            stamps.append(path.stat().st_mtime_ns)
    return max(stamps, default=0)


def changed_since_last_backup(database: Path, folder: Path) -> bool:
    """Whether ``database`` changed after the newest backup in ``folder`` was taken from it.

    Cheap (two ``stat`` calls and a folder listing): every commit writes the write-ahead log
    or the file. A backup ``backup_if_changed`` makes carries as its own time the source's
    time of change read just after the copy (SQLite's backup starts again when another
    connection writes during it), so the next check compares like with like; a write in
    the instant between the two counts only with the next write.
    """
    newest = list_backups(folder)[:1]
    if not newest:
        return True
    try:
        return last_change(database) > newest[0].path.stat().st_mtime_ns
    except FileNotFoundError:
        return True


def mark_taken_at(backup: Path, change: int) -> None:
    """Give ``backup`` the source's time of change (see ``changed_since_last_backup``)."""
    with contextlib.suppress(OSError):
        os.utime(backup, ns=(change, change))


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).rstrip(".")

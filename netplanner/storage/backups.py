"""Backups of an SQLite database: whole or not at all, never overwriting another, kept in number.

A backup is made with SQLite's online backup API into a private temporary file in the target's
folder and only then given its name, so a kill or a full disk never leaves a half database under
a backup's name. Names in the backup folder carry the time to the microsecond (and a counter if
that is taken), and a name is claimed with a hard link, which fails rather than replaces, so two
quick backups are two files. After each backup into the folder only the newest ``keep`` of
NetPlanner's own backups stay; other files there are never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from datetime import UTC, datetime
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

# netplanner-20261126-093000[-123456][.2]-reason.sqlite; the older names lack the microseconds.
_BACKUP_NAME = re.compile(
    r"^netplanner-(?P<stamp>\d{8}-\d{6})(?:-(?P<micro>\d{6}))?(?:\.(?P<n>\d+))?-.+\.sqlite$"
)
_REASON = re.compile(r"[^A-Za-z0-9_-]+")


def is_backup_name(name: str) -> bool:
    """Whether ``name`` is one of NetPlanner's own backups (the only files rotation removes)."""
    return _BACKUP_NAME.match(name) is not None


def _order(path: Path) -> tuple[str, str, int]:
    match = _BACKUP_NAME.match(path.name)
    assert match is not None
    return match["stamp"], match["micro"] or "000000", int(match["n"] or 0)


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
    keep: int | None = None,
    now: datetime | None = None,
) -> Path:
    """Back up ``source`` to ``to``, or under a new name in ``folder``; returns the backup.

    ``to`` must be in a folder that exists and is replaced atomically if it exists; a backup
    into ``folder`` gets a name of its own and then, with ``keep``, only the newest ``keep``
    backups there are left. Failures are one sentence; nothing is left under the final name.
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
    if to is None and keep is not None:
        prune(where, keep, spare=written)
    return written


def prune(folder: Path, keep: int, spare: Path | None = None) -> list[Path]:
    """Remove all but the newest ``keep`` (at least one) of NetPlanner's backups in ``folder``.

    ``spare`` (the backup just made) is never removed, even if a clock set back makes it look old.
    """
    backups = sorted((p for p in folder.iterdir() if is_backup_name(p.name)), key=_order)
    removed = [p for p in backups[: max(0, len(backups) - max(1, keep))] if p != spare]
    for path in removed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return removed


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).rstrip(".")

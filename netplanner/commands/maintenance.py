"""``netplanner backup``, ``backups``, ``restore`` and ``check``.

All four work on the database file through ``context.backups`` and open it through the
engine only where they must, so they still answer when the database is damaged.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from netplanner.commands.output import emit_json, print_table, say
from netplanner.domain.errors import InputError
from netplanner.paths import WINDOW_LOCK_NAME

if TYPE_CHECKING:
    from netplanner.services.context import AppContext

_SERVER_ONLY = (
    "Only an SQLite database can be backed up by NetPlanner; use your database server's own tools."
)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    backup = sub.add_parser(
        "backup",
        parents=[common],
        help="copy the database to a backup file (a damaged database is refused)",
    )
    backup.add_argument("--to", type=Path, help="the backup file (default: the backups folder)")
    backup.set_defaults(handler=run_backup)
    backups = sub.add_parser("backups", parents=[common], help="list the backups, newest first")
    backups.set_defaults(handler=run_backups)
    restore = sub.add_parser(
        "restore",
        parents=[common],
        help="put a backup in place of the database (the current one is kept in the backups)",
        description=(
            "Replace the database by BACKUP after checking that BACKUP is sound. The current "
            "database is kept first in the backups folder: as a backup named 'before-restore', "
            "or as 'damaged-...' when it is damaged. Close the window first."
        ),
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP", help="the backup file to restore")
    restore.set_defaults(handler=run_restore)
    check = sub.add_parser(
        "check",
        parents=[common],
        help="check the database's integrity and the values stored in it",
    )
    check.set_defaults(handler=run_check)


def run_backup(args: argparse.Namespace, context: AppContext) -> int:
    target: Path | None = args.to
    if target is not None and target.exists() and target.is_dir():
        raise InputError(f"{target} is a folder; give a file name for the backup.")
    service = context.backups
    if not service.supported:
        raise InputError(_SERVER_ONLY)
    assert service.database_file is not None
    if not service.database_file.exists():
        context.db  # noqa: B018 - a first backup of a new database: create it
    # The database is checked first and a damaged one refused; the target's folder must exist
    # (never created wherever asked); the backups folder is thinned (settings: backups).
    written = service.backup_to(target) if target is not None else service.backup_now()
    if written is None:
        raise InputError(_SERVER_ONLY)
    if args.json:
        emit_json({"path": str(written)})
    else:
        say(f"Backed up to {written}")
    return 0


def run_backups(args: argparse.Namespace, context: AppContext) -> int:
    listing = context.backups.listing()
    if args.json:
        emit_json(
            [
                {"path": str(b.path), "made_utc": b.made.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "reason": b.reason, "bytes": b.size}
                for b in listing
            ]
        )  # fmt: skip
    elif not listing:
        say(f"No backups in {context.backups.folder} yet.")
    else:
        print_table(
            ("Made (UTC)", "Reason", "Size", "File"),
            [(b.made.strftime("%Y-%m-%d %H:%M:%S"), b.reason, _size(b.size), b.path.name)
             for b in listing],
        )  # fmt: skip
    return 0


def _open_window(data_dir: Path) -> int | None:
    """The process id of a window open on ``data_dir`` (its lock names a live process)."""
    import os

    try:
        first = (data_dir / WINDOW_LOCK_NAME).read_text(encoding="utf-8").split("\n", 1)[0]
        pid = int(first.strip())
    except (OSError, ValueError):
        return None
    if pid <= 0 or pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # a crashed window's lock
    except PermissionError:
        return pid  # alive, another user's
    return pid


def run_restore(args: argparse.Namespace, context: AppContext) -> int:
    window = _open_window(context.paths.data_dir)
    if window is not None:
        raise InputError(
            f"A NetPlanner window (process {window}) has this database open; close it first, "
            "or use Restore from backup… in the window."
        )
    result = context.backups.restore(args.backup)
    if args.json:
        emit_json(
            {
                "database": str(result.database),
                "restored_from": str(result.restored_from),
                "set_aside": str(result.set_aside) if result.set_aside else None,
                "set_aside_damaged": result.set_aside_was_damaged,
            }
        )
        return 0
    say(f"Restored {result.restored_from} as {result.database}.")
    if result.set_aside is not None:
        what = "damaged database" if result.set_aside_was_damaged else "database as it was"
        say(f"The {what} is kept in {result.set_aside}.")
    return 0


def run_check(args: argparse.Namespace, context: AppContext) -> int:
    from netplanner.domain.errors import DatabaseError

    service = context.backups
    problems: list[str] = []
    damaged = False
    schema: str | None = None
    contacts: int | None = None
    if service.supported:
        problems = service.problems()
        damaged = bool(problems)
    if not problems:
        try:
            schema = context.db.current_revision()
            contacts = context.contacts.count()
            problems = context.db.integrity_check() if not service.supported else []
            problems += context.stored_values.problems()
        except DatabaseError as exc:
            problems.append(str(exc))
    good = service.newest_good() if damaged else None
    result = {
        "ok": not problems,
        "problems": problems,
        "schema": schema,
        "contacts": contacts,
        "newest_good_backup": str(good) if good is not None else None,
    }
    if args.json:
        emit_json(result)
    elif not problems:
        say("The database is sound.")
    else:
        if damaged:
            say(f"The database {service.database_file} is damaged:")
        for problem in problems:
            say(problem)
        if good is not None:
            say(f"The newest good backup is {good}; put it back with: netplanner restore {good}")
        elif damaged:
            say(f"No good backup was found in {service.folder}.")
    return 0 if not problems else 3


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"

"""``netplanner backup`` and ``netplanner check``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from netplanner.commands.output import emit_json
from netplanner.domain.errors import InputError

if TYPE_CHECKING:
    from netplanner.services.context import AppContext


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    backup = sub.add_parser("backup", parents=[common], help="copy the database to a backup file")
    backup.add_argument("--to", type=Path, help="the backup file (default: the backups folder)")
    backup.set_defaults(handler=run_backup)
    check = sub.add_parser("check", parents=[common], help="check the database's integrity")
    check.set_defaults(handler=run_check)


def run_backup(args: argparse.Namespace, context: AppContext) -> int:
    target: Path | None = args.to
    if target is not None and target.exists() and target.is_dir():
        raise InputError(f"{target} is a folder; give a file name for the backup.")
    # The target's folder must exist (never created wherever asked); into the backup folder,
    # only the newest ``keep`` backups are left (settings: backups.keep).
    written = context.db.backup(to=target, keep=context.settings.backups.keep)
    if written is None:
        raise InputError(
            "Only an SQLite database can be backed up by NetPlanner; use your "
            "database server's own tools."
        )
    if args.json:
        emit_json({"path": str(written)})
    else:
        print(f"Backed up to {written}")
    return 0


def run_check(args: argparse.Namespace, context: AppContext) -> int:
    problems = context.db.integrity_check()
    result = {
        "ok": not problems,
        "problems": problems,
        "schema": context.db.current_revision(),
        "contacts": context.contacts.count(),
    }
    if args.json:
        emit_json(result)
    else:
        print("The database is sound." if not problems else "\n".join(problems))
    return 0 if not problems else 3

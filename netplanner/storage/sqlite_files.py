"""Looking into an SQLite file without changing it, and SQLite's errors in one sentence.

Standard library only (the quick contact listing uses it without SQLAlchemy). A read-only
connection to a database in WAL mode creates ``-wal`` and ``-shm`` beside it and, being
read-only, cannot remove them; where no ``-wal`` exists there is nothing uncommitted to read,
so the file is opened ``immutable`` and nothing is created beside a database that is only
looked at (a refused newer one, a backup being checked).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import unquote

SQLITE_HEADER = b"SQLite format 3\x00"

BUSY = "The database is busy (another NetPlanner is writing); try again."


def side_files(path: Path) -> tuple[Path, Path]:
    """The write-ahead log and shared-memory files SQLite keeps beside ``path``."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that can only read ``path`` and leaves no file beside it."""
    wal, _shm = side_files(path)
    query = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True)


def has_sqlite_header(path: Path) -> bool:
    """Whether ``path`` is a regular file that starts like an SQLite database."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def integrity_problems(path: Path, quick: bool = False) -> list[str]:
    """What SQLite's integrity and foreign-key checks find in ``path``; empty when sound.

    A file so damaged that the check itself fails gives that failure as its one problem,
    never an exception. ``quick`` runs ``quick_check`` (no index contents; several times
    faster), for the automatic backups.
    """
    if not path.is_file():
        return [f"{path} is not a file"]
    if not has_sqlite_header(path):
        return [f"{path} is not an SQLite database"]
    try:
        connection = read_only_connection(path)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = connection.execute(f"PRAGMA {pragma}").fetchall()
            problems = [str(row[0]) for row in rows if row[0] != "ok"]
            if not problems:
                broken = connection.execute("PRAGMA foreign_key_check").fetchall()
                problems += [f"foreign key broken in {row[0]} row {row[1]}" for row in broken]
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return [str(exc)]
    return problems


def schema_revision(path: Path) -> str | None:
    """The Alembic revision stamped in ``path`` (None when it has none or cannot be read)."""
    try:
        connection = read_only_connection(path)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def is_damage(message: str) -> bool:
    """Whether an SQLite error message says the file is damaged."""
    text = message.lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def describe_sqlite_error(message: str, where: str, backups: str | None) -> tuple[str, str] | None:
    """``(kind, sentence)`` for an SQLite error a user can meet, None for anything else.

    ``kind`` is one of "busy", "read-only", "damaged", "full", "io", "open". The sentence
    names the file, never the statement or its values (they may be a contact's data).
    """
    text = message.lower()
    if "locked" in text or "busy" in text:
        return "busy", BUSY
    if "readonly" in text or "read-only" in text:
        return "read-only", (
            f"The database {where} is read-only; NetPlanner cannot write to it "
            "(check the permissions of the file and its folder)."
        )
    if is_damage(text):
        restore = (
            f" and restore a backup from {backups} with `netplanner restore BACKUP`"
            if backups
            else " and restore a backup with `netplanner restore BACKUP`"
        )
        return "damaged", (
            f"The database {where} is damaged ({message.strip().rstrip('.')}); "
            f"nothing more was written: run `netplanner check`{restore}."
        )
    if "full" in text:
        return "full", f"The disk holding the database {where} is full; nothing was written."
    if "disk i/o" in text:
        return "io", (
            f"The database {where} could not be read or written (disk I/O error); "
            "nothing was written."
        )
    if "unable to open" in text or "cannot open" in text:
        return "open", f"The database {where} cannot be opened (unable to open the file)."
    return None


_SQLITE_URL = re.compile(r"^sqlite(?:\+\w+)?:///(?P<path>[^?]*)(?:\?.*)?$")


def sqlite_file_of(url: str) -> Path | None:
    """The SQLite file an SQLAlchemy URL names; None for a server, memory or ``file:`` URI.

    Without SQLAlchemy (the window asks before it has imported it); ``storage.database``
    parses URLs with SQLAlchemy and a test holds the two to the same answers.
    """
    match = _SQLITE_URL.match(url)
    if match is None:
        return None
    path = unquote(match["path"])  # as SQLAlchemy reads it: "%20" is a space
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return Path(path)


def damaged_backup_message(source: Path, problem: str) -> str:
    """The sentence for a backup refused because its source is damaged."""
    return (
        f"The database {source} is damaged ({problem.rstrip('.')}), so it was not backed up "
        "(a damaged copy must not replace a good backup): run `netplanner check` and restore "
        "a backup with `netplanner restore BACKUP`."
    )

"""The contact list read straight from the SQLite file, without SQLAlchemy.

``netplanner contacts --json`` is what scripts poll. Importing SQLAlchemy and its ORM costs
about 0.4 s on a small machine, more than the whole answer, so the plain listing (no query,
no place) reads the file with the standard library when that gives the same answer: the
file exists, is NetPlanner's, and is already at the current schema. Anything else (a newer or
older schema, another database, an unreadable file) returns None and the command takes the
full path, which migrates, refuses or explains as usual. Nothing here ever writes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from netplanner.domain.entities import Contact
from netplanner.storage.sqlite_files import read_only_connection

# The Alembic head this module reads; a test checks it against the migrations.
SCHEMA_HEAD = "0003"

# The order of ``ContactRepository.list``: SQLite's lower() on the names, then the id.
_LISTING = (
    "SELECT id, first_name, last_name, company, position, location_text, lat, lon, timezone "
    "FROM contacts ORDER BY lower(first_name), lower(last_name), id"
)


def read_contact_list(database_file: Path) -> list[Contact] | None:
    """Every contact in listing order, or None when only the full path can answer."""
    if not database_file.is_file():
        return None
    try:
        connection = read_only_connection(database_file)  # leaves no -wal/-shm behind
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA query_only = 1")
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if version != [(SCHEMA_HEAD,)]:
            return None
        rows = connection.execute(_LISTING).fetchall()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return [
        Contact(
            id=row[0],
            first_name=row[1] or "",
            last_name=row[2] or "",
            company=row[3],
            position=row[4],
            location_text=row[5],
            lat=row[6],
            lon=row[7],
            timezone=row[8],
        )
        for row in rows
    ]

"""The contact list read straight from the SQLite file, without SQLAlchemy.

``netplanner contacts --json`` is what scripts poll, and the window's first table is what a
user waits for. Importing SQLAlchemy and its ORM costs
about 0.4 s on a small machine, more than the whole answer, so the plain listing (no query,
no place) reads the file with the standard library when that gives the same answer: the
file exists, is NetPlanner's, and is already at the current schema. Anything else (a newer or
older schema, another database, an unreadable file) returns None and the command takes the
full path, which migrates, refuses or explains as usual. Nothing here ever writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from netplanner.domain.entities import Contact, RelationshipStage
from netplanner.domain.summaries import ContactSummary
from netplanner.storage.sqlite_files import read_only_connection

# The Alembic head this module reads; a test checks it against the migrations.
SCHEMA_HEAD = "0004"

# The order of ``ContactRepository.list``: SQLite's lower() on the names, then the id.
_LISTING = (
    "SELECT id, first_name, last_name, company, position, location_text, lat, lon, timezone "
    "FROM contacts ORDER BY lower(first_name), lower(last_name), id"
)


# What the window's table shows and filters by, in no set order (the table sorts itself).
TABLE_COLUMNS = (
    "SELECT id, first_name, last_name, company, position, location_text, lat, lon, "
    "tags, stage, last_met FROM contacts"
)
_HOME = "SELECT lat, lon FROM user_locations WHERE kind = 'home'"


@dataclass(frozen=True)
class TableListing:
    """Every contact as the table needs it, and the home the distances are measured from."""

    contacts: list[ContactSummary]
    home: tuple[float, float] | None


def _open_current(database_file: Path) -> sqlite3.Connection | None:
    """A read-only connection to a NetPlanner file at the current schema, else None."""
    if not database_file.is_file():
        return None
    try:
        connection = read_only_connection(database_file)  # leaves no -wal/-shm behind
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA query_only = 1")
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        connection.close()
        return None
    if version != [(SCHEMA_HEAD,)]:
        connection.close()
        return None
    return connection


def is_current(database_file: Path) -> bool:
    """Whether the file is NetPlanner's at the current schema: opening it migrates nothing."""
    connection = _open_current(database_file)
    if connection is None:
        return False
    connection.close()
    return True


def tags_text(raw: str | None) -> str:
    """Tags as text for the filter: the stored JSON list as it is, unless it holds escapes.

    Searching the raw text ('["investor", "mentor"]') finds the same words as the decoded
    list and costs nothing; only escaped characters (non-ASCII) need json to undo them.
    """
    if not raw or raw == "[]":
        return ""
    if "\\" in raw:
        import json  # only here: the window's first table is read before anything needs it

        return " ".join(str(tag) for tag in json.loads(raw))
    return raw


def _as_date(value: object) -> date | None:
    """A stored date: SQLite hands back its ISO text, other databases a ``date``."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def summaries(rows: Iterable[Sequence[Any]]) -> list[ContactSummary]:
    """Rows of ``TABLE_COLUMNS`` as summaries, each repeated text kept once in memory.

    Companies, positions, places, first names and tags repeat across a network of 30,000;
    sharing one string per distinct value instead of one per row keeps the table small.
    """
    stages = {stage.value: stage for stage in RelationshipStage}
    new_stage = RelationshipStage.NEW
    shared: dict[Any, Any] = {}
    one = shared.setdefault
    tag_texts: dict[Any, str] = {}
    make = tuple.__new__  # the named tuple's own __new__ is a Python call per row
    out: list[ContactSummary] = []
    append = out.append
    for row_id, first, last, company, position, place, lat, lon, tags, stage, met in rows:
        text = tag_texts.get(tags)
        if text is None:
            text = tag_texts[tags] = tags_text(tags)
        append(
            make(
                ContactSummary,
                (
                    row_id, one(first, first) if first else "", last or "",
                    one(company, company), one(position, position), one(place, place),
                    lat, lon, text, stages.get(stage, new_stage),
                    None if met is None else _as_date(met),
                ),
            )
        )  # fmt: skip
    return out


def read_table_listing(database_file: Path) -> TableListing | None:
    """The window's first table read with the standard library, or None (the full path)."""
    connection = _open_current(database_file)
    if connection is None:
        return None
    try:
        contacts = summaries(connection.execute(TABLE_COLUMNS))
        home = connection.execute(_HOME).fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    point = (float(home[0]), float(home[1])) if home and home[0] is not None else None
    return TableListing(contacts, point)


def read_contact_list(database_file: Path) -> list[Contact] | None:
    """Every contact in listing order, or None when only the full path can answer."""
    connection = _open_current(database_file)
    if connection is None:
        return None
    try:
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

"""Damaging a real database the way a failing disk does: pages in the middle overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

PAGE = 4096


# Tables most commands read, directly or through their indexes (the contacts themselves
# stay readable, as when a disk fails on a page of meetings).
CORE_TABLES = ("meetings", "meeting_contacts", "trip_events")


def damage_pages(path: Path, tables: tuple[str, ...] = CORE_TABLES) -> None:
    """Overwrite a page in the middle of each table's pages (and its indexes') with garbage.

    The file keeps its header and schema pages, so it still opens; what lies on those pages
    reads as "database disk image is malformed". The pages are found by what they hold,
    not by their place in the file, so the damage does not move when the schema grows.
    """
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        owners = dict(connection.execute("SELECT name, tbl_name FROM sqlite_master").fetchall())
        pages: dict[str, list[int]] = {}
        for name, page in connection.execute("SELECT name, pageno FROM dbstat ORDER BY pageno"):
            table = owners.get(name)
            if table in tables:
                pages.setdefault(table, []).append(int(page))
    finally:
        connection.close()
    assert set(pages) == set(tables), f"{path} lacks some of {tables}"
    with path.open("r+b") as handle:
        for numbers in pages.values():
            page = numbers[len(numbers) // 2] - 1  # dbstat counts pages from 1
            handle.seek(page * PAGE)
            handle.write(bytes((page * 37 + i) % 251 for i in range(PAGE)))


def damage_table(path: Path, table: str) -> None:
    """Overwrite the root page of ``table`` (the first page every read of it needs)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    finally:
        connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * PAGE)
        handle.write(b"\xff" * PAGE)

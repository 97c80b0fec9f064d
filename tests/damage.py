"""Damaging a real database the way a failing disk does: pages in the middle overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

PAGE = 4096


def damage_pages(path: Path, count: int = 3) -> None:
    """Overwrite ``count`` pages in the middle of the SQLite file ``path`` with garbage.

    The file keeps its header and schema page, so it still opens; what lies on those pages
    (contacts, meetings, their links) reads as "database disk image is malformed".
    """
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    pages = path.stat().st_size // PAGE
    assert pages > count + 4, f"{path} is too small to damage in the middle"
    with path.open("r+b") as handle:
        for page in range(pages // 2, pages // 2 + count):
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

"""The window's timed backups work on the file alone, before SQLAlchemy is even imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netplanner.storage import database
from netplanner.storage.sqlite_files import sqlite_file_of


@pytest.mark.parametrize(
    "url",
    ["sqlite:////abs/np.sqlite", "sqlite:///relative.sqlite", "sqlite+pysqlite:////a/b.sqlite",
     "sqlite:////a/b.sqlite?timeout=3", "sqlite:////a%20b/%C3%BC.sqlite", "sqlite://",
     "sqlite:///:memory:",
     "sqlite:///file:x?mode=memory&uri=true", "postgresql+psycopg://u:p@h/db"],
)  # fmt: skip
def test_the_light_url_reading_agrees_with_sqlalchemy(url: str) -> None:
    assert sqlite_file_of(url) == database.sqlite_file_of(url)


def test_backup_calls_do_not_import_sqlalchemy(demo_database: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "netplanner.sqlite").write_bytes(demo_database.read_bytes())
    probe = (
        "import sys\n"
        "from netplanner.services.context import build_context\n"
        f"backups = build_context({str(data)!r}).backups\n"
        "made = backups.backup_if_changed()\n"
        "assert made is not None and backups.backup_if_changed() is None\n"
        "assert len(backups.listing()) == 1\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))\n"
        "assert backups.newest_good() == made  # this one reads the schema's revisions\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

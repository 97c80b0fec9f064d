"""Values stored before they were refused at input are found by ``check`` and break nothing.

Issue 14, defect 5: a zone "Mars/Olympus", coordinates that are no numbers and meetings in
year 1 or 9999 were accepted by older versions; ``check`` said ok while ``meetings``, ``brief``
and ``export ics`` failed (the calendar export with an OverflowError, exit 1).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from netplanner.services.context import AppContext
from tests.conftest import Cli


@pytest.fixture
def bad_rows(demo_context: AppContext) -> AppContext:
    """The demo network with the rows an older version let in, written straight to the file."""
    demo_context.close()
    connection = sqlite3.connect(demo_context.paths.database_file)
    connection.execute(
        "UPDATE meetings SET start_utc = '0001-01-01 00:10:00.000000', "
        "end_utc = '0001-01-01 01:10:00.000000' WHERE id = 1"
    )
    connection.execute(
        "UPDATE meetings SET start_utc = '9999-12-31 23:30:00.000000', "
        "end_utc = '9999-12-31 23:59:00.000000' WHERE id = 2"
    )
    connection.execute("UPDATE meetings SET tzid = 'Mars/Olympus' WHERE id = 3")
    connection.execute("UPDATE contacts SET timezone = 'Mars/Olympus', lat = 9e999 WHERE id = 5")
    connection.commit()
    connection.close()
    return demo_context


def test_check_reports_each_stored_value_other_commands_cannot_use(
    cli: Cli, bad_rows: AppContext
) -> None:
    result = cli("check", "--json")
    assert result.code == 3
    report = result.json()
    assert report["ok"] is False
    found = "\n".join(report["problems"])
    for expected in ("meetings row 1: start_utc 0001-01-01", "meetings row 2: end_utc 9999-12-31",
                     "meetings row 3: tzid 'Mars/Olympus'", "contacts row 5: timezone",
                     "contacts row 5: lat/lon inf"):  # fmt: skip
        assert expected in found, found
    assert report["newest_good_backup"] is None  # not damage: no backup to restore
    assert "Ada" not in found  # rows by number, never by what they hold


def test_the_calendar_export_of_such_rows_is_one_sentence(
    cli: Cli, bad_rows: AppContext, tmp_path: Path
) -> None:
    out = tmp_path / "all.ics"
    for args in (("export", "ics", "--all", "-o", str(out)), ("meetings",), ("meetings", "--json")):
        result = cli(*args)
        assert result.code == 3, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert "netplanner check" in lines[0]
    assert not out.exists()


def test_a_sound_network_passes_the_check(cli: Cli, demo_context: AppContext) -> None:
    demo_context.close()
    result = cli("check", "--json")
    assert result.code == 0 and result.json()["ok"] is True and result.json()["problems"] == []

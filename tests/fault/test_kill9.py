"""kill -9 at random moments: the database stays sound and every change is all or nothing.

Each run starts a real ``netplanner`` process on its own copy of the demo network, kills it
with SIGKILL after a seeded random delay (somewhere in start-up, the work or the commit),
then checks the file with SQLite's integrity check and counts what is there: an import's
contacts all or none, a debrief with all its follow-ups or none, a geocoded contact with
both coordinates or neither, an export or a backup whole under its name or absent (a
temporary left by the kill is private). Three seeded runs per operation.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netplanner.storage.backups import is_backup_name
from netplanner.storage.sqlite_files import integrity_problems
from tests.conftest import _netplanner_env

RUNS = 3
IMPORTED = 1500


def _killed(data: Path, args: list[str], delay: float) -> int | None:
    """Run ``netplanner ARGS`` and SIGKILL it after ``delay`` s; its exit code if it ended first."""
    process = subprocess.Popen(
        [sys.executable, "-m", "netplanner", *args],
        env=_netplanner_env(data, None),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if os.environ.get("NETPLANNER_FAULT_TRACE"):
                print(f"{args[0]} ended by itself before {delay:.2f}s", file=sys.stderr)
            return process.returncode
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    if os.environ.get("NETPLANNER_FAULT_TRACE"):
        print(f"killed {args[0]} after {delay:.2f}s", file=sys.stderr)
    return None


def _query(database: Path, sql: str) -> int:
    connection = sqlite3.connect(database)
    try:
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def _sound(database: Path) -> None:
    assert integrity_problems(database) == [], f"{database} damaged by kill -9"


def _private_leftovers(folder: Path, final_names: set[str]) -> None:
    """Whatever a kill left besides the final files is readable by the user alone."""
    for path in folder.iterdir():
        if path.is_file() and path.name not in final_names:
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


@pytest.fixture
def network(demo_database: Path, tmp_path: Path) -> Path:
    """A template data folder holding the demo network; each run copies it."""
    template = tmp_path / "template"
    template.mkdir()
    shutil.copy2(demo_database, template / "netplanner.sqlite")
    return template


def _fresh(template: Path, tmp_path: Path, run: int) -> Path:
    data = tmp_path / f"run{run}"
    shutil.copytree(template, data)
    return data


def _delays(operation: str, template: Path, tmp_path: Path, args: list[str]) -> list[float]:
    """Seeded moments over the later part of one whole run's time (the first part is Python
    starting up), measured here on this machine on a copy of its own."""
    data = tmp_path / "measured"
    shutil.copytree(template, data)
    started = time.monotonic()
    finished = subprocess.run(
        [sys.executable, "-m", "netplanner", *args],
        env=_netplanner_env(data, None),
        capture_output=True,
        timeout=120,
    )
    whole = time.monotonic() - started
    assert finished.returncode == 0, finished.stderr
    shutil.rmtree(data)
    chance = random.Random(f"kill9-{operation}")
    return [whole * chance.uniform(0.4, 1.0) for _ in range(RUNS)]


def test_an_import_killed_at_any_moment_is_all_or_nothing(network: Path, tmp_path: Path) -> None:
    source = tmp_path / "contacts.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Company", "Position", "Email Address"])
        for i in range(IMPORTED):
            writer.writerow([f"First{i}", f"Last{i}", f"Company {i % 97}", "Engineer",
                             f"p{i}@example.org"])  # fmt: skip
    before = _query(network / "netplanner.sqlite", "SELECT count(*) FROM contacts")
    args = ["import", str(source)]
    for run, delay in enumerate(_delays("import", network, tmp_path, args)):
        data = _fresh(network, tmp_path, run)
        _killed(data, args, delay)
        database = data / "netplanner.sqlite"
        _sound(database)
        assert _query(database, "SELECT count(*) FROM contacts") in (before, before + IMPORTED)
        backups = data / "backups"
        if backups.exists():
            for backup in backups.iterdir():
                if is_backup_name(backup.name):
                    _sound(backup)
                    assert _query(backup, "SELECT count(*) FROM contacts") == before


def test_a_debrief_killed_at_any_moment_is_all_or_nothing(network: Path, tmp_path: Path) -> None:
    database = network / "netplanner.sqlite"
    meeting = _query(database, "SELECT min(id) FROM meetings WHERE id NOT IN "
                     "(SELECT meeting_id FROM debriefs)")  # fmt: skip
    follow_ups = _query(database, "SELECT count(*) FROM follow_ups")
    args = ["debrief", str(meeting), "--food", "soup", "--ambitions", "a shop",
            "--follow-up", "send the paper", "--follow-up", "call back",
            "--follow-up", "intro"]  # fmt: skip
    for run, delay in enumerate(_delays("debrief", network, tmp_path, args)):
        data = _fresh(network, tmp_path, run)
        _killed(data, args, delay)
        stored = data / "netplanner.sqlite"
        _sound(stored)
        debriefed = _query(stored, f"SELECT count(*) FROM debriefs WHERE meeting_id = {meeting}")
        added = _query(stored, "SELECT count(*) FROM follow_ups") - follow_ups
        assert (debriefed, added) in ((0, 0), (1, 3)), (debriefed, added)


def test_geocoding_killed_at_any_moment_leaves_whole_places(network: Path, tmp_path: Path) -> None:
    database = network / "netplanner.sqlite"
    connection = sqlite3.connect(database)
    connection.execute(
        "UPDATE contacts SET lat = NULL, lon = NULL, timezone = NULL, country_code = NULL, "
        "location_status = 'unresolved' WHERE location_text IS NOT NULL"
    )
    connection.execute("DELETE FROM places")
    connection.commit()
    connection.close()
    for run, delay in enumerate(_delays("geocode", network, tmp_path, ["geocode"])):
        data = _fresh(network, tmp_path, run)
        _killed(data, ["geocode"], delay)
        stored = data / "netplanner.sqlite"
        _sound(stored)
        half = _query(stored, "SELECT count(*) FROM contacts WHERE (lat IS NULL) != (lon IS NULL)")
        assert half == 0
        located_unmarked = _query(
            stored,
            "SELECT count(*) FROM contacts "
            "WHERE lat IS NOT NULL AND location_status = 'unresolved'",
        )
        assert located_unmarked == 0


def test_an_export_killed_at_any_moment_is_whole_or_absent(network: Path, tmp_path: Path) -> None:
    measured = tmp_path / "measured.json"
    args = ["export", "json", "-o", str(measured)]
    for run, delay in enumerate(_delays("export", network, tmp_path, args)):
        data = _fresh(network, tmp_path, run)
        out = tmp_path / f"out{run}"
        out.mkdir()
        target = out / "network.json"
        _killed(data, ["export", "json", "-o", str(target)], delay)
        _sound(data / "netplanner.sqlite")
        if target.exists():
            document = json.loads(target.read_text(encoding="utf-8"))
            assert len(document["contacts"]) == 150
        _private_leftovers(out, {"network.json"})


def test_a_backup_killed_at_any_moment_is_whole_or_absent(network: Path, tmp_path: Path) -> None:
    for run, delay in enumerate(_delays("backup", network, tmp_path, ["backup"])):
        data = _fresh(network, tmp_path, run)
        _killed(data, ["backup"], delay)
        _sound(data / "netplanner.sqlite")
        backups = data / "backups"
        if backups.exists():
            named = {p.name for p in backups.iterdir() if is_backup_name(p.name)}
            for name in named:
                _sound(backups / name)
                assert _query(backups / name, "SELECT count(*) FROM contacts") == 150
            _private_leftovers(backups, named)

"""kill -9 at random moments: the database stays sound and every change is all or nothing.

Each run starts a real ``netplanner`` process on its own copy of the demo network, waits
until it has opened the database (Python's start-up is over) and kills it with SIGKILL a
seeded random moment into its work (reading, writing or committing),
then checks the file with SQLite's integrity check and counts what is there: an import's
contacts all or none, a debrief with all its follow-ups or none, a geocoded contact with
both coordinates or neither, an export or a backup whole under its name or absent (a
temporary left by the kill is private). Three seeded runs per operation.
"""

from __future__ import annotations

import contextlib
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

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason="watches /proc for the moment work begins"
)

RUNS = 3
IMPORTED = 1000


def _opened(pid: int, database: Path) -> bool:
    """Whether process ``pid`` has ``database`` open: start-up is over, the work begun."""
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                if fd.readlink() == database:
                    return True
    except OSError:
        pass
    return False


def _killed(data: Path, args: list[str], delay: float) -> int | None:
    """Run ``netplanner ARGS`` and SIGKILL it ``delay`` s after it opened its database
    (Python's start-up, some 0.3-3 s on a busy machine, is not what is tested); its exit
    code if it ended first."""
    database = (data / "netplanner.sqlite").resolve()
    process = subprocess.Popen(
        [sys.executable, "-m", "netplanner", *args],
        env=_netplanner_env(data, None),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    give_up = time.monotonic() + 60
    while not _opened(process.pid, database) and time.monotonic() < give_up:
        if process.poll() is not None:
            return process.returncode
        time.sleep(0.002)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _trace(f"{args[0]} ended by itself before {delay:.2f}s")
            return process.returncode
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    _trace(f"killed {args[0]} {delay:.2f}s into its work")
    return None


def _trace(line: str) -> None:
    if os.environ.get("NETPLANNER_FAULT_TRACE"):
        print(line, file=sys.stderr)


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


def _grown(network: Path, copies: int) -> int:
    """The demo's 150 contacts copied ``copies`` times more, with 6 kB of notes each, so that
    a backup's copy and an export's write take most of their process's time; the count."""
    connection = sqlite3.connect(network / "netplanner.sqlite")
    columns = [row[1] for row in connection.execute("PRAGMA table_info(contacts)")][1:]
    copied = ", ".join("hex(randomblob(3000))" if name == "notes" else name for name in columns)
    for _ in range(copies):
        connection.execute(
            f"INSERT INTO contacts ({', '.join(columns)}) "
            f"SELECT {copied} FROM contacts WHERE id <= 150"
        )
    connection.commit()
    connection.close()
    return 150 * (copies + 1)


def _fresh(template: Path, tmp_path: Path, run: int) -> Path:
    data = tmp_path / f"run{run}"
    shutil.copytree(template, data)
    return data


def _delays(operation: str, window: float) -> list[float]:
    """Seeded moments within the first ``window`` s of the operation's work."""
    chance = random.Random(f"kill9-{operation}")
    return [chance.uniform(0.0, window) for _ in range(RUNS)]


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
    for run, delay in enumerate(_delays("import", 2.0)):
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
    for run, delay in enumerate(_delays("debrief", 0.6)):
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
    for run, delay in enumerate(_delays("geocode", 1.0)):
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
    contacts = _grown(network, 3)
    for run, delay in enumerate(_delays("export", 1.0)):
        data = _fresh(network, tmp_path, run)
        out = tmp_path / f"out{run}"
        out.mkdir()
        target = out / "network.json"
        _killed(data, ["export", "json", "-o", str(target)], delay)
        _sound(data / "netplanner.sqlite")
        if target.exists():
            document = json.loads(target.read_text(encoding="utf-8"))
            assert len(document["contacts"]) == contacts
        _private_leftovers(out, {"network.json"})


def test_a_backup_killed_at_any_moment_is_whole_or_absent(network: Path, tmp_path: Path) -> None:
    contacts = _grown(network, 20)  # some 25 MB
    for run, delay in enumerate(_delays("backup", 0.4)):
        data = _fresh(network, tmp_path, run)
        _killed(data, ["backup"], delay)
        _sound(data / "netplanner.sqlite")
        backups = data / "backups"
        if backups.exists():
            named = {p.name for p in backups.iterdir() if is_backup_name(p.name)}
            for name in named:
                _sound(backups / name)
                assert _query(backups / name, "SELECT count(*) FROM contacts") == contacts
            _private_leftovers(backups, named)

"""Two ``netplanner import`` processes at once on the same data: both succeed, one after the other.

The second import waits for the first's write lock and merges against what the first wrote,
so two different files add up and the same file twice creates nothing twice.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROWS = 4000
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _connections(path: Path, tag: str, rows: int = ROWS) -> Path:
    lines = [
        f"Name{tag}{i},Surname{i},https://www.linkedin.com/in/{tag}-{i},"
        f"{tag}{i}@example.com,Company {i % 50},Engineer,01 Jan 2024\n"
        for i in range(rows)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETPLANNER_")}
    env["NETPLANNER_DATA_DIR"] = str(data)
    return env


def _import_at_once(data: Path, *files: Path) -> list[subprocess.CompletedProcess[str]]:
    """Start one ``netplanner import`` per file at the same moment and wait for all of them."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "netplanner", "import", str(file), "--json"],
            env=_env(data),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for file in files
    ]
    done = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    return done


def _stored_names(cli: Any) -> list[str]:
    result = cli("contacts", "--json")
    assert result.code == 0, result.stderr
    return [contact["name"] for contact in result.json()]


def test_two_different_files_imported_at_once_both_succeed_and_add_up(
    cli: Any, data_dir: Path, tmp_path: Path
) -> None:
    assert cli("contacts", "--json").code == 0  # the database exists before the race
    first = _connections(tmp_path / "first.csv", "a")
    second = _connections(tmp_path / "second.csv", "b")
    runs = _import_at_once(data_dir, first, second)
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert run.stderr == ""
    assert sorted(int(json.loads(r.stdout)["created"]) for r in runs) == [
        ROWS,
        ROWS,
    ]
    names = _stored_names(cli)
    assert len(names) == 2 * ROWS
    assert len(set(names)) == 2 * ROWS


def test_the_same_file_imported_twice_at_once_is_stored_once(
    cli: Any, data_dir: Path, tmp_path: Path
) -> None:
    assert cli("contacts", "--json").code == 0
    file = _connections(tmp_path / "connections.csv", "s")
    runs = _import_at_once(data_dir, file, file)
    for run in runs:
        assert run.returncode == 0, run.stderr
    created = sorted(json.loads(r.stdout)["created"] for r in runs)
    assert created == [0, ROWS]  # the second merged against what the first wrote
    names = _stored_names(cli)
    assert len(names) == ROWS
    assert len(set(names)) == ROWS

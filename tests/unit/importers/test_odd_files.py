"""Files an import must refuse in one sentence (exit 3) rather than hang on or half-accept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from netplanner.services.importers.netplanner_json import MARKER, VERSION

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETPLANNER_")}
    env["NETPLANNER_DATA_DIR"] = str(data)
    return env


@needs_fifo
def test_importing_a_named_pipe_is_refused_at_once(data_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "Connections.csv"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it for reading would block for good
    try:
        done = subprocess.run(
            [sys.executable, "-m", "netplanner", "import", str(fifo)],
            env=_env(data_dir),
            capture_output=True,
            text=True,
            timeout=20,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("importing a named pipe hung instead of being refused")
    assert done.returncode == 3, done.stderr
    assert "not a regular file" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs a character device")
def test_importing_a_device_is_refused_without_reading_it(cli: Any) -> None:
    result = cli("import", "/dev/zero")
    assert result.code == 3
    assert result.stderr == "netplanner: /dev/zero is not a regular file and cannot be imported.\n"
    assert cli("contacts", "--json").json() == []


def test_importing_a_folder_is_refused(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    result = cli("import", str(folder))
    assert result.code == 3
    assert "is a folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _netplanner_json(tmp_path: Path, contacts: list[Any], **more: Any) -> Path:
    document = {"format": MARKER, "version": VERSION, "contacts": contacts, **more}
    path = tmp_path / "network.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_json_export_whose_every_record_is_damaged_is_refused_like_a_csv(
    cli: Any, tmp_path: Path
) -> None:
    damaged = _netplanner_json(
        tmp_path,
        [
            {"first_name": "Ada", "last_name": "Lovelace", "stage": "no such stage"},
            "not a record",
        ],
        venues=[{"name": 12}],
    )
    result = cli("import", str(damaged))
    assert result.code == 3, result.stdout
    assert "holds no record that can be imported" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli("contacts", "--json").json() == []
    # A CSV whose every row is skipped says the same, with the same exit code.
    csv = tmp_path / "Connections.csv"
    csv.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n,,,,,,\n")
    same = cli("import", str(csv))
    assert same.code == 3
    assert "holds no record that can be imported" in same.stderr


def test_a_json_export_with_one_good_record_among_damaged_ones_imports_it(
    cli: Any, tmp_path: Path
) -> None:
    export = _netplanner_json(
        tmp_path,
        [{"first_name": "Ada", "last_name": "Lovelace", "stage": "no such stage"}],
        invitations=[],
        user_locations=[],
    )
    document = json.loads(export.read_text(encoding="utf-8"))
    document["contacts"].append({"first_name": "Grace", "last_name": "Hopper"})
    export.write_text(json.dumps(document), encoding="utf-8")
    result = cli("import", str(export), "--json")
    if result.code != 0:  # a minimal record may lack required fields; say what is missing
        pytest.fail(result.stderr)
    assert result.json()["created"] >= 1
    assert [c["name"] for c in cli("contacts", "--json").json()] == ["Grace Hopper"]

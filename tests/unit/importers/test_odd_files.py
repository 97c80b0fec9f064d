"""Files an import must refuse in one sentence (exit 3) rather than hang on or half-accept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

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

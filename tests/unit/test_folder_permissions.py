"""Only the folders NetPlanner makes are made private; existing ones keep their permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from netplanner.paths import ensure_private_dir

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_folder_and_the_parents_made_for_it_are_private(tmp_path: Path) -> None:
    made = ensure_private_dir(tmp_path / "new" / "data")
    assert _mode(made) == 0o700 and _mode(made.parent) == 0o700


def test_an_existing_shared_folder_keeps_its_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "team"
    shared.mkdir()
    shared.chmod(0o2775)
    ensure_private_dir(shared)
    assert _mode(shared) == 0o2775
    ensure_private_dir(shared / "netplanner")
    assert _mode(shared) == 0o2775 and _mode(shared / "netplanner") == 0o700


def test_a_database_url_in_a_shared_folder_leaves_the_folder_alone(
    cli: Any, tmp_path: Path
) -> None:
    shared = tmp_path / "dir"
    shared.mkdir()
    shared.chmod(0o2775)
    result = cli("--db-url", f"sqlite:///{shared / 'np.sqlite'}", "contacts", "--json")
    assert result.code == 0, result.stderr
    assert _mode(shared) == 0o2775
    assert _mode(shared / "np.sqlite") == 0o600

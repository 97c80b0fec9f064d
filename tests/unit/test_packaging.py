"""What the PyInstaller bundle relies on (netplanner.spec, packaging/README.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from netplanner.paths import resource, resources_dir
from netplanner.storage import database

ROOT = Path(__file__).resolve().parents[2]


def test_resources_are_found_inside_a_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"
    assert resource("gazetteer.sqlite") == tmp_path / "resources" / "gazetteer.sqlite"


def test_resources_are_found_in_a_checkout() -> None:
    assert resources_dir() == ROOT / "resources"


def test_migrations_sit_next_to_the_storage_package_as_files() -> None:
    """The spec copies this folder beside the frozen database module; Alembic reads it there."""
    assert Path(database.__file__).resolve().parent / "migrations" == database.MIGRATIONS_DIR
    assert (database.MIGRATIONS_DIR / "env.py").is_file()
    assert (database.MIGRATIONS_DIR / "script.py.mako").is_file()
    versions = sorted(p.name for p in (database.MIGRATIONS_DIR / "versions").glob("*.py"))
    assert versions and versions[0].startswith("0001")

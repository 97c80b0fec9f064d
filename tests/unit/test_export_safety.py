"""Data exports hold every contact: private files, written whole, never through a planted link."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from netplanner.domain.errors import InputError
from netplanner.services.context import AppContext
from netplanner.services.data_export import DataExporter
from tests.conftest import Cli

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symlinks")


def _exporter(context: AppContext) -> DataExporter:
    return DataExporter(context.importer.repo)


@posix_only
@pytest.mark.parametrize("kind", ["json", "csv"])
def test_exports_are_readable_by_the_user_alone(
    cli: Cli, demo_context: AppContext, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / f"out.{kind}"
    result = cli("export", kind, "-o", str(target))
    assert result.code == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert result.stdout.startswith(f"Wrote {target}: {demo_context.contacts.count()} contacts")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@posix_only
def test_replacing_an_existing_export_makes_it_private(
    demo_context: AppContext, tmp_path: Path
) -> None:
    target = tmp_path / "contacts.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    count = _exporter(demo_context).export_csv(target)
    assert count > 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8-sig").startswith("First Name,Last Name")


@posix_only
def test_a_planted_temporary_link_is_not_followed(
    cli: Cli, demo_context: AppContext, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (tmp_path / ".out.csv.tmp").symlink_to(victim)
    (tmp_path / ".out.json.tmp").symlink_to(victim)
    assert cli("export", "csv", "-o", str(tmp_path / "out.csv")).code == 0
    assert cli("export", "json", "-o", str(tmp_path / "out.json")).code == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").startswith("First Name")


def test_a_failed_write_leaves_neither_a_temporary_nor_a_half_file(
    demo_context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.json"
    target.write_text("the previous export", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(InputError, match="No space left on device"):
        _exporter(demo_context).export_json(target)
    assert target.read_text(encoding="utf-8") == "the previous export"
    assert [p.name for p in folder.iterdir()] == ["out.json"]
    monkeypatch.undo()
    counts = _exporter(demo_context).export_json(target)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert len(document["contacts"]) == counts["contacts"] == demo_context.contacts.count()


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_an_empty_output_name_is_one_sentence(
    cli: Cli, demo_context: AppContext, kind: str
) -> None:
    result = cli("export", kind, "-o", "")
    assert result.code == 3
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "file name" in result.stderr and "empty" in result.stderr


def test_a_missing_folder_is_one_sentence(
    cli: Cli, demo_context: AppContext, tmp_path: Path
) -> None:
    result = cli("export", "csv", "-o", str(tmp_path / "nowhere" / "out.csv"))
    assert result.code == 3
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()

"""The backup before a migration is thinned like every other backup (it used to pile up)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netplanner.domain.entities import Contact
from netplanner.services.context import build_context
from netplanner.settings import Settings, save_settings
from netplanner.storage import database as database_module
from netplanner.storage.repositories import ContactRepository
from tests.unit.test_migrations import _migrations_with_a_newer_revision


def test_the_backup_before_a_migration_thins_the_backup_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    context = build_context(data)
    ContactRepository(context.db).add(Contact("Ana", "Silva"))
    context.close()
    backups = data / "backups"
    backups.mkdir()
    for second in range(5):  # five older backups of this very day
        (backups / f"netplanner-20261126-09000{second}-manual.sqlite").write_bytes(b"x")
    settings = Settings()
    settings.backups.keep, settings.backups.daily = 2, 0
    save_settings(settings, data / "config" / "settings.toml")
    monkeypatch.setattr(
        database_module, "MIGRATIONS_DIR", _migrations_with_a_newer_revision(tmp_path)
    )

    migrated = build_context(data)
    assert migrated.db.current_revision() == "9999"
    migrated.close()

    names = sorted(p.name for p in backups.iterdir())
    assert len(names) == 2 and names[-1].endswith("-before-9999.sqlite"), names


def test_no_backup_before_a_migration_when_the_settings_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    first = build_context(data)
    first.contacts.count()  # the database made at today's schema
    first.close()
    settings = Settings()
    settings.backups.before_migration = False
    save_settings(settings, data / "config" / "settings.toml")
    monkeypatch.setattr(
        database_module, "MIGRATIONS_DIR", _migrations_with_a_newer_revision(tmp_path)
    )
    migrated = build_context(data)
    assert migrated.db.current_revision() == "9999"
    migrated.close()
    assert not (data / "backups").exists()

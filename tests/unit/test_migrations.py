"""Alembic migrations on SQLite: up, down and up again, agreement with the models, refusal
of a schema from a newer NetPlanner, and the backup taken before an upgrade."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from netplanner.domain.entities import Contact
from netplanner.domain.errors import DatabaseError
from netplanner.services.context import build_context
from netplanner.storage import database as database_module
from netplanner.storage.database import alembic_config, head_revision, open_database
from netplanner.storage.models import Base
from netplanner.storage.repositories import ContactRepository
from tests.conftest import DEMO_TODAY

MODEL_TABLES = set(Base.metadata.tables)


def schema_differences(engine: Engine) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_an_empty_database_is_migrated_to_head(tmp_path: Path) -> None:
    db = open_database(_sqlite_url(tmp_path / "new.sqlite"))
    try:
        assert db.current_revision() == head_revision()
        assert table_names(db.engine) == MODEL_TABLES | {"alembic_version"}
    finally:
        db.dispose()


def test_the_models_match_the_migrations(tmp_path: Path) -> None:
    db = open_database(_sqlite_url(tmp_path / "new.sqlite"))
    try:
        assert schema_differences(db.engine) == []
    finally:
        db.dispose()


def test_downgrade_to_base_and_upgrade_again(tmp_path: Path) -> None:
    db = open_database(_sqlite_url(tmp_path / "cycle.sqlite"))
    try:
        config = alembic_config()
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert table_names(db.engine) <= {"alembic_version"}
        assert db.current_revision() is None

        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        assert db.current_revision() == head_revision()
        assert table_names(db.engine) == MODEL_TABLES | {"alembic_version"}
        assert schema_differences(db.engine) == []
        # And the schema is usable, not merely present.
        stored = ContactRepository(db).add(Contact(first_name="Ana", last_name="Silva"))
        assert ContactRepository(db).get(stored.id or 0).name == "Ana Silva"
    finally:
        db.dispose()


def test_a_schema_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    db = open_database(_sqlite_url(path), backup_dir=tmp_path / "backups")
    ContactRepository(db).add(Contact(first_name="Ana"))
    db.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffff'")
    connection.close()
    before = path.read_bytes()

    with pytest.raises(DatabaseError, match=r"newer version of NetPlanner \(schema ffffffff\)"):
        open_database(_sqlite_url(path), backup_dir=tmp_path / "backups")

    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


PROBE_UPGRADE = 'op.create_table("probe", sa.Column("id", sa.Integer(), primary_key=True))'


def _migrations_with_a_newer_revision(tmp_path: Path, upgrade: str = PROBE_UPGRADE) -> Path:
    """A copy of the shipped migrations plus one more revision after today's head."""
    copy = tmp_path / "migrations"
    shutil.copytree(
        database_module.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    body = "\n".join(f"    {line}" for line in upgrade.splitlines())
    (copy / "versions" / "9999_probe.py").write_text(
        f'''"""A revision that exists only in this test."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head_revision()}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
''',
        encoding="utf-8",
    )
    return copy


def test_an_older_database_is_backed_up_before_it_is_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "older.sqlite"
    backups = tmp_path / "backups"
    db = open_database(_sqlite_url(path), backup_dir=backups)
    ContactRepository(db).add(Contact(first_name="Ana", last_name="Silva"))
    db.dispose()
    old_head = head_revision()

    # This "newer NetPlanner" knows one more revision than the database was written with.
    monkeypatch.setattr(
        database_module, "MIGRATIONS_DIR", _migrations_with_a_newer_revision(tmp_path)
    )
    db = open_database(_sqlite_url(path), backup_dir=backups)
    try:
        assert db.current_revision() == "9999"
        assert "probe" in table_names(db.engine)
    finally:
        db.dispose()

    copies = list(backups.iterdir())
    assert len(copies) == 1 and copies[0].name.endswith("-before-9999.sqlite")
    with sqlite3.connect(copies[0]) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == (old_head,)
        assert backup.execute("SELECT first_name, last_name FROM contacts").fetchall() == [
            ("Ana", "Silva")
        ]
        tables = {r[0] for r in backup.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    backup.close()
    assert "probe" not in tables


def test_a_database_already_at_head_is_not_backed_up_again(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite"
    backups = tmp_path / "backups"
    open_database(_sqlite_url(path), backup_dir=backups).dispose()
    open_database(_sqlite_url(path), backup_dir=backups).dispose()
    assert not backups.exists()


def _demo_database(path: Path) -> dict[str, int]:
    context = build_context(path.parent)
    context.demo.load(today=DEMO_TODAY)
    context.close()
    return _row_counts(path)


def _row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("contacts", "follow_ups", "meetings", "meeting_contacts", "debriefs")
        }
    connection.close()
    return counts


def test_a_batch_migration_keeps_the_rows_that_refer_to_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batch mode drops and recreates the table; with foreign keys on, that would cascade."""
    path = tmp_path / "netplanner.sqlite"
    before = _demo_database(path)
    assert before["follow_ups"] > 0 and before["meeting_contacts"] > 0

    monkeypatch.setattr(
        database_module,
        "MIGRATIONS_DIR",
        _migrations_with_a_newer_revision(
            tmp_path,
            'with op.batch_alter_table("contacts") as batch:\n'
            '    batch.alter_column("industry", type_=sa.String(300))',
        ),
    )
    db = open_database(_sqlite_url(path), backup_dir=tmp_path / "backups")
    try:
        assert db.current_revision() == "9999"
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose()
    assert _row_counts(path) == before


def test_a_failing_migration_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "netplanner.sqlite"
    before = _demo_database(path)
    old_head = head_revision()
    monkeypatch.setattr(
        database_module,
        "MIGRATIONS_DIR",
        _migrations_with_a_newer_revision(
            tmp_path,
            PROBE_UPGRADE + "\n"
            'op.add_column("contacts", sa.Column("extra", sa.Integer()))\n'
            'raise RuntimeError("this migration fails half-way")',
        ),
    )
    with pytest.raises(RuntimeError, match="half-way"):
        open_database(_sqlite_url(path), backup_dir=tmp_path / "backups")

    with sqlite3.connect(path) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        columns = {r[1] for r in connection.execute("PRAGMA table_info(contacts)")}
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    connection.close()
    assert "probe" not in tables and "extra" not in columns
    assert revision == [(old_head,)]
    assert _row_counts(path) == before
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_a_migration_that_would_orphan_records_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "netplanner.sqlite"
    before = _demo_database(path)
    monkeypatch.setattr(
        database_module,
        "MIGRATIONS_DIR",
        _migrations_with_a_newer_revision(tmp_path, 'op.execute("DELETE FROM contacts")'),
    )
    broken = r"would break the links of \d+ records \(table (follow_ups|meeting_contacts)\)"
    with pytest.raises(DatabaseError, match=broken):
        open_database(_sqlite_url(path), backup_dir=tmp_path / "backups")
    assert _row_counts(path) == before


def test_old_location_edit_markers_become_the_one_location_marker(tmp_path: Path) -> None:
    """Before 0002 the window marked each location field, the command line "location"."""
    path = tmp_path / "markers.sqlite"
    db = open_database(_sqlite_url(path))
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
        old = {
            "window": ["company", "location_text", "lat", "lon", "location_status"],
            "command line": ["location"],
            "both": ["timezone", "location", "notes"],
            "untouched": ["company", "tags"],
            "never edited": [],
        }
        ids = {}
        for name, fields in old.items():  # as the 0001 schema stored them (no later columns)
            ids[name] = connection.exec_driver_sql(
                "INSERT INTO contacts (first_name, last_name, emails, phones, interests, "
                "past_experience, tags, edited_fields, location_status, stage, created_at, "
                "updated_at) VALUES (?, '', '[]', '[]', '[]', '[]', '[]', ?, 'unresolved', "
                "'new', '2026-11-01 00:00:00', '2026-11-01 00:00:00')",
                (name, json.dumps(fields)),
            ).lastrowid
    db.dispose()

    db = open_database(_sqlite_url(path), backup_dir=tmp_path / "backups")
    try:
        assert db.current_revision() == head_revision()
        repo = ContactRepository(db)
        now = {name: repo.get(contact_id or 0).edited_fields for name, contact_id in ids.items()}
    finally:
        db.dispose()
    assert now == {
        "window": ["company", "location"],
        "command line": ["location"],
        "both": ["location", "notes"],
        "untouched": ["company", "tags"],
        "never edited": [],
    }

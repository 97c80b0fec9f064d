"""Data migrations on PostgreSQL, where JSON columns are real JSON, not text."""

from __future__ import annotations

import pytest
from alembic import command

from netplanner.domain.entities import Contact
from netplanner.storage.database import alembic_config, open_database
from netplanner.storage.repositories import ContactRepository

pytestmark = pytest.mark.postgres


def test_old_location_edit_markers_are_rewritten_on_postgresql(postgres_db_url: str) -> None:
    db = open_database(postgres_db_url)
    try:
        config = alembic_config()
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        repo = ContactRepository(db)
        window = repo.add(Contact(first_name="W", edited_fields=["company", "lat", "lon"]))
        plain = repo.add(Contact(first_name="P", edited_fields=["notes"]))
    finally:
        db.dispose()
    db = open_database(postgres_db_url)
    try:
        repo = ContactRepository(db)
        assert repo.get(window.id or 0).edited_fields == ["company", "location"]
        assert repo.get(plain.id or 0).edited_fields == ["notes"]
    finally:
        db.dispose()

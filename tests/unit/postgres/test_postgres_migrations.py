"""Data migrations on PostgreSQL, where JSON columns are real JSON, not text."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import text

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
            ids = []
            for name, fields in (("W", ["company", "lat", "lon"]), ("P", ["notes"])):
                # As the 0001 schema stored a contact: the models of today have more columns.
                ids.append(
                    connection.execute(
                        text(
                            "INSERT INTO contacts (first_name, last_name, emails, phones, "
                            "interests, past_experience, tags, edited_fields, location_status, "
                            "stage, created_at, updated_at) VALUES (:name, '', '[]', '[]', "
                            "'[]', '[]', '[]', CAST(:fields AS json), 'unresolved', 'new', "
                            "now(), now()) RETURNING id"
                        ),
                        {"name": name, "fields": json.dumps(fields)},
                    ).scalar_one()
                )
        window_id, plain_id = ids
    finally:
        db.dispose()
    db = open_database(postgres_db_url)
    try:
        repo = ContactRepository(db)
        assert repo.get(window_id).edited_fields == ["company", "location"]
        assert repo.get(plain_id).edited_fields == ["notes"]
    finally:
        db.dispose()

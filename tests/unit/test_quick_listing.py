"""The contact list read without SQLAlchemy answers exactly as the repository, or not at all."""

from __future__ import annotations

import sqlite3

from alembic.config import Config
from alembic.script import ScriptDirectory

from netplanner.domain.entities import Contact
from netplanner.services.context import AppContext
from netplanner.storage.quick_listing import SCHEMA_HEAD, read_contact_list


def _fields(contacts: list[Contact]) -> list[tuple[object, ...]]:
    return [
        (c.id, c.name, c.company, c.position, c.location_text, c.lat, c.lon, c.timezone)
        for c in contacts
    ]


def test_schema_head_is_the_newest_migration() -> None:
    from netplanner.storage import migrations

    config = Config()
    config.set_main_option("script_location", migrations.__path__[0])
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_the_quick_list_equals_the_repository_listing(demo_context: AppContext) -> None:
    demo_context.contact_repo.add(Contact(first_name="émile", last_name="Zola"))
    demo_context.contact_repo.add(Contact(first_name="", last_name="Nameless", company="X"))
    demo_context.contact_repo.add(Contact(first_name="Ana", last_name="Árvore"))
    quick = read_contact_list(demo_context.paths.database_file)
    assert quick is not None and len(quick) == 153
    assert _fields(quick) == _fields(demo_context.contacts.search())


def test_no_database_or_another_schema_leaves_it_to_the_full_path(
    demo_context: AppContext,
) -> None:
    path = demo_context.paths.database_file
    assert read_contact_list(path.with_name("missing.sqlite")) is None
    demo_context.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    assert read_contact_list(path) is None  # the full path would migrate it first


def test_a_file_that_is_not_a_database_is_left_to_the_full_path(tmp_path: object) -> None:
    from pathlib import Path

    junk = Path(str(tmp_path)) / "netplanner.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    assert read_contact_list(junk) is None
    assert junk.read_bytes() == b"not a database at all" * 100


def test_the_first_table_read_from_the_file_equals_the_repository_table(
    demo_context: AppContext,
) -> None:
    from datetime import date

    from netplanner.domain.entities import RelationshipStage
    from netplanner.storage.quick_listing import read_table_listing

    demo_context.contact_repo.add(
        Contact(
            first_name="Émile",
            last_name="Zola",
            company=None,
            position="Écrivain",
            location_text="Paris, France",
            lat=48.856614,
            lon=2.3522219,
            tags=["auteur", "Ünïcode", 'quote"d'],
            stage=RelationshipStage.MET,
            last_met=date(2024, 2, 29),
        )
    )
    demo_context.contact_repo.add(Contact(first_name="", last_name="Nameless", tags=[]))
    quick = read_table_listing(demo_context.paths.database_file)
    assert quick is not None
    stored = demo_context.contact_repo.list_for_table()
    assert len(quick.contacts) == len(stored) == 152
    assert sorted(quick.contacts) == sorted(stored)
    zola = next(c for c in quick.contacts if c.last_name == "Zola")
    assert zola.company is None and zola.stage is RelationshipStage.MET
    assert zola.last_met == date(2024, 2, 29)
    assert "Ünïcode" in zola.tags_text

"""NetPlanner on PostgreSQL (psycopg 3): the schema, the repositories and the demo network.

Each test gets its own empty database on one server started for the session.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from netplanner.domain.entities import Contact, Meeting, MeetingStatus, RelationshipStage
from netplanner.domain.errors import DatabaseError, NotFoundError
from netplanner.services.context import build_context
from netplanner.storage.database import head_revision, open_database
from tests.conftest import DEMO_TODAY
from tests.unit.test_migrations import MODEL_TABLES, schema_differences, table_names

pytestmark = pytest.mark.postgres


def test_the_server_listens_on_loopback_only(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW listen_addresses")).scalar() == "127.0.0.1"
            assert connection.execute(text("SHOW server_version_num")).scalar_one()
    finally:
        engine.dispose()


def test_an_empty_database_is_migrated_and_matches_the_models(postgres_db_url: str) -> None:
    db = open_database(postgres_db_url)
    try:
        assert db.engine.dialect.name == "postgresql"
        assert db.current_revision() == head_revision()
        assert table_names(db.engine) == MODEL_TABLES | {"alembic_version"}
        assert schema_differences(db.engine) == []
        assert db.integrity_check() == []
    finally:
        db.dispose()


def test_opening_again_leaves_the_schema_alone(postgres_db_url: str) -> None:
    open_database(postgres_db_url).dispose()
    db = open_database(postgres_db_url)
    try:
        assert db.current_revision() == head_revision()
    finally:
        db.dispose()


def test_contacts_round_trip(postgres_db_url: str, tmp_path: Path) -> None:
    context = build_context(tmp_path / "data", db_url=postgres_db_url)
    try:
        repo = context.contact_repo
        stored = repo.add_many(
            [
                Contact(
                    first_name="Ana",
                    last_name="Silva",
                    company="Lumen",
                    location_text="Lisbon",
                    emails=["ana@x.example"],
                    interests=["climbing", "jazz"],
                    stage=RelationshipStage.MET,
                ),
                Contact(
                    first_name="João", last_name="Costa", company="Lumen", location_text="Porto"
                ),
                Contact(first_name="Lena", last_name="Vogel", company="Helio", tags=["investor"]),
                Contact(first_name="Zoë", last_name="Perez", company="100% Coffee"),
            ]
        )
        assert all(c.id is not None for c in stored)
        ana = repo.get(stored[0].id or 0)
        assert ana.emails == ["ana@x.example"] and ana.interests == ["climbing", "jazz"]
        assert ana.stage is RelationshipStage.MET
        assert ana.created_at is not None and ana.created_at.tzinfo is not None

        assert [c.name for c in repo.list()] == [
            "Ana Silva",
            "João Costa",
            "Lena Vogel",
            "Zoë Perez",
        ]
        assert [c.name for c in repo.list(query="lumen LISBON")] == ["Ana Silva"]
        assert [c.name for c in repo.list(query="investor")] == ["Lena Vogel"]
        assert [c.name for c in repo.list(query="100%")] == ["Zoë Perez"]
        assert [c.name for c in repo.list(query="0_")] == []

        ana.position = "Head of Partnerships"
        ana.tags = ["lisbon-trip"]
        repo.update(ana)
        again = repo.get(ana.id or 0)
        assert again.position == "Head of Partnerships" and again.tags == ["lisbon-trip"]

        assert repo.delete([stored[1].id or 0, stored[2].id or 0]) == 2
        assert repo.count() == 2
        with pytest.raises(NotFoundError):
            repo.get(stored[1].id or 0)
    finally:
        context.close()


def test_meetings_keep_their_instant_in_utc(postgres_db_url: str, tmp_path: Path) -> None:
    context = build_context(tmp_path / "data", db_url=postgres_db_url)
    try:
        contact = context.contact_repo.add(Contact(first_name="Ana"))
        assert contact.id is not None
        # 10:00 in Lisbon's winter is 10:00 UTC; given in +09:00 to check the conversion.
        start = datetime(2026, 12, 3, 19, 0, tzinfo=timezone(timedelta(hours=9)))
        meeting = context.meeting_repo.add(
            Meeting(
                contact_ids=[contact.id],
                start_utc=start,
                end_utc=start + timedelta(hours=1),
                tzid="Europe/Lisbon",
                uid="pg-1@netplanner",
                status=MeetingStatus.CONFIRMED,
            )
        )
        assert meeting.id is not None
        again = context.meeting_repo.get(meeting.id)
        assert again.start_utc == datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
        assert again.start_utc.tzinfo is UTC
        assert again.end_utc - again.start_utc == timedelta(hours=1)
        assert again.contact_ids == [contact.id] and again.status is MeetingStatus.CONFIRMED
    finally:
        context.close()


def test_the_demo_network_loads(postgres_db_url: str, tmp_path: Path) -> None:
    context = build_context(tmp_path / "data", db_url=postgres_db_url)
    try:
        counts = context.demo.load(today=DEMO_TODAY)
        assert counts["contacts"] == 150
        contacts = context.contact_repo.list()
        assert len(contacts) == 150
        assert len({c.location_text for c in contacts}) >= 25
        assert all(c.has_coordinates and c.timezone for c in contacts)
        assert len(context.trip_repo.list()) == 3
        meetings = context.meeting_repo.list()
        assert len(meetings) == 25  # 20 held and debriefed, 2 to come, 3 awaiting a debrief
        done = [m for m in meetings if m.status is MeetingStatus.DONE]
        assert len(done) == 20 and all(context.debrief_repo.for_meeting(m.id or 0) for m in done)
    finally:
        context.close()


def test_a_schema_from_a_newer_version_is_refused_and_left_untouched(
    postgres_db_url: str,
) -> None:
    open_database(postgres_db_url).dispose()
    conninfo = postgres_db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffff'")

    with pytest.raises(DatabaseError, match=r"newer version of NetPlanner \(schema ffffffff\)"):
        open_database(postgres_db_url)

    with psycopg.connect(conninfo) as connection:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert version == [("ffffffff",)]


def test_an_unchanged_reimport_is_held_and_an_edit_lets_go(
    postgres_db_url: str, tmp_path: Path
) -> None:
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        + "".join(
            f"P{i},Lee,https://www.linkedin.com/in/p{i},,Acme,Engineer,01 Jan 2024\n"
            for i in range(20)
        ),
        encoding="utf-8",
    )
    context = build_context(tmp_path / "data", db_url=postgres_db_url)
    try:
        assert context.importer.run([csv])[0].created == 20
        assert len(context.importer.repo.import_marks()) == 20
        first = min(context.contact_repo.list(), key=lambda c: c.id or 0)
        assert (first.name, first.company, first.source, first.source_key) == (
            "P0 Lee",
            "Acme",
            "linkedin",
            "https://www.linkedin.com/in/p0",
        )
        assert first.connected_on == date(2024, 1, 1) and first.emails == []
        edited = next(c for c in context.contact_repo.list() if c.first_name == "P3")
        edited.position = "CTO"
        context.contacts.update(edited, ["position"])
        assert len(context.importer.repo.import_marks()) == 19  # the UPDATE cleared it
        report = context.importer.run([csv])[0]
        assert (report.created, report.updated, report.unchanged) == (0, 0, 20)
        assert context.contact_repo.get(edited.id or 0).position == "CTO"
        assert len(context.importer.repo.import_marks()) == 20
    finally:
        context.close()

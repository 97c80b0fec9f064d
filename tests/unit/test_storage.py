"""The database: pragmas, file permissions, repositories, refusing what it cannot open."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netplanner.domain.entities import Contact, Meeting, MeetingStatus, RelationshipStage
from netplanner.domain.errors import DatabaseError, NotFoundError
from netplanner.services.context import AppContext, build_context
from netplanner.storage.database import open_database


def test_every_connection_gets_wal_foreign_keys_and_normal_sync(context: AppContext) -> None:
    with context.db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_database_file_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "made-by-netplanner"  # a folder NetPlanner makes is made 0700
    fresh = build_context(data_dir)
    try:
        fresh.contacts.count()
    finally:
        fresh.close()
    db_file = data_dir / "netplanner.sqlite"
    assert stat.S_IMODE(db_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_contact_round_trips_as_a_detached_domain_object(context: AppContext) -> None:
    stored = context.contact_repo.add(
        Contact(
            first_name="Ana",
            last_name="Silva",
            company="Lumen",
            emails=["ana@x.example"],
            interests=["climbing"],
            stage=RelationshipStage.MET,
        )
    )
    assert stored.id is not None
    again = context.contact_repo.get(stored.id)
    assert again.name == "Ana Silva"
    assert again.emails == ["ana@x.example"]
    assert again.stage is RelationshipStage.MET
    assert again.created_at is not None and again.created_at.tzinfo is not None


def test_search_matches_every_word_across_fields(context: AppContext) -> None:
    context.contact_repo.add_many(
        [
            Contact(first_name="Ana", last_name="Silva", company="Lumen", location_text="Lisbon"),
            Contact(first_name="João", last_name="Costa", company="Lumen", location_text="Porto"),
            Contact(first_name="Lena", last_name="Vogel", company="Helio", tags=["investor"]),
        ]
    )
    assert [c.name for c in context.contacts.search("lumen lisbon")] == ["Ana Silva"]
    assert [c.name for c in context.contacts.search("investor")] == ["Lena Vogel"]
    assert [c.name for c in context.contacts.search("100%")] == []


def test_missing_contact_is_a_clear_not_found(context: AppContext) -> None:
    with pytest.raises(NotFoundError, match="no contact with id 99"):
        context.contact_repo.get(99)


def test_meeting_times_come_back_in_utc(context: AppContext) -> None:
    contact = context.contact_repo.add(Contact(first_name="Ana"))
    assert contact.id is not None
    start = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    meeting = context.meeting_repo.add(
        Meeting(
            contact_ids=[contact.id],
            start_utc=start,
            end_utc=start + timedelta(hours=1),
            tzid="Europe/Lisbon",
            uid="x@netplanner",
        )
    )
    assert meeting.id is not None
    again = context.meeting_repo.get(meeting.id)
    assert again.start_utc == start and again.contact_ids == [contact.id]


def test_deleting_a_contact_removes_it_from_meetings(context: AppContext) -> None:
    contact = context.contact_repo.add(Contact(first_name="Ana"))
    assert contact.id is not None
    start = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    meeting = context.meeting_repo.add(
        Meeting(contact_ids=[contact.id], start_utc=start, end_utc=start, tzid="UTC", uid="u1")
    )
    assert context.contact_repo.delete([contact.id]) == 1
    assert meeting.id is not None
    assert context.meeting_repo.get(meeting.id).contact_ids == []


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes, not a database\n")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not an SQLite database"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before
    assert not (tmp_path / "notes.sqlite-wal").exists()


def test_an_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not NetPlanner's"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_demo_network_is_deterministic_and_complete(demo_context: AppContext) -> None:
    contacts = demo_context.contacts.search()
    assert len(contacts) == 150
    assert len({c.location_text for c in contacts}) >= 25
    assert {c.country_code for c in contacts} >= {"BR", "NG", "JP", "AU", "US", "DE"}
    assert all(c.has_coordinates and c.timezone for c in contacts)
    assert len(demo_context.trip_repo.list()) == 3
    meetings = demo_context.meeting_repo.list()
    assert len(meetings) == 25  # 20 held and debriefed, 2 to come, 3 awaiting a debrief
    done = [m for m in meetings if m.status is MeetingStatus.DONE]
    assert len(done) == 20 and all(demo_context.debrief_repo.for_meeting(m.id or 0) for m in done)
    from netplanner.services.demo import build_demo_network
    from tests.conftest import DEMO_TODAY

    assert build_demo_network(DEMO_TODAY) == build_demo_network(DEMO_TODAY)

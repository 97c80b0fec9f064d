"""A damaged database is reported, never made worse, and can be put back from a backup.

Issue 14, defect 2: ``check --json`` on a database with damaged pages printed a raw
``DatabaseError`` (exit 1) instead of its report, ``backup`` copied the damage over good
backups, and other commands printed the SQL of the failing statement with its parameters.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from netplanner.domain.errors import DatabaseDamagedError, InputError
from netplanner.services.backups import BackupService, newest_good_backup, restore_backup
from netplanner.services.context import AppContext
from netplanner.storage.sqlite_files import integrity_problems
from tests.conftest import Cli
from tests.damage import damage_pages


def _count(path: Path, table: str = "contacts") -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


@pytest.fixture
def damaged(demo_context: AppContext) -> AppContext:
    """The demo network with pages in the middle of its file overwritten."""
    demo_context.close()
    damage_pages(demo_context.paths.database_file)
    return demo_context


def _one_sentence_pointing_to_check(stderr: str, context: AppContext) -> None:
    assert len(stderr.strip().splitlines()) == 1, stderr
    for leak in ("Traceback", "SQL", "SELECT", "parameters", "sqlalche.me"):
        assert leak not in stderr, stderr
    assert "damaged" in stderr and "netplanner check" in stderr, stderr
    assert "netplanner restore" in stderr, stderr


def test_check_reports_damaged_pages_as_json_and_exits_3(cli: Cli, damaged: AppContext) -> None:
    result = cli("check", "--json")
    assert result.code == 3, result.stderr
    report = result.json()
    assert report["ok"] is False
    assert report["problems"] and all(isinstance(p, str) for p in report["problems"])
    assert result.stderr == ""


def test_check_names_the_newest_good_backup(cli: Cli, demo_context: AppContext) -> None:
    good = Path(cli("--json", "backup").json()["path"])
    demo_context.close()
    damage_pages(demo_context.paths.database_file)

    result = cli("check")

    assert result.code == 3
    assert "damaged" in result.stdout and f"netplanner restore {good}" in result.stdout


def test_backup_refuses_a_damaged_database_and_keeps_the_good_backups(
    cli: Cli, demo_context: AppContext, tmp_path: Path
) -> None:
    good = Path(cli("--json", "backup").json()["path"])
    demo_context.close()
    damage_pages(demo_context.paths.database_file)

    for args in (("backup",), ("backup", "--to", str(tmp_path / "copy.sqlite"))):
        result = cli(*args)
        assert result.code == 3, result.stderr
        assert "damaged" in result.stderr and "not backed up" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(demo_context.paths.backup_dir.iterdir()) == [good]
    assert not (tmp_path / "copy.sqlite").exists()


@pytest.mark.parametrize(
    "args",
    [("meetings",), ("brief", "1"), ("export", "json", "-o", "{tmp}/out.json"),
     ("export", "ics", "--all", "-o", "{tmp}/out.ics"), ("debrief", "1", "--food", "x"),
     ("import", "{tmp}/new.csv")],
)  # fmt: skip
def test_every_command_names_the_damage_in_one_sentence(
    cli: Cli, damaged: AppContext, tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "new.csv").write_text(
        "First Name,Last Name,Company\nNew,Person,Acme\n", encoding="utf-8"
    )
    result = cli(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert result.code == 3, result.stderr
    _one_sentence_pointing_to_check(result.stderr, damaged)
    assert str(damaged.paths.backup_dir) in result.stderr or "backup" in result.stderr
    assert not (tmp_path / "out.json").exists() and not (tmp_path / "out.ics").exists()


def test_restore_puts_a_good_backup_back_and_keeps_the_damaged_file_aside(
    cli: Cli, demo_context: AppContext
) -> None:
    expected = demo_context.contacts.count()
    demo_context.close()
    good = Path(cli("--json", "backup").json()["path"])
    database = demo_context.paths.database_file
    damage_pages(database)
    damaged_bytes = database.read_bytes()

    result = cli("--json", "restore", str(good))

    assert result.code == 0, result.stderr
    report = result.json()
    assert report["set_aside_damaged"] is True
    aside = Path(report["set_aside"])
    assert aside.parent == demo_context.paths.backup_dir and aside.read_bytes() == damaged_bytes
    assert integrity_problems(database) == []
    assert cli("check", "--json").json()["ok"] is True
    assert len(cli("contacts", "--json").json()) == expected
    assert newest_good_backup(demo_context.paths.backup_dir) == good  # the damaged is no backup


def test_restore_keeps_a_sound_database_as_a_backup_first(
    cli: Cli, demo_context: AppContext
) -> None:
    from netplanner.domain.entities import Contact

    before = Path(cli("--json", "backup").json()["path"])
    demo_context.contact_repo.add(Contact("Only", "Afterwards"))
    demo_context.close()
    now = cli("contacts", "--json").json()
    result = cli("--json", "restore", str(before))
    assert result.code == 0, result.stderr
    aside = Path(result.json()["set_aside"])
    assert "before-restore" in aside.name and result.json()["set_aside_damaged"] is False
    assert _count(aside) == len(now)  # what was there is kept, whole


def test_restore_of_a_damaged_backup_is_refused_and_changes_nothing(
    cli: Cli, demo_context: AppContext, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.sqlite"
    shutil.copy2(demo_context.paths.database_file, bad)
    damage_pages(bad)
    database = demo_context.paths.database_file
    demo_context.close()
    before = database.read_bytes()

    for candidate in (bad, tmp_path / "missing.sqlite", tmp_path):
        result = cli("restore", str(candidate))
        assert result.code == 3, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr

    assert database.read_bytes() == before
    assert not demo_context.paths.backup_dir.exists()  # nothing kept aside for nothing


def test_a_restored_database_never_replays_the_old_write_ahead_log(
    demo_context: AppContext, tmp_path: Path
) -> None:
    service = demo_context.backups
    good = service.backup_now()
    assert good is not None
    expected = demo_context.contacts.count()
    database = demo_context.paths.database_file
    # Writes left in the log (a crash before the log was folded in) of the database replaced.
    keeper = sqlite3.connect(database)
    keeper.execute("PRAGMA wal_autocheckpoint=0")
    keeper.execute("DELETE FROM follow_ups")
    keeper.execute("UPDATE contacts SET company = 'Changed'")
    keeper.commit()
    demo_context.close()
    wal = database.with_name(database.name + "-wal")
    saved = tmp_path / "wal"
    shutil.copy2(wal, saved)
    keeper.close()
    if not wal.exists():
        shutil.copy2(saved, wal)

    result = restore_backup(good, database, demo_context.paths.backup_dir)

    assert result.set_aside is not None
    assert not wal.exists()
    assert integrity_problems(database) == []
    assert _count(database) == expected
    connection = sqlite3.connect(database)
    try:
        assert (
            connection.execute(
                "SELECT count(*) FROM contacts WHERE company = 'Changed'"
            ).fetchone()[0]
            == 0
        )
    finally:
        connection.close()


def test_newest_good_backup_passes_over_damaged_ones(demo_context: AppContext) -> None:
    service = demo_context.backups
    good = service.backup_now()
    newer = service.backup_now()
    assert good is not None and newer is not None
    damage_pages(newer)
    assert service.newest_good() == good
    damage_pages(good)
    assert service.newest_good() is None


def test_a_backup_is_made_only_when_something_changed(demo_context: AppContext) -> None:
    from netplanner.domain.entities import Contact

    service = demo_context.backups
    first = service.backup_if_changed()
    assert first is not None
    assert service.backup_if_changed() is None  # nothing changed since
    demo_context.contact_repo.add(Contact("Changed", "Since"))
    second = service.backup_if_changed()
    assert second is not None and second != first
    assert _count(second) == _count(first) + 1
    assert service.backup_if_changed() is None


def test_an_automatic_backup_of_a_damaged_database_is_refused(damaged: AppContext) -> None:
    with pytest.raises(DatabaseDamagedError) as raised:
        damaged.backups.backup_if_changed()
    assert raised.value.path == str(damaged.paths.database_file)
    assert not damaged.paths.backup_dir.exists()


def test_an_import_is_preceded_by_a_backup(
    cli: Cli, demo_context: AppContext, tmp_path: Path
) -> None:
    before = demo_context.contacts.count()
    demo_context.close()
    source = tmp_path / "new.csv"
    source.write_text("First Name,Last Name,Company\nNew,Person,Acme\n", encoding="utf-8")

    assert cli("import", str(source)).code == 0
    assert cli("import", str(source), "--dry-run").code == 0  # a dry run writes nothing

    backups = BackupService(
        demo_context.paths.database_file, demo_context.paths.backup_dir
    ).listing()
    assert [b.reason for b in backups] == ["before-import"]
    assert _count(backups[0].path) == before


def test_restore_refuses_the_database_itself(demo_context: AppContext) -> None:
    database = demo_context.paths.database_file
    demo_context.close()
    with pytest.raises(InputError):
        restore_backup(database, database, demo_context.paths.backup_dir)


def test_restore_waits_for_an_open_window_to_close(
    cli: Cli, demo_context: AppContext, tmp_path: Path
) -> None:
    import subprocess
    import sys

    good = Path(cli("--json", "backup").json()["path"])
    demo_context.close()
    window = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    lock = demo_context.paths.data_dir / "window.lock"
    try:
        lock.write_text(f"{window.pid}\nnetplanner\nhost\n", encoding="utf-8")
        refused = cli("restore", str(good))
        assert refused.code == 3 and "window" in refused.stderr
    finally:
        window.kill()
        window.wait()
    assert cli("restore", str(good)).code == 0  # the lock of a window that is gone is stale


@pytest.mark.parametrize("args", [("contacts",), ("contacts", "--json"), ("nearby", "Lisbon")])
def test_listing_damaged_contacts_is_one_sentence_too(
    cli: Cli, demo_context: AppContext, args: tuple[str, ...]
) -> None:
    from tests.damage import damage_table

    demo_context.close()
    damage_table(demo_context.paths.database_file, "contacts")
    result = cli(*args)
    assert result.code == 3, result.stderr
    _one_sentence_pointing_to_check(result.stderr, demo_context)
    assert result.stdout == ""

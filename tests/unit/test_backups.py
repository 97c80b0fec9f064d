"""Backups: thinned as the settings say, never overwriting each other, written whole."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from netplanner.services.context import AppContext
from netplanner.storage.backups import Retention, thinned
from tests.conftest import Cli

_real_connect = sqlite3.connect


def _contacts_in(path: Path) -> int:
    connection = _real_connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM contacts").fetchone()[0])
    finally:
        connection.close()


def _backups(demo_context: AppContext) -> list[Path]:
    folder = demo_context.paths.backup_dir
    return sorted(folder.iterdir()) if folder.exists() else []


def test_quick_backups_never_overwrite_each_other(cli: Cli, demo_context: AppContext) -> None:
    reported = []
    for _ in range(6):
        result = cli("--json", "backup")
        assert result.code == 0, result.stderr
        reported.append(Path(result.json()["path"]))
    assert len(set(reported)) == 6, reported
    assert sorted(reported) == _backups(demo_context)
    expected = demo_context.contacts.count()
    assert all(_contacts_in(path) == expected for path in reported)


def test_quick_backups_are_thinned_to_the_newest_and_the_newest_of_older_days(
    cli: Cli, demo_context: AppContext
) -> None:
    folder = demo_context.paths.backup_dir
    folder.mkdir(parents=True, exist_ok=True)
    # Two old-style backups (one-second names) of one old day, and a file that is no backup.
    (folder / "netplanner-20200101-000000-manual.sqlite").write_bytes(b"older")
    (folder / "netplanner-20200101-120000-manual.sqlite").write_bytes(b"newest that day")
    (folder / "my-notes.txt").write_text("mine", encoding="utf-8")
    settings = demo_context.settings
    settings.backups.keep = 3
    demo_context.update_settings(settings)

    reported = [Path(cli("--json", "backup").json()["path"]) for _ in range(5)]

    # Today's: the newest three; 2020-01-01: its newest, as that day's backup.
    assert [p for p in _backups(demo_context) if p.suffix == ".sqlite"] == sorted(
        [folder / "netplanner-20200101-120000-manual.sqlite", *reported[-3:]]
    )
    assert (folder / "my-notes.txt").read_text(encoding="utf-8") == "mine"


def _every_six_hours(days: int) -> list[datetime]:
    start = datetime(2026, 11, 30, 18, tzinfo=UTC)
    return [start - timedelta(hours=6 * i) for i in range(days * 4)]  # newest first


def test_thinning_keeps_the_newest_then_one_a_day_a_week_and_a_month() -> None:
    made = _every_six_hours(days=500)
    keep = thinned(made, Retention(recent=10, daily=12, weekly=10, monthly=9))
    kept = [m for m, k in zip(made, keep, strict=True) if k]

    assert len(kept) == 10 + 12 + 10 + 9
    assert kept[:10] == made[:10]
    days = [m.date() for m in kept[10:22]]
    assert len(set(days)) == 12 and days == sorted(days, reverse=True)
    assert all(m.hour == 18 for m in kept[10:])  # each older one the newest of its day
    assert len({m.isocalendar()[:2] for m in kept[22:]}) >= 10  # then one a week ...
    assert len({(m.year, m.month) for m in kept[22:]}) >= 9  # ... and one a month
    assert (made[0] - kept[-1]).days > 250  # 41 files reach back some nine months


def test_thinning_never_removes_the_only_backup() -> None:
    assert thinned(_every_six_hours(days=1)[:1], Retention(0, 0, 0, 0)) == [True]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_backup_is_private(cli: Cli, demo_context: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "copy.sqlite"
    assert cli("backup", "--to", str(target)).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _contacts_in(target) == demo_context.contacts.count()


class _FailingHalfway:
    """A connection whose backup copies one page and then fails, as a kill or full disk would."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def backup(self, target: Any, **kwargs: Any) -> None:
        destination = target.real if isinstance(target, _FailingHalfway) else target
        self.real.backup(destination, pages=1, sleep=0, progress=self._stop)

    @staticmethod
    def _stop(status: int, remaining: int, total: int) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    def __enter__(self) -> _FailingHalfway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_a_failed_backup_leaves_nothing_under_the_final_name(
    cli: Cli, demo_context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = tmp_path / "previous.sqlite"
    assert cli("backup", "--to", str(previous)).code == 0

    def connect(database: Any, *args: Any, **kwargs: Any) -> Any:
        real = _real_connect(database, *args, **kwargs)
        return _FailingHalfway(real) if isinstance(database, Path) else real

    monkeypatch.setattr(sqlite3, "connect", connect)
    fresh = tmp_path / "fresh.sqlite"
    for target in (fresh, previous):
        result = cli("backup", "--to", str(target))
        assert result.code == 3, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    monkeypatch.undo()

    assert not fresh.exists()
    assert _contacts_in(previous) == demo_context.contacts.count()  # the old copy untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "previous.sqlite"]


def test_a_backup_into_a_missing_folder_is_refused(
    cli: Cli, demo_context: AppContext, tmp_path: Path
) -> None:
    target = tmp_path / "nonexistent_dir" / "b.sqlite"
    result = cli("backup", "--to", str(target))
    assert result.code == 3
    assert len(result.stderr.strip().splitlines()) == 1
    assert "does not exist" in result.stderr
    assert not target.parent.exists()


def test_thinning_removes_what_a_killed_backup_left_once_it_is_a_day_old(
    demo_context: AppContext,
) -> None:
    folder = demo_context.paths.backup_dir
    folder.mkdir(parents=True)
    old, fresh = folder / ".netplanner-old.tmp", folder / ".netplanner-new.tmp"
    journal = folder / ".netplanner-old.tmp-journal"
    for path in (old, fresh, journal):
        path.write_bytes(b"half")
    day_ago = datetime.now(UTC).timestamp() - 25 * 3600
    for path in (old, journal):
        os.utime(path, (day_ago, day_ago))

    assert demo_context.backups.backup_now() is not None

    assert not old.exists() and not journal.exists()
    assert fresh.exists()  # perhaps another backup's, under way

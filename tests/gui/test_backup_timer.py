"""Automatic backups while the window is open: on the worker, only when something changed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from netplanner.domain.changes import Changes
from netplanner.gui.backup_timer import MINUTE_MS, AutoBackup, auto_backup_for
from netplanner.gui.main_window import MainWindow
from netplanner.gui.tasks import TaskRunner
from netplanner.services.context import AppContext


class Host:
    """What the timer needs of the window: a runner and the status bar."""

    def __init__(self, runner: TaskRunner) -> None:
        self.runner = runner
        self.messages: list[str] = []

    def announce(self, changes: Changes) -> None:
        pass

    def show_message(self, text: str) -> None:
        self.messages.append(text)


class FakeService:
    """Backs up only when told something changed, and notes the thread it ran on."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.changed = True
        self.threads: list[threading.Thread] = []
        self.made: list[Path] = []

    def backup_if_changed(self) -> Path | None:
        self.threads.append(threading.current_thread())
        if not self.changed:
            return None
        self.changed = False
        path = self.folder / f"backup-{len(self.made)}.sqlite"
        path.write_bytes(b"")
        self.made.append(path)
        return path


def test_the_window_backs_up_every_half_hour_when_its_database_changed(
    window: MainWindow,
) -> None:
    timer = window.auto_backup
    assert timer.timer.isActive() and timer.timer.interval() == 30 * MINUTE_MS
    folder = window.context.paths.backup_dir
    timer.run_now()  # what the timer does after 30 minutes
    made = sorted(folder.glob("netplanner-*-automatic.sqlite"))
    assert len(made) == 1
    timer.run_now()  # nothing changed since
    assert sorted(folder.glob("netplanner-*-automatic.sqlite")) == made


def test_every_minutes_0_turns_the_automatic_backup_off(context: AppContext) -> None:
    context.settings.backups.every_minutes = 0
    timer = auto_backup_for(Host(TaskRunner(synchronous=True)), lambda: context)
    assert not timer.timer.isActive()


def test_the_demo_network_is_never_backed_up(data_dir: Path, qtbot: Any) -> None:
    from netplanner.services.context import build_context

    demo = build_context(data_dir, demo=True)
    demo.demo.load()
    timer = auto_backup_for(Host(TaskRunner(synchronous=True)), lambda: demo)
    timer.run_now()
    assert not demo.paths.backup_dir.exists() or not list(demo.paths.backup_dir.iterdir())
    demo.close()


def test_each_interval_backs_up_on_the_worker_only_if_something_changed(
    tmp_path: Path, qtbot: Any
) -> None:
    runner = TaskRunner()  # real worker threads
    service = FakeService(tmp_path)
    timer = AutoBackup(Host(runner), service.backup_if_changed, interval_ms=20)
    written: list[Path] = []
    timer.backed_up.connect(written.append)
    timer.start()
    qtbot.waitUntil(lambda: len(service.threads) >= 3, timeout=5000)
    service.changed = True
    qtbot.waitUntil(lambda: len(written) == 2, timeout=5000)
    timer.stop()
    runner.close()

    assert written == service.made  # two changes, two backups, however many intervals
    assert len(service.threads) > len(written)
    assert threading.main_thread() not in service.threads  # the window never waits for one


def test_a_failed_backup_is_said_and_the_next_interval_tries_again(qtbot: Any) -> None:
    host = Host(TaskRunner(synchronous=True))
    attempts: list[int] = []

    def full_disk() -> Path | None:
        attempts.append(1)
        from netplanner.domain.errors import InputError

        raise InputError("The backup could not be written in /backups: No space left on device.")

    timer = AutoBackup(host, full_disk, interval_ms=10)
    timer.start()
    qtbot.waitUntil(lambda: len(attempts) >= 2, timeout=5000)
    timer.stop()
    assert host.messages[0] == (
        "The automatic backup failed: "
        "The backup could not be written in /backups: No space left on device."
    )

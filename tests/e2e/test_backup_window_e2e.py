"""One window per data folder, and File ▸ Restore from backup…, in the real window."""

from __future__ import annotations

import time

from tests.e2e.atspi_client import wait_for
from tests.e2e.meeting_parts import dialog, wait_gone
from tests.e2e.running_app import RunningApp, child_env, netplanner

ALREADY_OPEN = "NetPlanner is already open; brought it to the front."


def test_a_second_start_on_the_same_data_brings_the_window_forward(window: RunningApp) -> None:
    env = child_env(window.desktop)
    started = time.monotonic()
    second = netplanner("gui", "--data-dir", str(window.data_dir), env=env, cwd=window.desktop.root)
    took = time.monotonic() - started

    assert second.returncode == 0, second.stderr
    assert ALREADY_OPEN in second.stderr.splitlines(), second.stderr
    assert window.alive
    wait_for(lambda: "active" in window.frame().states, 10, "the first window to be active")
    print(f"second start answered and exited in {took:.2f} s")


def test_restore_from_backup_is_reached_from_the_file_menu_by_keyboard(
    window: RunningApp,
) -> None:
    made = netplanner(
        "backup", "--data-dir", str(window.data_dir), env=child_env(window.desktop),
        cwd=window.desktop.root,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    ui = window.ui
    ui.activate()
    ui.key("Alt+f")
    ui.wait_find("Restore from backup…", "menu item", showing=True)
    ui.key("b")

    restore = dialog(ui, "Restore from backup")
    backups = ui.wait_find("Backups", within=restore)
    wait_for(lambda: ui.row_count(backups) == 1, 10, "the one backup to be listed")
    check = ui.column_of(backups, "Integrity check")
    wait_for(lambda: ui.table_cell(backups, 0, check) == "Passes", 10, "the backup's check")
    assert ui.table_cell(backups, 0, ui.column_of(backups, "Why")) == "Made by hand"
    ui.key("Escape")
    wait_gone(ui, "Restore from backup")

"""One window per data folder: a second start brings the first to the front and exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMainWindow

from netplanner.domain.errors import NetPlannerError
from netplanner.gui.single_instance import (
    ALREADY_OPEN,
    LOCK_NAME,
    WindowLock,
    ask_to_raise,
    claim_window,
    server_name,
)

# A process that takes the window lock of the folder in argv[1] (listening too, unless
# argv[2] is "lock-only"), says "ready" and waits to be killed.
HOLDER = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QLockFile
app = QCoreApplication([])
from netplanner.gui.single_instance import LOCK_NAME, WindowLock
if sys.argv[2] == "lock-only":
    lock = QLockFile(str(Path(sys.argv[1]) / LOCK_NAME))
    assert lock.tryLock(0)
else:
    holder = WindowLock(Path(sys.argv[1]))
    assert holder.acquire() and holder.server is not None
print("ready", flush=True)
time.sleep(120)
"""


@pytest.fixture
def locks() -> Iterator[list[WindowLock]]:
    made: list[WindowLock] = []
    yield made
    for lock in made:
        lock.release()


def _lock(made: list[WindowLock], folder: Path) -> WindowLock:
    lock = WindowLock(folder)
    made.append(lock)
    return lock


def _holder(folder: Path, mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), mode],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_a_second_window_on_the_same_folder_brings_the_first_forward(
    data_dir: Path, locks: list[WindowLock], qtbot: Any
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    first = _lock(locks, data_dir)
    first.window = window
    assert first.acquire()

    second = _lock(locks, data_dir)
    assert not second.acquire()
    with qtbot.waitSignal(first.raise_requested, timeout=5000):
        # Both are in this process, so the reply cannot come while this call waits for it.
        assert ask_to_raise(second.name, reply_wait_ms=0)
    assert window.isVisible() and not window.isMinimized()
    assert not second.held


def test_two_data_folders_each_have_their_window(tmp_path: Path, locks: list[WindowLock]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert _lock(locks, tmp_path / "a").acquire()
    assert _lock(locks, tmp_path / "b").acquire()


def test_the_lock_is_given_back_when_the_window_closes(
    data_dir: Path, locks: list[WindowLock]
) -> None:
    first = _lock(locks, data_dir)
    assert first.acquire()
    first.release()
    assert not (data_dir / LOCK_NAME).exists()
    assert _lock(locks, data_dir).acquire()


def test_a_lock_left_by_a_crashed_window_is_taken_over(
    data_dir: Path, locks: list[WindowLock], qtbot: Any
) -> None:
    crashed = _holder(data_dir, "listening")
    assert not _lock(locks, data_dir).acquire()  # alive: the lock is held
    crashed.send_signal(signal.SIGKILL)
    crashed.wait()
    assert (data_dir / LOCK_NAME).exists()  # what a crash leaves behind

    heir = _lock(locks, data_dir)
    assert heir.acquire() and heir.held
    assert heir.server is not None  # listening, although the dead window's socket was left
    with qtbot.waitSignal(heir.raise_requested, timeout=5000):
        assert ask_to_raise(heir.name, reply_wait_ms=0)


def test_a_window_that_holds_the_lock_but_does_not_answer_is_said(data_dir: Path) -> None:
    mute = _holder(data_dir, "lock-only")
    try:
        with pytest.raises(NetPlannerError, match="already open on this data folder"):
            claim_window(data_dir)
    finally:
        mute.kill()
        mute.wait()


def test_a_data_folder_that_cannot_be_made_opens_without_the_guard(
    tmp_path: Path, locks: list[WindowLock]
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("not a folder")
    assert _lock(locks, a_file / "data").acquire()  # the database then says what is wrong


def _gui(data: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETPLANNER_")}
    env.update(NETPLANNER_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "netplanner", "gui"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_a_second_netplanner_gui_exits_at_once_and_says_why(data_dir: Path) -> None:
    first = _gui(data_dir)
    try:
        deadline = time.monotonic() + 60
        while not (data_dir / LOCK_NAME).exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first window never took its lock"
            time.sleep(0.05)
        second = _gui(data_dir)
        _out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
        assert err.strip() == ALREADY_OPEN
        assert first.poll() is None  # the first window is still open
    finally:
        first.terminate()
        first.communicate(timeout=30)

"""The real NetPlanner window as a child process on the headless desktop, demo network loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.atspi_client import AtspiClient, Node, wait_for
from tests.e2e.desktop import HeadlessDesktop

APP_TITLE = "NetPlanner"
APP_START_TIMEOUT = 30.0
# Variables of the test process that would change how the child draws, or where it writes.
DROPPED = ("QT_QPA_PLATFORM", "QT_QPA_PLATFORMTHEME", "WAYLAND_DISPLAY", "AT_SPI_BUS_ADDRESS")
DROPPED_PREFIXES = ("NETPLANNER_", "XDG_", "DBUS_")


def child_env(desktop: HeadlessDesktop) -> dict[str, str]:
    """The test process's environment on the private desktop, with accessibility on.

    tests/conftest.py sets QT_QPA_PLATFORM=offscreen for the in-process GUI tests (and the
    Makefile does too): the window here must use xcb, so that variable is dropped.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in DROPPED and not key.startswith(DROPPED_PREFIXES)
    }
    env.update(desktop.env)
    env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    env["QT_ACCESSIBILITY"] = "1"
    return env


def netplanner(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command line with the venv's Python (the one running the tests)."""
    return subprocess.run(
        [sys.executable, "-m", "netplanner", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@dataclass
class RunningApp:
    """The window's process, a driver on it, and the demo network it shows."""

    desktop: HeadlessDesktop
    data_dir: Path
    pid: int = 0
    atspi: AtspiClient | None = None
    contacts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ui(self) -> AtspiClient:
        assert self.atspi is not None, "the app is not running"
        return self.atspi

    @property
    def contact_names(self) -> set[str]:
        return {str(c["name"]) for c in self.contacts}

    def frame(self) -> Node:
        return self.ui.find_one(APP_TITLE, "frame", showing=True)

    def alive(self) -> bool:
        return any(s.proc.pid == self.pid and s.proc.poll() is None for s in self.desktop.started)

    @property
    def log_name(self) -> str:
        return f"netplanner-{self.data_dir.name}"  # one log per window started

    def log_tail(self) -> str:
        return self.desktop.log_tail(self.log_name)


def load_demo(desktop: HeadlessDesktop, data_dir: Path) -> None:
    """Fill ``data_dir`` with the demo network."""
    loaded = netplanner(
        "demo", "--data-dir", str(data_dir), env=child_env(desktop), cwd=desktop.root
    )
    if loaded.returncode != 0:
        raise RuntimeError(f"netplanner demo failed: {loaded.stderr.strip()}")


def list_contacts(desktop: HeadlessDesktop, data_dir: Path) -> list[dict[str, Any]]:
    """The contacts in ``data_dir`` as the command line lists them (name, company, …)."""
    listed = netplanner(
        "contacts", "--json", "--data-dir", str(data_dir), env=child_env(desktop), cwd=desktop.root
    )
    if listed.returncode != 0:
        raise RuntimeError(f"netplanner contacts failed: {listed.stderr.strip()}")
    contacts: list[dict[str, Any]] = json.loads(listed.stdout)
    return contacts


def start_app(desktop: HeadlessDesktop, data_dir: Path) -> RunningApp:
    """The window, shown, active and on the AT-SPI desktop."""
    load_demo(desktop, data_dir)
    app = RunningApp(desktop, data_dir)
    env = child_env(desktop)
    proc = desktop.spawn(
        app.log_name,
        [sys.executable, "-m", "netplanner", "gui", "--data-dir", str(data_dir)],
        env=env,
    )
    app.pid = proc.pid
    app.atspi = AtspiClient(desktop.env, proc.pid, desktop.root / "logs" / "atspi-driver.log")

    def shown() -> Node | None:
        if proc.poll() is not None:
            raise AssertionError(
                f"the window exited with {proc.returncode} before it showed:\n{app.log_tail()}"
            )
        return app.frame()

    try:
        app.contacts = list_contacts(desktop, data_dir)  # while the window starts
        wait_for(shown, APP_START_TIMEOUT, f"the {APP_TITLE} window on the AT-SPI desktop")
        app.ui.activate()
        wait_for(lambda: "active" in app.frame().states, 10, "the window to become active")
    except BaseException:
        stop_app(app)
        raise
    return app


def stop_app(app: RunningApp) -> None:
    """End the window's process group and the driver; the desktop stays for the next app."""
    if app.atspi is not None:
        app.atspi.close()
        app.atspi = None
    for started in list(app.desktop.started):
        if started.proc.pid == app.pid:
            started.stop()
            app.desktop.started.remove(started)

"""A private headless desktop for the window: Xvfb, a D-Bus session and the AT-SPI bus.

Everything is started here as a child of the test process and recorded, so ``stop()`` ends
exactly what was started (each in its own process group, which also holds what it spawned:
the accessibility bus's dbus-daemon and the registry it activates), and nothing of the
developer's own session is used or touched.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tests.e2e.atspi_client import DRIVER, SYSTEM_PYTHON

AT_SPI_BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
SCREEN = "1280x800x24"
START_TIMEOUT = 20.0


class DesktopError(RuntimeError):
    """A helper of the headless desktop did not start."""


@dataclass
class Started:
    """One process this module started, with its own process group."""

    name: str
    proc: subprocess.Popen[bytes]

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM the process group, then SIGKILL what is left; always reaps the process."""
        pgid = self.proc.pid  # start_new_session: the group is the one the child leads
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            if self._group_gone(pgid, grace):
                break
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def _group_gone(self, pgid: int, grace: float) -> bool:
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            self.proc.poll()  # reap the leader, or killpg(…, 0) keeps seeing it
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return True
            if self.proc.returncode is not None and not _live_members(pgid):
                return True  # only zombies of reparented members are left
            time.sleep(0.05)
        return False


def _live_members(pgid: int) -> list[int]:
    """Pids in process group ``pgid`` that are not zombies (read from /proc)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            alive.append(int(entry.name))
    return alive


@dataclass
class HeadlessDesktop:
    """The running desktop; ``env`` is what a program started on it needs."""

    root: Path
    display: str = ""
    bus_address: str = ""
    started: list[Started] = field(default_factory=list)
    logs: dict[str, Path] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def runtime_dir(self) -> Path:
        return self.root / "run"

    @property
    def env(self) -> dict[str, str]:
        """A minimal environment on this desktop: nothing of the caller's session leaks in."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local/share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "XDG_STATE_HOME": str(self.home / ".local/state"),
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
        }
        if self.display:
            env["DISPLAY"] = self.display
        if self.bus_address:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address
        return env

    def log(self, name: str) -> IO[bytes]:
        path = self.root / "logs" / f"{name}.log"
        path.parent.mkdir(exist_ok=True)
        self.logs[name] = path
        return path.open("ab")

    def spawn(
        self,
        name: str,
        argv: list[str],
        env: Mapping[str, str] | None = None,
        stdout: int | IO[bytes] | None = None,
        pass_fds: tuple[int, ...] = (),
    ) -> subprocess.Popen[bytes]:
        """Start ``argv`` in its own process group and record it for ``stop()``."""
        with self.log(name) as log:
            proc = subprocess.Popen(
                argv,
                env=dict(env if env is not None else self.env),
                stdin=subprocess.DEVNULL,
                stdout=stdout if stdout is not None else log,
                stderr=log,
                pass_fds=pass_fds,
                cwd=self.root,  # not the checkout: ``python -m`` would import from the cwd
                start_new_session=True,
            )
        self.started.append(Started(name, proc))
        return proc

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.logs.get(name)
        if path is None or not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop everything started, newest first; safe to call twice."""
        while self.started:
            self.started.pop().stop()


def start_desktop() -> HeadlessDesktop:
    """Xvfb on a free display, a session bus, and the AT-SPI bus with its registry."""
    root = Path(tempfile.mkdtemp(prefix="np-e2e-"))  # short: unix socket paths live under it
    desktop = HeadlessDesktop(root)
    for folder in (desktop.home / ".config", desktop.runtime_dir):
        folder.mkdir(parents=True)
    desktop.runtime_dir.chmod(0o700)
    try:
        desktop.display = _start_xvfb(desktop)
        desktop.bus_address = _start_session_bus(desktop)
        _start_accessibility_bus(desktop)
    except BaseException:
        desktop.stop()
        raise
    return desktop


def remove_desktop_files(desktop: HeadlessDesktop) -> None:
    shutil.rmtree(desktop.root, ignore_errors=True)


def _read_line(fd: int, what: str, proc: subprocess.Popen[bytes], desktop: HeadlessDesktop) -> str:
    """One line written to ``fd`` by ``proc``; DesktopError if it exits or stays silent."""
    data = b""
    deadline = time.monotonic() + START_TIMEOUT
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or proc.poll() is not None:
            raise DesktopError(
                f"{what} did not start (exit {proc.returncode}): {desktop.log_tail(what)}"
            )
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.2))
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                continue
            data += chunk
    return data.split(b"\n", 1)[0].decode().strip()


def _start_xvfb(desktop: HeadlessDesktop) -> str:
    read_end, write_end = os.pipe()
    try:
        proc = desktop.spawn(
            "xvfb",
            # -displayfd: Xvfb picks a free display and writes its number; -noreset: the
            # server outlives the first app, so the second module's app finds the same one.
            [
                *("Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN),
                *("-nolisten", "tcp", "-noreset"),
            ],
            pass_fds=(write_end,),
        )
        os.close(write_end)
        write_end = -1
        return ":" + _read_line(read_end, "xvfb", proc, desktop)
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


def _start_session_bus(desktop: HeadlessDesktop) -> str:
    read_end, write_end = os.pipe()
    try:
        proc = desktop.spawn(
            "dbus",
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", f"--print-address={write_end}"],
            pass_fds=(write_end,),
        )
        os.close(write_end)
        write_end = -1
        return _read_line(read_end, "dbus", proc, desktop)
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


def _start_accessibility_bus(desktop: HeadlessDesktop) -> None:
    proc = desktop.spawn("at-spi", [AT_SPI_BUS_LAUNCHER, "--launch-immediately"])
    waited = subprocess.run(
        [SYSTEM_PYTHON, str(DRIVER), "--wait-for-bus-launcher", str(START_TIMEOUT)],
        env=desktop.env,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT + 10,
        check=False,
    )
    if waited.returncode != 0 or proc.poll() is not None:
        raise DesktopError(
            "the AT-SPI bus launcher did not start: "
            f"{waited.stderr.strip()} {desktop.log_tail('at-spi')}"
        )

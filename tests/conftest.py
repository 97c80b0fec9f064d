"""Shared fixtures: a temporary data dir, a context on it, the demo network, the CLI."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

# Qt must never look for a screen in tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from netplanner.services.context import AppContext, build_context

# The day the demo network is built around in tests, so results do not drift with the clock.
DEMO_TODAY = date(2026, 11, 26)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/gui, or using qtbot, is marked ``gui``."""
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()) or "/gui/" in str(item.fspath):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def context(data_dir: Path) -> Iterator[AppContext]:
    ctx = build_context(data_dir)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network stored once per test run; each test gets a copy of the file."""
    root = tmp_path_factory.mktemp("demo-template")
    template = build_context(root)
    template.demo.load(today=DEMO_TODAY)
    path = template.paths.database_file
    template.close()  # the last connection closing folds the WAL back into the file
    return path


@pytest.fixture
def demo_context(context: AppContext, demo_database: Path) -> AppContext:
    """A context on its own copy of the demo network (loading it anew costs each test more)."""
    if "db" in context.__dict__ or context.paths.database_file.exists():
        context.demo.load(today=DEMO_TODAY)  # the database is open already: load it there
        return context
    context.paths.database_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(demo_database, context.paths.database_file)
    return context


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def _netplanner_env(data: Path, extra: Mapping[str, str] | None) -> dict[str, str]:
    """The caller's environment without its NETPLANNER_ settings, on the data dir ``data``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETPLANNER_")}
    env["NETPLANNER_DATA_DIR"] = str(data)
    env.update(extra or {})
    return env


def _files_open_under(folder: Path) -> list[str]:
    """Files of this process open under ``folder`` (Linux; elsewhere none are seen)."""
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.is_dir():
        return []
    found = []
    for fd in fd_dir.iterdir():
        try:
            target = str(fd.readlink())
        except OSError:  # closed while listing
            continue
        if target.startswith(f"{folder}{os.sep}"):
            found.append(target)
    return found


Cli = Callable[..., CliResult]


def run_cli_in_process(
    patch: pytest.MonkeyPatch,
    data: Path,
    args: Sequence[str],
    stdin: str | None = None,
    watched: Sequence[Path] = (),
    env: Mapping[str, str] | None = None,
) -> CliResult:
    """``netplanner ARGS`` run through ``main(argv)`` with the environment a subprocess gets.

    What a process gives for free is checked instead: the run must leave no logging handler
    behind and no file open in ``data`` or ``watched`` (the engine disposed), so that one
    run cannot change the next and the temporary folders can be removed.
    """
    from netplanner.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    handlers = list(logging.root.handlers)
    with patch.context() as local:
        for key in [k for k in os.environ if k.startswith("NETPLANNER_")]:
            local.delenv(key)
        local.setenv("NETPLANNER_DATA_DIR", str(data))
        for key, value in (env or {}).items():
            local.setenv(key, value)
        local.setattr(sys, "stdin", io.StringIO(stdin or ""))
        with redirect_stdout(stdout), redirect_stderr(stderr):
            try:
                code = main(list(args))
            except SystemExit as exc:  # what a process would turn into its exit code
                code = exc.code if isinstance(exc.code, int) else 1
    assert logging.root.handlers == handlers, "the command left a logging handler behind"
    for folder in (data, *watched):
        assert _files_open_under(folder.resolve()) == [], f"files left open in {folder}"
    return CliResult(code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def cli(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run ``netplanner ARGS`` in this process against the temporary data dir (or ``data``).

    A subprocess costs a second of imports per call; this runs the same code in the same
    environment. ``cli_subprocess`` is the real thing, for the few tests about the process.
    """

    def run(
        *args: str,
        data: Path | None = None,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CliResult:
        where = data or data_dir
        return run_cli_in_process(monkeypatch, where, args, stdin, (data_dir.parent,), env)

    return run


@pytest.fixture
def cli_subprocess(data_dir: Path) -> Cli:
    """Run ``python -m netplanner ARGS`` as a real subprocess against the temporary data dir."""

    def run(
        *args: str,
        data: Path | None = None,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> CliResult:
        proc = subprocess.run(
            [sys.executable, "-m", "netplanner", *args],
            capture_output=True,
            text=True,
            env=_netplanner_env(data or data_dir, env),
            input=stdin,
            timeout=120,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run

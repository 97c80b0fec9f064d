"""Mistakes and conditions a user meets are one sentence and exit 3, never a traceback or SQL.

Issue 14: defect 3 (a data folder that is a file, under a file, under /proc or not writable;
a broken library), defect 4 (a database busy for longer than the wait, or read-only: the SQL
and a contact's data were printed), defect 11 (exit 1 where 3 is due) and defect 12 (an
unreachable server, -wal/-shm left beside a refused database, text without a length limit).
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from netplanner.services.context import AppContext
from netplanner.storage import database as database_module
from tests.conftest import Cli, _netplanner_env

NOBODY = 65534


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for leak in ("Traceback", "SQL", "INSERT", "SELECT", "parameters", "sqlalche.me"):
        assert leak not in stderr, stderr
    return lines[0]


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "a-file"
    path.write_text("not a folder", encoding="utf-8")
    return path


@pytest.mark.parametrize("where", ["{file}", "{file}/data", "/proc/netplanner-data"])
def test_a_data_folder_that_cannot_be_one_is_a_sentence(cli: Cli, a_file: Path, where: str) -> None:
    folder = Path(where.replace("{file}", str(a_file)))
    for args in (("meetings",), ("contacts", "--json"), ("backup",), ("check", "--json")):
        result = cli(*args, data=folder)
        assert result.code == 3, (args, result.stderr)
        assert "data folder" in _one_line(result.stderr) and str(folder) in result.stderr
    assert a_file.read_text(encoding="utf-8") == "not a folder"


def test_a_data_folder_given_by_option_that_is_a_file_is_a_sentence_in_a_process(
    cli_subprocess: Cli, a_file: Path
) -> None:
    result = cli_subprocess("--data-dir", str(a_file), "meetings")
    assert result.code == 3
    assert "is not a folder" in _one_line(result.stderr)


def _as_nobody(run: Callable[[], Any]) -> Any:
    """``run()`` as an ordinary user: in a child process as ``nobody`` when this is root
    (for whom permissions mean nothing), else here. Its result comes back as JSON."""
    if os.geteuid() != 0:
        return run()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            payload = json.dumps(run())
        except BaseException as exc:
            payload = json.dumps({"crashed": repr(exc)})
        os.write(writer, payload.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def _main_in_process(data: Path, *args: str) -> dict[str, Any]:
    from netplanner.cli import main

    out, err = io.StringIO(), io.StringIO()
    os.environ["NETPLANNER_DATA_DIR"] = str(data)
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's own is root's alone)."""
    root = Path(tempfile.mkdtemp(prefix="netplanner-perm-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        subprocess.run(["rm", "-rf", str(root)], check=False)


def _warm(cli: Cli, data: Path) -> None:
    """Run the commands once as this user, so the child imports nothing new as nobody."""
    cli("targets", "add", "Warm Up", data=data)
    cli("targets", "list", data=data)


def test_a_data_folder_this_user_cannot_write_is_a_sentence(
    cli: Cli, shared_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _warm(cli, tmp_path / "warm")
    locked = shared_tmp / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    monkeypatch.setenv("NETPLANNER_DATA_DIR", str(locked))

    result = _as_nobody(lambda: _main_in_process(locked, "targets", "list"))

    assert result.get("code") == 3, result
    assert "not writable" in _one_line(result["stderr"])
    assert sorted(locked.iterdir()) == []


def test_a_read_only_database_is_said_so_without_the_statement(
    cli: Cli, shared_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _warm(cli, tmp_path / "warm")
    data = shared_tmp / "data"
    data.mkdir()
    assert cli("targets", "add", "Existing Ltd", data=data).code == 0
    os.chown(data, NOBODY, NOBODY) if os.geteuid() == 0 else None
    (data / "netplanner.sqlite").chmod(0o444)
    monkeypatch.setenv("NETPLANNER_DATA_DIR", str(data))

    result = _as_nobody(lambda: _main_in_process(data, "targets", "add", "Secret Person Ltd"))

    assert result.get("code") == 3, result
    line = _one_line(result["stderr"])
    assert "read-only" in line and "Secret Person" not in line
    log = data / "logs" / "netplanner.log"
    assert not log.exists() or "Secret Person" not in log.read_text(encoding="utf-8")


_HOLD_WRITE_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
connection.execute("ROLLBACK")
"""


def test_a_database_busy_longer_than_the_wait_is_said_so_without_contact_data(
    cli: Cli, context: AppContext, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context.contacts.count()  # the database exists, at the current schema
    context.close()
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)
    holder = subprocess.Popen(  # another NetPlanner in the middle of writing
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(context.paths.database_file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = cli("targets", "add", "Secret Person Ltd")
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)

    assert result.code == 3
    assert _one_line(result.stderr) == (
        "netplanner: The database is busy (another NetPlanner is writing); try again."
    )
    logs = list(data_dir.rglob("*.log"))
    assert all("Secret Person" not in log.read_text(encoding="utf-8") for log in logs)
    assert cli("targets", "add", "Secret Person Ltd").code == 0  # and then it works


def test_a_broken_library_is_one_line_saying_it_cannot_start(tmp_path: Path) -> None:
    fake = tmp_path / "site" / "sqlalchemy"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        'raise ImportError("libsqlalchemy.so: cannot open shared object file")\n',
        encoding="utf-8",
    )
    env = _netplanner_env(tmp_path / "data", {"PYTHONPATH": str(fake.parent)})
    proc = subprocess.run(
        [sys.executable, "-m", "netplanner", "meetings"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1
    line = _one_line(proc.stderr)
    assert line.startswith("netplanner: cannot start:") and "sqlalchemy" in line.lower()


@pytest.mark.parametrize(
    "args",
    [("brief", "99999999999999999999999"), ("meetings", "--contact", "-99999999999999999999999"),
     ("--db-url", "sqlite:////proc/np.sqlite", "contacts"),
     ("--db-url", "sqlite:////proc/np.sqlite", "meetings"),
     ("trip", "add", "x" * 301, "--from", "2026-01-01", "--to", "2026-01-02"),
     ("trip", "add", "Lisbon", "--name", "n" * 301, "--from", "2026-01-01", "--to", "2026-01-02"),
     ("contacts", "--query", "q" * 301),
     ("targets", "add", "t" * 301)],
)  # fmt: skip
def test_what_exited_1_or_was_stored_unbounded_is_exit_3(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.code == 3, result.stderr
    _one_line(result.stderr)


def test_text_within_the_limits_is_still_taken(cli: Cli) -> None:
    assert cli("targets", "add", "t" * 300).code == 0


def test_an_unreachable_database_server_is_one_line_without_the_password(cli: Cli) -> None:
    url = "postgresql+psycopg://planner:s3cret@127.0.0.1:1/netplanner?connect_timeout=2"
    result = cli("--db-url", url, "meetings")
    assert result.code == 3
    line = _one_line(result.stderr)
    assert "cannot be used" in line and "s3cret" not in line


def test_a_refused_newer_database_leaves_nothing_beside_it(cli: Cli, context: AppContext) -> None:
    context.contacts.count()
    context.close()
    database = context.paths.database_file
    connection = sqlite3.connect(database)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = sorted(p.name for p in database.parent.iterdir())
    assert not any(name.endswith(("-wal", "-shm")) for name in before)

    for args in (("contacts", "--json"), ("contacts",), ("meetings",), ("check", "--json")):
        result = cli(*args)
        assert result.code == 3, (args, result.stderr)
        if args[0] == "check":
            assert "newer version" in result.json()["problems"][0]
        else:
            assert "newer version" in _one_line(result.stderr)
        assert sorted(p.name for p in database.parent.iterdir()) == before

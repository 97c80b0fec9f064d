"""A throwaway PostgreSQL server for the tests that check NetPlanner on PostgreSQL.

DESIGN.md promises that any SQLAlchemy URL works and that PostgreSQL (psycopg 3) is tested,
so these fixtures start a real server: ``initdb`` once per session into a temporary folder,
trust authentication, listening on 127.0.0.1 only with its socket inside that folder, and
``pg_ctl stop -m immediate`` afterwards whatever happened. initdb refuses to run as root, so
under root the server runs as the ``postgres`` OS user (or ``nobody`` where that is missing);
the database superuser is called ``postgres`` either way.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SEARCH_GLOB = "/usr/lib/postgresql/*/bin"  # where Debian and Ubuntu install them
START_TIMEOUT_S = 30


def find_pg_bin() -> tuple[Path, Path] | None:
    """``initdb`` and ``pg_ctl``: from PATH first, then from Debian's versioned folders."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb is not None and pg_ctl is not None:
        return Path(initdb), Path(pg_ctl)
    folders = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_major_version, reverse=True)
    for folder in folders:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder / "initdb", folder / "pg_ctl"
    return None


def _major_version(folder: Path) -> int:
    name = folder.parent.name
    return int(name) if name.isdigit() else 0


def _server_user() -> pwd.struct_passwd | None:
    """The OS user to run the server as under root; None when running as an ordinary user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root, and neither a 'postgres' nor a 'nobody' user exists")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """One running server; ``stop`` is safe to call more than once."""

    initdb: Path
    pg_ctl: Path
    root: Path
    port: int
    user: pwd.struct_passwd | None
    _running: bool = field(default=False, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.initdb if args[0] == "initdb" else self.pg_ctl), *args[1:]]
        if self.user is not None:
            if shutil.which("runuser") is not None:
                command = ["runuser", "-u", self.user.pw_name, "--", *command]
            else:  # systems without util-linux's runuser; -s since the user may have no shell
                command = ["su", "-s", "/bin/sh", self.user.pw_name, "-c", shlex.join(command)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return subprocess.run(
            command,
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            check=check,
            timeout=START_TIMEOUT_S + 30,
        )

    def init(self) -> None:
        self._run(
            "initdb",
            "--pgdata",
            str(self.data_dir),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )

    def start(self) -> None:
        options = " ".join(
            [
                "-h 127.0.0.1",
                f"-p {self.port}",
                f"-k {self.root}",
                "-F",  # no fsync: a test server does not need to survive a power cut
                "-c full_page_writes=off",
                "-c synchronous_commit=off",
                "-c max_connections=40",
            ]
        )
        self._running = True  # pg_ctl may have started it even if it reports a failure
        result = self._run(
            "pg_ctl",
            "--pgdata",
            str(self.data_dir),
            "--log",
            str(self.log_file),
            "--wait",
            "--timeout",
            str(START_TIMEOUT_S),
            "-o",
            options,
            "start",
            check=False,
        )
        if result.returncode != 0:
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            self.stop()
            raise RuntimeError(
                f"PostgreSQL did not start on port {self.port}:\n{result.stderr}\n{log}"
            )

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self._run("pg_ctl", "--pgdata", str(self.data_dir), "stop", "-m", "immediate", check=False)


def start_server(initdb: Path, pg_ctl: Path) -> PostgresServer:
    """initdb into a fresh temporary folder and start the server on a free loopback port."""
    user = _server_user()
    # /tmp rather than pytest's tmp_path: the latter is 0700 root, which the server user cannot
    # enter. The folder is private to the server user.
    root = Path(tempfile.mkdtemp(prefix="netplanner-pg-"))
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    root.chmod(0o700)
    server = PostgresServer(initdb=initdb, pg_ctl=pg_ctl, root=root, port=0, user=user)
    try:
        server.init()
        for attempt in itertools.count(1):
            server.port = _free_port()
            try:
                server.start()
                return server
            except RuntimeError:
                # Another process may have taken the port between choosing and binding it.
                if attempt == 3:
                    raise
    except BaseException:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session, always stopped and removed afterwards."""
    binaries = find_pg_bin()
    if binaries is None:
        pytest.skip(f"PostgreSQL binaries (initdb, pg_ctl) not found on PATH or in {SEARCH_GLOB}")
    server = start_server(*binaries)
    # Also at interpreter exit, in case the session is torn down in an unusual way.
    atexit.register(server.stop)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """The SQLAlchemy URL of the server's ``postgres`` database."""
    return postgres_server.url


_database_names = itertools.count(1)


@pytest.fixture
def postgres_db_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A new, empty database on the session's server for one test, dropped afterwards."""
    import psycopg

    name = f"netplanner_test_{next(_database_names)}"
    admin = f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield postgres_server.url_for(name)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

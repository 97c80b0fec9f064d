"""The engine, its sessions, and bringing the schema up to date at start.

Opening a database never harms it: a file that is not SQLite, or a schema stamped by a
newer NetPlanner, is refused with one sentence before anything is written; an upgrade
of an existing database is preceded by a backup.

Every error the database gives that a user can meet (busy, read-only, damaged, full, a
server that cannot be reached) becomes one ``DatabaseError`` sentence here, for every
command and the window alike: the engine's ``handle_error`` hook translates what goes
through SQLAlchemy, and the sessions translate what the raw connection raises. Statements
and their parameters (a contact's data) never reach a message or the log.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from netplanner.domain.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseError,
    DatabaseReadOnlyError,
    DatabaseUnreachableError,
    InputError,
    NetPlannerError,
)
from netplanner.storage.backups import Retention, make_backup
from netplanner.storage.quick_listing import SCHEMA_HEAD
from netplanner.storage.sqlite_files import (
    BUSY,
    damaged_backup_message,
    describe_sqlite_error,
    integrity_problems,
    read_only_connection,
)

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic (and Mako under it) is imported only to migrate or to look up an unknown
# revision: a database already at SCHEMA_HEAD opens without it.

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_OWN_MIGRATIONS = MIGRATIONS_DIR  # whose head SCHEMA_HEAD is (a test checks it)
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The schema revision this version of NetPlanner writes."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def sqlite_file_of(url: str) -> Path | None:
    """The SQLite file ``url`` names; None for a server, memory or ``file:`` URI database."""
    return _sqlite_file(url)


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _check_sqlite_file(path: Path, backups: Path | None = None) -> None:
    """Refuse a file that is not an SQLite database, before SQLite touches it."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(f"The database path {path} is a folder, not a database file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f"The database file {path} cannot be read: {exc.strerror}.") from exc
    if header and header != SQLITE_HEADER:
        raise DatabaseError(f"The file {path} is not an SQLite database; it was left untouched.")
    if not header:
        return
    # Look inside read-only first: the pragmas set on a normal connection would rewrite the
    # header, and a database NetPlanner must refuse has to stay exactly as it was.
    try:
        connection = read_only_connection(path)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise translate(exc, str(path), backups) or DatabaseError(
            f"The database file {path} cannot be read ({exc}); it was left untouched."
        ) from None
    if revision is None and tables - {"alembic_version"}:
        raise DatabaseError(
            f"The database {path} holds tables that are not NetPlanner's; it was left untouched."
        )
    if revision is not None and not _known_revision(revision):
        raise DatabaseError(_newer_message(str(path), revision))


def known_revision(revision: str) -> bool:
    """Whether this version of NetPlanner knows the schema ``revision`` (it is not newer)."""
    return _known_revision(revision)


def _own_head(revision: str | None) -> bool:
    """Whether ``revision`` is the head of NetPlanner's own migrations, known without Alembic."""
    return revision == SCHEMA_HEAD and MIGRATIONS_DIR == _OWN_MIGRATIONS


def _known_revision(revision: str) -> bool:
    if _own_head(revision):
        return True
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown revision
        return False


def _newer_message(where: str, revision: str) -> str:
    return (
        f"The database {where} was written by a newer version of NetPlanner "
        f"(schema {revision}); this version cannot open it and left it untouched."
    )


def _create_database_file(path: Path) -> None:
    """Create the database file 0600, or say in one sentence why it cannot be."""
    try:
        _create_private_file(path)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).rstrip(".")
        raise DatabaseError(f"The database file {path} cannot be created: {reason}.") from None


def _create_private_file(path: Path) -> None:
    """Create the database file 0600, inside a 0700 folder when the folder is made here
    (an existing folder keeps the permissions its owner gave it)."""
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        for made in missing:
            made.chmod(0o700)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)


class Database:
    """An engine plus a session factory; one session per unit of work."""

    def __init__(
        self,
        engine: Engine,
        backup_dir: Path | None = None,
        retention: Retention | None = None,
        backup_before_migration: bool = True,
    ) -> None:
        self.engine = engine
        self.backup_dir = backup_dir
        self.retention = retention  # how the backup folder is thinned after each backup
        self.backup_before_migration = backup_before_migration
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def sqlite_path(self) -> Path | None:
        return _sqlite_file(self.engine.url.render_as_string(hide_password=False))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except sqlite3.Error as exc:  # from the raw connection (BEGIN IMMEDIATE), not SQLAlchemy
            raise translate(exc, _where(self), self.backup_dir) or exc from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only."""
        try:
            with self._sessions() as session:
                yield session
        except sqlite3.Error as exc:
            raise translate(exc, _where(self), self.backup_dir) or exc from None

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def upgrade(self) -> None:
        """Bring the schema to this version's head, backing up an existing database first."""
        if self._at_head():
            return
        from alembic import command
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        head = script.get_current_head()
        try:
            current = self.current_revision()
        except DBAPIError as exc:
            raise DatabaseError(_describe(self, exc)) from exc
        if current == head:
            return
        if current is not None:
            if not _known_revision(current):
                raise DatabaseError(_newer_message(_where(self), current))
            if self.backup_before_migration:
                self.backup(reason=f"before-{head}", retention=self.retention, check=False)
        elif self._has_foreign_tables():
            raise DatabaseError(
                f"The database {_where(self)} holds tables that are not NetPlanner's; "
                "it was left untouched."
            )
        config = alembic_config()
        if self.engine.dialect.name == "sqlite":
            self._upgrade_sqlite(config)
            return
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def _at_head(self) -> bool:
        """Whether the schema is this version's already, asked without Alembic."""
        try:
            with self.engine.connect() as connection:
                rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
                found = [tuple(row) for row in rows]
        except DBAPIError:
            return False  # no such table yet, or a problem the full check will name
        return len(found) == 1 and _own_head(found[0][0])

    def _upgrade_sqlite(self, config: Config) -> None:
        """Run the migrations on SQLite as one transaction with foreign keys off.

        A batch migration copies a table, drops the old one and renames the copy; with foreign
        keys on, that DROP deletes every row that refers to the table (ON DELETE CASCADE:
        follow-ups, meeting links). And pysqlite commits DDL statement by statement, so a
        migration that fails half-way would leave half a schema. The pragma can only change
        outside a transaction, so the transaction is begun here by hand.
        """
        from alembic import command

        with self.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            saved = raw.isolation_level
            raw.isolation_level = None
            try:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(
                            f"Upgrading the database {_where(self)} would break the links of "
                            f"{len(broken)} records (table {broken[0][0]}); it was left as it was."
                        )
                    connection.commit()
                except BaseException:
                    connection.rollback()
                    raise
            finally:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                raw.isolation_level = saved

    def _has_foreign_tables(self) -> bool:
        names = set(inspect(self.engine).get_table_names())
        return bool(names - {"alembic_version"})

    def backup(
        self,
        to: Path | None = None,
        reason: str = "manual",
        retention: Retention | None = None,
        check: bool | str = True,
    ) -> Path | None:
        """Copy an SQLite database with SQLite's online backup; returns the copy's path.

        Written whole or not at all, never over another backup; into the backup folder, the
        folder is then thinned by ``retention`` (see ``storage.backups``). ``check`` runs
        SQLite's integrity check first ("quick" its quick check) and refuses a damaged
        database, so that a damaged copy never pushes a good backup out. None for a
        database that is not an SQLite file.
        """
        source = self.sqlite_path
        if source is None or not source.exists():
            return None
        if to is None and self.backup_dir is None:
            return None
        if check:
            problems = integrity_problems(source, quick=check == "quick")
            if problems:
                raise DatabaseDamagedError(damaged_backup_message(source, problems[0]), str(source))
        return make_backup(source, to, self.backup_dir, reason=reason, retention=retention)

    def integrity_check(self) -> list[str]:
        """Problems SQLite's integrity check finds; an empty list when all is well.

        A database too damaged to be checked gives that as its problem, never an exception.
        """
        source = self.sqlite_path
        if source is not None:
            return integrity_problems(source)
        if self.engine.dialect.name != "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return []
        with self.engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
            problems = [str(row[0]) for row in rows if row[0] != "ok"]
            fk = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            problems += [f"foreign key broken in {row[0]} row {row[1]}" for row in fk]
        return problems

    def dispose(self) -> None:
        self.engine.dispose()


def _where(db: Database) -> str:
    path = db.sqlite_path
    return str(path) if path is not None else db.engine.url.render_as_string(hide_password=True)


def _describe(db: Database, exc: DBAPIError) -> str:
    reason = str(exc.orig).strip().rstrip(".") if exc.orig is not None else "unknown error"
    return f"The database {_where(db)} cannot be opened: {reason}."


_KINDS: dict[str, type[DatabaseError]] = {
    "busy": DatabaseBusyError,
    "read-only": DatabaseReadOnlyError,
    "damaged": DatabaseDamagedError,
}


def translate(exc: BaseException, where: str, backups: Path | None) -> NetPlannerError | None:
    """The one-sentence error for a database error a user can meet; None for a bug.

    ``where`` names the database in the sentence; ``backups`` is the folder the sentence for
    a damaged database points to.
    """
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, OverflowError):  # a number beyond 64 bits reached a statement
        return InputError(
            "A number given is too large for the database to hold; nothing was written."
        )
    module = type(exc).__module__
    if module.startswith("psycopg"):
        return _translate_server(exc, where)
    if not isinstance(exc, sqlite3.Error):
        return None
    described = describe_sqlite_error(str(exc), where, str(backups) if backups else None)
    if described is None:
        return None
    kind, sentence = described
    if kind == "damaged":
        return DatabaseDamagedError(sentence, where)
    return _KINDS.get(kind, DatabaseError)(sentence)


def _translate_server(exc: BaseException, where: str) -> DatabaseError | None:
    """A PostgreSQL error in one line: unreachable, refused, or a lock waited out."""
    name = type(exc).__name__
    first = (str(exc).strip().splitlines() or [""])[0].rstrip(".")
    if name in ("OperationalError", "ConnectionTimeout", "ConnectionFailure"):
        if "lock" in first.lower() and "timeout" in first.lower():
            return DatabaseBusyError(BUSY)
        return DatabaseUnreachableError(f"The database server {where} cannot be used: {first}.")
    if name in ("InsufficientPrivilege", "ReadOnlySqlTransaction"):
        return DatabaseReadOnlyError(f"The database {where} is read-only for this user.")
    return None


def _translating(where: str, backups: Path | None) -> Any:
    """The engine's ``handle_error`` hook: a known error leaves as its one sentence."""

    def handle_error(context: Any) -> None:
        translated = translate(context.original_exception, where, backups)
        if translated is not None:
            raise translated from None

    return handle_error


def open_database(
    url: str,
    backup_dir: Path | None = None,
    migrate: bool = True,
    retention: Retention | None = None,
    backup_before_migration: bool = True,
) -> Database:
    """Open (creating if needed) the database at ``url`` and bring its schema up to date.

    The backup made before a migration goes into ``backup_dir`` and thins it by
    ``retention``, like every other backup.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"The database URL {url!r} is not valid.") from exc
    path = _sqlite_file(url)
    if path is not None:
        _check_sqlite_file(path, backup_dir)
        _create_database_file(path)
    try:
        # Statements' parameters are a contact's data: never in a message or the log.
        engine = create_engine(parsed, future=True, hide_parameters=True)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"The database URL {url!r} cannot be used: {exc}.") from exc
    where = str(path) if path is not None else parsed.render_as_string(hide_password=True)
    event.listen(engine, "handle_error", _translating(where, backup_dir))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    database = Database(
        engine,
        backup_dir=backup_dir,
        retention=retention,
        backup_before_migration=backup_before_migration,
    )
    if migrate:
        try:
            database.upgrade()
        except OperationalError as exc:
            engine.dispose()
            raise DatabaseError(_describe(database, exc)) from None
        except DatabaseError:
            engine.dispose()
            raise
    return database

"""Storage for imports: every contact's merge keys at once, and one transaction per import.

Built for 30,000 rows: contacts are read and written in bulk (one statement per chunk,
never one round trip per row). On SQLite the rows go straight to the driver's
``executemany``; other databases go through SQLAlchemy Core with RETURNING.
"""

from __future__ import annotations

import json
import operator
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any

from sqlalchemy import String, Table, bindparam, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from netplanner.domain.contact_columns import ContactColumns
from netplanner.domain.entities import (
    ConnectionCriteria,
    Contact,
    Debrief,
    FollowUp,
    Invitation,
    LocationStatus,
    Meeting,
    RelationshipStage,
    TargetCompany,
    Trip,
    UserLocation,
    Venue,
)
from netplanner.domain.network import NetworkSnapshot
from netplanner.domain.progress import NullProgress, ProgressSink, check_cancelled
from netplanner.storage.database import Database
from netplanner.storage.models import (
    ConnectionCriteriaRow,
    ContactRow,
    DebriefRow,
    FollowUpRow,
    InvitationRow,
    MeetingRow,
    TargetCompanyRow,
    TripRow,
    UserLocationRow,
    VenueRow,
)
from netplanner.storage.repositories.convert import to_domain, to_row_values
from netplanner.storage.repositories.records import meeting_contact_ids
from netplanner.storage.repositories.snapshot_merge import SnapshotCounts, store_snapshot

CHUNK = 2000
BULK_INSERT_ROWS = 5000  # creates from which SQLite's indexes are built after the insert
BULK_CACHE_KIB = -32_000  # SQLite's page cache meanwhile (negative: KiB; its default 2 MB)
_TABLE: Table = ContactRow.__table__  # type: ignore[assignment]
# Every stored column of a contact but its id and photo (photos are read only on demand).
# What merging reads of every contact: all but the id, the photo and the time stamps.
_LOAD_COLUMNS = [
    c.key
    for c in _TABLE.columns
    if c.key not in ("id", "photo", "created_at", "updated_at", "import_digest")
]
_JSON_COLUMNS = frozenset(
    c.key
    for c in _TABLE.columns
    if c.key in ("emails", "phones", "interests", "past_experience", "tags", "edited_fields")
)
# Every column a contact's values fill (the import digest is the batch's, not the contact's).
_WRITE_COLUMNS = [c.key for c in _TABLE.columns if c.key not in ("id", "import_digest")]
_NO_ID = frozenset({"id"})
# How long an import waits for another one's write lock before giving up (the driver's
# busy timeout is only a few seconds, and another import of 30,000 rows takes longer).
LOCK_WAIT_SECONDS = 120.0
_PG_IMPORT_LOCK = 0x4E504C494D50  # "NPLIMP": the advisory lock imports take on PostgreSQL


@dataclass
class ImportBatch:
    """Everything one import writes, applied in a single transaction."""

    creates: list[Contact] = field(default_factory=list)
    updates: list[Contact] = field(default_factory=list)
    photos: dict[int, bytes] = field(default_factory=dict)  # new photos of updated contacts
    invitations: list[Invitation] = field(default_factory=list)
    snapshot: NetworkSnapshot | None = None
    # The snapshot's contact ids mapped to the contacts they became (ids known after insert).
    snapshot_contacts: dict[int, Contact] = field(default_factory=dict)
    # The row digest each created or updated contact now holds, by ``id()`` of the Contact
    # object in ``creates`` or ``updates`` (see ``ParsedContact.digest``); absent: none.
    digests: dict[int, str] = field(default_factory=dict)
    # Stored contacts the import left as they were, with the digest of the row that did so.
    marks: list[tuple[int, str]] = field(default_factory=list)
    # New contacts a column at a time, with each row's digest (None: none), written after
    # ``creates``: no Contact object is built for them, and none gets an id back.
    create_columns: list[tuple[ContactColumns, list[str | None]]] = field(default_factory=list)
    # The only fields of ``creates`` that may differ from a new contact's, when known (the
    # parsers said which they set, and no row was merged into another): the rest is not read.
    create_fields: frozenset[str] | None = None

    @property
    def changes_data(self) -> bool:
        """Whether writing it changes anything but digests (so a backup is worth making)."""
        return bool(
            self.creates or self.create_columns or self.updates or self.invitations or self.snapshot
        )

    @property
    def created(self) -> int:
        """How many contacts it creates."""
        return len(self.creates) + sum(len(columns) for columns, _ in self.create_columns)


def invitation_identity(invitation: Invitation) -> str:
    """What tells one invitation from another: its source key, else who, whom and when."""
    if invitation.source_key:
        return invitation.source_key
    sent = invitation.sent_at.isoformat() if invitation.sent_at else ""
    return "|".join((invitation.direction, invitation.from_name, invitation.to_name, sent))


class _Rehearsed(Exception):
    """Raised inside the transaction of a rehearsal so that it is rolled back."""

    def __init__(self, counts: SnapshotCounts) -> None:
        super().__init__("rehearsal")
        self.counts = counts


# The longest text each contact column holds; longer imported values are cut to fit.
CONTACT_TEXT_LIMITS: dict[str, int] = {
    column.key: int(column.type.length)
    for column in ContactRow.__table__.columns
    if isinstance(column.type, String) and column.type.length and column.key != "import_digest"
}


def _sqlite_datetime(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


# How the SQLite driver is handed a contact's columns (what SQLAlchemy would write): the
# columns stored as they are, then those converted (JSON lists, enums, dates, stamps).
_RAW_ENUMS = ("location_status", "stage")
_RAW_DATES = ("connected_on", "last_met")
_RAW_STAMPS = ("created_at", "updated_at")
_RAW_CONVERTED = (*_RAW_ENUMS, *_RAW_DATES, *_RAW_STAMPS)
_RAW_JSON = sorted(_JSON_COLUMNS)
_RAW_PLAIN = [k for k in _WRITE_COLUMNS if k not in _JSON_COLUMNS and k not in _RAW_CONVERTED]
_RAW_TAKEN = [*_RAW_PLAIN, *_RAW_JSON, *_RAW_CONVERTED]
# A new contact's values, which the columns of fields an import did not set all hold.
_BLANK_VALUES: dict[str, Any] = {k: Contact(first_name="").__dict__[k] for k in _RAW_TAKEN}


def _enum_text(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


@lru_cache(maxsize=16_384)  # an import's dates: a few thousand days, in chunks of 2,000 rows
def _date_text(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _by_value(values: Sequence[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """``convert`` applied to each value, once per distinct value (a few enums, dates)."""
    converted = {value: convert(value) for value in set(values)}
    return list(map(converted.__getitem__, values))


def _columns_of(
    contacts: list[Contact], fields: frozenset[str] | None = None
) -> dict[str, Sequence[Any]]:
    """The stored fields of ``contacts`` a column at a time, each value taken in one C call
    per row. ``fields``, when given, are the only fields of these contacts that may differ
    from a new contact's: the others are not read at all."""
    taken = _RAW_TAKEN if fields is None else [k for k in _RAW_TAKEN if k in fields]
    if not taken or not contacts:
        return {}
    take = operator.itemgetter(*taken) if len(taken) > 1 else _one_tuple(taken[0])
    return dict(zip(taken, zip(*map(take, map(vars, contacts)), strict=True), strict=True))


def _insert_raw(
    session: Session,
    given: Mapping[str, Sequence[Any]],
    count: int,
    digests: Sequence[str | None],
    stamp: str,
) -> None:
    """Insert ``count`` new contacts, ``given`` a column per field they set, through the
    SQLite driver's ``executemany``."""
    names, rows, constants = _raw_rows(given, count, digests, stamp)
    sql = (
        f"INSERT INTO contacts ({', '.join([*names, *constants])}) "
        f"VALUES ({', '.join(['?' for _ in names] + list(constants.values()))})"
    )
    session.connection().exec_driver_sql(sql, rows)


def _raw_rows(
    given: Mapping[str, Sequence[Any]],
    count: int,
    digests: Sequence[str | None],
    stamp: str,
) -> tuple[list[str], list[tuple[Any, ...]], dict[str, str]]:
    """The columns and rows of one INSERT (30,000 rows at a time), and the columns whose
    value every row shares, as SQL literals.

    ``given`` holds a column per field set (``_columns_of``); the other fields hold a new
    contact's value. Each conversion runs once per distinct value (a few enums and dates)
    or not at all (no list in the column, no stamp set). A column NULL in every row is left
    out of the statement (NULL is its default), and one that holds the same text in every
    row is written into it: the driver binds neither."""
    if not count:
        return [], [], {}
    columns: dict[str, Sequence[Any]] = {k: given[k] for k in _RAW_TAKEN if k in given}
    shared: dict[str, Any] = {  # the fields not read: a new contact's value, converted once
        name: _raw_value(name, _BLANK_VALUES[name], stamp)
        for name in _RAW_TAKEN
        if name not in columns
    }
    for name in _RAW_JSON:
        lists = columns.get(name)
        if lists is not None:
            columns[name] = list(map(_json_text, lists)) if any(lists) else ["[]"] * count
    for name in _RAW_ENUMS:
        if name in columns:
            columns[name] = _by_value(columns[name], _enum_text)
    for name in _RAW_DATES:
        if name in columns:
            columns[name] = list(map(_date_text, columns[name]))
    for name in _RAW_STAMPS:
        when = columns.get(name)
        if when is not None:
            columns[name] = (
                [stamp] * count  # an import's new contacts: stamped now
                if when.count(None) == count
                else [_stamp_text(w, stamp) for w in when]
            )
    columns["import_digest"] = digests
    names: list[str] = []
    constants: dict[str, str] = {}
    for name, value in shared.items():
        if isinstance(value, str):
            constants[name] = _literal(value)
        elif value is not None:
            columns[name] = [value] * count
    for name, values in columns.items():
        first = values[0]
        # ``count`` compares by identity first: a column of one shared object is quick. The
        # first name is always bound, so the statement has a row to insert per contact.
        if (
            name != "first_name"
            and (first is None or type(first) is str)
            and values[-1] == first  # a quick look before counting every value
            and values.count(first) == count
        ):
            if first is not None:
                constants[name] = _literal(first)
            continue
        names.append(name)
    return names, list(zip(*(columns[name] for name in names), strict=True)), constants


def _raw_value(name: str, value: Any, stamp: str) -> Any:
    """One value as ``_raw_rows`` hands it to the driver (its columns, a column at a time)."""
    if name in _JSON_COLUMNS:
        return _json_text(value)
    if name in _RAW_ENUMS:
        return _enum_text(value)
    if name in _RAW_DATES:
        return _date_text(value)
    if name in _RAW_STAMPS:
        return _stamp_text(value, stamp)
    return value


def _json_text(values: list[Any] | None) -> str:
    return json.dumps(values) if values else "[]"


def _stamp_text(value: datetime | None, stamp: str) -> str:
    """A time stamp as stored; ``stamp`` (now) where the contact has none yet."""
    return stamp if value is None else _sqlite_datetime(value)


def _literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _one_tuple(name: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    get = operator.itemgetter(name)
    return lambda values: (get(values),)


def _python_value(key: str, value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if key in _JSON_COLUMNS and value is None:
        return []
    return value


class ImportRepository:
    """Reads what merging needs and writes an import's result in one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._local = threading.local()  # this thread's held import transaction, if any

    @property
    def _raw(self) -> bool:
        return self.db.engine.dialect.name == "sqlite"

    # One import at a time ------------------------------------------------------------------
    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the write lock from the first read of the stored contacts to the last write.

        Two imports at once (two processes, or the window and the command line) run one
        after the other: the second waits for the first to commit, then reads, merges
        against and writes on top of what the first wrote, so nothing is created twice.
        The lock is taken lazily, at the first read, so that files are parsed without it;
        everything written inside is committed when the block ends, or rolled back.
        """
        if getattr(self._local, "stack", None) is not None:
            raise RuntimeError("an import is already holding the write lock in this thread")
        with ExitStack() as stack:
            self._local.stack = stack
            self._local.session = None
            try:
                yield
            finally:
                self._local.stack = None
                self._local.session = None

    def _held(self) -> Session | None:
        """The locked session of an ``exclusive`` block (opened on first use), else None."""
        stack: ExitStack | None = getattr(self._local, "stack", None)
        if stack is None:
            return None
        session: Session | None = self._local.session
        if session is None:
            session = stack.enter_context(self.db.session())
            self._lock(session)
            self._local.session = session
        return session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        held = self._held()
        if held is not None:
            yield held
            return
        with self.db.read() as session:
            yield session

    def _lock(self, session: Session) -> None:
        """Take the database's write lock now, waiting for another writer to finish.

        pysqlite begins a transaction only at the first INSERT, so a read before it sees
        the database as it was before another process's import committed; ``BEGIN
        IMMEDIATE`` as the first statement takes the lock before anything is read.
        """
        dialect = self.db.engine.dialect.name
        if dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_IMPORT_LOCK})
            return
        if dialect != "sqlite":
            return
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:  # each attempt waits the connection's busy timeout
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() >= deadline:
                    raise

    # Reading ----------------------------------------------------------------------------
    def load_contacts(self) -> list[tuple[Contact, int | None]]:
        """Every stored contact with the length of its photo (None for none).

        Photos and time stamps are left out (photo and created_at are None): merging
        compares photos by length first and reads only those it must.
        """
        columns = ["id", *_LOAD_COLUMNS, "length(photo)"]
        result: list[tuple[Contact, int | None]] = []
        with self._reading() as session:
            if self._raw:
                sql = f"SELECT {', '.join(columns)} FROM contacts ORDER BY id"
                rows = session.connection().exec_driver_sql(sql).all()
                for row in rows:
                    result.append(_contact_from_raw(row))
            else:
                stmt = select(
                    *(_TABLE.c[name] for name in ["id", *_LOAD_COLUMNS]),
                    func.length(_TABLE.c.photo),
                ).order_by(_TABLE.c.id)
                for row in session.execute(stmt):
                    values = dict(zip(["id", *_LOAD_COLUMNS], row[:-1], strict=True))
                    result.append((_contact_from_values(values), row[-1]))
        return result

    def photos(self, ids: Sequence[int]) -> dict[int, bytes | None]:
        """The stored photos of these contacts."""
        found: dict[int, bytes | None] = {}
        with self._reading() as session:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                stmt = select(ContactRow.id, ContactRow.photo).where(ContactRow.id.in_(chunk))
                for contact_id, photo in session.execute(stmt):
                    found[contact_id] = photo
        return found

    def import_marks(self) -> dict[str, int]:
        """The row digest each contact already holds (see ``ContactRow.import_digest``)."""
        with self._reading() as session:
            rows = session.execute(
                select(_TABLE.c.import_digest, _TABLE.c.id).where(
                    _TABLE.c.import_digest.is_not(None)
                )
            ).all()  # fetched at once: row by row costs more than the rest of a re-import
            return dict(map(tuple, rows))

    def invitation_keys(self) -> set[str]:
        """The identity (see ``invitation_identity``) of every stored invitation."""
        with self._reading() as session:
            rows = session.scalars(select(InvitationRow)).all()
            return {invitation_identity(to_domain(row, Invitation)) for row in rows}

    def invitations(self) -> list[Invitation]:
        """Every stored invitation, oldest first."""
        with self.db.read() as session:
            rows = session.scalars(select(InvitationRow).order_by(InvitationRow.id)).all()
            return [to_domain(row, Invitation) for row in rows]

    def load_snapshot(self) -> NetworkSnapshot:
        """Everything in the database as one snapshot (for a JSON export)."""
        with self.db.read() as session:
            contacts = [
                to_domain(row, Contact)
                for row in session.scalars(select(ContactRow).order_by(ContactRow.id))
            ]
            meetings_rows = session.scalars(select(MeetingRow).order_by(MeetingRow.id)).all()
            links = meeting_contact_ids(session, [row.id for row in meetings_rows])
            snapshot = NetworkSnapshot(
                contacts=contacts,
                venues=_all(session, VenueRow, Venue),
                trips=_all(session, TripRow, Trip),
                meetings=[
                    to_domain(row, Meeting, contact_ids=links.get(row.id, []))
                    for row in meetings_rows
                ],
                debriefs=_all(session, DebriefRow, Debrief),
                follow_ups=_all(session, FollowUpRow, FollowUp),
                target_companies=_all(session, TargetCompanyRow, TargetCompany),
                user_locations=[
                    to_domain(row, UserLocation)
                    for row in session.scalars(
                        select(UserLocationRow).order_by(UserLocationRow.kind)
                    )
                ],
            )
            criteria = session.get(ConnectionCriteriaRow, 1)
            snapshot.criteria = to_domain(criteria, ConnectionCriteria) if criteria else None
        return snapshot

    # Writing ----------------------------------------------------------------------------
    def write(
        self, batch: ImportBatch, progress: ProgressSink | None = None, rehearse: bool = False
    ) -> SnapshotCounts:
        """Apply the whole batch in one transaction; cancelling leaves the database as it was.

        With ``rehearse`` everything is written and then rolled back: the counts of a
        NetPlanner export's venues, trips and meetings are known only by trying.
        """
        try:
            return self._write(batch, progress or NullProgress(), rehearse)
        except _Rehearsed as done:
            for contact in batch.creates:
                contact.id = None
            return done.counts

    def _write(self, batch: ImportBatch, sink: ProgressSink, rehearse: bool) -> SnapshotCounts:
        held = self._held()
        if held is None:
            with self.db.session() as session:
                self._lock(session)
                return self._write_in(session, batch, sink, rehearse)
        if not rehearse:
            return self._write_in(held, batch, sink, rehearse)
        with held.begin_nested():  # a rehearsal inside a held import rolls back only itself
            return self._write_in(held, batch, sink, rehearse)

    def _write_in(
        self, session: Session, batch: ImportBatch, sink: ProgressSink, rehearse: bool
    ) -> SnapshotCounts:
        total = batch.created + len(batch.updates) + len(batch.invitations) + 1
        done = 0
        with self._indexes_after(session, batch.created):
            for start in range(0, len(batch.creates), CHUNK):
                check_cancelled(sink)
                chunk = batch.creates[start : start + CHUNK]
                self._insert_contacts(session, chunk, batch.digests, batch.create_fields)
                done += len(chunk)
                sink.report(done, total, "Saving contacts")
            for columns, digests in batch.create_columns:
                for start in range(0, len(columns), CHUNK):
                    check_cancelled(sink)
                    stop = min(start + CHUNK, len(columns))
                    self._insert_columns(session, columns, digests, start, stop)
                    done += stop - start
                    sink.report(done, total, "Saving contacts")
        for start in range(0, len(batch.updates), CHUNK):
            check_cancelled(sink)
            chunk = batch.updates[start : start + CHUNK]
            self._update_contacts(session, chunk, batch.photos, batch.digests)
            done += len(chunk)
            sink.report(done, total, "Saving contacts")
        if batch.marks:
            self._mark_contacts(session, batch.marks)
        check_cancelled(sink)
        if batch.invitations:
            values = [to_row_values(inv, InvitationRow, _NO_ID) for inv in batch.invitations]
            session.execute(insert(InvitationRow), values)
            done += len(batch.invitations)
        counts = SnapshotCounts()
        if batch.snapshot is not None:
            counts = store_snapshot(session, batch.snapshot, batch.snapshot_contacts)
        check_cancelled(sink)
        if rehearse:
            raise _Rehearsed(counts)
        sink.report(total, total, "Saved")
        return counts

    @contextmanager
    def _indexes_after(self, session: Session, creates: int) -> Iterator[None]:
        """On SQLite, build the contact indexes after a bulk insert instead of row by row.

        When an import at least doubles a table of thousands, dropping the indexes and
        creating them again afterwards (SQLite sorts once) takes a fraction of updating
        them for each row. Inside the import's transaction, so nothing else ever sees the
        table without them; an error or a cancellation rolls the drop back too."""
        if not self._raw or creates < BULK_INSERT_ROWS:
            yield
            return
        connection = session.connection()
        stored = connection.exec_driver_sql("SELECT count(*) FROM contacts").scalar() or 0
        if creates < stored:
            yield
            return
        indexes = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL"
        ).all()
        for name, _ in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        # A larger page cache for the while: the inserted pages and the sorts stay in it.
        cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        try:
            yield
            for _, ddl in indexes:
                connection.exec_driver_sql(ddl)
        finally:
            with suppress(DBAPIError):  # never in the place of what went wrong inside
                connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache or -2000)}")

    def _insert_contacts(
        self,
        session: Session,
        contacts: list[Contact],
        digests: dict[int, str],
        fields: frozenset[str] | None = None,
    ) -> None:
        now = datetime.now(UTC)
        if self._raw:
            before = session.connection().exec_driver_sql("SELECT max(id) FROM contacts").scalar()
            columns = _columns_of(contacts, fields)
            digest_column = list(map(digests.get, map(id, contacts)))
            _insert_raw(session, columns, len(contacts), digest_column, _sqlite_datetime(now))
            connection = session.connection()
            start = before or 0
            # SQLite gives each new row the largest id plus one, and the import holds the
            # write lock: the ids follow on from ``before``. Checked, never assumed.
            last, count = connection.exec_driver_sql(
                "SELECT max(id), count(*) FROM contacts WHERE id > ?", (start,)
            ).one()
            if count == len(contacts) and last == start + count:
                ids: Sequence[int] = range(start + 1, start + count + 1)
            else:
                ids = (
                    connection.exec_driver_sql(
                        "SELECT id FROM contacts WHERE id > ? ORDER BY id", (start,)
                    )
                    .scalars()
                    .all()
                )
        else:
            dicts = []
            for contact in contacts:
                values = {
                    key: _python_value(key, contact.__dict__.get(key)) for key in _WRITE_COLUMNS
                }
                values["created_at"] = values["created_at"] or now
                values["updated_at"] = values["updated_at"] or now
                values["import_digest"] = digests.get(id(contact))
                dicts.append(values)
            stmt = insert(_TABLE).returning(_TABLE.c.id, sort_by_parameter_order=True)
            ids = session.execute(stmt, dicts).scalars().all()
        for contact, new_id in zip(contacts, ids, strict=True):
            contact.id = int(new_id)

    def _insert_columns(
        self,
        session: Session,
        columns: ContactColumns,
        digests: list[str | None],
        start: int,
        stop: int,
    ) -> None:
        """Insert rows ``start`` to ``stop`` of ``columns`` (see ``ImportBatch``)."""
        chunk = {name: values[start:stop] for name, values in columns.columns.items()}
        if self._raw:
            stamp = _sqlite_datetime(datetime.now(UTC))
            _insert_raw(session, chunk, stop - start, digests[start:stop], stamp)
            return
        contacts = ContactColumns(chunk, stop - start).contacts()
        by_object = {id(c): d for c, d in zip(contacts, digests[start:stop], strict=True) if d}
        self._insert_contacts(session, contacts, by_object, frozenset(chunk))

    def _update_contacts(
        self,
        session: Session,
        contacts: list[Contact],
        photos: dict[int, bytes],
        digests: dict[int, str],
    ) -> None:
        now = datetime.now(UTC)
        keys = [k for k in _WRITE_COLUMNS if k not in ("photo", "created_at", "updated_at")]
        plain = [c for c in contacts if c.id not in photos]
        with_photo = [c for c in contacts if c.id in photos]
        for group, columns in ((plain, keys), (with_photo, [*keys, "photo"])):
            if not group:
                continue
            stmt = (
                update(_TABLE)
                .where(_TABLE.c.id == bindparam("_id"))
                .values({key: bindparam(key) for key in [*columns, "updated_at", "import_digest"]})
            )
            params = []
            for contact in group:
                values = {key: _python_value(key, contact.__dict__.get(key)) for key in keys}
                if columns is not keys:
                    values["photo"] = photos[contact.id or 0]
                values["updated_at"] = now
                values["import_digest"] = digests.get(id(contact))
                values["_id"] = contact.id
                params.append(values)
            session.connection().execute(stmt, params)

    def _mark_contacts(self, session: Session, marks: list[tuple[int, str]]) -> None:
        """Give unchanged contacts their digest without touching anything else, the time
        stamp included (an explicit value keeps the column's on-update clock off)."""
        stmt = (
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("_id"))
            .values(import_digest=bindparam("digest"), updated_at=_TABLE.c.updated_at)
        )
        params = [{"_id": contact_id, "digest": digest} for contact_id, digest in marks]
        for start in range(0, len(params), CHUNK):
            session.connection().execute(stmt, params[start : start + CHUNK])


def _all(session: Session, row_type: Any, cls: type[Any]) -> list[Any]:
    return [to_domain(row, cls) for row in session.scalars(select(row_type).order_by(row_type.id))]


def _contact_from_values(values: dict[str, Any]) -> Contact:
    """A Contact from column values, built without ``__init__`` (30,000 at a time).

    Every dataclass field is a loaded column or set here, so the object is complete.
    """
    for key in _JSON_COLUMNS:
        value = values.get(key)
        values[key] = list(value) if value else []
    values["first_name"] = values.get("first_name") or ""
    values["last_name"] = values.get("last_name") or ""
    values["location_status"] = LocationStatus(values["location_status"])
    values["stage"] = RelationshipStage(values["stage"])
    values["photo"] = values["created_at"] = values["updated_at"] = None
    contact = Contact.__new__(Contact)
    contact.__dict__.update(values)
    return contact


_RAW_NAMES = ["id", *_LOAD_COLUMNS]
_DATE_COLUMNS = frozenset({"connected_on", "last_met"})


def _contact_from_raw(row: Sequence[Any]) -> tuple[Contact, int | None]:
    values = dict(zip(_RAW_NAMES, row, strict=False))
    for key in _JSON_COLUMNS:
        raw = values[key]
        values[key] = json.loads(raw) if raw and raw != "[]" else []
    for key in _DATE_COLUMNS:
        if values[key] is not None:
            values[key] = date.fromisoformat(values[key])
    return _contact_from_values(values), row[-1]

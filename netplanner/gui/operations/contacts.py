"""The contacts use cases of the window, each a named operation with its changes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from netplanner.domain.changes import Changes
from netplanner.domain.entities import Contact, UserLocation
from netplanner.domain.errors import NetPlannerError, NotFoundError
from netplanner.domain.places import PlaceMatch
from netplanner.domain.progress import ProgressSink
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.models.contacts_model import NAME, PreparedContacts, haystacks, prepare
from netplanner.gui.operations import OpHost, QueryOp, WriteOp, Written
from netplanner.settings import Settings

if TYPE_CHECKING:  # the first table is painted before any of these is imported
    from netplanner.services.contacts import ContactService
    from netplanner.services.criteria import CriteriaService
    from netplanner.services.locations import LocationService
    from netplanner.services.timeline import TimelineEntry, TimelineService
    from netplanner.storage.repositories.contacts import DeletedContacts

# Past this many changed contacts, re-reading the whole list is cheaper than one by one.
BULK_CHANGE = 500


class ContactServices(Protocol):
    """What the contacts use cases need (an ``AppContext`` has all of it)."""

    @property
    def contacts(self) -> ContactService: ...

    @property
    def timeline(self) -> TimelineService: ...

    @property
    def locations(self) -> LocationService: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def criteria(self) -> CriteriaService: ...


@dataclass(frozen=True)
class ContactList:
    """Every contact for the table, with what the distance column needs."""

    contacts: list[ContactSummary]
    home: tuple[float, float] | None
    units: str
    prepared: PreparedContacts | None = None  # filtered and sorted by, worked out already


@dataclass(frozen=True)
class ContactDetail:
    """One contact in full (with its photo) and its history, for the detail panel."""

    contact: Contact
    timeline: list[TimelineEntry]


@dataclass(frozen=True)
class ChangedContacts:
    """The current state of contacts named in a change: found ones, and ids now gone."""

    found: list[Contact]
    gone: frozenset[int]


def home_point(services: ContactServices) -> tuple[float, float] | None:
    """The user's home (lat, lon), or None when unset or unreadable."""
    try:
        home = services.locations.get_home()
    except NetPlannerError:
        return None
    return (float(home.lat), float(home.lon)) if home is not None else None


def quick_database_file(services: object) -> Path | None:
    """The SQLite file to read the first table from, while the database is not open yet.

    The window paints its first table before SQLAlchemy is even imported: when the file is
    NetPlanner's at the current schema (``storage.quick_listing``), the list is read from it
    with the standard library, and the database opens on the worker afterwards.
    """
    if getattr(services, "database_open", True):
        return None
    url = str(getattr(services, "db_url", ""))
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    return Path(url.removeprefix("sqlite:///"))


def load_contact_list(
    host: OpHost,
    services: ContactServices,
    sorting: tuple[int, bool] = (NAME, False),
    done: threading.Event | None = None,
) -> QueryOp[ContactList]:
    """Every contact, prepared for the table on the worker in the table's sort order
    (``done``: set once the worker has read them, however that went)."""

    def read(_progress: ProgressSink) -> ContactList:
        try:
            return read_list()
        finally:
            if done is not None:
                done.set()

    def read_list() -> ContactList:
        units = services.settings.units
        database_file = quick_database_file(services)
        if database_file is not None:
            from netplanner.storage.quick_listing import read_table_listing

            listing = read_table_listing(database_file)
            if listing is not None:  # the first table: its haystacks once it is painted
                contacts, home = listing.contacts, listing.home
                prepared = prepare(contacts, home, units, *sorting, searchable=False)
                return ContactList(contacts, home, units, prepared)
        contacts, home = services.contacts.list_for_table(), home_point(services)
        return ContactList(contacts, home, units, prepare(contacts, home, units, *sorting))

    return QueryOp(host, "Load contacts", read, latest="contact-list")


def make_searchable(host: OpHost, contacts: list[ContactSummary]) -> QueryOp[list[str]]:
    """The haystacks of a table shown without them (``ContactTableModel.unsearched``)."""
    return QueryOp(host, "Prepare the filter", lambda _progress: haystacks(contacts))


def read_contact_detail(
    host: OpHost, services: ContactServices, contact_id: int
) -> QueryOp[ContactDetail]:
    """The selected contact; only the latest selection's answer is shown."""

    def read(_progress: ProgressSink) -> ContactDetail:
        return ContactDetail(
            services.contacts.get(contact_id), services.timeline.for_contact(contact_id)
        )

    return QueryOp(host, "Read contact", read, latest="contact-detail")


def read_changed_contacts(
    host: OpHost, services: ContactServices, ids: Iterable[int]
) -> QueryOp[ChangedContacts]:
    wanted = sorted(set(ids))

    def read(_progress: ProgressSink) -> ChangedContacts:
        found: list[Contact] = []
        gone: set[int] = set()
        for contact_id in wanted:
            try:
                found.append(services.contacts.get(contact_id))
            except NotFoundError:
                gone.add(contact_id)
        return ChangedContacts(found, frozenset(gone))

    return QueryOp(host, "Read changed contacts", read)


@dataclass
class EditRecord:
    """One edit as the worker saw it: the stored values before, and the saved contact.

    ``before`` is read on the write worker right before the write, so a second quick edit
    of the same field remembers the first edit, not the value on screen when it was made.
    """

    after: Contact
    fields: list[str]
    before: Contact | None = None


def save_edit(
    host: OpHost,
    services: ContactServices,
    record: EditRecord,
    *,
    undo: bool = False,
    initiator: object | None = None,
) -> WriteOp[Contact]:
    """Write ``record.after`` (or, to undo, ``record.before``) for the fields edited."""

    def write(_progress: ProgressSink) -> Written[Contact]:
        if undo:
            if record.before is None:
                raise NotFoundError("There is nothing to undo for this edit.")
            saved = services.contacts.update(record.before, record.fields)
        else:
            contact_id = record.after.id
            if contact_id is None:
                raise NotFoundError("Only a stored contact can be edited.")
            record.before = services.contacts.get(contact_id)
            saved = services.contacts.update(record.after, record.fields)
        return Written(saved, Changes.of_contacts([saved.id]))

    label = "Undo edit" if undo else "Save contact"
    return WriteOp(host, label, write, initiator=initiator)


def delete_contacts(
    host: OpHost,
    services: ContactServices,
    ids: Sequence[int],
    keep: Callable[[DeletedContacts], None],
    initiator: object | None = None,
) -> WriteOp[int]:
    """Delete contacts; ``keep`` receives, on the worker, what an undo needs to put back."""

    def write(_progress: ProgressSink) -> Written[int]:
        deleted = services.contacts.delete(ids)
        keep(deleted)
        return Written(len(deleted.contacts), Changes.of_contacts(ids))

    return WriteOp(host, "Delete contacts", write, initiator=initiator)


def restore_contacts(
    host: OpHost,
    services: ContactServices,
    take: Callable[[], DeletedContacts | None],
    initiator: object | None = None,
) -> WriteOp[list[Contact]]:
    """Put deleted contacts back; ``take`` hands over, on the worker, what the delete kept."""

    def write(_progress: ProgressSink) -> Written[list[Contact]]:
        deleted = take()
        restored = services.contacts.restore(deleted) if deleted is not None else []
        return Written(restored, Changes.of_contacts(c.id for c in restored))

    return WriteOp(host, "Restore contacts", write, initiator=initiator)


def set_location(
    host: OpHost,
    services: ContactServices,
    contact: Contact,
    text: str,
    match: PlaceMatch | None,
    initiator: object | None = None,
) -> WriteOp[Contact]:
    """Save the place typed (and chosen) for a contact by hand."""

    def write(_progress: ProgressSink) -> Written[Contact]:
        saved = services.contacts.set_location(contact, text, match)
        return Written(saved, Changes.of_contacts([saved.id]))

    return WriteOp(host, "Save location", write, initiator=initiator)


def read_misfits(host: OpHost, services: ContactServices) -> QueryOp[dict[int, str]]:
    """The contacts that do not fit the user's criteria, each with why in words (the one
    matcher of ``criteria check`` and the suggestions)."""

    def read(_progress: ProgressSink) -> dict[int, str]:
        return {
            v.contact.id: "; ".join(v.verdict.reasons)
            for v in services.criteria.evaluate_contacts()
            if v.contact.id is not None and not v.verdict.fits
        }

    return QueryOp(host, "Check contacts against your criteria", read, latest="contacts-misfits")


def read_home(host: OpHost, services: ContactServices) -> QueryOp[UserLocation | None]:
    def read(_progress: ProgressSink) -> UserLocation | None:
        return services.locations.get_home()

    return QueryOp(host, "Read home", read)


def set_home(
    host: OpHost, services: ContactServices, text: str, initiator: object | None = None
) -> WriteOp[UserLocation]:
    """Locate and save the user's home; an unknown place fails with one sentence."""

    def write(_progress: ProgressSink) -> Written[UserLocation]:
        return Written(services.locations.set_home(text), Changes(home=True))

    return WriteOp(host, "Save home", write, initiator=initiator)

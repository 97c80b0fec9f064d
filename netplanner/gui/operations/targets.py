"""Target companies: the companies, the people you know there, who is near your next trip.

One read gives every target with its people, so selecting a company answers at once; the
writes say ``Changes(criteria=True)``, because a target company moves the suggestions'
ranking in Plan and the "at a target company" verdicts everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from netplanner.domain.changes import Changes
from netplanner.domain.entities import Contact, TargetCompany, Trip
from netplanner.domain.errors import InputError
from netplanner.domain.geo import distance_km
from netplanner.domain.progress import ProgressSink
from netplanner.gui.operations import OpHost, QueryOp, WriteOp, Written
from netplanner.services.criteria import CriteriaService, company_key
from netplanner.services.planning import PlanningService, user_point
from netplanner.settings import Settings

# Someone this close to where you stay on your next trip is worth a coffee while there.
NEAR_KM = 50.0

TARGETS_CHANGED = Changes(criteria=True)


class TargetsServices(Protocol):
    """What the Target companies page needs (an ``AppContext`` has it)."""

    @property
    def criteria(self) -> CriteriaService: ...

    @property
    def planner(self) -> PlanningService: ...

    @property
    def settings(self) -> Settings: ...


@dataclass(frozen=True)
class PersonThere:
    """Someone you know at a target company, as the "People there" table shows them."""

    contact_id: int
    name: str
    position: str | None
    where: str | None
    last_met: date | None
    # From where you stay on the next trip; None when either place is unknown.
    km_to_next_trip: float | None

    @property
    def near_next_trip(self) -> bool:
        return self.km_to_next_trip is not None and self.km_to_next_trip <= NEAR_KM


@dataclass(frozen=True)
class TargetRow:
    """A target company and the people you know there (matched as the matcher does)."""

    target: TargetCompany
    people: tuple[PersonThere, ...]

    @property
    def target_id(self) -> int:
        return self.target.id or 0


@dataclass(frozen=True)
class TargetsAnswer:
    """Everything the page shows: the targets, the next trip and the units to speak in."""

    targets: tuple[TargetRow, ...]
    next_trip: Trip | None
    units: str = "km"

    @property
    def people_count(self) -> int:
        """People you know at any target, each counted once (one may match two targets)."""
        return len({p.contact_id for row in self.targets for p in row.people})

    def row_for(self, target_id: int) -> TargetRow | None:
        return next((row for row in self.targets if row.target_id == target_id), None)

    def row_named(self, key: str) -> TargetRow | None:
        """The target whose name reduces to ``key`` (``company_key``)."""
        return next((row for row in self.targets if company_key(row.target.name) == key), None)


def next_trip(trips: Sequence[Trip], today: date) -> Trip | None:
    """The first trip (by start) that has not ended by ``today``: the one you are on, or next."""
    ahead = [t for t in trips if t.end_date >= today]
    return min(ahead, key=lambda t: (t.start_date, t.id or 0)) if ahead else None


def person_there(contact: Contact, trip: Trip | None) -> PersonThere:
    km: float | None = None
    if trip is not None and contact.lat is not None and contact.lon is not None:
        lat, lon = user_point(trip)
        km = distance_km(lat, lon, contact.lat, contact.lon)
    return PersonThere(
        contact.id or 0, contact.name, contact.position, contact.location_text, contact.last_met, km
    )


def read_targets(host: OpHost, services: TargetsServices, today: date) -> QueryOp[TargetsAnswer]:
    """Every target company with the people there, and who of them is near the next trip."""

    def read(_progress: ProgressSink) -> TargetsAnswer:
        trip = next_trip(services.planner.list_trips(), today)
        rows = tuple(
            TargetRow(match.target, tuple(person_there(c, trip) for c in match.contacts))
            for match in services.criteria.contacts_at_targets()
        )
        return TargetsAnswer(rows, trip, services.settings.units)

    return QueryOp(host, "Read target companies", read, latest="network-targets")


def check_new_target(name: str, existing: Sequence[TargetCompany]) -> str:
    """The name to store, or an ``InputError`` when it is empty or names a target already.

    "Nimbus Cloud GmbH" is "Nimbus Cloud": names are compared as the matcher compares them.
    """
    clean = " ".join(name.split())
    key = company_key(clean)
    if not key:
        raise InputError("Type the name of the company to add.")
    for target in existing:
        if company_key(target.name) == key:
            raise InputError(f"{target.name} is already one of your target companies.")
    return clean


def add_target(host: OpHost, services: TargetsServices, name: str) -> WriteOp[TargetCompany]:
    """Add a target company; an empty name or one already there is refused."""

    def write(_progress: ProgressSink) -> Written[TargetCompany]:
        criteria = services.criteria
        clean = check_new_target(name, criteria.list_targets())
        return Written(criteria.add_target(clean), TARGETS_CHANGED)

    return WriteOp(host, "Add target company", write)


def remove_target(
    host: OpHost,
    services: TargetsServices,
    target_id: int | Callable[[], int],
    keep: Callable[[TargetCompany], None] | None = None,
) -> WriteOp[TargetCompany]:
    """Remove a target company; ``keep`` receives it, on the worker, for an undo.

    ``target_id`` may be a callable read on the worker: after an undo the company comes back
    with a new id, and a redo queued right behind the undo must find that one.
    """

    def write(_progress: ProgressSink) -> Written[TargetCompany]:
        wanted = target_id() if callable(target_id) else target_id
        criteria = services.criteria
        target = next((t for t in criteria.list_targets() if t.id == wanted), None)
        if target is None:
            raise InputError("That company is no longer one of your target companies.")
        criteria.remove_target(wanted)
        if keep is not None:
            keep(target)
        return Written(target, TARGETS_CHANGED)

    return WriteOp(host, "Remove target company", write)


def restore_target(
    host: OpHost,
    services: TargetsServices,
    take: Callable[[], TargetCompany | None],
    restored: Callable[[TargetCompany], None] | None = None,
) -> WriteOp[TargetCompany | None]:
    """Put back a removed target company (its name and notes); ``restored`` hears its new id."""

    def write(_progress: ProgressSink) -> Written[TargetCompany | None]:
        removed = take()
        if removed is None:
            return Written(None, Changes())
        target = services.criteria.add_target(removed.name, removed.notes)
        if restored is not None:
            restored(target)
        return Written(target, TARGETS_CHANGED)

    return WriteOp(host, "Restore target company", write)

"""The Plan use cases: where the user will be, who is near it, and the trips themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Protocol

from netplanner.domain.changes import Changes
from netplanner.domain.entities import Trip, UserLocation
from netplanner.domain.progress import ProgressSink
from netplanner.domain.ranking import Rescorer, Suggestion
from netplanner.domain.trips import DeletedTrip
from netplanner.gui.models.plan_state import NOW
from netplanner.gui.operations import OpHost, QueryOp, WriteOp, Written
from netplanner.services.locations import LocationService
from netplanner.services.planning import (
    PlanningService,
    SuggestionRequest,
    UnlocatedHint,
    user_point,
)
from netplanner.services.trips import TripImportPreview
from netplanner.settings import Settings

# Suggestions are ranked out to at least this far, so narrowing the radius is instant.
WIDE_KM = 50.0


class PlanServices(Protocol):
    """What Plan needs (an ``AppContext`` has it)."""

    @property
    def planner(self) -> PlanningService: ...

    @property
    def locations(self) -> LocationService: ...

    @property
    def settings(self) -> Settings: ...


@dataclass(frozen=True)
class Places:
    """The choices of "Where will you be?": now (home or current location) and the trips."""

    now: UserLocation | None
    trips: list[Trip]
    today: date


@dataclass(frozen=True)
class PlanAnswer:
    """Who is near one place: the ranked suggestions and what the map needs to draw them."""

    where: int
    request: SuggestionRequest | None
    # Best first at ``radius_km``. Each keeps the score of the wide ranking: the window
    # shows the order, never the number (``Rescorer.order``).
    suggestions: list[Suggestion]
    radius_km: float
    base: tuple[float, float] | None
    base_label: str
    hint: UnlocatedHint | None
    # Everyone within ``ranked_km`` (at least the radius), ranked: a narrower radius is
    # answered from these without a new query (``domain.ranking.at_radius``).
    wide: tuple[Suggestion, ...] = ()
    ranked_km: float = 0.0
    rescorer: Rescorer | None = field(default=None, compare=False, repr=False)

    def narrowed_to(self, radius_km: float) -> PlanAnswer:
        """The same answer for a radius no larger than ``ranked_km``."""
        rescorer = self.rescorer or Rescorer(self.wide, self.ranked_km)
        return replace(
            self, suggestions=rescorer.order(radius_km), radius_km=radius_km, rescorer=rescorer
        )


def read_places(host: OpHost, services: PlanServices) -> QueryOp[Places]:
    def read(_progress: ProgressSink) -> Places:
        return Places(services.locations.where_am_i(), services.planner.list_trips(), date.today())

    return QueryOp(host, "Read trips", read, latest="plan-places")


def read_suggestions(
    host: OpHost, services: PlanServices, where: int, radius_km: float
) -> QueryOp[PlanAnswer]:
    """Everyone within the radius of the place, ranked; the latest control change wins."""

    def read(_progress: ProgressSink) -> PlanAnswer:
        planner = services.planner
        if where == NOW:
            request = planner.request_now()
            base = (request.lat, request.lon) if request is not None else None
        else:
            request = planner.request_for_trip(where)
            base = user_point(planner.get_trip(where))
        if request is None:
            return PlanAnswer(where, None, [], radius_km, None, "", None)
        ranked_km = max(radius_km, WIDE_KM)
        wide = planner.suggest(request, radius_km=ranked_km, limit=None)
        hint = planner.unlocated_hint(request)
        answer = PlanAnswer(
            where,
            request,
            [],
            radius_km,
            base,
            request.label,
            hint,
            tuple(wide),
            ranked_km,
            Rescorer(wide, ranked_km),  # made on the worker, so the window's steps are quick
        )
        return answer.narrowed_to(radius_km)

    return QueryOp(host, "Find who is near", read, latest="plan-suggestions")


@dataclass(frozen=True)
class TripDraft:
    """A trip as the dialog has it."""

    place: str
    start: date
    end: date
    name: str | None = None
    base: str | None = None
    notes: str | None = None
    place_changed: bool = True  # False: the trip keeps its place (and where it was found)
    base_changed: bool = True  # likewise for the base
    base_point: tuple[float, float] | None = None  # placed by hand on the map


def save_trip(
    host: OpHost, services: PlanServices, draft: TripDraft, trip_id: int | None = None
) -> WriteOp[Trip]:
    """Add a trip, or change one; an unknown place fails with the similar names."""

    def write(_progress: ProgressSink) -> Written[Trip]:
        planner = services.planner
        if trip_id is None:
            trip = planner.add_trip(
                draft.place, draft.start, draft.end, draft.name, draft.base,
                notes=draft.notes, base_point=draft.base_point,
            )  # fmt: skip
        else:
            # "" clears a base or notes the user emptied; None would keep the old ones.
            trip = planner.update_trip(
                trip_id, place=draft.place if draft.place_changed else None,
                start=draft.start, end=draft.end,
                name=draft.name or "", base=(draft.base or "") if draft.base_changed else None,
                notes=draft.notes or "", base_point=draft.base_point,
            )  # fmt: skip
        return Written(trip, Changes(trips=frozenset({trip.id or 0})))

    return WriteOp(host, "Save trip", write)


def delete_trip(
    host: OpHost, services: PlanServices, trip_id: int, keep: Callable[[DeletedTrip], None]
) -> WriteOp[Trip]:
    """Delete a trip; ``keep`` receives, on the worker, what an undo puts back."""

    def write(_progress: ProgressSink) -> Written[Trip]:
        deleted = services.planner.delete_trip(trip_id)
        keep(deleted)
        return Written(deleted.trip, Changes(trips=frozenset({trip_id})))

    return WriteOp(host, "Delete trip", write)


def restore_trip(
    host: OpHost, services: PlanServices, take: Callable[[], DeletedTrip | None]
) -> WriteOp[Trip | None]:
    def write(_progress: ProgressSink) -> Written[Trip | None]:
        deleted = take()
        trip = services.planner.restore_trip(deleted) if deleted is not None else None
        ids = frozenset({trip.id}) if trip is not None and trip.id is not None else frozenset()
        return Written(trip, Changes(trips=ids))

    return WriteOp(host, "Restore trip", write)


def preview_trip_import(
    host: OpHost, services: PlanServices, path: Path
) -> QueryOp[TripImportPreview]:
    """What importing the calendar file would create, update and skip; nothing is written."""

    def read(_progress: ProgressSink) -> TripImportPreview:
        return services.planner.preview_trip_import(path)

    return QueryOp(host, "Preview trips from a calendar", read)


def import_trips(host: OpHost, services: PlanServices, path: Path) -> WriteOp[TripImportPreview]:
    """Import the calendar's trips in one transaction; a bad file changes nothing."""

    def write(_progress: ProgressSink) -> Written[TripImportPreview]:
        report = services.planner.import_trips(path)
        ids = frozenset(item.trip_id for item in report.trips if item.trip_id is not None)
        return Written(report, Changes(trips=ids))

    return WriteOp(host, "Import trips", write)

"""``trip add``, ``trips``, ``nearby``, ``suggest`` and ``venues``: planning the coffee."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from netplanner.commands.output import add_unit_option, chosen_unit, emit_json, print_table
from netplanner.domain.errors import InputError

if TYPE_CHECKING:
    from datetime import date

    from netplanner.domain.entities import Trip
    from netplanner.domain.fairness import VenueOption
    from netplanner.domain.ranking import Suggestion
    from netplanner.services.context import AppContext

# The defaults of --radius and --limit are the services' own, read when a command runs:
# importing the services to build the parser would load SQLAlchemy for --help.


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    trip = sub.add_parser("trip", help="plan a trip")
    trip_sub = trip.add_subparsers(dest="trip_command", metavar="ACTION", required=True)
    add = trip_sub.add_parser("add", parents=[common], help="add a trip to a place")
    add.add_argument("place", metavar="PLACE", help="where, as you would write it")
    add.add_argument("--from", dest="start", metavar="DATE", required=True, help="first day")
    add.add_argument("--to", dest="end", metavar="DATE", required=True, help="last day")
    add.add_argument("--name", help="a name for the trip (default: place and month)")
    add.add_argument("--base", metavar="ADDRESS", help="where you stay: a hotel, an office")
    add.add_argument("--notes", metavar="TEXT", help="notes about the trip")
    add.set_defaults(handler=run_trip_add)

    edit = trip_sub.add_parser("edit", parents=[common], help="change a trip")
    edit.add_argument("trip_id", type=int, metavar="ID")
    edit.add_argument("--place", metavar="PLACE", help="where, as you would write it")
    edit.add_argument("--from", dest="start", metavar="DATE", help="first day")
    edit.add_argument("--to", dest="end", metavar="DATE", help="last day")
    edit.add_argument("--name", metavar="TEXT", help="a name ('' for the default name)")
    edit.add_argument("--base", metavar="ADDRESS", help="where you stay ('' for none)")
    edit.add_argument("--notes", metavar="TEXT", help="notes about the trip ('' for none)")
    edit.set_defaults(handler=run_trip_edit)

    delete = trip_sub.add_parser("delete", parents=[common], help="delete a trip")
    delete.add_argument("trip_id", type=int, metavar="ID")
    delete.set_defaults(handler=run_trip_delete)

    read = trip_sub.add_parser(
        "import", parents=[common], help="trips from a calendar file (.ics): events with a place"
    )
    read.add_argument("file", metavar="FILE.ics", help="an .ics file (TripIt, Google, Outlook)")
    read.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    read.set_defaults(handler=run_trip_import)

    trips = sub.add_parser("trips", parents=[common], help="list your trips")
    trips.set_defaults(handler=run_trips)

    nearby = sub.add_parser("nearby", parents=[common], help="contacts near a place")
    nearby.add_argument("place", metavar="PLACE")
    nearby.add_argument("--radius", type=float, metavar="KM", help="in km (default 25)")
    add_unit_option(nearby)
    nearby.set_defaults(handler=run_nearby)

    suggest = sub.add_parser("suggest", parents=[common], help="whom to meet, with reasons")
    where = suggest.add_mutually_exclusive_group(required=True)
    where.add_argument("--trip", type=int, metavar="ID", help="one of your trips")
    where.add_argument("--at", metavar="PLACE", help="a place")
    suggest.add_argument("--from", dest="start", metavar="DATE", help="first day (with --at)")
    suggest.add_argument("--to", dest="end", metavar="DATE", help="last day (with --at)")
    suggest.add_argument("--radius", type=float, metavar="KM", help="in km (default 25)")
    suggest.add_argument("--limit", type=int, metavar="N", help="at most N (default 20)")
    add_unit_option(suggest)
    suggest.set_defaults(handler=run_suggest)

    venues = sub.add_parser("venues", parents=[common], help="neutral venues for a coffee")
    venues.add_argument("--contact", type=int, metavar="ID", required=True)
    side = venues.add_mutually_exclusive_group(required=True)
    side.add_argument("--trip", type=int, metavar="ID", help="meet during this trip")
    side.add_argument("--at", metavar="PLACE", help="meet from this place")
    venues.add_argument(
        "--online", action="store_true", help="also ask OpenStreetMap (if allowed in settings)"
    )
    venues.add_argument("--limit", type=int, metavar="N", help="at most N (default 10)")
    add_unit_option(venues)
    venues.set_defaults(handler=run_venues)


def parse_date(text: str | None, what: str) -> date | None:
    """An ISO date from the command line, or ``InputError`` saying how to write it."""
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"The {what} date '{text}' is not a date; write dates like 2026-12-03."
        ) from None


def trip_json(trip: Trip) -> dict[str, Any]:
    """The trip object of CLI.md (plus the base, when there is one)."""
    return {
        "id": trip.id,
        "name": trip.name,
        "place": trip.place_text,
        "lat": trip.lat,
        "lon": trip.lon,
        "timezone": trip.timezone,
        "from": trip.start_date.isoformat(),
        "to": trip.end_date.isoformat(),
        "base": trip.base_address,
        "base_lat": trip.base_lat,
        "base_lon": trip.base_lon,
        "notes": trip.notes,
    }


def run_trip_add(args: argparse.Namespace, context: AppContext) -> int:
    start = parse_date(args.start, "start")
    end = parse_date(args.end, "end")
    assert start is not None and end is not None
    trip = context.planner.add_trip(
        args.place, start, end, name=args.name, base=args.base, notes=args.notes
    )
    _print_trip(args, trip)
    return 0


def _print_trip(args: argparse.Namespace, trip: Trip) -> None:
    if args.json:
        emit_json(trip_json(trip))
    else:
        print(
            f"Trip {trip.id}: {trip.name}, {trip.place_text}, "
            f"{trip.start_date.isoformat()} to {trip.end_date.isoformat()} ({trip.timezone})"
        )


def run_trip_edit(args: argparse.Namespace, context: AppContext) -> int:
    trip = context.planner.update_trip(
        args.trip_id,
        place=args.place,
        start=parse_date(args.start, "start"),
        end=parse_date(args.end, "end"),
        name=args.name,
        base=args.base,
        notes=args.notes,
    )
    _print_trip(args, trip)
    return 0


def run_trip_delete(args: argparse.Namespace, context: AppContext) -> int:
    deleted = context.planner.delete_trip(args.trip_id)
    if args.json:
        emit_json({"deleted": 1, "id": deleted.trip.id, "meetings": list(deleted.meeting_ids)})
    else:
        kept = len(deleted.meeting_ids)
        tail = f"; its {kept} meeting(s) are kept, on no trip" if kept else ""
        print(f"Deleted trip {deleted.trip.id}: {deleted.trip.name}{tail}.")
    return 0


def run_trip_import(args: argparse.Namespace, context: AppContext) -> int:
    from pathlib import Path

    result = context.planner.import_trips(Path(args.file), dry_run=args.dry_run)
    if args.json:
        emit_json(
            {
                "created": result.created,
                "updated": result.updated,
                "skipped": [{"event": s.event, "reason": s.reason} for s in result.skipped],
                "unchanged": result.unchanged,
                "dry_run": result.dry_run,
                "trips": [
                    {
                        "action": item.action,
                        "id": item.trip_id,
                        "name": item.name,
                        "place": item.place,
                        "from": item.start.isoformat(),
                        "to": item.end.isoformat(),
                        "events": list(item.event_uids),
                    }
                    for item in result.trips
                ],
            }
        )
        return 0
    verb = "would be" if result.dry_run else "were"
    print(
        f"Trips from {args.file}: {result.created} {verb} created, {result.updated} updated, "
        f"{result.unchanged} unchanged; {len(result.skipped)} events skipped."
    )
    for item in result.trips:
        if item.action != "unchanged":
            print(
                f"  {item.action}: {item.name}, {item.place}, "
                f"{item.start.isoformat()} to {item.end.isoformat()}"
            )
    for skipped in result.skipped:
        print(f"  skipped {skipped.event}: {skipped.reason}")
    if result.dry_run:
        print("Nothing was written (--dry-run).")
    return 0


def run_trips(args: argparse.Namespace, context: AppContext) -> int:
    trips = context.planner.list_trips()
    if args.json:
        emit_json([trip_json(t) for t in trips])
        return 0
    if not trips:
        print("No trips yet; add one with 'netplanner trip add PLACE --from DATE --to DATE'.")
        return 0
    print_table(
        ["ID", "Name", "Place", "From", "To", "Base"],
        [
            [t.id, t.name, t.place_text, t.start_date, t.end_date, t.base_address or ""]
            for t in trips
        ],
    )
    return 0


def _radius(args: argparse.Namespace) -> float:
    from netplanner.services.planning import DEFAULT_RADIUS_KM

    return DEFAULT_RADIUS_KM if args.radius is None else float(args.radius)


def run_nearby(args: argparse.Namespace, context: AppContext) -> int:
    from netplanner.domain.geo import format_km

    match = context.planner.resolve(args.place)
    radius_km = _radius(args)
    found = context.planner.nearby(match.lat, match.lon, radius_km)
    if args.json:
        emit_json(
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "company": p.company,
                    "location": p.location_text,
                    "distance_km": round(d, 2),
                }
                for p, d in found
            ]
        )
        return 0
    unit = chosen_unit(args, context.settings.units)
    radius = format_km(radius_km, unit)
    if not found:
        print(f"Nobody in your network is within {radius} of {match.name}.")
        return 0
    print_table(
        ["ID", "Name", "Company", "Location", "Distance"],
        [[p.id, p.name, p.company, p.location_text, format_km(d, unit)] for p, d in found],
    )
    print(f"{len(found)} contacts within {radius} of {match.name}")
    return 0


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {
        "id": s.contact.id,
        "name": s.contact.name,
        "company": s.contact.company,
        "distance_km": round(s.distance_km, 2),
        "score": s.score,
        "reasons": list(s.reasons),
    }


def run_suggest(args: argparse.Namespace, context: AppContext) -> int:
    from netplanner.domain.geo import format_km
    from netplanner.services.planning import DEFAULT_LIMIT

    planner = context.planner
    start = parse_date(args.start, "start")
    end = parse_date(args.end, "end")
    if args.trip is not None:
        if start is not None or end is not None:
            raise InputError("--from and --to go with --at; a trip has its own dates.")
        request = planner.request_for_trip(args.trip)
    else:
        request = planner.request_at(args.at, start, end)
    # --unit changes what people read; JSON keeps the settings' unit in its reasons.
    unit = context.settings.units if args.json else chosen_unit(args, context.settings.units)
    radius_km = _radius(args)
    limit = DEFAULT_LIMIT if args.limit is None else args.limit
    found = planner.suggest(request, radius_km, limit, unit=unit)
    if args.json:
        emit_json([suggestion_json(s) for s in found])
        return 0
    if not found:
        print(f"Nobody in your network is within {format_km(radius_km, unit)} there.")
        return 0
    for rank, s in enumerate(found, start=1):
        company = f" ({s.contact.company})" if s.contact.company else ""
        print(f"{rank:>2}. [{s.contact.id}] {s.contact.name}{company}  score {s.score:g}")
        for reason in s.reasons:
            print(f"      - {reason}")
    return 0


def venue_json(option: VenueOption) -> dict[str, Any]:
    from netplanner.services.venues import OSM_ATTRIBUTION

    v = option.venue
    return {
        "name": v.name,
        "address": v.address,
        "lat": v.lat,
        "lon": v.lon,
        "kind": v.kind,
        "source": v.source,
        "distance_user_km": option.distance_user_km,
        "distance_contact_km": option.distance_contact_km,
        "worst_trip_km": option.worst_trip_km,
        "id": v.id,
        "rating": None if option.rating is None else round(option.rating, 2),
        "attribution": OSM_ATTRIBUTION if v.source == "openstreetmap" else None,
    }


def run_venues(args: argparse.Namespace, context: AppContext) -> int:
    from netplanner.domain.fairness import Point
    from netplanner.domain.geo import format_km
    from netplanner.services.planning import user_point
    from netplanner.services.venues import DEFAULT_LIMIT

    contact = context.contact_repo.get(args.contact)
    hotel_name = None
    hotel = None
    if args.trip is not None:
        trip = context.planner.get_trip(args.trip)
        lat, lon = user_point(trip)
        if trip.base_lat is not None and trip.base_lon is not None:
            hotel_name, hotel = trip.base_address, Point(trip.base_lat, trip.base_lon)
    else:
        match = context.planner.resolve(args.at)
        lat, lon = match.lat, match.lon
    notes: list[str] = []
    online = bool(args.online and context.settings.venues.online)
    if args.online and not context.settings.venues.online:
        notes.append(
            "Online venue search is off in the settings (venues.online); showing saved venues only."
        )
    answer = context.venue_finder.find(
        Point(lat, lon),
        contact,
        online=online,
        hotel_name=hotel_name,
        hotel=hotel,
        limit=DEFAULT_LIMIT if args.limit is None else args.limit,
    )
    notes += answer.notes
    if args.json:
        emit_json([venue_json(o) for o in answer.options])
        for note in notes:
            print(f"netplanner: {note}", file=sys.stderr)
        return 0
    for note in notes:
        print(note)
    if answer.options:
        unit = chosen_unit(args, context.settings.units)
        print_table(
            ["Venue", "Kind", "Source", "You", contact.first_name or "Them", "Worst trip"],
            [
                [
                    o.venue.name,
                    o.venue.kind,
                    o.venue.source,
                    format_km(o.distance_user_km, unit),
                    format_km(o.distance_contact_km, unit),
                    format_km(o.worst_trip_km, unit),
                ]
                for o in answer.options
            ],
        )
    if answer.attribution:
        print(answer.attribution)
    return 0

"""``netplanner locate``, ``netplanner geocode`` and ``netplanner contact set-location``.

Online geocoding is used only with ``--online`` and when it is switched on in the settings;
otherwise the offline gazetteer answers, and the command says so.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from netplanner.commands.contacts import contact_json
from netplanner.commands.output import emit_json, print_table

if TYPE_CHECKING:
    from netplanner.domain.places import LocateResult
    from netplanner.services.context import AppContext

OSM_ATTRIBUTION = "Online results © OpenStreetMap contributors (ODbL)."
GEONAMES_ATTRIBUTION = "Offline data: GeoNames (CC BY 4.0)."


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    locate = sub.add_parser(
        "locate", parents=[common], help="find where places are (offline unless --online)"
    )
    locate.add_argument("places", nargs="+", metavar="PLACE", help="a place as people write it")
    locate.add_argument(
        "--online", action="store_true", help="ask the online service (if enabled in settings)"
    )
    locate.set_defaults(handler=run_locate)

    geocode = sub.add_parser(
        "geocode", parents=[common], help="place every contact whose location is not resolved"
    )
    geocode.add_argument(
        "--online", action="store_true", help="ask the online service (if enabled in settings)"
    )
    geocode.set_defaults(handler=run_geocode)

    contact = sub.add_parser("contact", help="change one contact")
    contact_sub = contact.add_subparsers(dest="contact_command", metavar="ACTION", required=True)
    set_location = contact_sub.add_parser(
        "set-location", parents=[common], help="set and geocode one contact's location"
    )
    set_location.add_argument("contact_id", type=int, metavar="ID")
    set_location.add_argument("place", metavar="PLACE")
    set_location.add_argument(
        "--choice",
        type=int,
        default=None,
        metavar="N",
        help="pick candidate N (0 = best; see 'netplanner locate')",
    )
    set_location.set_defaults(handler=run_set_location)


def _use_online(args: argparse.Namespace, context: AppContext) -> bool:
    """Whether to go online; warns when --online was asked for but is switched off."""
    if not args.online:
        return False
    if context.geocoding.online_allowed(True):
        return True
    print(
        "netplanner: online geocoding is off in the settings "
        "([geocoding] online = true); using the offline gazetteer.",
        file=sys.stderr,
    )
    return False


def locate_json(result: LocateResult) -> dict[str, Any]:
    """The object ``netplanner locate --json`` prints for one place."""
    best = result.best
    return {
        "query": result.query,
        "found": best is not None,
        "lat": best.lat if best else None,
        "lon": best.lon if best else None,
        "name": best.name if best else None,
        "country_code": best.country_code if best else None,
        "admin1": best.admin1 if best else None,
        "timezone": best.timezone if best else None,
        "source": best.source if best else None,
        "candidates": len(result.candidates),
        "failed": result.failed,
        # Why this place: the part of the text that named it, and the parts set aside.
        "matched": result.matched,
        "ignored": list(result.ignored),
    }


def run_locate(args: argparse.Namespace, context: AppContext) -> int:
    online = _use_online(args, context)
    results = [context.geocoding.lookup(text, online=online) for text in args.places]
    if args.json:
        emit_json([locate_json(r) for r in results])
        return 0
    rows: list[list[object]] = []
    for r in results:
        best = r.best
        if best is None:
            rows.append([r.query, "failed" if r.failed else "not found", "", "", "", ""])
        else:
            rows.append(
                [
                    r.query,
                    best.name,
                    f"{best.lat:.4f}",
                    f"{best.lon:.4f}",
                    best.timezone,
                    len(r.candidates),
                ]
            )
    print_table(["Query", "Place", "Lat", "Lon", "Time zone", "Candidates"], rows)
    print(OSM_ATTRIBUTION if online else GEONAMES_ATTRIBUTION)
    return 0


def run_geocode(args: argparse.Namespace, context: AppContext) -> int:
    online = _use_online(args, context)
    report = context.geocoding.geocode_all(online=online)
    if args.json:
        emit_json(report.as_json())
        return 0
    where = "online" if report.online else "offline (GeoNames gazetteer)"
    print(
        f"Geocoded {report.places} distinct locations {where}: {report.located} contacts "
        f"located, {report.not_found} not found, {report.failed} failed; "
        f"{report.requests} online requests."
    )
    if report.gave_up:
        print(
            "The geocoding service kept failing, so the rest was left for the next run "
            "(they are marked failed, not 'not found')."
        )
    if report.online:
        print(OSM_ATTRIBUTION)
    return 0


def run_set_location(args: argparse.Namespace, context: AppContext) -> int:
    choice = context.geocoding.set_location(args.contact_id, args.place, choice=args.choice)
    if args.json:
        document = contact_json(choice.contact)
        document.update(
            {
                "place": choice.match.name,
                "country_code": choice.contact.country_code,
                "status": choice.contact.location_status.value,
                "candidates": len(choice.candidates),
            }
        )
        emit_json(document)
        return 0
    print(
        f"{choice.contact.name} is now in {choice.match.name} "
        f"({choice.match.lat:.4f}, {choice.match.lon:.4f}, {choice.contact.timezone})."
    )
    return 0

"""``netplanner contacts``: list and search contacts."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from netplanner.commands.output import add_unit_option, chosen_unit, emit_json, print_table
from netplanner.domain.errors import InputError

if TYPE_CHECKING:
    from netplanner.domain.entities import Contact
    from netplanner.services.context import AppContext


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("contacts", parents=[common], help="list or search contacts")
    parser.add_argument("--query", help="words to find in name, company, position, location, tags")
    parser.add_argument("--near", metavar="PLACE", help="only contacts near this place")
    parser.add_argument(
        "--radius", type=float, metavar="KM", help="with --near: the radius in km (default 25)"
    )
    add_unit_option(parser)
    parser.set_defaults(handler=run_contacts, quick=quick_contacts)


def contact_json(contact: Contact) -> dict[str, Any]:
    """The contact object of CLI.md."""
    return {
        "id": contact.id,
        "name": contact.name,
        "company": contact.company,
        "position": contact.position,
        "location": contact.location_text,
        "lat": contact.lat,
        "lon": contact.lon,
        "timezone": contact.timezone,
    }


def run_contacts(args: argparse.Namespace, context: AppContext) -> int:
    if args.radius is not None and args.near is None:
        raise InputError("--radius goes with --near PLACE.")
    contacts = context.contacts.search(args.query)
    near: dict[int | None, float] = {}
    if args.near is not None:
        from netplanner.services.planning import DEFAULT_RADIUS_KM

        match = context.planner.resolve(args.near)
        radius = DEFAULT_RADIUS_KM if args.radius is None else args.radius
        near = {point.id: km for point, km in context.planner.nearby(match.lat, match.lon, radius)}
        contacts = sorted((c for c in contacts if c.id in near), key=lambda c: near[c.id or 0])
    return _show(args, contacts, near, context.settings.units)


def quick_contacts(args: argparse.Namespace) -> int | None:
    """The plain listing straight from the SQLite file; None when the full path must answer."""
    import os

    from netplanner.paths import DB_URL_ENV, resolve_paths

    if args.query or args.near is not None or args.radius is not None:
        return None
    if args.db_url or os.environ.get(DB_URL_ENV):
        return None  # another database: only the full path knows it
    from netplanner.settings import load_settings
    from netplanner.storage.quick_listing import read_contact_list

    paths = resolve_paths(args.data_dir)
    contacts = read_contact_list(paths.database_file)
    if contacts is None:
        return None
    settings = load_settings(paths.settings_file)
    for warning in settings.warnings:
        print(f"netplanner: warning: {warning}", file=sys.stderr)
    return _show(args, contacts, {}, settings.units)


def _show(
    args: argparse.Namespace, contacts: list[Contact], near: dict[int | None, float], units: str
) -> int:
    if args.json:
        emit_json([contact_json(c) for c in contacts])
        return 0
    headers = ["ID", "Name", "Company", "Position", "Location"]
    rows: list[list[object]] = [
        [c.id, c.name, c.company, c.position, c.location_text] for c in contacts
    ]
    if near:
        from netplanner.domain.geo import format_km

        unit = chosen_unit(args, units)
        headers.append("Distance")
        for row, contact in zip(rows, contacts, strict=True):
            row.append(format_km(near[contact.id], unit))
    print_table(headers, rows)
    print(f"{len(contacts)} contacts")
    return 0

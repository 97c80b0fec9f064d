"""``netplanner contacts``: list and search contacts."""

from __future__ import annotations

import argparse
from typing import Any

from netplanner.commands.output import emit_json, print_table
from netplanner.domain.entities import Contact
from netplanner.services.context import AppContext


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("contacts", parents=[common], help="list or search contacts")
    parser.add_argument("--query", help="words to find in name, company, position, location, tags")
    parser.set_defaults(handler=run_contacts)


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
    contacts = context.contacts.search(args.query)
    if args.json:
        emit_json([contact_json(c) for c in contacts])
        return 0
    print_table(
        ["ID", "Name", "Company", "Position", "Location"],
        [[c.id, c.name, c.company, c.position, c.location_text] for c in contacts],
    )
    print(f"{len(contacts)} contacts")
    return 0

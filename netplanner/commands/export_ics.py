"""``netplanner export ics -o FILE (--meeting ID | --trip ID | --all) [--private]``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from netplanner.commands.output import emit_json

if TYPE_CHECKING:
    from netplanner.services.context import AppContext


def register_export(
    kinds: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = kinds.add_parser("ics", parents=[common], help="meetings as an iCalendar file")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting", type=int, metavar="ID")
    which.add_argument("--trip", type=int, metavar="ID")
    which.add_argument("--all", action="store_true")
    parser.add_argument(
        "--private",
        action="store_true",
        help="your own copy: the briefing and your notes, no attendees (never send it on)",
    )
    parser.set_defaults(handler=run_export_ics)


def run_export_ics(args: argparse.Namespace, context: AppContext) -> int:
    count = context.calendar.export(
        args.output,
        meeting_id=args.meeting,
        trip_id=args.trip,
        all_meetings=args.all,
        private=args.private,
    )
    if args.json:
        emit_json({"file": str(args.output), "meetings": count})
    else:
        print(f"Wrote {count} meeting(s) to {args.output}.")
    return 0

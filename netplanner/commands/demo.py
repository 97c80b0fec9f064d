"""``netplanner demo``: load the demo network into an empty database."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from netplanner.commands.output import emit_json

if TYPE_CHECKING:
    from netplanner.services.context import AppContext


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("demo", parents=[common], help="load the demo network")
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace, context: AppContext) -> int:
    counts = context.demo.load()
    if args.json:
        emit_json(counts)
    else:
        print(
            f"Loaded the demo network: {counts['contacts']} contacts, {counts['venues']} venues, "
            f"{counts['trips']} trips, {counts['meetings']} meetings."
        )
    return 0

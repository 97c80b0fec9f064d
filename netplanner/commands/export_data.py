"""``netplanner export json|csv -o FILE``: the network as NetPlanner JSON, contacts as CSV."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from netplanner.commands.output import emit_json

if TYPE_CHECKING:
    from netplanner.services.context import AppContext
    from netplanner.services.data_export import DataExporter


def register_export(
    kinds: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    json_parser = kinds.add_parser(
        "json", parents=[common], help="everything, re-importable with `netplanner import`"
    )
    json_parser.add_argument("-o", "--output", required=True, metavar="FILE")
    json_parser.set_defaults(handler=run_export_json)
    csv_parser = kinds.add_parser(
        "csv", parents=[common], help="contacts, safe to open in a spreadsheet"
    )
    csv_parser.add_argument("-o", "--output", required=True, metavar="FILE")
    csv_parser.set_defaults(handler=run_export_csv)


def _exporter(context: AppContext) -> DataExporter:
    from netplanner.services.data_export import DataExporter

    return DataExporter(context.importer.repo)


def run_export_json(args: argparse.Namespace, context: AppContext) -> int:
    # The name stays a string until the exporter checks it: Path("") would be the folder ".".
    counts = _exporter(context).export_json(args.output)
    if args.json:
        emit_json({"file": str(args.output), **counts})
    else:
        print(
            f"Wrote {args.output}: {counts['contacts']} contacts, {counts['venues']} venues, "
            f"{counts['trips']} trips, {counts['meetings']} meetings."
        )
    return 0


def run_export_csv(args: argparse.Namespace, context: AppContext) -> int:
    count = _exporter(context).export_csv(args.output)
    if args.json:
        emit_json({"file": str(args.output), "contacts": count})
    else:
        print(f"Wrote {args.output}: {count} contacts.")
    return 0

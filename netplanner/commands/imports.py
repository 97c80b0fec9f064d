"""``netplanner import FILE...``: contacts from LinkedIn, vCard, Google, Outlook, Thunderbird."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from netplanner.commands.output import emit_json

if TYPE_CHECKING:
    from netplanner.services.context import AppContext
    from netplanner.services.importers import ImportReport

AUTO = "auto"
# CLI.md's formats, plus thunderbird (address book CSVs) and netplanner-json (NetPlanner's own
# export, also recognised by auto). Written out rather than read from the importers, which
# would load every parser (vobject among them) just to print --help; a test keeps the two
# lists the same.
CLI_FORMATS = (
    AUTO,
    "linkedin",
    "linkedin-invitations",
    "vcard",
    "google",
    "outlook",
    "thunderbird",
    "netplanner-json",
)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser(
        "import",
        parents=[common],
        help="import contacts from LinkedIn, vCard, Google or Outlook exports",
        description=(
            "Import contacts. The format is recognised from the content; re-importing a file "
            "creates nothing. All files are imported in one transaction."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path, help="exported files")
    parser.add_argument(
        "--format",
        dest="import_format",
        choices=CLI_FORMATS,
        default=AUTO,
        help="the files' format (default: recognised from their content)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would happen; write nothing"
    )
    parser.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace, context: AppContext) -> int:
    files: list[Path] = list(args.files)
    if args.dry_run:
        reports = context.importer.preview(files, fmt=args.import_format)
    else:
        reports = context.importer.run(files, fmt=args.import_format)
    if args.json:
        documents = [report.to_json() for report in reports]
        emit_json(documents[0] if len(documents) == 1 else documents)
        return 0
    for report in reports:
        _print_report(report, args.dry_run)
    _offer_home(reports, context)
    return 0


def _offer_home(reports: list[ImportReport], context: AppContext) -> None:
    """A LinkedIn export's Profile.csv names where the user is: offered as home when none is set.

    The CLI has no command that sets home, so the line points to the window's Settings.
    """
    from netplanner.services.importers.archive import ArchiveReport

    place = next(
        (
            r.profile.location
            for r in reports
            if isinstance(r, ArchiveReport) and r.profile is not None and r.profile.location
        ),
        None,
    )
    if place is None or context.locations.get_home() is not None:
        return
    print(
        f"Your profile says you are in {place}: set it as your home in Settings "
        "(netplanner gui, Settings, Home)."
    )


def _print_report(report: ImportReport, dry_run: bool) -> None:
    verb = "would be" if dry_run else ""
    counts = ", ".join(
        f"{n} {verb} {what}".replace("  ", " ")
        for n, what in (
            (report.created, "created"),
            (report.updated, "updated"),
            (report.unchanged, "unchanged"),
        )
    )
    from netplanner.services.importers.archive import ArchiveReport

    if isinstance(report, ArchiveReport):  # a zip's own: what it held (its members follow)
        print(f"{report.file} ({report.format}): read {', '.join(report.members_read)}.")
    else:
        print(f"{report.file} ({report.format}): {counts}, {len(report.skipped)} skipped.")
    for line, reason in report.skipped:
        print(f"  line {line}: skipped, {reason}")
    for warning in report.warning_texts():
        print(f"  warning: {warning}")
    if report.unmapped_columns:
        print(f"  columns not read: {', '.join(report.unmapped_columns)}")

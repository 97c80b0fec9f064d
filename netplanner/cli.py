"""The command line; its contract is ../shared/CLI.md.

Exit codes: 0 success, 2 usage error, 3 bad input or not found (one line on stderr, nothing
written), 1 anything unexpected (a short message; the traceback goes to the log file).
Qt is imported only when the window is opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from netplanner import __version__

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3


def _common_options(suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before and after the command name."""
    default = argparse.SUPPRESS if suppress else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="PATH",
        default=default,
        help="where the database, backups and caches live (env NETPLANNER_DATA_DIR)",
    )
    common.add_argument(
        "--db-url",
        metavar="URL",
        default=default,
        help="an SQLAlchemy URL instead of the SQLite file (env NETPLANNER_DB_URL)",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="machine-readable output: one JSON document on stdout",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    from netplanner.commands import register_all

    parser = argparse.ArgumentParser(
        prog="netplanner",
        description="NetPlanner: meet your professional network face to face.",
        parents=[_common_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"netplanner {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_all(subparsers, _common_options(suppress=True))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--version"] or args_list == ["-V"]:
        print(f"netplanner {__version__}")
        return EXIT_OK
    try:
        parser = build_parser()
    except Exception as exc:  # a broken install: say so in one line, the details in the log
        where = _log_unexpected(argparse.Namespace())
        print(
            f"netplanner: cannot start: {_one_line(exc)}"
            + (f" (details in {where})" if where else ""),
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        from netplanner.commands.gui import run_gui_command

        args.demo = False
        return _guarded(lambda: run_gui_command(args, None), args)
    return _guarded(lambda: _run(args), args)


# Text typed on the command line is held to what the database keeps, like an import's
# (names 200, companies, places and titles 300, addresses 500); paragraphs (debriefs, notes,
# invitations) to 10,000 characters. Paths and URLs are the system's to limit.
_ONE_LINE_LIMIT = 300
_TEXT_LIMITS = {
    "venue_address": 500,
    "base": 500,
    "first_name": 200,
    "last_name": 200,
    "invitation": 10_000,
    "notes": 10_000,
    "food_drink": 10_000,
    "service": 10_000,
    "weather_journey": 10_000,
    "in_common": 10_000,
    "disliked": 10_000,
    "business": 10_000,
    "ambitions": 10_000,
    "challenges": 10_000,
    "learned": 10_000,
    "follow_ups": 1_000,
    # Comma-separated lists of names, each name within the one-line limit.
    "avoid_industries": 10_000,
    "avoid_titles": 10_000,
    "wanted_job_types": 10_000,
    "wanted_companies": 10_000,
    "wanted_areas": 10_000,
}
_NOT_TEXT = {"data_dir", "db_url", "output", "file", "files", "command", "backup", "to"}
_LARGEST_ID = 2**63 - 1  # SQLite's and PostgreSQL's largest integer


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse, in one sentence, a number no database can hold or a text longer than it keeps."""
    from netplanner.domain.errors import InputError

    for name, value in vars(args).items():
        if name in _NOT_TEXT or callable(value):
            continue
        what = name.replace("_", " ")
        for item in _flattened(value):
            if isinstance(item, bool):
                continue
            if isinstance(item, int) and not -_LARGEST_ID <= item <= _LARGEST_ID:
                raise InputError(f"The {what} given is too large ({item:.3g}); no record has it.")
            limit = _TEXT_LIMITS.get(name, _ONE_LINE_LIMIT)
            if isinstance(item, str) and len(item) > limit:
                raise InputError(
                    f"The {what} given is {len(item):,} characters long; at most {limit:,} "
                    "are kept, so it was refused."
                )


def _flattened(value: object) -> list[object]:
    if isinstance(value, list | tuple):
        return [inner for item in value for inner in _flattened(item)]
    return [value]


def _run(args: argparse.Namespace) -> int:
    from netplanner.commands.output import TerminalSafeOutput

    _check_arguments(args)
    real = sys.stdout
    if real is not None:  # None in a windowed bundle without a console
        sys.stdout = TerminalSafeOutput(real, json=bool(getattr(args, "json", False)))
    try:
        return _run_command(args)
    finally:
        sys.stdout = real


def _run_command(args: argparse.Namespace) -> int:
    if not getattr(args, "needs_context", True):
        return int(args.handler(args, None))
    quick = getattr(args, "quick", None)
    if quick is not None:
        # A command that can answer without opening the database through SQLAlchemy.
        answered = quick(args)
        if answered is not None:
            return int(answered)
    from netplanner.app import build_context

    context = build_context(args.data_dir, args.db_url)
    try:
        for warning in context.settings.warnings:
            print(f"netplanner: warning: {warning}", file=sys.stderr)
        return int(args.handler(args, context))
    finally:
        context.close()


def _guarded(run: object, args: argparse.Namespace) -> int:
    from netplanner.domain.errors import NetPlannerError

    assert callable(run)
    try:
        return int(run())
    except NetPlannerError as exc:
        from netplanner.commands.output import terminal_safe

        print(f"netplanner: {terminal_safe(exc)}", file=sys.stderr)  # it may quote a name
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("netplanner: interrupted; nothing more was written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OverflowError as exc:  # a stored year 1 or 9999 moved into a time zone
        print(
            f"netplanner: a date stored in the database is out of range ({exc}); "
            "`netplanner check` lists the rows that hold such dates.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except ImportError as exc:  # a library missing or broken: the install, not the user
        where = _log_unexpected(args)
        print(
            f"netplanner: cannot start: {_one_line(exc)}; reinstall NetPlanner"
            + (f" (details in {where})" if where else ""),
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    except Exception as exc:
        where = _log_unexpected(args)
        print(
            f"netplanner: unexpected error: {_one_line(exc)}"
            + (f" (details in {where})" if where else ""),
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


def _one_line(exc: BaseException) -> str:
    """``Type: message`` on one line; a database error's own cause, without its SQL."""
    cause = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error with the statement
    shown = cause if isinstance(cause, BaseException) else exc
    text = " ".join(str(shown).split())
    return f"{type(shown).__name__}: {text[:300]}" if text else type(shown).__name__


def _log_unexpected(args: argparse.Namespace) -> str | None:
    """Write the traceback to the log file; returns its path, or None if it cannot be written."""
    import traceback

    try:
        from netplanner.app import log_file
        from netplanner.paths import resolve_paths

        path = log_file(resolve_paths(getattr(args, "data_dir", None)))
        # 0600: a traceback may quote a contact's data.
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(descriptor, 0o600)  # a log an older version left readable, too
        with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
            handle.write(traceback.format_exc())
        return str(path)
    except Exception:  # no log folder (a bad --data-dir): the one line must do
        return None


if __name__ == "__main__":
    sys.exit(main())

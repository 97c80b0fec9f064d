"""``netplanner gui [--demo]``: open the main window."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netplanner.services.context import AppContext


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("gui", parents=[common], help="open the main window")
    parser.add_argument("--demo", action="store_true", help="open the demo network")
    parser.set_defaults(handler=run_gui_command, needs_context=False)


def run_gui_command(args: argparse.Namespace, context: AppContext | None) -> int:
    from netplanner.app import run_gui

    return run_gui(args.data_dir, args.db_url, demo=args.demo)

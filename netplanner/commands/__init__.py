"""The commands of the command line, one module per area; each has ``register(subparsers)``.

A module adds its sub-commands and sets ``handler`` on each parser: a function taking the
parsed arguments and the ``AppContext`` and returning the exit code.

Every module is imported to build the parser, for ``--help`` too, so at its top a module
imports only what the parser needs; services, and the domain modules its handlers use, are
imported inside the handlers (types under ``TYPE_CHECKING``). tests/cli/test_process.py
checks that ``--help`` loads neither Qt nor SQLAlchemy nor the calendar and geo libraries.
"""

from __future__ import annotations

import argparse
from importlib import import_module

COMMAND_MODULES: tuple[str, ...] = (
    "netplanner.commands.gui",
    "netplanner.commands.demo",
    "netplanner.commands.imports",
    "netplanner.commands.contacts",
    "netplanner.commands.geocode",
    "netplanner.commands.planning",
    "netplanner.commands.meetings",
    "netplanner.commands.criteria",
    "netplanner.commands.export",
    "netplanner.commands.maintenance",
)


def register_all(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    for name in COMMAND_MODULES:
        import_module(name).register(subparsers, common)

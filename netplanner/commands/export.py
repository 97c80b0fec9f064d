"""``netplanner export KIND``: each kind registered by its own module."""

from __future__ import annotations

import argparse
from importlib import import_module

EXPORT_MODULES: tuple[str, ...] = ("netplanner.commands.export_data",)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("export", parents=[common], help="write calendar or data files")
    kinds = parser.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    for name in EXPORT_MODULES:
        import_module(name).register_export(kinds, common)

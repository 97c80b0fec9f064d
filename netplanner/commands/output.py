"""Printing results: one JSON document with ``--json``, readable text otherwise.

Every command module imports this one to build its parser, so it imports ``json`` and
``datetime`` only when a result is printed: ``netplanner --help`` needs neither.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


def _default(value: object) -> object:
    from datetime import date  # a datetime is a date too

    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def emit_json(document: Any) -> None:
    """Write one JSON document to stdout."""
    import json

    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain aligned text table for people."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = min(max(widths[i], len(value)), 40)
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    for row in cells:
        print("  ".join(v[:40].ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def add_unit_option(parser: argparse.ArgumentParser) -> None:
    """``--unit km|mi``: the unit of distances people read; JSON stays in km."""
    parser.add_argument(
        "--unit", choices=("km", "mi"), help="distances for people (JSON stays in km)"
    )


def chosen_unit(args: argparse.Namespace, default: str) -> str:
    """The unit asked for with ``--unit``, else the one in the settings."""
    return str(getattr(args, "unit", None) or default)

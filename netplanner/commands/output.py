"""Printing results: one JSON document with ``--json``, readable text otherwise.

Every command module imports this one to build its parser, so it imports ``json`` and
``datetime`` only when a result is printed: ``netplanner --help`` needs neither.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Sequence
from typing import Any

# What a terminal would act on rather than show: C0 and C1 controls, DEL, the bidi
# embeddings, overrides and isolates, and the line and paragraph separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNPRINTABLE_KEEPING_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(value: object, keep_lines: bool = False) -> str:
    """``value`` as text a terminal shows and never obeys: controls appear as ``\\x1b``.

    Imports and edits keep such characters out of the database; this is for what got in
    before, or from elsewhere. ``keep_lines`` leaves line breaks and tabs (a paragraph of
    notes); in a table cell they are escaped too, so a row stays one line.
    """
    text = "" if value is None else str(value)
    pattern = _UNPRINTABLE_KEEPING_LINES if keep_lines else _UNPRINTABLE
    return pattern.sub(_escaped, text)


def _json_escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class TerminalSafeOutput:
    """A stdout through which no stored text can command the terminal.

    Every command's output goes through it (``cli`` puts it in place), so a name holding
    ``ESC]0;…`` or U+202E shows as ``\\x1b`` / ``\\u202e`` whatever printed it; lines and
    tabs pass. With ``json`` the escapes are JSON's own (``\\u001b``), valid where such a
    character can only be: inside a string (``json.dumps`` escapes the C0 ones already,
    but with ``ensure_ascii=False`` not C1 controls or bidi overrides).
    """

    def __init__(self, stream: Any, json: bool = False) -> None:
        self._stream = stream
        self._json = json

    def write(self, text: str) -> int:
        if self._json:
            safe = _UNPRINTABLE_KEEPING_LINES.sub(_json_escaped, text)
        else:
            safe = _UNPRINTABLE_KEEPING_LINES.sub(_escaped, text)
        self._stream.write(safe)
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def say(*parts: object) -> None:
    """``print`` for text that holds stored values: each part made terminal-safe."""
    print(*(terminal_safe(part, keep_lines=True) for part in parts))


def _default(value: object) -> object:
    from datetime import date  # a datetime is a date too

    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinity as ``None``: JSON has no such numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def emit_json(document: Any) -> None:
    """Write one JSON document to stdout; always valid JSON (never ``NaN``/``Infinity``)."""
    import json

    options: dict[str, Any] = {"ensure_ascii": False, "indent": 2, "default": _default}
    try:
        text = json.dumps(document, allow_nan=False, **options)
    except ValueError:  # a number that is no number got stored somehow: written as null
        text = json.dumps(_finite(document), allow_nan=False, **options)
    sys.stdout.write(text)
    sys.stdout.write("\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain aligned text table for people; one line a row, whatever a value holds."""
    cells = [[terminal_safe(v) for v in row] for row in rows]
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

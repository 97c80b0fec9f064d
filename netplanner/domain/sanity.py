"""Values the rest of NetPlanner relies on: clean text, finite places, known zones, sane years.

A value let in once is read by every other command: a zone that does not exist breaks the
meetings list, a year 1 start breaks the calendar export, ``NaN`` breaks JSON, an escape
sequence in a name retitles the terminal. These checks run where values come in (imports,
hand edits, the command line), so what is stored is always usable.
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netplanner.domain.errors import InputError

FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years meetings and trips are planned in
MAX_RADIUS_KM = 20_000.0  # half the Earth's circumference: every place is within it

# A whole escape sequence goes, not only its ESC: "ESC]0;title BEL" must not leave "]0;title".
_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: window titles, hyperlinks
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC in its C1 form
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor moves, erasing
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -~]?"  # any other ESC and the character it introduces
)
# C0 (but tab, LF, CR), DEL, C1, and the bidi embeddings, overrides and isolates.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_ONE_LINE = re.compile("[ \t]*[\t\n][ \t\n]*")
_ANY_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)  # one cheap test: nearly every value needs no change
_SINGLE_LINE_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def clean_text(text: str, multiline: bool = False) -> str:
    """``text`` without control characters, escape sequences or bidi overrides.

    ``multiline`` (notes, messages) keeps tabs and line breaks, written as ``\\n``; in a
    one-line field (a name, a company) they become spaces.
    """
    if not (_ANY_UNSAFE if multiline else _SINGLE_LINE_UNSAFE).search(text):
        return text
    text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    text = _LINE_BREAKS.sub("\n", text)
    if not multiline:
        text = _ONE_LINE.sub(" ", text).strip()
    return text


def is_finite_place(lat: float | None, lon: float | None) -> bool:
    """Whether ``lat``/``lon`` are real coordinates (no NaN, no infinity, on the globe)."""
    if lat is None or lon is None:
        return lat is None and lon is None
    return (
        math.isfinite(lat)
        and math.isfinite(lon)
        and -90.0 <= lat <= 90.0
        and -180.0 <= lon <= 180.0
    )


@lru_cache(maxsize=1024)
def is_known_zone(name: str | None) -> bool:
    """Whether ``name`` is an IANA time zone this system knows ("Mars/Olympus" is not)."""
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True


def in_planning_years(day: date) -> bool:
    """Whether ``day`` (a date or datetime) lies in the years NetPlanner plans in."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def check_planning_year(day: date, what: str) -> None:
    """Refuse a date outside ``FIRST_YEAR``–``LAST_YEAR`` in one sentence."""
    if not in_planning_years(day):
        raise InputError(
            f"The {what} {day.isoformat()[:10]} is outside the years {FIRST_YEAR}–{LAST_YEAR}; "
            "give a date in them."
        )


def check_radius_km(value: float) -> float:
    """A radius in km that is a real, positive distance; else one sentence."""
    if not math.isfinite(value) or value <= 0 or value > MAX_RADIUS_KM:
        raise InputError(
            f"The radius must be a positive number of km, at most {MAX_RADIUS_KM:,.0f}, "
            f"not {value:g}."
        )
    return float(value)

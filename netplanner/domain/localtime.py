"""Turning a local wall-clock time in an IANA zone into one UTC instant, never guessing.

A time skipped by a daylight-saving change (the spring-forward gap) or lived twice (the
fall-back fold) has no single instant: it is refused with both candidates named, unless the
caller chose one explicitly with ``fold`` (0 = the earlier reading of the clock, the offset in
force before the change; 1 = the offset after it), as in PEP 495.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netplanner.domain.errors import InputError


def zone(name: str) -> ZoneInfo:
    """The IANA zone called ``name``, or an ``InputError`` naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InputError(
            f"There is no time zone called '{name}'; give an IANA zone such as Europe/Lisbon."
        ) from None


def format_utc(instant: datetime) -> str:
    """An instant as ``2026-12-03T09:00:00Z``."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_local(text: str) -> datetime:
    """A naive local datetime from ``2026-12-03T10:00``; offsets are refused (time is local)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"'{text}' is not a local date and time; write it like 2026-12-03T10:00."
        ) from None
    if value.tzinfo is not None:
        raise InputError(
            f"'{text}' carries a UTC offset; give the local time without one "
            "(the zone comes from the venue, the trip or --tz)."
        )
    return value


def local_to_utc(local: datetime, zone_name: str, fold: int | None = None) -> datetime:
    """The UTC instant of the wall-clock time ``local`` in ``zone_name``.

    Refuses a time that does not exist or exists twice there unless ``fold`` picks one.
    """
    tz = zone(zone_name)
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first == second:
        return first
    if fold in (0, 1):
        return first if fold == 0 else second
    shown = naive.strftime("%Y-%m-%dT%H:%M")
    earlier, later = sorted((first, second))
    exists = (
        naive.replace(tzinfo=tz, fold=0).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        == naive
    )
    if exists:
        raise InputError(
            f"{shown} happens twice in {zone_name} (the clocks go back): it is either "
            f"{format_utc(earlier)} or {format_utc(later)}; choose one with fold 0 "
            "(the first) or 1 (the second)."
        )
    raise InputError(
        f"{shown} does not exist in {zone_name} (the clocks skip it): it would be either "
        f"{format_utc(first)} (fold 0, the offset before the change) or {format_utc(second)} "
        "(fold 1, the offset after it); choose another time or one of these with fold."
    )


def utc_to_local(instant: datetime, zone_name: str) -> datetime:
    """The wall-clock time of ``instant`` in ``zone_name`` (tz-aware)."""
    return instant.astimezone(zone(zone_name))

"""NetPlanner's own JSON export: the whole network, written and read back.

Re-importing it into a fresh database reproduces the network; into the database it came
from, it creates nothing (contacts merge by their keys, the rest by natural keys).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any

from netplanner.domain.entities import (
    ConnectionCriteria,
    Contact,
    Debrief,
    FollowUp,
    Invitation,
    Meeting,
    TargetCompany,
    Trip,
    UserLocation,
    Venue,
    hand_edit_markers,
)
from netplanner.domain.network import NetworkSnapshot
from netplanner.services.importers.normalise import check_record
from netplanner.services.importers.records import ImportFileError, ParsedContact, ParsedFile

FORMAT = "netplanner-json"
MARKER = "netplanner"
VERSION = 1
SECTIONS: dict[str, type[Any]] = {
    "contacts": Contact,
    "venues": Venue,
    "trips": Trip,
    "meetings": Meeting,
    "debriefs": Debrief,
    "follow_ups": FollowUp,
    "target_companies": TargetCompany,
    "user_locations": UserLocation,
}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _record(obj: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def snapshot_to_document(
    snapshot: NetworkSnapshot, exported_at: datetime, invitations: list[Invitation] | None = None
) -> dict[str, Any]:
    """The JSON document of a whole network (with the pending invitations, if given)."""
    document: dict[str, Any] = {
        "format": MARKER,
        "version": VERSION,
        "exported_at": exported_at.isoformat(),
    }
    for section in SECTIONS:
        document[section] = [_record(item) for item in getattr(snapshot, section)]
    document["criteria"] = _record(snapshot.criteria) if snapshot.criteria else None
    document["invitations"] = [_record(item) for item in invitations or []]
    return document


def looks_like_netplanner(text: str) -> bool:
    head = text.lstrip()[:400]
    return head.startswith("{") and f'"format": "{MARKER}"' in head.replace('":"', '": "')


class _BadValue(Exception):
    pass


def _convert(value: Any, hint: Any) -> Any:
    """``value`` from JSON as the type ``hint`` asks for; ``_BadValue`` if it cannot be."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            return _convert(value, option)
    if origin is list:
        if not isinstance(value, list):
            raise _BadValue("a list was expected")
        (item,) = typing.get_args(hint) or (Any,)
        return [_convert(v, item) for v in value]
    if origin is dict or hint is Any or hint is object:
        return value
    if value is None:
        raise _BadValue("a value is missing")
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(value)
        except ValueError as exc:
            raise _BadValue(f"{value!r} is not a known value") from exc
    if hint is datetime:
        if not isinstance(value, str):
            raise _BadValue("a date and time was expected")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise _BadValue(f"{value!r} is not a date and time") from exc
        if parsed.tzinfo is None:
            raise _BadValue(f"{value!r} has no time zone")
        return parsed
    if hint is date:
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise _BadValue(f"{value!r} is not a date") from exc
    if hint is bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (TypeError, ValueError, binascii.Error) as exc:
            raise _BadValue("the photo is not base64") from exc
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _BadValue(f"{value!r} is not a number")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _BadValue(f"{value!r} is not a whole number")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise _BadValue(f"{value!r} is not true or false")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise _BadValue(f"{value!r} is not text")
        return value
    raise _BadValue("an unexpected value")


def _build(cls: type[Any], data: Any) -> Any:
    if not isinstance(data, dict):
        raise _BadValue("it is not an object")
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise _BadValue(f"{f.name} is missing")
            continue
        try:
            values[f.name] = _convert(data[f.name], hints[f.name])
        except _BadValue as exc:
            raise _BadValue(f"{f.name}: {exc}") from exc
    return cls(**values)


def parse_netplanner_json(text: str, name: str) -> ParsedFile:
    """The network in a NetPlanner JSON export; damaged records are listed in ``skipped``."""
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", 0)
        raise ImportFileError(
            f"The file {name} is damaged or truncated NetPlanner JSON (near line {line})."
        ) from exc
    if not isinstance(document, dict) or document.get("format") != MARKER:
        raise ImportFileError(f"The file {name} is not a NetPlanner JSON export.")
    if document.get("version") != VERSION:
        raise ImportFileError(
            f"The file {name} was written by another version of NetPlanner "
            f"(format version {document.get('version')!r})."
        )
    parsed = ParsedFile(FORMAT)
    snapshot = NetworkSnapshot()
    position = 0
    for section, cls in SECTIONS.items():
        items = document.get(section) or []
        if not isinstance(items, list):
            raise ImportFileError(f"The file {name} is damaged: {section} is not a list.")
        for index, data in enumerate(items, 1):
            position += 1
            try:
                record = _build(cls, data)
            except (_BadValue, TypeError) as exc:
                parsed.skip(position, f"{section} #{index} was left out: {exc}")
                continue
            refused, notes = check_record(record)  # a zone that is none, a NaN place, …
            if refused:
                parsed.skip(position, f"{section} #{index} was left out: {refused}")
                continue
            parsed.warnings.extend((position, f"{section} #{index}: {note}") for note in notes)
            getattr(snapshot, section).append(record)
    if document.get("criteria") is not None:
        try:
            snapshot.criteria = _build(ConnectionCriteria, document["criteria"])
        except (_BadValue, TypeError) as exc:
            parsed.skip(position + 1, f"the connection criteria were left out: {exc}")
    invitations = document.get("invitations") or []
    if not isinstance(invitations, list):
        raise ImportFileError(f"The file {name} is damaged: invitations is not a list.")
    for index, data in enumerate(invitations, 1):
        position += 1
        try:
            invitation = _build(Invitation, data)
        except (_BadValue, TypeError) as exc:
            parsed.skip(position, f"invitations #{index} was left out: {exc}")
            continue
        refused, notes = check_record(invitation)
        if refused:
            parsed.skip(position, f"invitations #{index} was left out: {refused}")
            continue
        parsed.warnings.extend((position, f"invitations #{index}: {note}") for note in notes)
        invitation.id = None
        parsed.invitations.append((position, invitation))
    kept = any(getattr(snapshot, section) for section in SECTIONS)
    if parsed.skipped and not kept and snapshot.criteria is None and not parsed.invitations:
        # Every record was damaged: no snapshot, so the file is refused as a CSV whose every
        # row is skipped is (an export of an empty network, with nothing skipped, still loads).
        return parsed
    for index, contact in enumerate(snapshot.contacts, 1):
        contact.edited_fields = hand_edit_markers(contact.edited_fields)  # older exports
        parsed.contacts.append(ParsedContact(index, contact))
    snapshot.contacts = []
    parsed.snapshot = snapshot
    return parsed

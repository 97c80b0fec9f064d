"""Deciding, row by row, whether an imported person is new or someone already known.

The same LinkedIn URL, the same source key (a vCard UID) or the same email means the same
person. The same name and company counts only where one of the two records has no such
key, so two namesakes at one company with different profile URLs stay two people. Fields
the user edited by hand are never overwritten, and re-importing a file changes nothing.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import NamedTuple

from netplanner.domain.entities import LOCATION_EDITED, LOCATION_FIELDS, Contact, LocationStatus
from netplanner.services.importers.normalise import clean_list, email_key, linkedin_profile

# Fields an import sets where it has a value (an empty value never clears a known one).
SCALAR_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "position",
    "industry",
    "profile_url",
    "notes",
    "connected_on",
)
LIST_FIELDS = ("emails", "phones", "tags", "interests", "past_experience")
COMPARED_FIELDS = SCALAR_FIELDS + LIST_FIELDS + LOCATION_FIELDS + ("source", "source_key")


def merge_keys(contact: Contact) -> list[str]:
    """The keys that identify this person, strongest first."""
    keys: list[str] = []
    if contact.profile_url:
        url = linkedin_profile(contact.profile_url)
        if url:
            keys.append("url:" + url.lower())
    if contact.source and contact.source_key:
        keys.append(f"src:{contact.source}:{contact.source_key}")
    for email in contact.emails:
        key = email_key(email)
        if key:
            keys.append("email:" + key)
    return keys


def name_key(contact: Contact) -> tuple[str, str, str]:
    return (
        " ".join(contact.first_name.casefold().split()),
        " ".join(contact.last_name.casefold().split()),
        " ".join((contact.company or "").casefold().split()),
    )


_compared = operator.attrgetter(*COMPARED_FIELDS)
_identity = operator.attrgetter(
    "first_name", "last_name", "company", "profile_url", "source", "source_key", "emails"
)


def state_of(contact: Contact) -> tuple[object, ...]:
    """The compared fields' values (merging replaces lists, never changes them in place)."""
    return tuple(_compared(contact))


@dataclass(eq=False)
class MergeTarget:
    """A contact an import writes to: one already stored, or one it will create."""

    contact: Contact
    is_new: bool
    photo_length: int | None = None  # length of the stored photo, for existing contacts
    original: tuple[object, ...] | None = None
    new_photo: bytes | None = None
    lines: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    name: tuple[str, str, str] = ("", "", "")

    def touch(self) -> bool:
        """Remember the stored state before the first change; True the first time."""
        if self.original is None and not self.is_new:
            # The contact object is this target's own, so merging may change it in place:
            # the recorded state keeps the old values (lists are replaced, never edited).
            self.original = state_of(self.contact)
            return True
        return False

    @property
    def changed(self) -> bool:
        return self.is_new or self.new_photo is not None or self.original != state_of(self.contact)


class Match(NamedTuple):
    """What a record matched: a target (None for a new person) and the record's keys.

    A named tuple: one is made per imported row, and tuples are made in C."""

    target: MergeTarget | None
    keys: list[str]
    name: tuple[str, str, str]


class MergeIndex:
    """Every known contact by its keys and by name and company, growing as rows are merged."""

    def __init__(self, existing: Iterable[tuple[Contact, int | None]] = ()) -> None:
        self.by_key: dict[str, MergeTarget] = {}
        # By name and company: the first target, and the targets that have no key at all.
        self.by_name: dict[tuple[str, str, str], MergeTarget] = {}
        self.keyless: dict[tuple[str, str, str], list[MergeTarget]] = {}
        self.targets: list[MergeTarget] = []
        for contact, photo_length in existing:
            self._add(MergeTarget(contact, is_new=False, photo_length=photo_length))

    def _add(self, target: MergeTarget) -> None:
        self.targets.append(target)
        self._index(target)

    def _index(
        self,
        target: MergeTarget,
        keys: list[str] | None = None,
        name: tuple[str, str, str] | None = None,
    ) -> None:
        old_name, had_keys = target.name, bool(target.keys)
        target.keys = merge_keys(target.contact) if keys is None else keys
        target.name = name_key(target.contact) if name is None else name
        for key in target.keys:
            self.by_key.setdefault(key, target)
        if self.by_name.get(old_name) is target and old_name != target.name:
            del self.by_name[old_name]
        self.by_name.setdefault(target.name, target)
        if not had_keys and (target.keys or old_name != target.name):
            bucket = self.keyless.get(old_name)
            if bucket and target in bucket:
                bucket.remove(target)
        if not target.keys:
            bucket = self.keyless.setdefault(target.name, [])
            if target not in bucket:
                bucket.append(target)

    def find(self, keys: list[str], name: tuple[str, str, str]) -> MergeTarget | None:
        """The known contact with these keys (``merge_keys``) and name (``name_key``)."""
        for key in keys:
            target = self.by_key.get(key)
            if target is not None:
                return target
        if not keys:
            return self.by_name.get(name)
        keyless = self.keyless.get(name)
        return keyless[0] if keyless else None

    def add_new(
        self, rows: list[tuple[Contact, int, list[str], tuple[str, str, str]]]
    ) -> list[MergeTarget] | None:
        """Add every row (contact, line, keys, name) as a new person at once, when ``merge``
        would: each row has keys, none known and none shared with another row, and no
        keyless contact has its name. The new targets in row order; None, with nothing added,
        when one row might match.

        A first import into an empty (or unrelated) network, row by row, spent most of its
        merging on finding nothing; here it costs a look at the keys."""
        if not self.all_new([row[2] for row in rows], [row[3] for row in rows]):
            return None
        by_key, by_name = self.by_key, self.by_name
        targets = [
            MergeTarget(contact, is_new=True, lines=[line], keys=row_keys, name=name)
            for contact, line, row_keys, name in rows
        ]
        self.targets.extend(targets)
        for target in targets:  # as ``_index`` would, for a new target with keys
            for key in target.keys:
                by_key[key] = target
            by_name.setdefault(target.name, target)
        return targets

    def all_new(self, key_lists: list[list[str]], names: list[tuple[str, str, str]]) -> bool:
        """Whether records with these keys (``merge_keys``) and names (``name_key``) are all
        new people, as ``merge`` would find: each has keys, none known and none shared with
        another, and no keyless contact has their name. ``names`` may be left empty where no
        contact is keyless."""
        keys = list(chain.from_iterable(key_lists))
        keyless = self.keyless
        return (
            all(key_lists)
            and len(set(keys)) == len(keys)
            and self.by_key.keys().isdisjoint(keys)
            and not (keyless and any(keyless.get(name) for name in names))
        )

    def find_for(self, contact: Contact) -> Match:
        """The known contact an imported record describes (None for a new person)."""
        keys, name = merge_keys(contact), name_key(contact)
        return Match(self.find(keys, name), keys, name)

    def merge(self, contact: Contact, line: int, match: Match | None = None) -> MergeTarget:
        """Fold one imported record into the contact it matches, or add it as a new one."""
        if match is None:
            match = self.find_for(contact)
        target = match.target
        if target is None:
            target = MergeTarget(contact, is_new=True, lines=[line])
            self.targets.append(target)
            self._index(target, match.keys, match.name)
            return target
        target.touch()
        target.lines.append(line)
        identity = _identity(target.contact)
        merge_into(target, contact)
        if _identity(target.contact) != identity:
            self._index(target)
        return target


def merge_into(target: MergeTarget, incoming: Contact) -> None:
    """Copy what ``incoming`` knows onto the target, respecting fields edited by hand."""
    current = target.contact
    edited = set(current.edited_fields)
    for name in SCALAR_FIELDS:
        value = getattr(incoming, name)
        if value is None or value == "" or name in edited or value == getattr(current, name):
            continue
        if (
            name == "profile_url"
            and current.profile_url
            and linkedin_profile(current.profile_url)
            and not linkedin_profile(value)
        ):
            continue  # keep a LinkedIn profile over some other web page
        setattr(current, name, value)
    for name in LIST_FIELDS:
        values = getattr(incoming, name)
        if not values or name in edited:
            continue
        known = getattr(current, name)
        seen = {v.lower() if name == "emails" else v for v in known}
        added = [v for v in values if (v.lower() if name == "emails" else v) not in seen]
        if added:
            # A new list, never an in-place change: recorded states keep the old one.
            setattr(current, name, clean_list([*known, *added]))
    if incoming.photo is not None and "photo" not in edited:
        if target.is_new:
            current.photo = incoming.photo
        else:
            target.new_photo = incoming.photo
    _merge_location(current, incoming, edited)
    if not current.source_key and incoming.source_key:
        current.source, current.source_key = incoming.source, incoming.source_key
    elif not current.source:
        current.source = incoming.source


def _merge_location(current: Contact, incoming: Contact, edited: set[str]) -> None:
    if LOCATION_EDITED in edited:
        return
    if current.location_status == LocationStatus.MANUAL:
        return
    if incoming.has_coordinates:
        if (current.lat, current.lon) != (incoming.lat, incoming.lon):
            current.lat, current.lon = incoming.lat, incoming.lon
            current.country_code = incoming.country_code
            current.admin1 = incoming.admin1
            current.timezone = incoming.timezone
        else:
            current.country_code = incoming.country_code or current.country_code
            current.admin1 = incoming.admin1 or current.admin1
            current.timezone = incoming.timezone or current.timezone
        current.location_status = incoming.location_status
        if incoming.location_text:
            current.location_text = incoming.location_text
    elif incoming.location_text and incoming.location_text != current.location_text:
        current.location_text = incoming.location_text
        current.lat = current.lon = None
        current.country_code = current.admin1 = current.timezone = None
        current.location_status = LocationStatus.UNRESOLVED

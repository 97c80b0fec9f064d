"""Deciding, row by row, whether an imported person is new or someone already known.

The same LinkedIn URL, the same source key (a vCard UID) or the same email means the same
person. The same name and company counts only where one of the two records has no such
key, so two namesakes at one company with different profile URLs stay two people. Fields
the user edited by hand are never overwritten, and re-importing a file changes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field

from netplanner.domain.entities import Contact, LocationStatus
from netplanner.services.importers.normalise import email_key, linkedin_profile

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
LOCATION_FIELDS = (
    "location_text",
    "lat",
    "lon",
    "country_code",
    "admin1",
    "timezone",
    "location_status",
)
COMPARED_FIELDS = SCALAR_FIELDS + LIST_FIELDS + LOCATION_FIELDS + ("source", "source_key")


def merge_keys(contact: Contact) -> list[str]:
    """The keys that identify this person, strongest first."""
    keys: list[str] = []
    if contact.profile_url:
        url = linkedin_profile(contact.profile_url)
        if url:
            keys.append("url:" + url)
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


def state_of(contact: Contact) -> tuple[object, ...]:
    """The compared fields' values, lists copied so later merges cannot change them."""
    values = (getattr(contact, name) for name in COMPARED_FIELDS)
    return tuple(tuple(v) if isinstance(v, list) else v for v in values)


@dataclass
class MergeTarget:
    """A contact an import writes to: one already stored, or one it will create."""

    contact: Contact
    is_new: bool
    photo_length: int | None = None  # length of the stored photo, for existing contacts
    original: tuple[object, ...] | None = None
    new_photo: bytes | None = None
    lines: list[int] = field(default_factory=list)

    def touch(self) -> None:
        if self.original is None and not self.is_new:
            self.original = state_of(self.contact)
            self.contact = copy.copy(self.contact)
            for name in LIST_FIELDS:
                setattr(self.contact, name, list(getattr(self.contact, name)))

    @property
    def changed(self) -> bool:
        return self.is_new or self.new_photo is not None or self.original != state_of(self.contact)


class MergeIndex:
    """Every known contact by its keys and by name and company, growing as rows are merged."""

    def __init__(self, existing: Iterable[tuple[Contact, int | None]] = ()) -> None:
        self.by_key: dict[str, MergeTarget] = {}
        self.by_name: dict[tuple[str, str, str], list[MergeTarget]] = {}
        self.targets: list[MergeTarget] = []
        for contact, photo_length in existing:
            self._add(MergeTarget(contact, is_new=False, photo_length=photo_length))

    def _add(self, target: MergeTarget) -> None:
        self.targets.append(target)
        self._index(target)

    def _index(self, target: MergeTarget) -> None:
        for key in merge_keys(target.contact):
            self.by_key.setdefault(key, target)
        bucket = self.by_name.setdefault(name_key(target.contact), [])
        if target not in bucket:
            bucket.append(target)

    def find(self, contact: Contact, keys: list[str]) -> MergeTarget | None:
        """The known contact this record describes, or None for a new person."""
        for key in keys:
            target = self.by_key.get(key)
            if target is not None:
                return target
        for candidate in self.by_name.get(name_key(contact), ()):
            if not keys or not merge_keys(candidate.contact):
                return candidate
        return None

    def find_for(self, contact: Contact) -> MergeTarget | None:
        """The known contact an imported record describes, or None for a new person."""
        return self.find(contact, merge_keys(contact))

    def merge(self, contact: Contact, line: int, target: MergeTarget | None = None) -> MergeTarget:
        """Fold one imported record into ``target`` (found if not given, created if none)."""
        if target is None:
            target = self.find_for(contact)
        if target is None:
            target = MergeTarget(contact, is_new=True, lines=[line])
            self._add(target)
            return target
        target.touch()
        target.lines.append(line)
        old_name = name_key(target.contact)
        merge_into(target, contact)
        old_bucket = self.by_name.get(old_name, [])
        if name_key(target.contact) != old_name and target in old_bucket:
            old_bucket.remove(target)
        self._index(target)
        return target


def merge_into(target: MergeTarget, incoming: Contact) -> None:
    """Copy what ``incoming`` knows onto the target, respecting fields edited by hand."""
    current = target.contact
    edited = set(current.edited_fields)
    for name in SCALAR_FIELDS:
        value = getattr(incoming, name)
        if value is None or value == "" or name in edited:
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
        for value in values:
            key = value.lower() if name == "emails" else value
            if key not in seen:
                seen.add(key)
                known.append(value)
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
    if "location" in edited or "location_text" in edited:
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

"""Finding and editing contacts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from netplanner.domain.entities import (
    LOCATION_FIELDS,
    Contact,
    LocationStatus,
    hand_edit_markers,
)
from netplanner.domain.errors import InputError
from netplanner.domain.places import PlaceMatch
from netplanner.domain.sanity import clean_text
from netplanner.domain.summaries import ContactSummary
from netplanner.storage.repositories import ContactRepository
from netplanner.storage.repositories.contacts import DeletedContacts

MULTILINE_FIELDS = frozenset({"notes"})  # texts that keep their line breaks and tabs


def _clean(name: str, value: object) -> object:
    """A typed value without control characters or bidi overrides (pasted text carries them)."""
    if isinstance(value, str):
        return clean_text(value, multiline=name in MULTILINE_FIELDS)
    if isinstance(value, list):
        cleaned = [clean_text(v) if isinstance(v, str) else v for v in value]
        return [v for v in cleaned if v != ""]
    return value


# Fields a person edits; bookkeeping fields (ids, stamps, source) are not among them.
EDITABLE_FIELDS = frozenset(
    f.name
    for f in dataclasses.fields(Contact)
    if f.name not in {"id", "created_at", "updated_at", "source", "source_key", "edited_fields"}
)


class ContactService:
    """The contacts use cases the CLI and the GUI share."""

    def __init__(self, repo: ContactRepository) -> None:
        self.repo = repo

    def search(self, query: str | None = None, needs_location: bool = False) -> list[Contact]:
        """Contacts whose name, company, position, location or tags contain every word."""
        return self.repo.list(query=query, needs_location=needs_location)

    def list_for_table(self) -> list[ContactSummary]:
        """Every contact as a compact summary for a table (fast at 30,000 contacts)."""
        return self.repo.list_for_table()

    def get(self, contact_id: int) -> Contact:
        return self.repo.get(contact_id)

    def count(self) -> int:
        return self.repo.count()

    def update(self, contact: Contact, changed_fields: Iterable[str]) -> Contact:
        """Save a hand edit; the changed fields are remembered so imports never overwrite them."""
        if not clean_text(contact.first_name) and not clean_text(contact.last_name):
            raise InputError("A contact needs a name.")
        return self._save_hand_edit(contact, changed_fields)

    def _save_hand_edit(self, contact: Contact, changed_fields: Iterable[str]) -> Contact:
        """Copy the changed fields onto the stored contact and mark them edited by hand.

        Any of the location fields is marked as ``LOCATION_EDITED``: to an import the place
        is one thing, kept or replaced as a whole.
        """
        changed = [name for name in changed_fields if name in EDITABLE_FIELDS]
        stored = self.repo.get(contact.id) if contact.id is not None else None
        if stored is None:
            raise InputError("Only a stored contact can be edited.")
        for name in changed:  # the one place a hand edit sets a field
            setattr(stored, name, _clean(name, getattr(contact, name)))
        stored.edited_fields = hand_edit_markers([*stored.edited_fields, *changed])
        return self.repo.update(stored)

    def delete(self, ids: Sequence[int]) -> DeletedContacts:
        """Delete contacts; what is returned puts them back with ``restore``."""
        return self.repo.delete_restorably(ids)

    def restore(self, deleted: DeletedContacts) -> list[Contact]:
        """Undo a delete: the contacts come back with their ids, follow-ups and meetings."""
        return self.repo.restore(deleted)

    def set_location(self, contact: Contact, text: str, match: PlaceMatch | None) -> Contact:
        """The contact with the place the user typed (and chose); nothing overwrites it after.

        The one way a location is set by hand, from the window and (through
        ``GeocodingService.set_location``) the command line alike.
        """
        contact.location_text = clean_text(text) or None
        if match is None:
            contact.lat = contact.lon = None
            contact.country_code = contact.admin1 = contact.timezone = None
            contact.location_status = LocationStatus.UNRESOLVED
        else:
            contact.lat, contact.lon = match.lat, match.lon
            contact.country_code, contact.admin1 = match.country_code, match.admin1
            contact.timezone = match.timezone
            contact.location_status = LocationStatus.MANUAL
        return self._save_hand_edit(contact, LOCATION_FIELDS)

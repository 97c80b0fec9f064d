"""Compact read-only views of entities for lists of tens of thousands of rows."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from netplanner.domain.entities import Contact, RelationshipStage


class ContactSummary(NamedTuple):
    """What a table of contacts shows and filters by; a tenth of a ``Contact`` in memory.

    A named tuple because 30,000 of them are built at start-up: tuple construction is the
    cheapest Python offers, and the table never changes one in place.
    """

    id: int
    first_name: str
    last_name: str
    company: str | None
    position: str | None
    location_text: str | None
    lat: float | None
    lon: float | None
    tags_text: str  # the tags joined by spaces, for the filter
    stage: RelationshipStage
    last_met: date | None

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None

    @staticmethod
    def of(contact: Contact) -> ContactSummary:
        """The summary of a full contact (after an edit or an undo)."""
        return ContactSummary(
            id=contact.id or 0,
            first_name=contact.first_name,
            last_name=contact.last_name,
            company=contact.company,
            position=contact.position,
            location_text=contact.location_text,
            lat=contact.lat,
            lon=contact.lon,
            tags_text=" ".join(contact.tags),
            stage=contact.stage,
            last_met=contact.last_met,
        )

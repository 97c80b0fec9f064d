"""What a write changed: the record every screen receives after it, to decide what to re-read.

A write names the records it touched (by id) and the kinds of things it changed; the window
hands the record to every workspace, and each decides for itself whether it shows any of
it (as Anki's ``OpChanges`` and ``operation_did_execute`` do). Nobody patches another
screen by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace


def _ids(values: Iterable[int | None]) -> frozenset[int]:
    return frozenset(v for v in values if v is not None)


@dataclass(frozen=True)
class Changes:
    """The records and kinds of data one write changed.

    Attributes:
        contacts: contacts whose fields, meetings or follow-ups changed (their rows and
            timelines need reading again); also those deleted or restored.
        meetings, trips, venues, follow_ups: ids of changed records of each kind.
        invitations: ids of pending invitations decided or changed.
        criteria: the connection criteria or the target companies changed, so every
            verdict ("fits", "at a target company") and the suggestions' ranking may differ.
        settings: the user's settings changed (units, online services, profile).
        home: the user's home or current location changed.
        everything: so much changed (an import, another database) that all is re-read.
        initiator: the screen that asked for the write, which may already show the result.
    """

    contacts: frozenset[int] = frozenset()
    meetings: frozenset[int] = frozenset()
    trips: frozenset[int] = frozenset()
    venues: frozenset[int] = frozenset()
    follow_ups: frozenset[int] = frozenset()
    invitations: frozenset[int] = frozenset()
    criteria: bool = False
    settings: bool = False
    home: bool = False
    everything: bool = False
    initiator: object | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of_contacts(cls, ids: Iterable[int | None], initiator: object | None = None) -> Changes:
        return cls(contacts=_ids(ids), initiator=initiator)

    @classmethod
    def of_all(cls, initiator: object | None = None) -> Changes:
        return cls(everything=True, initiator=initiator)

    def by(self, initiator: object | None) -> Changes:
        """The same changes, announced as made by ``initiator``."""
        return replace(self, initiator=initiator)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            contacts=self.contacts | other.contacts,
            meetings=self.meetings | other.meetings,
            trips=self.trips | other.trips,
            venues=self.venues | other.venues,
            follow_ups=self.follow_ups | other.follow_ups,
            invitations=self.invitations | other.invitations,
            criteria=self.criteria or other.criteria,
            settings=self.settings or other.settings,
            home=self.home or other.home,
            everything=self.everything or other.everything,
            initiator=self.initiator if self.initiator is not None else other.initiator,
        )

    @property
    def empty(self) -> bool:
        return not (
            self.contacts or self.meetings or self.trips or self.venues or self.follow_ups
            or self.invitations or self.criteria or self.settings or self.home
            or self.everything
        )  # fmt: skip

    def touches_contact(self, contact_id: int | None) -> bool:
        """True when this contact (or everything) changed."""
        return self.everything or (contact_id is not None and contact_id in self.contacts)

    @property
    def planning(self) -> bool:
        """True when who is where, or when, may have changed (trips, meetings, home)."""
        return bool(
            self.everything or self.contacts or self.meetings or self.trips or self.home
            or self.settings or self.follow_ups or self.criteria
        )  # fmt: skip

"""Deciding on invitations: accept, ignore, accept all that fit, and add the sender as a contact.

NetPlanner records the decision; LinkedIn itself is not driven. Every decision hands back
what it changed, so the window can undo it exactly. Adding a contact goes through the
importer's merging rules: the same profile URL is the same person, and a field the user
edited by hand is never overwritten.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from netplanner.domain.criteria import Verdict
from netplanner.domain.entities import Contact, Invitation
from netplanner.domain.errors import InputError
from netplanner.services.criteria import CriteriaService
from netplanner.services.importers.merging import MergeTarget, merge_into
from netplanner.storage.repositories.invitations import InvitationRepository, profile_key

PENDING = "pending"
ACCEPTED = "accepted"
IGNORED = "ignored"
STATUSES = (PENDING, ACCEPTED, IGNORED)
INCOMING = "INCOMING"
OUTGOING = "OUTGOING"
# Where a contact made from an invitation without a profile URL is recorded (a LinkedIn
# one is recorded as Connections.csv would record it, so a later import merges with it).
INVITATION_SOURCE = "linkedin-invitations"
LINKEDIN_SOURCE = "linkedin"


@dataclass(frozen=True)
class JudgedInvitation:
    """An invitation, the person it is with, and whether they fit the criteria."""

    invitation: Invitation
    verdict: Verdict
    # A known contact with the same profile URL, and their headline ("CTO at Kestrel").
    contact_id: int | None = None
    headline: str | None = None

    @property
    def id(self) -> int:
        return self.invitation.id or 0

    @property
    def incoming(self) -> bool:
        return self.invitation.direction == INCOMING

    @property
    def person(self) -> str:
        """The other person: who sent it, or to whom the user sent it."""
        inv = self.invitation
        return inv.from_name if self.incoming else inv.to_name

    @property
    def profile_url(self) -> str | None:
        inv = self.invitation
        return inv.inviter_profile_url if self.incoming else inv.invitee_profile_url


@dataclass(frozen=True)
class Decision:
    """What one decision changed: each invitation's status before, and the one it got."""

    status: str
    previous: Mapping[int, str] = field(default_factory=dict)

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(self.previous)


@dataclass(frozen=True)
class AddedContact:
    """A contact made (or completed) from an invitation, with what an undo puts back."""

    contact: Contact
    created: bool
    invitation_id: int
    status_before: str
    before: Contact | None = None  # the stored contact before a merge
    changed: bool = True  # False: it was all known already, nothing was written


def headline(contact: Contact) -> str | None:
    """The contact's headline: position at company, or whichever of the two is known."""
    if contact.position and contact.company:
        return f"{contact.position} at {contact.company}"
    return contact.position or contact.company


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = " ".join(name.split()).partition(" ")
    return first, last


def _note(invitation: Invitation) -> str | None:
    """The invitation's message as a line of the contact's notes."""
    message = (invitation.message or "").strip()
    if not message:
        return None
    when = f" ({invitation.sent_at:%d %b %Y})" if invitation.sent_at else ""
    return f"Invitation on LinkedIn{when}: {message}"


class InvitationDecisionService:
    """Records decisions on invitations and turns accepted ones into contacts."""

    def __init__(self, repo: InvitationRepository, criteria: CriteriaService) -> None:
        self.repo = repo
        self.criteria = criteria

    # Reading ---------------------------------------------------------------------------
    def judged(self, statuses: Collection[str] = (PENDING,)) -> list[JudgedInvitation]:
        """Invitations of these statuses with their verdicts: those that fit first, newest first."""
        wanted = set(statuses)
        unknown = wanted - set(STATUSES)
        if unknown:
            raise InputError(f"'{sorted(unknown)[0]}' is not an invitation status.")
        status = next(iter(wanted)) if len(wanted) == 1 else None
        verdicts = [
            v for v in self.criteria.evaluate_invitations(status) if v.invitation.status in wanted
        ]
        people = [
            v.invitation.inviter_profile_url
            if v.invitation.direction == INCOMING
            else v.invitation.invitee_profile_url
            for v in verdicts
        ]
        known = self.repo.contacts_by_profile(people)
        result = []
        for verdict, url in zip(verdicts, people, strict=True):
            contact = known.get(profile_key(url)) if url else None
            result.append(
                JudgedInvitation(
                    verdict.invitation,
                    verdict.verdict,
                    contact.id if contact is not None else None,
                    headline(contact) if contact is not None else None,
                )
            )
        result.sort(key=lambda j: j.invitation.sent_at.timestamp() if j.invitation.sent_at else 0)
        result.reverse()  # newest first ...
        result.sort(key=lambda j: not j.verdict.fits)  # ... within fits first (a stable sort)
        return result

    # Deciding --------------------------------------------------------------------------
    def decide(self, ids: Iterable[int], status: str) -> Decision:
        """Give the invitations ``status`` in one transaction; the decision records the old ones.

        Only the recipient accepts an invitation: accepting one the user sent is refused.
        """
        if status not in STATUSES:
            raise InputError(f"'{status}' is not an invitation status.")
        wanted = list(dict.fromkeys(ids))
        if status == ACCEPTED:
            for invitation_id in wanted:
                invitation = self.repo.get(invitation_id)
                if invitation.direction != INCOMING:
                    raise InputError(
                        f"You sent the invitation to {invitation.to_name}; only they can accept it."
                    )
        return Decision(status, self.repo.set_status(wanted, status))

    def accept(self, ids: Iterable[int]) -> Decision:
        return self.decide(ids, ACCEPTED)

    def ignore(self, ids: Iterable[int]) -> Decision:
        return self.decide(ids, IGNORED)

    def fitting_ids(self) -> list[int]:
        """The pending invitations received that fit the criteria (what "accept all" takes)."""
        return [j.id for j in self.judged() if j.incoming and j.verdict.fits]

    def accept_all_that_fit(self) -> Decision:
        """Accept every pending invitation received that fits, in one transaction."""
        return Decision(ACCEPTED, self.repo.set_status(self.fitting_ids(), ACCEPTED))

    def undo(self, decision: Decision) -> Decision:
        """Put back the statuses ``decision`` replaced; returns what the undo changed."""
        now = self.repo.set_statuses(dict(decision.previous))
        return Decision(PENDING, now)

    # Contacts --------------------------------------------------------------------------
    def add_as_contact(self, invitation_id: int, today: date | None = None) -> AddedContact:
        """The invitation's person as a contact: a new one, or merged into the one of the same
        profile URL; a received invitation is accepted with it, in one transaction."""
        invitation = self.repo.get(invitation_id)
        if invitation.status == IGNORED:
            raise InputError(
                "This invitation was ignored; accept it before adding the person as a contact."
            )
        incoming = invitation.direction == INCOMING
        name = invitation.from_name if incoming else invitation.to_name
        url = invitation.inviter_profile_url if incoming else invitation.invitee_profile_url
        first, last = _split_name(name)
        linkedin = bool(url) and "linkedin.com/" in (url or "").casefold()
        offered = Contact(
            first_name=first,
            last_name=last,
            profile_url=url,
            source=LINKEDIN_SOURCE if linkedin else INVITATION_SOURCE,
            source_key=url if linkedin else invitation.source_key,
        )
        existing = (
            self.repo.contacts_by_profile([url]).get(profile_key(url))
            if url
            else self.repo.contact_by_source(INVITATION_SOURCE, invitation.source_key or "")
        )
        note = _note(invitation)
        status = ACCEPTED if incoming else invitation.status
        if existing is None:
            contact = dataclasses.replace(offered, notes=note, connected_on=today)
            created = True
        else:
            contact = dataclasses.replace(existing)
            merge_into(MergeTarget(contact, is_new=False), offered)
            if note and "notes" not in contact.edited_fields and note not in (contact.notes or ""):
                contact.notes = f"{contact.notes}\n\n{note}" if contact.notes else note
            if contact.connected_on is None and "connected_on" not in contact.edited_fields:
                contact.connected_on = today
            created = False
        if existing is not None and contact == existing and status == invitation.status:
            return AddedContact(existing, False, invitation_id, invitation.status, existing, False)
        stored, before_status = self.repo.save_contact_with_status(contact, invitation_id, status)
        return AddedContact(stored, created, invitation_id, before_status, existing)

    def remove_added_contact(self, added: AddedContact) -> None:
        """Undo ``add_as_contact``: the contact it created goes, a merged one is as it was."""
        self.repo.undo_contact_with_status(
            added.invitation_id,
            added.status_before,
            created_id=added.contact.id if added.created else None,
            before=added.before,
        )

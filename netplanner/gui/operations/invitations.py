"""The Invitations use cases: the judged invitations, the decisions on them, and their undo.

What an undo needs (each invitation's status before, the contact as it was) is kept by the
write itself on the worker, through ``keep``; an undo queued right behind it finds it there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from netplanner.domain.changes import Changes
from netplanner.domain.progress import ProgressSink
from netplanner.gui.operations import OpHost, QueryOp, WriteOp, Written
from netplanner.services.invitation_decisions import (
    ACCEPTED,
    IGNORED,
    PENDING,
    AddedContact,
    Decision,
    InvitationDecisionService,
    JudgedInvitation,
)

# What the "Show" filter offers.
SHOW_PENDING = "Pending"
SHOW_FITS = "Fits"
SHOW_NOT_FIT = "Does not fit"
SHOW_DECIDED = "Decided"
SHOW_CHOICES = (SHOW_PENDING, SHOW_FITS, SHOW_NOT_FIT, SHOW_DECIDED)


class InvitationsServices(Protocol):
    """What the Invitations page needs (an ``AppContext`` has it)."""

    @property
    def invitation_decisions(self) -> InvitationDecisionService: ...


@dataclass(frozen=True)
class InvitationsPage:
    """The invitations one filter shows, and the counts of all pending ones."""

    show: str
    items: list[JudgedInvitation]
    pending: int
    fitting: int  # pending ones that fit
    acceptable: int  # pending ones received that fit: what "Accept all that fit" takes


def read_invitations(
    host: OpHost, services: InvitationsServices, show: str
) -> QueryOp[InvitationsPage]:
    """The invitations ``show`` picks, those that fit first; the latest filter wins."""

    def read(_progress: ProgressSink) -> InvitationsPage:
        decisions = services.invitation_decisions
        pending = decisions.judged((PENDING,))
        if show == SHOW_DECIDED:
            items = decisions.judged((ACCEPTED, IGNORED))
        elif show == SHOW_FITS:
            items = [j for j in pending if j.verdict.fits]
        elif show == SHOW_NOT_FIT:
            items = [j for j in pending if not j.verdict.fits]
        else:
            items = pending
        fitting = [j for j in pending if j.verdict.fits]
        return InvitationsPage(
            show, items, len(pending), len(fitting), sum(1 for j in fitting if j.incoming)
        )

    return QueryOp(host, "Read invitations", read, latest="network-invitations")


def _decided(decision: Decision) -> Written[Decision]:
    return Written(decision, Changes(invitations=decision.ids))


def decide(
    host: OpHost,
    services: InvitationsServices,
    ids: Sequence[int],
    status: str,
    keep: Callable[[Decision], None],
) -> WriteOp[Decision]:
    """Accept or ignore these invitations (or put them back to pending), in one transaction."""

    def write(_progress: ProgressSink) -> Written[Decision]:
        decision = services.invitation_decisions.decide(ids, status)
        keep(decision)
        return _decided(decision)

    return WriteOp(host, "Decide on invitations", write)


def accept_all_that_fit(
    host: OpHost, services: InvitationsServices, keep: Callable[[Decision], None]
) -> WriteOp[Decision]:
    """Accept every pending invitation received that fits, in one transaction."""

    def write(_progress: ProgressSink) -> Written[Decision]:
        decision = services.invitation_decisions.accept_all_that_fit()
        keep(decision)
        return _decided(decision)

    return WriteOp(host, "Accept all invitations that fit", write)


def undo_decision(
    host: OpHost, services: InvitationsServices, take: Callable[[], Decision | None]
) -> WriteOp[Decision | None]:
    """Put back the statuses a decision replaced."""

    def write(_progress: ProgressSink) -> Written[Decision | None]:
        decision = take()
        if decision is None:
            return Written(None, Changes())
        undone = services.invitation_decisions.undo(decision)
        return Written(undone, Changes(invitations=undone.ids))

    return WriteOp(host, "Undo a decision on invitations", write)


def _added_changes(added: Sequence[AddedContact]) -> Changes:
    return Changes(
        invitations=frozenset(a.invitation_id for a in added),
        contacts=frozenset(a.contact.id for a in added if a.changed and a.contact.id is not None),
    )


def add_as_contacts(
    host: OpHost,
    services: InvitationsServices,
    ids: Sequence[int],
    today: date,
    keep: Callable[[list[AddedContact]], None],
) -> WriteOp[list[AddedContact]]:
    """Each invitation's person as a contact, merged by profile URL (one transaction each)."""

    def write(_progress: ProgressSink) -> Written[list[AddedContact]]:
        added: list[AddedContact] = []
        try:
            for invitation_id in ids:
                added.append(services.invitation_decisions.add_as_contact(invitation_id, today))
        finally:
            keep(added)  # those added before a failure can still be undone
        return Written(added, _added_changes(added))

    return WriteOp(host, "Add invitations as contacts", write)


def remove_added_contacts(
    host: OpHost, services: InvitationsServices, take: Callable[[], list[AddedContact]]
) -> WriteOp[list[AddedContact]]:
    """Undo ``add_as_contacts``: created contacts go, merged ones are as they were."""

    def write(_progress: ProgressSink) -> Written[list[AddedContact]]:
        added = take()
        for item in reversed(added):
            if item.changed:
                services.invitation_decisions.remove_added_contact(item)
        return Written(added, _added_changes(added))

    return WriteOp(host, "Undo adding contacts", write)

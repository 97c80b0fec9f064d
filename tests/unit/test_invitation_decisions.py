"""Decisions on invitations: accept, ignore, accept all that fit, undo, and add as a contact."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from netplanner.domain.errors import InputError
from netplanner.services.context import AppContext
from netplanner.services.demo import build_demo_network, demo_invitations_csv
from netplanner.services.importers.records import ImportFileError
from netplanner.services.invitation_decisions import (
    ACCEPTED,
    IGNORED,
    PENDING,
    InvitationDecisionService,
    JudgedInvitation,
)
from tests.conftest import DEMO_TODAY


def _statuses(service: InvitationDecisionService) -> dict[int, str]:
    return {j.id: j.invitation.status for j in service.judged((PENDING, ACCEPTED, IGNORED))}


def _by_person(service: InvitationDecisionService, name: str) -> JudgedInvitation:
    return next(j for j in service.judged() if j.person == name)


def test_the_demo_has_about_fifty_pending_invitations_judged_fits_first(
    demo_context: AppContext,
) -> None:
    judged = demo_context.invitation_decisions.judged()
    assert 45 <= len(judged) <= 55
    verdicts = [j.verdict.fits for j in judged]
    assert verdicts == sorted(verdicts, reverse=True)  # fits first
    assert any(verdicts) and not all(verdicts)
    assert sum(not j.incoming for j in judged) >= 3  # a few sent by the user
    reasons = [r for j in judged for r in j.verdict.reasons]
    # In the matcher's words, naming what the message mentions.
    assert any(r.startswith("the message mentions 'recruiter'") for r in reasons)
    assert any(r.startswith("the message mentions 'Staffing & Recruiting'") for r in reasons)
    # Two come from people already among the contacts, judged on their records too.
    known = [j for j in judged if j.contact_id is not None]
    assert len(known) == 2
    recruiter = next(j for j in known if not j.verdict.fits)
    assert recruiter.headline == "Senior Recruiter at Talent Bridge Recruiting"
    assert any("Staffing & Recruiting" in r for r in recruiter.verdict.reasons)
    assert all(j.invitation.sent_at and j.invitation.sent_at.date() < DEMO_TODAY for j in judged)


def test_accept_is_recorded_and_undo_puts_it_back_to_pending(demo_context: AppContext) -> None:
    service = demo_context.invitation_decisions
    first = service.judged()[0]
    before = _statuses(service)
    decision = service.accept([first.id])
    assert decision.ids == {first.id} and decision.previous == {first.id: PENDING}
    assert _statuses(service)[first.id] == ACCEPTED
    assert first.id not in {j.id for j in service.judged()}
    service.undo(decision)
    assert _statuses(service) == before


def test_only_the_recipient_accepts_an_invitation(demo_context: AppContext) -> None:
    service = demo_context.invitation_decisions
    sent = next(j for j in service.judged() if not j.incoming)
    received = next(j for j in service.judged() if j.incoming)
    with pytest.raises(InputError, match=f"You sent the invitation to {sent.person}"):
        service.accept([received.id, sent.id])
    assert _statuses(service)[received.id] == PENDING  # nothing half-decided
    assert service.ignore([sent.id]).previous == {sent.id: PENDING}


def test_accept_all_that_fit_decides_exactly_the_fitting_ones_and_undoes_at_once(
    demo_context: AppContext,
) -> None:
    service = demo_context.invitation_decisions
    judged = service.judged()
    fitting_received = {j.id for j in judged if j.verdict.fits and j.incoming}
    before = _statuses(service)
    decision = service.accept_all_that_fit()
    assert decision.ids == fitting_received and len(fitting_received) >= 10
    after = _statuses(service)
    assert {i for i, s in after.items() if s == ACCEPTED} == fitting_received
    assert all(after[j.id] == PENDING for j in judged if j.id not in fitting_received)
    assert service.accept_all_that_fit().ids == frozenset()  # none left
    service.undo(decision)
    assert _statuses(service) == before


def test_add_as_contact_creates_the_contact_once(demo_context: AppContext, tmp_path: Path) -> None:
    service = demo_context.invitation_decisions
    count = demo_context.contact_repo.count()
    item = next(j for j in service.judged() if j.incoming and j.invitation.message)
    added = service.add_as_contact(item.id, today=DEMO_TODAY)
    assert added.created and added.contact.id is not None
    contact = demo_context.contact_repo.get(added.contact.id)
    assert contact.name == item.person
    assert contact.profile_url == item.profile_url
    assert item.invitation.message and item.invitation.message in (contact.notes or "")
    assert contact.connected_on == DEMO_TODAY and contact.source == "linkedin"
    assert _statuses(service)[item.id] == ACCEPTED  # adding accepts it
    assert demo_context.contact_repo.count() == count + 1

    again = service.add_as_contact(item.id, today=date(2026, 12, 1))
    assert not again.created and not again.changed and again.contact.id == contact.id
    assert demo_context.contact_repo.count() == count + 1

    # Re-importing the same Invitations.csv creates nothing new, neither invitation nor person.
    path = tmp_path / "Invitations.csv"
    path.write_text(demo_invitations_csv(build_demo_network(DEMO_TODAY), DEMO_TODAY))
    (report,) = demo_context.importer.run([path])
    assert (report.created, report.unchanged) == (0, 50)
    assert demo_context.contact_repo.count() == count + 1
    assert len(_statuses(service)) == 50


def test_the_same_profile_url_merges_and_keeps_hand_edits(demo_context: AppContext) -> None:
    service = demo_context.invitation_decisions
    known = next(j for j in service.judged() if j.contact_id is not None and j.verdict.fits)
    contact = demo_context.contact_repo.get(known.contact_id or 0)
    contact.notes = "Met at the Tokyo meetup."
    contact.first_name = contact.first_name.upper()
    contact.edited_fields = ["first_name"]
    demo_context.contact_repo.update(contact)
    count = demo_context.contact_repo.count()

    added = service.add_as_contact(known.id, today=DEMO_TODAY)
    assert not added.created and added.changed and added.contact.id == contact.id
    assert demo_context.contact_repo.count() == count
    merged = demo_context.contact_repo.get(contact.id or 0)
    assert merged.first_name == contact.first_name  # edited by hand: kept
    assert merged.notes is not None and merged.notes.startswith("Met at the Tokyo meetup.\n\n")
    assert (known.invitation.message or "") in merged.notes
    assert merged.company == contact.company and merged.source == "demo"

    service.remove_added_contact(added)  # undo: the contact as it was, the invitation pending
    assert demo_context.contact_repo.get(contact.id or 0).notes == "Met at the Tokyo meetup."
    assert _statuses(service)[known.id] == PENDING


def test_undo_of_add_removes_the_created_contact(demo_context: AppContext) -> None:
    service = demo_context.invitation_decisions
    count = demo_context.contact_repo.count()
    item = next(j for j in service.judged() if j.incoming and j.contact_id is None)
    service.accept([item.id])
    added = service.add_as_contact(item.id)
    service.remove_added_contact(added)
    assert demo_context.contact_repo.count() == count
    assert _statuses(service)[item.id] == ACCEPTED  # as it was before the add


def test_an_ignored_invitation_is_not_added(demo_context: AppContext) -> None:
    service = demo_context.invitation_decisions
    item = service.judged()[0]
    service.ignore([item.id])
    count = demo_context.contact_repo.count()
    with pytest.raises(InputError, match="ignored"):
        service.add_as_contact(item.id)
    assert demo_context.contact_repo.count() == count


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("From,To,Date,Text\nAna Lima,Sam Taylor,2024-01-01,hi\n", "is not a LinkedIn"),
        (
            "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n",
            "holds no invitations",
        ),
        ("", "is empty"),
    ],
)
def test_an_invitations_file_of_another_layout_or_empty_is_one_sentence_and_writes_nothing(
    context: AppContext, tmp_path: Path, text: str, sentence: str
) -> None:
    path = tmp_path / "Invitations.csv"
    path.write_text(text)
    with pytest.raises(ImportFileError) as raised:
        context.importer.run([path])
    message = str(raised.value)
    assert sentence in message and message.endswith(".") and "\n" not in message
    assert context.invitation_decisions.judged((PENDING, ACCEPTED, IGNORED)) == []
    assert context.contact_repo.count() == 0

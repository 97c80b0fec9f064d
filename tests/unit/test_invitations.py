"""Invitation drafts: personal, naming the place, the day and times, and passing the check."""

from __future__ import annotations

from datetime import UTC, date, datetime

from netplanner.domain.entities import (
    Contact,
    Debrief,
    Meeting,
    MeetingStatus,
)
from netplanner.services.context import AppContext
from netplanner.services.invitations import InvitationFacts, compose_invitation

TIMES = [
    datetime(2026, 12, 8, 9, 0, tzinfo=UTC),
    datetime(2026, 12, 8, 12, 0, tzinfo=UTC),
    datetime(2026, 12, 8, 15, 0, tzinfo=UTC),
]


def test_a_draft_names_the_place_the_day_and_a_choice_of_times() -> None:
    text = compose_invitation(
        InvitationFacts("Ana", "Head of Partnerships", "Lumen Payments"),
        "Café Fair",
        "Lisbon",
        date(2026, 12, 8),
        TIMES,
        sender="Sam",
    )
    assert text.startswith("Hi Ana,\n\nI have been following your work as Head of Partnerships")
    assert "in Lisbon around Tuesday 8 December" in text
    assert "coffee at Café Fair? 09:00, 12:00 or 15:00, whichever suits you best." in text
    assert text.endswith("Best,\nSam")


def test_a_new_job_and_a_shared_interest_make_it_personal() -> None:
    text = compose_invitation(
        InvitationFacts(
            "Ana", "CTO", "Kestrel Robotics", changed_job=True, shared_interest="climbing"
        ),
        "Café Fair",
        None,
        date(2026, 12, 8),
        TIMES[:1],
    )
    assert "Congratulations on your new role as CTO at Kestrel Robotics!" in text
    assert "climbing" in text
    assert "Café Fair? 09:00, whichever" in text


def test_the_service_uses_the_last_meeting_and_passes_its_own_check(
    context: AppContext,
) -> None:
    context.settings.profile.interests = ["Jazz"]
    context.settings.profile.name = "Sam"
    [contact] = context.contact_repo.add_many(
        [Contact(first_name="Rui", last_name="Lopes", interests=["jazz", "sailing"])]
    )
    assert contact.id is not None
    meeting = context.meeting_repo.add(
        Meeting(
            contact_ids=[contact.id],
            start_utc=datetime(2026, 3, 4, 10, tzinfo=UTC),
            end_utc=datetime(2026, 3, 4, 11, tzinfo=UTC),
            tzid="Europe/Lisbon",
            uid="m@test",
            status=MeetingStatus.DONE,
        )
    )
    assert meeting.id is not None
    context.debrief_repo.save(Debrief(meeting_id=meeting.id, in_common="Both run before work."))
    draft = context.invitations.draft(contact, "Café Fair", date(2026, 12, 8), TIMES, "Lisbon")
    assert "since our coffee in March 2026" in draft.text
    assert "we found in common: both run before work." in draft.text
    assert "jazz" in draft.text
    assert draft.warnings == []


def test_an_edited_draft_that_pitches_is_flagged(context: AppContext) -> None:
    warnings = context.invitations.check("Coffee? I can show you a demo of our product.")
    assert [w.words for w in warnings] == [("demo", "our product")]

"""A debrief marks the meeting done and feeds the next briefing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from netplanner.domain.briefing import briefing_questions
from netplanner.domain.entities import Contact, Debrief, MeetingStatus, RelationshipStage
from netplanner.domain.errors import InputError, NotFoundError
from netplanner.services.context import AppContext


@pytest.fixture(autouse=True)
def after_the_meetings(demo_context: AppContext) -> None:
    """These debriefs are written in January 2027, after the meetings they record."""
    demo_context.debriefs.clock = lambda: datetime(2027, 1, 15, tzinfo=UTC)


def test_a_meeting_still_to_come_or_cancelled_cannot_be_debriefed(
    demo_context: AppContext,
) -> None:
    contact = _fresh_contact(demo_context)
    later = demo_context.meetings.add([contact.id or 0], datetime(2027, 2, 1, 10), tz="UTC")
    with pytest.raises(InputError, match="still to come"):
        demo_context.debriefs.record(later.id or 0, {"food_drink": "tea"})
    cancelled = demo_context.meetings.add([contact.id or 0], datetime(2026, 12, 1, 10), tz="UTC")
    demo_context.meetings.cancel(cancelled.id or 0)
    with pytest.raises(InputError, match="cancelled"):
        demo_context.debriefs.record(cancelled.id or 0, {"food_drink": "tea"})
    assert demo_context.contact_repo.get(contact.id or 0).last_met is None


def _fresh_contact(context: AppContext) -> Contact:
    """A demo contact never met before."""
    return next(c for c in context.contact_repo.list() if c.last_met is None)


def test_debrief_marks_done_moves_last_met_and_stage_and_adds_follow_ups(
    demo_context: AppContext,
) -> None:
    contact = _fresh_contact(demo_context)
    assert contact.stage == RelationshipStage.NEW
    # 23:30 in Tokyo on 2 Dec is 14:30 UTC: the meeting's own day is the local one.
    meeting = demo_context.meetings.add(
        [contact.id or 0], datetime(2026, 12, 2, 23, 30), tz="Asia/Tokyo"
    )
    result = demo_context.debriefs.record(
        meeting.id or 0,
        {"food_drink": "Both had matcha", "business": "Sells robots to farms", "rating": 5},
        [("Send the paper on soil sensors", date(2026, 12, 10)), ("Introduce to Bo", None)],
    )
    assert result.meeting.status == MeetingStatus.DONE
    assert result.meeting.sequence == 1
    updated = demo_context.contact_repo.get(contact.id or 0)
    assert updated.last_met == date(2026, 12, 2)
    assert updated.stage == RelationshipStage.MET
    assert [(f.text, f.due) for f in result.follow_ups] == [
        ("Send the paper on soil sensors", date(2026, 12, 10)),
        ("Introduce to Bo", None),
    ]


def test_debrief_can_be_edited_later_keeping_what_was_not_given(demo_context: AppContext) -> None:
    meeting = demo_context.meetings.add([1], datetime(2026, 12, 3, 10), tz="Europe/Lisbon")
    mid = meeting.id or 0
    demo_context.debriefs.record(mid, {"food_drink": "Bica", "ambitions": "Open a Porto office"},
                                 [("Send deck", date(2026, 12, 10))])  # fmt: skip
    again = demo_context.debriefs.record(
        mid, {"ambitions": "Open offices in Porto and Madrid", "service": ""},
        [("Send deck", date(2026, 12, 12))],
    )  # fmt: skip
    assert again.debrief.food_drink == "Bica"
    assert again.debrief.ambitions == "Open offices in Porto and Madrid"
    assert again.debrief.service is None
    assert again.meeting.sequence == 1  # already done: no further change of the event
    assert [(f.text, f.due) for f in demo_context.debriefs.follow_ups(mid)] == [
        ("Send deck", date(2026, 12, 12))
    ]


def test_debrief_of_unknown_meeting_or_bad_rating_changes_nothing(demo_context: AppContext) -> None:
    with pytest.raises(NotFoundError):
        demo_context.debriefs.record(9999, {"notes": "x"})
    meeting = demo_context.meetings.add([1], datetime(2026, 12, 3, 10), tz="Europe/Lisbon")
    with pytest.raises(InputError):
        demo_context.debriefs.record(meeting.id or 0, {"rating": 9})
    with pytest.raises(InputError):
        demo_context.debriefs.record(meeting.id or 0, {"notes": "x"}, [("   ", None)])
    assert demo_context.meetings.get(meeting.id or 0).status == MeetingStatus.PROPOSED
    assert demo_context.debriefs.get(meeting.id or 0) is None


def test_brief_shows_every_past_meeting_what_was_last_heard_and_open_follow_ups(
    demo_context: AppContext,
) -> None:
    contact = _fresh_contact(demo_context)
    cid = contact.id or 0
    first = demo_context.meetings.add([cid], datetime(2026, 10, 1, 9), tz="Europe/Paris")
    second = demo_context.meetings.add([cid], datetime(2026, 11, 5, 9), tz="Europe/Paris")
    upcoming = demo_context.meetings.add([cid], datetime(2027, 1, 5, 9), tz="Europe/Paris")
    cancelled = demo_context.meetings.add([cid], datetime(2026, 11, 20, 9), tz="Europe/Paris")
    demo_context.meetings.cancel(cancelled.id or 0)
    demo_context.debriefs.record(
        first.id or 0,
        {"business": "Runs a bakery chain", "challenges": "Rent in Paris", "in_common": "Cycling"},
        [("Send the bike route", None)],
    )
    demo_context.debriefs.record(
        second.id or 0, {"business": "Opened a third bakery", "weather_journey": "Sunny walk"}
    )
    now = datetime(2026, 11, 26, tzinfo=UTC)
    briefing = demo_context.briefings.brief(cid, now=now)
    assert [m.meeting.id for m in briefing.meetings] == [first.id, second.id]
    assert [m.meeting.id for m in briefing.upcoming] == [upcoming.id]
    assert briefing.meetings[0].debrief is not None
    assert briefing.meetings[0].debrief.in_common == "Cycling"
    assert briefing.last_heard.business == "Opened a third bakery"
    assert briefing.last_heard.challenges == "Rent in Paris"
    assert briefing.last_heard.ambitions is None
    assert [f.text for f in briefing.follow_ups] == ["Send the bike route"]
    assert any("Rent in Paris" in q for q in briefing.questions)
    demo_context.debriefs.complete_follow_up(briefing.follow_ups[0].id or 0)
    assert demo_context.briefings.brief(cid, now=now).follow_ups == []
    with pytest.raises(NotFoundError):
        demo_context.debriefs.complete_follow_up(99999)
    assert any("two or three years" in q for q in briefing.questions)  # ambitions unknown


def test_questions_invite_them_to_talk_and_ask_about_what_is_unknown() -> None:
    stranger = Contact(first_name="Ana", last_name="Silva", company="Cork & Co",
                       position="Head of Sales", location_text="Lisbon")  # fmt: skip
    unknown = briefing_questions(stranger, [])
    assert "What does a good week look like for you as Head of Sales at Cork & Co?" in unknown
    assert "How did you come to join Cork & Co?" in unknown
    assert "What do you enjoy most outside work?" in unknown
    known = briefing_questions(
        Contact(first_name="Ana", interests=["sailing"], past_experience=["a diplomat"]),
        [Debrief(meeting_id=1, ambitions="Sail to the Azores", business="Exports cork")],
    )
    assert 'How far along are you with "Sail to the Azores"?' in known
    assert "What got you into sailing, and what keeps you at it?" in known
    assert "What did your time as a diplomat teach you that you still use?" in known
    assert not any("outside work" in q for q in known)
    assert all(q.endswith("?") for q in unknown + known)
    assert len(unknown) <= 8 and len(known) <= 8


def _follow_up_after_a_meeting(context: AppContext) -> tuple[int, int, int]:
    """A follow-up recorded in a debrief: (its id, its contact, its meeting)."""
    cid = _fresh_contact(context).id or 0
    meeting = context.meetings.add([cid], datetime(2026, 11, 5, 9), tz="Europe/Paris")
    result = context.debriefs.record(meeting.id or 0, {}, [("Send the deck", date(2027, 1, 20))])
    [follow_up] = result.follow_ups
    return follow_up.id or 0, cid, meeting.id or 0


def test_marking_a_follow_up_done_returns_it_as_stored(demo_context: AppContext) -> None:
    follow_up_id, cid, meeting_id = _follow_up_after_a_meeting(demo_context)
    done = demo_context.debriefs.complete_follow_up(follow_up_id)
    assert (done.id, done.contact_id, done.meeting_id) == (follow_up_id, cid, meeting_id)
    assert done.done and done.done_at is not None
    assert demo_context.follow_up_repo.get(follow_up_id) == done
    assert demo_context.follow_up_repo.for_contact(cid, open_only=True) == []


def test_opening_a_follow_up_again_undoes_marking_it_done(demo_context: AppContext) -> None:
    follow_up_id, cid, meeting_id = _follow_up_after_a_meeting(demo_context)
    before = demo_context.follow_up_repo.get(follow_up_id)
    demo_context.debriefs.complete_follow_up(follow_up_id)
    reopened = demo_context.debriefs.complete_follow_up(follow_up_id, done=False)
    assert (reopened.contact_id, reopened.meeting_id) == (cid, meeting_id)
    assert not reopened.done and reopened.done_at is None
    assert reopened == before
    now = datetime(2027, 1, 15, tzinfo=UTC)
    assert [f.id for f in demo_context.briefings.brief(cid, now=now).follow_ups] == [follow_up_id]


def test_marking_a_done_follow_up_done_again_keeps_when_it_was_done(
    demo_context: AppContext,
) -> None:
    follow_up_id, _, _ = _follow_up_after_a_meeting(demo_context)
    first = demo_context.debriefs.complete_follow_up(follow_up_id)
    demo_context.debriefs.clock = lambda: datetime(2027, 2, 1, tzinfo=UTC)
    again = demo_context.debriefs.complete_follow_up(follow_up_id)
    assert again.done_at == first.done_at
    with pytest.raises(NotFoundError):
        demo_context.debriefs.complete_follow_up(99999, done=False)

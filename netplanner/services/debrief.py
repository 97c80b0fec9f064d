"""Recording what was shared at a meeting: the debrief, its follow-ups, and what follows.

Recording marks the meeting done and moves each contact's last-met date, which feeds the
keep-in-touch cadence. Re-running it edits: fields not given keep what was recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime

from netplanner.domain.entities import Debrief, FollowUp, Meeting, MeetingStatus
from netplanner.domain.errors import InputError
from netplanner.domain.localtime import utc_to_local
from netplanner.storage.repositories import (
    DebriefRepository,
    FollowUpRepository,
    MeetingRepository,
)
from netplanner.storage.repositories.meeting_records import MeetingRecordRepository

DEBRIEF_FIELDS = (
    "food_drink",
    "service",
    "weather_journey",
    "in_common",
    "disliked",
    "business",
    "ambitions",
    "challenges",
    "learned",
    "notes",
    "rating",
)


@dataclasses.dataclass
class DebriefResult:
    debrief: Debrief
    meeting: Meeting
    follow_ups: list[FollowUp]


class DebriefService:
    """Records and reads debriefs."""

    def __init__(
        self,
        meetings: MeetingRepository,
        debriefs: DebriefRepository,
        records: MeetingRecordRepository,
        follow_up_repo: FollowUpRepository,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        # A debrief of a meeting still to come would move "last met" into the future.
        self.clock = clock
        self.meetings = meetings
        self.debriefs = debriefs
        self.records = records
        self.follow_up_repo = follow_up_repo

    def record(
        self,
        meeting_id: int,
        fields: Mapping[str, object],
        follow_ups: Sequence[tuple[str, date | None]] = (),
    ) -> DebriefResult:
        """Record or update the debrief of a meeting, all at once or not at all.

        ``fields`` holds only what was given (None leaves a field as it was; "" clears it).
        Each follow-up is kept for every contact of the meeting, so each one's briefing shows it.
        """
        unknown = set(fields) - set(DEBRIEF_FIELDS)
        if unknown:
            raise InputError(f"A debrief has no field called '{sorted(unknown)[0]}'.")
        rating = fields.get("rating")
        if rating is not None and (not isinstance(rating, int) or not 1 <= rating <= 5):
            raise InputError("A rating is a whole number from 1 to 5.")
        meeting = self.meetings.get(meeting_id)
        if meeting.start_utc > self.clock():
            day = utc_to_local(meeting.start_utc, meeting.tzid).date()
            raise InputError(
                f"Meeting {meeting_id} is on {day.isoformat()}, still to come; record its "
                "debrief once it has happened."
            )
        if meeting.status == MeetingStatus.CANCELLED:
            raise InputError(f"Meeting {meeting_id} was cancelled; there is nothing to debrief.")
        debrief = self.debriefs.for_meeting(meeting_id) or Debrief(meeting_id=meeting_id)
        for key, value in fields.items():
            if value is None:
                continue
            if isinstance(value, str):
                value = value.strip() or None
            setattr(debrief, key, value)
        wanted: list[FollowUp] = []
        for text, due in follow_ups:
            clean = " ".join(text.split())
            if not clean:
                raise InputError("A follow-up needs some text.")
            wanted.extend(
                FollowUp(contact_id=cid, text=clean, due=due, meeting_id=meeting_id)
                for cid in meeting.contact_ids
            )
        met_on = utc_to_local(meeting.start_utc, meeting.tzid).date()
        saved, updated_meeting, stored = self.records.record_debrief(debrief, met_on, wanted)
        return DebriefResult(saved, updated_meeting, stored)

    def get(self, meeting_id: int) -> Debrief | None:
        self.meetings.get(meeting_id)
        return self.debriefs.for_meeting(meeting_id)

    def follow_ups(self, meeting_id: int) -> list[FollowUp]:
        return self.records.follow_ups_for_meeting(meeting_id)

    def complete_follow_up(self, follow_up_id: int, done: bool = True) -> FollowUp:
        """The stored follow-up, marked done (or open again: the undo of marking it done).

        It leaves (or rejoins) the briefings and Today; the answer carries its contact and
        meeting, so the caller can say what changed.
        """
        return self.follow_up_repo.set_done(follow_up_id, done, self.clock())

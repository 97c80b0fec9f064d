"""A contact's history: meetings, their debriefs and the follow-ups, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from netplanner.storage.repositories import (
    DebriefRepository,
    FollowUpRepository,
    MeetingRepository,
)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a contact's history, ready to read."""

    when: date | None
    kind: str  # "meeting", "debrief", "follow-up"
    text: str
    meeting_id: int | None = None  # the meeting it is about, so the window can open it


class TimelineService:
    """Reads the history of a contact for the detail panel."""

    def __init__(
        self,
        meetings: MeetingRepository,
        debriefs: DebriefRepository,
        follow_ups: FollowUpRepository,
    ) -> None:
        self.meetings = meetings
        self.debriefs = debriefs
        self.follow_ups = follow_ups

    def for_contact(self, contact_id: int) -> list[TimelineEntry]:
        """The contact's meetings, debriefs and follow-ups, newest first."""
        entries: list[TimelineEntry] = []
        for meeting in self.meetings.list(contact_id=contact_id):
            day = meeting.start_utc.date()
            others = len(meeting.contact_ids) - 1
            with_others = f" with {others} others" if others > 0 else ""
            status = f"{meeting.status.value.capitalize()}{with_others}"
            entries.append(TimelineEntry(day, "meeting", status, meeting.id))
            if meeting.id is not None:
                debrief = self.debriefs.for_meeting(meeting.id)
                if debrief is not None:
                    parts = [
                        text
                        for text in (debrief.in_common, debrief.business, debrief.learned)
                        if text
                    ]
                    text = " · ".join(parts) or "Debrief written"
                    entries.append(TimelineEntry(day, "debrief", text, meeting.id))
        for follow_up in self.follow_ups.for_contact(contact_id):
            state = "done" if follow_up.done else "open"
            text = f"{follow_up.text} ({state})"
            entries.append(TimelineEntry(follow_up.due, "follow-up", text, follow_up.meeting_id))
        entries.sort(key=lambda e: e.when or date.min, reverse=True)
        return entries

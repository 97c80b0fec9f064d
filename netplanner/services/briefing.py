"""The briefing before meeting someone: who they are, what was shared, what to ask."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from netplanner.domain.briefing import LastHeard, briefing_questions, last_heard
from netplanner.domain.entities import Contact, Debrief, FollowUp, Meeting, MeetingStatus
from netplanner.domain.localtime import utc_to_local
from netplanner.storage.repositories import (
    ContactRepository,
    DebriefRepository,
    FollowUpRepository,
    MeetingRepository,
    VenueRepository,
)


@dataclass
class MeetingMemory:
    """One meeting with a contact and what was shared at it (if it was debriefed)."""

    meeting: Meeting
    venue: str | None
    local_start: datetime
    debrief: Debrief | None


@dataclass
class Briefing:
    contact: Contact
    meetings: list[MeetingMemory] = field(default_factory=list)  # past, oldest first
    upcoming: list[MeetingMemory] = field(default_factory=list)
    last_heard: LastHeard = field(default_factory=LastHeard)
    follow_ups: list[FollowUp] = field(default_factory=list)  # open ones
    questions: list[str] = field(default_factory=list)


class BriefingService:
    """Builds briefings from contacts, meetings, debriefs and follow-ups."""

    def __init__(
        self,
        contacts: ContactRepository,
        meetings: MeetingRepository,
        venues: VenueRepository,
        debriefs: DebriefRepository,
        follow_ups: FollowUpRepository,
    ) -> None:
        self.contacts = contacts
        self.meetings = meetings
        self.venues = venues
        self.debriefs = debriefs
        self.follow_ups = follow_ups

    def brief(self, contact_id: int, now: datetime | None = None) -> Briefing:
        """Everything worth knowing before meeting this contact."""
        now = now or datetime.now(UTC)
        contact = self.contacts.get(contact_id)
        venue_names: dict[int, str] = {}
        past: list[MeetingMemory] = []
        upcoming: list[MeetingMemory] = []
        for meeting in self.meetings.list(contact_id=contact_id):
            if meeting.status == MeetingStatus.CANCELLED:
                continue
            venue = None
            if meeting.venue_id is not None:
                if meeting.venue_id not in venue_names:
                    venue_names[meeting.venue_id] = self.venues.get(meeting.venue_id).name
                venue = venue_names[meeting.venue_id]
            memory = MeetingMemory(
                meeting=meeting,
                venue=venue,
                local_start=utc_to_local(meeting.start_utc, meeting.tzid),
                debrief=self.debriefs.for_meeting(meeting.id) if meeting.id else None,
            )
            done = meeting.status == MeetingStatus.DONE or memory.debrief is not None
            (past if done or meeting.start_utc < now else upcoming).append(memory)
        debriefs = [m.debrief for m in past if m.debrief is not None]
        open_follow_ups = self.follow_ups.for_contact(contact_id, open_only=True)
        return Briefing(
            contact=contact,
            meetings=past,
            upcoming=upcoming,
            last_heard=last_heard(debriefs),
            follow_ups=open_follow_ups,
            questions=briefing_questions(contact, debriefs, open_follow_ups),
        )

    def essentials(self, contact_id: int, now: datetime | None = None) -> str:
        """A few plain lines for a calendar event's description."""
        briefing = self.brief(contact_id, now)
        contact = briefing.contact
        lines = [contact.name]
        role = " at ".join(p for p in (contact.position, contact.company) if p)
        if role:
            lines[0] += f", {role}"
        if briefing.meetings:
            last = briefing.meetings[-1]
            lines.append(
                f"Met {len(briefing.meetings)} time(s), last on {last.local_start:%Y-%m-%d}"
                + (f" at {last.venue}" if last.venue else "")
                + "."
            )
        heard = briefing.last_heard
        for label, value in (
            ("Business", heard.business),
            ("Ambitions", heard.ambitions),
            ("Challenges", heard.challenges),
        ):
            if value:
                lines.append(f"{label}: {value}")
        if contact.interests:
            lines.append("Interests: " + ", ".join(contact.interests))
        for follow_up in briefing.follow_ups:
            due = f" (due {follow_up.due.isoformat()})" if follow_up.due else ""
            lines.append(f"Follow-up: {follow_up.text}{due}")
        for question in briefing.questions[:3]:
            lines.append(f"Ask: {question}")
        return "\n".join(lines)

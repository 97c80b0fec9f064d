"""Invitation drafts: a short personal message naming the place, the day and a few times.

The templates use what the user knows of the contact (role, a recent change of job, a
shared interest, a past meeting) and keep the message about them; every draft goes through
``domain.message_check`` so the user sees a warning if an edit turns it into a pitch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from netplanner.domain.entities import Contact, MeetingStatus
from netplanner.domain.message_check import MessageWarning, check_message
from netplanner.settings import Settings, SettingsProvider, provider_of
from netplanner.storage.repositories import DebriefRepository, MeetingRepository

JOB_CHANGE_TAGS = frozenset({"new role", "new-role", "new job", "new-job", "job change"})


@dataclass(frozen=True)
class InvitationFacts:
    """What the draft may mention about the contact."""

    first_name: str
    position: str | None = None
    company: str | None = None
    changed_job: bool = False
    shared_interest: str | None = None
    last_met: date | None = None
    last_in_common: str | None = None


@dataclass
class InvitationDraft:
    text: str
    warnings: list[MessageWarning] = field(default_factory=list)


def _times_words(times: Sequence[datetime]) -> str:
    words = [t.strftime("%H:%M") for t in times]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" or {words[-1]}"


def compose_invitation(
    facts: InvitationFacts,
    place_name: str,
    city: str | None,
    day: date,
    times: Sequence[datetime],
    sender: str = "",
) -> str:
    """The text of an invitation from the facts; every branch stays about the recipient."""
    lines = [f"Hi {facts.first_name},", ""]
    role = " at ".join(p for p in (facts.position, facts.company) if p)
    if facts.changed_job and role:
        opener = f"congratulations on your new role as {role}! How are the first months going?"
    elif facts.last_met is not None:
        opener = f"it has been a while since our coffee in {facts.last_met:%B %Y}"
        opener += ". I would love to hear how things have moved on for you."
        if facts.last_in_common:
            common = facts.last_in_common.strip().rstrip(".")
            opener += f" (And I still remember what we found in common: {common[:1].lower()}"
            opener += f"{common[1:]}.)"
    elif role:
        opener = f"I have been following your work as {role} and would love to hear more about it."
    else:
        opener = "I would love to hear what you are working on these days."
    lines.append(opener[0].upper() + opener[1:])
    if facts.shared_interest:
        lines.append(
            f"And you are into {facts.shared_interest} too, which I would enjoy hearing about."
        )
    where = f" in {city}" if city else ""
    when = f"{day:%A} {day.day} {day:%B}"
    ask = f"I will be{where} around {when}. Would you have time for a coffee at {place_name}?"
    if times:
        ask += f" {_times_words(times)}, whichever suits you best."
    lines += ["", ask, "", "Best,"]
    if sender:
        lines.append(sender)
    return "\n".join(lines)


class InvitationTemplate(Enum):
    """The kinds of invitation the user can start from; the value is what the window shows."""

    FIRST_COFFEE = "First coffee"
    CATCHING_UP = "Catching up"
    IN_TOWN = "I'll be in town"

    @property
    def label(self) -> str:
        return self.value


def default_template(facts: InvitationFacts) -> InvitationTemplate:
    """Catching up with someone met before, a first coffee with someone never met."""
    return InvitationTemplate.CATCHING_UP if facts.last_met else InvitationTemplate.FIRST_COFFEE


def invitation_subject(day: date, city: str | None = None) -> str:
    """``Coffee in Lisbon on Thursday 3 December?`` — the e-mail subject of an invitation."""
    where = f" in {city}" if city else ""
    return f"Coffee{where} on {day:%A} {day.day} {day:%B}?"


def _work(facts: InvitationFacts) -> str:
    """``as CTO at Kestrel``, ``as CTO`` or ``at Kestrel``; empty when neither is known."""
    words = f" as {facts.position}" if facts.position else ""
    return (words + (f" at {facts.company}" if facts.company else "")).strip()


def _in_common(facts: InvitationFacts) -> str:
    if not facts.last_in_common:
        return ""
    common = facts.last_in_common.strip().rstrip(".")
    return f"(And I still remember what we found in common: {common[:1].lower()}{common[1:]}.)"


def _first_coffee(facts: InvitationFacts, where: str, when: str, place: str) -> list[str]:
    work = _work(facts)
    if facts.changed_job and facts.position:
        opener = f"Congratulations on your new role {work}! How are the first months going?"
    elif work:
        opener = (
            f"I have been following your work {work} and would love to hear more about it: "
            "what you are building, and what is keeping you busy."
        )
    else:
        opener = "We have not met yet, and I would love to hear what you are working on."
    if facts.shared_interest:
        opener += f" I saw you are into {facts.shared_interest} too; how did you get into it?"
    ask = f"I will be{where} around {when}. Would you have time for a first coffee at {place}?"
    return [opener, ask]


def _catching_up(facts: InvitationFacts, where: str, when: str, place: str) -> list[str]:
    if facts.last_met is not None:
        parts = [f"It has been a while since our coffee in {facts.last_met:%B %Y}."]
    else:
        parts = ["It has been a while since we last caught up."]
    parts.append("I would love to hear how things have moved on for you, and what is next.")
    if facts.changed_job and facts.position:
        parts.append(f"And congratulations on your new role {_work(facts)}!")
    elif facts.company:
        parts.append(f"How are things at {facts.company}?")
    if facts.shared_interest:
        parts.append(f"Are you still into {facts.shared_interest}?")
    if facts.last_in_common:
        parts.append(_in_common(facts))
    ask = f"I will be{where} around {when}. Would you have time to catch up over coffee at {place}?"
    return [" ".join(parts), ask]


def _in_town(facts: InvitationFacts, where: str, when: str, place: str) -> list[str]:
    opener = f"I will be{where} around {when}, and it would be good to see you while I am there."
    if facts.changed_job and facts.position:
        opener += f" How is the new role {_work(facts)} going?"
    elif facts.company:
        opener += f" How are things going for you at {facts.company}?"
    else:
        opener += " How are things going for you?"
    if facts.shared_interest:
        opener += f" And are you still into {facts.shared_interest}?"
    return [opener, f"Would you have time for a coffee at {place}?"]


_Body = Callable[[InvitationFacts, str, str, str], list[str]]
_BODIES: dict[InvitationTemplate, _Body] = {
    InvitationTemplate.FIRST_COFFEE: _first_coffee,
    InvitationTemplate.CATCHING_UP: _catching_up,
    InvitationTemplate.IN_TOWN: _in_town,
}


def compose_from_template(
    template: InvitationTemplate | None,
    facts: InvitationFacts,
    place_name: str,
    city: str | None,
    day: date,
    times: Sequence[datetime],
    sender: str = "",
) -> str:
    """The text of an invitation of the kind ``template`` (None: ``compose_invitation``'s)."""
    if template is None:
        return compose_invitation(facts, place_name, city, day, times, sender)
    where = f" in {city}" if city else ""
    paragraphs = _BODIES[template](facts, where, f"{day:%A} {day.day} {day:%B}", place_name)
    if times:
        paragraphs[-1] += f" {_times_words(times)}, whichever suits you best."
    signature = "Best," + (f"\n{sender}" if sender else "")
    return "\n\n".join([f"Hi {facts.first_name},", *paragraphs, signature])


class InvitationService:
    """Drafts invitations from what is stored about a contact, signed as the current profile."""

    def __init__(
        self,
        settings: SettingsProvider | Settings,
        meetings: MeetingRepository,
        debriefs: DebriefRepository,
    ) -> None:
        self._settings = provider_of(settings)
        self.meetings = meetings
        self.debriefs = debriefs

    @property
    def settings(self) -> Settings:
        return self._settings.current()

    def facts_for(self, contact: Contact) -> InvitationFacts:
        mine = {i.casefold() for i in self.settings.profile.interests}
        shared = next((i for i in contact.interests if i.casefold() in mine), None)
        changed = any(t.casefold() in JOB_CHANGE_TAGS for t in contact.tags)
        last_met, in_common = contact.last_met, None
        if contact.id is not None:
            past = [m for m in self.meetings.list(contact.id) if m.status is MeetingStatus.DONE]
            if past:
                latest = past[-1]
                last_met = last_met or latest.start_utc.date()
                debrief = self.debriefs.for_meeting(latest.id) if latest.id else None
                in_common = debrief.in_common if debrief else None
        return InvitationFacts(
            first_name=contact.first_name or contact.name,
            position=contact.position,
            company=contact.company,
            changed_job=changed,
            shared_interest=shared,
            last_met=last_met,
            last_in_common=in_common,
        )

    def draft(
        self,
        contact: Contact,
        place_name: str,
        day: date,
        times: Sequence[datetime],
        city: str | None = None,
        template: InvitationTemplate | None = None,
    ) -> InvitationDraft:
        """A draft for ``contact`` with the message check's warnings (none for a fresh draft)."""
        return self.draft_from_facts(
            self.facts_for(contact), place_name, day, times, city, template
        )

    def draft_from_facts(
        self,
        facts: InvitationFacts,
        place_name: str,
        day: date,
        times: Sequence[datetime],
        city: str | None = None,
        template: InvitationTemplate | None = None,
    ) -> InvitationDraft:
        """A draft from facts read before, so switching templates reads nothing again."""
        text = compose_from_template(
            template, facts, place_name, city, day, times, self.settings.profile.name
        )
        return InvitationDraft(text, check_message(text))

    def check(self, text: str) -> list[MessageWarning]:
        return check_message(text)

"""Questions worth asking a contact: open, about them, drawn from what is known and what is not.

What is known gives a thread to pick up ("last time you said ..."); what is not known yet
gives an invitation to tell ("how did you come to ..."). None of them pitches anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from netplanner.domain.entities import Contact, Debrief, FollowUp

MAX_QUESTIONS = 8


@dataclass(frozen=True)
class LastHeard:
    """Their business, ambitions and challenges as last heard (None where never heard)."""

    business: str | None = None
    ambitions: str | None = None
    challenges: str | None = None


def last_heard(debriefs_oldest_first: Sequence[Debrief]) -> LastHeard:
    """The latest non-empty business, ambitions and challenges across the debriefs."""
    found: dict[str, str | None] = {"business": None, "ambitions": None, "challenges": None}
    for debrief in debriefs_oldest_first:
        for key in found:
            value = getattr(debrief, key)
            if value and value.strip():
                found[key] = value.strip()
    return LastHeard(**found)


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def briefing_questions(
    contact: Contact,
    debriefs_oldest_first: Sequence[Debrief],
    open_follow_ups: Sequence[FollowUp] = (),
) -> list[str]:
    """Up to ``MAX_QUESTIONS`` open questions that invite the contact to talk about themselves."""
    heard = last_heard(debriefs_oldest_first)
    questions: list[str] = []
    at = f" at {contact.company}" if contact.company else ""

    # Threads to pick up: what they told the user last time.
    if heard.challenges:
        questions.append(
            f'Last time you mentioned "{_clip(heard.challenges)}": how has that turned out?'
        )
    if heard.ambitions:
        questions.append(f'How far along are you with "{_clip(heard.ambitions)}"?')
    if heard.business:
        questions.append(
            f'What has changed in your business since we spoke ("{_clip(heard.business)}")?'
        )
    for interest in contact.interests[:2]:
        questions.append(f"What got you into {interest}, and what keeps you at it?")
    if contact.past_experience:
        questions.append(
            f"What did your time as {contact.past_experience[0]} teach you that you still use?"
        )

    # Invitations to tell what is not known yet.
    if not heard.business:
        if contact.position:
            questions.append(f"What does a good week look like for you as {contact.position}{at}?")
        else:
            questions.append(f"What are you working on these days{at}?")
    if not heard.ambitions:
        questions.append("Where would you like your work to be in two or three years?")
    if not heard.challenges:
        questions.append("What is the hardest part of your work right now?")
    if not contact.interests:
        questions.append("What do you enjoy most outside work?")
    if not debriefs_oldest_first and contact.company:
        questions.append(f"How did you come to join {contact.company}?")
    if contact.location_text:
        questions.append(f"What do you like best about living in {contact.location_text}?")
    if open_follow_ups:
        questions.append("Is there anything I can do to help with what you are working on?")

    unique: list[str] = []
    for question in questions:
        if question not in unique:
            unique.append(question)
    return unique[:MAX_QUESTIONS]

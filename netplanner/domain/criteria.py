"""Who belongs in the network: each contact or invitation "fits" or "does not fit, because ...".

The verdict is worded for the user, so it names the rule that failed rather than a score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netplanner.domain.entities import ConnectionCriteria, Contact, Invitation
from netplanner.domain.geo import distance_km


@dataclass(frozen=True)
class Verdict:
    """Whether someone fits the criteria and, if not, every reason why."""

    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def fits(self) -> bool:
        return not self.reasons

    @property
    def text(self) -> str:
        """``fits`` or ``does not fit, because ...`` as shown to the user."""
        if self.fits:
            return "fits"
        return "does not fit, because " + "; ".join(self.reasons)


def _words(text: str | None) -> str:
    """Lower-case text with punctuation as single spaces ("&" as "and"), padded for matching."""
    lowered = (text or "").casefold().replace("&", " and ")
    return " " + re.sub(r"[^\w]+", " ", lowered).strip() + " "


def mentions(text: str | None, term: str) -> bool:
    """Whether ``term`` appears in ``text`` as whole words ("recruiter" in "Senior Recruiter")."""
    wanted = _words(term).strip()
    if not wanted:
        return False
    haystack = _words(text)
    # A plural or a longer form counts too: "recruit" in "recruiting", "recruiter" in "recruiters".
    return re.search(r"\b" + re.escape(wanted), haystack) is not None


def evaluate_contact(
    contact: Contact,
    criteria: ConnectionCriteria,
    home: tuple[float, float] | None = None,
    has_photo: bool | None = None,
) -> Verdict:
    """The verdict for one contact; ``has_photo`` overrides ``contact.photo`` (loaded lazily)."""
    reasons: list[str] = []
    for industry in criteria.avoid_industries:
        if mentions(contact.industry, industry):
            reasons.append(f"the industry '{contact.industry}' is one to avoid")
            break
    for title in criteria.avoid_titles:
        if mentions(contact.position, title):
            reasons.append(f"the job title '{contact.position}' is one to avoid ({title})")
            break
    wanted = _wanted_reason(contact, criteria)
    if wanted:
        reasons.append(wanted)
    if criteria.radius_km and home is not None:
        if contact.lat is None or contact.lon is None:
            reasons.append("their location is not known, so the area around home cannot be checked")
        else:
            km = distance_km(home[0], home[1], contact.lat, contact.lon)
            if km > criteria.radius_km:
                reasons.append(
                    f"they are {km:,.0f} km from home, "
                    f"beyond the {criteria.radius_km:,.0f} km radius"
                )
    photo = has_photo if has_photo is not None else contact.photo is not None
    if criteria.require_photo and not photo:
        reasons.append("there is no profile photo")
    return Verdict(tuple(reasons))


def _wanted_reason(contact: Contact, criteria: ConnectionCriteria) -> str | None:
    """A reason when wanted job types, companies or areas are set and none of them match."""
    if not (criteria.wanted_job_types or criteria.wanted_companies or criteria.wanted_areas):
        return None
    place = " ".join(
        part for part in (contact.location_text, contact.admin1, contact.country_code) if part
    )
    if any(mentions(contact.position, t) for t in criteria.wanted_job_types):
        return None
    if any(mentions(contact.company, c) for c in criteria.wanted_companies):
        return None
    if any(mentions(place, a) for a in criteria.wanted_areas):
        return None
    wanted = [*criteria.wanted_job_types, *criteria.wanted_companies, *criteria.wanted_areas]
    return "their job, company and area match none of the wanted ones (" + ", ".join(wanted) + ")"


def evaluate_invitation(
    invitation: Invitation,
    criteria: ConnectionCriteria,
    contact: Contact | None = None,
    home: tuple[float, float] | None = None,
) -> Verdict:
    """The verdict for a connection request, from what its sender and message reveal.

    Where the sender is already a known contact (same profile URL) their record is judged
    too; otherwise only the message can show an avoided industry or title.
    """
    reasons: list[str] = []
    if contact is not None:
        reasons.extend(evaluate_contact(contact, criteria, home).reasons)
    message = invitation.message or ""
    for term in (*criteria.avoid_titles, *criteria.avoid_industries):
        if mentions(message, term) and not any(term in r for r in reasons):
            reasons.append(f"the message mentions '{term}', which is to be avoided")
            break
    if criteria.require_photo and contact is None:
        reasons.append("there is no profile photo to see")
    return Verdict(tuple(reasons))

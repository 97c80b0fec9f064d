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


# The rules, one function each: ``criteria check``, the Network workspace and the
# suggestions' ranking all judge with these, so they agree on who fits and say it the same way.
def avoided(industry: str | None, position: str | None, criteria: ConnectionCriteria) -> list[str]:
    """Why an industry or a job title is one the user avoids (empty: neither is)."""
    reasons: list[str] = []
    if any(mentions(industry, i) for i in criteria.avoid_industries):
        reasons.append(f"works in {industry}, an industry you avoid")
    if any(mentions(position, t) for t in criteria.avoid_titles):
        reasons.append(f"is a {position}, a role you avoid")
    return reasons


def wanted_matches(
    position: str | None, company: str | None, place: str | None, criteria: ConnectionCriteria
) -> list[str]:
    """What someone matches among the job types, companies and areas the user wants."""
    found: list[str] = []
    if any(mentions(company, c) for c in criteria.wanted_companies):
        found.append(f"works at {company}")
    if any(mentions(position, j) for j in criteria.wanted_job_types):
        found.append(f"is a {position}")
    area = next((a for a in criteria.wanted_areas if mentions(place, a)), None)
    if area is not None:
        found.append(f"is in {area}")
    return found


def wants_any(criteria: ConnectionCriteria) -> bool:
    return bool(criteria.wanted_job_types or criteria.wanted_companies or criteria.wanted_areas)


def wanted_reason(
    position: str | None, company: str | None, place: str | None, criteria: ConnectionCriteria
) -> str | None:
    """A reason when job types, companies or areas are wanted and none of them match."""
    if not wants_any(criteria) or wanted_matches(position, company, place, criteria):
        return None
    wanted = [*criteria.wanted_job_types, *criteria.wanted_companies, *criteria.wanted_areas]
    return "matches none of the job types, companies or areas you want (" + ", ".join(wanted) + ")"


def area_reason(
    lat: float | None,
    lon: float | None,
    home: tuple[float, float] | None,
    criteria: ConnectionCriteria,
) -> str | None:
    """A reason when someone lives outside the radius around home the user wants."""
    if not criteria.radius_km or home is None:
        return None
    if lat is None or lon is None:
        return "where they are is not known, so your area cannot be checked"
    km = distance_km(home[0], home[1], lat, lon)
    if km <= criteria.radius_km:
        return None
    return f"based {km:,.0f} km away, outside your area ({criteria.radius_km:,.0f} km around home)"


def photo_reason(has_photo: bool, criteria: ConnectionCriteria) -> str | None:
    return "has no photo" if criteria.require_photo and not has_photo else None


def evaluate_contact(
    contact: Contact,
    criteria: ConnectionCriteria,
    home: tuple[float, float] | None = None,
    has_photo: bool | None = None,
) -> Verdict:
    """The verdict for one contact; ``has_photo`` overrides ``contact.photo`` (loaded lazily)."""
    place = " ".join(
        part for part in (contact.location_text, contact.admin1, contact.country_code) if part
    )
    photo = has_photo if has_photo is not None else contact.photo is not None
    reasons = avoided(contact.industry, contact.position, criteria)
    for reason in (
        wanted_reason(contact.position, contact.company, place, criteria),
        area_reason(contact.lat, contact.lon, home, criteria),
        photo_reason(photo, criteria),
    ):
        if reason:
            reasons.append(reason)
    return Verdict(tuple(reasons))


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
            reasons.append(f"the message mentions '{term}', which you avoid")
            break
    if criteria.require_photo and contact is None:
        reasons.append("has no photo to see")
    return Verdict(tuple(reasons))

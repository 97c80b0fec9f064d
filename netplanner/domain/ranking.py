"""Whom to meet first: a small additive scoring model whose every part is explained in words.

The score of a contact is the sum of the parts below, each a named weight (``Weights``) times
a factor between 0 and 1. A suggestion carries one reason per part that contributed, so the
user sees why someone is on top. Nobody is hidden: contacts already booked on the trip, or
who do not fit the user's connection criteria, get a large penalty and sink to the bottom.

Parts (defaults in ``Weights``):
- proximity: ``proximity`` at the user's base, falling linearly to 0 at the radius;
- never met: ``never_met`` plus ``never_met_per_year`` per year since connecting (up to 3);
- overdue: last met longer ago than the contact's keep-in-touch cadence: ``overdue`` times
  how far over (1x cadence gives half, 2x or more gives all);
- long since met: no cadence set and last met over a year ago: ``long_since_met``;
- target company: works at one of the user's target companies;
- shared interests: ``shared_interest`` for each interest shared with the user, at most two;
- fits criteria: matches a wanted company, job type or area of the user's criteria;
- follow-up due: an open follow-up due by the end of the trip (or already overdue);
- fails criteria / already booked: negative weights that rank the contact down.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from operator import itemgetter

from netplanner.domain.criteria import avoided, photo_reason, wanted_matches
from netplanner.domain.entities import ConnectionCriteria, FollowUp
from netplanner.domain.geo import format_km
from netplanner.domain.nearby import ContactProfile

DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class Weights:
    """How much each part of the score can add (or take away)."""

    proximity: float = 2.0
    never_met: float = 3.0
    never_met_per_year: float = 0.5
    overdue: float = 3.0
    long_since_met: float = 1.5
    target_company: float = 2.5
    shared_interest: float = 1.0
    fits_criteria: float = 1.0
    follow_up_due: float = 2.0
    fails_criteria: float = -10.0
    already_booked: float = -20.0


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class RankingContext:
    """What the ranking knows about the user and the trip."""

    today: date
    window_end: date  # follow-ups due by this day count as due
    radius_km: float
    base_label: str = "you"  # "your hotel", "the centre of Lisbon"
    target_companies: Sequence[str] = ()
    user_interests: Sequence[str] = ()
    criteria: ConnectionCriteria | None = None
    booked_ids: frozenset[int] = frozenset()
    follow_ups: Mapping[int, Sequence[FollowUp]] = field(default_factory=dict)
    booked_label: str = "this trip"
    unit: str = "km"
    weights: Weights = DEFAULT_WEIGHTS

    @cached_property
    def folded_targets(self) -> frozenset[str]:
        return frozenset(_fold(t) for t in self.target_companies)

    @cached_property
    def folded_interests(self) -> frozenset[str]:
        return frozenset(_fold(i) for i in self.user_interests)


@dataclass(frozen=True)
class Suggestion:
    """One contact worth meeting, with the score and the reasons behind it."""

    contact: ContactProfile
    distance_km: float
    score: float
    reasons: tuple[str, ...]
    is_target: bool = False  # works at one of the user's target companies
    # Fits the user's connection criteria (no misfit, and one of the wanted companies, job
    # types or areas when any are set); None when the user has no criteria.
    fits_criteria: bool | None = None
    # The score before rounding, so a narrower radius re-scores exactly (``at_radius``).
    raw_score: float | None = field(default=None, compare=False, repr=False)

    @property
    def last_met(self) -> date | None:
        """When the user last met the contact, if ever."""
        return self.contact.last_met


@lru_cache(maxsize=8192)
def _fold(text: str | None) -> str:
    """Text compared without case or extra spaces; cached, as the same names recur."""
    return " ".join((text or "").casefold().split())


def describe_ago(days: int) -> str:
    """How long ago a number of days was, the way people say it: '14 months ago'."""
    if days <= 0:
        return "today"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 60:
        return f"{round(days / 7)} weeks ago"
    if days < 730:
        return f"{round(days / DAYS_PER_MONTH)} months ago"
    years = days // 365
    return f"{years} years ago"


def _cadence_words(cadence_days: int, elapsed: str) -> str:
    if cadence_days < 28:
        return f"every {cadence_days} days"
    months = max(1, round(cadence_days / DAYS_PER_MONTH))
    # "last met 14 months ago (you wanted every 6)": the unit is already said once.
    if elapsed.endswith("months ago"):
        return f"every {months}"
    return f"every {months} month{'s' if months != 1 else ''}"


def criteria_misfits(profile: ContactProfile, criteria: ConnectionCriteria | None) -> list[str]:
    """Why a contact does not fit the user's criteria; empty when they fit.

    The rules of ``domain.criteria`` (one matcher), all but the area around home: a
    suggestion is someone near where the user will be, and the home area judges who belongs
    in the network, not whom to meet on a trip.
    """
    if criteria is None:
        return []
    found = avoided(profile.industry, profile.position, criteria)
    photo = photo_reason(profile.has_photo, criteria)
    return [*found, photo] if photo else found


def criteria_fits(profile: ContactProfile, criteria: ConnectionCriteria | None) -> list[str]:
    """What a contact matches among the companies, job types and areas the user wants."""
    if criteria is None:
        return []
    return wanted_matches(profile.position, profile.company, profile.location_text, criteria)


def has_criteria(criteria: ConnectionCriteria | None) -> bool:
    """Whether the criteria say anything the ranking judges contacts by."""
    return criteria is not None and bool(
        criteria.avoid_industries
        or criteria.avoid_titles
        or criteria.wanted_job_types
        or criteria.wanted_companies
        or criteria.wanted_areas
        or criteria.require_photo
    )


def fits_verdict(
    criteria: ConnectionCriteria | None, fits: Sequence[str], misfits: Sequence[str]
) -> bool | None:
    """Whether a contact fits: no misfit, and a wanted match when anything is wanted."""
    if criteria is None or not has_criteria(criteria):
        return None
    wants = criteria.wanted_job_types or criteria.wanted_companies or criteria.wanted_areas
    return not misfits and (bool(fits) or not wants)


def _follow_up_words(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def score_contact(profile: ContactProfile, distance: float, ctx: RankingContext) -> Suggestion:
    """The score of one contact for this trip or place, with its reasons in words."""
    w = ctx.weights
    score = 0.0
    reasons: list[str] = []

    closeness = max(0.0, 1.0 - distance / ctx.radius_km) if ctx.radius_km > 0 else 0.0
    score += w.proximity * closeness
    reasons.append(f"{format_km(distance, ctx.unit)} from {ctx.base_label}")

    if profile.last_met is None:
        if profile.connected_on is not None:
            days = (ctx.today - profile.connected_on).days
            years = min(max(days, 0) / 365.0, 3.0)
            score += w.never_met + w.never_met_per_year * years
            reasons.append(f"connected {describe_ago(days)}, never met")
        else:
            score += w.never_met
            reasons.append("never met")
    else:
        days = (ctx.today - profile.last_met).days
        elapsed = describe_ago(days)
        if profile.cadence_days:
            ratio = days / profile.cadence_days
            if ratio >= 1:
                score += w.overdue * min(ratio, 2.0) / 2.0
                wanted = _cadence_words(profile.cadence_days, elapsed)
                reasons.append(f"last met {elapsed} (you wanted {wanted})")
        elif days > 365:
            score += w.long_since_met
            reasons.append(f"last met {elapsed}")

    company = _fold(profile.company)
    is_target = bool(company) and company in ctx.folded_targets
    if is_target:
        score += w.target_company
        reasons.append(f"works at {profile.company}, one of your target companies")

    mine = ctx.folded_interests
    shared = [i for i in profile.interests if _fold(i) in mine]
    if shared:
        score += w.shared_interest * min(len(shared), 2)
        if len(shared) == 1:
            reasons.append(f"shares your interest in {shared[0]}")
        else:
            listed = ", ".join(shared[:-1]) + f" and {shared[-1]}"
            reasons.append(f"shares your interests in {listed}")

    fits = criteria_fits(profile, ctx.criteria)
    if fits:
        score += w.fits_criteria
        reasons.append("fits your criteria: " + "; ".join(fits))

    due = [
        f
        for f in ctx.follow_ups.get(profile.id, ())
        if not f.done and f.due is not None and f.due <= ctx.window_end
    ]
    if due:
        score += w.follow_up_due
        for follow_up in sorted(due, key=lambda f: (f.due or ctx.today, f.id or 0))[:2]:
            reasons.append(f"follow-up due: {_follow_up_words(follow_up.text)}")

    misfits = criteria_misfits(profile, ctx.criteria)
    if misfits:
        score += w.fails_criteria
        reasons.append("does not fit your criteria: " + "; ".join(misfits))

    if profile.id in ctx.booked_ids:
        score += w.already_booked
        reasons.append(f"already booked on {ctx.booked_label}")

    return Suggestion(
        profile,
        distance,
        round(score, 2),
        tuple(reasons),
        is_target=is_target,
        fits_criteria=fits_verdict(ctx.criteria, fits, misfits),
        raw_score=score,
    )


def rank_suggestions(
    candidates: Iterable[tuple[ContactProfile, float]], ctx: RankingContext
) -> list[Suggestion]:
    """Every candidate scored, highest score first (then nearest, then by id)."""
    scored = [score_contact(profile, distance, ctx) for profile, distance in candidates]
    scored.sort(key=lambda s: (-s.score, s.distance_km, s.contact.id))
    return scored


def at_radius(
    ranked: Iterable[Suggestion],
    ranked_km: float,
    radius_km: float,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Suggestion]:
    """Suggestions ranked within ``ranked_km``, as ``rank_suggestions`` gives them for a
    radius of ``radius_km`` no larger: the same people and reasons, closeness re-scored.

    Only the proximity part depends on the radius, so narrowing the radius in the window
    needs no new query and no new ranking.
    """
    return Rescorer(ranked, ranked_km, weights).at(radius_km)


class Rescorer:
    """A wide ranking prepared once for ``at_radius`` at many radii (the Plan's radius
    control): what does not depend on the radius is worked out here, nearest first."""

    def __init__(
        self, ranked: Iterable[Suggestion], ranked_km: float, weights: Weights = DEFAULT_WEIGHTS
    ) -> None:
        self.ranked_km = ranked_km
        self._proximity = p = weights.proximity
        rows: list[tuple[float, float, int, Suggestion]] = []
        for s in ranked:
            d = s.distance_km
            before = max(0.0, 1.0 - d / ranked_km) if ranked_km > 0 else 0.0
            raw = s.score if s.raw_score is None else s.raw_score
            rows.append((d, raw - p * before, s.contact.id, s))  # the score without closeness
        rows.sort(key=_NEAREST)
        self._rows = rows
        self._distances = [row[0] for row in rows]

    def at(self, radius_km: float) -> list[Suggestion]:
        """Everyone within ``radius_km``, re-scored, best first."""
        keyed = self._keyed(radius_km)
        return [_rescored(s, -negative, raw) for negative, _d, _id, raw, s in keyed]

    def order(self, radius_km: float) -> list[Suggestion]:
        """The same people in the same order as ``at``, as the wide ranking's own objects
        (their ``score`` is the wide one): for a list that only needs the order, making
        thousands of new objects was most of a radius step."""
        return [entry[4] for entry in self._keyed(radius_km)]

    def _keyed(self, radius_km: float) -> list[tuple[float, float, int, float, Suggestion]]:
        if radius_km > self.ranked_km:
            raise ValueError("at_radius narrows a ranking; a larger radius needs a new one")
        within = self._rows[: bisect_right(self._distances, radius_km)]
        p = self._proximity
        # Everyone kept is within the radius, so the closeness needs no clamp; sorted on
        # plain tuples.
        if radius_km > 0:
            keyed = [
                (-round(raw := base + p * (1.0 - d / radius_km), 2), d, cid, raw, s)
                for d, base, cid, s in within
            ]
        else:
            keyed = [(-round(base, 2), d, cid, base, s) for d, base, cid, s in within]
        keyed.sort(key=_ORDER)
        return keyed


_NEAREST = itemgetter(0)
_ORDER = itemgetter(0, 1, 2)  # score (highest first), then nearest, then by id


def _rescored(s: Suggestion, score: float, raw: float) -> Suggestion:
    """``s`` with a new score: its fields copied at once, as ``replace`` would set them one
    by one through the frozen class's guard (a third of a radius step at 3,000 people)."""
    fresh = object.__new__(Suggestion)
    fields = dict(s.__dict__)
    fields["score"], fields["raw_score"] = score, raw
    object.__setattr__(fresh, "__dict__", fields)
    return fresh

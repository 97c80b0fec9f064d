"""The Criteria use cases: read the stored criteria, judge a draft as it is typed, save it.

The editor's texts become a ``ConnectionCriteria`` here (``parse_draft``), refusing what
could match nothing with one sentence; judging uses ``services.criteria``' own matcher on
contacts and invitations read once (``CriteriaService.population``), so the live count is
the count ``criteria check`` gives once saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from netplanner.domain.changes import Changes
from netplanner.domain.criteria import Verdict
from netplanner.domain.entities import ConnectionCriteria
from netplanner.domain.errors import InputError
from netplanner.domain.geo import km_to_miles, miles_to_km
from netplanner.domain.progress import ProgressSink
from netplanner.gui.operations import OpHost, QueryOp, WriteOp, Written
from netplanner.services.criteria import CriteriaService, Population
from netplanner.settings import Settings

# Half the earth's circumference: a radius beyond it leaves nobody out, so it is a typo.
MAX_RADIUS_KM = 20_000.0
EXAMPLES = 6  # who would not fit, shown under the count

# The list criteria in the editor's order, with the label each is shown (and named) by.
LIST_LABELS: dict[str, str] = {
    "avoid_industries": "Industries to avoid",
    "avoid_titles": "Job titles to avoid",
    "wanted_job_types": "Job types wanted",
    "wanted_companies": "Companies wanted",
    "wanted_areas": "Areas",
}


class CriteriaServices(Protocol):
    """What the Criteria page needs (an ``AppContext`` has it)."""

    @property
    def criteria(self) -> CriteriaService: ...

    @property
    def settings(self) -> Settings: ...


@dataclass(frozen=True)
class CriteriaTexts:
    """The editor as typed: each list as comma-separated text, the radius in the user's unit."""

    avoid_industries: str = ""
    avoid_titles: str = ""
    wanted_job_types: str = ""
    wanted_companies: str = ""
    wanted_areas: str = ""
    radius: str = ""
    require_photo: bool = False

    def normalized(self) -> CriteriaTexts:
        """The same texts with runs of spaces as one, for telling an edit from a stored value."""
        values = {key: " ".join(getattr(self, key).split()) for key in (*LIST_LABELS, "radius")}
        return CriteriaTexts(**values, require_photo=self.require_photo)


def format_radius(km: float | None, units: str) -> str:
    """The stored radius as the editor shows it, in ``units`` ("" for none)."""
    if km is None:
        return ""
    value = km_to_miles(km) if units == "mi" else km
    return f"{round(value, 1):g}"


def texts_of(criteria: ConnectionCriteria, units: str) -> CriteriaTexts:
    """The stored criteria as the editor's texts."""
    lists = {key: ", ".join(getattr(criteria, key)) for key in LIST_LABELS}
    return CriteriaTexts(
        **lists,
        radius=format_radius(criteria.radius_km, units),
        require_photo=criteria.require_photo,
    )


def _entries(text: str, label: str) -> list[str]:
    """The comma-separated entries of one list; a blank entry or one of no words is refused.

    One trailing comma is allowed, as the user is about to type the next entry.
    """
    if not text.strip():
        return []
    parts = text.split(",")
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    entries = []
    for part in parts:
        entry = " ".join(part.split())
        if not entry:
            raise InputError(f"{label} has an empty entry between commas; remove the extra comma.")
        if not re.search(r"\w", entry):
            raise InputError(
                f"'{entry}' in {label} has no letters or digits, so it matches nothing."
            )
        entries.append(entry)
    return entries


_RADIUS = re.compile(r"(-?(?:\d+(?:\.\d*)?|\.\d+))\s*(km|mi)?", re.IGNORECASE)


def parse_radius(text: str, units: str, home_known: bool) -> float | None:
    """The radius typed, in km (None when empty); "50", "50 km" and "30 mi" are understood."""
    text = text.strip()
    if not text:
        return None
    match = _RADIUS.fullmatch(text)
    if match is None:
        raise InputError(f"The radius around home is a number of {units}, for example 50.")
    value = float(match.group(1))
    unit = (match.group(2) or units).lower()
    km = miles_to_km(value) if unit == "mi" else value
    if km <= 0:
        raise InputError(
            f"The radius around home must be more than 0 {unit}; leave it empty for anywhere."
        )
    if km > MAX_RADIUS_KM:
        limit = km_to_miles(MAX_RADIUS_KM) if unit == "mi" else MAX_RADIUS_KM
        raise InputError(
            f"A radius over {limit:,.0f} {unit} reaches round the whole earth; "
            "leave it empty for anywhere."
        )
    if not home_known:
        raise InputError("Set your home first, or give areas instead.")
    return km


def parse_draft(texts: CriteriaTexts, units: str, home_known: bool) -> ConnectionCriteria:
    """The criteria the editor says, or ``InputError`` with the first thing to fix."""
    lists = [_entries(getattr(texts, key), label) for key, label in LIST_LABELS.items()]
    radius = parse_radius(texts.radius, units, home_known)
    industries, titles, job_types, companies, areas = lists
    return ConnectionCriteria(
        avoid_industries=industries,
        avoid_titles=titles,
        wanted_job_types=job_types,
        wanted_companies=companies,
        wanted_areas=areas,
        radius_km=radius,
        require_photo=texts.require_photo,
    )


@dataclass(frozen=True)
class CriteriaReading:
    """The stored criteria and everyone they judge, read once for the editor."""

    stored: ConnectionCriteria
    population: Population
    units: str
    # Who does not fit the stored criteria: examples of who a draft leaves out anew come first.
    stored_misfit_contacts: frozenset[int] = frozenset()
    stored_misfit_invitations: frozenset[int] = frozenset()

    @property
    def home_known(self) -> bool:
        return self.population.home is not None


@dataclass(frozen=True)
class Example:
    """Someone a draft leaves out, and why in the matcher's words."""

    text: str
    contact_id: int | None = None
    anew: bool = False  # they fit the stored criteria


@dataclass(frozen=True)
class CriteriaOutcome:
    """What a draft does: how many invitations fit, how many contacts would not, examples."""

    invitations_fit: int
    invitations_total: int
    contacts_misfit: int
    contacts_total: int
    examples: list[Example] = field(default_factory=list)

    @property
    def text(self) -> str:
        """``14 of 52 invitations fit; 9 of your 150 contacts would not``, as the page says it."""
        total = self.invitations_total
        if total:
            noun = "invitation fits" if total == 1 else "invitations fit"
            first = f"{self.invitations_fit:,} of {total:,} {noun}"
            tail = ""
        else:
            first, tail = "No pending invitations to judge", " fit"
        if not self.contacts_total:
            return f"{first}; you have no contacts yet"
        noun = "contact" if self.contacts_total == 1 else "contacts"
        return (
            f"{first}; {self.contacts_misfit:,} of your {self.contacts_total:,} {noun} "
            f"would not{tail}"
        )


def _reasons(verdict: Verdict) -> str:
    return "; ".join(verdict.reasons)


def judge(reading: CriteriaReading, criteria: ConnectionCriteria) -> CriteriaOutcome:
    """The outcome of ``criteria`` on what ``reading`` read (pure; runs on the read worker)."""
    contacts = reading.population.judge_contacts(criteria)
    invitations = reading.population.judge_invitations(criteria)
    out_contacts = [c for c in contacts if not c.verdict.fits]
    out_invitations = [i for i in invitations if not i.verdict.fits]
    examples = [
        Example(
            f"{c.contact.name}: {_reasons(c.verdict)}",
            c.contact.id,
            c.contact.id not in reading.stored_misfit_contacts,
        )
        for c in out_contacts
    ] + [
        Example(
            f"Invitation from {i.invitation.from_name}: {_reasons(i.verdict)}",
            None,
            i.invitation.id not in reading.stored_misfit_invitations,
        )
        for i in out_invitations
    ]
    examples.sort(key=lambda e: not e.anew)  # stable: the new misfits first, else as listed
    return CriteriaOutcome(
        invitations_fit=len(invitations) - len(out_invitations),
        invitations_total=len(invitations),
        contacts_misfit=len(out_contacts),
        contacts_total=len(contacts),
        examples=examples[:EXAMPLES],
    )


def read_criteria(host: OpHost, services: CriteriaServices) -> QueryOp[CriteriaReading]:
    """The stored criteria, the contacts and pending invitations, and who misfits now."""

    def read(_progress: ProgressSink) -> CriteriaReading:
        stored = services.criteria.get()
        population = services.criteria.population()
        contacts = population.judge_contacts(stored)
        invitations = population.judge_invitations(stored)
        return CriteriaReading(
            stored,
            population,
            services.settings.units,
            frozenset(c.contact.id for c in contacts if not c.verdict.fits and c.contact.id),
            frozenset(
                i.invitation.id for i in invitations if not i.verdict.fits and i.invitation.id
            ),
        )

    return QueryOp(host, "Read connection criteria", read, latest="criteria-reading")


def judge_draft(
    host: OpHost, reading: CriteriaReading, criteria: ConnectionCriteria
) -> QueryOp[CriteriaOutcome]:
    """The live count for a draft; a newer keystroke's answer supersedes this one."""

    def read(_progress: ProgressSink) -> CriteriaOutcome:
        return judge(reading, criteria)

    return QueryOp(host, "Count who fits", read, latest="criteria-count")


def save_criteria(
    host: OpHost,
    services: CriteriaServices,
    criteria: ConnectionCriteria,
    initiator: object | None = None,
) -> WriteOp[ConnectionCriteria]:
    """Store every criterion of the draft; each verdict and the suggestions may change."""

    def write(_progress: ProgressSink) -> Written[ConnectionCriteria]:
        stored = services.criteria.set(
            avoid_industries=list(criteria.avoid_industries),
            avoid_titles=list(criteria.avoid_titles),
            wanted_job_types=list(criteria.wanted_job_types),
            wanted_companies=list(criteria.wanted_companies),
            wanted_areas=list(criteria.wanted_areas),
            radius_km=criteria.radius_km,
            require_photo=criteria.require_photo,
        )
        return Written(stored, Changes(criteria=True))

    return WriteOp(host, "Save connection criteria", write, initiator=initiator)

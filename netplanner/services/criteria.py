"""Deciding who belongs in the network: connection criteria and target companies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from netplanner.domain.criteria import Verdict, evaluate_contact, evaluate_invitation
from netplanner.domain.entities import ConnectionCriteria, Contact, Invitation, TargetCompany
from netplanner.domain.errors import InputError
from netplanner.domain.sanity import check_radius_km
from netplanner.storage.repositories import ContactRepository
from netplanner.storage.repositories.criteria import CriteriaRepository
from netplanner.storage.repositories.invitations import InvitationRepository
from netplanner.storage.repositories.targets import TargetCompanyRepository

LIST_FIELDS = (
    "avoid_industries",
    "avoid_titles",
    "wanted_job_types",
    "wanted_companies",
    "wanted_areas",
)
# Legal forms that do not tell companies apart: "Acme GmbH" is "Acme".
_LEGAL_FORMS = {
    "inc", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sas", "bv", "nv", "plc", "co",
    "corp", "corporation", "company", "group", "se", "srl", "spa", "oy", "ab", "as", "kk",
}  # fmt: skip


def company_key(name: str | None) -> str:
    """A company name reduced to the words that identify it."""
    words = re.sub(r"[^\w]+", " ", (name or "").casefold()).split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


@dataclass
class ContactVerdict:
    contact: Contact
    verdict: Verdict


@dataclass
class InvitationVerdict:
    invitation: Invitation
    verdict: Verdict


@dataclass
class TargetMatch:
    target: TargetCompany
    contacts: list[Contact]


@dataclass(frozen=True)
class Population:
    """The contacts and invitations (with their known senders) that criteria are judged on.

    Read once by ``CriteriaService.population``; judging it again for each draft is pure
    work on what was read, with the one matcher of ``domain.criteria``.
    """

    contacts: tuple[Contact, ...]
    invitations: tuple[tuple[Invitation, Contact | None], ...]
    home: tuple[float, float] | None
    with_photo: frozenset[int]

    def judge_contacts(self, criteria: ConnectionCriteria) -> list[ContactVerdict]:
        return [
            ContactVerdict(
                c, evaluate_contact(c, criteria, self.home, has_photo=c.id in self.with_photo)
            )
            for c in self.contacts
        ]

    def judge_invitations(self, criteria: ConnectionCriteria) -> list[InvitationVerdict]:
        return [
            InvitationVerdict(
                invitation, evaluate_invitation(invitation, criteria, sender, self.home)
            )
            for invitation, sender in self.invitations
        ]


def _with_senders(
    invitations: Iterable[Invitation], contacts: Iterable[Contact]
) -> tuple[tuple[Invitation, Contact | None], ...]:
    """Each invitation with the other person's contact (same profile URL), if one is known:
    the sender of one received, the invitee of one the user sent."""
    by_url = {c.profile_url.rstrip("/").casefold(): c for c in contacts if c.profile_url}
    result = []
    for invitation in invitations:
        sent = invitation.direction.upper() == "OUTGOING"
        url = (invitation.invitee_profile_url if sent else invitation.inviter_profile_url) or ""
        result.append((invitation, by_url.get(url.rstrip("/").casefold()) if url else None))
    return tuple(result)


class CriteriaService:
    """Criteria get/set and evaluation; target companies and who works at them."""

    def __init__(
        self,
        repo: CriteriaRepository,
        targets: TargetCompanyRepository,
        invitations: InvitationRepository,
        contacts: ContactRepository,
    ) -> None:
        self.repo = repo
        self.targets = targets
        self.invitations = invitations
        self.contacts = contacts

    def get(self) -> ConnectionCriteria:
        return self.repo.get()

    def set(self, **changes: object) -> ConnectionCriteria:
        """Change some criteria; lists are replaced, the rest is kept."""
        criteria = self.repo.get()
        for key, value in changes.items():
            if key in LIST_FIELDS:
                if not isinstance(value, list):
                    raise InputError(f"Criterion '{key}' is a list of words.")
                value = [" ".join(str(v).split()) for v in value if str(v).strip()]
            elif key == "radius_km":
                if value is not None and (
                    isinstance(value, bool) or not isinstance(value, int | float)
                ):
                    raise InputError("The radius around home must be a positive number of km.")
                # inf and nan are floats too: refused here, not stored (nan read back as none)
                value = check_radius_km(value) if value is not None else None
            elif key == "require_photo":
                value = bool(value)
            else:
                raise InputError(f"There is no criterion called '{key}'.")
            setattr(criteria, key, value)
        return self.repo.save(criteria)

    def evaluate_contacts(
        self, ids: Iterable[int] | None = None, criteria: ConnectionCriteria | None = None
    ) -> list[ContactVerdict]:
        """Each contact (all, or those ``ids``) with its verdict.

        ``criteria``: a draft to judge by instead of the stored criteria (nothing is saved).
        """
        criteria = criteria if criteria is not None else self.repo.get()
        photos = self.repo.contact_ids_with_photo() if criteria.require_photo else set()
        contacts = self.contacts.get_many(ids) if ids is not None else self.contacts.list()
        judged = Population(tuple(contacts), (), self.repo.home(), frozenset(photos))
        return judged.judge_contacts(criteria)

    def evaluate_invitations(
        self, status: str | None = "pending", criteria: ConnectionCriteria | None = None
    ) -> list[InvitationVerdict]:
        """Each invitation with its verdict, judging a known sender's record too.

        ``criteria``: a draft to judge by instead of the stored criteria (nothing is saved).
        """
        criteria = criteria if criteria is not None else self.repo.get()
        contacts = self.contacts.list()
        invitations = _with_senders(self.invitations.list(status), contacts)
        return Population((), invitations, self.repo.home(), frozenset()).judge_invitations(
            criteria
        )

    def population(self, status: str | None = "pending") -> Population:
        """Everyone the criteria judge, read once, so drafts can be judged as the user types."""
        contacts = self.contacts.list()
        return Population(
            tuple(contacts),
            _with_senders(self.invitations.list(status), contacts),
            self.repo.home(),
            frozenset(self.repo.contact_ids_with_photo()),
        )

    # Target companies ------------------------------------------------------------------
    def add_target(self, name: str, notes: str | None = None) -> TargetCompany:
        return self.targets.add(name, notes)

    def list_targets(self) -> list[TargetCompany]:
        return self.targets.list()

    def remove_target(self, target_id: int) -> None:
        self.targets.remove(target_id)

    def contacts_at_targets(self) -> list[TargetMatch]:
        """Each target company with the contacts who work there (legal forms ignored)."""
        targets = self.targets.list()
        keys = {t.id: company_key(t.name) for t in targets}
        candidates = self.targets.contacts_with_company_like([k for k in keys.values() if k])
        matches = []
        for target in targets:
            key = keys[target.id]
            found = [
                c
                for c in candidates
                if key and re.search(r"(^| )" + re.escape(key) + r"( |$)", company_key(c.company))
            ]
            matches.append(TargetMatch(target, found))
        return matches

    def is_target(self, company: str | None) -> bool:
        key = company_key(company)
        return bool(key) and any(
            re.search(r"(^| )" + re.escape(company_key(t.name)) + r"( |$)", key)
            for t in self.targets.list()
        )

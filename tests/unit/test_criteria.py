"""Connection criteria say "fits" or "does not fit, because ..."; target companies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from netplanner.domain.criteria import evaluate_contact, evaluate_invitation
from netplanner.domain.entities import ConnectionCriteria, Contact, Invitation
from netplanner.domain.errors import InputError, NotFoundError
from netplanner.services.context import AppContext
from netplanner.services.criteria import company_key
from netplanner.storage.models import InvitationRow

BERLIN = (52.52, 13.405)


def _contact(**kwargs: object) -> Contact:
    values: dict[str, object] = {"first_name": "Ana", "lat": 52.5, "lon": 13.4}
    values.update(kwargs)
    return Contact(**values)  # type: ignore[arg-type]


def test_recruiters_and_avoided_industries_do_not_fit_with_the_reason() -> None:
    criteria = ConnectionCriteria(avoid_industries=["Staffing & Recruiting"],
                                  avoid_titles=["recruiter"])  # fmt: skip
    verdict = evaluate_contact(_contact(position="Senior Technical Recruiter"), criteria)
    assert not verdict.fits
    assert verdict.text.startswith("does not fit, because is a Senior Technical Recruiter, a role")
    assert "recruiter" in verdict.text.casefold()
    industry = evaluate_contact(_contact(industry="Staffing and recruiting"), criteria)
    assert "industry" in industry.text
    assert evaluate_contact(_contact(position="Head of Sales"), criteria).text == "fits"


def test_wanted_job_types_companies_or_areas_need_one_match() -> None:
    criteria = ConnectionCriteria(wanted_job_types=["engineer"], wanted_companies=["Acme"],
                                  wanted_areas=["Portugal"])  # fmt: skip
    assert evaluate_contact(_contact(position="Staff Engineer"), criteria).fits
    assert evaluate_contact(_contact(company="Acme GmbH"), criteria).fits
    assert evaluate_contact(_contact(location_text="Porto, Portugal"), criteria).fits
    verdict = evaluate_contact(_contact(position="Lawyer", company="Initech"), criteria)
    assert not verdict.fits and "none of the job types, companies or areas you want" in verdict.text


def test_radius_around_home_and_photo_required() -> None:
    criteria = ConnectionCriteria(radius_km=50, require_photo=True)
    near_with_photo = _contact(photo=b"\x89PNG")
    assert evaluate_contact(near_with_photo, criteria, BERLIN).fits
    far = evaluate_contact(_contact(lat=48.14, lon=11.58, photo=b"x"), criteria, BERLIN)
    assert "km away, outside your area (50 km around home)" in far.text
    no_photo = evaluate_contact(_contact(), criteria, BERLIN)
    assert no_photo.text == "does not fit, because has no photo"
    nowhere = evaluate_contact(_contact(lat=None, lon=None, photo=b"x"), criteria, BERLIN)
    assert "where they are is not known" in nowhere.text


def test_invitation_is_judged_by_its_message_and_a_known_sender() -> None:
    criteria = ConnectionCriteria(avoid_titles=["recruiter"])
    pitch = Invitation(from_name="Max", to_name="Me", direction="INCOMING",
                       message="Hi! I'm a recruiter with exciting roles for you")  # fmt: skip
    assert "message mentions 'recruiter'" in evaluate_invitation(pitch, criteria).text
    friendly = Invitation(from_name="Ana", to_name="Me", direction="INCOMING",
                          message="We met at the cork conference")  # fmt: skip
    assert evaluate_invitation(friendly, criteria).fits
    known = evaluate_invitation(friendly, criteria, _contact(position="Recruiter"))
    assert not known.fits and "is a Recruiter, a role you avoid" in known.text


def test_criteria_service_sets_evaluates_contacts_and_invitations(
    demo_context: AppContext,
) -> None:
    service = demo_context.criteria
    assert service.get().avoid_titles == ["recruiter"]  # the demo's criteria
    saved = service.set(avoid_titles=["recruiter", " talent  acquisition "], radius_km=800)
    assert saved.avoid_titles == ["recruiter", "talent acquisition"]
    assert service.get().radius_km == 800
    assert service.get().avoid_industries == ["Staffing & Recruiting"]  # kept
    with pytest.raises(InputError):
        service.set(radius_km=-5)
    with pytest.raises(InputError):
        service.set(favourite_colour=["blue"])
    assert service.get().radius_km == 800

    verdicts = service.evaluate_contacts()
    assert len(verdicts) == demo_context.contact_repo.count()
    by_city = {v.contact.location_text: v.verdict for v in verdicts}
    assert "outside your area (800 km around home)" in by_city["Tokyo, Japan"].text
    fits = [v for v in verdicts if v.verdict.fits]
    assert fits and all(v.contact.location_text for v in fits)

    with demo_context.db.session() as session:
        session.add(InvitationRow(from_name="Max Hunter", to_name="Me", direction="INCOMING",
                                  message="I am a recruiter", sent_at=datetime.now(UTC),
                                  source_key="inv-1"))  # fmt: skip
    (invitation,) = [
        v for v in service.evaluate_invitations() if v.invitation.source_key == "inv-1"
    ]
    assert invitation.verdict.text.startswith("does not fit, because the message mentions")


def test_target_companies_add_list_remove_and_who_works_there(demo_context: AppContext) -> None:
    service = demo_context.criteria
    for target in service.list_targets():
        service.remove_target(target.id or 0)
    contact = demo_context.contact_repo.get(1)
    contact.company = "Acme Robotics GmbH"
    demo_context.contact_repo.update(contact)
    other = demo_context.contact_repo.get(2)
    other.company = "Acmeville Bakery"
    demo_context.contact_repo.update(other)

    acme = service.add_target("Acme  Robotics", notes="warehouse robots")
    with pytest.raises(InputError, match="already"):
        service.add_target("acme robotics")
    assert [t.name for t in service.list_targets()] == ["Acme Robotics"]
    (match,) = service.contacts_at_targets()
    assert [c.id for c in match.contacts] == [1]
    assert service.is_target("ACME Robotics, Inc.") and not service.is_target("Acmeville")
    service.remove_target(acme.id or 0)
    assert service.list_targets() == []
    with pytest.raises(NotFoundError):
        service.remove_target(acme.id or 0)


def test_company_key_ignores_legal_forms_and_punctuation() -> None:
    assert company_key("Acme Robotics GmbH") == company_key("ACME robotics, Inc.")
    assert company_key("Inc") == "inc"


def test_a_sent_invitation_is_judged_by_the_person_invited(demo_context: AppContext) -> None:

    service = demo_context.criteria
    recruiter = next(
        c
        for c in demo_context.contact_repo.list()
        if c.profile_url and c.industry and "Recruiting" in c.industry
    )
    with demo_context.db.session() as session:
        session.add(InvitationRow(from_name="Me", to_name=recruiter.name, direction="OUTGOING",
                                  invitee_profile_url=recruiter.profile_url,
                                  inviter_profile_url="https://www.linkedin.com/in/me",
                                  source_key="sent-1"))  # fmt: skip
    (sent,) = [v for v in service.evaluate_invitations() if v.invitation.source_key == "sent-1"]
    assert not sent.verdict.fits and "an industry you avoid" in sent.verdict.text

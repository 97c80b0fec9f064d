"""The suggestion ranking on hand-built cases: who comes first, and the words that say why."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from netplanner.domain.entities import ConnectionCriteria, FollowUp
from netplanner.domain.nearby import ContactProfile
from netplanner.domain.ranking import (
    RankingContext,
    describe_ago,
    rank_suggestions,
    score_contact,
)
from netplanner.services.context import AppContext

TODAY = date(2026, 11, 26)


def person(contact_id: int, **fields: object) -> ContactProfile:
    values: dict[str, object] = {
        "id": contact_id,
        "name": f"Person {contact_id}",
        "company": "Quiet Co",
        "location_text": "Lisbon, Portugal",
        "lat": 38.72,
        "lon": -9.14,
        "last_met": TODAY - timedelta(days=30),
    }
    values.update(fields)
    return ContactProfile(**values)  # type: ignore[arg-type]


def ctx(**fields: object) -> RankingContext:
    values: dict[str, object] = {
        "today": TODAY,
        "window_end": TODAY + timedelta(days=14),
        "radius_km": 25.0,
        "base_label": "your hotel",
    }
    values.update(fields)
    return RankingContext(**values)  # type: ignore[arg-type]


def test_reasons_read_as_the_user_would_say_them() -> None:
    profile = person(
        1,
        company="Cobalt Ventures",
        interests=("climbing", "jazz"),
        last_met=None,
        connected_on=TODAY - timedelta(days=2 * 365 + 10),
    )
    follow = FollowUp(contact_id=1, text="Send the deck", due=TODAY + timedelta(days=3))
    s = score_contact(
        profile,
        3.2,
        ctx(
            target_companies=["Cobalt Ventures"],
            user_interests=["Climbing"],
            follow_ups={1: [follow]},
        ),
    )
    assert s.reasons == (
        "3.2 km from your hotel",
        "connected 2 years ago, never met",
        "works at Cobalt Ventures, one of your target companies",
        "shares your interest in climbing",
        "follow-up due: send the deck",
    )


def test_overdue_against_the_cadence_is_said_in_months() -> None:
    profile = person(1, last_met=TODAY - timedelta(days=426), cadence_days=180)
    s = score_contact(profile, 1.0, ctx())
    assert "last met 14 months ago (you wanted every 6)" in s.reasons


def test_met_recently_within_cadence_scores_only_for_distance() -> None:
    profile = person(1, last_met=TODAY - timedelta(days=20), cadence_days=180)
    s = score_contact(profile, 0.0, ctx())
    assert s.score == 2.0
    assert s.reasons == ("0 m from your hotel",)


def test_never_met_target_company_beats_a_nearer_recent_acquaintance() -> None:
    near_but_met = person(1, last_met=TODAY - timedelta(days=10))
    far_never_met = person(
        2, last_met=None, connected_on=TODAY - timedelta(days=400), company="Nimbus Cloud"
    )
    overdue = person(3, last_met=TODAY - timedelta(days=400), cadence_days=90)
    ranked = rank_suggestions(
        [(near_but_met, 0.5), (far_never_met, 20.0), (overdue, 10.0)],
        ctx(target_companies=["nimbus cloud"]),
    )
    assert [s.contact.id for s in ranked] == [2, 3, 1]


def test_booked_and_off_criteria_contacts_sink_but_stay_listed() -> None:
    best = person(1, last_met=None, connected_on=TODAY - timedelta(days=900))
    booked = person(2, last_met=None, connected_on=TODAY - timedelta(days=900))
    recruiter = person(
        3,
        last_met=None,
        connected_on=TODAY - timedelta(days=900),
        position="Senior Recruiter",
        industry="Staffing & Recruiting",
    )
    plain = person(4)
    ranked = rank_suggestions(
        [(booked, 0.1), (recruiter, 0.1), (best, 5.0), (plain, 24.0)],
        ctx(
            booked_ids=frozenset({2}),
            criteria=ConnectionCriteria(
                avoid_industries=["staffing & recruiting"], avoid_titles=["recruiter"]
            ),
        ),
    )
    assert [s.contact.id for s in ranked] == [1, 4, 3, 2]
    assert ranked[-1].reasons[-1] == "already booked on this trip"
    assert ranked[2].reasons[-1] == (
        "does not fit your criteria: works in Staffing & Recruiting, an industry you avoid; "
        "is a Senior Recruiter, a role you avoid"
    )


def test_ties_are_broken_by_distance_then_id() -> None:
    a, b, c = person(3), person(1), person(2)
    ranked = rank_suggestions([(a, 5.0), (b, 5.0), (c, 5.0)], ctx(radius_km=0.0001))
    assert [s.contact.id for s in ranked] == [1, 2, 3]


def test_follow_up_due_after_the_trip_does_not_count() -> None:
    later = FollowUp(contact_id=1, text="Call back", due=TODAY + timedelta(days=60))
    done = FollowUp(contact_id=1, text="Old one", due=TODAY, done=True)
    s = score_contact(person(1), 1.0, ctx(follow_ups={1: [later, done]}))
    assert not any(r.startswith("follow-up due") for r in s.reasons)


def test_miles_in_reasons_when_the_user_prefers_them() -> None:
    s = score_contact(person(1), 16.09344, ctx(unit="mi"))
    assert s.reasons[0] == "10.0 mi from your hotel"


def test_wanted_companies_in_the_criteria_add_a_fit_reason() -> None:
    s = score_contact(
        person(1, company="Kestrel Robotics"),
        1.0,
        ctx(criteria=ConnectionCriteria(wanted_companies=["Kestrel Robotics"])),
    )
    assert "fits your criteria: works at Kestrel Robotics" in s.reasons


def test_describe_ago_uses_the_unit_people_use() -> None:
    assert describe_ago(1) == "1 day ago"
    assert describe_ago(21) == "3 weeks ago"
    assert describe_ago(426) == "14 months ago"
    assert describe_ago(800) == "2 years ago"


def test_suggestions_and_criteria_check_agree_on_who_does_not_fit() -> None:
    from netplanner.domain.criteria import evaluate_contact
    from netplanner.domain.entities import Contact

    criteria = ConnectionCriteria(avoid_industries=["Staffing & Recruiting"])
    written_out = person(1, industry="Staffing and Recruiting")
    contact = Contact(first_name="Sam", industry="Staffing and Recruiting")
    assert not evaluate_contact(contact, criteria).fits
    ranked = rank_suggestions([(written_out, 1.0)], ctx(criteria=criteria))
    assert "an industry you avoid" in ranked[0].reasons[-1]


def test_a_narrower_radius_rescores_like_a_new_ranking(demo_context: AppContext) -> None:
    from netplanner.domain.ranking import at_radius

    planner = demo_context.planner
    request = planner.request_for_trip(1)
    wide = planner.suggest(request, radius_km=60, limit=None)
    for radius in (60, 25, 9.5):
        fresh = planner.suggest(request, radius_km=radius, limit=None)
        narrowed = at_radius(wide, 60, radius)
        assert [(s.contact.id, s.score, s.reasons) for s in narrowed] == [
            (s.contact.id, s.score, s.reasons) for s in fresh
        ], radius


def test_the_window_order_at_a_radius_is_the_rescored_order(demo_context: AppContext) -> None:
    from netplanner.domain.ranking import Rescorer

    planner = demo_context.planner
    wide = planner.suggest(planner.request_for_trip(1), radius_km=60, limit=None)
    rescorer = Rescorer(wide, 60)
    for radius in (60, 25, 9.5, 0):
        rescored = rescorer.at(radius)
        ordered = rescorer.order(radius)
        assert [s.contact.id for s in ordered] == [s.contact.id for s in rescored], radius
        assert all(s.distance_km <= radius for s in ordered)
    with pytest.raises(ValueError):
        rescorer.order(61)

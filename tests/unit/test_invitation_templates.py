"""Invitation templates: each stays about the recipient; the default draft is unchanged."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from netplanner.domain.message_check import check_message
from netplanner.services.context import AppContext
from netplanner.services.invitations import (
    InvitationFacts,
    InvitationTemplate,
    compose_from_template,
    compose_invitation,
    default_template,
    invitation_subject,
)

DAY = date(2026, 12, 8)
TIMES = [datetime(2026, 12, 8, 9, tzinfo=UTC), datetime(2026, 12, 8, 15, tzinfo=UTC)]
MET = InvitationFacts(
    "Rui",
    company="Kestrel",
    shared_interest="jazz",
    last_met=date(2026, 3, 4),
    last_in_common="Both run before work.",
)
NEW_ROLE = InvitationFacts("Ana", "CTO", "Kestrel", changed_job=True, shared_interest="climbing")
BARE = InvitationFacts("Bo")


def test_compose_invitation_output_is_unchanged_for_the_existing_arguments() -> None:
    # Pinned verbatim: the CLI and existing callers get exactly this text.
    text = compose_invitation(
        InvitationFacts("Ana", "Head of Partnerships", "Lumen Payments"),
        "Café Fair",
        "Lisbon",
        DAY,
        TIMES,
        sender="Sam",
    )
    assert text == (
        "Hi Ana,\n\nI have been following your work as Head of Partnerships at Lumen Payments"
        " and would love to hear more about it.\n\nI will be in Lisbon around Tuesday 8"
        " December. Would you have time for a coffee at Café Fair? 09:00 or 15:00, whichever"
        " suits you best.\n\nBest,\nSam"
    )
    assert compose_from_template(None, MET, "Café Fair", None, DAY, TIMES) == (
        compose_invitation(MET, "Café Fair", None, DAY, TIMES)
    )
    assert compose_invitation(MET, "Café Fair", None, DAY, TIMES) == (
        "Hi Rui,\n\nIt has been a while since our coffee in March 2026. I would love to hear"
        " how things have moved on for you. (And I still remember what we found in common:"
        " both run before work.)\nAnd you are into jazz too, which I would enjoy hearing"
        " about.\n\nI will be around Tuesday 8 December. Would you have time for a coffee at"
        " Café Fair? 09:00 or 15:00, whichever suits you best.\n\nBest,"
    )


@pytest.mark.parametrize("template", list(InvitationTemplate))
@pytest.mark.parametrize("facts", [MET, NEW_ROLE, BARE], ids=["met", "new-role", "bare"])
def test_every_template_greets_names_place_and_times_and_passes_the_check(
    template: InvitationTemplate, facts: InvitationFacts
) -> None:
    text = compose_from_template(template, facts, "Café Fair", "Lisbon", DAY, TIMES, "Sam")
    assert text.startswith(f"Hi {facts.first_name},\n\n")
    assert "Café Fair?" in text and "09:00 or 15:00, whichever suits you best." in text
    assert "Tuesday 8 December" in text and "Lisbon" in text
    assert text.endswith("\n\nBest,\nSam")
    assert check_message(text) == []
    if facts.shared_interest:
        assert facts.shared_interest in text


def test_templates_use_what_is_known_of_them() -> None:
    catching_up = compose_from_template(
        InvitationTemplate.CATCHING_UP, MET, "Café Fair", "Lisbon", DAY, TIMES
    )
    assert "since our coffee in March 2026" in catching_up
    assert "what we found in common: both run before work." in catching_up
    assert "How are things at Kestrel?" in catching_up
    first = compose_from_template(
        InvitationTemplate.FIRST_COFFEE, NEW_ROLE, "Café Fair", None, DAY, TIMES
    )
    assert "Congratulations on your new role as CTO at Kestrel!" in first
    assert "I will be around Tuesday 8 December" in first
    in_town = compose_from_template(InvitationTemplate.IN_TOWN, MET, "Café Fair", None, DAY, [])
    assert "How are things going for you at Kestrel?" in in_town
    assert "Would you have time for a coffee at Café Fair?\n\nBest," in in_town


def test_the_default_template_follows_whether_you_have_met() -> None:
    assert default_template(MET) is InvitationTemplate.CATCHING_UP
    assert default_template(NEW_ROLE) is InvitationTemplate.FIRST_COFFEE
    assert [t.label for t in InvitationTemplate] == [
        "First coffee",
        "Catching up",
        "I'll be in town",
    ]


def test_the_subject_names_the_city_and_the_day() -> None:
    assert invitation_subject(date(2026, 12, 3), "Lisbon") == (
        "Coffee in Lisbon on Thursday 3 December?"
    )
    assert invitation_subject(date(2026, 12, 3)) == "Coffee on Thursday 3 December?"


def test_the_service_drafts_from_a_template_or_as_before(demo_context: AppContext) -> None:
    [joao] = [c for c in demo_context.contact_repo.list() if c.name == "João Silva"]
    service = demo_context.invitations
    before = service.draft(joao, "Café Fair", DAY, TIMES, "Lisbon")
    facts = service.facts_for(joao)
    assert before.text == compose_invitation(
        facts, "Café Fair", "Lisbon", DAY, TIMES, demo_context.settings.profile.name
    )
    in_town = service.draft(joao, "Café Fair", DAY, TIMES, "Lisbon", InvitationTemplate.IN_TOWN)
    assert in_town.text.startswith("Hi João,\n\nI will be in Lisbon around Tuesday 8 December")
    assert in_town.warnings == []
    assert (
        service.draft_from_facts(
            facts, "Café Fair", DAY, TIMES, "Lisbon", InvitationTemplate.IN_TOWN
        )
        == in_town
    )


def test_warnings_carry_the_spans_of_what_they_flag() -> None:
    text = "Hi Ana, a DEMO of our   product? Or our product for less."
    [pitch] = check_message(text)
    assert [text[a:b] for a, b in pitch.spans] == ["DEMO", "our   product", "our product"]
    selfish = "I think my plan and my team and I and we matter. Do you?"
    [focus] = check_message(selfish)
    assert [selfish[a:b] for a, b in focus.spans] == ["I", "my", "my", "I", "we"]

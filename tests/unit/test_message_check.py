"""The invitation check: a sales pitch or a message all about the sender is flagged, with words."""

from __future__ import annotations

from netplanner.domain.message_check import check_message

GOOD = (
    "Hi Ana,\n\nI have been following your work at Lumen Payments and would love to hear how "
    "the launch went for you. Would you have time for a coffee at Café Lisboa on Tuesday? "
    "09:00, 12:00 or 15:00, whichever suits you best.\n\nBest,\nSam"
)


def test_a_personal_invitation_passes() -> None:
    assert check_message(GOOD) == []


def test_a_pitch_is_flagged_with_the_words_that_triggered_it() -> None:
    text = (
        "Hi Ana, would you like a DEMO of our   product? Our pricing has a discount "
        "for a limited time."
    )
    warnings = check_message(text)
    assert [w.kind for w in warnings] == ["pitch"]
    assert warnings[0].words == ("demo", "our product", "pricing", "discount", "limited time")
    assert '"our product"' in warnings[0].message


def test_words_inside_other_words_do_not_trigger() -> None:
    assert check_message("Let us meet, you said democracy and buyers matter to you.") == []


def test_a_message_about_the_sender_is_flagged() -> None:
    text = (
        "I wanted to tell you about my new company. We are growing and I think our team "
        "and my plans would interest me a lot. I am excited about what we do."
    )
    warnings = check_message(text)
    assert [w.kind for w in warnings] == ["self_focus"]
    assert set(warnings[0].words) >= {"i", "my", "we", "our"}
    assert "1 of you/your" in warnings[0].message


def test_both_problems_are_reported() -> None:
    text = "I am sure our product will help me and my team; we offer a discount. I insist."
    assert [w.kind for w in check_message(text)] == ["pitch", "self_focus"]

"""The invitation editor: drafts from templates, checks as you type, keeps the user's edits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from netplanner.domain.entities import Contact
from netplanner.gui.widgets.invitation_editor import ALL_WELL, InvitationEditor, mailto
from netplanner.services.context import AppContext

LISBON = ZoneInfo("Europe/Lisbon")
DAY = date(2026, 12, 3)
TIMES = [datetime(2026, 12, 3, 9, tzinfo=LISBON), datetime(2026, 12, 3, 15, tzinfo=LISBON)]
PITCH = "our product can boost your sales"


def contact_named(context: AppContext, name: str) -> Contact:
    [contact] = [c for c in context.contact_repo.list() if c.name == name]
    return contact


@pytest.fixture
def editor(demo_context: AppContext, qtbot: Any) -> InvitationEditor:
    widget = InvitationEditor(demo_context.invitations)
    qtbot.addWidget(widget)
    widget.resize(640, 480)
    widget.show()
    return widget


@pytest.fixture
def joao(demo_context: AppContext) -> Contact:
    return contact_named(demo_context, "João Silva")


def type_at_end(qtbot: Any, editor: InvitationEditor, words: str, pasted: str = "") -> None:
    """Paste ``pasted`` (QTest types only Latin-1) at the end, then type ``words``."""
    editor.editor.setFocus()
    editor.editor.moveCursor(editor.editor.textCursor().MoveOperation.End)
    editor.editor.insertPlainText(pasted)
    qtbot.keyClicks(editor.editor, words)


def test_every_template_drafts_for_joao_without_warnings(
    editor: InvitationEditor, joao: Contact
) -> None:
    editor.set_occasion(joao, "Café Fair", DAY, TIMES, "Lisbon")
    assert editor.template.currentText() == "First coffee"  # never met
    assert editor.subject() == "Coffee in Lisbon on Thursday 3 December?"
    drafts = []
    for index, label in enumerate(["First coffee", "Catching up", "I'll be in town"]):
        editor.template.setCurrentIndex(index)
        assert editor.template.itemText(index) == label
        text = editor.text()
        assert text.startswith("Hi João,") and "Café Fair" in text and "09:00 or 15:00" in text
        assert editor.warnings() == []
        assert editor.check_label.text() == ALL_WELL
        assert editor.editor.extraSelections() == []
        assert "No warnings" in editor.editor.accessibleDescription()
        drafts.append(text)
    assert len(set(drafts)) == 3
    assert editor.rule.accessibleName() == "Rule of thumb"
    assert "their business, their ambitions and their challenges" in editor.rule.text()


def test_someone_met_before_gets_catching_up(
    editor: InvitationEditor, demo_context: AppContext, joao: Contact
) -> None:
    met = next(
        c
        for c in demo_context.contact_repo.list()
        if demo_context.invitations.facts_for(c).last_met
    )
    editor.set_occasion(met, "Café Fair", DAY, TIMES, "Lisbon")
    assert editor.template.currentText() == "Catching up"
    assert "It has been a while since" in editor.text()
    editor.set_occasion(joao, "Café Fair", DAY, TIMES, "Lisbon")  # another person: their default
    assert editor.template.currentText() == "First coffee"


def test_typing_a_pitch_marks_exactly_that_phrase_with_its_reason(
    editor: InvitationEditor, joao: Contact, qtbot: Any
) -> None:
    editor.set_occasion(joao, "Café Fair", DAY, TIMES, "Lisbon")
    before = editor.text()
    with qtbot.waitSignal(editor.checked, timeout=2000) as signal:
        type_at_end(qtbot, editor, f" {PITCH}.", pasted="\nP.S. 🙂")
    assert signal.args == [1]
    assert editor.text() == before + f"\nP.S. 🙂 {PITCH}."  # the check never changes the text
    [warning] = editor.warnings()
    assert warning.kind == "pitch" and warning.words == ("our product",)
    assert "This reads like a sales pitch" in editor.check_label.text()
    assert '"our product"' in editor.check_label.text()
    assert editor.editor.accessibleDescription().startswith("1 warning: This reads like")
    [marked] = editor.editor.extraSelections()
    assert marked.cursor.selectedText() == "our product"  # exact, even after an emoji
    assert marked.format.underlineStyle() == marked.format.UnderlineStyle.WaveUnderline

    editor.set_text(before)  # the phrase gone again: all is well once more
    assert editor.check_label.text() == ALL_WELL
    assert editor.editor.extraSelections() == []


def test_the_check_waits_for_a_pause_in_typing(
    editor: InvitationEditor, joao: Contact, qtbot: Any
) -> None:
    editor.set_occasion(joao, "Café Fair", DAY, TIMES, "Lisbon")
    type_at_end(qtbot, editor, " Free trial?")
    assert editor.check_label.text() == ALL_WELL  # not yet: the debounce is running
    qtbot.waitUntil(lambda: "free trial" in editor.check_label.text(), timeout=2000)


def test_edited_text_is_kept_for_a_new_time_and_can_be_drafted_again(
    editor: InvitationEditor, joao: Contact, qtbot: Any
) -> None:
    editor.set_occasion(joao, "Café Fair", DAY, TIMES, "Lisbon")
    assert editor.draft_again.isHidden()
    type_at_end(qtbot, editor, "See you soon!", pasted="\n")
    edited = editor.text()
    friday = date(2026, 12, 4)
    editor.set_occasion(joao, "Café Fair", friday, TIMES[:1], "Lisbon")
    assert editor.text() == edited
    assert editor.draft_again.isVisible() and editor.draft_again.accessibleName() == "Draft again"
    assert editor.kept.isVisible()
    assert editor.subject() == "Coffee in Lisbon on Friday 4 December?"

    qtbot.mouseClick(editor.draft_again, Qt.MouseButton.LeftButton)
    assert "Friday 4 December" in editor.text() and "See you soon!" not in editor.text()
    assert editor.draft_again.isHidden()
    editor.editor.undo()  # the edited text is one Ctrl+Z away
    assert editor.text() == edited


def test_a_saved_text_is_kept_and_checked(
    editor: InvitationEditor, joao: Contact, qtbot: Any
) -> None:
    with qtbot.waitSignal(editor.checked, timeout=500) as signal:
        editor.set_text(f"Hi João, {PITCH}!")
    assert signal.args == [1]
    editor.set_occasion(joao, "Café Fair", DAY, TIMES, "Lisbon")
    assert editor.text() == f"Hi João, {PITCH}!"
    assert editor.draft_again.isVisible()
    assert "sales pitch" in editor.check_label.text()


def test_an_empty_editor_says_what_to_do(editor: InvitationEditor) -> None:
    assert editor.text() == "" and editor.subject() == "" and editor.warnings() == []
    assert editor.check_label.text().startswith("Nothing to check yet")
    assert editor.template.accessibleName() == "Template"
    assert editor.editor.accessibleName() == "Invitation"
    assert editor.check_label.accessibleName() == "Message check"


def test_mailto_is_percent_encoded_and_round_trips() -> None:
    subject = "Coffee in Lisbon & Porto?"
    body = "Olá João,\nA coffee at Café São Bento?\n\nBest, Sam 100%"
    url = mailto("joao.silva+coffee@example.pt", subject, body)
    assert url.startswith("mailto:joao.silva%2Bcoffee@example.pt?subject=Coffee%20in%20Lisbon")
    assert " " not in url and "\n" not in url
    assert "%26%20Porto%3F&body=" in url  # & and ? inside a value are encoded
    assert "Jo%C3%A3o" in url and "S%C3%A3o" in url  # UTF-8
    assert "Jo%C3%A3o%2C%0D%0AA%20coffee" in url and "%0D%0A%0D%0ABest" in url
    assert url.endswith("100%25")
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and unquote(parts.path) == "joao.silva+coffee@example.pt"
    fields = parse_qs(parts.query)
    assert fields == {"subject": [subject], "body": [body.replace("\n", "\r\n")]}
    assert mailto(None, "Hi", "a\r\nb").startswith("mailto:?subject=Hi&body=a%0D%0Ab")

"""The debrief form and the briefing view as a user meets them, on the demo network."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QTableWidget

from netplanner.domain.entities import Meeting, MeetingStatus
from netplanner.domain.localtime import utc_to_local
from netplanner.gui.dialogs.briefing_dialog import BriefingDialog
from netplanner.gui.dialogs.debrief_dialog import DebriefDialog
from netplanner.gui.tasks import TaskRunner
from netplanner.services.context import AppContext
from tests.conftest import DEMO_TODAY
from tests.gui.hosts import RecordingHost

NOW = datetime.combine(DEMO_TODAY, time(12), tzinfo=UTC)

LABELS = (
    "Food and drink", "The service", "The weather or the journey", "What you both liked",
    "What you both disliked", "Their business", "Their ambitions", "Their challenges",
    "What you learned", "Notes",
)  # fmt: skip


@pytest.fixture
def host(runner: TaskRunner) -> RecordingHost:
    return RecordingHost(runner)


@pytest.fixture
def demo(demo_context: AppContext) -> AppContext:
    """The demo with its debriefs judged on the demo's today, not the machine's clock."""
    demo_context.debriefs.clock = lambda: NOW
    return demo_context


def past_without_debrief(context: AppContext) -> Meeting:
    return next(
        m
        for m in reversed(context.meetings.list())
        if m.start_utc < NOW
        and m.status != MeetingStatus.CANCELLED
        and context.debriefs.get(m.id or 0) is None
    )


def still_to_come(context: AppContext) -> Meeting:
    return next(m for m in context.meetings.list() if m.start_utc > NOW)


def edit(dialog: DebriefDialog, name: str) -> QLineEdit | QPlainTextEdit:
    widgets = [*dialog.findChildren(QLineEdit), *dialog.findChildren(QPlainTextEdit)]
    found = [w for w in widgets if w.accessibleName() == name]
    assert len(found) == 1, name
    widget = found[0]
    assert isinstance(widget, QLineEdit | QPlainTextEdit)
    return widget


def type_into(dialog: DebriefDialog, name: str, text: str) -> None:
    widget = edit(dialog, name)
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    else:
        widget.setPlainText(text)


def button(parent: Any, name: str) -> QPushButton:
    found = [b for b in parent.findChildren(QPushButton) if b.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def follow_up_table(dialog: DebriefDialog) -> QTableWidget:
    tables = [t for t in dialog.findChildren(QTableWidget) if t.accessibleName() == "Follow-ups"]
    assert len(tables) == 1
    return tables[0]


def add_follow_up(dialog: DebriefDialog, text: str, due: date) -> None:
    """Add, then type the text and the date in place, as the user does."""
    table = follow_up_table(dialog)
    button(dialog, "Add follow-up").click()
    row = table.rowCount() - 1
    table.item(row, 0).setText(text)
    table.item(row, 1).setText(due.isoformat())


def open_debrief(
    host: RecordingHost, context: AppContext, meeting: Meeting, qtbot: Any
) -> DebriefDialog:
    dialog = DebriefDialog(host, context, meeting.id or 0, today=DEMO_TODAY)
    dialog.confirm_discard = lambda: True  # closing at the end of a test asks no one
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def open_briefing(
    host: RecordingHost, context: AppContext, contact_id: int, qtbot: Any
) -> BriefingDialog:
    dialog = BriefingDialog(host, context, contact_id, now=NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_debrief_saved_marks_the_meeting_done_and_the_briefing_shows_it_then_a_follow_up_is_done(
    demo: AppContext, host: RecordingHost, qtbot: Any, tmp_path: Path
) -> None:
    meeting = past_without_debrief(demo)
    contact_id = meeting.contact_ids[0]
    name = demo.contact_repo.get(contact_id).name
    dialog = open_debrief(host, demo, meeting, qtbot)
    assert name in dialog.meeting.text()
    for label in LABELS:  # every field found by its label's name, empty, ready to type in
        field = edit(dialog, label)
        assert field.isEnabled()
        assert (field.text() if isinstance(field, QLineEdit) else field.toPlainText()) == ""
    type_into(dialog, "Food and drink", "Pastéis de nata & a galão <strong>")
    type_into(dialog, "Their business", "Opening a Porto office in spring.")
    add_follow_up(dialog, "Send the logistics report", DEMO_TODAY + timedelta(days=10))
    saved: list[int] = []
    dialog.saved.connect(saved.append)

    button(dialog, "Save").click()

    assert saved == [meeting.id]
    assert not dialog.isVisible()
    debrief = demo.debriefs.get(meeting.id or 0)
    assert debrief is not None
    assert debrief.food_drink == "Pastéis de nata & a galão <strong>"
    assert debrief.business == "Opening a Porto office in spring."
    assert demo.meetings.get(meeting.id or 0).status == MeetingStatus.DONE
    stored = demo.debriefs.follow_ups(meeting.id or 0)
    assert [(f.text, f.due, f.done) for f in stored] == [
        ("Send the logistics report", DEMO_TODAY + timedelta(days=10), False)
    ]
    changes = host.announced[-1]
    assert meeting.id in changes.meetings and contact_id in changes.contacts
    assert {f.id for f in stored} <= changes.follow_ups

    briefing = open_briefing(host, demo, contact_id, qtbot)
    shown = briefing.view.toPlainText()
    assert "Pastéis de nata & a galão <strong>" in shown  # escaped, so shown as typed
    assert "Their business: Opening a Porto office in spring." in shown
    assert "Send the logistics report" in shown
    assert briefing.view.accessibleName() == "Briefing" and briefing.view.isReadOnly()

    button(briefing, "Mark done: Send the logistics report").click()

    assert [f.done for f in demo.debriefs.follow_ups(meeting.id or 0)] == [True]
    assert "Send the logistics report" not in briefing.view.toPlainText()
    assert "Nothing open." in briefing.view.toPlainText()

    pdf = tmp_path / "briefing.pdf"
    briefing.ask_path = lambda _suggested: pdf
    button(briefing, "Save as PDF…").click()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not briefing.error.isVisible()


def test_reopening_a_debrief_shows_what_was_recorded_and_saving_edits_it(
    demo: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    meeting = past_without_debrief(demo)
    demo.debriefs.record(
        meeting.id or 0,
        {"food_drink": "Espresso", "challenges": "Hiring"},
        [("Intro to Ana", DEMO_TODAY)],
    )
    dialog = open_debrief(host, demo, meeting, qtbot)
    assert edit(dialog, "Food and drink").text() == "Espresso"  # type: ignore[union-attr]
    assert edit(dialog, "Their challenges").toPlainText() == "Hiring"  # type: ignore[union-attr]
    table = follow_up_table(dialog)
    assert [table.item(0, c).text() for c in range(3)] == [
        "Intro to Ana", DEMO_TODAY.isoformat(), "Open",
    ]  # fmt: skip
    assert not table.item(0, 0).flags() & Qt.ItemFlag.ItemIsEditable  # stored: the date only
    type_into(dialog, "Food and drink", "")
    type_into(dialog, "What you learned", "She mentors founders.")
    table.item(0, 1).setText((DEMO_TODAY + timedelta(days=3)).isoformat())

    button(dialog, "Save").click()

    debrief = demo.debriefs.get(meeting.id or 0)
    assert debrief is not None
    assert (debrief.food_drink, debrief.challenges, debrief.learned) == (
        None, "Hiring", "She mentors founders.",
    )  # fmt: skip
    assert [(f.text, f.due) for f in demo.debriefs.follow_ups(meeting.id or 0)] == [
        ("Intro to Ana", DEMO_TODAY + timedelta(days=3))
    ]


def test_mark_done_in_the_debrief_form_completes_the_stored_follow_up(
    demo: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    meeting = past_without_debrief(demo)
    demo.debriefs.record(meeting.id or 0, {}, [("Call back", None)])
    dialog = open_debrief(host, demo, meeting, qtbot)
    table = follow_up_table(dialog)
    table.selectRow(0)
    assert not button(dialog, "Remove follow-up").isEnabled()  # stored ones are marked done

    button(dialog, "Mark done").click()

    assert [f.done for f in demo.debriefs.follow_ups(meeting.id or 0)] == [True]
    assert table.item(0, 2).text() == "Done"
    assert not button(dialog, "Mark done").isEnabled()


def test_a_debrief_of_a_meeting_still_to_come_is_refused_with_the_service_sentence(
    demo: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    meeting = still_to_come(demo)
    day = utc_to_local(meeting.start_utc, meeting.tzid).date()
    dialog = open_debrief(host, demo, meeting, qtbot)
    type_into(dialog, "Food and drink", "Not yet")
    add_follow_up(dialog, "Too early", DEMO_TODAY)

    button(dialog, "Save").click()

    error = dialog.findChild(type(dialog.error), "debrief-error")
    assert error is not None and error.isVisible()
    assert error.text() == (
        f"Meeting {meeting.id} is on {day.isoformat()}, still to come; record its debrief "
        "once it has happened."
    )
    assert dialog.isVisible()
    assert demo.debriefs.get(meeting.id or 0) is None
    assert demo.debriefs.follow_ups(meeting.id or 0) == []
    assert demo.meetings.get(meeting.id or 0).status == meeting.status
    assert host.announced == []


def test_a_bad_due_date_is_one_sentence_and_nothing_is_saved(
    demo: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    meeting = past_without_debrief(demo)
    dialog = open_debrief(host, demo, meeting, qtbot)
    button(dialog, "Add follow-up").click()
    table = follow_up_table(dialog)
    table.item(0, 0).setText("Send the deck")
    table.item(0, 1).setText("next friday")

    button(dialog, "Save").click()

    assert dialog.error.text().startswith('The due date "next friday" is not a date')
    assert demo.debriefs.get(meeting.id or 0) is None


def test_escape_asks_once_before_discarding_what_was_typed(
    demo: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    meeting = past_without_debrief(demo)
    dialog = open_debrief(host, demo, meeting, qtbot)
    asked: list[bool] = []
    dialog.confirm_discard = lambda: asked.append(True) or False
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [] and not dialog.isVisible()  # nothing typed: closes at once

    dialog = open_debrief(host, demo, meeting, qtbot)
    answers = [False, True]
    dialog.confirm_discard = lambda: answers.pop(0)
    type_into(dialog, "Their ambitions", "Run a marathon")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # the user kept it
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and answers == []
    assert demo.debriefs.get(meeting.id or 0) is None


def test_copy_leaves_private_notes_out_and_the_view_marks_them(
    demo: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    meeting = past_without_debrief(demo)
    demo.debriefs.record(
        meeting.id or 0, {"business": "Freight software", "notes": "Seemed tired; ask gently"}
    )
    briefing = open_briefing(host, demo, meeting.contact_ids[0], qtbot)
    assert "Your notes (private): Seemed tired; ask gently" in briefing.view.toPlainText()

    button(briefing, "Copy").click()

    copied = QGuiApplication.clipboard().text()
    assert "Their business: Freight software" in copied
    assert "Seemed tired" not in copied
    assert "Seemed tired" not in briefing.html(private=False)  # nor in the PDF


def test_an_unwritable_pdf_path_is_one_sentence(
    demo: AppContext, host: RecordingHost, qtbot: Any, tmp_path: Path
) -> None:
    contact_id = demo.meetings.list()[0].contact_ids[0]
    briefing = open_briefing(host, demo, contact_id, qtbot)
    target = tmp_path / "missing" / "briefing.pdf"
    briefing.ask_path = lambda _suggested: target

    button(briefing, "Save as PDF…").click()

    assert briefing.error.isVisible()
    assert briefing.error.text() == (
        f"Could not save the PDF to {target}: no such file or directory."
    )
    assert not target.exists()

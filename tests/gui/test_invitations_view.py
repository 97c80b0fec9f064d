"""The Invitations page: judged invitations, fits first, decided and undone as a user would."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTableWidget

from netplanner.gui.tasks import TaskRunner
from netplanner.gui.views.invitations_view import EMPTY_TEXT, InvitationsView
from netplanner.services.context import AppContext
from netplanner.services.invitation_decisions import ACCEPTED, IGNORED, PENDING
from tests.conftest import DEMO_TODAY
from tests.gui.hosts import RecordingHost

WHO, DIRECTION, SENT, VERDICT, WHY = range(5)


@pytest.fixture
def page(
    demo_context: AppContext, runner: TaskRunner, qtbot: Any
) -> tuple[InvitationsView, RecordingHost, QUndoStack]:
    host = RecordingHost(runner)
    stack = QUndoStack()
    view = InvitationsView(host, demo_context, undo_stack=stack)
    view.today = lambda: DEMO_TODAY
    host.listener = view.on_changes
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    view.reload()
    return view, host, stack


def _named(view: InvitationsView, kind: type[Any], name: str) -> Any:
    (found,) = [w for w in view.findChildren(kind) if w.accessibleName() == name]
    return found


def _table(view: InvitationsView) -> QTableWidget:
    table: QTableWidget = _named(view, QTableWidget, "Invitations")
    return table


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def _rows(view: InvitationsView) -> list[list[str]]:
    table = _table(view)
    return [
        [_text(table, r, c) for c in range(table.columnCount())] for r in range(table.rowCount())
    ]


def _click(view: InvitationsView, name: str, qtbot: Any) -> None:
    button: QPushButton = _named(view, QPushButton, name)
    assert button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _select(view: InvitationsView, who: str) -> int:
    table = _table(view)
    (row,) = [r for r in range(table.rowCount()) if _text(table, r, WHO).startswith(who)]
    table.clearSelection()
    table.selectRow(row)
    return row


def _statuses(context: AppContext) -> dict[str, str]:
    judged = context.invitation_decisions.judged((PENDING, ACCEPTED, IGNORED))
    return {j.person: j.invitation.status for j in judged}


def test_the_demo_lists_its_pending_invitations_fits_first_with_the_reasons(
    page: tuple[InvitationsView, RecordingHost, QUndoStack], demo_context: AppContext
) -> None:
    view, _host, _stack = page
    rows = _rows(view)
    assert 45 <= len(rows) <= 55
    verdicts = [row[VERDICT] for row in rows]
    first_misfit = verdicts.index("Does not fit")
    assert set(verdicts[:first_misfit]) == {"Fits"} and set(verdicts[first_misfit:]) == {
        "Does not fit"
    }
    assert all(row[WHY] == "" for row in rows[:first_misfit])
    # Why, in the one matcher's words: its reasons, as a sentence.
    judged = {j.person: j for j in demo_context.invitation_decisions.judged()}
    for row in rows[first_misfit:]:
        reasons = "; ".join(judged[row[WHO].split(",")[0]].verdict.reasons)
        assert row[WHY] == reasons[:1].upper() + reasons[1:]
    assert any(r[WHY].startswith("The message mentions 'recruiter'") for r in rows)
    recruiter = next(r for r in rows if "Senior Recruiter at Talent Bridge Recruiting" in r[WHO])
    assert "Staffing & Recruiting" in recruiter[WHY]
    assert {r[DIRECTION] for r in rows} == {"Incoming", "Sent"}
    assert all(r[SENT].endswith("2026") for r in rows)
    fits = verdicts.count("Fits")
    count: QLabel = _named(view, QLabel, "Invitations count")
    assert count.text() == f"{len(rows)} pending invitations: {fits} fit"
    received_fits = sum(1 for r in rows if r[VERDICT] == "Fits" and r[DIRECTION] == "Incoming")
    accept_all: QPushButton = _named(view, QPushButton, "Accept all that fit")
    assert accept_all.text().replace("&", "") == f"Accept all that fit ({received_fits})"


def test_the_show_filter_picks_fits_misfits_and_decided(
    page: tuple[InvitationsView, RecordingHost, QUndoStack], demo_context: AppContext, qtbot: Any
) -> None:
    view, _host, _stack = page
    show: QComboBox = _named(view, QComboBox, "Show")
    assert [show.itemText(i) for i in range(show.count())] == [
        "Pending", "Fits", "Does not fit", "Decided",
    ]  # fmt: skip
    show.setCurrentText("Does not fit")
    assert {r[VERDICT] for r in _rows(view)} == {"Does not fit"}
    show.setCurrentText("Fits")
    assert {r[VERDICT] for r in _rows(view)} == {"Fits"}
    show.setCurrentText("Decided")
    assert _rows(view) == []
    empty: QLabel = _named(view, QLabel, "No invitations")
    assert empty.isVisible() and "No decisions yet" in empty.text()


def test_accept_records_the_decision_and_undo_puts_it_back(
    page: tuple[InvitationsView, RecordingHost, QUndoStack], demo_context: AppContext, qtbot: Any
) -> None:
    view, host, stack = page
    person = _rows(view)[0][WHO].split(",")[0]
    _select(view, person)
    _click(view, "Accept", qtbot)
    assert _statuses(demo_context)[person] == ACCEPTED
    assert person not in {r[WHO].split(",")[0] for r in _rows(view)}  # gone from Pending
    assert host.announced[-1].invitations and stack.count() == 1
    note: QLabel = _named(view, QLabel, "Invitations note")
    assert note.text().startswith(f"Accepted {person}.")
    # Add as contact is offered right after Accept.
    assert _named(view, QPushButton, "Add as contact").isEnabled()
    stack.undo()
    assert _statuses(demo_context)[person] == PENDING
    assert person in {r[WHO].split(",")[0] for r in _rows(view)}
    stack.redo()
    assert _statuses(demo_context)[person] == ACCEPTED


def test_ignore_is_undoable_and_a_sent_invitation_cannot_be_accepted(
    page: tuple[InvitationsView, RecordingHost, QUndoStack], demo_context: AppContext, qtbot: Any
) -> None:
    view, _host, stack = page
    sent = next(r for r in _rows(view) if r[DIRECTION] == "Sent")[WHO]
    _select(view, sent)
    assert not _named(view, QPushButton, "Accept").isEnabled()
    _click(view, "Ignore", qtbot)
    assert _statuses(demo_context)[sent] == IGNORED
    stack.undo()
    assert _statuses(demo_context)[sent] == PENDING


def test_accept_all_that_fit_decides_exactly_the_fitting_ones_and_one_undo_reverts_all(
    page: tuple[InvitationsView, RecordingHost, QUndoStack], demo_context: AppContext, qtbot: Any
) -> None:
    view, _host, stack = page
    rows = _rows(view)
    fitting = {
        r[WHO].split(",")[0] for r in rows if r[VERDICT] == "Fits" and r[DIRECTION] == "Incoming"
    }
    before = _statuses(demo_context)
    _click(view, "Accept all that fit", qtbot)
    after = _statuses(demo_context)
    assert {p for p, s in after.items() if s == ACCEPTED} == fitting
    assert stack.count() == 1
    left = _rows(view)
    assert len(left) == len(rows) - len(fitting)
    assert all(r[VERDICT] == "Does not fit" or r[DIRECTION] == "Sent" for r in left)
    accept_all: QPushButton = _named(view, QPushButton, "Accept all that fit")
    assert accept_all.text().replace("&", "") == "Accept all that fit (0)"
    assert not accept_all.isEnabled()
    stack.undo()
    assert _statuses(demo_context) == before
    assert len(_rows(view)) == len(rows)


def test_add_as_contact_creates_the_contact_once_and_undo_removes_it(
    page: tuple[InvitationsView, RecordingHost, QUndoStack], demo_context: AppContext, qtbot: Any
) -> None:
    view, host, stack = page
    count = demo_context.contact_repo.count()
    row = next(r for r in _rows(view) if r[VERDICT] == "Fits" and r[DIRECTION] == "Incoming")
    person = row[WHO]
    _select(view, person)
    _click(view, "Accept", qtbot)
    _click(view, "Add as contact", qtbot)
    assert demo_context.contact_repo.count() == count + 1
    (contact,) = [c for c in demo_context.contact_repo.list(person) if c.name == person]
    assert row[-1] and row[-1] in (contact.notes or "")  # the message, in the notes
    assert host.announced[-1].contacts == {contact.id}
    note: QLabel = _named(view, QLabel, "Invitations note")
    assert note.text() == f"Added {person} to Contacts."

    # Doing it again, from the Decided list, creates nothing new.
    _named(view, QComboBox, "Show").setCurrentText("Decided")
    _select(view, person)
    _click(view, "Add as contact", qtbot)
    assert demo_context.contact_repo.count() == count + 1
    assert note.text() == f"{person} is a contact already."

    stack.undo()  # the repeat changed nothing
    stack.undo()  # the first add: the contact goes
    assert demo_context.contact_repo.count() == count
    assert _statuses(demo_context)[person] == ACCEPTED


def test_open_profile_opens_the_selected_persons_url(
    page: tuple[InvitationsView, RecordingHost, QUndoStack], demo_context: AppContext, qtbot: Any
) -> None:
    view, _host, _stack = page
    opened: list[QUrl] = []

    def record(url: QUrl) -> bool:
        opened.append(url)
        return True

    view.open_url = record
    known = next(j for j in demo_context.invitation_decisions.judged() if j.contact_id is not None)
    _select(view, known.person)
    _click(view, "Open profile", qtbot)
    assert [u.toString() for u in opened] == [known.profile_url]
    assert known.profile_url == demo_context.contact_repo.get(known.contact_id or 0).profile_url


def test_no_invitations_says_how_to_get_them(
    context: AppContext, runner: TaskRunner, qtbot: Any
) -> None:
    host = RecordingHost(runner)
    view = InvitationsView(host, context)
    qtbot.addWidget(view)
    view.show()
    view.reload()
    empty: QLabel = _named(view, QLabel, "No invitations")
    assert empty.isVisible() and empty.text() == EMPTY_TEXT
    assert not _table(view).isVisible()
    assert _named(view, QLabel, "Invitations count").text() == "No pending invitations"
    for name in ("Open profile", "Accept", "Ignore", "Accept all that fit", "Add as contact"):
        assert not _named(view, QPushButton, name).isEnabled()

"""The Target companies page: the demo's targets, the people there, adding and removing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from netplanner.domain.changes import Changes
from netplanner.gui.operations.targets import next_trip
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.views.targets_view import HEADERS, LAST_MET, NAME, NEAR, WHERE, TargetsView
from netplanner.services.context import AppContext
from tests.conftest import DEMO_TODAY
from tests.gui.hosts import RecordingHost


@pytest.fixture
def host(runner: TaskRunner) -> RecordingHost:
    return RecordingHost(runner)


@pytest.fixture
def undo_stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def view(
    host: RecordingHost, demo_context: AppContext, undo_stack: QUndoStack, qtbot: Any
) -> TargetsView:
    page = TargetsView(host, demo_context, undo_stack=undo_stack, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    host.listener = page.on_changes
    page.show()
    page.reload()
    return page


def list_texts(view: TargetsView) -> list[str]:
    return [view.targets.item(i).text() for i in range(view.targets.count())]


def select(view: TargetsView, company: str) -> None:
    for i in range(view.targets.count()):
        if view.targets.item(i).text().startswith(company):
            view.targets.setCurrentRow(i)
            return
    raise AssertionError(f"{company} is not in the list: {list_texts(view)}")


def people_rows(view: TargetsView) -> dict[str, list[str]]:
    """Each person's row as shown, by name."""
    table = view.people
    rows = {}
    for r in range(table.rowCount()):
        cells = [table.item(r, c).text() for c in range(table.columnCount())]
        rows[cells[NAME]] = cells
    return rows


def select_person(view: TargetsView, name: str) -> None:
    for r in range(view.people.rowCount()):
        if view.people.item(r, NAME).text() == name:
            view.people.selectRow(r)
            return
    raise AssertionError(f"{name} is not in People there")


def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def yes(*args: Any, **_kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    return asked


def test_the_list_shows_the_demos_targets_with_how_many_people_you_know_there(
    view: TargetsView, demo_context: AppContext
) -> None:
    expected = {m.target.name: len(m.contacts) for m in demo_context.criteria.contacts_at_targets()}
    assert set(expected) == {"Atlas Health Labs", "Cobalt Ventures", "Nimbus Cloud"}
    assert list_texts(view) == [
        f"{name} — you know {count} {'person' if count == 1 else 'people'}"
        for name, count in sorted(expected.items())
    ]
    people = {c.id for m in demo_context.criteria.contacts_at_targets() for c in m.contacts}
    assert view.count.text() == f"3 target companies; you know {len(people)} people there"
    assert view.empty.isHidden()
    assert view.targets.accessibleName() == "Target companies"


def test_selecting_a_company_lists_the_people_there_and_marks_those_near_the_next_trip(
    view: TargetsView, demo_context: AppContext
) -> None:
    trip = next_trip(demo_context.planner.list_trips(), DEMO_TODAY)
    assert trip is not None and trip.name == "Lisbon December 2026"
    select(view, "Nimbus Cloud")
    rows = people_rows(view)
    at_nimbus = next(
        m for m in demo_context.criteria.contacts_at_targets() if m.target.name == "Nimbus Cloud"
    ).contacts
    assert set(rows) == {c.name for c in at_nimbus}
    assert view.people.accessibleName() == "People there"
    assert [view.people.horizontalHeaderItem(c).text() for c in range(len(HEADERS))] == list(
        HEADERS
    )
    # João Silva lives in Lisbon, a few km from the trip's hotel; Théo Moreau in Paris does not.
    joao = rows["João Silva"]
    assert joao[WHERE] == "Lisbon, Portugal"
    assert joao[NEAR].startswith("Near Lisbon December 2026 (") and joao[NEAR].endswith(" km)")
    theo = rows["Théo Moreau"]
    assert theo[WHERE] == "Paris, France" and theo[LAST_MET] == "2025-12-18" and theo[NEAR] == ""
    assert rows["Hannah Hoffmann"][LAST_MET] == "never"
    # The one near the trip comes first, and the note says which trip is meant.
    assert view.people.item(0, NAME).text() == "João Silva"
    assert "Lisbon December 2026" in view.trip_note.text()


def test_open_in_contacts_and_plan_a_coffee_call_the_window_with_the_right_ids(
    view: TargetsView, host: RecordingHost, demo_context: AppContext
) -> None:
    people = {c.name: c.id for m in demo_context.criteria.contacts_at_targets() for c in m.contacts}
    trip = next_trip(demo_context.planner.list_trips(), DEMO_TODAY)
    assert trip is not None
    select(view, "Nimbus Cloud")
    select_person(view, "João Silva")
    view.open_button.click()
    view.coffee_button.click()
    select_person(view, "Théo Moreau")
    view.coffee_button.click()
    assert host.calls == [
        ("open_contact", (people["João Silva"], "details")),
        ("plan_coffee", (people["João Silva"], trip.id)),  # near the Lisbon trip: plan it there
        ("plan_coffee", (people["Théo Moreau"], None)),  # far from it: where you are now
    ]


def test_adding_a_company_stores_it_announces_the_criteria_change_and_selects_it(
    view: TargetsView, host: RecordingHost, demo_context: AppContext, qtbot: Any
) -> None:
    view.add_button.click()
    assert view.add_row.isVisible()
    qtbot.keyClicks(view.name_edit, "  Helix   Robotics ")
    view.add_confirm.click()
    assert "Helix Robotics" in [t.name for t in demo_context.criteria.list_targets()]
    assert host.announced == [Changes(criteria=True)]
    assert view.current_row() is not None and view.current_row().target.name == "Helix Robotics"  # type: ignore[union-attr]
    assert view.count.text().startswith("4 target companies;")
    assert view.name_edit.text() == "" and view.error.isHidden()
    assert view.people_hint.isVisible() and "nobody at Helix Robotics" in view.people_hint.text()


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("   ", "Type the name of the company to add."),
        ("nimbus cloud", "Nimbus Cloud is already one of your target companies."),
        # Legal forms do not tell companies apart, as the matcher knows.
        ("Nimbus Cloud GmbH", "Nimbus Cloud is already one of your target companies."),
    ],
)
def test_an_empty_or_known_company_is_refused_in_one_sentence(
    view: TargetsView, host: RecordingHost, demo_context: AppContext, typed: str, sentence: str
) -> None:
    view.start_adding()
    view.name_edit.setText(typed)
    view.name_edit.returnPressed.emit()
    assert view.error.isVisible() and view.error.text() == sentence
    assert len(demo_context.criteria.list_targets()) == 3
    assert host.announced == []


def test_remove_asks_once_and_undo_brings_the_company_back(
    view: TargetsView,
    host: RecordingHost,
    demo_context: AppContext,
    undo_stack: QUndoStack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = answer_yes(monkeypatch)
    select(view, "Cobalt Ventures")
    cobalt = set(people_rows(view))
    assert cobalt
    view.remove_button.click()
    assert len(asked) == 1 and "Cobalt Ventures" in asked[0] and "undo" in asked[0]
    names = [t.name for t in demo_context.criteria.list_targets()]
    assert names == ["Atlas Health Labs", "Nimbus Cloud"]
    assert not any(t.startswith("Cobalt") for t in list_texts(view))
    assert host.announced == [Changes(criteria=True)]
    undo_stack.undo()
    assert "Cobalt Ventures" in [t.name for t in demo_context.criteria.list_targets()]
    assert view.current_row() is not None
    assert view.current_row().target.name == "Cobalt Ventures"  # type: ignore[union-attr]
    assert {p.name for p in view.current_row().people} == cobalt  # type: ignore[union-attr]
    # Redo removes it again, though it came back with a new id.
    undo_stack.redo()
    assert "Cobalt Ventures" not in [t.name for t in demo_context.criteria.list_targets()]


def test_saying_no_removes_nothing(
    view: TargetsView, demo_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    select(view, "Nimbus Cloud")
    view.remove_button.click()
    assert len(demo_context.criteria.list_targets()) == 3


def test_without_targets_the_page_says_what_to_do(
    view: TargetsView, demo_context: AppContext
) -> None:
    for target in demo_context.criteria.list_targets():
        demo_context.criteria.remove_target(target.id or 0)
    view.on_changes(Changes(criteria=True))
    assert view.empty.isVisible() and view.empty.text().startswith("No target companies yet.")
    assert view.add_row.isVisible()
    assert view.people.rowCount() == 0 and not view.remove_button.isEnabled()
    assert not view.coffee_button.isEnabled()


def test_a_contact_who_joins_a_target_company_elsewhere_shows_after_the_change(
    view: TargetsView, demo_context: AppContext
) -> None:
    before = next(
        len(m.contacts)
        for m in demo_context.criteria.contacts_at_targets()
        if m.target.name == "Cobalt Ventures"
    )
    contact = demo_context.contact_repo.list()[0]
    assert contact.id is not None and contact.company != "Cobalt Ventures"
    contact.company = "Cobalt Ventures Ltd"
    demo_context.contact_repo.update(contact)
    view.on_changes(Changes.of_contacts([contact.id]))
    select(view, "Cobalt Ventures")
    assert contact.name in people_rows(view)
    assert f"you know {before + 1} people" in view.targets.currentItem().text()


def test_no_trip_ahead_marks_nobody(
    host: RecordingHost, demo_context: AppContext, qtbot: Any
) -> None:
    page = TargetsView(host, demo_context, today=lambda: date(2030, 1, 1))
    qtbot.addWidget(page)
    page.reload()
    select(page, "Nimbus Cloud")
    assert all(row[NEAR] == "" for row in people_rows(page).values())
    assert page.trip_note.text().startswith("No trip ahead")


def test_without_an_undo_stack_remove_still_asks_once_and_removes(
    host: RecordingHost, demo_context: AppContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer_yes(monkeypatch)
    page = TargetsView(host, demo_context, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    host.listener = page.on_changes
    page.reload()
    select(page, "Atlas Health Labs")
    page.remove_button.click()
    assert len(asked) == 1 and "undo" not in asked[0]
    assert [t.name for t in demo_context.criteria.list_targets()] == [
        "Cobalt Ventures",
        "Nimbus Cloud",
    ]
    assert page.count.text().startswith("2 target companies;")
    assert host.messages[-1] == "Removed Atlas Health Labs from your target companies."

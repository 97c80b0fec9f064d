"""The Criteria page: the demo's criteria edited with a live count, saved, reverted, refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from netplanner.domain.changes import Changes
from netplanner.gui.operations.criteria import CriteriaTexts, parse_draft
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.views.criteria_view import CriteriaView
from netplanner.services.context import AppContext
from tests.gui.hosts import RecordingHost

COUNT = re.compile(r"(\d+) of your (\d+) contacts would not")


def _view(
    context: AppContext, runner: TaskRunner, qtbot: Any
) -> tuple[CriteriaView, RecordingHost]:
    host = RecordingHost(runner)
    view = CriteriaView(host, context)
    host.listener = view.on_changes
    qtbot.addWidget(view)
    view.show()
    view.reload()
    return view, host


def _edit(view: CriteriaView, name: str) -> QLineEdit:
    found = [e for e in view.findChildren(QLineEdit) if e.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def _misfits(view: CriteriaView) -> int:
    match = COUNT.search(view.count.text())
    assert match is not None, view.count.text()
    return int(match.group(1))


def _error(view: CriteriaView) -> QLabel:
    label = view.findChild(QLabel, "criteria-error")
    assert isinstance(label, QLabel)
    return label


@pytest.fixture
def view_host(
    demo_context: AppContext, runner: TaskRunner, qtbot: Any
) -> tuple[CriteriaView, RecordingHost]:
    return _view(demo_context, runner, qtbot)


def test_editor_shows_the_demos_stored_criteria_and_their_count(
    view_host: tuple[CriteriaView, RecordingHost], demo_context: AppContext
) -> None:
    view, _host = view_host
    assert _edit(view, "Industries to avoid").text() == "Staffing & Recruiting"
    assert _edit(view, "Job titles to avoid").text() == "recruiter"
    for name in ("Job types wanted", "Companies wanted", "Areas", "Radius around home"):
        assert _edit(view, name).text() == ""
    assert not view.photo.isChecked() and view.photo.accessibleName() == "A photo is required"
    assert view.radius_unit.text() == "km"
    stored_misfits = sum(not v.verdict.fits for v in demo_context.criteria.evaluate_contacts())
    assert _misfits(view) == stored_misfits == 11
    assert COUNT.search(view.count.text()).group(2) == "150"  # type: ignore[union-attr]
    # A screen reader hears the count, not only its name.
    assert view.count.accessibleName() == "What these criteria do"
    assert view.count.accessibleDescription() == view.count.text()
    assert "an industry you avoid" in view.examples.item(0).text()
    assert not view.save_button.isEnabled() and not view.revert_button.isEnabled()
    view.save()  # Enter in a field with nothing changed
    assert _host.announced == []


def test_typing_an_industry_moves_the_count_live_and_stores_nothing(
    view_host: tuple[CriteriaView, RecordingHost], demo_context: AppContext, qtbot: Any
) -> None:
    view, host = view_host
    before = _misfits(view)
    _edit(view, "Industries to avoid").setText("Staffing & Recruiting, Software")
    qtbot.waitUntil(lambda: _misfits(view) == before + 22, timeout=2000)  # the demo's 22
    assert view.count.accessibleDescription() == view.count.text()
    # Those the edit newly leaves out are the first examples, with the matcher's reason.
    assert "works in Software, an industry you avoid" in view.examples.item(0).text()
    assert view.state.text() == "Not saved yet." and view.save_button.isEnabled()
    assert demo_context.criteria.get().avoid_industries == ["Staffing & Recruiting"]
    assert host.announced == []


def test_save_stores_the_draft_and_announces_criteria_changed(
    view_host: tuple[CriteriaView, RecordingHost], demo_context: AppContext, qtbot: Any
) -> None:
    view, host = view_host
    _edit(view, "Industries to avoid").setText("Staffing & Recruiting, Mining")
    _edit(view, "Radius around home").setText("800")
    view.photo.setChecked(True)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)

    stored = demo_context.criteria.get()
    assert stored.avoid_industries == ["Staffing & Recruiting", "Mining"]
    assert stored.radius_km == 800 and stored.require_photo
    assert [c.criteria for c in host.announced] == [True]
    assert host.announced[0].initiator is view
    assert not view.dirty and view.state.text() == ""
    # One matcher: the page's count is the service's once saved.
    verdicts = demo_context.criteria.evaluate_contacts()
    assert _misfits(view) == sum(not v.verdict.fits for v in verdicts) > 11
    assert any(
        "outside your area" in view.examples.item(i).text() for i in range(view.examples.count())
    )


def test_revert_goes_back_to_the_stored_criteria(
    view_host: tuple[CriteriaView, RecordingHost], qtbot: Any
) -> None:
    view, _host = view_host
    before = view.count.text()
    _edit(view, "Job titles to avoid").setText("")
    _edit(view, "Companies wanted").setText("Siemens")
    qtbot.waitUntil(lambda: view.count.text() != before, timeout=2000)
    qtbot.mouseClick(view.revert_button, Qt.MouseButton.LeftButton)
    assert _edit(view, "Job titles to avoid").text() == "recruiter"
    assert _edit(view, "Companies wanted").text() == ""
    assert view.count.text() == before and not view.dirty


@pytest.mark.parametrize(
    ("name", "text", "sentence"),
    [
        ("Industries to avoid", "Staffing & Recruiting,, Mining", "has an empty entry"),
        ("Industries to avoid", "Mining, , Law", "has an empty entry"),
        ("Job titles to avoid", "recruiter, ???", "has no letters or digits"),
        ("Radius around home", "-5", "must be more than 0 km"),
        ("Radius around home", "40000", "reaches round the whole earth"),
        ("Radius around home", "far", "is a number of km"),
    ],
)
def test_a_criterion_that_matches_nothing_is_refused_and_nothing_saved(
    view_host: tuple[CriteriaView, RecordingHost],
    demo_context: AppContext,
    qtbot: Any,
    name: str,
    text: str,
    sentence: str,
) -> None:
    view, host = view_host
    stored = demo_context.criteria.get()
    _edit(view, name).setText(text)
    qtbot.waitUntil(lambda: _error(view).isVisible(), timeout=2000)  # refused as you type
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    message = _error(view).text()
    assert sentence in message and message.count(".") == 1 and message.endswith(".")
    assert demo_context.criteria.get() == stored and host.announced == []
    # No count is shown that belongs to other criteria than those typed.
    assert view.count.text() == "Fix the problem above to see what these criteria do."
    assert view.examples.count() == 0
    # Going back clears the sentence and counts again.
    qtbot.mouseClick(view.revert_button, Qt.MouseButton.LeftButton)
    assert not _error(view).isVisible() and _misfits(view) == 11


def test_a_radius_without_a_home_asks_for_one(
    context: AppContext, runner: TaskRunner, qtbot: Any
) -> None:
    view, host = _view(context, runner, qtbot)
    assert "No pending invitations" in view.count.text()
    assert "you have no contacts yet" in view.count.text()
    _edit(view, "Radius around home").setText("50")
    view.save()
    assert _error(view).text() == "Set your home first, or give areas instead."
    assert context.criteria.get().radius_km is None and host.announced == []


def test_radius_is_shown_and_read_in_miles_when_the_user_uses_miles(
    demo_context: AppContext, runner: TaskRunner, qtbot: Any
) -> None:
    demo_context.criteria.set(radius_km=80.4672)
    demo_context.settings.units = "mi"
    view, _host = _view(demo_context, runner, qtbot)
    assert view.radius_unit.text() == "mi"
    assert _edit(view, "Radius around home").text() == "50"
    _edit(view, "Radius around home").setText("100")
    view.save()
    assert demo_context.criteria.get().radius_km == pytest.approx(160.934, abs=0.01)


def test_enter_on_an_example_opens_the_contact(
    view_host: tuple[CriteriaView, RecordingHost], qtbot: Any
) -> None:
    view, host = view_host
    view.examples.setFocus()
    view.examples.setCurrentRow(0)
    qtbot.keyClick(view.examples, Qt.Key.Key_Return)
    assert len(host.calls) == 1 and host.calls[0][0] == "open_contact"


def test_a_change_elsewhere_keeps_a_draft_and_reads_the_rest_again(
    view_host: tuple[CriteriaView, RecordingHost], demo_context: AppContext
) -> None:
    view, _host = view_host
    _edit(view, "Areas").setText("Bavaria")
    demo_context.criteria.add_target("Siemens")  # targets also announce criteria=True
    view.on_changes(Changes(criteria=True))
    assert _edit(view, "Areas").text() == "Bavaria" and view.dirty


def test_draft_judging_uses_the_service_matcher(demo_context: AppContext) -> None:
    draft = parse_draft(CriteriaTexts(avoid_industries="Law, Insurance,"), "km", True)
    assert draft.avoid_industries == ["Law", "Insurance"]  # a trailing comma is still typing
    judged = demo_context.criteria.evaluate_contacts(criteria=draft)
    assert sum(not v.verdict.fits for v in judged) == 14  # the demo's 7 + 7
    assert demo_context.criteria.get().avoid_industries == ["Staffing & Recruiting"]


def test_tab_walks_the_editor_in_the_order_shown(
    view_host: tuple[CriteriaView, RecordingHost],
) -> None:
    view, _host = view_host
    controls = {
        *view.edits.values(), view.radius, view.photo, view.examples,
        view.save_button, view.revert_button,
    }  # fmt: skip
    names: list[str] = []
    widget = view.edits["avoid_industries"].nextInFocusChain()
    names.append("Industries to avoid")
    for _ in range(60):
        if widget is view.edits["avoid_industries"]:
            break
        if widget in controls:
            names.append(widget.accessibleName())
        widget = widget.nextInFocusChain()
    assert names == [
        "Industries to avoid", "Job titles to avoid", "Job types wanted", "Companies wanted",
        "Areas", "Radius around home", "A photo is required", "Who would not fit",
        "Revert", "Save",
    ]  # fmt: skip

"""Location entry: completion from the gazetteer, candidates when ambiguous, the inbox flow."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from netplanner.domain.entities import LocationStatus
from netplanner.gui.main_window import MainWindow
from netplanner.gui.widgets.location_edit import LocationEdit
from netplanner.gui.workspaces.contacts import INBOX
from netplanner.services.context import AppContext
from tests.gui.conftest import MUNICH, PARIS_FR, PORTLAND_ME, FakeGazetteer


def test_typing_mun_offers_munich(qtbot: Any) -> None:
    edit = LocationEdit(FakeGazetteer())
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit.line, "Mun")
    offered = edit.completer.model().stringList()  # type: ignore[attr-defined]
    assert offered == ["Munich, Bavaria, Germany"]


def test_completions_asked_off_the_gui_thread_show_only_for_the_text_still_typed(
    qtbot: Any,
) -> None:
    gazetteer = FakeGazetteer()
    asked: list[tuple[str, Any]] = []
    edit = LocationEdit(gazetteer, complete_later=lambda p, answer: asked.append((p, answer)))
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit.line, "Mun")
    assert [prefix for prefix, _ in asked] == ["Mu", "Mun"]
    offered = edit.completer.model()
    assert offered.stringList() == []  # type: ignore[attr-defined]  # nothing answered yet
    asked[1][1](gazetteer.complete("Mun"))  # the worker answers the latest keystroke first
    asked[0][1]([*gazetteer.complete("Mu"), PARIS_FR])  # a late answer for "Mu" is dropped
    assert offered.stringList() == ["Munich, Bavaria, Germany"]  # type: ignore[attr-defined]


def test_the_window_completes_places_on_the_read_worker(
    demo_context: AppContext, qtbot: Any
) -> None:
    import threading

    from netplanner.gui.tasks import TaskRunner

    threads: list[threading.Thread] = []

    class Recording(FakeGazetteer):
        def complete(self, prefix: str, limit: int = 10) -> list[Any]:
            threads.append(threading.current_thread())
            return super().complete(prefix, limit)

    demo_context.__dict__["locator"] = Recording()
    win = MainWindow(demo_context, TaskRunner())
    qtbot.addWidget(win)
    win.show()
    win.show_workspace("contacts")
    qtbot.waitUntil(lambda: win.contacts.detail.contact is not None, timeout=10_000)
    line = win.contacts.detail.location.line
    line.setFocus()
    line.clear()
    qtbot.keyClicks(line, "Mun")
    model = win.contacts.detail.location.completer.model()
    qtbot.waitUntil(
        lambda: model.stringList() == ["Munich, Bavaria, Germany"],  # type: ignore[attr-defined]
        timeout=10_000,
    )
    assert threads and all(t is not threading.main_thread() for t in threads)
    win.close()


def test_enter_on_a_clear_place_commits_it(qtbot: Any) -> None:
    edit = LocationEdit(FakeGazetteer())
    qtbot.addWidget(edit)
    edit.line.setText("München")
    with qtbot.waitSignal(edit.committed) as signal:
        edit.resolve()
    assert signal.args == ["München", MUNICH]
    assert edit.candidates.isHidden()


def test_ambiguous_place_shows_candidates_and_enter_picks_one(qtbot: Any) -> None:
    edit = LocationEdit(FakeGazetteer())
    qtbot.addWidget(edit)
    edit.show()
    edit.line.setText("Portland")
    got: list[object] = []
    edit.committed.connect(lambda text, match: got.append(match))
    edit.resolve()
    assert not got, "an ambiguous place waits for the user's choice"
    assert not edit.candidates.isHidden()
    shown = [edit.candidates.item(i).text() for i in range(edit.candidates.count())]
    assert shown == ["Portland, Oregon, United States", "Portland, Maine, United States"]
    qtbot.keyClick(edit.candidates, Qt.Key.Key_Down)
    qtbot.keyClick(edit.candidates, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(got))
    assert got == [PORTLAND_ME]
    assert edit.candidates.isHidden()


def test_a_place_far_larger_than_its_namesakes_is_taken_at_once(qtbot: Any) -> None:
    edit = LocationEdit(FakeGazetteer())
    qtbot.addWidget(edit)
    edit.line.setText("Paris")
    with qtbot.waitSignal(edit.committed) as signal:
        edit.resolve()
    assert signal.args == ["Paris", PARIS_FR]


def test_real_gazetteer_completes_mun_with_munich_first(
    demo_context: AppContext, qtbot: Any
) -> None:
    edit = LocationEdit(demo_context.locator)
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit.line, "Mun")
    offered = edit.completer.model().stringList()  # type: ignore[attr-defined]
    assert offered[0] == "Munich, Bavaria, Germany"
    assert "Münster, North Rhine-Westphalia, Germany" in offered
    edit.line.setText("Springfield")
    edit.resolve()
    assert not edit.candidates.isHidden()
    assert edit.candidates.count() >= 3


def test_unknown_place_is_kept_as_text_with_a_hint(qtbot: Any) -> None:
    edit = LocationEdit(FakeGazetteer())
    qtbot.addWidget(edit)
    edit.line.setText("Atlantis")
    with qtbot.waitSignal(edit.committed) as signal:
        edit.resolve()
    assert signal.args == ["Atlantis", None]
    assert "not in the gazetteer" in edit.hint.text()


def test_inbox_flow_type_enter_next_contact(
    window: MainWindow, demo_context: AppContext, qtbot: Any
) -> None:
    first, second = demo_context.contacts.search()[:2]
    for contact in (first, second):
        demo_context.contacts.set_location(contact, "", None)
    window.contacts.reload()
    window.contacts.scope.setCurrentIndex(INBOX)
    view = window.contacts
    assert view.model.rowCount() == 2
    assert view.current_contact() is not None
    current = view.current_contact()
    assert current is not None and current.id == first.id
    line = view.detail.location.line
    line.setText("Munich")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    stored = demo_context.contacts.get(first.id or 0)
    assert (stored.lat, stored.lon, stored.location_status) == (
        MUNICH.lat,
        MUNICH.lon,
        LocationStatus.MANUAL,
    )
    assert "location" in stored.edited_fields
    assert view.model.rowCount() == 1
    following = view.current_contact()
    assert following is not None and following.id == second.id
    assert view.detail.location.text() == ""
    assert window.contacts.scope.tabText(INBOX) == "Needs a location (1)"


def test_inbox_by_keyboard_with_the_completer_saves_each_contact_once(
    demo_context: AppContext, qtbot: Any
) -> None:
    from netplanner.gui.tasks import TaskRunner

    first, second, third = demo_context.contacts.search()[:3]
    for contact in (first, second, third):
        demo_context.contacts.set_location(contact, "", None)
    win = MainWindow(demo_context, TaskRunner(synchronous=True))
    qtbot.addWidget(win)
    win.show()
    win.show_workspace("contacts")
    win.contacts.scope.setCurrentIndex(INBOX)
    location = win.contacts.detail.location
    location.line.setFocus()
    # Type the whole name and press Enter while the completer's popup is open.
    qtbot.keyClicks(location.line, "Munich")
    popup = location.completer.popup()
    assert popup is not None and popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.contacts.model.rowCount() == 2)
    assert demo_context.contacts.get(first.id or 0).lat == pytest.approx(48.137, abs=0.01)
    assert demo_context.contacts.get(second.id or 0).location_text is None
    current = win.contacts.current_contact()
    assert current is not None and current.id == second.id
    # Pick from the popup with the arrow keys.
    qtbot.keyClicks(location.line, "Mun")
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.contacts.model.rowCount() == 1)
    assert demo_context.contacts.get(second.id or 0).location_text == "Munich, Bavaria, Germany"
    assert demo_context.contacts.get(third.id or 0).location_text is None
    current = win.contacts.current_contact()
    assert current is not None and current.id == third.id

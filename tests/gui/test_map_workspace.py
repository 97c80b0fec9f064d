"""The Map workspace: the whole network on the map, following the Contacts filter."""

from __future__ import annotations

from typing import Any

import pytest

from netplanner.gui.main_window import MainWindow
from netplanner.gui.tasks import TaskRunner
from netplanner.services.context import AppContext


@pytest.fixture
def win(demo_context: AppContext, runner: TaskRunner, qtbot: Any) -> MainWindow:
    window = MainWindow(demo_context, runner)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_workspace("map")
    return window


def test_the_map_shows_every_located_contact_and_counts_those_in_view(
    win: MainWindow, qtbot: Any
) -> None:
    located = [c for c in win.contacts.model._contacts if c.has_coordinates]
    assert len(win.map.map.points) == len(located) == 150
    qtbot.waitUntil(
        lambda: win.map.count.text() == f"{win.map.map.visible_count():,} contacts in this view",
        timeout=5_000,
    )
    # The world as wide as the map: all but the edges of the Pacific are in view.
    assert win.map.map.visible_count() >= 135


def test_typing_in_the_contacts_filter_narrows_the_map(win: MainWindow, qtbot: Any) -> None:
    win.show_workspace("contacts")
    qtbot.keyClicks(win.contacts.filter_box, "engineer")
    shown = win.contacts.model.rowCount()
    assert 0 < shown < 150
    win.show_workspace("map")
    assert {p.id for p in win.map.map.points} == {
        win.contacts.model.contact_at(row).id for row in range(shown)
    }
    assert "“engineer”" in win.map.following.text()
    win.contacts.filter_box.clear()
    assert len(win.map.map.points) == 150


def test_the_hidden_map_follows_the_filter_when_it_is_shown_again(
    win: MainWindow, qtbot: Any
) -> None:
    everyone = list(win.map.map.points)
    win.show_workspace("contacts")
    qtbot.keyClicks(win.contacts.filter_box, "engineer")
    assert win.map.map.points == everyone  # typing in Contacts does not place map points
    win.show_workspace("map")
    shown = {win.contacts.model.contact_at(row).id for row in range(win.contacts.model.rowCount())}
    assert {p.id for p in win.map.map.points} == shown != {p.id for p in everyone}
    assert "“engineer”" in win.map.following.text()


def test_a_clicked_cluster_lists_its_contacts_and_opens_one(win: MainWindow) -> None:
    berliners = [c.id for c in win.map.contacts if (c.location_text or "").startswith("Berlin")]
    win.map.map.cluster_clicked.emit(berliners)
    assert win.map.listed.count() == len(berliners) > 0
    first = win.map.listed.item(0).text()
    win.map.open_button.click()
    assert win.current_workspace() is win.contacts
    shown = win.contacts.detail.contact
    assert shown is not None and first.startswith(shown.name)


def test_zooming_in_counts_only_the_contacts_in_view(win: MainWindow, qtbot: Any) -> None:
    win.map.map.fit(52.52, 13.405, 30)
    counted = lambda: win.map.count.text()  # noqa: E731
    qtbot.waitUntil(
        lambda: (
            counted() == f"{win.map.map.visible_count():,} contacts in this view"
            and win.map.map.visible_count() < 150
        ),
        timeout=5_000,
    )
    assert 0 < win.map.map.visible_count() < 150


def test_a_contact_moved_while_the_map_is_hidden_shows_when_it_comes_back(
    win: MainWindow, demo_context: AppContext
) -> None:
    win.show_workspace("contacts")
    mover = win.contacts.model.contact_at(0)
    contact = demo_context.contacts.get(mover.id)
    win.contacts.save_location(contact, "", None)  # no place: off the map
    assert mover.id in {p.id for p in win.map.map.points}, "hidden: not read yet"
    win.show_workspace("map")
    assert mover.id not in {p.id for p in win.map.map.points}

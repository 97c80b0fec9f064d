"""The Network workspace in the window: its three pages, read when shown, current on changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from netplanner.domain.changes import Changes
from netplanner.gui.main_window import MainWindow
from netplanner.gui.workspaces.network import CRITERIA, INVITATIONS, TARGETS
from netplanner.services.context import AppContext


def test_ctrl_6_shows_the_judged_invitations(window: MainWindow, qtbot: Any) -> None:
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    network = window.network
    assert window.current_workspace() is network
    assert network.stack.currentIndex() == INVITATIONS
    table = network.invitations.table
    qtbot.waitUntil(lambda: table.rowCount() > 40, timeout=5000)
    assert "pending" in network.invitations.count.text()


def test_each_page_is_read_when_first_shown_and_a_hidden_one_catches_up(
    window: MainWindow, demo_context: AppContext, qtbot: Any
) -> None:
    window.show_workspace("network")
    network = window.network
    assert network.targets.targets.count() == 0  # not read before it is shown
    network.choice.setCurrentIndex(TARGETS)
    qtbot.waitUntil(lambda: network.targets.targets.count() == 3, timeout=5000)
    network.choice.setCurrentIndex(CRITERIA)
    qtbot.waitUntil(lambda: "of your 150 contacts" in network.criteria.count.text(), timeout=5000)
    # A target added elsewhere while Targets is behind: shown when Targets comes back.
    demo_context.criteria.add_target("Harbor Logistics")
    window.announce(Changes(criteria=True))
    assert network.targets.targets.count() == 3
    network.choice.setCurrentIndex(TARGETS)
    qtbot.waitUntil(lambda: network.targets.targets.count() == 4, timeout=5000)

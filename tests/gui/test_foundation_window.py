"""The main window opens on a database and shows its contacts, loaded off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from netplanner.gui.main_window import MainWindow
from netplanner.services.context import AppContext


def test_window_lists_the_demo_contacts(qtbot: QtBot, demo_context: AppContext) -> None:
    window = MainWindow(demo_context)
    qtbot.addWidget(window)
    window.show()
    table = window.contacts.table
    assert isinstance(table, QTableView)
    model = table.model()
    # The contacts load on the worker thread, as they do for a user.
    qtbot.waitUntil(lambda: model.rowCount() == 150, timeout=15_000)
    shown = {
        model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole)
        for row in range(model.rowCount())
    }
    expected = {c.name for c in demo_context.contacts.search()}
    assert shown == expected

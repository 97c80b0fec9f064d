"""The running window's identity on the desktop, and SIGTERM closing it as a user would."""

from __future__ import annotations

import signal

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from netplanner import APP_ID
from netplanner.app import close_on_terminate, set_desktop_identity


def test_window_icon_and_desktop_file_name_are_netplanners(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    set_desktop_identity(app)
    sizes = {size.width() for size in app.windowIcon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes
    assert app.desktopFileName() == APP_ID


def test_sigterm_closes_the_windows_through_their_close_event(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    closed: list[bool] = []

    class Window(QWidget):
        def closeEvent(self, event: object) -> None:
            closed.append(True)

    window = Window()
    qtbot.addWidget(window)
    window.show()
    previous = signal.getsignal(signal.SIGTERM)
    try:
        close_on_terminate(app)
        signal.raise_signal(signal.SIGTERM)
        qtbot.waitUntil(lambda: closed == [True], timeout=5000)
        assert not window.isVisible()
    finally:
        app.aboutToQuit.emit()  # releases the wake-up socket, as quitting does
        signal.signal(signal.SIGTERM, previous)

"""Composition root: the context, then the GUI or the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from netplanner.paths import AppPaths, ensure_private_dir
from netplanner.services.context import AppContext, build_context

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from netplanner.gui.main_window import MainWindow

__all__ = [
    "AppContext",
    "build_context",
    "close_on_terminate",
    "log_file",
    "open_database_unless_current",
    "open_window",
    "run_gui",
    "set_desktop_identity",
]


def run_gui(data_dir: str | None, db_url: str | None, demo: bool) -> int:
    """Start the QApplication and the main window; returns the exit code."""
    import sys

    from PySide6.QtWidgets import QApplication, QMessageBox

    from netplanner import __version__
    from netplanner.domain.errors import NetPlannerError
    from netplanner.gui.single_instance import claim_window

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("NetPlanner")
    app.setOrganizationName("NetPlanner")
    app.setApplicationVersion(__version__)
    set_desktop_identity(app)
    close_on_terminate(app)
    context = build_context(data_dir, db_url, demo=demo)
    if claim_window(context.paths.data_dir) is None:
        return 0  # the window already open on this data folder was brought to the front
    try:
        window = open_window(context, demo)
    except NetPlannerError as exc:
        QMessageBox.critical(None, "NetPlanner", str(exc))
        return 3
    if window is None:
        return 3
    from netplanner.gui.dialogs.damaged_dialog import check_after_start

    context = window.own_context
    window.show()
    check_after_start(window, window)  # damage that opening does not read is found here
    code = app.exec()
    context.close()
    window.own_context.close()  # another context if a backup was restored meanwhile
    return int(code)


def open_window(context: AppContext, demo: bool = False) -> MainWindow | None:
    """The main window on ``context``, not shown yet; None when the user chose to quit.

    The database is opened (and migrated) before the window exists, so one that cannot be
    used is said in a dialog; one already at this schema opens on the worker instead (its
    first table is read from the file). A damaged one offers the newest sound backup
    instead (or quits). The contacts are not read before the window's modules are
    imported: both hold Python's lock, and reading them meanwhile slowed both down.
    Python's cycle collector waits meanwhile (``CollectorPause``): nearly nothing made then is
    garbage, and its young collections cost about 20 ms of the wait.
    """
    from netplanner.domain.collector import CollectorPause

    pause = CollectorPause()  # no cycle collection until the first list is shown
    try:
        from netplanner.gui.dialogs.damaged_dialog import open_or_recover
        from netplanner.gui.main_window import MainWindow

        opened = open_or_recover(context, open_database_unless_current)
        window = None if opened is None else MainWindow(opened, load_demo=demo)
    except BaseException:
        pause.resume()
        raise
    if window is None:
        pause.resume()
        return None
    window.resume_collection_after(pause)  # the demo loads on the worker
    return window


def open_database_unless_current(context: AppContext) -> None:
    """Open (and migrate) the database now, unless it is a file already at this schema.

    Such a file opens without a migration or a question, so the window paints its first
    table from it with the standard library and opens the database on a worker afterwards:
    SQLAlchemy's import alone is most of a bare window's start-up time.
    """
    from netplanner.storage.quick_listing import is_current

    url = context.db_url
    sqlite_file = url.startswith("sqlite:///") and url != "sqlite:///:memory:"
    if sqlite_file and is_current(Path(url.removeprefix("sqlite:///"))):
        return
    context.db  # noqa: B018


def set_desktop_identity(app: QGuiApplication) -> None:
    """Give the application its icon and desktop id, so docks and task bars match the .desktop.

    The icon is read from the PNGs made by scripts/build_icons.py (no SVG plugin needed)."""
    from PySide6.QtGui import QIcon

    from netplanner import APP_ID
    from netplanner.paths import resource

    app.setDesktopFileName(APP_ID)
    icon = QIcon()
    for png in sorted(resource("icon/png").glob("netplanner-*.png")):
        icon.addFile(str(png))
    if not icon.isNull():
        app.setWindowIcon(icon)


def close_on_terminate(app: QApplication) -> None:
    """Close the windows as their user would (layout saved, work stopped, databases closed) on
    SIGTERM, which a session logging out, systemd or ``kill`` sends; Python's default would
    end the process at once. The signal is seen on the event loop through a wake-up socket,
    so one that comes while the window is being built is acted on once it is shown."""
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    if not hasattr(signal, "SIGTERM") or not hasattr(socket, "socketpair"):
        return
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    signal.signal(signal.SIGTERM, lambda _number, _frame: None)  # acted on below
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def on_wake_up() -> None:
        try:
            received = reader.recv(64)
        except BlockingIOError:
            return
        if signal.SIGTERM in received:
            app.closeAllWindows()

    def release() -> None:
        notifier.setEnabled(False)
        signal.set_wakeup_fd(-1)
        reader.close()
        writer.close()

    notifier.activated.connect(on_wake_up)
    app.aboutToQuit.connect(release)


def log_file(paths: AppPaths) -> Path:
    ensure_private_dir(paths.log_dir)
    return paths.log_dir / "netplanner.log"

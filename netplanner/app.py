"""Composition root: the context, then the GUI or the command line."""

from __future__ import annotations

from pathlib import Path

from netplanner.paths import AppPaths, ensure_private_dir
from netplanner.services.context import AppContext, build_context

__all__ = ["AppContext", "build_context", "log_file", "open_database_unless_current", "run_gui"]


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
    context = build_context(data_dir, db_url, demo=demo)
    if claim_window(context.paths.data_dir) is None:
        return 0  # the window already open on this data folder was brought to the front
    from netplanner.gui.dialogs.damaged_dialog import check_after_start, open_or_recover
    from netplanner.gui.main_window import MainWindow

    try:
        # Opened (and migrated) before the window exists, so a database that cannot be used
        # is said in a dialog; one already at this schema opens on the worker instead. A
        # damaged one offers the newest sound backup instead (or quits).
        opened = open_or_recover(context, open_database_unless_current)
        if opened is None:
            return 3
        context = opened
        window = MainWindow(context, load_demo=demo)  # the demo loads on the worker
    except NetPlannerError as exc:
        QMessageBox.critical(None, "NetPlanner", str(exc))
        return 3
    window.show()
    check_after_start(window, window)  # damage that opening does not read is found here
    code = app.exec()
    context.close()
    window.own_context.close()  # another context if a backup was restored meanwhile
    return int(code)


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


def log_file(paths: AppPaths) -> Path:
    ensure_private_dir(paths.log_dir)
    return paths.log_dir / "netplanner.log"

"""Composition root: the context, then the GUI or the command line."""

from __future__ import annotations

from pathlib import Path

from netplanner.paths import AppPaths, ensure_private_dir
from netplanner.services.context import AppContext, build_context

__all__ = ["AppContext", "build_context", "log_file", "run_gui"]


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
    from netplanner.gui.main_window import MainWindow

    try:
        # Opened (and migrated) before the window exists, so a database that cannot be used
        # is said in a dialog, and the workers never race to open it.
        context.db  # noqa: B018
        window = MainWindow(context, load_demo=demo)  # the demo loads on the worker
    except NetPlannerError as exc:
        QMessageBox.critical(None, "NetPlanner", str(exc))
        return 3
    window.show()
    code = app.exec()
    context.close()
    return int(code)


def log_file(paths: AppPaths) -> Path:
    ensure_private_dir(paths.log_dir)
    return paths.log_dir / "netplanner.log"

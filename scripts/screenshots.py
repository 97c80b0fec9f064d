"""Screenshots of every workspace and dialog, on the demo network (``make screenshots``).

Runs the real window offscreen on a temporary data dir and writes PNGs into
docs/screenshots/: each view at 1280x800 and, with the suffix ``-small``, at 1024x640 (a
small laptop). Pass ``--contacts N`` to look at the window with N generated contacts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPlainTextEdit, QWidget

from netplanner.domain.entities import MeetingStatus
from netplanner.gui.dialogs.about import make_about_box
from netplanner.gui.dialogs.debrief_dialog import DebriefDialog
from netplanner.gui.dialogs.locate_dialog import OnlineConsentDialog
from netplanner.gui.main_window import MainWindow
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.workspaces.contacts import ALL_CONTACTS, INBOX
from netplanner.services.context import AppContext, build_context

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
FIXTURES = ROOT / "tests" / "data" / "import"
SIZES = {"": QSize(1280, 800), "-small": QSize(1024, 640)}
# Today's date: the Today workspace reads the clock, so the demo is built around it.
DEMO_DAY = date.today()


def settle(app: QApplication) -> None:
    """Let queued work and short timers run (the map settles 120 ms after a move)."""
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def map_settled(app: QApplication, window: MainWindow) -> None:
    """Wait for the map to settle after a move: its labels come then (later when busy)."""
    while window.map.map.settling:
        settle(app)


def save(app: QApplication, widget: QWidget, name: str, quantize: bool = True) -> Path:
    settle(app)
    path = OUT / f"{name}.png"
    image = widget.grab().toImage()
    if quantize:
        # 256 colours are plenty for a light flat UI and keep the committed PNGs small
        # (a dark palette's close greys would merge, so it keeps its full colours).
        image = image.convertToFormat(
            QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
        )
    image.save(str(path), quality=0)  # 0: the strongest compression
    print(f"wrote {path.relative_to(ROOT)}")
    return path


def dialog_shot(app: QApplication, dialog: QDialog, name: str, suffix: str) -> None:
    dialog.adjustSize()
    dialog.show()
    save(app, dialog, f"{name}{suffix}")
    dialog.close()


def window_on(context: AppContext, size: QSize) -> MainWindow:
    # A fresh layout store per window: each shot shows the first-run layout for its size.
    fresh = context.paths.config_dir / f"window-{size.width()}x{size.height()}-{id(context)}.ini"
    fresh.unlink(missing_ok=True)
    state = QSettings(str(fresh), QSettings.Format.IniFormat)
    window = MainWindow(context, TaskRunner(synchronous=True), state)
    window.resize(size)
    window.show()
    return window


def shoot_all(app: QApplication, data_root: Path) -> None:
    empty = build_context(data_root / "empty")
    demo = build_context(data_root / "demo")
    demo.demo.load(today=DEMO_DAY)
    # A LinkedIn export adds contacts without a place: the inbox has something to show.
    demo.importer.run([FIXTURES / "Connections.csv", FIXTURES / "contacts.vcf"])
    for suffix, size in SIZES.items():
        first = window_on(empty, size)
        save(app, first, f"today-empty{suffix}")
        first.show_workspace("contacts")
        save(app, first, f"welcome{suffix}")
        first.close()

        window = window_on(demo, size)
        save(app, window, f"today{suffix}")
        window.show_workspace("contacts")
        met = next(c for c in demo.contacts.search() if c.last_met is not None)
        window.contacts.select_contact(met.id)
        save(app, window, f"main-window{suffix}")
        window.contacts.detail.tabs.setCurrentIndex(2)
        save(app, window, f"contact-timeline{suffix}")
        window.contacts.detail.tabs.setCurrentIndex(1)
        save(app, window, f"contact-notes{suffix}")
        window.contacts.detail.tabs.setCurrentIndex(0)
        window.contacts.filter_box.setText("berlin")
        save(app, window, f"filter{suffix}")
        window.contacts.filter_box.clear()
        window.contacts.scope.setCurrentIndex(INBOX)
        save(app, window, f"inbox{suffix}")
        location = window.contacts.detail.location
        location.line.setText("Springfield")
        location.resolve()
        save(app, window, f"location-candidates{suffix}")
        location.set_text("")
        window.contacts.scope.setCurrentIndex(ALL_CONTACTS)

        window.show_workspace("plan")
        window.plan.select_trip(1)
        window.plan.table.selectRow(0)
        save(app, window, f"plan{suffix}", quantize=False)  # the map needs its colours
        window.plan.add_trip()
        trip_dialog = window.plan.trip_dialog
        if trip_dialog is not None:
            trip_dialog.place.line.setText("Porto, Portugal")
            trip_dialog.place.line.editingFinished.emit()  # as leaving the field does
            trip_dialog.base.setText("Hotel Infante Sagres")
            trip_dialog.adjustSize()
            trip_dialog.show()
            save(app, trip_dialog, f"trip-dialog{suffix}", quantize=False)
            trip_dialog.close()
        shoot_the_loop(app, window, size, suffix)
        window.show_workspace("network")
        for page, name in ((0, "invitations"), (1, "criteria"), (2, "targets")):
            window.network.choice.setCurrentIndex(page)
            settle(app)
            if page == 2:
                window.network.targets.targets.setCurrentRow(0)
            save(app, window, f"network-{name}{suffix}")
        window.show_workspace("map")
        window.map.map.show_world()
        map_settled(app, window)
        save(app, window, f"map{suffix}", quantize=False)  # the map needs its colours
        window.map.map.fit(38.7223, -9.1393, 12)
        map_settled(app, window)
        save(app, window, f"map-city{suffix}", quantize=False)  # the map needs its colours
        window.show_workspace("contacts")

        importer = window.import_files([FIXTURES / "Connections.csv", FIXTURES / "google.csv"])
        if importer is not None:
            dialog_shot(app, importer, "import-preview", suffix)
            importer.start_import()
            dialog_shot(app, importer, "import-report", suffix)
        window.open_settings()
        if window.settings_dialog is not None:
            dialog_shot(app, window.settings_dialog, "settings", suffix)
        dialog_shot(app, OnlineConsentDialog(12, window), "online-consent", suffix)
        locate = window.locate_contacts()
        if locate is not None:
            dialog_shot(app, locate, "locate", suffix)
        about = make_about_box(window)
        dialog_shot(app, about, "about", suffix)
        window.close()
    shoot_dark(app, demo)
    empty.close()
    demo.close()


def shoot_the_loop(app: QApplication, window: MainWindow, size: QSize, suffix: str) -> None:
    """The meeting planner for João on the Lisbon trip, then Meetings, a debrief, a briefing."""
    window.plan.table.selectRow(0)
    window.plan.plan_coffee()
    planner = window.planner_dialog
    if planner is not None:
        planner.resize(size.width() - 80, size.height() - 60)  # a dialog over the window
        planner.show()
        save(app, planner, f"planner{suffix}", quantize=False)  # the map needs its colours
        pitch = "Our product can boost your sales, and I would love to show you a demo."
        edit = planner.findChild(QPlainTextEdit, "invitation-text")
        if edit is not None:
            edit.setPlainText(edit.toPlainText().replace("Best,", pitch + "\n\nBest,"))
            edit.find("Our product")  # scrolled to the marked phrase, shown unselected
            cursor = edit.textCursor()
            cursor.clearSelection()
            edit.setTextCursor(cursor)
            edit.centerCursor()
        check = planner.findChild(QTimer, "invitation-check-timer")
        while check is not None and check.isActive():  # the text is checked once typing stops
            settle(app)
        save(app, planner, f"planner-pitch-warning{suffix}", quantize=False)
        planner.close()
    window.show_workspace("meetings")
    window.meetings.table.selectRow(0)
    save(app, window, f"meetings{suffix}")
    context = window.context
    due = next(
        m
        for m in reversed(context.meetings.list())
        if m.id is not None
        and m.end_utc < datetime.now(UTC)
        and m.status is not MeetingStatus.CANCELLED
        and context.debriefs.get(m.id) is None
    )
    window.debrief_meeting(due.id or 0)
    debrief = window.open_dialog
    if isinstance(debrief, DebriefDialog):
        food, business = debrief.edits["food_drink"], debrief.edits["business"]
        if isinstance(food, QLineEdit) and isinstance(business, QPlainTextEdit):
            food.setText("Flat whites and a shared slice of carrot cake")
            business.setPlainText("Moving their data platform to the cloud; hiring two engineers.")
        debrief.add_follow_up()
        debrief.resize(min(900, size.width() - 80), size.height() - 60)
        save(app, debrief, f"debrief{suffix}")
        debrief.done(0)  # closed without saving: the shot only
    met = next(c for c in context.contacts.search() if c.last_met is not None)
    window.brief_contact(met.id or 0)
    briefing = window.open_dialog
    if briefing is not None:
        briefing.resize(min(900, size.width() - 80), size.height() - 60)
        save(app, briefing, f"briefing{suffix}")
        briefing.done(0)


def dark_palette() -> QPalette:
    """A dark palette like the one a desktop in dark mode hands to Qt."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, "#2b2b2b"),
        (roles.WindowText, "#e6e6e6"),
        (roles.Base, "#1e1e1e"),
        (roles.AlternateBase, "#262626"),
        (roles.Text, "#e6e6e6"),
        (roles.Button, "#353535"),
        (roles.ButtonText, "#e6e6e6"),
        (roles.Highlight, "#2f65ca"),
        (roles.HighlightedText, "#ffffff"),
        (roles.PlaceholderText, "#8a8a8a"),
        (roles.ToolTipBase, "#353535"),
        (roles.ToolTipText, "#e6e6e6"),
        (roles.Link, "#6ea8ff"),
    ):
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#777777"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#777777"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#777777"))
    return palette


def shoot_dark(app: QApplication, context: AppContext) -> None:
    """The window under a dark system palette: nothing in it hard-codes a colour."""
    style, palette = app.style().name(), app.palette()
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    window = window_on(context, SIZES[""])
    save(app, window, "today-dark", quantize=False)
    window.show_workspace("contacts")
    met = next(c for c in context.contacts.search() if c.last_met is not None)
    window.contacts.select_contact(met.id)
    save(app, window, "main-window-dark", quantize=False)
    window.close()
    app.setStyle(style)
    app.setPalette(palette)


def shoot_many(app: QApplication, data_root: Path, count: int) -> None:
    """The window with ``count`` generated contacts (checks columns and counts at scale)."""
    from bench.bench_gui import fill_database

    context = build_context(data_root / "many")
    fill_database(context, count)
    context.locations.set_home("Berlin, Germany")  # so Today has someone nearby to show
    for suffix, size in SIZES.items():
        window = window_on(context, size)
        save(app, window, f"today-{count}{suffix}")
        window.close()
    for suffix, size in SIZES.items():
        window = window_on(context, size)
        window.show_workspace("plan")
        window.plan.table.selectRow(0)
        save(app, window, f"plan-{count}{suffix}", quantize=False)  # the map needs its colours
        window.show_workspace("map")
        save(app, window, f"map-{count}{suffix}", quantize=False)  # the map needs its colours
        window.close()
    window = window_on(context, SIZES[""])
    window.show_workspace("contacts")
    window.contacts.select_row(0)
    save(app, window, f"main-window-{count}")
    window.contacts.filter_box.setText("lisbon eng")
    save(app, window, f"filter-{count}")
    window.show_workspace("network")
    window.network.choice.setCurrentIndex(1)  # the criteria judge every contact
    save(app, window, f"network-criteria-{count}")
    window.close()
    context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--contacts", type=int, default=0, help="also shoot N generated contacts")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("NetPlanner")
    with tempfile.TemporaryDirectory() as tmp:
        shoot_all(app, Path(tmp))
        if args.contacts:
            shoot_many(app, Path(tmp), args.contacts)
    return 0


if __name__ == "__main__":
    sys.exit(main())

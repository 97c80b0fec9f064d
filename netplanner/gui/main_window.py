"""The main window: the workspace sidebar, menus, toolbar, status bar, and the registry.

The window owns the task runner and the undo stack, builds the workspaces from a registry,
and hands every write's changes to all of them (``announce``). It knows no workspace's
insides: a workspace asks for navigation through the ``Navigator`` methods here.
Window geometry and each workspace's layout live in a QSettings file in the app's config
dir (so tests, which use a temporary data dir, never touch the real one).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QProgressBar,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.domain.collector import CollectorPause
from netplanner.domain.entities import UserLocation
from netplanner.domain.errors import NetPlannerError
from netplanner.domain.places import LocateResult, PlaceMatch
from netplanner.domain.progress import ProgressSink
from netplanner.gui.backup_timer import auto_backup_for
from netplanner.gui.idle_collector import IdleCollector
from netplanner.gui.models.contact_filter import ContactFilter
from netplanner.gui.operations import QueryOp, WriteOp, Written
from netplanner.gui.operations.backups import (
    Restored,
    has_backups,
    made_text,
)
from netplanner.gui.operations.contacts import ContactList, load_contact_list, read_home, set_home
from netplanner.gui.operations.places import completer_for
from netplanner.gui.tasks import Lane, Task, TaskRunner
from netplanner.gui.widgets.location_edit import PlaceLookup
from netplanner.gui.workspaces.base import Workspace, WorkspaceRegistry
from netplanner.gui.workspaces.contacts import ContactsWorkspace
from netplanner.services.context import DEMO_DATABASE, AppContext
from netplanner.settings import Settings

# The dialogs and the other workspaces are imported when first opened: the window's first
# paint waits for no module it does not show (several pull in SQLAlchemy or icalendar).
if TYPE_CHECKING:
    from netplanner.gui.dialogs.import_dialog import ImportDialog
    from netplanner.gui.dialogs.locate_dialog import LocateDialog, OnlineConsentDialog
    from netplanner.gui.dialogs.meeting_planner import MeetingPlannerDialog
    from netplanner.gui.dialogs.settings_dialog import SettingsDialog
    from netplanner.gui.workspaces.map import MapWorkspace
    from netplanner.gui.workspaces.meetings import MeetingsWorkspace
    from netplanner.gui.workspaces.network import NetworkWorkspace
    from netplanner.gui.workspaces.plan import PlanWorkspace
    from netplanner.gui.workspaces.today import TodayWorkspace

IMPORT_FILTER = "Contacts (*.csv *.vcf *.vcard *.zip);;All files (*)"
CONSENT_ASKED_KEY = "geocoding/online_consent_asked"


def ui_state_for(context: AppContext) -> QSettings:
    """The window-layout store of this context: an ini file beside settings.toml."""
    path = context.paths.config_dir / "window.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


class DeferredLookup:
    """The gazetteer for the detail panel's place field, opened when first asked.

    Opening it takes longer than reading the whole first table (and holds its areas in
    memory), so the window does not open it at start: the first completion does, on the
    read worker. Where it cannot be opened, places are kept as text and ``problem`` is
    told why, once (it may be called from a worker: the window's is a queued signal).
    """

    def __init__(self, context: Callable[[], AppContext], problem: Callable[[str], None]) -> None:
        self._context = context
        self._problem: Callable[[str], None] | None = problem

    def _opened(self) -> PlaceLookup | None:
        try:
            locator: PlaceLookup = self._context().locator
        except NetPlannerError as exc:
            if self._problem is not None:
                self._problem(str(exc))
                self._problem = None
            return None
        return locator

    def complete(self, prefix: str, limit: int = 10) -> list[PlaceMatch]:
        found = self._opened()
        return found.complete(prefix, limit) if found is not None else []

    def locate(self, text: str) -> LocateResult:
        found = self._opened()
        return found.locate(text) if found is not None else LocateResult(text, None)


def _fill_demo(context: AppContext) -> None:
    """Load the demo network into its database, unless it is there already."""
    if not context.network_repo.has_contacts():
        context.demo.load()


class MainWindow(QMainWindow):
    """The NetPlanner window.

    Attributes:
        problem_found: a sentence for the status bar, from any thread.
    """

    problem_found = Signal(str)

    def __init__(
        self,
        context: AppContext,
        runner: TaskRunner | None = None,
        ui_state: QSettings | None = None,
        load_demo: bool = False,
    ) -> None:
        super().__init__()
        self.context = context
        self.own_context = context  # the user's database, to come back to from the demo
        self._demo: AppContext | None = None  # made the first time the user explores it
        self._runner = runner or TaskRunner(parent=self)
        self._runner.setParent(self)
        self.ui_state = ui_state or ui_state_for(context)
        self.undo_stack = QUndoStack(self)
        self.settings_dialog: SettingsDialog | None = None
        self.planner_dialog: MeetingPlannerDialog | None = None
        self.open_dialog: QDialog | None = None  # the planner, a debrief or a briefing
        self.setWindowTitle("NetPlanner")
        self.setAccessibleName("NetPlanner")
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.status_text = QLabel(self)
        self.status_text.setObjectName("status-message")
        # The contacts are asked for before anything else is built, so the read worker
        # fetches them while the window is made (with a threaded runner: a synchronous one
        # would answer before there is a table to show them in). On that one worker the
        # first page's own reads queue behind the list.
        early = not load_demo and not self._runner.synchronous
        # Set once the worker has read the first list (the quick check after start waits).
        self.first_table_read: threading.Event | None = None
        self._first_read: Task[ContactList] | None = None
        self._start_pause: CollectorPause | None = (
            None  # the collector's, see resume_collection_after
        )
        if early:
            self.show_message("Reading your network…")
            read = self.first_table_read = threading.Event()
            task = load_contact_list(self, context, done=read).success(self._first_list).run()
            task.finished.connect(read.set)  # also if it never ran (cancelled first)
            self._first_read = task

        # The sidebar is made first so that Tab goes from it into the workspace shown.
        self.sidebar = QListWidget(self)
        self.registry = WorkspaceRegistry()
        self.contact_filter = ContactFilter()  # typed in Contacts, followed by Map
        # Contacts is built at once (the window's actions follow its counts); the others
        # the first time they are shown or asked for (``_built``).
        self.contacts = ContactsWorkspace(
            self, context, DeferredLookup(lambda: self.context, self.problem_found.emit),
            self.undo_stack, self, self.contact_filter,
        )  # fmt: skip
        self.problem_found.connect(self.show_message)
        if not load_demo and not early:
            self.show_message("Reading your network…")
            self.contacts.reload()
        self.contacts.counts_changed.connect(lambda _total, _needing: self._update_actions())
        self.registry.add_lazy("today", "Today", 1, self._build_today)
        self.registry.add(self.contacts)
        self.registry.add_lazy("plan", "Plan", 3, self._build_plan)
        self.registry.add_lazy("meetings", "Meetings", 4, self._build_meetings)
        self.registry.add_lazy("map", "Map", 5, self._build_map)
        self.registry.add_lazy("network", "Network", 6, self._build_network)
        self.registry.on_built = self._built

        self.sidebar.setObjectName("workspace-sidebar")
        self.sidebar.setAccessibleName("Workspaces")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setSpacing(2)
        self.sidebar.setStyleSheet("QListWidget#workspace-sidebar::item { padding: 6px 8px; }")
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("workspace-stack")
        for slot in self.registry.slots:
            item = QListWidgetItem(slot.title, self.sidebar)
            item.setToolTip(f"{slot.title} (Ctrl+{slot.number})")
            if slot.workspace is not None:
                self.stack.addWidget(slot.workspace)
            else:
                self.stack.addWidget(QWidget(self.stack))  # stands in until it is built
        self.sidebar.setFixedWidth(
            max(self.sidebar.sizeHintForColumn(0) + 40, self.fontMetrics().averageCharWidth() * 16)
        )
        self.sidebar.currentRowChanged.connect(self._on_sidebar)
        # A screen reader selects an item without moving the current row: follow that too.
        self.sidebar.itemSelectionChanged.connect(self._on_sidebar_selection)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("status-busy")
        self.busy_bar.setAccessibleName("Working")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.hide()
        self.statusBar().setObjectName("status-bar")
        self.statusBar().setAccessibleName("Status")
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self._runner.busy_changed.connect(self.busy_bar.setVisible)
        self.busy_bar.setVisible(self._runner.busy)  # the contacts may be on their way
        self._collector = IdleCollector(self)
        self._runner.busy_changed.connect(self._work_ended)
        # Every 30 minutes, on the write worker, if the user's own database changed.
        self.auto_backup = auto_backup_for(self, lambda: self.own_context, self)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._update_actions()
        if load_demo:
            self._load_demo_into(context)
        self.sidebar.setCurrentRow(self.registry.index_of("today"))
        self._restore_layout()

    def _first_list(self, listing: ContactList) -> None:
        if self.contacts.services is self.own_context and self.context is self.own_context:
            self.contacts.show_list(listing)

    def resume_collection_after(self, pause: CollectorPause) -> None:
        """Resume the collector ``pause`` holds once the first list has been read and shown
        (just after its paint; at once without such a read, and at the latest on close)."""
        self._start_pause = pause
        task = self._first_read
        if task is None:
            pause.resume()
        else:  # after any outcome; the zero timer lets the table's paint come first
            task.finished.connect(lambda: QTimer.singleShot(0, pause.resume))

    # The workspaces built when first wanted --------------------------------------------
    def _build_today(self) -> Workspace:
        from netplanner.gui.workspaces.today import TodayWorkspace

        return TodayWorkspace(
            self, self.context, self, self.undo_stack, lambda: self.context.settings.units
        )

    def _build_plan(self) -> Workspace:
        from netplanner.gui.workspaces.plan import PlanWorkspace

        return PlanWorkspace(self, self.context, self.undo_stack, self)

    def _build_meetings(self) -> Workspace:
        from netplanner.gui.workspaces.meetings import MeetingsWorkspace

        return MeetingsWorkspace(self, self.context, self)

    def _build_map(self) -> Workspace:
        from netplanner.gui.workspaces.map import MapWorkspace

        return MapWorkspace(self, self.context, self.contact_filter, self)

    def _build_network(self) -> Workspace:
        from netplanner.gui.workspaces.network import NetworkWorkspace

        return NetworkWorkspace(self, self.context, self.undo_stack, self)

    def _built(self, workspace: Workspace) -> None:
        """Put a workspace just built in its place: the stack, its menu, its saved layout."""
        index = self.registry.index_of(workspace.key)
        stand_in = self.stack.widget(index)
        was_current = self.stack.currentIndex() == index
        self.stack.insertWidget(index, workspace)
        if was_current:
            self.stack.setCurrentIndex(index)
        if stand_in is not None:
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
        workspace.restore_state(self.ui_state)
        menu = self.workspace_menus.get(workspace.key)
        if menu is not None:
            self._fill_menu(workspace.key)
        for action in self._stand_ins.pop(workspace.key, []):
            self.removeAction(action)
            action.deleteLater()

    @property
    def today(self) -> TodayWorkspace:
        return cast("TodayWorkspace", self.registry.get("today"))

    @property
    def plan(self) -> PlanWorkspace:
        return cast("PlanWorkspace", self.registry.get("plan"))

    @property
    def meetings(self) -> MeetingsWorkspace:
        return cast("MeetingsWorkspace", self.registry.get("meetings"))

    @property
    def map(self) -> MapWorkspace:
        return cast("MapWorkspace", self.registry.get("map"))

    @property
    def network(self) -> NetworkWorkspace:
        return cast("NetworkWorkspace", self.registry.get("network"))

    # What workspaces and operations use ------------------------------------------------
    @property
    def runner(self) -> TaskRunner:
        return self._runner

    def announce(self, changes: Changes) -> None:
        """Hand a write's changes to every workspace; each decides what to re-read."""
        self.registry.broadcast(changes)

    def show_message(self, text: str) -> None:
        self.status_text.setText(text)
        self.status_text.setAccessibleName(text or "Status")

    def open_contact(self, contact_id: int, tab: str = "details") -> None:
        self.show_workspace("contacts")
        self.contacts.show_contact(contact_id, tab)

    def plan_trip(self) -> None:
        """Plan a trip: the Plan workspace with the trip dialog open."""
        self.show_workspace("plan")
        self.plan.add_trip()

    def open_meeting(self, meeting_id: int, contact_id: int | None) -> None:
        self.show_workspace("meetings")
        self.meetings.show_meeting(meeting_id)

    def plan_coffee(self, contact_id: int, trip_id: int | None = None) -> None:
        """The meeting planner for a contact, on a trip (None: where you are now)."""
        from netplanner.gui.dialogs.meeting_planner import MeetingPlannerDialog

        dialog = MeetingPlannerDialog(
            self, self.context, contact_id, trip_id, self, publish=self._publish_meeting
        )
        dialog.saved.connect(lambda _id: self.show_message("Meeting saved as proposed."))
        self.planner_dialog = dialog
        self._open_dialog(dialog)

    def _forget_dialog(self, dialog: QDialog) -> None:
        if self.planner_dialog is dialog:
            self.planner_dialog = None
        if self.open_dialog is dialog:
            self.open_dialog = None
        dialog.deleteLater()

    def _publish_meeting(self, meeting_id: int) -> None:
        self.meetings.publish(meeting_id)

    def debrief_meeting(self, meeting_id: int) -> None:
        """The debrief form for a meeting that took place."""
        from netplanner.gui.dialogs.debrief_dialog import DebriefDialog

        dialog = DebriefDialog(self, self.context, meeting_id, self)
        dialog.saved.connect(lambda _id: self.show_message("Debrief saved; the meeting is done."))
        self._open_dialog(dialog)

    def brief_contact(self, contact_id: int, meeting_id: int | None = None) -> None:
        """The briefing before meeting a contact."""
        from netplanner.gui.dialogs.briefing_dialog import BriefingDialog

        self._open_dialog(BriefingDialog(self, self.context, contact_id, meeting_id, self))

    def _open_dialog(self, dialog: QDialog) -> None:
        """Open a window-modal dialog, kept as ``open_dialog`` until it closes."""
        dialog.finished.connect(lambda _r: self._forget_dialog(dialog))
        self.open_dialog = dialog
        dialog.open()

    def lookup(self) -> PlaceLookup | None:
        """The offline gazetteer for completion (``context.locator``), if available."""
        try:
            locator: PlaceLookup = self.context.locator
        except NetPlannerError as exc:
            self.show_message(str(exc))
            return None
        return locator

    # Workspaces ------------------------------------------------------------------------
    def show_workspace(self, key: str) -> Workspace:
        """Bring a workspace to the front (the sidebar follows), built if it was not yet."""
        index = self.registry.index_of(key)
        if self.sidebar.currentRow() != index:
            self.sidebar.setCurrentRow(index)
        return self.registry.get(key)

    def current_workspace(self) -> Workspace:
        return self.registry.get(self.registry.key_at(self.stack.currentIndex()))

    def _on_sidebar_selection(self) -> None:
        chosen = self.sidebar.selectedItems()
        if chosen:
            row = self.sidebar.row(chosen[0])
            if row != self.sidebar.currentRow():
                self.sidebar.setCurrentRow(row)

    def _on_sidebar(self, row: int) -> None:
        if row < 0:
            return
        key = self.registry.key_at(row)
        if not self.isVisible() and not self.registry.is_built(key):
            # Built when the window is shown (``showEvent``): a page chosen before then
            # and left again never costs its build.
            self.stack.setCurrentIndex(row)
            self.delete_action.setVisible(False)
            return
        self.registry.get(key)
        self.stack.setCurrentIndex(row)
        workspace = self.current_workspace()
        self.delete_action.setVisible(workspace is self.contacts)
        workspace.activated()

    # Actions, menus, toolbar -----------------------------------------------------------
    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon: QStyle.StandardPixmap | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString()})" if shortcut else tip)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.import_action = self._action(
            "&Import contacts…", "Ctrl+I", sp.SP_DialogOpenButton,
            "Import a LinkedIn export, vCard or CSV file",
        )  # fmt: skip
        self.import_action.triggered.connect(self.choose_import_files)
        self.locate_action = self._action(
            "&Locate contacts", "Ctrl+L", sp.SP_BrowserReload, "Find the place of every contact"
        )
        self.locate_action.triggered.connect(self.locate_contacts)
        preferences = QKeySequence(QKeySequence.StandardKey.Preferences)
        self.settings_action = self._action(
            "&Settings…",
            preferences if not preferences.isEmpty() else "Ctrl+,",
            sp.SP_FileDialogDetailedView,
            "Home, units, online services, calendar and backups",
        )
        self.settings_action.triggered.connect(self.open_settings)
        self.demo_action = self._action(
            "Explore the &demo network", tip="Open the demo network beside your own"
        )
        self.demo_action.triggered.connect(self.explore_demo)
        self.own_action = self._action(
            "Back to &your network", tip="Leave the demo network for your own contacts"
        )
        self.own_action.triggered.connect(self.back_to_own_network)
        self.own_action.setEnabled(False)
        self.restore_action = self._action(
            "Restore from &backup…", tip="Bring back your network as a backup holds it"
        )
        self.restore_action.triggered.connect(self.open_restore)
        self.restore_action.setEnabled(has_backups(self.own_context))
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(self.style().standardIcon(sp.SP_ArrowBack))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.delete_action = self.contacts.delete_action
        self.delete_action.setIcon(self.style().standardIcon(sp.SP_TrashIcon))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.delete_action)
        self.find_action = self._action("&Find contacts", QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_filter)
        self.workspace_actions: list[QAction] = []
        for slot in self.registry.slots:
            number = slot.number
            action = self._action(f"&{number} {slot.title}", f"Ctrl+{number}")
            action.setObjectName(f"action-show-{slot.key}")
            action.triggered.connect(lambda _=False, key=slot.key: self.show_workspace(key))
            self.workspace_actions.append(action)
            self.addAction(action)  # shortcuts work wherever the focus is
        self.about_action = self._action("&About NetPlanner")
        self.about_action.triggered.connect(self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setAccessibleName("Menu bar")
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.demo_action)
        file_menu.addAction(self.own_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        view_menu = bar.addMenu("&View")
        for action in self.workspace_actions:
            view_menu.addAction(action)
        contacts_menu = bar.addMenu("&Contacts")
        for action in self.contacts.actions_for_menu():
            contacts_menu.addAction(action)
        contacts_menu.addSeparator()
        contacts_menu.addAction(self.locate_action)
        # A workspace's menu is filled when the workspace is built, at the latest when the
        # menu is about to open.
        self.workspace_menus: dict[str, QMenu] = {}
        for key, title in (("plan", "&Plan"), ("meetings", "&Meetings"), ("network", "&Network")):
            menu = bar.addMenu(title)
            menu.aboutToShow.connect(lambda key=key: self.registry.get(key))
            self.workspace_menus[key] = menu
            if self.registry.is_built(key):
                self._fill_menu(key)
        # Until Plan is built, its window-wide shortcut (Ctrl+T) is the window's.
        add_trip = self._action("&Add a trip…", "Ctrl+T")
        add_trip.triggered.connect(self.plan_trip)
        self.addAction(add_trip)
        self._stand_ins: dict[str, list[QAction]] = {"plan": [add_trip]}
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _fill_menu(self, key: str) -> None:
        menu = self.workspace_menus[key]
        if not menu.actions():
            for action in self.registry.get(key).actions_for_menu():
                menu.addAction(action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setAccessibleName("Main toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.import_action, self.locate_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.delete_action)
        toolbar.addSeparator()
        toolbar.addAction(self.settings_action)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _update_actions(self) -> None:
        has_contacts = self.contacts.model.total() > 0
        for action in (self.locate_action, self.find_action):
            action.setEnabled(has_contacts)

    def focus_filter(self) -> None:
        self.show_workspace("contacts")
        self.contacts.focus_filter()

    # Import ----------------------------------------------------------------------------
    def choose_import_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # its class made when first used

        paths, _ = QFileDialog.getOpenFileNames(self, "Import contacts", "", IMPORT_FILTER)
        if paths:
            self.import_files([Path(p) for p in paths])

    def import_files(self, paths: Sequence[Path]) -> ImportDialog:
        """Open the import dialog on these files, starting with the dry run."""
        from netplanner.gui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.context.importer, self.runner, paths, self)
        dialog.imported.connect(self._after_import)
        dialog.setModal(True)
        dialog.show()
        dialog.start_preview()
        return dialog

    def _after_import(self) -> None:
        self.announce(Changes.of_all())
        self.show_workspace("contacts")
        self.show_message("Imported. Contacts without a place are under “Needs a location”.")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    # Demo ------------------------------------------------------------------------------
    def explore_demo(self) -> None:
        """Switch to the separate demo database (the user's own stays untouched)."""
        if self._demo is None:
            paths = self.context.paths
            self._demo = AppContext(
                paths=paths,
                db_url=f"sqlite:///{paths.data_dir / DEMO_DATABASE}",
                settings=self.context.settings_provider,  # one set of settings for both
            )
        demo = self._demo

        def load(_progress: ProgressSink) -> AppContext:
            _fill_demo(demo)  # a write, but to a database no workspace shows yet
            return demo

        self.show_message("Opening the demo network…")
        QueryOp(self, "Load the demo network", load, lane=Lane.WRITE).success(self._use_demo).run()

    def _load_demo_into(self, context: AppContext) -> None:
        """``netplanner gui --demo``: fill an empty demo database on the worker, then show it."""

        def load(_progress: ProgressSink) -> Written[None]:
            _fill_demo(context)
            return Written(None, Changes.of_all())

        self.show_message("Opening the demo network…")
        WriteOp(self, "Load the demo network", load).run()

    def _use_demo(self, demo: AppContext) -> None:
        self.set_context(demo)
        self.setWindowTitle("NetPlanner — demo network")
        self.demo_action.setEnabled(False)
        self.own_action.setEnabled(True)

    def back_to_own_network(self) -> None:
        """Leave the demo database for the user's own (the demo stays for another look)."""
        self.set_context(self.own_context)
        self.setWindowTitle("NetPlanner")
        self.demo_action.setEnabled(True)
        self.own_action.setEnabled(False)

    def set_context(self, context: AppContext) -> None:
        """Work on another database: every workspace starts over on it."""
        self.context = context
        self.undo_stack.clear()
        self.registry.set_services(context)
        self.show_workspace("today")

    # Locating --------------------------------------------------------------------------
    def locate_contacts(self) -> LocateDialog:
        """Geocode every contact with progress and Cancel; ask about online use once."""
        from netplanner.gui.dialogs.locate_dialog import LocateDialog

        online = self.context.settings.geocoding.online
        dialog = LocateDialog(self.context.geocoding, self.runner, online, self)
        dialog.located.connect(lambda: self._after_locate(dialog))
        dialog.setModal(True)
        dialog.show()
        dialog.start()
        return dialog

    def _after_locate(self, dialog: LocateDialog) -> None:
        self.announce(Changes.of_all())
        not_found = int(getattr(dialog.report, "not_found", 0) or 0)
        asked = self.ui_state.value(CONSENT_ASKED_KEY, False, type=bool)
        if not_found and not self.context.settings.geocoding.online and not asked:
            self.ask_online_consent(not_found)

    def ask_online_consent(self, missing: int) -> OnlineConsentDialog:
        """Explain online geocoding once; it stays off unless the user ticks the box."""
        from netplanner.gui.dialogs.locate_dialog import OnlineConsentDialog

        self.ui_state.setValue(CONSENT_ASKED_KEY, True)
        dialog = OnlineConsentDialog(missing, self)
        dialog.setModal(True)
        dialog.finished.connect(lambda _code: self._after_consent(dialog))
        dialog.show()
        return dialog

    def _after_consent(self, dialog: OnlineConsentDialog) -> None:
        if dialog.online_allowed():
            settings = self.context.settings
            settings.geocoding.online = True
            self._save_settings(settings)
            self.show_message("Online lookups are on. Run “Locate contacts” again to use them.")

    # Settings --------------------------------------------------------------------------
    def open_settings(self) -> None:
        """Read the home off the GUI thread, then open the dialog on it."""
        read_home(self, self.context).success(self._open_settings_at).run()

    def _open_settings_at(self, home: UserLocation | None) -> None:
        from netplanner.gui.dialogs.settings_dialog import SettingsDialog

        text = str(home.text) if home is not None else ""
        lookup = self.lookup()
        dialog = SettingsDialog(
            self.context.settings, text, lookup, self, completer_for(self, lambda: lookup)
        )
        dialog.save_handler = self.apply_settings
        dialog.setModal(True)
        dialog.show()
        self.settings_dialog = dialog

    def apply_settings(self, dialog: SettingsDialog) -> bool:
        """Save the dialog's settings; a new home is located first (the dialog waits).

        Returns False to keep the dialog open: it closes itself once the home is saved,
        or shows why the home could not be found.
        """
        new_home = dialog.home_text()
        if not new_home or new_home == dialog.home_text_before:
            self._save_settings(dialog.result_settings())
            return True
        dialog.setEnabled(False)

        def saved(_home: UserLocation) -> None:
            self._save_settings(dialog.result_settings())
            dialog.finish_saving()

        def failed(message: str) -> None:
            dialog.setEnabled(True)
            dialog.show_error(f"Home: {message}")

        set_home(self, self.context, new_home).success(saved).failure(failed).run()
        return False

    def _save_settings(self, settings: Settings) -> None:
        self.context.update_settings(settings)
        self.announce(Changes(settings=True))
        self.show_message("Settings saved.")

    # Backups ---------------------------------------------------------------------------
    def open_restore(self) -> None:
        """The backups of the user's own database, to bring one back."""
        from netplanner.gui.dialogs.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self, self.own_context, self.reopen_restored, self)
        self._open_dialog(dialog)
        dialog.load()

    def reopen_restored(self, restored: Restored) -> None:
        """The restored database replaces the old one: every workspace reads it anew."""
        kept = (
            f" The database it replaced is kept as {restored.kept_aside.name}."
            if restored.kept_aside
            else ""
        )
        said = f"Restored the backup of {made_text(restored.backup)}.{kept}"

        def listed() -> None:  # the contacts read anew say their count: this is the news
            self.contacts.list_shown.disconnect(listed)
            self.show_message(said)

        self.contacts.list_shown.connect(listed)  # before the reading starts (or is done)
        replaced, self.own_context = self.own_context, restored.context
        self.back_to_own_network()
        replaced.close()  # closed before the restore; whatever read it since is let go
        self.show_message(said)

    # About and closing -----------------------------------------------------------------
    def show_about(self) -> None:
        from netplanner.gui.dialogs.about import make_about_box

        make_about_box(self).exec()

    def _restore_layout(self) -> None:
        geometry = self.ui_state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.ui_state.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.registry.restore_state(self.ui_state)

    def save_layout(self) -> None:
        """Remember geometry, toolbar and each workspace's layout for the next run."""
        self.ui_state.setValue("window/geometry", self.saveGeometry())
        self.ui_state.setValue("window/state", self.saveState())
        self.registry.save_state(self.ui_state)
        self.ui_state.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        row = self.sidebar.currentRow()
        if row >= 0 and not self.registry.is_built(self.registry.key_at(row)):
            self._on_sidebar(row)

    def _work_ended(self, busy: bool) -> None:
        if not busy:
            self._collector.poke()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel long work and wait for it to stop, then close the databases."""
        self._collector.stop()
        if self._start_pause is not None:
            self._start_pause.resume()
        self.save_layout()
        if self.runner.busy:
            self.show_message("Stopping: " + ", ".join(self.runner.running()) + "…")
        self.runner.close()
        if self._demo is not None:
            self._demo.close()
        super().closeEvent(event)

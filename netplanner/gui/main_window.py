"""The main window: navigation, menus, toolbar, status bar, and the workspaces inside.

The window wires actions to views and dialogs; the work itself happens in services, long
work through ``gui.tasks``. Window geometry and column layout live in a QSettings file in
the app's config dir (so tests, which use a temporary data dir, never touch the real one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QStyle,
    QTabBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.errors import NetPlannerError
from netplanner.domain.progress import ProgressSink
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.dialogs.about import make_about_box
from netplanner.gui.dialogs.import_dialog import ImportDialog
from netplanner.gui.dialogs.locate_dialog import LocateDialog, OnlineConsentDialog
from netplanner.gui.dialogs.settings_dialog import SettingsDialog
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.views.contacts_view import ContactsView
from netplanner.gui.views.welcome_view import WelcomeView
from netplanner.gui.widgets.location_edit import PlaceLookup
from netplanner.services.context import DEMO_DATABASE, AppContext

WELCOME, CONTACTS = range(2)
ALL_CONTACTS, INBOX = range(2)
IMPORT_FILTER = "Contacts (*.csv *.vcf *.vcard *.zip);;All files (*)"
CONSENT_ASKED_KEY = "geocoding/online_consent_asked"


def home_of(context: AppContext) -> tuple[float, float] | None:
    """The user's home (lat, lon) for the distance column; None if unset or unavailable.

    Runs on the worker thread, so it reports nothing to the GUI itself.
    """
    try:
        locations = getattr(context, "locations", None)
        home = locations.get_home() if locations is not None else None
    except NetPlannerError:
        return None
    return (float(home.lat), float(home.lon)) if home is not None else None


def ui_state_for(context: AppContext) -> QSettings:
    """The window-layout store of this context: an ini file beside settings.toml."""
    path = context.paths.config_dir / "window.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """The NetPlanner window."""

    def __init__(
        self,
        context: AppContext,
        runner: TaskRunner | None = None,
        ui_state: QSettings | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self._extra_contexts: list[AppContext] = []
        self.runner = runner or TaskRunner(parent=self)
        self.runner.setParent(self)
        self.ui_state = ui_state or ui_state_for(context)
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle("NetPlanner")
        self.setAcceptDrops(True)
        self.resize(1280, 800)

        self.welcome = WelcomeView(self)
        self.welcome.import_requested.connect(self.choose_import_files)
        self.welcome.demo_requested.connect(self.explore_demo)
        self.contacts = ContactsView(context, self.undo_stack, self.runner, self.lookup(), self)
        self.contacts.message.connect(self.show_message)
        self.contacts.counts_changed.connect(self._update_counts)
        # Navigation: the contacts and their inbox. Plan, Meetings and Map join as tabs here
        # once they exist; a tab bar leaves the table the whole width of a small laptop.
        self.nav = QTabBar(self)
        self.nav.setAccessibleName("Workspaces")
        self.nav.setDocumentMode(True)
        self.nav.setExpanding(False)
        self.nav.addTab("All contacts")
        self.nav.addTab("Needs a location")
        self.nav.currentChanged.connect(self._on_nav)
        contacts_page = QWidget(self)
        column = QVBoxLayout(contacts_page)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.nav)
        column.addWidget(self.contacts, 1)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(contacts_page)
        self.setCentralWidget(self.pages)

        self.status_text = QLabel(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.hide()
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.runner.busy_changed.connect(self.busy_bar.setVisible)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.pages.setCurrentIndex(CONTACTS)
        self.show_message("Reading your contacts…")
        self.reload()
        self.nav.setCurrentIndex(ALL_CONTACTS)
        self._restore_layout()

    # Services that other parts of the app provide once they are built -----------------
    def lookup(self) -> PlaceLookup | None:
        """The offline gazetteer for completion (``context.locator``), if available."""
        locator: PlaceLookup | None = self._service("locator")
        return locator

    def _service(self, name: str) -> Any:
        try:
            return getattr(self.context, name, None)
        except NetPlannerError as exc:
            self.show_message(str(exc))
            return None

    def home_text(self) -> str:
        locations = self._service("locations")
        home = locations.get_home() if locations is not None else None
        return str(home.text) if home is not None else ""

    # Actions, menus, toolbar -----------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Any,
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
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.import_action = self._action(
            "&Import contacts…",
            self.choose_import_files,
            "Ctrl+I",
            sp.SP_DialogOpenButton,
            "Import a LinkedIn export, vCard or CSV file",
        )
        self.locate_action = self._action(
            "&Locate contacts",
            self.locate_contacts,
            "Ctrl+L",
            sp.SP_BrowserReload,
            "Find the place of every contact",
        )
        self.settings_action = self._action(
            "&Settings…",
            self.open_settings,
            QKeySequence.StandardKey.Preferences
            if not QKeySequence(QKeySequence.StandardKey.Preferences).isEmpty()
            else "Ctrl+,",
            sp.SP_FileDialogDetailedView,
            "Home, units, online services, calendar and backups",
        )
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(self.style().standardIcon(sp.SP_ArrowBack))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.delete_action = self._action(
            "&Delete contacts…",
            self.delete_selected,
            QKeySequence.StandardKey.Delete,
            sp.SP_TrashIcon,
            "Delete the selected contacts",
        )
        self.find_action = self._action("&Find", self.focus_filter, QKeySequence.StandardKey.Find)
        self.all_action = self._action(
            "&All contacts", lambda: self.nav.setCurrentIndex(ALL_CONTACTS), "Ctrl+1"
        )
        self.inbox_action = self._action(
            "&Needs a location", lambda: self.nav.setCurrentIndex(INBOX), "Ctrl+2"
        )
        self.about_action = self._action("&About NetPlanner", self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.delete_action)
        contacts_menu = bar.addMenu("&Contacts")
        contacts_menu.addAction(self.all_action)
        contacts_menu.addAction(self.inbox_action)
        contacts_menu.addSeparator()
        contacts_menu.addAction(self.locate_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
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

    # State -----------------------------------------------------------------------------
    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the contacts on the worker, then show them (or the welcome page if none)."""
        context = self.context

        def fetch(
            _progress: ProgressSink,
        ) -> tuple[list[ContactSummary], tuple[float, float] | None]:
            return context.contacts.list_for_table(), home_of(context)

        def show(result: object) -> None:
            if context is not self.context or not isinstance(result, tuple):
                return  # the window moved on to another database meanwhile
            contacts, home = result
            self.contacts.show_contacts(contacts, home)
            empty = self.contacts.model.total() == 0
            self.pages.setCurrentIndex(WELCOME if empty else CONTACTS)
            for action in (self.locate_action, self.delete_action, self.find_action):
                action.setEnabled(not empty)
            if then is not None:
                then()

        self.runner.run("Load contacts", fetch, on_success=show, on_failure=self.show_message)

    def _update_counts(self, total: int, needing: int) -> None:
        self.nav.setTabText(ALL_CONTACTS, f"All contacts ({total:,})")
        self.nav.setTabText(INBOX, f"Needs a location ({needing:,})")
        if total:
            self.show_message(f"{total:,} contacts, {needing:,} without a location")
        else:
            self.show_message("No contacts yet.")

    def _on_nav(self, row: int) -> None:
        self.contacts.set_inbox(row == INBOX)

    def show_message(self, text: str) -> None:
        self.status_text.setText(text)

    def focus_filter(self) -> None:
        self.contacts.filter_box.setFocus()
        self.contacts.filter_box.selectAll()

    # Contacts --------------------------------------------------------------------------
    def delete_selected(self) -> None:
        """Ask once, then delete the selected contacts (undo with Ctrl+Z)."""
        chosen = self.contacts.selected_contacts()
        if not chosen:
            return
        what = chosen[0].name if len(chosen) == 1 else f"these {len(chosen):,} contacts"
        answer = QMessageBox.question(
            self,
            "Delete contacts",
            f"Delete {what}? Their follow-ups go too. You can undo this with Ctrl+Z.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.contacts.delete_selected()

    # Import ----------------------------------------------------------------------------
    def choose_import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import contacts", "", IMPORT_FILTER)
        if paths:
            self.import_files([Path(p) for p in paths])

    def import_files(self, paths: Sequence[Path]) -> ImportDialog | None:
        """Open the import dialog on these files, starting with the dry run."""
        importer = self._service("importer")
        if importer is None:
            self.show_message("Importing is not available in this build.")
            return None
        dialog = ImportDialog(importer, self.runner, paths, self)
        dialog.imported.connect(lambda _reports: self._after_import())
        dialog.setModal(True)
        dialog.show()
        dialog.start_preview()
        return dialog

    def _after_import(self) -> None:
        def tell() -> None:
            needing = self.contacts.model.needing_location()
            if needing:
                self.show_message(
                    f"Imported. {needing:,} contacts need a location: see “Needs a location”."
                )

        self.reload(then=tell)

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
        paths = self.context.paths
        demo = AppContext(
            paths=paths,
            db_url=f"sqlite:///{paths.data_dir / DEMO_DATABASE}",
            settings=self.context.settings,
        )

        def load(_progress: object) -> AppContext:
            if not demo.network_repo.has_contacts():
                demo.demo.load()
            return demo

        self.show_message("Opening the demo network…")
        self.runner.run(
            "Load the demo network", load, on_success=self._use_demo, on_failure=self.show_message
        )

    def _use_demo(self, demo: object) -> None:
        if not isinstance(demo, AppContext):
            return
        self._extra_contexts.append(demo)
        self.set_context(demo)
        self.setWindowTitle("NetPlanner — demo network")

    def set_context(self, context: AppContext) -> None:
        """Work on another database (the demo network)."""
        self.context = context
        self.contacts.context = context
        self.contacts.detail.location.lookup = self.lookup()
        self.undo_stack.clear()
        self.reload()

    # Locating --------------------------------------------------------------------------
    def locate_contacts(self) -> LocateDialog | None:
        """Geocode every contact with progress and Cancel; ask about online use once."""
        geocoder = self._service("geocoding")
        if geocoder is None:
            self.show_message("Locating is not available in this build.")
            return None
        dialog = LocateDialog(geocoder, self.runner, self.context.settings.geocoding.online, self)
        dialog.located.connect(lambda report: self._after_locate(report))
        dialog.setModal(True)
        dialog.show()
        dialog.start()
        return dialog

    def _after_locate(self, report: object) -> None:
        self.reload()
        not_found = int(getattr(report, "not_found", 0) or 0)
        asked = self.ui_state.value(CONSENT_ASKED_KEY, False, type=bool)
        if not_found and not self.context.settings.geocoding.online and not asked:
            self.ask_online_consent(not_found)

    def ask_online_consent(self, missing: int) -> OnlineConsentDialog:
        """Explain online geocoding once; it stays off unless the user ticks the box."""
        self.ui_state.setValue(CONSENT_ASKED_KEY, True)
        dialog = OnlineConsentDialog(missing, self)
        dialog.setModal(True)
        dialog.finished.connect(lambda _code: self._after_consent(dialog))
        dialog.show()
        return dialog

    def _after_consent(self, dialog: OnlineConsentDialog) -> None:
        if dialog.online_allowed():
            self.context.settings.geocoding.online = True
            self.context.save_settings()
            self.show_message("Online lookups are on. Run “Locate contacts” again to use them.")

    # Settings --------------------------------------------------------------------------
    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.context.settings, self.home_text(), self.lookup(), self)
        dialog.save_handler = self.apply_settings
        dialog.setModal(True)
        dialog.show()
        return dialog

    def apply_settings(self, dialog: SettingsDialog) -> bool:
        """Save the dialog's settings (and home); False with a message if the home is unknown."""
        new_home = dialog.home_text()
        locations = self._service("locations")
        if locations is not None and new_home and new_home != dialog.home_text_before:
            try:
                locations.set_home(new_home)
            except NetPlannerError as exc:
                dialog.show_error(f"Home: {exc}")
                return False
        self.context.settings = dialog.result_settings()
        self.context.save_settings()
        self.reload(then=lambda: self.show_message("Settings saved."))
        return True

    # About and closing -----------------------------------------------------------------
    def show_about(self) -> None:
        make_about_box(self).exec()

    def _restore_layout(self) -> None:
        geometry = self.ui_state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.ui_state.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        header = self.ui_state.value("contacts/header")
        if isinstance(header, QByteArray):
            self.contacts.layout_restored = self.contacts.table.horizontalHeader().restoreState(
                header
            )
        splitter = self.ui_state.value("contacts/splitter")
        if isinstance(splitter, QByteArray):
            self.contacts.splitter.restoreState(splitter)

    def save_layout(self) -> None:
        """Remember geometry, toolbar, columns and the splitter for the next run."""
        self.ui_state.setValue("window/geometry", self.saveGeometry())
        self.ui_state.setValue("window/state", self.saveState())
        self.ui_state.setValue(
            "contacts/header", self.contacts.table.horizontalHeader().saveState()
        )
        self.ui_state.setValue("contacts/splitter", self.contacts.splitter.saveState())
        self.ui_state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.runner.wait(10_000)  # let a running write finish rather than cut it short
        for extra in self._extra_contexts:
            extra.close()
        super().closeEvent(event)

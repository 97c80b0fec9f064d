"""The main window: the contacts of the database in a table, a menu and a status bar."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHeaderView, QMainWindow, QMessageBox, QTableView

from netplanner import __version__
from netplanner.gui.models.contacts_model import ContactTableModel
from netplanner.services.context import AppContext

ABOUT_TEXT = (
    "<h3>NetPlanner {version}</h3>"
    "<p>Meet your professional network face to face.</p>"
    "<p>Place data: GeoNames (CC BY 4.0, geonames.org). Online results: "
    "© OpenStreetMap contributors (ODbL). Time zones: timezonefinder (ODbL).</p>"
)


class MainWindow(QMainWindow):
    """Lists the contacts; later issues add the workspaces around it."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle("NetPlanner")
        self.resize(1280, 800)
        self.model = ContactTableModel(parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.setCentralWidget(self.table)
        self._build_menus()
        self.reload()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about_action = QAction("&About NetPlanner", self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)

    def reload(self) -> None:
        contacts = self.context.contacts.search()
        self.model.set_contacts(contacts)
        for column, width in enumerate((200, 200, 220, 220, 100)):
            self.table.setColumnWidth(column, width)
        self.statusBar().showMessage(f"{len(contacts):,} contacts")

    def show_about(self) -> None:
        QMessageBox.about(self, "About NetPlanner", ABOUT_TEXT.format(version=__version__))

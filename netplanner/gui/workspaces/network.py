"""The Network workspace: who belongs in the network, and the companies that matter.

Three pages behind a "Network" choice: the pending invitations judged against the
criteria, the criteria themselves with what they would do, and the target companies with
the people known there. Each page is a view of its own; this workspace only shows one at a
time and hands changes to the one in front (the others catch up when next shown), since
judging 30,000 contacts again is work nobody should pay for a page they are not looking at.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from netplanner.domain.changes import Changes
from netplanner.gui.operations.criteria import CriteriaServices
from netplanner.gui.operations.invitations import InvitationsServices
from netplanner.gui.operations.targets import TargetsServices
from netplanner.gui.views.criteria_view import CriteriaView
from netplanner.gui.views.invitations_view import InvitationsView
from netplanner.gui.views.targets_view import TargetsView
from netplanner.gui.widgets.choice import ChoiceBar
from netplanner.gui.workspaces.base import Workspace, WorkspaceHost

INVITATIONS, CRITERIA, TARGETS = range(3)
PAGES = ("Invitations", "Criteria", "Target companies")


class NetworkServices(InvitationsServices, CriteriaServices, TargetsServices, Protocol):
    """What the three pages need together (an ``AppContext`` has it)."""


class NetworkPage(Protocol):
    def reload(self) -> None: ...

    def on_changes(self, changes: Changes) -> None: ...

    def set_services(self, services: NetworkServices) -> None: ...

    def actions_for_menu(self) -> list[QAction]: ...


class NetworkWorkspace(Workspace):
    """Invitations, criteria and target companies, one page at a time."""

    key = "network"
    title = "Network"
    number = 6

    def __init__(
        self,
        host: WorkspaceHost,
        services: NetworkServices,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(host, parent)
        self.services = services
        self.choice = ChoiceBar("Network pages", PAGES, self)
        self.choice.setObjectName("network-pages")
        self.invitations = InvitationsView(host, services, self, undo_stack=undo_stack)
        self.criteria = CriteriaView(host, services, self)
        self.targets = TargetsView(host, services, self, undo_stack=undo_stack)
        self.pages: list[QWidget] = [self.invitations, self.criteria, self.targets]
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("network-stack")
        for page in self.pages:
            self.stack.addWidget(page)
        self._behind = [True] * len(self.pages)  # nothing read yet
        self.choice.currentChanged.connect(self.show_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.choice)
        layout.addWidget(self.stack, 1)

    def _page(self, index: int) -> NetworkPage:
        page = self.pages[index]
        assert isinstance(page, InvitationsView | CriteriaView | TargetsView)
        return page

    def show_page(self, index: int) -> None:
        """Bring a page to the front (the choice follows), reading it if it is behind."""
        if self.choice.currentIndex() != index:
            self.choice.setCurrentIndex(index)
            return  # the choice's signal comes back here
        self.stack.setCurrentIndex(index)
        if self._behind[index] and self.isVisible():
            self._behind[index] = False
            self._page(index).reload()

    # The workspace frame ---------------------------------------------------------------
    def reload(self) -> None:
        self._behind = [True] * len(self.pages)
        self.show_page(self.stack.currentIndex())

    def activated(self) -> None:
        self.show_page(self.stack.currentIndex())
        front = self.stack.currentWidget()
        if front is not None:
            front.setFocus()

    def set_services(self, services: NetworkServices) -> None:
        self.services = services
        for index in range(len(self.pages)):
            self._page(index).set_services(services)
        self._behind = [not self.isVisible() or i != self.stack.currentIndex() for i in range(3)]

    def on_changes(self, changes: Changes) -> None:
        front = self.stack.currentIndex()
        for index in range(len(self.pages)):
            if index == front and self.isVisible():
                self._page(index).on_changes(changes)
            elif not changes.empty:
                self._behind[index] = True

    def actions_for_menu(self) -> list[QAction]:
        actions: list[QAction] = []
        for index in range(len(self.pages)):
            actions += self._page(index).actions_for_menu()
        return actions

    def save_state(self, store: QSettings) -> None:
        store.setValue("network/page", self.stack.currentIndex())

    def restore_state(self, store: QSettings) -> None:
        page = store.value("network/page", INVITATIONS)
        try:
            index = int(str(page))
        except ValueError:
            index = INVITATIONS
        if 0 <= index < len(self.pages):
            self.choice.setCurrentIndex(index)

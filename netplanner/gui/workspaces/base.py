"""What every workspace is, and the registry the window keeps of them.

A workspace is a widget with the narrow services it uses, its own actions, its saved state
and one ``on_changes(changes)`` entry. It never reaches into another workspace: it hears of
data changes through ``on_changes`` and asks the window to open things elsewhere through
its ``Navigator``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, Protocol

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QWidget

from netplanner.domain.changes import Changes
from netplanner.gui.operations import OpHost


class Navigator(Protocol):
    """How a workspace asks for something to be shown where it lives."""

    def open_contact(self, contact_id: int, tab: str = "details") -> None:
        """Show the contact in Contacts (``tab``: "details", "notes" or "timeline")."""

    def open_meeting(self, meeting_id: int, contact_id: int | None) -> None:
        """Show the meeting in Meetings."""

    def plan_coffee(self, contact_id: int, trip_id: int | None = None) -> None:
        """Open the meeting planner for the contact, on the trip (None: where you are now)."""

    def debrief_meeting(self, meeting_id: int) -> None:
        """Open the debrief form for a meeting that took place."""

    def brief_contact(self, contact_id: int, meeting_id: int | None = None) -> None:
        """Open the briefing before meeting the contact (for that meeting, if given)."""


class WorkspaceHost(OpHost, Navigator, Protocol):
    """The window as a workspace sees it: operations, messages and navigation."""


class Workspace(QWidget):
    """A page of the window, reached from the sidebar.

    Subclasses set ``key`` (for saved state and object names) and ``title`` (the sidebar
    text and the accessible name), and override what they need.
    """

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    # Ctrl+N: fixed per workspace (DESIGN.md's order), so a shortcut never moves when
    # another workspace arrives.
    number: ClassVar[int] = 0

    def __init__(self, host: WorkspaceHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.setObjectName(f"workspace-{self.key}")
        self.setAccessibleName(self.title)
        self._stale = False

    def reload(self) -> None:
        """Read again everything this workspace shows."""

    def reload_when_shown(self) -> None:
        """Reload now if shown, else when next brought to the front (``activated``).

        For workspaces whose reading is costly at 30,000 contacts: an edit made elsewhere
        need not be paid for by a page nobody is looking at.
        """
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def show_if_stale(self) -> None:
        """Catch up on changes heard while hidden (done whenever the page is shown)."""
        if self._stale:
            self._stale = False
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.show_if_stale()

    def set_services(self, services: Any) -> None:
        """Work on another database: forget what is shown and read it again."""

    def on_changes(self, changes: Changes) -> None:
        """Re-read what this workspace shows of ``changes``, if anything."""

    def actions_for_menu(self) -> list[QAction]:
        """This workspace's own actions, for its menu."""
        return []

    def activated(self) -> None:
        """The workspace was brought to the front: put the focus where work starts."""

    def save_state(self, store: QSettings) -> None:
        """Remember layout (splitters, columns) under ``self.key``."""

    def restore_state(self, store: QSettings) -> None:
        """Restore what ``save_state`` remembered."""


class WorkspaceRegistry:
    """The window's workspaces in sidebar order; broadcasts go through here."""

    def __init__(self) -> None:
        self._workspaces: list[Workspace] = []

    def add(self, workspace: Workspace) -> Workspace:
        if any(w.key == workspace.key for w in self._workspaces):
            raise ValueError(f"A workspace called {workspace.key!r} is registered already.")
        self._workspaces.append(workspace)
        return workspace

    def __iter__(self) -> Iterator[Workspace]:
        return iter(self._workspaces)

    def __len__(self) -> int:
        return len(self._workspaces)

    def index_of(self, key: str) -> int:
        for index, workspace in enumerate(self._workspaces):
            if workspace.key == key:
                return index
        raise KeyError(key)

    def get(self, key: str) -> Workspace:
        return self._workspaces[self.index_of(key)]

    def broadcast(self, changes: Changes) -> None:
        for workspace in self._workspaces:
            workspace.on_changes(changes)

    def set_services(self, services: Any) -> None:
        for workspace in self._workspaces:
            workspace.set_services(services)

    def save_state(self, store: QSettings) -> None:
        for workspace in self._workspaces:
            workspace.save_state(store)

    def restore_state(self, store: QSettings) -> None:
        for workspace in self._workspaces:
            workspace.restore_state(store)

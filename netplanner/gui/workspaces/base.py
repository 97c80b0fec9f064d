"""What every workspace is, and the registry the window keeps of them.

A workspace is a widget with the narrow services it uses, its own actions, its saved state
and one ``on_changes(changes)`` entry. It never reaches into another workspace: it hears of
data changes through ``on_changes`` and asks the window to open things elsewhere through
its ``Navigator``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@dataclass
class WorkspaceSlot:
    """A sidebar entry, and how to build its workspace the first time it is wanted."""

    key: str
    title: str
    number: int
    build: Callable[[], Workspace]
    workspace: Workspace | None = None


class WorkspaceRegistry:
    """The window's workspaces in sidebar order; broadcasts go through here.

    A workspace may be registered unbuilt (``add_lazy``): it is built the first time it is
    shown or asked for, so the window's first paint pays only for the one it shows. A
    workspace not built yet hears no changes: it reads everything when it is built.
    """

    def __init__(self) -> None:
        self._slots: list[WorkspaceSlot] = []
        self.on_built: Callable[[Workspace], None] | None = None

    def add(self, workspace: Workspace) -> Workspace:
        self._check_new(workspace.key)
        self._slots.append(
            WorkspaceSlot(
                workspace.key, workspace.title, workspace.number, lambda: workspace, workspace
            )
        )
        return workspace

    def add_lazy(self, key: str, title: str, number: int, build: Callable[[], Workspace]) -> None:
        self._check_new(key)
        self._slots.append(WorkspaceSlot(key, title, number, build))

    def _check_new(self, key: str) -> None:
        if any(slot.key == key for slot in self._slots):
            raise ValueError(f"A workspace called {key!r} is registered already.")

    @property
    def slots(self) -> list[WorkspaceSlot]:
        return list(self._slots)

    def __iter__(self) -> Iterator[Workspace]:
        """Every workspace, building those not built yet."""
        return iter([self.get(slot.key) for slot in self._slots])

    def __len__(self) -> int:
        return len(self._slots)

    def built(self) -> list[Workspace]:
        return [slot.workspace for slot in self._slots if slot.workspace is not None]

    def is_built(self, key: str) -> bool:
        return self._slots[self.index_of(key)].workspace is not None

    def index_of(self, key: str) -> int:
        for index, slot in enumerate(self._slots):
            if slot.key == key:
                return index
        raise KeyError(key)

    def key_at(self, index: int) -> str:
        return self._slots[index].key

    def get(self, key: str) -> Workspace:
        """The workspace, built now if it was not yet."""
        slot = self._slots[self.index_of(key)]
        if slot.workspace is None:
            workspace = slot.build()
            slot.workspace = workspace
            if self.on_built is not None:
                self.on_built(workspace)
        return slot.workspace

    def broadcast(self, changes: Changes) -> None:
        for workspace in self.built():
            workspace.on_changes(changes)

    def set_services(self, services: Any) -> None:
        for workspace in self.built():
            workspace.set_services(services)

    def save_state(self, store: QSettings) -> None:
        for workspace in self.built():  # an unbuilt one keeps what it saved last time
            workspace.save_state(store)

    def restore_state(self, store: QSettings) -> None:
        for workspace in self.built():
            workspace.restore_state(store)

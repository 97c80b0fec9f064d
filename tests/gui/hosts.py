"""One stand-in for the window, shared by the GUI tests of views, workspaces and dialogs.

A view, workspace or dialog sees the window only through ``OpHost`` (the runner, the
changes broadcast, the status bar) and the ``Navigator`` (open a contact, a meeting, the
planner, a debrief, a briefing). ``RecordingHost`` is both, and records what it was asked
in the order asked, so a test asserts what the window would have done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from netplanner.domain.changes import Changes
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.workspaces.base import WorkspaceHost
from netplanner.gui.workspaces.meetings import MeetingsHost

Call = tuple[str, tuple[object, ...]]


@dataclass
class RecordingHost:
    """The window as a page sees it, recording announcements, messages and navigation.

    Attributes:
        listener: hears every announced change, as the window's workspaces do (set it to
            the view's ``on_changes`` so an announcement comes back to the page).
        announced: every ``Changes`` announced, oldest first.
        messages: every status-bar line, oldest first.
        calls: every navigation request as ``(method name, arguments)``, e.g.
            ``("open_contact", (135, "details"))`` or ``("plan_coffee", (7, None))``.
    """

    runner: TaskRunner
    listener: Callable[[Changes], None] | None = None
    announced: list[Changes] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)

    # OpHost

    def announce(self, changes: Changes) -> None:
        self.announced.append(changes)
        if self.listener is not None:
            self.listener(changes)

    def show_message(self, text: str) -> None:
        self.messages.append(text)

    # Navigator

    def open_contact(self, contact_id: int, tab: str = "details") -> None:
        self.calls.append(("open_contact", (contact_id, tab)))

    def open_meeting(self, meeting_id: int, contact_id: int | None) -> None:
        self.calls.append(("open_meeting", (meeting_id, contact_id)))

    def plan_coffee(self, contact_id: int, trip_id: int | None = None) -> None:
        self.calls.append(("plan_coffee", (contact_id, trip_id)))

    def debrief_meeting(self, meeting_id: int) -> None:
        self.calls.append(("debrief_meeting", (meeting_id,)))

    def brief_contact(self, contact_id: int, meeting_id: int | None = None) -> None:
        self.calls.append(("brief_contact", (contact_id, meeting_id)))


def _is_a_window(host: RecordingHost) -> tuple[WorkspaceHost, MeetingsHost]:
    """Never called: mypy checks here that the stand-in still satisfies both Protocols."""
    return host, host

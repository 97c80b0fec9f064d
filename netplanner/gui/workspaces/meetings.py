"""The Meetings workspace: upcoming and past meetings, and what to do with each.

The list is read in one query op (upcoming first, past ones greyed below with *Debrief
due* where nothing was written down yet); the Status and Trip filters narrow what was
read without asking again. Every change is a write op whose changes the window
announces; the list is read again from ``on_changes`` like every other screen.
Publishing asks the CalDAV password only when the keyring holds none, on the network
worker, and a refused or unreachable server leaves the meeting saved here, unpublished.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.domain.entities import Meeting, MeetingStatus
from netplanner.domain.localtime import utc_to_local
from netplanner.gui.dialogs.caldav_password import CalDAVPasswordDialog
from netplanner.gui.dialogs.reschedule_dialog import RescheduleDialog
from netplanner.gui.models.meetings_model import (
    MeetingRow,
    MeetingsModel,
    StatusFilter,
    count_text,
    debrief_text,
    filter_rows,
)
from netplanner.gui.operations.meetings import (
    MeetingsList,
    MeetingsServices,
    PublishResult,
    caldav_configured,
    cancel,
    confirm,
    export_ics,
    keyring_available,
    read_meetings,
    reschedule,
    stored_password,
    unpublish,
)
from netplanner.gui.operations.meetings import publish as publish_meeting
from netplanner.gui.widgets.spoken_label import SpokenLabel
from netplanner.gui.widgets.tables import record_table
from netplanner.gui.workspaces.base import Workspace, WorkspaceHost

TABLE_PAGE, EMPTY_PAGE = range(2)
NO_MEETINGS = "No meetings yet. Plan a coffee from Plan or from a contact."
NONE_MATCH = "No meeting matches these filters. Choose All and All trips to see every one."


class MeetingsNavigator(Protocol):
    """Where Meetings sends the user for a contact, a debrief or a briefing."""

    def open_contact(self, contact_id: int, tab: str = "details") -> None: ...

    def debrief_meeting(self, meeting_id: int) -> None: ...

    def brief_contact(self, contact_id: int, meeting_id: int | None = None) -> None: ...


class MeetingsHost(WorkspaceHost, MeetingsNavigator, Protocol):
    """The window as Meetings needs it."""


def _one_sentence(message: str, tail: str) -> str:
    """``message`` and ``tail`` joined into one sentence: 'X (401); the meeting ...'."""
    return f"{message.rstrip().rstrip('.')}; {tail}"


class MeetingsWorkspace(Workspace):
    """Upcoming and past meetings: confirm, move, cancel, export, publish, debrief, brief."""

    key = "meetings"
    title = "Meetings"
    number = 4

    def __init__(
        self,
        host: MeetingsHost,
        services: MeetingsServices,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(host, parent)
        self.app = host
        self.services = services
        self.now: Callable[[], datetime] = now or (lambda: datetime.now(UTC))
        self.listing: MeetingsList | None = None
        self.reschedule_dialog: RescheduleDialog | None = None
        self._want: int | None = None  # a meeting to select once the list has it
        self._selected: int | None = None
        self._keyring_refused = False  # the keyring's password was refused: ask instead
        self._remember_asked = False  # the asked password goes to the keyring once accepted
        self._on_server: set[int] = set()  # meetings being published or unpublished now
        # Injectable for tests (and an e2e run without native file dialogs).
        self.ask_path: Callable[[str], Path | None] = self._ask_path_dialog
        self.ask_password: Callable[[], str | None] = self._ask_password_dialog
        self.ask_confirm: Callable[[str], bool] = self._ask_confirm_dialog

        # Filters ---------------------------------------------------------------------
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("meetings-status")
        self.status_filter.setAccessibleName("Status")
        for choice in StatusFilter:
            self.status_filter.addItem(choice.value, choice)
        self.trip_filter = QComboBox(self)
        self.trip_filter.setObjectName("meetings-trip")
        self.trip_filter.setAccessibleName("Trip")
        self.trip_filter.addItem("All trips", None)
        self.trip_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        status_label = QLabel("&Status", self)
        status_label.setBuddy(self.status_filter)
        trip_label = QLabel("&Trip", self)
        trip_label.setBuddy(self.trip_filter)
        self.count = QLabel(self)
        self.count.setObjectName("meetings-count")
        filters = QHBoxLayout()
        filters.addWidget(status_label)
        filters.addWidget(self.status_filter)
        filters.addSpacing(12)
        filters.addWidget(trip_label)
        filters.addWidget(self.trip_filter)
        filters.addStretch(1)
        filters.addWidget(self.count)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.trip_filter.currentIndexChanged.connect(lambda _i: self._show_rows())

        self.error = QLabel(self)
        self.error.setObjectName("meetings-error")
        self.error.setWordWrap(True)
        self.error.hide()

        # The table, or what to do when there is none ------------------------------------
        self.model = MeetingsModel(self)
        self.model.grey = self.palette().color(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
        )
        self.table = record_table(
            self, "meetings-table", "Meetings", self.model, (195, 125, 150, 85, 100, 170, 140)
        )
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(lambda _s, _d: self._on_row())
        selection.currentRowChanged.connect(lambda _c, _p: self._on_row())
        self.table.activated.connect(lambda _i: self._open_row())
        self.empty = QLabel(NO_MEETINGS, self)
        self.empty.setObjectName("meetings-empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.body = QStackedWidget(self)
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)

        self.details = SpokenLabel(self)
        self.details.setObjectName("meetings-details")
        self.details.setAccessibleName("Meeting details")
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setContentsMargins(8, 4, 8, 4)
        details_scroll = QScrollArea(self)
        details_scroll.setObjectName("meetings-details-scroll")
        details_scroll.setAccessibleName("Meeting details")
        details_scroll.setWidgetResizable(True)
        details_scroll.setWidget(self.details)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("meetings-splitter")
        self.splitter.setAccessibleName("Meetings and details")
        self.splitter.addWidget(self.body)
        self.splitter.addWidget(details_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([1000, 260])

        # Actions, each with its button ----------------------------------------------------
        self.buttons: dict[str, QPushButton] = {}
        self.confirm_action = self._action("&Confirm", "Confirm", self.confirm_selected)
        self.reschedule_action = self._action(
            "&Reschedule…", "Reschedule", self.reschedule_selected
        )
        self.cancel_action = self._action("C&ancel meeting", "Cancel meeting", self.cancel_selected)
        self.export_meeting_action = QAction("Export this meeting as .ics…", self)
        self.export_meeting_action.triggered.connect(lambda: self.export_ics("meeting"))
        self.export_trip_action = QAction("Export this trip's meetings as .ics…", self)
        self.export_trip_action.triggered.connect(lambda: self.export_ics("trip"))
        self.export_all_action = QAction("Export all meetings as .ics…", self)
        self.export_all_action.triggered.connect(lambda: self.export_ics("all"))
        self.export_menu = QMenu(self)
        self.export_menu.setObjectName("meetings-export-menu")
        self.export_menu.setAccessibleName("Export .ics")
        for action in (
            self.export_meeting_action, self.export_trip_action, self.export_all_action
        ):  # fmt: skip
            self.export_menu.addAction(action)
        self.export_button = QPushButton("E&xport .ics", self)
        self.export_button.setObjectName("meetings-export")
        self.export_button.setAccessibleName("Export .ics")
        self.export_button.setMenu(self.export_menu)
        self.publish_action = self._action("&Publish", "Publish", self.publish_selected)
        self.unpublish_action = self._action("&Unpublish", "Unpublish", self.unpublish_selected)
        self.debrief_action = self._action("&Debrief…", "Debrief", self.debrief_selected)
        self.debrief_action.setShortcut(QKeySequence("Ctrl+D"))
        self.briefing_action = self._action("&Briefing…", "Briefing", self.brief_selected)
        self.briefing_action.setShortcut(QKeySequence("Ctrl+B"))
        self.open_action = self._action("&Open contact", "Open contact", self.open_selected)
        self.refresh_action = QAction("&Refresh Meetings", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.reload)
        for action in (self.debrief_action, self.briefing_action, self.refresh_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        row_buttons = QHBoxLayout()
        for name in ("Confirm", "Reschedule", "Cancel meeting"):
            row_buttons.addWidget(self.buttons[name])
        row_buttons.addWidget(self.export_button)
        for name in ("Publish", "Unpublish"):
            row_buttons.addWidget(self.buttons[name])
        row_buttons.addStretch(1)
        for name in ("Debrief", "Briefing", "Open contact"):
            row_buttons.addWidget(self.buttons[name])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(filters)
        layout.addWidget(self.error)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(row_buttons)
        self._enable()
        # Read when first shown: at start the read worker is the contacts table's.
        self.reload_when_shown()

    def _action(self, text: str, name: str, slot: Callable[[], object]) -> QAction:
        """An action for the menu and a button beside the table that does the same."""
        action = QAction(text, self)
        action.triggered.connect(slot)
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setObjectName("meetings-" + name.lower().replace(" ", "-"))
        button.clicked.connect(slot)
        self.buttons[name] = button
        action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
        action.changed.connect(lambda: button.setToolTip(action.toolTip()))
        return action

    # The workspace frame ---------------------------------------------------------------
    def set_services(self, services: MeetingsServices) -> None:
        self.services = services
        self.listing = None
        self._selected = self._want = None
        self._keyring_refused = False
        self._clear_error()
        self.reload_when_shown()

    def on_changes(self, changes: Changes) -> None:
        if (
            changes.everything or changes.meetings or changes.contacts or changes.trips
            or changes.venues or changes.home
        ):  # fmt: skip
            self.reload_when_shown()
        elif changes.settings:
            self._enable()  # a CalDAV calendar set up (or removed) in the settings

    def actions_for_menu(self) -> list[QAction]:
        return [
            self.confirm_action, self.reschedule_action, self.cancel_action,
            self.export_meeting_action, self.export_trip_action, self.export_all_action,
            self.publish_action, self.unpublish_action, self.debrief_action,
            self.briefing_action, self.open_action, self.refresh_action,
        ]  # fmt: skip

    def activated(self) -> None:
        self.show_if_stale()
        self._enable()
        if self.body.currentIndex() == TABLE_PAGE:
            self.table.setFocus()
        else:
            self.status_filter.setFocus()

    def save_state(self, store: QSettings) -> None:
        store.setValue("meetings/splitter", self.splitter.saveState())
        store.setValue("meetings/columns", self.table.horizontalHeader().saveState())

    def restore_state(self, store: QSettings) -> None:
        splitter = store.value("meetings/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        columns = store.value("meetings/columns")
        if isinstance(columns, QByteArray):
            self.table.horizontalHeader().restoreState(columns)

    # Reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        services = self.services
        read_meetings(self.host, services, self.now()).success(
            lambda listing: self.show_listing(listing) if services is self.services else None
        ).run()

    def show_listing(self, listing: MeetingsList) -> None:
        self.listing = listing
        chosen_trip = self.trip_filter.currentData()
        self.trip_filter.blockSignals(True)
        self.trip_filter.clear()
        self.trip_filter.addItem("All trips", None)
        for trip in listing.trips:
            self.trip_filter.addItem(trip.name, trip.id)
        index = self.trip_filter.findData(chosen_trip) if chosen_trip is not None else 0
        self.trip_filter.setCurrentIndex(max(index, 0))
        self.trip_filter.blockSignals(False)
        if self._want is not None:
            wanted, self._want = self._want, None
            self._reveal(wanted)
            self._selected = wanted
        self._show_rows()

    def _status(self) -> StatusFilter:
        value = self.status_filter.currentData()  # Qt hands the enum back as its text
        try:
            return StatusFilter(value)
        except ValueError:
            return StatusFilter.ALL

    def _trip(self) -> int | None:
        value = self.trip_filter.currentData()
        return int(value) if value is not None else None

    def _show_rows(self) -> None:
        rows = self.listing.rows if self.listing is not None else []
        shown = filter_rows(rows, self._status(), self._trip())
        keep = self._selected
        self.model.set_rows(shown)
        self.count.setText(count_text(len(shown), rows))
        self.count.setAccessibleName(self.count.text())
        if shown:
            self.body.setCurrentIndex(TABLE_PAGE)
        else:
            self.empty.setText(NO_MEETINGS if not rows else NONE_MATCH)
            self.body.setCurrentIndex(EMPTY_PAGE)
        row = self.model.row_of(keep)
        if row >= 0:
            self._select_row(row)
        else:
            self._selected = None
        self._show_details()
        self._enable()

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _reveal(self, meeting_id: int) -> None:
        """Clear the filters if they hide the meeting (it was asked for by name)."""
        rows = self.listing.rows if self.listing is not None else []
        row = next((r for r in rows if r.meeting_id == meeting_id), None)
        if row is not None and row not in filter_rows([row], self._status(), self._trip()):
            for combo in (self.status_filter, self.trip_filter):
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)

    def show_meeting(self, meeting_id: int) -> None:
        """Select the meeting, reading the list first when it does not hold it yet."""
        known = self.listing is not None and any(
            r.meeting_id == meeting_id for r in self.listing.rows
        )
        if not known or self._stale:
            self._want = meeting_id
            self._stale = False
            self.reload()
            return
        self._reveal(meeting_id)
        self._selected = meeting_id
        self._show_rows()
        self.table.setFocus()

    # Selection -------------------------------------------------------------------------
    def _on_row(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._selected = self.model.row_at(rows[0].row()).meeting_id
        self._show_details()
        self._enable()

    def selected_row(self) -> MeetingRow | None:
        row = self.model.row_of(self._selected)
        return self.model.row_at(row) if row >= 0 else None

    def _show_details(self) -> None:
        row = self.selected_row()
        if row is None:
            self.details.setText(
                "Select a meeting to see it here." if self.model.rowCount() else ""
            )
            return
        e = html.escape
        lines = [f"<b>{e(row.people)}</b>", e(row.full_time)]
        if row.venue:
            venue = e(row.venue) + (f"<br>{e(row.venue_address)}" if row.venue_address else "")
            lines.append(venue)
        if row.trip:
            lines.append(f"Trip: {e(row.trip)}")
        state = (
            f"Status: {e(row.status.value)} · {'published' if row.published else 'not published'}"
        )
        lines.append(state)
        if debrief_text(row):
            lines.append(e(debrief_text(row)))
        if row.invitation:
            lines.append("<i>Invitation</i><br>" + e(row.invitation).replace("\n", "<br>"))
        self.details.setText("<br><br>".join(lines))

    def _enable(self) -> None:
        row = self.selected_row()
        configured = caldav_configured(self.services.settings)
        chosen = row is not None
        on = row is not None and row.still_on
        self.confirm_action.setEnabled(row is not None and row.status == MeetingStatus.PROPOSED)
        self.reschedule_action.setEnabled(on)
        self.cancel_action.setEnabled(on)
        self.export_meeting_action.setEnabled(chosen)
        self.export_trip_action.setEnabled(self._export_trip_id() is not None)
        self.export_all_action.setEnabled(bool(self.listing and self.listing.rows))
        self.export_button.setEnabled(bool(self.listing and self.listing.rows))
        # Twice at once would race two creates of the same event: one waits for the other.
        idle = row is not None and row.meeting_id not in self._on_server
        can_publish = row is not None and (row.status != MeetingStatus.CANCELLED or row.published)
        self.publish_action.setEnabled(configured and idle and can_publish)
        self.unpublish_action.setEnabled(configured and idle and row is not None and row.published)
        tip = "" if configured else "Set up a CalDAV calendar in Settings to publish meetings."
        self.publish_action.setToolTip(tip or "Publish the meeting to your CalDAV calendar")
        self.unpublish_action.setToolTip(tip or "Delete the meeting from your CalDAV calendar")
        past_not_cancelled = row is not None and row.past and row.status != MeetingStatus.CANCELLED
        self.debrief_action.setEnabled(past_not_cancelled)
        self.briefing_action.setEnabled(row is not None and bool(row.contact_ids))
        self.open_action.setEnabled(row is not None and bool(row.contact_ids))

    def _export_trip_id(self) -> int | None:
        """The trip of "this trip": the one filtered on, else the selected meeting's."""
        chosen = self._trip()
        if chosen is not None:
            return chosen
        row = self.selected_row()
        return row.trip_id if row is not None else None

    # Messages --------------------------------------------------------------------------
    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.host.show_message(message)

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def _failed(self, message: str) -> None:
        self._show_error(message)

    # Going elsewhere -------------------------------------------------------------------
    def _open_row(self) -> None:
        """Enter on a meeting: its debrief when one is due, else its briefing."""
        row = self.selected_row()
        if row is None:
            return
        if row.debrief_due:
            self.debrief_selected()
        else:
            self.brief_selected()

    def debrief_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.past and row.status != MeetingStatus.CANCELLED:
            self.app.debrief_meeting(row.meeting_id)

    def brief_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.contact_ids:
            self.app.brief_contact(row.contact_ids[0], row.meeting_id)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.contact_ids:
            self.app.open_contact(row.contact_ids[0])

    # Changing a meeting ----------------------------------------------------------------
    def confirm_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.status != MeetingStatus.PROPOSED:
            return
        self._clear_error()

        def done(meeting: Meeting) -> None:
            self.host.show_message(f"Confirmed the coffee with {row.people}.{_republish(row)}")

        confirm(self.host, self.services, row.meeting_id).success(done).failure(self._failed).run()

    def cancel_selected(self) -> None:
        row = self.selected_row()
        if row is None or not row.still_on:
            return
        question = (
            f"Cancel the coffee with {row.people} on {row.when}? It stays in the list as "
            "cancelled, and an exported or published calendar copy says so."
        )
        if not self.ask_confirm(question):
            return
        self._clear_error()

        def done(meeting: Meeting) -> None:
            self.host.show_message(f"Cancelled the coffee with {row.people}.{_republish(row)}")

        cancel(self.host, self.services, row.meeting_id).success(done).failure(self._failed).run()

    def reschedule_selected(self) -> RescheduleDialog | None:
        row = self.selected_row()
        if row is None or not row.still_on:
            return None
        home = self.listing.home_tzid if self.listing is not None else row.tzid
        start = utc_to_local(row.start_utc, row.tzid).replace(tzinfo=None)
        minutes = int((row.end_utc - row.start_utc).total_seconds() // 60)
        dialog = RescheduleDialog(
            start, minutes, row.tzid, home, f"Coffee with {row.people}, now {row.when}.", self
        )
        dialog.save_handler = lambda d: self._save_reschedule(d, row)
        dialog.setModal(True)
        dialog.show()
        self.reschedule_dialog = dialog
        return dialog

    def _save_reschedule(self, dialog: RescheduleDialog, row: MeetingRow) -> bool:
        """Save on the worker; the dialog closes when it is stored, or says why not."""
        dialog.setEnabled(False)

        def saved(meeting: Meeting) -> None:
            dialog.finish_saving()
            self._clear_error()
            self.host.show_message(f"Moved the coffee with {row.people}.{_republish(row)}")

        def failed(message: str) -> None:
            dialog.setEnabled(True)
            dialog.show_error(message)

        reschedule(
            self.host, self.services, row.meeting_id, dialog.start_local(), dialog.duration_min()
        ).success(saved).failure(failed).run()
        return False

    # Calendar files --------------------------------------------------------------------
    def export_ics(self, scope: str) -> None:
        """Export "meeting" (the selected one), "trip" (its or the filter's) or "all"."""
        row = self.selected_row()
        trip_id = self._export_trip_id()
        meeting_id: int | None = None
        if scope == "meeting" and row is not None:
            name, meeting_id, trip_id = f"meeting-{row.meeting_id}.ics", row.meeting_id, None
        elif scope == "trip" and trip_id is not None:
            name = f"trip-{trip_id}-meetings.ics"
        elif scope == "all":
            name, trip_id = "meetings.ics", None
        else:
            return
        path = self.ask_path(name)
        if path is None:
            return
        self._clear_error()

        def done(count: int) -> None:
            word = "meeting" if count == 1 else "meetings"
            self.host.show_message(f"Wrote {count} {word} to {path}.")

        export_ics(
            self.host, self.services, path,
            meeting_id=meeting_id, trip_id=trip_id, all_meetings=scope == "all",
        ).success(done).failure(self._failed).run()  # fmt: skip

    # CalDAV ----------------------------------------------------------------------------
    def publish_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.publish(row.meeting_id)

    def unpublish_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.published:
            self.unpublish(row.meeting_id)

    def publish(self, meeting_id: int) -> None:
        """Publish the meeting: the password from the keyring or asked, then the server."""
        self._with_password("publish", lambda remember: self._publish(meeting_id, remember))

    def unpublish(self, meeting_id: int) -> None:
        """Delete the meeting's copy from the calendar (the meeting stays here)."""
        self._with_password("unpublish", lambda _remember: self._unpublish(meeting_id))

    def _with_password(self, verb: str, then: Callable[[str | None], None]) -> None:
        """Run ``then`` once a password is at hand (``then`` gets one to keep, if wanted)."""
        services = self.services
        settings = services.settings
        if not caldav_configured(settings):
            self._show_error(
                f"Cannot {verb}: no CalDAV calendar is set up; set its URL in Settings."
            )
            return
        if not settings.caldav.username or services.caldav_password:
            then(None)  # no login needed, or asked for already in this session
            return

        def ask() -> None:
            self._remember_asked = False
            secret = self.ask_password()
            if not secret:
                self.host.show_message(f"Did not {verb}: no CalDAV password was given.")
                return
            services.caldav_password = secret
            then(secret if self._remember_asked else None)

        if self._keyring_refused:
            ask()
            return

        def found(secret: str | None) -> None:
            if services is not self.services:
                return
            if secret:
                then(None)  # the service reads the keyring itself, on the worker
            else:
                ask()

        stored_password(self.host, services).success(found).failure(lambda _m: ask()).run()

    def _publish(self, meeting_id: int, remember: str | None) -> None:
        if meeting_id in self._on_server:
            return
        self._clear_error()
        self.host.show_message("Publishing to the calendar…")
        services = self.services
        self._server_busy(meeting_id, True)

        def done(result: PublishResult) -> None:
            self._server_busy(meeting_id, False)
            verb = "Published" if result.published.created else "Updated"
            text = f"{verb} the meeting in the calendar."
            if result.keyring_note:
                text += f" {result.keyring_note}"
            self.host.show_message(text)

        def failed(message: str) -> None:
            self._server_busy(meeting_id, False)
            self._forget_refused(services, message)
            self._show_error(_one_sentence(message, "the meeting stays saved here, not published."))

        publish_meeting(self.host, services, meeting_id, remember).success(done).failure(
            failed
        ).run()

    def _unpublish(self, meeting_id: int) -> None:
        if meeting_id in self._on_server:
            return
        self._clear_error()
        services = self.services
        self._server_busy(meeting_id, True)

        def done(_meeting: Meeting) -> None:
            self._server_busy(meeting_id, False)
            self.host.show_message("Deleted the meeting from the calendar; it stays here.")

        def failed(message: str) -> None:
            self._server_busy(meeting_id, False)
            self._forget_refused(services, message)
            self._show_error(_one_sentence(message, "the calendar still holds the meeting."))

        unpublish(self.host, services, meeting_id).success(done).failure(failed).run()

    def _server_busy(self, meeting_id: int, busy: bool) -> None:
        if busy:
            self._on_server.add(meeting_id)
        else:
            self._on_server.discard(meeting_id)
        self._enable()

    def _forget_refused(self, services: MeetingsServices, message: str) -> None:
        """A refused password is asked again next time, not taken from the keyring."""
        if "refused the user name or password" in message or "No CalDAV password" in message:
            services.caldav_password = None
            self._keyring_refused = True

    # Dialogs (replaced in tests) -------------------------------------------------------
    def _ask_path_dialog(self, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export .ics", str(Path.home() / name), "Calendars (*.ics);;All files (*)"
        )
        return Path(chosen) if chosen else None

    def _ask_password_dialog(self) -> str | None:
        dialog = CalDAVPasswordDialog(
            self.services.settings.caldav, keyring_available(), self, self._keyring_refused
        )
        if dialog.exec() != CalDAVPasswordDialog.DialogCode.Accepted:
            return None
        self._remember_asked = dialog.wants_remembering()
        return dialog.secret()

    def _ask_confirm_dialog(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Cancel meeting",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def _republish(row: MeetingRow) -> str:
    """A reminder when the calendar holds an older copy of the meeting."""
    return " Publish it again to update the calendar." if row.published else ""

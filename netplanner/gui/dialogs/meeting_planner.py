"""The meeting planner: who they are, where and when to meet, what to write, then save it.

The dialog lays out four questions side by side and asks the operations module for every
answer on the task runner: the card and the venues and the free times are reads (the
latest selection wins), Save is a write whose changes every workspace hears. A time the
user types is checked before anything is written; each refusal is one sentence in the
dialog, and nothing is stored half.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.entities import Meeting, Venue
from netplanner.domain.errors import NetPlannerError
from netplanner.domain.fairness import VenueOption
from netplanner.domain.geo import format_km
from netplanner.domain.slots import Slot
from netplanner.gui.operations import OpHost
from netplanner.gui.operations.map_labels import labels_from
from netplanner.gui.operations.meeting_planner import (
    MeetingDraft,
    MeetingPlannerServices,
    PlannerPlace,
    PlannerStart,
    VenueDraft,
    add_venue,
    both_times,
    day_words,
    distance_apart_km,
    export_meeting,
    invitation_day,
    meeting_start,
    read_slots,
    read_start,
    read_venues,
    save_meeting,
    venue_reason,
    venue_zone,
)
from netplanner.gui.widgets.invitation_editor import InvitationEditor, mailto
from netplanner.gui.widgets.map_view import MapPoint, MapView
from netplanner.gui.widgets.spoken_label import SpokenLabel
from netplanner.services.venues import OSM_ATTRIBUTION, VenueAnswer

CONTACT_POINT = -1
MIDPOINT_POINT = -2
NEW_VENUE_POINT = -3
DEFAULT_DURATION_MIN = 60
VENUE_CONSENT_TEXT = (
    "<p><b>Search OpenStreetMap for cafés between you?</b></p>"
    "<ul>"
    "<li><b>What is sent:</b> only the point halfway between you and a search radius, "
    "e.g. “38.747, -9.128 within 3 km”. Never names, companies, emails or notes.</li>"
    "<li><b>To whom:</b> the Overpass API of OpenStreetMap (overpass-api.de), or the "
    "endpoint you set in Settings.</li>"
    "<li><b>Under which policy:</b> the Overpass usage policy (a few small queries, an "
    "identifying User-Agent); each answer is kept for a week so asking again sends "
    "nothing. Results are © OpenStreetMap contributors, ODbL.</li>"
    "</ul>"
)


class VenueSearchConsentDialog(QDialog):
    """What an online café search sends, to whom, under which policy; asked once a session."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("venue-search-consent")
        self.setWindowTitle("Search cafés online?")
        self.setMinimumWidth(480)
        text = QLabel(VENUE_CONSENT_TEXT, self)
        text.setWordWrap(True)
        self.allow = QCheckBox("Search OpenStreetMap for cafés between us", self)
        self.allow.setObjectName("venue-consent-allow")
        self.allow.setAccessibleName("Search OpenStreetMap for cafés")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.allow)
        layout.addWidget(buttons)

    def online_allowed(self) -> bool:
        return self.result() == QDialog.DialogCode.Accepted and self.allow.isChecked()


def _ask_consent(parent: QWidget) -> bool:
    dialog = VenueSearchConsentDialog(parent)
    dialog.exec()
    return dialog.online_allowed()


def _wall_clock(moment: datetime) -> QDateTime:
    """A wall-clock time held in UTC, so Qt never moves it across the system's DST change."""
    return QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute),
        QTimeZone(QTimeZone.Initialization.UTC),
    )


def _naive(value: QDateTime) -> datetime:
    day, at = value.date(), value.time()
    return datetime(day.year(), day.month(), day.day(), at.hour(), at.minute())


class MeetingPlannerDialog(QDialog):
    """Plan a coffee with one contact, on a trip or where the user is now.

    Attributes:
        saved: the meeting's id, after Save stored it.
        ask_path: asks where to write the .ics (a file dialog; tests replace it).
        ask_online_consent: asks whether cafés may be searched online (the first time).
    """

    saved = Signal(int)
    _online_consented: ClassVar[bool] = False  # once per session, as for geocoding

    def __init__(
        self,
        host: OpHost,
        services: MeetingPlannerServices,
        contact_id: int,
        trip_id: int | None,
        parent: QWidget | None = None,
        *,
        now: datetime | None = None,
        publish: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.services = services
        self.contact_id = contact_id
        self.trip_id = trip_id
        self.now = (now or datetime.now(UTC)).astimezone(UTC)
        self.publish_handler = publish
        self.ask_path: Callable[[str], Path | None] = self._ask_path
        self.ask_online_consent: Callable[[], bool] = lambda: _ask_consent(self)
        self.start: PlannerStart | None = None
        self.answer: VenueAnswer | None = None
        self.slots: list[Slot] = []
        self.added: list[Venue] = []
        self.meeting: Meeting | None = None
        self._saved_draft: MeetingDraft | None = None
        self._new_point: tuple[float, float] | None = None
        self._filling = False
        self.setObjectName("meeting-planner")
        self.setWindowTitle("Plan a coffee")
        self.setMinimumSize(1000, 640)

        # Who ---------------------------------------------------------------------------
        self.card = QLabel("Reading what you know of them…", self)
        self.card.setObjectName("meeting-planner-card")
        self.card.setAccessibleName("Contact card")
        self.card.setWordWrap(True)
        self.card.setTextFormat(Qt.TextFormat.RichText)
        self.card.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.card.setMinimumWidth(230)

        # Where -------------------------------------------------------------------------
        self.venues = QListWidget(self)
        self.venues.setObjectName("meeting-planner-venues")
        self.venues.setAccessibleName("Venues")
        self.venues.setWordWrap(True)
        self.venues.currentRowChanged.connect(self._on_venue)
        self.venue_notes = SpokenLabel(self)
        self.venue_notes.setObjectName("meeting-planner-venue-notes")
        self.venue_notes.setAccessibleName("About the venues")
        self.venue_notes.setWordWrap(True)
        self.map = MapView(labels_from(lambda: None), self)
        self.map.setObjectName("meeting-planner-map")
        self.map.setAccessibleName("Venues on the map")
        self.map.setMinimumHeight(170)
        self.map.point_clicked.connect(self._on_point_clicked)
        self.map.place_clicked.connect(self.place_new_venue)
        self.add_venue_button = QPushButton("&Add a venue…", self)
        self.add_venue_button.setObjectName("meeting-planner-add-venue")
        self.add_venue_button.setAccessibleName("Add a venue…")
        self.add_venue_button.setCheckable(True)
        self.add_venue_button.toggled.connect(self._show_venue_form)
        self.search_online = QPushButton("Search cafés &online", self)
        self.search_online.setObjectName("meeting-planner-search-online")
        self.search_online.setAccessibleName("Search cafés online")
        self.search_online.clicked.connect(self.search_cafes_online)
        self.venue_form = QGroupBox("New venue", self)
        self.venue_form.setObjectName("meeting-planner-venue-form")
        self.venue_name = QLineEdit(self.venue_form)
        self.venue_name.setObjectName("meeting-planner-venue-name")
        self.venue_name.setAccessibleName("Venue name")
        self.venue_name.setPlaceholderText("e.g. Café A Brasileira")
        self.venue_address = QLineEdit(self.venue_form)
        self.venue_address.setObjectName("meeting-planner-venue-address")
        self.venue_address.setAccessibleName("Venue address")
        self.venue_address.setPlaceholderText("Street and city, e.g. Rua Garrett 120, Lisbon")
        self.venue_point = QLabel("Or click the map where it is.", self.venue_form)
        self.venue_point.setObjectName("meeting-planner-venue-point")
        self.venue_point.setWordWrap(True)
        self.save_venue_button = QPushButton("Add &venue", self.venue_form)
        self.save_venue_button.setObjectName("meeting-planner-save-venue")
        self.save_venue_button.setAccessibleName("Add venue")
        self.save_venue_button.clicked.connect(self.add_new_venue)
        venue_form = QFormLayout(self.venue_form)
        venue_form.addRow("&Name", self.venue_name)
        venue_form.addRow("Add&ress", self.venue_address)
        venue_form.addRow("", self.venue_point)
        venue_form.addRow("", self.save_venue_button)
        self.venue_form.hide()

        # When --------------------------------------------------------------------------
        self.times = QListWidget(self)
        self.times.setObjectName("meeting-planner-free-times")
        self.times.setAccessibleName("Free times")
        self.times.currentRowChanged.connect(self._on_slot)
        self.when = QDateTimeEdit(self)
        self.when.setObjectName("meeting-planner-when")
        self.when.setAccessibleName("Date and time")
        self.when.setCalendarPopup(True)
        self.when.setTimeZone(QTimeZone(QTimeZone.Initialization.UTC))
        self.when.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.when.dateTimeChanged.connect(self._on_time_typed)
        self.duration = QSpinBox(self)
        self.duration.setObjectName("meeting-planner-duration")
        self.duration.setAccessibleName("Duration (minutes)")
        self.duration.setRange(0, 2 * 24 * 60)  # out-of-range values are refused in words
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" min")
        self.duration.setValue(DEFAULT_DURATION_MIN)
        self.when_note = SpokenLabel(self)
        self.when_note.setObjectName("meeting-planner-when-note")
        self.when_note.setAccessibleName("Chosen time")
        self.when_note.setWordWrap(True)

        # What to write -----------------------------------------------------------------
        self.editor = InvitationEditor(services.invitations, self)
        self.editor.checked.connect(self._on_checked)

        # Then --------------------------------------------------------------------------
        self.error = QLabel(self)
        self.error.setObjectName("meeting-planner-error")
        self.error.setAccessibleName("Problem")
        self.error.setWordWrap(True)
        self.error.hide()
        self.status = SpokenLabel(self)
        self.status.setObjectName("meeting-planner-status")
        self.status.setAccessibleName("Meeting status")
        self.status.setWordWrap(True)
        self.save_button = self._button("&Save", "meeting-planner-save", self.save)
        self.copy_button = self._button("&Copy message", "meeting-planner-copy", self.copy_message)
        self.email_button = self._button("&E-mail…", "meeting-planner-email", self.email)
        self.export_button = self._button(
            "E&xport .ics…", "meeting-planner-export", self.export_ics
        )
        self.publish_button = self._button("&Publish", "meeting-planner-publish", self.publish)
        self.publish_button.setVisible(publish is not None)
        self.close_button = self._button("Close", "meeting-planner-close", self.reject)

        self._lay_out()
        self._update_search_online()
        read_start(host, services, contact_id, trip_id, self.now).success(self._on_start).failure(
            self.show_error
        ).run()

    # Building ----------------------------------------------------------------------------
    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", ""))
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        who = QGroupBox("Who", self)
        who.setObjectName("meeting-planner-who")
        QVBoxLayout(who).addWidget(self.card, 1)
        where = QGroupBox("Where", self)
        where.setObjectName("meeting-planner-where")
        where_layout = QVBoxLayout(where)
        where_layout.addWidget(self.venues, 2)
        where_layout.addWidget(self.venue_notes)
        where_layout.addWidget(self.map, 3)
        venue_buttons = QHBoxLayout()
        venue_buttons.addWidget(self.add_venue_button)
        venue_buttons.addWidget(self.search_online)
        where_layout.addLayout(venue_buttons)
        where_layout.addWidget(self.venue_form)
        when = QGroupBox("When", self)
        when.setObjectName("meeting-planner-when-box")
        when_layout = QVBoxLayout(when)
        when_layout.addWidget(self.times, 1)
        form = QFormLayout()
        form.addRow("&Date and time", self.when)
        form.addRow("D&uration", self.duration)
        when_layout.addLayout(form)
        when_layout.addWidget(self.when_note)
        write = QGroupBox("What to write", self)
        write.setObjectName("meeting-planner-write")
        QVBoxLayout(write).addWidget(self.editor)
        grid = QGridLayout()
        grid.addWidget(who, 0, 0, 2, 1)
        grid.addWidget(where, 0, 1, 2, 1)
        grid.addWidget(when, 0, 2)
        grid.addWidget(write, 1, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.copy_button, self.email_button,
                       self.export_button, self.publish_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.venues.setFocus()

    # Errors ------------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.error.setAccessibleDescription(message)

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    # Who ---------------------------------------------------------------------------------
    def _on_start(self, start: PlannerStart) -> None:
        self.start = start
        contact = start.contact
        self.setWindowTitle(f"Plan a coffee with {contact.name}")
        self.card.setText(self._card_html(start))
        self.card.setAccessibleDescription(self.card.text())
        place = start.place
        if place is None:
            self.venues.clear()
            self.venue_notes.setText(
                "Where are you? Set your home in Settings, or open the planner from a trip."
            )
            return
        self.map.set_base(place.user.lat, place.user.lon, "you")
        self._read_venues()

    @staticmethod
    def _card_html(start: PlannerStart) -> str:
        contact = start.contact
        esc = html.escape
        lines = [f"<h3>{esc(contact.name)}</h3>"]
        role = " at ".join(esc(p) for p in (contact.position, contact.company) if p)
        if role:
            lines.append(f"<p>{role}</p>")
        facts: list[tuple[str, str]] = []
        if contact.company:
            facts.append(("Company", contact.company))
        if contact.interests:
            facts.append(("Interests", ", ".join(contact.interests)))
        where = contact.location_text or "not known yet"
        if start.place is not None:
            apart = distance_apart_km(start.place, contact)
            if apart is not None:
                where += f" ({format_km(apart)} from {start.place.label})"
        facts.append(("Where", where))
        last = start.briefing.meetings[-1] if start.briefing.meetings else None
        if last is not None:
            at = f" at {last.venue}" if last.venue else ""
            facts.append(("Last met", f"{day_words(last.local_start)} {last.local_start.year}{at}"))
        elif contact.last_met is not None:
            facts.append(("Last met", f"{day_words(contact.last_met)} {contact.last_met.year}"))
        else:
            facts.append(("Last met", "never: this would be your first coffee"))
        heard = start.last_heard
        for label, value in (
            ("Their business", heard.business),
            ("Ambitions", heard.ambitions),
            ("Challenges", heard.challenges),
        ):
            if value:
                facts.append((label, value))
        if not (heard.business or heard.ambitions or heard.challenges):
            facts.append(("Last heard", "nothing yet: ask about their business and ambitions"))
        lines += [f"<p><b>{esc(k)}:</b> {esc(v)}</p>" for k, v in facts]
        if start.follow_ups:
            items = "".join(
                f"<li>{esc(f.text)}" + (f" (due {f.due:%d %b})" if f.due else "") + "</li>"
                for f in start.follow_ups
            )
            lines.append(f"<p><b>Open follow-ups:</b></p><ul>{items}</ul>")
        else:
            lines.append("<p><b>Open follow-ups:</b> none</p>")
        return "".join(lines)

    # Where -------------------------------------------------------------------------------
    def _read_venues(self, online: bool = False) -> None:
        if self.start is None or self.start.place is None:
            return
        read_venues(
            self.host, self.services, self.start.contact, self.start.place, online, self.added
        ).success(self._on_venues).failure(self._on_venues_failed).run()

    def _on_venues_failed(self, message: str) -> None:
        self.venues.clear()
        self.venue_notes.setText("No venues to show; add one below or click the map.")
        self.show_error(message)

    def _on_venues(self, answer: VenueAnswer) -> None:
        self.answer = answer
        contact = self.start.contact if self.start is not None else None
        them = (contact.first_name or contact.name) if contact is not None else "them"
        unit = self.services.settings.units
        self._filling = True
        self.venues.clear()
        for option in answer.options:
            item = QListWidgetItem(self._venue_text(option, them, unit))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text().replace("\n", ". "))
            self.venues.addItem(item)
        self._filling = False
        notes = list(answer.notes)
        if answer.attribution:
            notes.append(answer.attribution)
        if not answer.options:
            notes.append("Add a venue you know, or click the map where you would meet.")
        self.venue_notes.setText("\n".join(notes))
        self.venue_notes.setVisible(bool(notes))
        self._show_map()
        if answer.options:
            self.venues.setCurrentRow(0)
        else:
            self._on_venue(-1)

    @staticmethod
    def _venue_text(option: VenueOption, them: str, unit: str) -> str:
        venue = option.venue
        first = (
            f"{venue.name} — you {format_km(option.distance_user_km, unit)} · "
            f"{them} {format_km(option.distance_contact_km, unit)}"
        )
        details = [venue.address or "", venue.kind.replace("_", " ")]
        if venue.source == "openstreetmap":
            details.append(OSM_ATTRIBUTION)
        reason = venue_reason(option)
        if reason:
            details.append(reason)
        return first + "\n" + " · ".join(d for d in details if d)

    def _show_map(self) -> None:
        if self.start is None or self.start.place is None:
            return
        contact = self.start.contact
        points: list[MapPoint] = []
        options = self.answer.options if self.answer is not None else []
        count = max(1, len(options) - 1)
        for row, option in enumerate(options):
            venue = option.venue
            if venue.lat is not None and venue.lon is not None:
                points.append(MapPoint(row, venue.lat, venue.lon, row / count, venue.name))
        if contact.lat is not None and contact.lon is not None:
            points.append(MapPoint(CONTACT_POINT, contact.lat, contact.lon, None, contact.name))
        if self.answer is not None:
            lat, lon = self.answer.midpoint
            points.append(MapPoint(MIDPOINT_POINT, lat, lon, None, "halfway"))
        if self._new_point is not None:
            points.append(MapPoint(NEW_VENUE_POINT, *self._new_point, None, "new venue"))
        self.map.set_points(points)
        if self.answer is not None:
            place = self.start.place
            apart = distance_apart_km(place, contact) or 2.0
            self.map.fit(*self.answer.midpoint, max(1.5, min(apart * 0.75, 60.0)))

    def _on_point_clicked(self, point_id: int) -> None:
        if 0 <= point_id < self.venues.count():
            self.venues.setCurrentRow(point_id)

    def current_venue(self) -> Venue | None:
        row = self.venues.currentRow()
        if self.answer is None or not 0 <= row < len(self.answer.options):
            return None
        return self.answer.options[row].venue

    def _on_venue(self, row: int) -> None:
        if self._filling or self.start is None or self.start.place is None:
            return
        self.map.set_highlight(row if row >= 0 else None)
        saved = self.meeting.id if self.meeting is not None else None
        read_slots(
            self.host, self.services, self.start.place, self.current_venue(), self.now, saved
        ).success(self._on_slots).failure(self.show_error).run()

    def _update_search_online(self) -> None:
        allowed = self.services.settings.venues.online
        self.search_online.setEnabled(allowed)
        self.search_online.setToolTip(
            "Searches OpenStreetMap for cafés around the midpoint."
            if allowed
            else "Turn on online venue search in Settings to use OpenStreetMap."
        )

    def search_cafes_online(self) -> None:
        """Ask OpenStreetMap for cafés (in the network lane), after consent the first time."""
        if not self.services.settings.venues.online:
            self.show_error("Online venue search is off; turn it on in Settings first.")
            return
        if not MeetingPlannerDialog._online_consented:
            if not self.ask_online_consent():
                return
            MeetingPlannerDialog._online_consented = True
        self.clear_error()
        self._read_venues(online=True)

    def _show_venue_form(self, shown: bool) -> None:
        self.venue_form.setVisible(shown)
        if shown:
            self.venue_name.setFocus()

    def place_new_venue(self, lat: float, lon: float) -> None:
        """A point clicked on the map: where the new venue is."""
        self._new_point = (lat, lon)
        self.add_venue_button.setChecked(True)
        self.venue_point.setText(f"Placed on the map at {lat:.4f}, {lon:.4f}.")
        self._show_map()

    def add_new_venue(self) -> None:
        """Save the typed venue in the venue book and rank it with the others."""
        name = " ".join(self.venue_name.text().split())
        if not name:
            self.show_error("A new venue needs a name.")
            self.venue_name.setFocus()
            return
        draft = VenueDraft(name, self.venue_address.text(), self._new_point)
        add_venue(self.host, self.services, draft).success(self._on_venue_added).failure(
            self.show_error
        ).run()

    def _on_venue_added(self, venue: Venue) -> None:
        self.clear_error()
        self.added.append(venue)
        self._new_point = None
        self.venue_name.clear()
        self.venue_address.clear()
        self.venue_point.setText("Or click the map where it is.")
        self.add_venue_button.setChecked(False)
        self.status.setText(f"{venue.name} is in your venue book.")
        self._read_venues_then_select(venue.id)

    def _read_venues_then_select(self, venue_id: int | None) -> None:
        if self.start is None or self.start.place is None:
            return

        def shown(answer: VenueAnswer) -> None:
            self._on_venues(answer)
            for row, option in enumerate(answer.options):
                if option.venue.id == venue_id:
                    self.venues.setCurrentRow(row)

        read_venues(
            self.host, self.services, self.start.contact, self.start.place, False, self.added
        ).success(shown).failure(self.show_error).run()

    # When --------------------------------------------------------------------------------
    def _tzid(self) -> str:
        place = self.start.place if self.start is not None else None
        return venue_zone(place, self.current_venue()) if place is not None else "UTC"

    def _on_slots(self, slots: list[Slot]) -> None:
        self.slots = slots
        place = self.start.place if self.start is not None else None
        self._filling = True
        self.times.clear()
        for slot in slots:
            home = place.home_tzid if place is not None else slot.tzid
            item = QListWidgetItem(both_times(slot.start_utc, slot.tzid, home))
            item.setToolTip(f"A free {slot.label} slot")
            self.times.addItem(item)
        self._filling = False
        if slots:
            self.times.setCurrentRow(0)
        else:
            self.when_note.setText("No free time left in these days; set a date and time yourself.")
            if place is not None:
                self._set_when(datetime.combine(place.first_day, datetime.min.time()).replace(
                    hour=10
                ))  # fmt: skip

    def _on_slot(self, row: int) -> None:
        if self._filling or not 0 <= row < len(self.slots):
            return
        self._set_when(self.slots[row].start.replace(tzinfo=None))

    def _set_when(self, local: datetime) -> None:
        self.when.blockSignals(True)
        self.when.setDateTime(_wall_clock(local))
        self.when.blockSignals(False)
        self._show_when()
        self._redraft()

    def _on_time_typed(self, _value: QDateTime) -> None:
        chosen = self.local_start()
        row = next(
            (n for n, s in enumerate(self.slots) if s.start.replace(tzinfo=None) == chosen), -1
        )
        self._filling = True
        self.times.setCurrentRow(row)
        self._filling = False
        self._show_when()
        self._redraft()

    def local_start(self) -> datetime:
        """The chosen start as a wall-clock time in the venue's zone."""
        return _naive(self.when.dateTime())

    def _show_when(self) -> None:
        place = self.start.place if self.start is not None else None
        if place is None:
            return
        try:
            start = meeting_start(self.local_start(), self._tzid(), 60, place)
        except NetPlannerError as exc:
            self.when_note.setText(str(exc))
            return
        self.when_note.setText(both_times(start, self._tzid(), place.home_tzid))

    # What to write -----------------------------------------------------------------------
    def _redraft(self) -> None:
        """A fresh draft for the venue and time; the editor keeps text the user edited."""
        if self.start is None or self.start.place is None:
            return
        venue = self.current_venue()
        start = self.local_start()
        place = self.start.place
        try:
            self.editor.set_occasion(
                self.start.contact,
                venue.name if venue is not None else "a café near you",
                start.date(),
                invitation_day(start, self.slots),
                place.city,
            )
        except NetPlannerError as exc:
            self.show_error(str(exc))

    def _on_checked(self, _count: int) -> None:
        warned = bool(self.editor.warnings())
        self.copy_button.setToolTip("The message check has a warning." if warned else "")

    # Then --------------------------------------------------------------------------------
    def draft(self) -> MeetingDraft:
        """The meeting as the dialog shows it; ``InputError`` for a time or length refused."""
        if self.start is None or self.start.place is None:
            raise NetPlannerError("Where are you? Set your home in Settings, or choose a trip.")
        place: PlannerPlace = self.start.place
        tzid = self._tzid()
        local = self.local_start()
        meeting_start(local, tzid, self.duration.value(), place, self.now)
        return MeetingDraft(
            contact_id=self.contact_id,
            start_local=local,
            tzid=tzid,
            duration_min=self.duration.value(),
            venue=self.current_venue(),
            trip_id=self.trip_id,
            invitation_text=self.editor.text(),
        )

    def save(self) -> None:
        self.save_then(None)

    def save_then(self, then: Callable[[Meeting], None] | None) -> None:
        """Save (or change) the meeting, then carry on with ``then``; a refusal stops both."""
        try:
            draft = self.draft()
        except NetPlannerError as exc:
            self.show_error(str(exc))
            return
        if self.meeting is not None and draft == self._saved_draft:
            if then is not None:
                then(self.meeting)
            return
        meeting_id = self.meeting.id if self.meeting is not None else None
        self._set_saving(True)  # a second click while the first save runs adds nothing

        def failed(message: str) -> None:
            self._set_saving(False)
            self.show_error(message)

        def done(meeting: Meeting) -> None:
            self._set_saving(False)
            self.meeting = meeting
            self._saved_draft = draft
            self.clear_error()
            self.status.setText(
                f"Saved as proposed: {both_times(meeting.start_utc, meeting.tzid, self._home())}."
            )
            self.saved.emit(meeting.id or 0)
            if then is not None:
                then(meeting)

        save_meeting(self.host, self.services, draft, meeting_id).success(done).failure(
            failed
        ).run()

    def _set_saving(self, saving: bool) -> None:
        for button in (self.save_button, self.export_button, self.publish_button):
            button.setEnabled(not saving)

    def _home(self) -> str:
        place = self.start.place if self.start is not None else None
        return place.home_tzid if place is not None else "UTC"

    def copy_message(self) -> None:
        QGuiApplication.clipboard().setText(self.editor.text())
        self.status.setText("The message is on the clipboard.")

    def mailto_url(self) -> str:
        contact = self.start.contact if self.start is not None else None
        address = contact.emails[0] if contact is not None and contact.emails else None
        return mailto(address, self.editor.subject(), self.editor.text())

    def email(self) -> None:
        if not QDesktopServices.openUrl(QUrl(self.mailto_url())):
            self.show_error("No e-mail program opened; use Copy message and paste it instead.")

    def _ask_path(self, suggested: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export the meeting", suggested, "Calendar files (*.ics)"
        )
        return Path(chosen) if chosen else None

    def export_ics(self) -> None:
        """Save the meeting if needed, then write its .ics where the user says."""
        try:
            self.draft()
        except NetPlannerError as exc:
            self.show_error(str(exc))
            return
        name = self.start.contact.name if self.start is not None else "meeting"
        suggested = f"coffee-{name.casefold().replace(' ', '-')}.ics"
        path = self.ask_path(suggested)
        if path is None:
            return
        if path.suffix.casefold() != ".ics":
            path = path.with_suffix(".ics")

        def write(meeting: Meeting) -> None:
            export_meeting(self.host, self.services, meeting.id or 0, path).success(
                lambda written: self.status.setText(f"Exported to {written}.")
            ).failure(self.show_error).run()

        self.save_then(write)

    def publish(self) -> None:
        """Save first, then hand the meeting to Meetings to publish (it asks the password)."""
        handler = self.publish_handler
        if handler is None:
            return

        def hand_over(meeting: Meeting) -> None:
            try:
                handler(meeting.id or 0)
            except NetPlannerError as exc:
                self.show_error(str(exc))

        self.save_then(hand_over)

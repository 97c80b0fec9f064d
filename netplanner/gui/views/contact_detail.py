"""The detail panel: every field of one contact, saved as the user works, and its timeline.

The panel only turns widget text into field values and back; it asks for saves through its
``on_edited`` and ``on_location`` callbacks and never touches the database itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.entities import Contact, LocationStatus, RelationshipStage
from netplanner.domain.places import PlaceMatch
from netplanner.gui.widgets.location_edit import CompleteLater, LocationEdit, PlaceLookup
from netplanner.gui.widgets.spoken_label import SpokenLabel

PHOTO_SIZE = 80

if TYPE_CHECKING:
    from netplanner.services.timeline import TimelineEntry


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _join(values: list[str]) -> str:
    return ", ".join(values)


def _parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _NotesEdit(QPlainTextEdit):
    """A text box that reports when the user leaves it, like ``QLineEdit.editingFinished``."""

    left = Signal()

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class ContactDetailPanel(QWidget):
    """Edits one contact: a header with the photo, then tabs for details, notes and timeline.

    Attributes:
        on_edited: called with (contact with the new values, names of the fields changed).
        on_location: called with (contact, text, PlaceMatch or None) from the location field.
    """

    def __init__(
        self,
        lookup: PlaceLookup | None = None,
        parent: QWidget | None = None,
        complete_later: CompleteLater | None = None,
    ) -> None:
        super().__init__(parent)
        # Typed callbacks rather than signals of ``object``: the receiver knows what it gets.
        self.on_edited: Callable[[Contact, list[str]], None] = lambda _c, _f: None
        self.on_location: Callable[[Contact, str, PlaceMatch | None], None] = lambda _c, _t, _m: (
            None
        )
        # The ways out to the second half of the loop (the window's planner and briefing).
        self.on_plan_coffee: Callable[[Contact], None] = lambda _c: None
        self.on_brief: Callable[[Contact], None] = lambda _c: None
        self.on_open_entry: Callable[[Contact, TimelineEntry], None] = lambda _c, _e: None
        self.contact: Contact | None = None
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 0, 0, 0)

        header = QHBoxLayout()
        self.photo = QLabel(self)
        self.photo.setFixedSize(PHOTO_SIZE, PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setFrameShape(QFrame.Shape.StyledPanel)
        self.photo.setObjectName("contact-photo")
        self.photo.setAccessibleName("Photo")
        header.addWidget(self.photo)
        title_box = QVBoxLayout()
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.title.setObjectName("contact-name")
        self.title.setAccessibleName("Contact name")
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.subtitle.setObjectName("contact-role")
        self.subtitle.setAccessibleName("Position and company")
        photo_buttons = QHBoxLayout()
        self.choose_photo = QPushButton("Choose photo…", self)
        self.choose_photo.setObjectName("contact-choose-photo")
        self.choose_photo.clicked.connect(self._choose_photo)
        self.remove_photo = QPushButton("Remove", self)
        self.remove_photo.setToolTip("Remove the photo")
        self.remove_photo.setObjectName("contact-remove-photo")
        self.remove_photo.setAccessibleName("Remove photo")
        self.remove_photo.clicked.connect(self._remove_photo)
        photo_buttons.addWidget(self.choose_photo)
        photo_buttons.addWidget(self.remove_photo)
        photo_buttons.addStretch(1)
        self.plan_coffee = QPushButton("Plan a &coffee…", self)
        self.plan_coffee.setObjectName("contact-plan-coffee")
        self.plan_coffee.setAccessibleName("Plan a coffee")
        self.plan_coffee.clicked.connect(lambda: self._hand_over(self.on_plan_coffee))
        self.brief = QPushButton("&Briefing…", self)
        self.brief.setObjectName("contact-briefing")
        self.brief.setAccessibleName("Briefing")
        self.brief.setToolTip("Who they are, your past meetings and what to ask next")
        self.brief.clicked.connect(lambda: self._hand_over(self.on_brief))
        # A row of their own: beside the photo buttons they were cut off at 1280 px.
        actions = QHBoxLayout()
        actions.addWidget(self.plan_coffee)
        actions.addWidget(self.brief)
        actions.addStretch(1)
        self.misfit = SpokenLabel(self)
        self.misfit.setObjectName("contact-misfit")
        self.misfit.setAccessibleName("Criteria")
        self.misfit.setWordWrap(True)
        self.misfit.hide()
        title_box.addWidget(self.title)
        title_box.addWidget(self.subtitle)
        title_box.addWidget(self.misfit)
        title_box.addStretch(1)
        title_box.addLayout(photo_buttons)
        title_box.addLayout(actions)
        header.addLayout(title_box, 1)
        outer.addLayout(header)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("contact-tabs")
        self.tabs.setAccessibleName("Contact details")
        self.tabs.tabBar().setAccessibleName("Contact sections")
        outer.addWidget(self.tabs, 1)
        self._lines: dict[str, QLineEdit] = {}

        details, form = self._tab("Details")
        self._line(form, "first_name", "First name")
        self._line(form, "last_name", "Last name")
        self._line(form, "company", "Company")
        self._line(form, "position", "Position")
        self._line(form, "industry", "Industry")
        self.location = LocationEdit(lookup, details, complete_later)
        self.location.setObjectName("contact-location")
        self.location.line.setObjectName("contact-location-text")
        self.location.line.setAccessibleName("Location")
        self.location.committed.connect(self._on_location)
        form.addRow("&Location", self.location)
        self.location_state = QLabel(details)
        self.location_state.setObjectName("contact-location-state")
        self.location_state.setWordWrap(True)
        form.addRow("", self.location_state)
        self._line(form, "emails", "Emails", "Separate with commas")
        self._line(form, "phones", "Phones", "Separate with commas")
        self._line(form, "profile_url", "Profile URL")
        self.stage = QComboBox(details)
        self.stage.setObjectName("contact-stage")
        self.stage.setAccessibleName("Stage")
        for stage in RelationshipStage:
            self.stage.addItem(stage.value.capitalize(), stage)
        self.stage.activated.connect(lambda _i: self._save("stage"))
        form.addRow("Stage", self.stage)
        self.cadence = QSpinBox(details)
        self.cadence.setObjectName("contact-cadence")
        self.cadence.setAccessibleName("Keep in touch")
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText("No reminder")
        self.cadence.setPrefix("every ")
        self.cadence.setSuffix(" days")
        self.cadence.editingFinished.connect(lambda: self._save("cadence_days"))
        form.addRow("Keep in touch", self.cadence)
        self._line(form, "connected_on", "Connected on", "YYYY-MM-DD")
        self._line(form, "last_met", "Last met", "YYYY-MM-DD")

        about, form = self._tab("Interests && notes")
        self._line(form, "interests", "Interests", "e.g. sailing, jazz, climate tech")
        self._line(form, "tags", "Tags", "e.g. investor, mentor")
        self._line(form, "past_experience", "Past roles", "Earlier roles, with commas")
        self.notes = _NotesEdit(about)
        self.notes.setObjectName("contact-notes")
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("What they do, what they care about, how you met…")
        self.notes.setMinimumHeight(120)
        self.notes.left.connect(lambda: self._save("notes"))
        form.addRow("Notes", self.notes)

        self.timeline = QListWidget(self)
        self.timeline.setObjectName("contact-timeline")
        self.timeline.setAccessibleName("Timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setSpacing(3)
        self.timeline.setToolTip(
            "Enter or double-click opens a meeting; a debrief or a follow-up opens the briefing"
        )
        self.timeline.itemActivated.connect(self._open_entry)
        self.tabs.addTab(self.timeline, "Timeline")

        self.error = QLabel(self)
        self.error.setObjectName("contact-error")
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        self.setEnabled(False)

    def _tab(self, title: str) -> tuple[QWidget, QFormLayout]:
        """A scrollable tab holding a form (it scrolls on small screens instead of clipping)."""
        scroll = QScrollArea(self.tabs)
        scroll.setAccessibleName(title.replace("&&", "and"))
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.tabs.addTab(scroll, title)
        return body, form

    def _line(self, form: QFormLayout, name: str, label: str, placeholder: str = "") -> None:
        edit = QLineEdit(form.parentWidget())
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(label)
        edit.setObjectName(f"contact-{name.replace('_', '-')}")
        edit.editingFinished.connect(lambda: self._save(name))
        self._lines[name] = edit
        form.addRow(label, edit)

    TABS = ("details", "notes", "timeline")

    def show_tab(self, tab: str) -> None:
        """Bring a section to the front: "details", "notes" or "timeline"."""
        if tab in self.TABS:
            self.tabs.setCurrentIndex(self.TABS.index(tab))

    def line(self, name: str) -> QLineEdit:
        """The text field for one contact field (for tests and focus)."""
        return self._lines[name]

    # Showing ---------------------------------------------------------------------------
    def show_contact(self, contact: Contact | None, timeline: list[TimelineEntry]) -> None:
        """Fill the panel with ``contact`` (None clears it)."""
        self._loading = True
        self.contact = dataclasses.replace(contact) if contact else None
        self.setEnabled(contact is not None)
        self.error.hide()
        c = contact or Contact(first_name="")
        values = {
            "first_name": c.first_name,
            "last_name": c.last_name,
            "company": c.company or "",
            "position": c.position or "",
            "industry": c.industry or "",
            "emails": _join(c.emails),
            "phones": _join(c.phones),
            "profile_url": c.profile_url or "",
            "interests": _join(c.interests),
            "tags": _join(c.tags),
            "past_experience": _join(c.past_experience),
            "connected_on": c.connected_on.isoformat() if c.connected_on else "",
            "last_met": c.last_met.isoformat() if c.last_met else "",
        }
        for name, value in values.items():
            self._lines[name].setText(value)
        self.location.set_text(c.location_text or "")
        self.stage.setCurrentIndex(max(0, self.stage.findData(c.stage)))
        self.cadence.setValue(c.cadence_days or 0)
        self.notes.setPlainText(c.notes or "")
        self.show_header(c)
        self.timeline.clear()
        for entry in timeline:
            when = entry.when.strftime("%d %b %Y") if entry.when else "No date"
            item = QListWidgetItem(f"{when} · {entry.kind.capitalize()}\n{entry.text}")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.timeline.addItem(item)
        if contact is not None and not timeline:
            self.timeline.addItem("No meetings or follow-ups yet.")
        self.tabs.setTabText(2, f"Timeline ({len(timeline)})" if timeline else "Timeline")
        self._loading = False

    def show_misfit(self, reason: str | None) -> None:
        """Say why the contact does not fit the criteria (None: say nothing)."""
        self.misfit.setText(f"Does not fit your criteria: {reason}." if reason else "")
        self.misfit.setVisible(bool(reason))

    def _hand_over(self, to: Callable[[Contact], None]) -> None:
        if self.contact is not None and self.contact.id is not None:
            to(self.contact)

    def _open_entry(self, item: QListWidgetItem) -> None:
        from netplanner.services.timeline import TimelineEntry

        entry = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(entry, TimelineEntry) and self.contact is not None:
            self.on_open_entry(self.contact, entry)

    def show_header(self, c: Contact) -> None:
        self.title.setText(c.name or "No contact selected")
        self.subtitle.setText(" · ".join(p for p in (c.position, c.company) if p))
        # A named label hides its text from AT-SPI (no Text interface): say it here too.
        self.title.setAccessibleDescription(self.title.text())
        self.subtitle.setAccessibleDescription(self.subtitle.text())
        if c.has_coordinates:
            where = ", ".join(p for p in (c.admin1, c.country_code) if p)
            zone = f" · {c.timezone}" if c.timezone else ""
            self.location_state.setText(f"Located: {where or 'coordinates known'}{zone}")
        elif c.location_text and c.location_status == LocationStatus.NOT_FOUND:
            self.location_state.setText("Not found in the gazetteer: try “City, Country”.")
        elif c.location_text:
            self.location_state.setText("Not located yet: press Enter in the field to look it up.")
        else:
            self.location_state.setText("Needs a location.")
        self._show_photo(c.photo)

    def _show_photo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.photo.setPixmap(
                pixmap.scaled(
                    PHOTO_SIZE,
                    PHOTO_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.photo.clear()
            self.photo.setText("No photo")
        self.remove_photo.setEnabled(bool(data))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # Saving ----------------------------------------------------------------------------
    def _value(self, name: str) -> Any:
        readers: dict[str, Callable[[], Any]] = {
            "first_name": lambda: self._lines["first_name"].text().strip(),
            "last_name": lambda: self._lines["last_name"].text().strip(),
            "emails": lambda: _split(self._lines["emails"].text()),
            "phones": lambda: _split(self._lines["phones"].text()),
            "interests": lambda: _split(self._lines["interests"].text()),
            "tags": lambda: _split(self._lines["tags"].text()),
            "past_experience": lambda: _split(self._lines["past_experience"].text()),
            "connected_on": lambda: _parse_date(self._lines["connected_on"].text()),
            "last_met": lambda: _parse_date(self._lines["last_met"].text()),
            "stage": lambda: self.stage.currentData(),
            "cadence_days": lambda: self.cadence.value() or None,
            "notes": lambda: self.notes.toPlainText().strip() or None,
        }
        if name in readers:
            return readers[name]()
        return self._lines[name].text().strip() or None

    def _save(self, name: str) -> None:
        if self._loading or self.contact is None:
            return
        value = self._value(name)
        if name in ("connected_on", "last_met") and value is None and self._lines[name].text():
            self.show_error("Dates are written as YYYY-MM-DD, e.g. 2026-03-14.")
            return
        if value == getattr(self.contact, name):
            return
        setattr(self.contact, name, value)
        self.error.hide()
        self.show_header(self.contact)
        self.on_edited(dataclasses.replace(self.contact), [name])

    def _on_location(self, text: str, match: object) -> None:
        place = match if isinstance(match, PlaceMatch) else None  # None: kept as text
        if self.contact is not None:
            self.on_location(dataclasses.replace(self.contact), text, place)

    def _choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a photo", "", "Images (*.png *.jpg *.jpeg *.webp *.bmp)"
        )
        if path:
            self.set_photo_from_file(path)

    def set_photo_from_file(self, path: str) -> None:
        """Store a photo scaled to a small square PNG (the database keeps it small)."""
        image = QImage(path)
        if image.isNull() or self.contact is None:
            self.show_error("That file is not an image NetPlanner can read.")
            return
        scaled = image.scaled(
            256,
            256,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        scaled.save(buffer, b"PNG")
        self.contact.photo = bytes(data.data())
        self._show_photo(self.contact.photo)
        self.on_edited(dataclasses.replace(self.contact), ["photo"])

    def _remove_photo(self) -> None:
        if self.contact is not None and self.contact.photo:
            self.contact.photo = None
            self._show_photo(None)
            self.on_edited(dataclasses.replace(self.contact), ["photo"])

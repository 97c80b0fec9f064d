"""The settings dialog: home, units, online services, CalDAV and backups.

It edits a copy of ``Settings`` and hands it back; the window saves it through
``context.save_settings()`` (settings.py), so nothing here knows the file format.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netplanner.gui.widgets.location_edit import CompleteLater, LocationEdit, PlaceLookup
from netplanner.settings import Settings

PROVIDERS = ("nominatim", "photon", "arcgis", "opencage", "googlev3", "bing")


class SettingsDialog(QDialog):
    """Shows and edits every setting; ``result_settings()`` gives the edited copy."""

    def __init__(
        self,
        settings: Settings,
        home_text: str = "",
        lookup: PlaceLookup | None = None,
        parent: QWidget | None = None,
        complete_later: CompleteLater | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self._settings = copy.deepcopy(settings)
        self.home_text_before = home_text
        # Called on Save with the dialog; returns False (after show_error) to keep it open.
        self.save_handler: Callable[[SettingsDialog], bool] | None = None

        general = QGroupBox("You", self)
        general_form = QFormLayout(general)
        self.home = LocationEdit(lookup, general, complete_later)
        self.home.set_text(home_text)
        self.home.line.setPlaceholderText("Your home city, e.g. Berlin")
        general_form.addRow("Home", self.home)
        self.units = QComboBox(general)
        self.units.addItem("Kilometres", "km")
        self.units.addItem("Miles", "mi")
        self.units.setCurrentIndex(max(0, self.units.findData(settings.units)))
        general_form.addRow("Distances in", self.units)
        self.profile_name = QLineEdit(settings.profile.name, general)
        general_form.addRow("Your name", self.profile_name)
        self.profile_email = QLineEdit(settings.profile.email, general)
        general_form.addRow("Your email", self.profile_email)

        online = QGroupBox("Online services (off unless you turn them on)", self)
        online_box = QVBoxLayout(online)
        self.geocoding_online = QCheckBox("Look up places online when the offline data fails")
        self.geocoding_online.setChecked(settings.geocoding.online)
        online_box.addWidget(self.geocoding_online)
        explain = QLabel(
            "Only the location text (e.g. “Springfield, IL”) is sent, never names or notes.<br>"
            "Nominatim (OpenStreetMap) allows one request per second and asks for<br>"
            "a contact email in the User-Agent.",
            online,
        )
        online_box.addWidget(explain)
        online_form = QFormLayout()
        online_box.addLayout(online_form)
        self.provider = QComboBox(online)
        self.provider.setEditable(True)
        self.provider.addItems(PROVIDERS)
        self.provider.setCurrentText(settings.geocoding.provider)
        online_form.addRow("Provider", self.provider)
        self.endpoint = QLineEdit(settings.geocoding.endpoint, online)
        self.endpoint.setPlaceholderText("The provider's public service")
        online_form.addRow("Endpoint", self.endpoint)
        self.contact_email = QLineEdit(settings.geocoding.contact_email, online)
        self.contact_email.setPlaceholderText("you@example.com")
        online_form.addRow("Contact email", self.contact_email)
        self.venues_online = QCheckBox("Search cafés near a meeting point on OpenStreetMap")
        self.venues_online.setChecked(settings.venues.online)
        online_box.addWidget(self.venues_online)
        self.geocoding_online.toggled.connect(self._enable_online_fields)
        self._enable_online_fields(settings.geocoding.online)

        calendar = QGroupBox("Calendar (CalDAV)", self)
        calendar_form = QFormLayout(calendar)
        self.caldav_url = QLineEdit(settings.caldav.url, calendar)
        self.caldav_url.setPlaceholderText("https://calendar.example.com/dav/me/work/")
        calendar_form.addRow("Collection URL", self.caldav_url)
        self.caldav_user = QLineEdit(settings.caldav.username, calendar)
        calendar_form.addRow("User", self.caldav_user)
        calendar_form.addRow(QLabel("The password is asked for when publishing; never stored."))

        backups = QGroupBox("Backups", self)
        backups_form = QFormLayout(backups)
        self.backup_keep = QSpinBox(backups)
        self.backup_keep.setRange(1, 100)
        self.backup_keep.setValue(settings.backups.keep)
        backups_form.addRow("Backups to keep", self.backup_keep)
        self.backup_before_migration = QCheckBox("Back up the database before upgrading it")
        self.backup_before_migration.setChecked(settings.backups.before_migration)
        backups_form.addRow(self.backup_before_migration)

        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for box in (general, online, calendar, backups):
            layout.addWidget(box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Save: the window stores the settings; the dialog stays open if that fails."""
        if self.save_handler is not None and not self.save_handler(self):
            return
        super().accept()

    def finish_saving(self) -> None:
        """Close after a save the handler finished later (on a worker); asks nothing again."""
        self.setEnabled(True)
        super().accept()

    def _enable_online_fields(self, on: bool) -> None:
        for widget in (self.provider, self.endpoint, self.contact_email):
            widget.setEnabled(on)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def home_text(self) -> str:
        return self.home.text().strip()

    def result_settings(self) -> Settings:
        """The settings as edited in the dialog."""
        s = copy.deepcopy(self._settings)
        s.units = str(self.units.currentData())
        s.profile.name = self.profile_name.text().strip()
        s.profile.email = self.profile_email.text().strip()
        s.geocoding.online = self.geocoding_online.isChecked()
        s.geocoding.provider = self.provider.currentText().strip() or "nominatim"
        s.geocoding.endpoint = self.endpoint.text().strip()
        s.geocoding.contact_email = self.contact_email.text().strip()
        s.venues.online = self.venues_online.isChecked()
        s.caldav.url = self.caldav_url.text().strip()
        s.caldav.username = self.caldav_user.text().strip()
        s.backups.keep = self.backup_keep.value()
        s.backups.before_migration = self.backup_before_migration.isChecked()
        return s

"""Settings round trip, locating with progress and Cancel, and the online-consent question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QDialog

from netplanner.domain.progress import ProgressSink, check_cancelled
from netplanner.gui.dialogs.locate_dialog import OnlineConsentDialog
from netplanner.gui.dialogs.settings_dialog import SettingsDialog
from netplanner.gui.main_window import CONSENT_ASKED_KEY, MainWindow
from netplanner.services.context import AppContext
from netplanner.settings import load_settings


def open_settings(window: MainWindow) -> SettingsDialog:
    """Open Settings as the menu does (the home is read on the worker first)."""
    window.settings_action.trigger()
    assert window.settings_dialog is not None and window.settings_dialog.isVisible()
    return window.settings_dialog


def test_settings_round_trip_through_the_dialog(
    window: MainWindow, demo_context: AppContext
) -> None:
    dialog = open_settings(window)
    assert not dialog.geocoding_online.isChecked(), "online lookups are off by default"
    assert not dialog.endpoint.isEnabled()
    dialog.units.setCurrentIndex(dialog.units.findData("mi"))
    dialog.geocoding_online.setChecked(True)
    dialog.endpoint.setText("https://nominatim.example.org")
    dialog.contact_email.setText("me@example.org")
    dialog.venues_online.setChecked(True)
    dialog.caldav_url.setText("https://dav.example.org/cal/")
    dialog.caldav_user.setText("me")
    dialog.backup_keep.setValue(5)
    dialog.accept()
    stored = load_settings(demo_context.paths.settings_file)
    assert stored.units == "mi"
    assert stored.geocoding.online and stored.venues.online
    assert stored.geocoding.endpoint == "https://nominatim.example.org"
    assert stored.geocoding.contact_email == "me@example.org"
    assert (stored.caldav.url, stored.caldav.username) == ("https://dav.example.org/cal/", "me")
    assert stored.backups.keep == 5
    assert "password" not in demo_context.paths.settings_file.read_text()
    again = open_settings(window)
    assert again.units.currentData() == "mi"
    assert again.contact_email.text() == "me@example.org"
    again.reject()


def test_cancelled_settings_change_nothing(window: MainWindow, demo_context: AppContext) -> None:
    dialog = open_settings(window)
    dialog.units.setCurrentIndex(dialog.units.findData("mi"))
    dialog.reject()
    assert demo_context.settings.units == "km"
    assert not demo_context.paths.settings_file.exists()


@dataclass
class Report:
    located: int
    not_found: int
    failed: int
    requests: int


class FakeGeocoder:
    def __init__(self, not_found: int = 3) -> None:
        self.calls: list[bool] = []
        self.not_found = not_found
        self.cancel_hook: Any = None

    def geocode_all(self, online: bool, progress: ProgressSink) -> Report:
        self.calls.append(online)
        for done in range(5):
            progress.report(done, 5, f"Place {done + 1} of 5")
            if self.cancel_hook is not None and done == 2:
                self.cancel_hook()
            check_cancelled(progress)
        return Report(located=140, not_found=self.not_found, failed=0, requests=0)


def test_locate_runs_offline_and_then_explains_online_once(
    window: MainWindow, demo_context: AppContext, monkeypatch: Any
) -> None:
    geocoder = FakeGeocoder()
    demo_context.__dict__["geocoding"] = geocoder
    shown: list[OnlineConsentDialog] = []
    original = window.ask_online_consent
    monkeypatch.setattr(window, "ask_online_consent", lambda n: shown.append(original(n)))
    dialog = window.locate_contacts()
    assert dialog is not None
    assert geocoder.calls == [False], "offline unless the user turned online on"
    assert "140 contacts located" in dialog.status.text()
    assert "Nothing was sent online" in dialog.status.text()
    assert len(shown) == 1
    consent = shown[0]
    assert not consent.allow.isChecked()
    assert "only the location text" in consent.findChildren(type(dialog.status))[0].text()
    consent.done(QDialog.DialogCode.Accepted)
    assert not demo_context.settings.geocoding.online, "left off unless the box is ticked"
    assert window.ui_state.value(CONSENT_ASKED_KEY, False, type=bool)
    window.locate_contacts()
    assert len(shown) == 1, "the question is asked only once"


def test_ticking_the_consent_box_turns_online_lookups_on(
    window: MainWindow, demo_context: AppContext
) -> None:
    consent = window.ask_online_consent(3)
    consent.allow.setChecked(True)
    consent.done(QDialog.DialogCode.Accepted)
    assert demo_context.settings.geocoding.online
    assert load_settings(demo_context.paths.settings_file).geocoding.online


def test_cancel_stops_locating(window: MainWindow, demo_context: AppContext) -> None:
    geocoder = FakeGeocoder()
    demo_context.__dict__["geocoding"] = geocoder
    dialog_holder: list[Any] = []
    geocoder.cancel_hook = lambda: dialog_holder[0].cancel()
    from netplanner.gui.dialogs.locate_dialog import LocateDialog

    dialog = LocateDialog(geocoder, window.runner, online=False, parent=window)
    dialog_holder.append(dialog)
    dialog.start()
    assert "cancelled" in dialog.status.text().lower()
    assert dialog.report is None


def test_real_locate_places_imported_contacts_offline(
    empty_window: MainWindow, context: AppContext, monkeypatch: Any
) -> None:
    from netplanner.domain.entities import Contact

    context.contact_repo.add_many(
        [
            Contact("Karin", "Lindqvist", location_text="Stockholm, Sweden"),
            Contact("Kenji", "Watanabe", location_text="Tokyo"),
            Contact("Nobody", "Knows", location_text="Xyzzy Qwrtp"),
        ]
    )
    asked: list[int] = []
    monkeypatch.setattr(empty_window, "ask_online_consent", asked.append)
    empty_window.contacts.reload()
    assert empty_window.contacts.scope.tabText(1) == "Needs a location (3)"
    dialog = empty_window.locate_contacts()
    assert dialog is not None
    assert "2 contacts located" in dialog.status.text()
    assert "Nothing was sent online" in dialog.status.text()
    assert empty_window.contacts.scope.tabText(1) == "Needs a location (1)"
    karin = next(c for c in context.contacts.search() if c.first_name == "Karin")
    assert karin.country_code == "SE"
    assert asked == [1], "one place was not found offline: online help is explained once"


def test_home_set_in_settings_moves_the_distances(
    window: MainWindow, demo_context: AppContext
) -> None:
    from netplanner.gui.models.contacts_model import DISTANCE

    dialog = open_settings(window)
    assert dialog.home.text() == demo_context.locations.get_home().text  # type: ignore[union-attr]
    dialog.home.line.setText("Munich, Germany")
    dialog.accept()
    home = demo_context.locations.get_home()
    assert home is not None and abs(home.lat - 48.14) < 0.1
    munich = next(
        c for c in demo_context.contacts.search() if (c.location_text or "").startswith("Munich")
    )
    model = window.contacts.model
    shown = str(model.data(model.index(model.row_of(munich.id), DISTANCE)))
    value, unit = shown.split()
    assert unit in ("m", "km") and float(value.replace(",", "")) / (1000 if unit == "m" else 1) < 40


def test_an_unknown_home_is_refused_with_a_sentence(
    window: MainWindow, demo_context: AppContext
) -> None:
    before = demo_context.locations.get_home()
    dialog = open_settings(window)
    dialog.home.line.setText("Xyzzy Qwrtp")
    dialog.units.setCurrentIndex(dialog.units.findData("mi"))
    dialog.accept()
    assert dialog.isVisible(), "the dialog stays open so nothing typed is lost"
    assert dialog.error.text().startswith("Home: ") and "\n" not in dialog.error.text()
    assert demo_context.locations.get_home() == before
    assert demo_context.settings.units == "km", "nothing is saved when the home is refused"


def test_about_names_the_version_and_the_data_licences(window: MainWindow) -> None:
    from netplanner import __version__
    from netplanner.gui.dialogs.about import make_about_box

    text = make_about_box(window).text()
    assert __version__ in text
    assert "GeoNames" in text and "CC BY 4.0" in text
    assert "OpenStreetMap" in text and "ODbL" in text


def test_about_names_the_basemap_too(window: MainWindow) -> None:
    from netplanner.gui.dialogs.about import make_about_box

    assert "Natural Earth" in make_about_box(window).text()

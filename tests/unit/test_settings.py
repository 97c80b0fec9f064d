"""Settings: defaults, round trip, and broken files that never crash the app."""

from __future__ import annotations

from pathlib import Path

from netplanner.settings import Settings, load_settings, save_settings


def test_missing_file_gives_safe_offline_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.toml")
    assert settings == Settings()
    assert settings.geocoding.online is False and settings.venues.online is False


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.toml"
    settings = Settings(units="mi")
    settings.geocoding.online = True
    settings.geocoding.contact_email = "me@example.org"
    settings.profile.interests = ["climbing", "jazz"]
    save_settings(settings, path)
    assert load_settings(path) == settings
    assert (path.stat().st_mode & 0o777) == 0o600


def test_broken_toml_gives_defaults_and_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("units = 'km\n[geocoding", encoding="utf-8")
    settings = load_settings(path)
    assert settings == Settings()
    assert settings.warnings and "could not be read" in settings.warnings[0]


def test_wrong_types_keep_defaults_for_those_values_only(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'units = "furlongs"\n[geocoding]\nonline = "yes"\ncontact_email = "a@b.org"\n'
        "timeout_s = 3\n",
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.units == "km"
    assert settings.geocoding.online is False
    assert settings.geocoding.contact_email == "a@b.org"
    assert settings.geocoding.timeout_s == 3.0
    assert len(settings.warnings) == 2


def test_not_utf8_file_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"units = '\xff\xfe'")
    assert load_settings(path) == Settings()

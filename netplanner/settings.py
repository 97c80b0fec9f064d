"""User settings, stored as TOML in the config dir; Qt-free.

A missing file gives the defaults; a broken one gives the defaults and a warning, never a
crash, and it is not overwritten until the user saves settings again.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import tomli_w

log = logging.getLogger(__name__)


@dataclass
class GeocodingSettings:
    online: bool = False  # off by default: nothing leaves the machine
    provider: str = "nominatim"
    endpoint: str = ""  # empty: the provider's public endpoint
    api_key: str = ""
    contact_email: str = ""  # goes into the User-Agent Nominatim asks for
    timeout_s: float = 10.0


@dataclass
class VenueSettings:
    online: bool = False
    overpass_endpoint: str = ""


@dataclass
class CalDAVSettings:
    url: str = ""
    username: str = ""
    # The password is never written here: it lives in the system keyring or is asked for.


@dataclass
class BackupSettings:
    """Automatic backups and how the backup folder is thinned (see ``storage.backups``)."""

    keep: int = 10  # the newest this many always stay
    daily: int = 12  # then the newest of each of this many days,
    weekly: int = 10  # of this many weeks,
    monthly: int = 9  # and of this many months
    before_migration: bool = True
    before_import: bool = True
    every_minutes: int = 30  # while the window runs, when something changed (0: never)


@dataclass
class ProfileSettings:
    """The user's own details: the organizer of meetings, the interests shared with contacts."""

    name: str = ""
    email: str = ""
    interests: list[str] = field(default_factory=list)


@dataclass
class Settings:
    """Everything the user can set; defaults are safe and offline."""

    units: str = "km"  # "km" or "mi"
    profile: ProfileSettings = field(default_factory=ProfileSettings)
    geocoding: GeocodingSettings = field(default_factory=GeocodingSettings)
    venues: VenueSettings = field(default_factory=VenueSettings)
    caldav: CalDAVSettings = field(default_factory=CalDAVSettings)
    backups: BackupSettings = field(default_factory=BackupSettings)
    warnings: list[str] = field(default_factory=list, compare=False, repr=False)


class SettingsProvider:
    """The one current ``Settings`` of a running app.

    Services ask it at the time of use, never keeping a copy, so a change made in the
    Settings dialog reaches services that were built before it.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings if settings is not None else Settings()

    def current(self) -> Settings:
        """The settings in force now (changes made to it in place count too)."""
        return self._settings

    def replace(self, new: Settings) -> None:
        self._settings = new


def provider_of(settings: Settings | SettingsProvider) -> SettingsProvider:
    """A provider for ``settings``; a plain ``Settings`` (tests, benchmarks) is held fixed."""
    return settings if isinstance(settings, SettingsProvider) else SettingsProvider(settings)


def _merge(cls: type[Any], raw: dict[str, Any], warnings: list[str], prefix: str = "") -> Any:
    """Build ``cls`` from ``raw``, keeping defaults for unknown or mistyped values."""
    defaults = cls()
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name == "warnings" or f.name not in raw:
            continue
        default = getattr(defaults, f.name)
        value = raw[f.name]
        if hasattr(default, "__dataclass_fields__"):
            if isinstance(value, dict):
                values[f.name] = _merge(type(default), value, warnings, f"{prefix}{f.name}.")
            else:
                warnings.append(f"Setting '{prefix}{f.name}' should be a table; using defaults.")
        elif isinstance(default, bool) != isinstance(value, bool) or not isinstance(
            value, type(default) if not isinstance(default, float) else (int, float)
        ):
            warnings.append(f"Setting '{prefix}{f.name}' has the wrong type; using the default.")
        else:
            values[f.name] = float(value) if isinstance(default, float) else value
    return cls(**values)


def load_settings(path: Path) -> Settings:
    """Read settings from ``path``; defaults (with a warning) when it is missing or broken."""
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        message = f"The settings file {path} could not be read ({exc}); using defaults."
        log.warning(message)
        return Settings(warnings=[message])
    warnings: list[str] = []
    settings: Settings = _merge(Settings, raw, warnings)
    if settings.units not in ("km", "mi"):
        warnings.append("Setting 'units' must be 'km' or 'mi'; using km.")
        settings.units = "km"
    for message in warnings:
        log.warning(message)
    settings.warnings = warnings
    return settings


def save_settings(settings: Settings, path: Path) -> None:
    """Write settings atomically, readable by the user alone."""
    data = asdict(settings)
    data.pop("warnings", None)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        tomli_w.dump(data, handle)
    tmp.replace(path)

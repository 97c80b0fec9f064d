"""Where NetPlanner keeps things: platformdirs locations and its own resources.

``--data-dir`` (or ``NETPLANNER_DATA_DIR``) moves everything the app writes under one folder,
which is what tests and portable installs want.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "netplanner"
DATA_DIR_ENV = "NETPLANNER_DATA_DIR"
DB_URL_ENV = "NETPLANNER_DB_URL"
# The open window's QLockFile in the data folder ("PID\nAPP\nHOST\n"): gui.single_instance
# holds it, and `netplanner restore` refuses while a live process does.
WINDOW_LOCK_NAME = "window.lock"


@dataclass(frozen=True)
class AppPaths:
    """The folders the app writes to."""

    data_dir: Path
    config_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def database_file(self) -> Path:
        return self.data_dir / "netplanner.sqlite"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    def database_url(self) -> str:
        return f"sqlite:///{self.database_file}"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The app's folders: under ``data_dir`` (argument or env) when given, else platformdirs."""
    chosen = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return AppPaths(
            data_dir=root,
            config_dir=root / "config",
            cache_dir=root / "cache",
            log_dir=root / "logs",
        )
    import platformdirs  # only here: given a data dir, the command line never needs it

    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the user alone (0700).

    Only the folders made here are made private: an existing folder keeps the permissions
    its owner gave it (a shared 2775 folder, a read-only 0500 data dir, /tmp as root)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        for made in missing:
            made.chmod(0o700)  # mkdir's mode is reduced by the umask
    return path


def check_data_dir(path: Path) -> Path:
    """The data folder, made (0700) if missing; else one sentence why it cannot be used.

    A file in its place or above it, a folder that cannot be made (under /proc, a missing
    drive) or one this user cannot write are the user's to fix, not tracebacks.
    """
    from netplanner.domain.errors import InputError

    for part in (path, *path.parents):
        if part.exists() and not part.is_dir():
            where = "" if part == path else f" ({part} is a file)"
            raise InputError(
                f"The data folder {path} cannot be used: it is not a folder{where}; "
                "give another with --data-dir."
            )
    try:
        ensure_private_dir(path)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).rstrip(".")
        raise InputError(
            f"The data folder {path} cannot be created ({reason}); give another with --data-dir."
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise InputError(
            f"The data folder {path} is not writable by this user; give another with --data-dir."
        )
    return path


def resources_dir() -> Path:
    """The folder of shipped resources, in a checkout and in a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(name: str) -> Path:
    """Return the path of one shipped resource file."""
    return resources_dir() / name

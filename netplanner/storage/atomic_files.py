"""Writing files that hold the user's data: private, whole or not at all, never through a link.

Exports and backups hold every contact. Each is written to a fresh temporary file made by
``mkstemp`` in the target's own folder (0600, an unpredictable name, created with O_EXCL so a
planted symlink is never followed), flushed to disk, then renamed over the target; on any error
the temporary file is removed and the previous target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from netplanner.domain.errors import InputError

TEMPORARY_PREFIX = ".netplanner-"
TEMPORARY_SUFFIX = ".tmp"


def check_target(path: Path | str) -> Path:
    """The target as a Path, or one sentence on why no file can be written there.

    The folder must exist already: NetPlanner does not create folders wherever it is told.
    """
    if str(path).strip() == "":
        raise InputError("Give a file name to write to (the name given is empty).")
    target = Path(path)
    if target.name in ("", ".", ".."):
        raise InputError(f"Give a file name to write to; {target} is a folder.")
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name to write to.")
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"The folder {folder} does not exist; create it first or choose another.")
    return target


def fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); elsewhere folders cannot be opened."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # the file is renamed already; only the folder's entry may lag
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a folder; the data is on disk
        pass
    finally:
        os.close(fd)


def fsync_path(path: Path) -> None:
    """Flush a file written by someone else (SQLite) to disk before it is given its name."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def private_temporary(target: Path) -> Iterator[Path]:
    """A fresh 0600 temporary file beside ``target``, renamed over it when the block succeeds.

    The block writes the file (by its path, as SQLite's backup does) and must close it; the file
    is then flushed to disk and renamed. Any exception removes the temporary file.
    """
    fd, name = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        fsync_path(temporary)
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    fsync_folder(target.parent)


def write_private_atomically(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` as a 0600 file, whole or not at all; returns the path.

    A path that cannot be written is an InputError of one sentence.
    """
    target = check_target(path)
    try:
        fd, name = tempfile.mkstemp(
            prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=target.parent
        )
    except OSError as exc:
        raise InputError(f"The file {target} cannot be written: {_reason(exc)}.") from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise InputError(f"The file {target} cannot be written: {_reason(exc)}.") from None
        raise
    fsync_folder(target.parent)
    return target


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).rstrip(".")

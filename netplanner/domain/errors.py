"""The project's own exceptions: errors a user can cause, each one clear sentence.

The command line maps every ``NetPlannerError`` to exit code 3 and prints its message;
the GUI shows it in a message box. Anything else is a bug and exits 1.
"""

from __future__ import annotations


class NetPlannerError(Exception):
    """An error the user can cause and fix; ``str(error)`` is the sentence to show."""


class InputError(NetPlannerError):
    """Bad input: a malformed value, a file that cannot be read, dates in the wrong order."""


class NotFoundError(NetPlannerError):
    """Something named by the user does not exist: a contact id, a place, a trip."""


class DatabaseError(NetPlannerError):
    """The database cannot be opened or used as it is; it was left untouched."""


class CancelledError(NetPlannerError):
    """Long work was cancelled by the user; nothing it would have written was kept."""


class DatabaseDamagedError(DatabaseError):
    """The database file is damaged (SQLite: "database disk image is malformed").

    ``path`` is the damaged file (None for a server database), so the window can offer the
    newest good backup and keep the damaged file aside.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class DatabaseBusyError(DatabaseError):
    """Another process held the write lock for longer than NetPlanner waits; try again."""


class DatabaseReadOnlyError(DatabaseError):
    """The database (or its folder) cannot be written by this user."""


class DatabaseUnreachableError(DatabaseError):
    """A database server could not be reached or refused the connection."""

"""One window per data folder: a second ``netplanner gui`` brings the first to the front.

Two windows on one database would be two writers, each showing what the other has changed
underneath it. As KeePassXC does, the first window holds a ``QLockFile`` and listens on a
``QLocalServer``; a later start finds the lock taken, connects, sends ``raise`` and exits.
Here the lock lives in the data folder and the server's name is made from that folder's
path, so two data folders can each have their window.

A lock left by a crash (its process is gone) is stale: Qt sees that the process named in
it is not running and takes the lock over. The stale time is 0 because the lock is held for
as long as the window is open, which may be days; only a dead owner makes it stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile, QObject, Qt, QThread, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from netplanner.domain.errors import NetPlannerError
from netplanner.paths import WINDOW_LOCK_NAME, ensure_private_dir

log = logging.getLogger(__name__)

LOCK_NAME = WINDOW_LOCK_NAME
RAISE = b"raise\n"
RAISED = b"raised\n"
ALREADY_OPEN = "NetPlanner is already open; brought it to the front."
CONNECT_ATTEMPTS = 10
CONNECT_WAIT_MS = 200
RETRY_PAUSE_MS = 100
REPLY_WAIT_MS = 3000


def server_name(data_dir: Path) -> str:
    """The local server's name for a data folder: the user's id and a hash of its path.

    Short (a Unix socket path has ~100 bytes) and without the path itself, which may say
    more about the user than a socket name in /tmp should.
    """
    digest = hashlib.sha256(os.fsencode(data_dir.resolve())).hexdigest()[:20]
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return f"netplanner-{user}-{digest}"


def _bring_to_front(window: QWidget) -> None:
    """Show, un-minimise, raise and activate ``window`` (the window manager has the last say)."""
    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()


def _main_window() -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMainWindow):
            return widget
    return None


class WindowLock(QObject):
    """The lock and the server of the one window on a data folder.

    Attributes:
        raise_requested: another start asked this window to come to the front (after it
            was brought there).
    """

    raise_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.name = server_name(data_dir)
        self.lock_file = QLockFile(str(data_dir / LOCK_NAME))
        self.lock_file.setStaleLockTime(0)  # held while the window is open; only death is stale
        self.server: QLocalServer | None = None
        self.window: QWidget | None = None  # None: the application's main window

    @property
    def held(self) -> bool:
        return self.lock_file.isLocked()

    def acquire(self) -> bool:
        """Take the lock and listen; False if another live window holds it.

        A folder that cannot hold a lock (read-only, missing) is not this module's to
        report: the window opens without the guard and the database says what is wrong.
        """
        try:
            ensure_private_dir(self.data_dir)
        except OSError:
            log.warning("No window lock: the data folder cannot be created.")
            return True
        if not self.lock_file.tryLock(0):
            if self.lock_file.error() == QLockFile.LockError.LockFailedError:
                return False
            log.warning("No window lock: the lock file cannot be written in the data folder.")
            return True
        with contextlib.suppress(OSError):
            Path(self.lock_file.fileName()).chmod(0o600)  # like every file in the data folder
        self._listen()
        return True

    def _listen(self) -> None:
        # The lock is ours, so a socket file of that name is a crashed window's leftover.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        if not server.listen(self.name):
            log.warning("A second start cannot reach this window: %s", server.errorString())
            return
        self.server = server

    def _on_connection(self) -> None:
        server = self.server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_request(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_request(socket)

    def _on_request(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == RAISE:
            window = self.window or _main_window()
            if window is not None:
                _bring_to_front(window)
            socket.write(RAISED)
            socket.flush()
            self.raise_requested.emit()
        socket.disconnectFromServer()

    def release(self) -> None:
        """Stop listening and give the lock back (when the application quits)."""
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.lock_file.isLocked():
            self.lock_file.unlock()


def ask_to_raise(
    name: str, attempts: int = CONNECT_ATTEMPTS, reply_wait_ms: int = REPLY_WAIT_MS
) -> bool:
    """Ask the window listening as ``name`` to come to the front; False if none answers.

    A window that has just taken its lock may not listen yet, hence a few attempts. The
    reply is waited for (``reply_wait_ms``) only to know it was heard; a window busy for
    longer still reads the request when it is free.
    """
    socket = QLocalSocket()
    for _ in range(attempts):
        socket.connectToServer(name)
        if socket.waitForConnected(CONNECT_WAIT_MS):
            break
        socket.abort()
        QThread.msleep(RETRY_PAUSE_MS)
    else:
        return False
    socket.write(RAISE)
    if not socket.waitForBytesWritten(CONNECT_WAIT_MS * 5):
        socket.abort()
        return False
    if reply_wait_ms > 0:
        socket.waitForReadyRead(reply_wait_ms)
    socket.abort()
    return True


def claim_window(data_dir: Path, reply_wait_ms: int = REPLY_WAIT_MS) -> WindowLock | None:
    """The lock of this start's window, or None when another window was brought forward.

    Call once the ``QApplication`` exists; the lock is given back when it quits.
    """
    lock = WindowLock(data_dir, QCoreApplication.instance())
    if lock.acquire():
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lock.release)
        return lock
    if ask_to_raise(lock.name, reply_wait_ms=reply_wait_ms):
        print(ALREADY_OPEN, file=sys.stderr)
        return None
    raise NetPlannerError(
        "NetPlanner is already open on this data folder but does not answer; "
        "close it, then start it again."
    )

"""The one way long work leaves the GUI thread: a task runner with progress and cancel.

Every import, geocoding run, demo load or other slow call goes through ``TaskRunner.run``.
The work runs on a single worker thread (so database writes are serialised, as Anki's task
manager does), reports progress through a ``ProgressSink`` that forwards to a signal, can be
cancelled through a domain ``CancelToken``, and hands its result or error back on the GUI
thread by signal. ``TaskRunner(synchronous=True)`` runs each task at once on the calling
thread, like Picard's fake thread pool, so tests are deterministic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from netplanner.domain.errors import CancelledError, NetPlannerError
from netplanner.domain.progress import CancelToken, ProgressSink

log = logging.getLogger(__name__)

Work = Callable[[ProgressSink], Any]


class _Relay(QObject):
    """Signals emitted by the worker; the receiving Task lives on the GUI thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _SignalProgress:
    """A ``ProgressSink`` that forwards reports to a signal and reads cancel from a token."""

    def __init__(self, relay: _Relay, token: CancelToken) -> None:
        self._relay = relay
        self._token = token

    def report(self, done: int, total: int, message: str = "") -> None:
        self._token.report(done, total, message)
        self._relay.progressed.emit(done, total, message)

    def cancelled(self) -> bool:
        return self._token.cancelled()


class Task(QObject):
    """One piece of long work: connect to its signals, call ``cancel()`` to stop it.

    Attributes:
        progressed: (done, total, message) as the work reports it.
        succeeded: the work's return value.
        failed: one sentence for the user.
        cancelled: the work stopped because the user asked.
        finished: after any of the three outcomes.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = CancelToken()
        self.done = False
        self.relay = _Relay()
        self.relay.progressed.connect(self._on_progress)
        self.relay.succeeded.connect(self._on_success)
        self.relay.failed.connect(self._on_failure)
        self.relay.cancelled.connect(self._on_cancel)

    def cancel(self) -> None:
        """Ask the work to stop at its next check; it then rolls back and reports ``cancelled``."""
        self.token.cancel()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progressed.emit(done, total, message)

    @Slot(object)
    def _on_success(self, result: object) -> None:
        self.done = True
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(str)
    def _on_failure(self, message: str) -> None:
        self.done = True
        self.failed.emit(message)
        self.finished.emit()

    @Slot()
    def _on_cancel(self) -> None:
        self.done = True
        self.cancelled.emit()
        self.finished.emit()


def _execute(work: Work, relay: _Relay, token: CancelToken) -> None:
    """Run ``work`` and emit exactly one outcome; never lets an exception escape the thread."""
    try:
        result = work(_SignalProgress(relay, token))
    except CancelledError:
        relay.cancelled.emit()
    except NetPlannerError as exc:
        relay.failed.emit(str(exc))
    except Exception as exc:
        log.exception("Task failed")
        relay.failed.emit(f"Something went wrong: {exc}.")
    else:
        relay.succeeded.emit(result)


class _Runnable(QRunnable):
    def __init__(self, work: Work, relay: _Relay, token: CancelToken) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._token = token

    def run(self) -> None:
        _execute(self._work, self._relay, self._token)


class TaskRunner(QObject):
    """Runs work off the GUI thread, one task at a time, and reports back by signal."""

    busy_changed = Signal(bool)

    def __init__(self, synchronous: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one worker: writes never race each other
        self._running: list[Task] = []

    def task(
        self,
        name: str,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
    ) -> Task:
        """A task not started yet: connect to its signals, then ``start`` it."""
        # The runner keeps the task alive (no Qt parent) until its outcome has been delivered.
        task = Task(name)
        if on_success is not None:
            task.succeeded.connect(on_success)
        if on_failure is not None:
            task.failed.connect(on_failure)
        return task

    def start(self, task: Task, work: Work) -> Task:
        """Run ``work(progress)`` for ``task``; its signals arrive on the GUI thread."""
        task.finished.connect(lambda: self._forget(task))
        was_busy = self.busy
        self._running.append(task)
        if not was_busy:
            self.busy_changed.emit(True)
        if self.synchronous:
            _execute(work, task.relay, task.token)
        else:
            self._pool.start(_Runnable(work, task.relay, task.token))
        return task

    def run(
        self,
        name: str,
        work: Work,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
    ) -> Task:
        """Start ``work(progress)`` at once; callbacks run on the GUI thread."""
        return self.start(self.task(name, on_success, on_failure), work)

    @property
    def busy(self) -> bool:
        return any(not task.done for task in self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (used on quit so no write is cut short)."""
        return bool(self._pool.waitForDone(msecs))

    def _forget(self, task: Task) -> None:
        if not self.busy:
            self.busy_changed.emit(False)
        # Drop the reference on the next turn of the event loop, not inside the task's own
        # signal emission, so Qt never deletes an object that is still emitting.
        QTimer.singleShot(0, lambda: self._release(task))

    def _release(self, task: Task) -> None:
        if task in self._running:
            self._running.remove(task)

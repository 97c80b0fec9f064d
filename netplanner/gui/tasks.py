"""The one way work leaves the GUI thread: a task runner with lanes, progress and cancel.

Every read, write, import, geocoding run or demo load goes through ``TaskRunner``. Work runs
in one of three lanes, each a single worker thread (as Anki's task manager does for the
collection):

- ``Lane.WRITE``: every database write, in order, so writes never race each other;
- ``Lane.READ``: reads for what is on screen, so a selection never waits behind an import;
- ``Lane.NETWORK``: online work (geocoding at 1 request per second, venue search, CalDAV),
  so a slow server never holds a write back.

A task's result has a known type: ``Task[T]`` keeps it and calls the typed callbacks on the
GUI thread; the signals crossing threads carry no payload to guess at. A task started with a
``latest`` key replaces the one before it with the same key: only the latest answer counts.
``TaskRunner(synchronous=True)`` runs each task at once on the calling thread, like Picard's
fake thread pool, so tests are deterministic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from netplanner.domain.errors import CancelledError, NetPlannerError
from netplanner.domain.progress import CancelToken, ProgressSink

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[ProgressSink], T]


class Lane(Enum):
    """Which worker a task runs on."""

    WRITE = "write"
    READ = "read"
    NETWORK = "network"


class State(Enum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class _Relay(QObject):
    """Signals emitted by the worker; the receiving Task lives on the GUI thread."""

    progressed = Signal(int, int, str)
    ended = Signal()


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


class Task(QObject, Generic[T]):
    """One piece of work: typed callbacks for its outcome, ``cancel()`` to stop it.

    Attributes:
        progressed: (done, total, message) as the work reports it.
        cancelled: the work stopped because the user asked.
        finished: after any outcome (also for a task superseded by a later one).
    """

    progressed = Signal(int, int, str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, name: str, lane: Lane = Lane.WRITE, latest: str | None = None) -> None:
        super().__init__()
        self.name = name
        self.lane = lane
        self.latest = latest
        self.token = CancelToken()
        self.state = State.PENDING
        self.result: T | None = None
        self.error = ""
        self.superseded = False
        self._on_success: list[Callable[[T], None]] = []
        self._on_failure: list[Callable[[str], None]] = []
        self.relay = _Relay()
        self.relay.progressed.connect(self._on_progress)
        self.relay.ended.connect(self._on_ended)

    @property
    def done(self) -> bool:
        return self.state is not State.PENDING

    def on_success(self, callback: Callable[[T], None]) -> Task[T]:
        self._on_success.append(callback)
        return self

    def on_failure(self, callback: Callable[[str], None]) -> Task[T]:
        self._on_failure.append(callback)
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next check; it then rolls back and reports ``cancelled``."""
        self.token.cancel()

    def _execute(self, work: Work[T]) -> None:
        """Run ``work`` (on the worker) and record exactly one outcome; never raises."""
        try:
            if self.token.cancelled():
                raise CancelledError("Cancelled before it started.")
            self.result = work(_SignalProgress(self.relay, self.token))
        except CancelledError:
            self.state = State.CANCELLED
        except NetPlannerError as exc:
            self.error, self.state = str(exc), State.FAILED
        except Exception as exc:
            log.exception("Task %r failed", self.name)
            self.error, self.state = f"Something went wrong: {exc}.", State.FAILED
        else:
            self.state = State.SUCCEEDED
        self.relay.ended.emit()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        if not self.superseded:
            self.progressed.emit(done, total, message)

    @Slot()
    def _on_ended(self) -> None:
        if not self.superseded:
            if self.state is State.SUCCEEDED:
                for success in self._on_success:
                    success(self.result)  # type: ignore[arg-type]  # set with SUCCEEDED
            elif self.state is State.FAILED:
                for failure in self._on_failure:
                    failure(self.error)
            elif self.state is State.CANCELLED:
                self.cancelled.emit()
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task[T], work: Work[T]) -> None:
        super().__init__()
        self._task = task
        self._work = work

    def run(self) -> None:
        self._task._execute(self._work)


class TaskRunner(QObject):
    """Runs work off the GUI thread, one task at a time per lane, and reports back by signal.

    Attributes:
        busy_changed: True when the first task starts, False when the last one ends.
    """

    busy_changed = Signal(bool)

    def __init__(self, synchronous: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._pools: dict[Lane, QThreadPool] = {}
        for lane in Lane:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)  # one worker per lane: writes never race each other
            self._pools[lane] = pool
        self._running: list[Task[object]] = []
        self._latest: dict[str, Task[object]] = {}
        self.closed = False

    def task(
        self,
        name: str,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        lane: Lane = Lane.WRITE,
        latest: str | None = None,
    ) -> Task[T]:
        """A task not started yet: connect to its signals, then ``start`` it."""
        # The runner keeps the task alive (no Qt parent) until its outcome has been delivered.
        task: Task[T] = Task(name, lane, latest)
        if on_success is not None:
            task.on_success(on_success)
        if on_failure is not None:
            task.on_failure(on_failure)
        return task

    def start(self, task: Task[T], work: Work[T]) -> Task[T]:
        """Run ``work(progress)`` in the task's lane; its outcome arrives on the GUI thread."""
        if self.closed:
            task.superseded = True  # the window is closing: nobody is left to answer
            return task
        if task.latest is not None:
            previous = self._latest.get(task.latest)
            if previous is not None and not previous.done:
                previous.superseded = True
                previous.cancel()  # not needed any more; skipped if it has not started
            self._latest[task.latest] = task  # type: ignore[assignment]
        task.finished.connect(lambda: self._forget(task))
        was_busy = self.busy
        self._running.append(task)  # type: ignore[arg-type]
        if not was_busy:
            self.busy_changed.emit(True)
        if self.synchronous:
            task._execute(work)
        else:
            self._pools[task.lane].start(_Runnable(task, work))
        return task

    def run(
        self,
        name: str,
        work: Work[T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        lane: Lane = Lane.WRITE,
        latest: str | None = None,
    ) -> Task[T]:
        """Start ``work(progress)`` at once; callbacks run on the GUI thread."""
        return self.start(self.task(name, on_success, on_failure, lane, latest), work)

    @property
    def busy(self) -> bool:
        return any(not task.done for task in self._running)

    def running(self) -> list[str]:
        """Names of the tasks not finished yet (for the status bar and for closing)."""
        return [task.name for task in self._running if not task.done]

    def cancel_all(self) -> None:
        """Ask every task to stop (the window is closing)."""
        for task in self._running:
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every lane is idle (used on quit so no write is cut short)."""
        return all(pool.waitForDone(msecs) for pool in self._pools.values())

    def close(self, msecs: int = 30_000) -> bool:
        """Refuse new work, cancel what runs, and wait for it to stop."""
        self.closed = True
        self.cancel_all()
        return self.wait(msecs)

    def _forget(self, task: Task[T]) -> None:
        if not self.busy:
            self.busy_changed.emit(False)
        if task.latest is not None and self._latest.get(task.latest) is task:
            del self._latest[task.latest]
        # Drop the reference on the next turn of the event loop, not inside the task's own
        # signal emission, so Qt never deletes an object that is still emitting.
        QTimer.singleShot(0, lambda: self._release(task))

    def _release(self, task: Task[T]) -> None:
        if task in self._running:
            self._running.remove(task)  # type: ignore[arg-type]

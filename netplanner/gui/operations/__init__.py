"""Typed operations: every read or write the window asks for, run on the task runner.

Learned from Anki's ``aqt.operations``: a ``QueryOp[T]`` reads (or goes online) off the GUI
thread and hands a ``T`` to its ``success`` callback; a ``WriteOp[T]`` writes on the one
write worker and returns ``Written[T]``, the value plus the ``Changes`` it made. When a
write succeeds, the host announces its changes to every workspace *before* the success
callback runs, so the screens are current when the initiator carries on.

Use cases are named functions in the modules beside this one (``contacts.py``, ...), not
lambdas at the call site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from netplanner.domain.changes import Changes
from netplanner.domain.progress import ProgressSink
from netplanner.gui.tasks import Lane, Task, TaskRunner

T = TypeVar("T")
V = TypeVar("V")


@dataclass(frozen=True)
class Written(Generic[T]):
    """What a write gives back: its value and what it changed."""

    value: T
    changes: Changes


class OpHost(Protocol):
    """What an operation needs from the window: the runner, and the changes broadcast."""

    @property
    def runner(self) -> TaskRunner: ...

    def announce(self, changes: Changes) -> None:
        """Hand ``changes`` to every workspace."""

    def show_message(self, text: str) -> None:
        """A line in the status bar."""


class QueryOp(Generic[T]):
    """A read (or network call) off the GUI thread; only its result reaches the GUI.

    ``latest``: a key for reads that follow the screen (the selected contact): a newer
    read with the same key supersedes this one, whose answer is then dropped.
    """

    def __init__(
        self,
        host: OpHost,
        name: str,
        op: Callable[[ProgressSink], T],
        *,
        lane: Lane = Lane.READ,
        latest: str | None = None,
    ) -> None:
        self.host = host
        self.name = name
        self.op = op
        self.lane = lane
        self.latest = latest
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[str], None] | None = None

    def success(self, callback: Callable[[T], None]) -> QueryOp[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[str], None]) -> QueryOp[T]:
        self._failure = callback
        return self

    def run(self) -> Task[T]:
        failure = self._failure or self.host.show_message
        return self.host.runner.run(
            self.name, self.op, self._success, failure, lane=self.lane, latest=self.latest
        )


class WriteOp(Generic[T]):
    """A write on the write worker; its ``Changes`` are announced, then ``success`` runs.

    ``initiator``: the screen asking, named in the changes so it can skip what it has
    already shown. The lane is ``Lane.NETWORK`` for writes that wait on a server.
    """

    def __init__(
        self,
        host: OpHost,
        name: str,
        op: Callable[[ProgressSink], Written[T]],
        *,
        initiator: object | None = None,
        lane: Lane = Lane.WRITE,
    ) -> None:
        self.host = host
        self.name = name
        self.op = op
        self.initiator = initiator
        self.lane = lane
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[str], None] | None = None

    def success(self, callback: Callable[[T], None]) -> WriteOp[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[str], None]) -> WriteOp[T]:
        self._failure = callback
        return self

    def _done(self, written: Written[T]) -> None:
        changes = written.changes.by(self.initiator)
        if not changes.empty:
            self.host.announce(changes)
        if self._success is not None:
            self._success(written.value)

    def run(self) -> Task[Written[T]]:
        failure = self._failure or self.host.show_message
        return self.host.runner.run(self.name, self.op, self._done, failure, lane=self.lane)


def written(value: V, changes: Changes) -> Written[V]:
    """Shorthand for use cases: ``return written(contact, Changes.of_contacts([id]))``."""
    return Written(value, changes)


__all__ = ["Lane", "OpHost", "QueryOp", "Task", "WriteOp", "Written", "written"]

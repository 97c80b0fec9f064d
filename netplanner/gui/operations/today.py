"""The Today use cases: read the report, mark a follow-up done (and undo it)."""

from __future__ import annotations

from typing import Protocol

from netplanner.domain.changes import Changes
from netplanner.domain.entities import FollowUp
from netplanner.domain.progress import ProgressSink
from netplanner.domain.today import TodayReport
from netplanner.gui.operations import OpHost, QueryOp, WriteOp, Written
from netplanner.services.debrief import DebriefService
from netplanner.services.today import TodayService


class TodayServices(Protocol):
    """What Today needs (an ``AppContext`` has it)."""

    @property
    def today(self) -> TodayService: ...

    @property
    def debriefs(self) -> DebriefService: ...


def read_today(host: OpHost, services: TodayServices) -> QueryOp[TodayReport]:
    """The report as of now; a newer read supersedes an older one."""

    def read(_progress: ProgressSink) -> TodayReport:
        return services.today.report()

    return QueryOp(host, "Read today", read, latest="today-report")


def complete_follow_up(
    host: OpHost,
    services: TodayServices,
    follow_up_id: int,
    done: bool = True,
    initiator: object | None = None,
) -> WriteOp[FollowUp]:
    """Mark a follow-up done (or, to undo, open again); its contact's timeline changes."""

    def write(_progress: ProgressSink) -> Written[FollowUp]:
        follow_up = services.debriefs.complete_follow_up(follow_up_id, done=done)
        changes = Changes(
            contacts=frozenset({follow_up.contact_id}), follow_ups=frozenset({follow_up_id})
        )
        return Written(follow_up, changes)

    label = "Mark follow-up done" if done else "Open follow-up again"
    return WriteOp(host, label, write, initiator=initiator)

"""The debrief and briefing use cases: read a meeting's debrief, record it, brief a contact.

The services do the work (``DebriefService.record`` marks the meeting done and moves last
met and the stage); these functions only give each use case a name, run it as a typed op
and say what it changed, so every screen showing those meetings, contacts and follow-ups
reads them again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from netplanner.domain.changes import Changes
from netplanner.domain.entities import Contact, Debrief, FollowUp, Meeting, Venue
from netplanner.domain.errors import InputError
from netplanner.domain.localtime import utc_to_local
from netplanner.domain.progress import ProgressSink
from netplanner.gui.operations import OpHost, QueryOp, WriteOp, Written
from netplanner.services.briefing import Briefing, BriefingService
from netplanner.services.debrief import DebriefResult, DebriefService
from netplanner.services.meetings import MeetingService


class ContactReader(Protocol):
    def get(self, contact_id: int, /) -> Contact: ...


class VenueReader(Protocol):
    def get(self, venue_id: int, /) -> Venue: ...


class DebriefServices(Protocol):
    """What the debrief form needs (an ``AppContext`` has it)."""

    @property
    def debriefs(self) -> DebriefService: ...

    @property
    def meetings(self) -> MeetingService: ...

    @property
    def contact_repo(self) -> ContactReader: ...

    @property
    def venue_repo(self) -> VenueReader: ...


class BriefingServices(Protocol):
    """What the briefing view needs: the briefing, and marking a follow-up done."""

    @property
    def briefings(self) -> BriefingService: ...

    @property
    def debriefs(self) -> DebriefService: ...


@dataclass(frozen=True)
class MeetingHeading:
    """The top of the debrief form: who, when (in the meeting's zone) and where."""

    meeting: Meeting
    who: str
    local_start: datetime
    where: str | None


@dataclass(frozen=True)
class DebriefForm:
    """What the form opens with: the meeting, what was recorded, its follow-ups."""

    heading: MeetingHeading
    debrief: Debrief | None
    follow_ups: list[FollowUp] = field(default_factory=list)


def _heading(services: DebriefServices, meeting: Meeting) -> MeetingHeading:
    names = [services.contact_repo.get(cid).name for cid in meeting.contact_ids]
    where = None
    if meeting.venue_id is not None:
        venue = services.venue_repo.get(meeting.venue_id)
        where = ", ".join(part for part in (venue.name, venue.address) if part)
    return MeetingHeading(
        meeting, ", ".join(names), utc_to_local(meeting.start_utc, meeting.tzid), where
    )


def read_debrief(host: OpHost, services: DebriefServices, meeting_id: int) -> QueryOp[DebriefForm]:
    """The meeting, its debrief (None when there is none yet) and its follow-ups."""

    def read(_progress: ProgressSink) -> DebriefForm:
        meeting = services.meetings.get(meeting_id)
        debriefs = services.debriefs
        return DebriefForm(
            _heading(services, meeting), debriefs.get(meeting_id), debriefs.follow_ups(meeting_id)
        )

    return QueryOp(host, "Read the debrief", read)


def save_debrief(
    host: OpHost,
    services: DebriefServices,
    meeting_id: int,
    fields: Mapping[str, object],
    follow_ups: Sequence[tuple[str, date | None]],
) -> WriteOp[DebriefResult]:
    """Record (or update) the debrief; a meeting still to come or cancelled is refused."""

    def write(_progress: ProgressSink) -> Written[DebriefResult]:
        result = services.debriefs.record(meeting_id, fields, follow_ups)
        meeting = result.meeting
        venues = (
            frozenset({meeting.venue_id})
            if meeting.venue_id is not None and fields.get("rating") is not None
            else frozenset()
        )  # a rating moves the venue in the planner's ranking
        changes = Changes(
            contacts=frozenset(meeting.contact_ids),
            meetings=frozenset({meeting_id}),
            venues=venues,
            follow_ups=frozenset(f.id for f in result.follow_ups if f.id is not None),
        )
        return Written(result, changes)

    return WriteOp(host, "Save the debrief", write)


def complete_follow_up(
    host: OpHost, services: DebriefServices | BriefingServices, follow_up_ids: Sequence[int]
) -> WriteOp[list[FollowUp]]:
    """Mark these follow-ups done (one promise kept for each contact of a meeting)."""

    def write(_progress: ProgressSink) -> Written[list[FollowUp]]:
        done = [services.debriefs.complete_follow_up(fid) for fid in follow_up_ids]
        changes = Changes(
            contacts=frozenset(f.contact_id for f in done),
            meetings=frozenset(f.meeting_id for f in done if f.meeting_id is not None),
            follow_ups=frozenset(follow_up_ids),
        )
        return Written(done, changes)

    return WriteOp(host, "Mark the follow-up done", write)


def read_briefing(
    host: OpHost, services: BriefingServices, contact_id: int, now: datetime
) -> QueryOp[Briefing]:
    """Everything worth knowing before meeting this contact, as of ``now``."""

    def read(_progress: ProgressSink) -> Briefing:
        return services.briefings.brief(contact_id, now)

    return QueryOp(host, "Read the briefing", read, latest=f"briefing-{contact_id}")


def save_briefing_pdf(html: str, path: Path) -> Path:
    """Write the briefing's HTML to ``path`` as an A4 PDF; a path that cannot be written fails.

    Runs on the GUI thread (a ``QTextDocument`` lays out with the GUI's fonts); the PDF is
    made in memory first, so an unwritable path fails with one sentence and no Qt warning.
    """
    document = QTextDocument()
    document.setHtml(html)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    # QTextDocument.print_ keeps 2 cm of its own around the text; more would waste the page.
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setTitle("Briefing")
    document.print_(writer)
    del writer  # the PDF is finished when its writer goes
    buffer.close()
    try:
        path.write_bytes(bytes(buffer.data().data()))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"Could not save the PDF to {path}: {reason.lower()}.") from exc
    return path

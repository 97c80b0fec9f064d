"""The rows of the Meetings workspace: built from the services' records without Qt, then shown.

``build_rows`` and ``filter_rows`` are plain functions (run on the read worker and tested
without a window); ``MeetingsModel`` only reflects the rows a filter keeps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from netplanner.domain.entities import Meeting, MeetingStatus, Trip, Venue
from netplanner.domain.localtime import utc_to_local
from netplanner.domain.today import format_meeting_time, zone_city

Index = QModelIndex | QPersistentModelIndex
# What needs the user (status, a debrief due) before where: it stays in view on a narrow window.
HEADERS = ("When", "Your time", "With", "Status", "Debrief", "Venue", "Trip", "Calendar")
WHEN, YOUR_TIME, WITH, STATUS, DEBRIEF, VENUE, TRIP, CALENDAR = range(len(HEADERS))
# English names, not strftime's: Qt sets the C locale from the system (see domain.today).
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DEBRIEF_DUE = "Debrief due"


class StatusFilter(StrEnum):
    """The choices of the Status combo, in its order."""

    ALL = "All"
    UPCOMING = "Upcoming"
    PROPOSED = "Proposed"
    CONFIRMED = "Confirmed"
    PAST = "Past"
    DEBRIEF_DUE = "Debrief due"
    CANCELLED = "Cancelled"


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as the table shows it, with what the actions need to decide."""

    meeting_id: int
    contact_ids: tuple[int, ...]
    names: tuple[str, ...]
    start_utc: datetime
    end_utc: datetime
    tzid: str
    when: str  # "Thu 3 Dec 2026 10:00 London"
    your_time: str  # "11:00", "Wed 2 Dec 23:00", or "" when the clock reads the same
    full_time: str  # "Thu 3 Dec 10:00 in London · 11:00 your time" (Today's wording)
    venue: str
    venue_address: str
    trip_id: int | None
    trip: str
    status: MeetingStatus
    published: bool
    past: bool
    debriefed: bool
    invitation: str = ""
    sequence: int = 0

    @property
    def debrief_due(self) -> bool:
        """Over, not cancelled, and nothing learned written down yet."""
        return self.past and self.status != MeetingStatus.CANCELLED and not self.debriefed

    @property
    def still_on(self) -> bool:
        """Proposed or confirmed: it can still be confirmed, moved or cancelled."""
        return self.status in (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED)

    @property
    def people(self) -> str:
        return ", ".join(self.names) or "Someone"


def _day(moment: datetime, year: bool) -> str:
    text = f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"
    return f"{text} {moment.year}" if year else text


def when_texts(start_utc: datetime, tzid: str, home_tzid: str, now: datetime) -> tuple[str, str]:
    """('Thu 3 Dec 2026 10:00 London', '11:00'): the meeting's clock, then the user's.

    The user's time is left empty when the clock reads the same at home, and carries the
    day when it falls on another one. The year is said when it is not this year's.
    """
    local = utc_to_local(start_utc, tzid)
    home = utc_to_local(start_utc, home_tzid)
    this_year = local.year == now.astimezone(home.tzinfo).year
    when = f"{_day(local, not this_year)} {local:%H:%M} {zone_city(tzid)}"
    if local.replace(tzinfo=None) == home.replace(tzinfo=None):
        return when, ""
    if local.date() == home.date():
        return when, f"{home:%H:%M}"
    return when, f"{_day(home, False)} {home:%H:%M}"


def build_rows(
    meetings: Iterable[Meeting],
    names: Mapping[int, str],
    venues: Mapping[int, Venue],
    trips: Mapping[int, Trip],
    debriefed: set[int] | frozenset[int],
    home_tzid: str,
    now: datetime,
) -> list[MeetingRow]:
    """The rows in table order: upcoming soonest first, then past ones newest first."""
    rows: list[MeetingRow] = []
    for m in meetings:
        if m.id is None:
            continue
        venue = venues.get(m.venue_id) if m.venue_id is not None else None
        trip = trips.get(m.trip_id) if m.trip_id is not None else None
        when, yours = when_texts(m.start_utc, m.tzid, home_tzid, now)
        place = (trip.place_text.split(",")[0] if trip is not None else "") or zone_city(m.tzid)
        rows.append(
            MeetingRow(
                meeting_id=m.id,
                contact_ids=tuple(m.contact_ids),
                names=tuple(names.get(cid, f"Contact {cid}") for cid in m.contact_ids),
                start_utc=m.start_utc,
                end_utc=m.end_utc,
                tzid=m.tzid,
                when=when,
                your_time=yours,
                full_time=format_meeting_time(m.start_utc, m.tzid, home_tzid, place),
                venue=venue.name if venue is not None else "",
                venue_address=(venue.address or "") if venue is not None else "",
                trip_id=m.trip_id,
                trip=trip.name if trip is not None else "",
                status=m.status,
                published=m.caldav_href is not None,
                past=m.end_utc <= now,
                debriefed=m.id in debriefed,
                invitation=m.invitation_text or "",
                sequence=m.sequence,
            )
        )
    upcoming = sorted((r for r in rows if not r.past), key=lambda r: (r.start_utc, r.meeting_id))
    past = sorted((r for r in rows if r.past), key=lambda r: (r.start_utc, r.meeting_id))
    return [*upcoming, *reversed(past)]


def keep(row: MeetingRow, status: StatusFilter, trip_id: int | None = None) -> bool:
    """Whether a row passes the Status and Trip filters."""
    if trip_id is not None and row.trip_id != trip_id:
        return False
    if status == StatusFilter.UPCOMING:
        return not row.past and row.status != MeetingStatus.CANCELLED
    if status == StatusFilter.PROPOSED:
        return row.status == MeetingStatus.PROPOSED
    if status == StatusFilter.CONFIRMED:
        return row.status == MeetingStatus.CONFIRMED
    if status == StatusFilter.PAST:
        return row.past
    if status == StatusFilter.DEBRIEF_DUE:
        return row.debrief_due
    if status == StatusFilter.CANCELLED:
        return row.status == MeetingStatus.CANCELLED
    return True


def filter_rows(
    rows: Sequence[MeetingRow], status: StatusFilter, trip_id: int | None = None
) -> list[MeetingRow]:
    return [r for r in rows if keep(r, status, trip_id)]


def count_text(shown: int, rows: Sequence[MeetingRow]) -> str:
    """'25 meetings: 2 upcoming, 23 past, 3 debriefs due.' or '3 of 25 meetings shown.'"""
    total = len(rows)
    if total == 0:
        return "No meetings."
    if shown != total:
        return f"{shown} of {total} meetings shown."
    upcoming = sum(1 for r in rows if not r.past)
    due = sum(1 for r in rows if r.debrief_due)
    text = (
        f"{total} meeting{'s' if total != 1 else ''}: {upcoming} upcoming, {total - upcoming} past"
    )
    if due:
        text += f", {due} debrief{'s' if due != 1 else ''} due"
    return text + "."


def debrief_text(row: MeetingRow) -> str:
    if row.debrief_due:
        return DEBRIEF_DUE
    return "Debriefed" if row.debriefed else ""


class MeetingsModel(QAbstractTableModel):
    """The filtered rows; past meetings are greyed with ``grey``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MeetingRow] = []
        self.grey: QColor | None = None

    def set_rows(self, rows: Sequence[MeetingRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[MeetingRow]:
        return list(self._rows)

    def row_at(self, row: int) -> MeetingRow:
        return self._rows[row]

    def row_of(self, meeting_id: int | None) -> int:
        for n, r in enumerate(self._rows):
            if r.meeting_id == meeting_id:
                return n
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (WHEN, YOUR_TIME):
                return r.full_time
            if column == VENUE and r.venue_address:
                return r.venue_address
            if column == DEBRIEF and r.debrief_due:
                return "The meeting is over: write down what you learned (Debrief…)."
            return None
        if role == Qt.ItemDataRole.ForegroundRole and r.past and self.grey is not None:
            return self.grey
        return None

    @staticmethod
    def _text(r: MeetingRow, column: int) -> str:
        if column == WHEN:
            return r.when
        if column == YOUR_TIME:
            return r.your_time
        if column == WITH:
            return r.people
        if column == VENUE:
            return r.venue
        if column == TRIP:
            return r.trip
        if column == STATUS:
            return r.status.value
        if column == DEBRIEF:
            return debrief_text(r)
        return "Published" if r.published else "Not published"

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

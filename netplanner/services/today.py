"""What needs the user today: meetings to come, debriefs and follow-ups due, people overdue.

The report is read in a handful of set queries whatever the size of the network. Who is
overdue nearby comes from the planner's own ranking (``PlanningService.suggest``), so Today
and ``netplanner suggest`` never disagree on whom to see or why.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from netplanner.domain.entities import Trip, UserLocation
from netplanner.domain.ranking import describe_ago
from netplanner.domain.today import (
    DebriefDue,
    FollowUpDue,
    MeetingRef,
    OverdueConnection,
    TodayReport,
    UpcomingMeeting,
    describe_due,
    format_meeting_time,
    is_overdue,
    meeting_place,
)
from netplanner.services.planning import (
    DEFAULT_RADIUS_KM,
    PlanningService,
    SuggestionRequest,
    short_place,
)
from netplanner.storage.repositories import NetworkRepository
from netplanner.storage.repositories.today_queries import TodayQueryRepository
from netplanner.storage.repositories.user_locations import UserLocationRepository

UPCOMING_DAYS = 14
OVERDUE_LIMIT = 10
HOME_LABEL = "your home"


def trip_on(trips: list[Trip], now: datetime) -> Trip | None:
    """The trip whose dates, in its own zone, include the day of ``now``; the latest begun."""

    def local_day(trip: Trip) -> date:
        return now.astimezone(ZoneInfo(trip.timezone)).date()

    current = [t for t in trips if t.start_date <= local_day(t) <= t.end_date]
    return max(current, key=lambda t: (t.start_date, t.id or 0), default=None)


class TodayService:
    """Builds the Today report from the repositories and the planner."""

    def __init__(
        self,
        queries: TodayQueryRepository,
        planner: PlanningService,
        locations: UserLocationRepository,
        network: NetworkRepository,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.queries = queries
        self.planner = planner
        self.locations = locations
        self.network = network
        self.clock = clock

    def report(self, now: datetime | None = None) -> TodayReport:
        """What needs the user at ``now`` (UTC-aware; the current time by default)."""
        now = now or self.clock()
        if now.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; give a tz-aware UTC value")
        now = now.astimezone(UTC)
        home = self.locations.get("home")
        home_tzid = (home.timezone if home is not None else None) or "UTC"
        today = now.astimezone(ZoneInfo(home_tzid)).date()
        trips = self.planner.list_trips()

        upcoming = tuple(
            self._upcoming(m, home_tzid)
            for m in self.queries.meetings_between(now, now + timedelta(days=UPCOMING_DAYS))
        )
        debriefs = tuple(
            self._debrief_due(m, today, home_tzid) for m in self.queries.undebriefed_before(now)
        )
        follow_ups = tuple(
            FollowUpDue(
                follow_up_id=f.follow_up_id,
                contact_id=f.contact_id,
                contact_name=f.contact_name,
                meeting_id=f.meeting_id,
                text=f.text,
                due=f.due,
                days_overdue=(today - f.due).days,
                due_words=describe_due(f.due, today),
            )
            for f in self.queries.open_follow_ups_due(today)
        )
        booked = frozenset(c.id for m in upcoming for c in m.contacts)
        trip = trip_on(trips, now)
        overdue, near_label = self._overdue_nearby(home, trip, today, booked)
        return TodayReport(
            today=today,
            home_tzid=home_tzid,
            upcoming=upcoming,
            debriefs_due=debriefs,
            follow_ups_due=follow_ups,
            overdue_nearby=overdue,
            near_label=near_label,
            near_trip_id=trip.id if trip is not None else None,
            has_contacts=self.network.has_contacts(),
            has_home=home is not None,
            has_trips=any(t.end_date >= today for t in trips),
        )

    @staticmethod
    def _upcoming(meeting: MeetingRef, home_tzid: str) -> UpcomingMeeting:
        place = meeting_place(meeting)
        return UpcomingMeeting(
            meeting_id=meeting.meeting_id,
            contacts=meeting.contacts,
            venue_id=meeting.venue_id,
            venue_name=meeting.venue_name,
            trip_id=meeting.trip_id,
            start_utc=meeting.start_utc,
            end_utc=meeting.end_utc,
            tzid=meeting.tzid,
            home_tzid=home_tzid,
            status=meeting.status,
            place=place,
            when=format_meeting_time(meeting.start_utc, meeting.tzid, home_tzid, place),
        )

    @staticmethod
    def _debrief_due(meeting: MeetingRef, today: date, home_tzid: str) -> DebriefDue:
        # Days are counted on the user's calendar: last night's meeting was "1 day ago".
        ended = meeting.end_utc.astimezone(ZoneInfo(home_tzid)).date()
        days = (today - ended).days
        return DebriefDue(
            meeting_id=meeting.meeting_id,
            contacts=meeting.contacts,
            venue_id=meeting.venue_id,
            venue_name=meeting.venue_name,
            start_utc=meeting.start_utc,
            end_utc=meeting.end_utc,
            tzid=meeting.tzid,
            days_ago=days,
            ago=describe_ago(days),
        )

    def _overdue_nearby(
        self, home: UserLocation | None, trip: Trip | None, today: date, booked: frozenset[int]
    ) -> tuple[tuple[OverdueConnection, ...], str | None]:
        """Up to ten lapsed connections near the trip the user is on, else near home."""
        planner = self._planner_on(today)
        if trip is not None and trip.id is not None:
            request = planner.request_for_trip(trip.id)
            label = f"on your trip {trip.name}"
        elif home is not None:
            request = SuggestionRequest(
                lat=home.lat,
                lon=home.lon,
                start=today,
                end=today + timedelta(days=UPCOMING_DAYS - 1),
                tzid=home.timezone or "UTC",
                label=HOME_LABEL,
                booked_label="the next two weeks",
            )
            label = f"near your home in {short_place(home.text)}"
        else:
            return (), None
        found: list[OverdueConnection] = []
        # Everyone nearby is ranked, then the lapsed kept, so the order is the planner's.
        for s in planner.suggest(request, radius_km=DEFAULT_RADIUS_KM, limit=None):
            if s.contact.id in booked or not is_overdue(s.contact, today):
                continue
            found.append(
                OverdueConnection(
                    contact_id=s.contact.id,
                    name=s.contact.name,
                    company=s.contact.company,
                    location_text=s.contact.location_text,
                    distance_km=s.distance_km,
                    score=s.score,
                    reasons=s.reasons,
                    last_met=s.contact.last_met,
                    cadence_days=s.contact.cadence_days,
                )
            )
            if len(found) == OVERDUE_LIMIT:
                break
        return tuple(found), label

    def _planner_on(self, day: date) -> PlanningService:
        """The planner with its clock on ``day``, so a report for another moment ranks as of it.

        A shallow copy shares the planner's repositories and settings; only the day differs.
        """
        planner = copy.copy(self.planner)
        planner.today = lambda: day
        return planner

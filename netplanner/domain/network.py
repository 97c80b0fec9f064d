"""A whole network as plain data: what the demo builds and a JSON export carries.

Ids inside a snapshot are local references between its parts (a meeting's contact ids,
a debrief's meeting id); storing it gives everything new ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netplanner.domain.entities import (
    ConnectionCriteria,
    Contact,
    Debrief,
    FollowUp,
    Meeting,
    TargetCompany,
    Trip,
    UserLocation,
    Venue,
)


@dataclass
class NetworkSnapshot:
    contacts: list[Contact] = field(default_factory=list)
    venues: list[Venue] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    debriefs: list[Debrief] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    target_companies: list[TargetCompany] = field(default_factory=list)
    user_locations: list[UserLocation] = field(default_factory=list)
    criteria: ConnectionCriteria | None = None

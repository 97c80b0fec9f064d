"""Repositories: one session per unit of work, domain dataclasses in and out."""

from netplanner.storage.repositories.contacts import ContactRepository
from netplanner.storage.repositories.network import NetworkRepository
from netplanner.storage.repositories.records import (
    DebriefRepository,
    FollowUpRepository,
    MeetingRepository,
    TripRepository,
    VenueRepository,
)

__all__ = [
    "ContactRepository",
    "DebriefRepository",
    "FollowUpRepository",
    "MeetingRepository",
    "NetworkRepository",
    "TripRepository",
    "VenueRepository",
]

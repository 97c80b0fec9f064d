"""The application context: settings, database, repositories and services, built on first use.

Nothing here opens the database until something asks for it, so ``--version`` and usage
errors stay instant and never touch the user's data. The GUI and the command line both
work through it. Services read the settings through the context's one provider when
they use them, so ``update_settings`` reaches services built before it.
"""

from __future__ import annotations

import logging
import os
from functools import cached_property
from typing import TYPE_CHECKING

from netplanner.paths import DB_URL_ENV, AppPaths, check_data_dir, resolve_paths
from netplanner.services.backups import BackupService, retention_of
from netplanner.services.briefing import BriefingService
from netplanner.services.caldav import CalDAVService, password_from_keyring
from netplanner.services.calendar_ics import CalendarService
from netplanner.services.contacts import ContactService
from netplanner.services.criteria import CriteriaService
from netplanner.services.debrief import DebriefService
from netplanner.services.demo import DemoService
from netplanner.services.geocoding.gazetteer import OfflineGazetteer
from netplanner.services.geocoding.service import GeocodingService
from netplanner.services.importers import ImportService
from netplanner.services.invitation_decisions import InvitationDecisionService
from netplanner.services.invitations import InvitationService
from netplanner.services.locations import LocationService
from netplanner.services.meetings import MeetingService
from netplanner.services.planning import DeferredLocator, PlanningService
from netplanner.services.venues import VenueFinder
from netplanner.settings import Settings, SettingsProvider, load_settings, save_settings
from netplanner.storage.database import Database, open_database, sqlite_file_of
from netplanner.storage.repositories import (
    ContactRepository,
    DebriefRepository,
    FollowUpRepository,
    MeetingRepository,
    NetworkRepository,
    TripRepository,
    VenueRepository,
)
from netplanner.storage.repositories.criteria import CriteriaRepository
from netplanner.storage.repositories.geo_queries import GeoQueryRepository
from netplanner.storage.repositories.imports import ImportRepository
from netplanner.storage.repositories.invitations import InvitationRepository
from netplanner.storage.repositories.meeting_records import MeetingRecordRepository
from netplanner.storage.repositories.places import PlaceRepository
from netplanner.storage.repositories.planning_inputs import PlanningInputRepository
from netplanner.storage.repositories.stored_values import StoredValueRepository
from netplanner.storage.repositories.targets import TargetCompanyRepository
from netplanner.storage.repositories.user_locations import UserLocationRepository

if TYPE_CHECKING:
    from netplanner.services.timeline import TimelineService
    from netplanner.services.today import TodayService

log = logging.getLogger(__name__)

DEMO_DATABASE = "demo.sqlite"


class AppContext:
    """Everything a command or a window needs, built on first use.

    ``settings`` may be a provider to share with another context (the demo network's
    window follows the same settings as the user's own).
    """

    def __init__(
        self,
        paths: AppPaths,
        db_url: str,
        settings: Settings | SettingsProvider | None = None,
    ) -> None:
        self.paths = paths
        self.db_url = db_url
        if isinstance(settings, SettingsProvider):
            self.settings_provider = settings
        else:
            self.settings_provider = SettingsProvider(settings)
        self.caldav_password: str | None = None  # asked for, never stored

    def __repr__(self) -> str:
        return f"AppContext(paths={self.paths!r}, db_url={self.db_url!r})"

    @property
    def settings(self) -> Settings:
        """The settings in force now; assigning replaces them for every service."""
        return self.settings_provider.current()

    @settings.setter
    def settings(self, new: Settings) -> None:
        self.settings_provider.replace(new)

    def update_settings(self, new: Settings) -> None:
        """Make ``new`` the settings of every service, built or not, and save them."""
        self.settings_provider.replace(new)
        self.save_settings()

    def save_settings(self) -> None:
        save_settings(self.settings, self.paths.settings_file)

    @cached_property
    def db(self) -> Database:
        if self.db_url.startswith("sqlite:///") and self.db_url != "sqlite:///:memory:":
            check_data_dir(self.paths.data_dir)
        backups = self.settings.backups
        return open_database(
            self.db_url,
            backup_dir=self.paths.backup_dir,
            retention=retention_of(self.settings),
            backup_before_migration=backups.before_migration,
        )

    @cached_property
    def backups(self) -> BackupService:
        """Backups of the database file: made, thinned, checked, restored (never opens the db)."""
        return BackupService(
            sqlite_file_of(self.db_url), self.paths.backup_dir, self.settings_provider
        )

    @cached_property
    def stored_values(self) -> StoredValueRepository:
        """Stored values other commands cannot use (for ``check``)."""
        return StoredValueRepository(self.db)

    # Repositories -----------------------------------------------------------------------
    @cached_property
    def contact_repo(self) -> ContactRepository:
        return ContactRepository(self.db)

    @cached_property
    def trip_repo(self) -> TripRepository:
        return TripRepository(self.db)

    @cached_property
    def venue_repo(self) -> VenueRepository:
        return VenueRepository(self.db)

    @cached_property
    def meeting_repo(self) -> MeetingRepository:
        return MeetingRepository(self.db)

    @cached_property
    def debrief_repo(self) -> DebriefRepository:
        return DebriefRepository(self.db)

    @cached_property
    def follow_up_repo(self) -> FollowUpRepository:
        return FollowUpRepository(self.db)

    @cached_property
    def network_repo(self) -> NetworkRepository:
        return NetworkRepository(self.db)

    # Services ---------------------------------------------------------------------------
    @cached_property
    def contacts(self) -> ContactService:
        return ContactService(self.contact_repo)

    @cached_property
    def demo(self) -> DemoService:
        return DemoService(self.network_repo)

    # Meetings, calendar, debriefs, briefings, criteria (issue 6) --------------------------
    @cached_property
    def meeting_records(self) -> MeetingRecordRepository:
        return MeetingRecordRepository(self.db)

    @cached_property
    def meetings(self) -> MeetingService:
        return MeetingService(
            self.meeting_repo,
            self.meeting_records,
            self.contact_repo,
            self.venue_repo,
            self.trip_repo,
        )

    @cached_property
    def briefings(self) -> BriefingService:
        return BriefingService(
            self.contact_repo, self.meeting_repo, self.venue_repo, self.debrief_repo,
            self.follow_up_repo,
        )  # fmt: skip

    @cached_property
    def calendar(self) -> CalendarService:
        return CalendarService(
            self.meeting_repo, self.contact_repo, self.venue_repo, self.trip_repo,
            self.meeting_records, self.briefings, self.settings_provider,
            locator=lambda: self.locator,
        )  # fmt: skip

    @cached_property
    def debriefs(self) -> DebriefService:
        return DebriefService(
            self.meeting_repo, self.debrief_repo, self.meeting_records, self.follow_up_repo
        )

    @cached_property
    def criteria(self) -> CriteriaService:
        return CriteriaService(
            CriteriaRepository(self.db), TargetCompanyRepository(self.db),
            InvitationRepository(self.db), self.contact_repo,
        )  # fmt: skip

    @cached_property
    def invitation_decisions(self) -> InvitationDecisionService:
        """Accepting and ignoring invitations, and adding their senders as contacts."""
        return InvitationDecisionService(InvitationRepository(self.db), self.criteria)

    @cached_property
    def caldav(self) -> CalDAVService:
        """CalDAV publishing; the password is ``caldav_password`` if asked, else the keyring's."""
        return CalDAVService(
            self.settings_provider, self.meetings, self.calendar,
            password=lambda: self.caldav_password or password_from_keyring(self.settings.caldav),
        )  # fmt: skip

    @cached_property
    def locator(self) -> OfflineGazetteer:
        """The offline gazetteer (no network); opened on first use."""
        from netplanner.paths import resource

        return OfflineGazetteer(resource("gazetteer.sqlite"))

    @cached_property
    def place_repo(self) -> PlaceRepository:
        return PlaceRepository(self.db)

    @cached_property
    def geocoding(self) -> GeocodingService:
        """Geocoding contacts; the gazetteer is opened only when a lookup needs it."""
        return GeocodingService(
            self.contact_repo, self.place_repo, lambda: self.locator, self.settings_provider
        )

    # Planning (issue 5) -----------------------------------------------------------------
    @cached_property
    def planner(self) -> PlanningService:
        return PlanningService(
            DeferredLocator(lambda: self.locator),
            GeoQueryRepository(self.db),
            self.trip_repo,
            PlanningInputRepository(self.db),
            self.settings_provider,
        )

    @cached_property
    def venue_finder(self) -> VenueFinder:
        return VenueFinder(
            GeoQueryRepository(self.db),
            PlanningInputRepository(self.db),
            DeferredLocator(lambda: self.locator),
            self.settings_provider,
            self.paths.cache_dir,
        )

    @cached_property
    def locations(self) -> LocationService:
        return LocationService(
            UserLocationRepository(self.db), DeferredLocator(lambda: self.locator)
        )

    @cached_property
    def invitations(self) -> InvitationService:
        return InvitationService(self.settings_provider, self.meeting_repo, self.debrief_repo)

    @cached_property
    def timeline(self) -> TimelineService:
        from netplanner.services.timeline import TimelineService

        return TimelineService(self.meeting_repo, self.debrief_repo, self.follow_up_repo)

    @cached_property
    def importer(self) -> ImportService:
        # Every import that writes is preceded by a backup (settings: backups.before_import).
        return ImportService(ImportRepository(self.db), before_write=self.backups.before_import)

    @cached_property
    def today(self) -> TodayService:
        """What needs the user today (the window's first workspace)."""
        from netplanner.services.today import TodayService
        from netplanner.storage.repositories.today_queries import TodayQueryRepository

        return TodayService(
            TodayQueryRepository(self.db), self.planner, UserLocationRepository(self.db),
            self.network_repo,
        )  # fmt: skip

    def close(self) -> None:
        if "db" in self.__dict__:
            self.db.dispose()


def build_context(
    data_dir: str | os.PathLike[str] | None = None,
    db_url: str | None = None,
    demo: bool = False,
) -> AppContext:
    """The app's context for these options; ``demo`` uses a separate demo database."""
    paths = resolve_paths(data_dir)
    if demo:
        url = f"sqlite:///{paths.data_dir / DEMO_DATABASE}"
    else:
        url = db_url or os.environ.get(DB_URL_ENV) or paths.database_url()
    settings = load_settings(paths.settings_file)
    return AppContext(paths=paths, db_url=url, settings=settings)

"""The application context: settings, database, repositories and services, built on first use.

Nothing here opens the database until something asks for it, so ``--version`` and usage
errors stay instant and never touch the user's data. The GUI and the command line both
work through it. Services read the settings through the context's one provider when
they use them, so ``update_settings`` reaches services built before it.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import cached_property
from typing import TYPE_CHECKING

from netplanner.paths import DB_URL_ENV, AppPaths, check_data_dir, resolve_paths
from netplanner.settings import Settings, SettingsProvider, load_settings, save_settings

if TYPE_CHECKING:
    from netplanner.services.backups import BackupService
    from netplanner.services.briefing import BriefingService
    from netplanner.services.caldav import CalDAVService
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
    from netplanner.services.planning import PlanningService
    from netplanner.services.timeline import TimelineService
    from netplanner.services.today import TodayService
    from netplanner.services.venues import VenueFinder
    from netplanner.storage.database import Database
    from netplanner.storage.repositories import (
        ContactRepository,
        DebriefRepository,
        FollowUpRepository,
        MeetingRepository,
        NetworkRepository,
        TripRepository,
        VenueRepository,
    )
    from netplanner.storage.repositories.meeting_records import MeetingRecordRepository
    from netplanner.storage.repositories.places import PlaceRepository
    from netplanner.storage.repositories.stored_values import StoredValueRepository

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
        self._db: Database | None = None
        self._opening = threading.Lock()

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

    @property
    def db(self) -> Database:
        """The database, opened (and migrated) on first use by whichever thread asks first.

        The window paints its first table before the database is opened and opens it on a
        worker; the lock makes a second worker asking meanwhile wait for that one opening.
        """
        opened = self._db
        if opened is None:
            with self._opening:
                if self._db is None:
                    self._db = self._open_database()
                opened = self._db
        return opened

    @property
    def database_open(self) -> bool:
        return self._db is not None

    def _open_database(self) -> Database:
        from netplanner.services.backups import retention_of
        from netplanner.storage.database import open_database

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
        from netplanner.services.backups import BackupService
        from netplanner.storage.sqlite_files import sqlite_file_of

        return BackupService(
            sqlite_file_of(self.db_url), self.paths.backup_dir, self.settings_provider
        )

    @cached_property
    def stored_values(self) -> StoredValueRepository:
        """Stored values other commands cannot use (for ``check``)."""
        from netplanner.storage.repositories.stored_values import StoredValueRepository

        return StoredValueRepository(self.db)

    # Repositories -----------------------------------------------------------------------
    @cached_property
    def contact_repo(self) -> ContactRepository:
        from netplanner.storage.repositories import ContactRepository

        return ContactRepository(self.db)

    @cached_property
    def trip_repo(self) -> TripRepository:
        from netplanner.storage.repositories import TripRepository

        return TripRepository(self.db)

    @cached_property
    def venue_repo(self) -> VenueRepository:
        from netplanner.storage.repositories import VenueRepository

        return VenueRepository(self.db)

    @cached_property
    def meeting_repo(self) -> MeetingRepository:
        from netplanner.storage.repositories import MeetingRepository

        return MeetingRepository(self.db)

    @cached_property
    def debrief_repo(self) -> DebriefRepository:
        from netplanner.storage.repositories import DebriefRepository

        return DebriefRepository(self.db)

    @cached_property
    def follow_up_repo(self) -> FollowUpRepository:
        from netplanner.storage.repositories import FollowUpRepository

        return FollowUpRepository(self.db)

    @cached_property
    def network_repo(self) -> NetworkRepository:
        from netplanner.storage.repositories import NetworkRepository

        return NetworkRepository(self.db)

    # Services ---------------------------------------------------------------------------
    @cached_property
    def contacts(self) -> ContactService:
        from netplanner.services.contacts import ContactService

        return ContactService(self.contact_repo)

    @cached_property
    def demo(self) -> DemoService:
        from netplanner.services.demo import DemoService

        return DemoService(self.network_repo)

    # Meetings, calendar, debriefs, briefings, criteria (issue 6) --------------------------
    @cached_property
    def meeting_records(self) -> MeetingRecordRepository:
        from netplanner.storage.repositories.meeting_records import MeetingRecordRepository

        return MeetingRecordRepository(self.db)

    @cached_property
    def meetings(self) -> MeetingService:
        from netplanner.services.meetings import MeetingService

        return MeetingService(
            self.meeting_repo,
            self.meeting_records,
            self.contact_repo,
            self.venue_repo,
            self.trip_repo,
        )

    @cached_property
    def briefings(self) -> BriefingService:
        from netplanner.services.briefing import BriefingService

        return BriefingService(
            self.contact_repo, self.meeting_repo, self.venue_repo, self.debrief_repo,
            self.follow_up_repo,
        )  # fmt: skip

    @cached_property
    def calendar(self) -> CalendarService:
        from netplanner.services.calendar_ics import CalendarService

        return CalendarService(
            self.meeting_repo, self.contact_repo, self.venue_repo, self.trip_repo,
            self.meeting_records, self.briefings, self.settings_provider,
            locator=lambda: self.locator,
        )  # fmt: skip

    @cached_property
    def debriefs(self) -> DebriefService:
        from netplanner.services.debrief import DebriefService

        return DebriefService(
            self.meeting_repo, self.debrief_repo, self.meeting_records, self.follow_up_repo
        )

    @cached_property
    def criteria(self) -> CriteriaService:
        from netplanner.services.criteria import CriteriaService
        from netplanner.storage.repositories.criteria import CriteriaRepository
        from netplanner.storage.repositories.invitations import InvitationRepository
        from netplanner.storage.repositories.targets import TargetCompanyRepository

        return CriteriaService(
            CriteriaRepository(self.db), TargetCompanyRepository(self.db),
            InvitationRepository(self.db), self.contact_repo,
        )  # fmt: skip

    @cached_property
    def invitation_decisions(self) -> InvitationDecisionService:
        """Accepting and ignoring invitations, and adding their senders as contacts."""
        from netplanner.services.invitation_decisions import InvitationDecisionService
        from netplanner.storage.repositories.invitations import InvitationRepository

        return InvitationDecisionService(InvitationRepository(self.db), self.criteria)

    @cached_property
    def caldav(self) -> CalDAVService:
        """CalDAV publishing; the password is ``caldav_password`` if asked, else the keyring's."""
        from netplanner.services.caldav import CalDAVService, password_from_keyring

        return CalDAVService(
            self.settings_provider, self.meetings, self.calendar,
            password=lambda: self.caldav_password or password_from_keyring(self.settings.caldav),
        )  # fmt: skip

    @cached_property
    def locator(self) -> OfflineGazetteer:
        """The offline gazetteer (no network); opened on first use."""
        from netplanner.paths import resource
        from netplanner.services.geocoding.gazetteer import OfflineGazetteer

        return OfflineGazetteer(resource("gazetteer.sqlite"))

    @cached_property
    def place_repo(self) -> PlaceRepository:
        from netplanner.storage.repositories.places import PlaceRepository

        return PlaceRepository(self.db)

    @cached_property
    def geocoding(self) -> GeocodingService:
        """Geocoding contacts; the gazetteer is opened only when a lookup needs it."""
        from netplanner.services.geocoding.service import GeocodingService

        return GeocodingService(
            self.contact_repo, self.place_repo, lambda: self.locator, self.settings_provider
        )

    # Planning (issue 5) -----------------------------------------------------------------
    @cached_property
    def planner(self) -> PlanningService:
        from netplanner.services.planning import DeferredLocator, PlanningService
        from netplanner.storage.repositories.geo_queries import GeoQueryRepository
        from netplanner.storage.repositories.planning_inputs import PlanningInputRepository

        return PlanningService(
            DeferredLocator(lambda: self.locator),
            GeoQueryRepository(self.db),
            self.trip_repo,
            PlanningInputRepository(self.db),
            self.settings_provider,
        )

    @cached_property
    def venue_finder(self) -> VenueFinder:
        from netplanner.services.planning import DeferredLocator
        from netplanner.services.venues import VenueFinder
        from netplanner.storage.repositories.geo_queries import GeoQueryRepository
        from netplanner.storage.repositories.planning_inputs import PlanningInputRepository

        return VenueFinder(
            GeoQueryRepository(self.db),
            PlanningInputRepository(self.db),
            DeferredLocator(lambda: self.locator),
            self.settings_provider,
            self.paths.cache_dir,
        )

    @cached_property
    def locations(self) -> LocationService:
        from netplanner.services.locations import LocationService
        from netplanner.services.planning import DeferredLocator
        from netplanner.storage.repositories.user_locations import UserLocationRepository

        return LocationService(
            UserLocationRepository(self.db), DeferredLocator(lambda: self.locator)
        )

    @cached_property
    def invitations(self) -> InvitationService:
        from netplanner.services.invitations import InvitationService

        return InvitationService(self.settings_provider, self.meeting_repo, self.debrief_repo)

    @cached_property
    def timeline(self) -> TimelineService:
        from netplanner.services.timeline import TimelineService

        return TimelineService(self.meeting_repo, self.debrief_repo, self.follow_up_repo)

    @cached_property
    def importer(self) -> ImportService:
        from netplanner.services.importers import ImportService
        from netplanner.storage.repositories.imports import ImportRepository

        # Every import that writes is preceded by a backup (settings: backups.before_import).
        return ImportService(ImportRepository(self.db), before_write=self.backups.before_import)

    @cached_property
    def today(self) -> TodayService:
        """What needs the user today (the window's first workspace)."""
        from netplanner.services.today import TodayService
        from netplanner.storage.repositories.today_queries import TodayQueryRepository
        from netplanner.storage.repositories.user_locations import UserLocationRepository

        return TodayService(
            TodayQueryRepository(self.db), self.planner, UserLocationRepository(self.db),
            self.network_repo,
        )  # fmt: skip

    def close(self) -> None:
        with self._opening:
            if self._db is not None:
                self._db.dispose()


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

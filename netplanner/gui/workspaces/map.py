"""The Map workspace: the whole network on the world map, following the Contacts filter.

Type "engineer" in Contacts and the map shows where the engineers are. A click on a point
or a cluster lists those contacts beside the map; Open shows one in Contacts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.models.contact_filter import ContactFilter
from netplanner.gui.models.contacts_model import haystack, matches
from netplanner.gui.operations.contacts import ContactList, ContactServices, load_contact_list
from netplanner.gui.operations.map_labels import labels_from
from netplanner.gui.widgets.location_edit import PlaceLookup
from netplanner.gui.widgets.map_view import MapPoint, MapView
from netplanner.gui.workspaces.base import Workspace, WorkspaceHost

IdRole = Qt.ItemDataRole.UserRole + 12
LISTED = 200  # a cluster of more is listed by its first 200, largest first by name


class MapHost(WorkspaceHost, Protocol):
    def lookup(self) -> PlaceLookup | None: ...


class MapWorkspace(Workspace):
    """Who is where, across the whole network."""

    key = "map"
    title = "Map"
    number = 5

    def __init__(
        self,
        host: MapHost,
        services: ContactServices,
        contact_filter: ContactFilter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(host, parent)
        self.services = services
        self.filter = contact_filter
        self.contacts: list[ContactSummary] = []
        self._hay: list[str] = []
        self.map = MapView(labels_from(host.lookup), self)
        self.map.point_clicked.connect(lambda contact_id: self.list_contacts([contact_id]))
        self.map.cluster_clicked.connect(self.list_contacts)
        self.map.view_changed.connect(self._show_count)
        self.count = QLabel(self)
        self.count.setObjectName("map-count")
        self.following = QLabel(self)
        self.following.setObjectName("map-filter")
        self.following.setWordWrap(True)
        self.listed = QListWidget(self)
        self.listed.setObjectName("map-listed")
        self.listed.setAccessibleName("Contacts here")
        self.listed.itemActivated.connect(lambda _i: self.open_selected())
        self.listed_heading = QLabel("<b>Contacts here</b>", self)
        self.listed_heading.setBuddy(self.listed)
        self.listed_hint = QLabel("Click a point or a cluster to list its contacts.", self)
        self.listed_hint.setWordWrap(True)
        self.listed_hint.setEnabled(False)
        self.open_button = QPushButton("Open contact", self)
        self.open_button.setObjectName("map-open-contact")
        self.open_button.setAccessibleName("Open the listed contact")
        self.open_button.clicked.connect(self.open_selected)
        self.world_button = QPushButton("Whole world", self)
        self.world_button.setObjectName("map-world")
        self.world_button.clicked.connect(self.map.show_world)
        side = QWidget(self)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.count)
        column.addWidget(self.following)
        column.addSpacing(8)
        column.addWidget(self.listed_heading)
        column.addWidget(self.listed, 1)
        column.addWidget(self.listed_hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.world_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        column.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("map-splitter")
        self.splitter.setAccessibleName("Map and contacts here")
        self.splitter.addWidget(self.map)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([900, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.splitter)
        # Typed in Contacts while this page is hidden: followed when it is shown, as at
        # 30,000 contacts matching and placing the points would slow every keystroke.
        self._filter_followed = True
        self.filter.on_change(lambda _text: self._follow_filter())
        self.reload()

    # The workspace frame ---------------------------------------------------------------
    def set_services(self, services: ContactServices) -> None:
        self.services = services
        self.contacts, self._hay = [], []
        self.reload()

    def on_changes(self, changes: Changes) -> None:
        if changes.everything or changes.contacts or changes.settings:
            self.reload_when_shown()  # the whole network is read again

    def activated(self) -> None:
        self.show_if_stale()
        self.map.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._filter_followed:
            self._show_points()

    def _follow_filter(self) -> None:
        if self.isVisible():
            self._show_points()
        else:
            self._filter_followed = False

    # Reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        services = self.services
        load_contact_list(self.host, services).success(
            lambda listing: self._show_list(listing) if services is self.services else None
        ).run()

    def _show_list(self, listing: ContactList) -> None:
        self.contacts = [c for c in listing.contacts if c.has_coordinates]
        self._hay = [haystack(c) for c in self.contacts]
        self.map.set_units(listing.units)
        self._show_points()

    def matching(self) -> list[ContactSummary]:
        """The located contacts the Contacts filter lets through (every word, as the table)."""
        words = self.filter.words
        return [c for c, hay in zip(self.contacts, self._hay, strict=True) if matches(hay, words)]

    def _show_points(self) -> None:
        self._filter_followed = True
        shown = self.matching()
        self.map.set_points(
            [MapPoint(c.id, c.lat or 0.0, c.lon or 0.0, None, c.name) for c in shown]
        )
        text = self.filter.text.strip()
        self.following.setText(
            f"Following the Contacts filter “{text}”: {len(shown):,} contacts."
            if text
            else f"All {len(shown):,} located contacts. Type in the Contacts filter to narrow."
        )
        self._show_count()

    def _show_count(self) -> None:
        count = self.map.visible_count()
        self.count.setText(f"{count:,} contact{'s' if count != 1 else ''} in this view")
        self.count.setAccessibleName(self.count.text())

    # Listing what was clicked ----------------------------------------------------------
    def list_contacts(self, ids: Sequence[int]) -> None:
        wanted = set(ids)
        found = sorted((c for c in self.contacts if c.id in wanted), key=lambda c: c.name)
        self.listed.clear()
        for contact in found[:LISTED]:
            where = f" · {contact.location_text}" if contact.location_text else ""
            item = QListWidgetItem(f"{contact.name}{where}", self.listed)
            item.setData(IdRole, contact.id)
        if len(found) > LISTED:
            self.listed_hint.setText(f"The first {LISTED} of {len(found):,}; zoom in for more.")
        else:
            self.listed_hint.setText(f"{len(found):,} here.")
        if found:
            self.listed.setCurrentRow(0)

    def open_selected(self) -> None:
        items = self.listed.selectedItems() or [self.listed.currentItem()]
        if items and items[0] is not None:
            self.host.open_contact(int(items[0].data(IdRole)))

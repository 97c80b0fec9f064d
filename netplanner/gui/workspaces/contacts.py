"""The Contacts workspace: which contacts, a filter box, the table and the detail panel.

Every read (the list, the selected contact with its timeline, the contacts a change names)
runs as a query off the GUI thread; every write is an operation whose changes come back
through ``on_changes``, however it was made.
"""

from __future__ import annotations

import dataclasses
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.domain.entities import Contact
from netplanner.domain.places import PlaceMatch
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.models.contact_filter import ContactFilter
from netplanner.gui.models.contacts_model import HEADERS, ContactTableModel
from netplanner.gui.operations.contacts import (
    BULK_CHANGE,
    ChangedContacts,
    ContactDetail,
    ContactList,
    ContactServices,
    load_contact_list,
    make_searchable,
    read_changed_contacts,
    read_contact_detail,
    read_misfits,
    set_location,
)
from netplanner.gui.operations.places import completer_for
from netplanner.gui.undo import DeleteContactsCommand, EditContactCommand
from netplanner.gui.views.contact_detail import ContactDetailPanel
from netplanner.gui.views.welcome_view import WelcomeView
from netplanner.gui.widgets.choice import ChoiceBar
from netplanner.gui.widgets.location_edit import PlaceLookup
from netplanner.gui.widgets.tables import record_table
from netplanner.gui.widgets.text_table import PlainTextTableView, SelectionAwareHeader
from netplanner.gui.workspaces.base import Workspace, WorkspaceHost

# Until the user resizes them: the short columns get what their widest value needs, and the
# text columns share the rest in these proportions.
TEXT_SHARES = {0: 0.28, 1: 0.24, 2: 0.26, 3: 0.22}
SAMPLES = {4: "20,000 km", 5: "2026-12-31", 6: "Relationship"}
ALL_CONTACTS, INBOX, MISFITS = range(3)
EMPTY_PAGE, TABLE_PAGE = range(2)

if TYPE_CHECKING:
    from netplanner.services.timeline import TimelineEntry


class ContactsHost(WorkspaceHost, Protocol):
    """The window as Contacts needs it: also the ways in for an empty database."""

    def choose_import_files(self) -> None: ...

    def explore_demo(self) -> None: ...


class ContactsWorkspace(Workspace):
    """Finds, reads and edits contacts; every change goes through an operation.

    Attributes:
        counts_changed: (all contacts, contacts needing a location) after they changed.
    """

    key = "contacts"
    title = "Contacts"
    number = 2
    counts_changed = Signal(int, int)
    list_shown = Signal()  # a list read anew is in the table, its count said

    def __init__(
        self,
        host: ContactsHost,
        services: ContactServices,
        lookup: PlaceLookup | None,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        shared_filter: ContactFilter | None = None,
    ) -> None:
        super().__init__(host, parent)
        self.app = host
        self.shared_filter = shared_filter or ContactFilter()  # the Map workspace follows it
        self.services = services
        self.undo_stack = undo_stack
        self.loaded = False
        self.model = ContactTableModel(parent=self)
        self.model.filtered.connect(self._on_filtered)

        self.scope = ChoiceBar(
            "Which contacts",
            ("All contacts", "Needs a location", "Does not fit my criteria"),
            self,
        )
        self.scope.setObjectName("contacts-scope")
        self.scope.currentChanged.connect(self._on_scope)

        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("contacts-filter")
        self.filter_box.setAccessibleName("Filter contacts")
        self.filter_box.setPlaceholderText(
            "Filter by name, company, position, location or tag  (Ctrl+F)"
        )
        self.filter_box.setClearButtonEnabled(True)
        for action in self.filter_box.findChildren(QAction):
            action.setText("Clear the filter")  # the clear button, as a screen reader says it
            action.setObjectName("contacts-filter-clear")
        self.filter_box.textChanged.connect(self._on_filter_text)
        self.filter_box.returnPressed.connect(self._focus_table)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("contacts-count")
        self.inbox_hint = QLabel(
            "Inbox: contacts without a place. Those whose place is written down are found at "
            "once with Locate contacts (Ctrl+L); for the others, type a city in Location, "
            "press Enter, and the next contact comes up.",
            self,
        )
        self.inbox_hint.setObjectName("contacts-inbox-hint")
        self.inbox_hint.setWordWrap(True)
        self.inbox_hint.hide()

        # Tab leaves the table for the detail panel.
        self.table = record_table(
            self,
            "contacts-table",
            "Contacts",
            self.model,
            many=True,
            table=PlainTextTableView(self),  # paints a keystroke's rows in ~1 ms, not ~11
        )
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setSectionsMovable(True)
        self.layout_restored = False  # the user's own column widths: never refit them
        self._fitting = False
        header.sectionResized.connect(self._on_section_resized)
        header.sectionMoved.connect(self._on_section_moved)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(lambda _c, _p: self._follow_selection())
        # A selection made without moving the current row (a screen reader's "select row")
        # must move the panel too.
        selection.selectionChanged.connect(self._on_selection_changed)

        self.detail = ContactDetailPanel(
            lookup, self, completer_for(host, lambda: self.detail.location.lookup)
        )
        self.detail.setMinimumWidth(340)
        self.detail.setMaximumWidth(600)
        self.detail.on_edited = self.save_edit
        self.detail.on_location = self.save_location
        self.detail.on_plan_coffee = lambda c: self.app.plan_coffee(c.id or 0)
        self.detail.on_brief = lambda c: self.app.brief_contact(c.id or 0)
        self.detail.on_open_entry = self._open_timeline_entry

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("contacts-splitter")
        self.splitter.setAccessibleName("Contacts and details")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([760, 380])
        self.table.viewport().installEventFilter(self)

        body = QWidget(self)
        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.count_label)
        column = QVBoxLayout(body)
        column.setContentsMargins(8, 4, 8, 0)
        column.addWidget(self.scope)
        column.addLayout(top)
        column.addWidget(self.inbox_hint)
        column.addWidget(self.splitter, 1)

        self.welcome = WelcomeView(self)
        self.welcome.import_requested.connect(host.choose_import_files)
        self.welcome.demo_requested.connect(host.explore_demo)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(body)
        self.pages.setCurrentIndex(TABLE_PAGE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.delete_action = QAction("&Delete contacts…", self)
        self.delete_action.setObjectName("action-delete-contacts")
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.setStatusTip("Delete the selected contacts")
        self.delete_action.triggered.connect(self.confirm_delete)
        self.all_action = QAction("&All contacts", self)
        self.all_action.triggered.connect(lambda: self.scope.setCurrentIndex(ALL_CONTACTS))
        self.inbox_action = QAction("&Needs a location", self)
        self.inbox_action.triggered.connect(lambda: self.scope.setCurrentIndex(INBOX))
        self.misfits_action = QAction("Does not &fit my criteria", self)
        self.misfits_action.triggered.connect(lambda: self.scope.setCurrentIndex(MISFITS))
        self._row_before_change = 0
        self.confirm: ConfirmDelete = ask_before_delete
        # The first contact's details need the database, whose opening (importing the ORM)
        # would slow the first paint of a table read without it: they wait for that paint.
        self._detail_after_paint = False
        self._pending_detail: int | None = None
        self._search_after_paint = False  # the filter's haystacks, made after that paint too

    # The workspace frame ---------------------------------------------------------------
    def set_services(self, services: ContactServices) -> None:
        self.services = services
        self.detail.show_contact(None, [])
        self.reload()

    def actions_for_menu(self) -> list[QAction]:
        return [self.all_action, self.inbox_action, self.misfits_action, self.delete_action]

    def activated(self) -> None:
        if self.pages.currentIndex() == TABLE_PAGE:
            self.table.setFocus()

    def save_state(self, store: QSettings) -> None:
        # Only widths the user chose (or had): a table never shown has no layout worth keeping.
        if self.layout_restored:
            store.setValue("contacts/header", self.table.horizontalHeader().saveState())
        store.setValue("contacts/splitter", self.splitter.saveState())

    def restore_state(self, store: QSettings) -> None:
        header = store.value("contacts/header")
        if isinstance(header, QByteArray):
            self.layout_restored = self.table.horizontalHeader().restoreState(header)
        splitter = store.value("contacts/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def on_changes(self, changes: Changes) -> None:
        """Re-read what changed: everything, or only the contacts named."""
        if self.scope.currentIndex() == MISFITS and (
            changes.criteria or changes.contacts or changes.everything or changes.home
        ):
            self._read_misfits()  # who fits may have changed
        if changes.everything or changes.home or changes.settings:
            self.reload()
            return
        if len(changes.contacts) > BULK_CHANGE:
            self.reload()
        elif changes.contacts:
            read_changed_contacts(self.host, self.services, changes.contacts).success(
                lambda changed: self._apply_changed(changed, changes)
            ).run()

    def _apply_changed(self, changed: ChangedContacts, changes: Changes) -> None:
        current = self.current_contact()
        row = self.table.currentIndex().row()
        self.model.apply_changes(changed.found, changed.gone)
        self._recount()
        self._show_page()
        shown = self.detail.contact
        if current is not None and self.model.row_of(current.id) >= 0:
            self.select_contact(current.id)
        else:
            self.select_row(row if row >= 0 else self._row_before_change)
        # The panel that made an edit shows it already; re-reading it would overwrite what
        # the user is typing in the next field.
        if shown is not None and shown.id in changes.contacts and changes.initiator is not self:
            self._read_detail(shown.id)

    # Loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every contact off the GUI thread, then show them."""
        services = self.services
        load_contact_list(self.host, services, self.model.sorting).success(
            lambda listing: self.show_list(listing) if services is self.services else None
        ).run()

    def show_list(self, listing: ContactList) -> None:
        """Show a list read by ``load_contact_list`` (the window asks for the first one)."""
        current = self.current_contact()
        if not getattr(self.services, "database_open", True) and self.table.isVisible():
            self._detail_after_paint = True
        if listing.prepared is not None:
            self.model.set_prepared(listing.prepared)
            self._search_after_paint = self._detail_after_paint
            if not self._search_after_paint:
                self._make_searchable()
        else:
            self.model.set_contacts(listing.contacts, listing.home, listing.units)
        self.model.set_filter(self.filter_box.text())
        self.loaded = True
        self._recount()
        self._show_page()
        self.select_contact(current.id if current else None, fallback_first=current is None)
        total, needing = self.model.total(), self.model.needing_location()
        self.host.show_message(
            f"{total:,} contacts, {needing:,} without a location" if total else "No contacts yet."
        )
        self.list_shown.emit()

    def _show_page(self) -> None:
        empty = self.model.total() == 0
        self.pages.setCurrentIndex(EMPTY_PAGE if empty else TABLE_PAGE)
        self.delete_action.setEnabled(not empty)

    def fit_columns(self) -> None:
        """Fit the columns to the table's width (first run, before any saved layout)."""
        width = self.table.viewport().width()
        if width < 200 or self.layout_restored:
            return
        self._fitting = True
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader().fontMetrics()
        used = 0
        for column, sample in SAMPLES.items():
            needed = max(
                metrics.horizontalAdvance(sample), header.horizontalAdvance(HEADERS[column])
            )
            self.table.setColumnWidth(column, needed + 24)
            used += needed + 24
        rest = max(width - used, 320)
        for column, share in TEXT_SHARES.items():
            self.table.setColumnWidth(column, int(rest * share))
        self._fitting = False

    def _on_section_resized(self, index: int, _old: int, _new: int) -> None:
        header = self.table.horizontalHeader()
        last = header.logicalIndex(header.count() - 1)  # stretches with the window by itself
        if not self._fitting and index != last and self.table.isVisible():
            self.layout_restored = True  # resized by hand: keep the user's widths

    def _on_section_moved(self, _index: int, _old: int, _new: int) -> None:
        self.layout_restored = True  # columns moved by hand: keep the user's order

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self.fit_columns)  # after the layout settles
        elif (
            watched is self.table.viewport()
            and event.type() == QEvent.Type.Paint
            and self._detail_after_paint
        ):
            self._detail_after_paint = False
            QTimer.singleShot(0, self._read_pending_detail)
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.fit_columns)

    def _recount(self) -> None:
        total, needing = self.model.total(), self.model.needing_location()
        self.scope.setTabText(ALL_CONTACTS, f"All contacts ({total:,})")
        self.scope.setTabText(INBOX, f"Needs a location ({needing:,})")
        self.counts_changed.emit(total, needing)

    def _on_scope(self, row: int) -> None:
        if row == MISFITS:
            self.model.set_filter(self.filter_box.text(), needs_location=False)
            self.inbox_hint.hide()
            self._read_misfits()
        else:
            self.set_inbox(row == INBOX)

    def _read_misfits(self) -> None:
        """Narrow to the contacts that do not fit, once the matcher has judged them all."""
        self.host.show_message("Checking your contacts against your criteria…")

        def show(notes: dict[int, str]) -> None:
            if self.scope.currentIndex() != MISFITS:
                return  # the user moved on meanwhile
            self.model.set_only(notes)
            self.scope.setTabText(MISFITS, f"Does not fit my criteria ({len(notes):,})")
            self.host.show_message(
                f"{len(notes):,} of your contacts do not fit your criteria."
                if notes
                else "All your contacts fit your criteria."
            )
            self.select_row(0)

        read_misfits(self.host, self.services).success(show).run()

    def set_inbox(self, on: bool) -> None:
        """Show only contacts that need a location (the inbox after an import)."""
        if self.scope.currentIndex() != (INBOX if on else ALL_CONTACTS):
            self.scope.setCurrentIndex(INBOX if on else ALL_CONTACTS)
            return  # the tab bar's signal comes back here
        self.model.set_only(None)
        self.model.set_filter(self.filter_box.text(), needs_location=on)
        self.inbox_hint.setVisible(on)
        self.select_row(0)
        if on and self.model.rowCount():
            self.detail.location.line.setFocus()

    # Filtering -------------------------------------------------------------------------
    def focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def _on_filter_text(self, text: str) -> None:
        # The selected contact stays selected if still shown, else the first row is; found
        # by its place in the model, as looking it up by id would cost a keystroke more.
        current = self.model.key_at(self.table.currentIndex().row())
        with self._selection_held():
            self.model.set_filter(text)
            self.select_row(max(self.model.row_of_key(current), 0))
        self.shared_filter.set_text(text)

    def _selection_held(self) -> AbstractContextManager[None]:
        """While the rows change under the selection and it is put back: the header
        repaints once for where it ends, not for the rows passing through no selection."""
        header = self.table.horizontalHeader()
        if isinstance(header, SelectionAwareHeader):
            return header.selection_held()
        return nullcontext()

    def _on_filtered(self, shown: int, total: int) -> None:
        if shown == total:
            self.count_label.setText(f"{total:,} contacts")
        else:
            self.count_label.setText(f"{shown:,} of {total:,}")
        self.count_label.setAccessibleName(self.count_label.text())

    def _focus_table(self) -> None:
        self.table.setFocus()
        if self.table.currentIndex().row() < 0:
            self.select_row(0)

    # Selection -------------------------------------------------------------------------
    def current_contact(self) -> ContactSummary | None:
        row = self.table.currentIndex().row()
        return self.model.contact_at(row) if 0 <= row < self.model.rowCount() else None

    def selected_contacts(self) -> list[ContactSummary]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.contact_at(row) for row in rows]

    def select_row(self, row: int) -> None:
        if self.model.rowCount() == 0:
            self._show(None)
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self._follow_selection()

    def select_contact(self, contact_id: int | None, fallback_first: bool = False) -> bool:
        """Select the row of this contact; True when it is shown."""
        row = self.model.row_of(contact_id) if contact_id is not None else -1
        if row >= 0 or fallback_first:
            self.select_row(max(row, 0))
        else:
            self._show(None)
        return row >= 0

    def show_contact(self, contact_id: int, tab: str = "details") -> None:
        """Bring a contact to the front (from Today): clear filters that would hide it."""
        if self.model.row_of(contact_id) < 0:
            self.filter_box.clear()
            self.set_inbox(False)
        self.select_contact(contact_id)
        self.detail.show_tab(tab)

    def _on_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        self._follow_selection()

    def _follow_selection(self) -> None:
        """Show the contact the selection is on, however the selection was made."""
        current = self.table.currentIndex()
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if current.isValid() and (not rows or current.row() in rows):
            row = current.row()
        elif rows:
            row = rows[0]
        else:
            # A model reset passes through "nothing selected" on its way to the next row:
            # clear the panel (which moves the focus out of it) only if that is where it ends.
            QTimer.singleShot(0, self._clear_if_nothing_selected)
            return
        contact = self.model.contact_at(row)
        shown = self.detail.contact
        if shown is not None and shown.id == contact.id:
            return  # same contact after a filter keystroke: no need to read it again
        self._show(contact)

    def _make_searchable(self) -> None:
        """Have the worker make the filter's haystacks of a table shown without them."""
        contacts = self.model.unsearched()
        if contacts is not None:
            make_searchable(self.host, contacts).success(
                lambda hay: self.model.set_haystacks(contacts, hay)
            ).run()

    def _read_pending_detail(self) -> None:
        if self._search_after_paint:
            self._search_after_paint = False
            self._make_searchable()
        pending, self._pending_detail = self._pending_detail, None
        if pending is not None:
            self._read_detail(pending)

    def _clear_if_nothing_selected(self) -> None:
        if (
            not self.table.currentIndex().isValid()
            and not self.table.selectionModel().hasSelection()
        ):
            self._show(None)

    def _show(self, contact: ContactSummary | None) -> None:
        if contact is None:
            self.detail.show_contact(None, [])
            return
        self._read_detail(contact.id)

    def _read_detail(self, contact_id: int) -> None:
        if self._detail_after_paint:
            self._pending_detail = contact_id  # read once the table has been painted
            return
        services = self.services

        def show(detail: ContactDetail) -> None:
            if services is self.services:
                self.detail.show_contact(detail.contact, detail.timeline)
                self.detail.show_misfit(self.model.note_of(detail.contact.id))

        read_contact_detail(self.host, services, contact_id).success(show).failure(
            self.host.show_message
        ).run()

    # Saving ----------------------------------------------------------------------------
    def save_edit(self, contact: Contact, fields: list[str]) -> None:
        """Save one edit from the panel, undoably."""
        if contact.id is None:
            return
        self.undo_stack.push(
            EditContactCommand(
                self.host, self.services, contact, fields, self, self.detail.show_error
            )
        )
        self.host.show_message(f"Saving {contact.name}…")

    def _open_timeline_entry(self, contact: Contact, entry: TimelineEntry) -> None:
        """A meeting opens in Meetings; a debrief or a follow-up in the briefing."""
        if entry.kind == "meeting" and entry.meeting_id is not None:
            self.app.open_meeting(entry.meeting_id, contact.id)
        elif contact.id is not None:
            self.app.brief_contact(contact.id, None)

    def save_location(self, contact: Contact, text: str, match: PlaceMatch | None) -> None:
        """Save the place typed for a contact; in the inbox, move on to the next contact."""
        if contact.id is None:
            return
        row = self.table.currentIndex().row()
        in_inbox = self.model.needs_location and match is not None

        def saved(result: Contact) -> None:
            where = match.name if match else "kept as text, not located"
            self.host.show_message(f"{result.name}: {where}.")
            if in_inbox:
                # The located contact leaves the list; the next one takes its row.
                self.model.set_filter(self.filter_box.text())
                self._recount()
                self.select_row(row)
                QTimer.singleShot(0, self.detail.location.line.setFocus)
            elif self.detail.contact is not None and self.detail.contact.id == result.id:
                self.detail.contact = dataclasses.replace(result)
                self.detail.show_header(result)

        set_location(self.host, self.services, contact, text, match, initiator=self).success(
            saved
        ).failure(self.detail.show_error).run()

    def confirm_delete(self) -> None:
        """Ask once, then delete the selected contacts (undo with Ctrl+Z)."""
        chosen = self.selected_contacts()
        if chosen and self.confirm(self, chosen):
            self.delete_selected()

    def delete_selected(self) -> int:
        """Delete the selected contacts (the caller has asked the user); undoable."""
        contacts = self.selected_contacts()
        if not contacts:
            return 0
        self._row_before_change = self.table.currentIndex().row()
        self.undo_stack.push(
            DeleteContactsCommand(
                self.host, self.services, contacts, self._after_delete, self._after_restore
            )
        )
        return len(contacts)

    def _after_delete(self, count: int) -> None:
        self.host.show_message(f"Deleted {count:,} contact(s). Ctrl+Z brings them back.")

    def _after_restore(self, contacts: list[Contact]) -> None:
        if contacts:
            self.select_contact(contacts[0].id)
        self.host.show_message(f"Restored {len(contacts):,} contact(s).")


class ConfirmDelete(Protocol):
    def __call__(self, parent: QWidget, contacts: list[ContactSummary]) -> bool: ...


def ask_before_delete(parent: QWidget, contacts: list[ContactSummary]) -> bool:
    """Ask once whether to delete; the answer defaults to No."""
    from PySide6.QtWidgets import QMessageBox  # its class made when first used

    what = contacts[0].name if len(contacts) == 1 else f"these {len(contacts):,} contacts"
    answer = QMessageBox.question(
        parent,
        "Delete contacts",
        f"Delete {what}? Their follow-ups go too. You can undo this with Ctrl+Z.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


__all__ = ["ALL_CONTACTS", "INBOX", "MISFITS", "ContactsWorkspace"]

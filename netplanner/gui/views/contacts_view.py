"""The contacts workspace: a filter box, the table and the detail panel beside it."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.entities import Contact
from netplanner.domain.errors import NetPlannerError
from netplanner.domain.places import PlaceMatch
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.models.contacts_model import HEADERS, ContactTableModel
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.undo import DeleteContactsCommand, EditContactCommand
from netplanner.gui.views.contact_detail import ContactDetailPanel
from netplanner.gui.widgets.location_edit import PlaceLookup
from netplanner.services.context import AppContext

# Until the user resizes them: the short columns get what their widest value needs, and the
# text columns share the rest in these proportions.
TEXT_SHARES = {0: 0.28, 1: 0.24, 2: 0.26, 3: 0.22}
SAMPLES = {4: "20,000 km", 5: "2026-12-31", 6: "Relationship"}


class ContactsView(QWidget):
    """Finds, reads and edits contacts; every change goes through ``ContactService``.

    Attributes:
        message: a line for the status bar.
        counts_changed: (all contacts, contacts needing a location).
    """

    message = Signal(str)
    counts_changed = Signal(int, int)

    def __init__(
        self,
        context: AppContext,
        undo_stack: QUndoStack,
        runner: TaskRunner,
        lookup: PlaceLookup | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.undo_stack = undo_stack
        self.runner = runner
        self.model = ContactTableModel(parent=self)
        self.model.filtered.connect(self._on_filtered)

        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText(
            "Filter by name, company, position, location or tag  (Ctrl+F)"
        )
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self._on_filter_text)
        self.filter_box.returnPressed.connect(self._focus_table)
        self.count_label = QLabel(self)
        self.inbox_hint = QLabel(
            "Inbox: contacts without a place. Those whose place is written down are found at "
            "once with Locate contacts (Ctrl+L); for the others, type a city in Location, "
            "press Enter, and the next contact comes up.",
            self,
        )
        self.inbox_hint.setWordWrap(True)
        self.inbox_hint.hide()

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights: the view never measures 30,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setSectionsMovable(True)
        self.layout_restored = False  # the user's own column widths: never refit them
        self._fitting = False
        header.sectionResized.connect(self._on_section_resized)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)

        self.detail = ContactDetailPanel(lookup, self)
        self.detail.setMinimumWidth(340)
        self.detail.setMaximumWidth(600)
        self.detail.edited.connect(self.save_edit)
        self.detail.location_chosen.connect(self.save_location)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([760, 380])
        self.table.viewport().installEventFilter(self)

        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(top)
        layout.addWidget(self.inbox_hint)
        layout.addWidget(self.splitter, 1)
        self._needs_location_count = 0
        self._row_before_delete = 0

    # Loading ---------------------------------------------------------------------------
    def show_contacts(
        self, contacts: list[ContactSummary], home: tuple[float, float] | None
    ) -> None:
        """Show freshly read contacts, keeping the filter and the selected contact."""
        current = self.current_contact()
        self.model.set_contacts(contacts, home, self.context.settings.units)
        self.model.set_filter(self.filter_box.text())
        self._recount()
        self.select_contact(current.id if current else None)

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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self.fit_columns)  # after the layout settles
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.fit_columns)

    def _recount(self) -> None:
        self._needs_location_count = self.model.needing_location()
        self.counts_changed.emit(self.model.total(), self._needs_location_count)

    def set_inbox(self, on: bool) -> None:
        """Show only contacts that need a location (the inbox after an import)."""
        self.model.set_filter(self.filter_box.text(), needs_location=on)
        self.inbox_hint.setVisible(on)
        self.select_row(0)
        if on and self.model.rowCount():
            self.detail.location.line.setFocus()

    # Filtering -------------------------------------------------------------------------
    def _on_filter_text(self, text: str) -> None:
        current = self.current_contact()
        self.model.set_filter(text)
        self.select_contact(current.id if current else None, fallback_first=True)

    def _on_filtered(self, shown: int, total: int) -> None:
        if shown == total:
            self.count_label.setText(f"{total:,} contacts")
        else:
            self.count_label.setText(f"{shown:,} of {total:,}")

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

    def select_contact(self, contact_id: int | None, fallback_first: bool = False) -> None:
        row = self.model.row_of(contact_id) if contact_id is not None else -1
        if row >= 0 or fallback_first:
            self.select_row(max(row, 0))
        else:
            self._show(None)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._show(None)
            return
        contact = self.model.contact_at(current.row())
        shown = self.detail.contact
        if shown is not None and shown.id == contact.id:
            return  # same contact after a filter keystroke: no need to read it again
        self._show(contact)

    def _show(self, contact: Contact | ContactSummary | None) -> None:
        if contact is None or contact.id is None:
            self.detail.show_contact(None, [])
            return
        try:
            full = self.context.contacts.get(contact.id)  # with the photo the list leaves out
            timeline = self.context.timeline.for_contact(contact.id)
        except NetPlannerError as exc:
            self.message.emit(str(exc))
            return
        self.detail.show_contact(full, timeline)

    # Saving ----------------------------------------------------------------------------
    def save_edit(self, contact: Contact, fields: list[str]) -> None:
        """Save one edit from the panel, undoably."""
        if contact.id is None:
            return
        try:
            before = self.context.contacts.get(contact.id)
            self.undo_stack.push(
                EditContactCommand(
                    self.context.contacts,
                    self.runner,
                    before,
                    contact,
                    fields,
                    self._saved,
                    self.detail.show_error,
                )
            )
        except NetPlannerError as exc:
            self.detail.show_error(str(exc))
            return

    def _saved(self, contact: Contact) -> None:
        self.message.emit(f"Saved {contact.name}.")
        self.model.replace_contact(contact)
        if self.detail.contact is not None and self.detail.contact.id == contact.id:
            self.detail.contact = dataclasses.replace(contact)
            self.detail._show_header(contact)

    def save_location(self, contact: Contact, text: str, match: PlaceMatch | None) -> None:
        """Save the place typed for a contact; in the inbox, move on to the next contact."""
        if contact.id is None:
            return
        row = self.table.currentIndex().row()
        service = self.context.contacts

        def saved(result: object) -> None:
            if not isinstance(result, Contact):
                return
            self.model.replace_contact(result)
            where = match.name if match else "kept as text, not located"
            self.message.emit(f"{result.name}: {where}.")
            if self.model.needs_location and match is not None:
                # Inbox: the located contact leaves the list; the next one takes its row.
                self.model.set_filter(self.filter_box.text())
                self._recount()
                self.select_row(row)
                QTimer.singleShot(0, self.detail.location.line.setFocus)
            else:
                self._recount()
                self._show(result)

        self.runner.run(
            "Save location",
            lambda _progress: service.set_location(contact, text, match),
            on_success=saved,
            on_failure=self.detail.show_error,
        )

    def delete_selected(self) -> int:
        """Delete the selected contacts (the caller has asked the user); undoable."""
        contacts = self.selected_contacts()
        if not contacts:
            return 0
        self._row_before_delete = self.table.currentIndex().row()
        self.undo_stack.push(
            DeleteContactsCommand(
                self.context.contacts,
                self.runner,
                contacts,
                self._after_delete,
                self._after_restore,
                self.message.emit,
            )
        )
        return len(contacts)

    def _after_delete(self, ids: list[int]) -> None:
        self.model.remove_ids(ids)
        self._recount()
        self.select_row(self._row_before_delete)
        self.message.emit(f"Deleted {len(ids):,} contact(s). Ctrl+Z brings them back.")

    def _after_restore(self, contacts: list[Contact]) -> None:
        self.model.add_contacts(contacts)
        self._recount()
        if contacts:
            self.select_contact(contacts[0].id)
        self.message.emit(f"Restored {len(contacts):,} contact(s).")

    # Layout memory ---------------------------------------------------------------------
    def header_names(self) -> tuple[str, ...]:
        return HEADERS

"""The Invitations page of the Network workspace: pending invitations judged, and decided.

Each invitation is judged by the one matcher (``CriteriaService.evaluate_invitations``) and
shown with its reasons in words, those that fit first. Accept, Ignore and Accept all that
fit record the decision (LinkedIn itself is not driven); each is one command on the undo
stack the window gives, so Ctrl+Z puts the invitations back to what they were.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.gui.operations import WriteOp
from netplanner.gui.operations.invitations import (
    SHOW_CHOICES,
    SHOW_DECIDED,
    SHOW_PENDING,
    InvitationsPage,
    InvitationsServices,
    accept_all_that_fit,
    add_as_contacts,
    decide,
    read_invitations,
    remove_added_contacts,
    undo_decision,
)
from netplanner.gui.widgets.spoken_label import SpokenLabel
from netplanner.gui.workspaces.base import WorkspaceHost
from netplanner.services.invitation_decisions import (
    ACCEPTED,
    IGNORED,
    AddedContact,
    Decision,
    JudgedInvitation,
)

EMPTY_TEXT = (
    "No pending invitations. Import LinkedIn's Invitations.csv (File › Import) to judge them here."
)
COLUMNS = ("Who", "Direction", "Sent", "Verdict", "Why", "Decision", "Message")
WHO, DIRECTION, SENT, VERDICT, WHY, DECISION, MESSAGE = range(len(COLUMNS))
IdRole = Qt.ItemDataRole.UserRole + 21
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def reasons_text(item: JudgedInvitation) -> str:
    """The matcher's reasons as one sentence-cased line ("" when it fits)."""
    text = "; ".join(item.verdict.reasons)
    return text[:1].upper() + text[1:]


def _when(item: JudgedInvitation) -> str:
    sent = item.invitation.sent_at
    return f"{sent.day} {_MONTHS[sent.month - 1]} {sent.year}" if sent else ""


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class _DecisionCommand(QUndoCommand):
    """One decision (accept, ignore, accept all that fit); undo restores the old statuses."""

    def __init__(
        self,
        view: InvitationsView,
        label: str,
        first: Callable[[Callable[[Decision], None]], WriteOp[Decision]],
        on_done: Callable[[Decision], None],
    ) -> None:
        super().__init__(label)
        self.view = view
        self.services = view.services
        self.first: Callable[[Callable[[Decision], None]], WriteOp[Decision]] | None = first
        self.on_done = on_done
        self.decision: Decision | None = None
        self.done: Decision | None = None  # what a redo after an undo does again

    def _keep(self, decision: Decision) -> None:
        self.decision = self.done = decision

    def _take(self) -> Decision | None:
        decision, self.decision = self.decision, None
        return decision

    def redo(self) -> None:
        if self.first is not None:
            op, self.first = self.first(self._keep), None
        else:
            again = self.done
            ids = sorted(again.ids) if again is not None else []
            status = again.status if again is not None else ACCEPTED
            op = decide(self.view.host, self.services, ids, status, self._keep)
        op.success(self.on_done).failure(self.view.show_error).run()

    def undo(self) -> None:
        # Runs behind the decision on the same worker, so what it kept is there by then.
        undo_decision(self.view.host, self.services, self._take).failure(self.view.show_error).run()


class _AddContactsCommand(QUndoCommand):
    """Adding invitations' people as contacts; undo removes or restores those contacts."""

    def __init__(self, view: InvitationsView, ids: list[int], label: str) -> None:
        super().__init__(label)
        self.view, self.services, self.ids = view, view.services, ids
        self.added: list[AddedContact] = []

    def _keep(self, added: list[AddedContact]) -> None:
        self.added = added

    def _take(self) -> list[AddedContact]:
        added, self.added = self.added, []
        return added

    def redo(self) -> None:
        add_as_contacts(
            self.view.host, self.services, self.ids, self.view.today(), self._keep
        ).success(self.view.contacts_added).failure(self.view.show_error).run()

    def undo(self) -> None:
        remove_added_contacts(self.view.host, self.services, self._take).failure(
            self.view.show_error
        ).run()


class InvitationsView(QWidget):
    """The judged invitations with Open profile, Accept, Ignore, Accept all that fit, Add.

    Attributes:
        open_url: how a profile is opened (the browser; tests put a recorder here).
        today: the day a contact added now was connected on.
    """

    def __init__(
        self,
        host: WorkspaceHost,
        services: InvitationsServices,
        parent: QWidget | None = None,
        *,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.services = services
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.today: Callable[[], date] = date.today
        self.page: InvitationsPage | None = None
        self._items: dict[int, JudgedInvitation] = {}
        self._just_accepted: list[JudgedInvitation] = []
        self._keep_row = 0
        self._keep_ids: set[int] = set()
        self.setObjectName("network-invitations")
        self.setAccessibleName("Invitations page")

        self.show_label = QLabel("&Show", self)
        self.show_filter = QComboBox(self)
        self.show_filter.setObjectName("invitations-show")
        self.show_filter.setAccessibleName("Show")
        self.show_filter.addItems(list(SHOW_CHOICES))
        self.show_label.setBuddy(self.show_filter)
        self.show_filter.currentTextChanged.connect(lambda _text: self.reload())
        self.count = SpokenLabel("", self)
        self.count.setObjectName("invitations-count")
        self.count.setAccessibleName("Invitations count")

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("invitations-table")
        self.table.setAccessibleName("Invitations")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((WHO, 260), (DIRECTION, 110), (SENT, 100), (VERDICT, 100),
                              (WHY, 320), (DECISION, 90)):  # fmt: skip
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.activated.connect(lambda _index: self.open_profile())

        self.empty = SpokenLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("invitations-empty")
        self.empty.setAccessibleName("No invitations")
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.note = SpokenLabel("", self)
        self.note.setObjectName("invitations-note")
        self.note.setAccessibleName("Invitations note")
        self.note.setWordWrap(True)
        self.note.hide()
        self.error = SpokenLabel("", self)
        self.error.setObjectName("invitations-error")
        self.error.setAccessibleName("Invitations error")
        self.error.setWordWrap(True)
        self.error.hide()

        self.open_button = self._button("Open p&rofile", "Open profile", self.open_profile)
        self.accept_button = self._button("&Accept", "Accept", self.accept_selected)
        self.ignore_button = self._button("&Ignore", "Ignore", self.ignore_selected)
        self.accept_all_button = self._button(
            "Accept all &that fit", "Accept all that fit", self.accept_all
        )
        self.add_button = self._button("A&dd as contact", "Add as contact", self.add_as_contact)
        self.accept_all_action = QAction("Accept all invitations that fit", self)
        self.accept_all_action.setObjectName("invitations-accept-all-action")
        self.accept_all_action.triggered.connect(self.accept_all)

        top = QHBoxLayout()
        top.addWidget(self.show_label)
        top.addWidget(self.show_filter)
        top.addSpacing(12)
        top.addWidget(self.count, 1)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.accept_button, self.ignore_button,
                       self.accept_all_button, self.add_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setTabOrder(self.show_filter, self.table)
        self._update_buttons()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setObjectName("invitations-" + name.lower().replace(" ", "-"))
        button.clicked.connect(slot)
        return button

    # The interface every Network page has ----------------------------------------------
    def reload(self) -> None:
        """Read the invitations the filter picks, and show them."""
        read_invitations(self.host, self.services, self.show_filter.currentText()).success(
            self._show
        ).run()

    def on_changes(self, changes: Changes) -> None:
        if (
            changes.everything or changes.invitations or changes.contacts or changes.criteria
            or changes.home
        ):  # fmt: skip
            self.reload()

    def set_services(self, services: InvitationsServices) -> None:
        self.services = services
        self.page = None
        self._items = {}
        self._just_accepted = []
        self.table.setRowCount(0)
        self.note.hide()
        self.error.hide()
        self.reload()

    def actions_for_menu(self) -> list[QAction]:
        return [self.accept_all_action]

    # Showing ---------------------------------------------------------------------------
    def _show(self, page: InvitationsPage) -> None:
        if page.show != self.show_filter.currentText():
            return  # an answer for a filter no longer chosen
        keep_ids = set(self.selected_ids()) or self._keep_ids
        keep_row = self.table.currentRow() if self.table.currentRow() >= 0 else self._keep_row
        self._keep_ids = set()
        self.page = page
        self._items = {item.id: item for item in page.items}
        self.count.setText(
            f"{_plural(page.pending, 'pending invitation')}: {page.fitting:,} fit"
            if page.pending
            else "No pending invitations"
        )
        self.accept_all_button.setText(f"Accept all &that fit ({page.acceptable:,})")
        self.accept_all_action.setText(f"Accept all invitations that fit ({page.acceptable:,})")
        self.table.setColumnHidden(DECISION, page.show != SHOW_DECIDED)
        self.table.setUpdatesEnabled(False)
        self.table.clearSelection()
        self.table.setRowCount(len(page.items))
        for row, item in enumerate(page.items):
            who = item.person + (f", {item.headline}" if item.headline else "")
            message = " ".join((item.invitation.message or "").split())
            cells = (
                who,
                "Incoming" if item.incoming else "Sent",
                _when(item),
                "Fits" if item.verdict.fits else "Does not fit",
                reasons_text(item),
                item.invitation.status.capitalize(),
                message,
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column in (WHO, WHY, MESSAGE) and text:
                    cell.setToolTip(text)
                if column == WHO:
                    cell.setData(IdRole, item.id)
                self.table.setItem(row, column, cell)
        self.table.setUpdatesEnabled(True)
        self._reselect(keep_ids, keep_row)
        empty = not page.items
        self.table.setVisible(not empty or page.pending > 0 or page.show == SHOW_DECIDED)
        self.empty.setText(self._empty_text(page))
        self.empty.setVisible(empty)
        self._update_buttons()

    @staticmethod
    def _empty_text(page: InvitationsPage) -> str:
        if page.show == SHOW_DECIDED:
            return "No decisions yet: accept or ignore pending invitations to see them here."
        if page.pending == 0:
            return EMPTY_TEXT
        if page.show == SHOW_PENDING:
            return EMPTY_TEXT
        return f"None of the {_plural(page.pending, 'pending invitation')} is shown by this filter."

    def _reselect(self, ids: set[int], row: int) -> None:
        rows = [r for r in range(self.table.rowCount()) if self._row_id(r) in ids]
        if not rows and self.table.rowCount():
            rows = [min(max(row, 0), self.table.rowCount() - 1)]
        if not rows:
            return
        self.table.setCurrentCell(rows[0], WHO)
        model = self.table.selectionModel()
        flags = model.SelectionFlag.Select | model.SelectionFlag.Rows
        for r in rows:
            model.select(self.table.model().index(r, 0), flags)

    def _row_id(self, row: int) -> int | None:
        cell = self.table.item(row, WHO)
        value = cell.data(IdRole) if cell is not None else None
        return int(value) if value is not None else None

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [i for i in (self._row_id(r) for r in rows) if i is not None]

    def selected(self) -> list[JudgedInvitation]:
        return [self._items[i] for i in self.selected_ids() if i in self._items]

    def _add_targets(self) -> list[JudgedInvitation]:
        """Whom Add as contact takes: the selected accepted ones, else those just accepted."""
        chosen = [j for j in self.selected() if j.invitation.status == ACCEPTED]
        return chosen or self._just_accepted

    def _update_buttons(self) -> None:
        chosen = self.selected()
        one = chosen[0] if len(chosen) == 1 else None
        self.open_button.setEnabled(one is not None and bool(one.profile_url))
        self.accept_button.setEnabled(
            any(j.incoming and j.invitation.status != ACCEPTED for j in chosen)
        )
        self.ignore_button.setEnabled(any(j.invitation.status != IGNORED for j in chosen))
        acceptable = self.page.acceptable if self.page is not None else 0
        self.accept_all_button.setEnabled(acceptable > 0)
        self.accept_all_action.setEnabled(acceptable > 0)
        targets = self._add_targets()
        self.add_button.setEnabled(bool(targets))
        self.add_button.setToolTip(
            "Add " + ", ".join(j.person for j in targets[:3]) + (" …" if len(targets) > 3 else "")
            + " to Contacts" if targets else "Accept an invitation first"
        )  # fmt: skip

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.host.show_message(message)

    def _say(self, text: str) -> None:
        self.error.hide()
        self.note.setText(text)
        self.note.show()
        self.host.show_message(text)

    # Acting ----------------------------------------------------------------------------
    def open_profile(self) -> None:
        """The selected person's profile in the browser."""
        chosen = self.selected()
        if len(chosen) != 1:
            return
        url = chosen[0].profile_url
        if not url:
            self.show_error(f"The invitation of {chosen[0].person} names no profile.")
            return
        if not self.open_url(QUrl(url)):
            self.show_error(f"The browser could not be opened for {url}.")

    def _remember_place(self) -> None:
        self._keep_row = max(self.table.currentRow(), 0)
        self._keep_ids = set()

    def _decide(self, chosen: list[JudgedInvitation], status: str, verb: str) -> None:
        if not chosen:
            return
        ids = [j.id for j in chosen]
        names = {j.id: j for j in chosen}
        label = chosen[0].person if len(chosen) == 1 else _plural(len(chosen), "invitation")
        self._remember_place()
        self.table.clearSelection()

        def done(decision: Decision) -> None:
            decided = [names[i] for i in sorted(decision.ids) if i in names]
            self._just_accepted = decided if status == ACCEPTED else []
            tail = " Add as contact keeps them in Contacts." if status == ACCEPTED else ""
            self._say(f"{verb} {label}.{tail} Ctrl+Z undoes it.")
            self._update_buttons()

        self.undo_stack.push(
            _DecisionCommand(
                self,
                f"{verb} {label}",
                lambda keep: decide(self.host, self.services, ids, status, keep),
                done,
            )
        )

    def accept_selected(self) -> None:
        chosen = [j for j in self.selected() if j.incoming and j.invitation.status != ACCEPTED]
        self._decide(chosen, ACCEPTED, "Accepted")

    def ignore_selected(self) -> None:
        chosen = [j for j in self.selected() if j.invitation.status != IGNORED]
        self._decide(chosen, IGNORED, "Ignored")

    def accept_all(self) -> None:
        """Accept every pending invitation received that fits; one undo reverts them all."""
        if self.page is None or not self.page.acceptable:
            return
        fitting = {
            j.id: j for j in self._items.values()
            if j.incoming and j.verdict.fits and j.invitation.status != ACCEPTED
        }  # fmt: skip
        self._remember_place()

        def done(decision: Decision) -> None:
            self._just_accepted = [fitting[i] for i in sorted(decision.ids) if i in fitting]
            count = _plural(len(decision.ids), "invitation")
            self._say(f"Accepted {count} that fit. Ctrl+Z undoes it.")
            self._update_buttons()

        self.undo_stack.push(
            _DecisionCommand(
                self,
                "Accept all invitations that fit",
                lambda keep: accept_all_that_fit(self.host, self.services, keep),
                done,
            )
        )

    def add_as_contact(self) -> None:
        """The accepted invitations' people as contacts (merged with those known by URL)."""
        targets = self._add_targets()
        if not targets:
            return
        label = targets[0].person if len(targets) == 1 else _plural(len(targets), "person")
        self.undo_stack.push(
            _AddContactsCommand(self, [j.id for j in targets], f"Add {label} as contact")
        )

    def contacts_added(self, added: list[AddedContact]) -> None:
        self._just_accepted = []
        created = [a for a in added if a.created]
        merged = [a for a in added if not a.created and a.changed]
        known = [a for a in added if not a.changed]
        parts = []
        if created:
            parts.append("Added " + ", ".join(a.contact.name for a in created) + " to Contacts")
        if merged:
            parts.append("completed " + ", ".join(a.contact.name for a in merged))
        if known:
            names = ", ".join(a.contact.name for a in known)
            parts.append(f"{names} {'is' if len(known) == 1 else 'are'} a contact already")
        text = "; ".join(parts)
        self._say(text[:1].upper() + text[1:] + ".")
        self._update_buttons()

"""Undoable actions of the session (Ctrl+Z): deleting contacts and editing them.

Each command runs its writes as operations on the one write worker, so they queue behind
(and never race) an import or a locate run. What an undo needs (what a delete removed, the
values before an edit) is kept by the work itself on the worker, so an undo queued right
behind its write always finds it, and a second quick edit remembers the first one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from netplanner.domain.entities import Contact
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.operations import OpHost
from netplanner.gui.operations.contacts import (
    ContactServices,
    EditRecord,
    delete_contacts,
    restore_contacts,
    save_edit,
)

if TYPE_CHECKING:
    from netplanner.storage.repositories.contacts import DeletedContacts


class DeleteContactsCommand(QUndoCommand):
    """Deletes contacts; undo puts them back with their ids, follow-ups and meetings."""

    def __init__(
        self,
        host: OpHost,
        services: ContactServices,
        contacts: Sequence[ContactSummary],
        on_deleted: Callable[[int], None],
        on_restored: Callable[[list[Contact]], None],
    ) -> None:
        count = len(contacts)
        label = contacts[0].name if count == 1 else f"{count:,} contacts"
        super().__init__(f"Delete {label}")
        self.host = host
        self.services = services
        self.ids = [c.id for c in contacts]
        self.on_deleted = on_deleted
        self.on_restored = on_restored
        self.deleted: DeletedContacts | None = None

    def _keep(self, deleted: DeletedContacts) -> None:
        self.deleted = deleted

    def _take(self) -> DeletedContacts | None:
        deleted, self.deleted = self.deleted, None
        return deleted

    def redo(self) -> None:
        delete_contacts(self.host, self.services, self.ids, self._keep).success(
            self.on_deleted
        ).run()

    def undo(self) -> None:
        # Runs behind the delete on the same worker, so what it kept is there by then.
        restore_contacts(self.host, self.services, self._take).success(self.on_restored).run()


class EditContactCommand(QUndoCommand):
    """One saved edit of a contact; undo writes back the values stored before it."""

    def __init__(
        self,
        host: OpHost,
        services: ContactServices,
        after: Contact,
        fields: list[str],
        initiator: object | None,
        on_failure: Callable[[str], None],
    ) -> None:
        super().__init__(f"Edit {', '.join(f.replace('_', ' ') for f in fields)} of {after.name}")
        self.host = host
        self.services = services
        self.record = EditRecord(after, list(fields))
        self.initiator = initiator
        self.on_failure = on_failure
        self._first = True

    def redo(self) -> None:
        # The panel that made the edit already shows it; a later redo (Ctrl+Shift+Z) does not.
        initiator, self._first = (self.initiator if self._first else None), False
        save_edit(self.host, self.services, self.record, initiator=initiator).failure(
            self.on_failure
        ).run()

    def undo(self) -> None:
        save_edit(self.host, self.services, self.record, undo=True).failure(self.on_failure).run()

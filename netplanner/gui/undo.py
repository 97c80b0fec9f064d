"""Undoable actions of the session (Ctrl+Z): deleting contacts and editing them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from netplanner.domain.entities import Contact
from netplanner.domain.summaries import ContactSummary
from netplanner.services.contacts import ContactService
from netplanner.storage.repositories.contacts import DeletedContacts


class DeleteContactsCommand(QUndoCommand):
    """Deletes contacts; undo puts them back with their ids, follow-ups and meetings."""

    def __init__(
        self,
        service: ContactService,
        contacts: Sequence[ContactSummary],
        on_deleted: Callable[[list[int]], None],
        on_restored: Callable[[list[Contact]], None],
    ) -> None:
        count = len(contacts)
        label = contacts[0].name if count == 1 else f"{count:,} contacts"
        super().__init__(f"Delete {label}")
        self.service = service
        self.ids = [c.id for c in contacts if c.id is not None]
        self.on_deleted = on_deleted
        self.on_restored = on_restored
        self.deleted: DeletedContacts | None = None

    def redo(self) -> None:
        self.deleted = self.service.delete(self.ids)
        self.on_deleted(self.ids)

    def undo(self) -> None:
        if self.deleted is not None:
            restored = self.service.restore(self.deleted)
            self.deleted = None
            self.on_restored(restored)


class EditContactCommand(QUndoCommand):
    """One saved edit of a contact; undo writes the previous values back."""

    def __init__(
        self,
        service: ContactService,
        before: Contact,
        after: Contact,
        fields: list[str],
        on_saved: Callable[[Contact], None],
    ) -> None:
        super().__init__(f"Edit {', '.join(f.replace('_', ' ') for f in fields)} of {after.name}")
        self.service = service
        self.before = before
        self.after = after
        self.fields = fields
        self.on_saved = on_saved

    def redo(self) -> None:
        self.on_saved(self.service.update(self.after, self.fields))

    def undo(self) -> None:
        self.on_saved(self.service.update(self.before, self.fields))

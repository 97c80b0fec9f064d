"""Undoable actions of the session (Ctrl+Z): deleting contacts and editing them.

The writes run on the task runner's single worker, so they queue behind (and never race)
an import or a locate run; what they return comes back on the GUI thread by signal. State
the undo needs (what a delete removed) is kept by the work itself on the worker, so an undo
queued right behind its delete always finds it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from netplanner.domain.entities import Contact
from netplanner.domain.progress import ProgressSink
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.tasks import TaskRunner
from netplanner.services.contacts import ContactService
from netplanner.storage.repositories.contacts import DeletedContacts


class DeleteContactsCommand(QUndoCommand):
    """Deletes contacts; undo puts them back with their ids, follow-ups and meetings."""

    def __init__(
        self,
        service: ContactService,
        runner: TaskRunner,
        contacts: Sequence[ContactSummary],
        on_deleted: Callable[[list[int]], None],
        on_restored: Callable[[list[Contact]], None],
        on_failure: Callable[[str], None],
    ) -> None:
        count = len(contacts)
        label = contacts[0].name if count == 1 else f"{count:,} contacts"
        super().__init__(f"Delete {label}")
        self.service = service
        self.runner = runner
        self.ids = [c.id for c in contacts]
        self.on_deleted = on_deleted
        self.on_restored = on_restored
        self.on_failure = on_failure
        self.deleted: DeletedContacts | None = None

    def _delete(self, _progress: ProgressSink) -> list[int]:
        self.deleted = self.service.delete(self.ids)
        return self.ids

    def _restore(self, _progress: ProgressSink) -> list[Contact]:
        deleted, self.deleted = self.deleted, None
        return self.service.restore(deleted) if deleted is not None else []

    def redo(self) -> None:
        self.runner.run(
            "Delete contacts",
            self._delete,
            on_success=lambda ids: self.on_deleted(list(ids)),
            on_failure=self.on_failure,
        )

    def undo(self) -> None:
        self.runner.run(
            "Restore contacts",
            self._restore,
            on_success=lambda restored: self.on_restored(list(restored)),
            on_failure=self.on_failure,
        )


class EditContactCommand(QUndoCommand):
    """One saved edit of a contact; undo writes the previous values back."""

    def __init__(
        self,
        service: ContactService,
        runner: TaskRunner,
        before: Contact,
        after: Contact,
        fields: list[str],
        on_saved: Callable[[Contact], None],
        on_failure: Callable[[str], None],
    ) -> None:
        super().__init__(f"Edit {', '.join(f.replace('_', ' ') for f in fields)} of {after.name}")
        self.service = service
        self.runner = runner
        self.before = before
        self.after = after
        self.fields = fields
        self.on_saved = on_saved
        self.on_failure = on_failure

    def _write(self, contact: Contact) -> None:
        fields = self.fields
        self.runner.run(
            "Save contact",
            lambda _progress: self.service.update(contact, fields),
            on_success=lambda saved: self.on_saved(saved),
            on_failure=self.on_failure,
        )

    def redo(self) -> None:
        self._write(self.after)

    def undo(self) -> None:
        self._write(self.before)

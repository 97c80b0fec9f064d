"""The contacts table model: a Qt view over a list of domain ``Contact`` objects.

Only the visible cells are asked for, so the model stays smooth at 30,000 contacts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from netplanner.domain.entities import Contact

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, Callable[[Contact], object]], ...] = (
    ("Name", lambda c: c.name),
    ("Company", lambda c: c.company or ""),
    ("Position", lambda c: c.position or ""),
    ("Location", lambda c: c.location_text or ""),
    ("Last met", lambda c: c.last_met.isoformat() if c.last_met else ""),
    ("Stage", lambda c: c.stage.value.capitalize()),
)

ContactRole = Qt.ItemDataRole.UserRole + 1


class ContactTableModel(QAbstractTableModel):
    """Rows are contacts; columns are the fields people scan a network by."""

    def __init__(self, contacts: Sequence[Contact] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._contacts: list[Contact] = list(contacts)

    def set_contacts(self, contacts: Sequence[Contact]) -> None:
        self.beginResetModel()
        self._contacts = list(contacts)
        self.endResetModel()

    def contact_at(self, row: int) -> Contact:
        return self._contacts[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._contacts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        contact = self._contacts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](contact)
        if role == ContactRole:
            return contact
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return None

"""The ranked suggestions of the Plan workspace, narrowed as the user changes the controls.

Ranking happens once per place and radius (on the read worker); the narrowing (target
companies, fits the criteria, met lately, text) is a list comprehension over what was
ranked, so it answers within a frame at any size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from netplanner.domain.geo import format_km
from netplanner.domain.ranking import Suggestion

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Name", "Company", "Distance", "Last met", "Why")
NAME, COMPANY, DISTANCE, LAST_MET, WHY = range(len(HEADERS))
DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class Narrowing:
    """The Plan workspace's narrowing controls, as values."""

    target_only: bool = False
    fits_only: bool = False
    hide_met_months: int | None = None  # hide those met within this many months
    text: str = ""


def _haystack(s: Suggestion) -> str:
    profile = s.contact
    parts = (profile.name, profile.company or "", profile.position or "", *s.reasons)
    return "\x1f".join(parts).casefold()


def _kept(
    suggestions: Sequence[Suggestion], hays: Sequence[str], narrowing: Narrowing, today: date
) -> list[Suggestion]:
    """Those that pass the controls, in one pass with each control read once (this runs
    on every keystroke and radius step, for thousands of people)."""
    target, fits = narrowing.target_only, narrowing.fits_only
    months = narrowing.hide_met_months
    since = today - timedelta(days=months * DAYS_PER_MONTH) if months else None
    words = narrowing.text.casefold().split()
    if not (target or fits or since or words):
        return list(suggestions)
    return [
        s
        for s, hay in zip(suggestions, hays, strict=True)
        if (not target or s.is_target)
        and (not fits or s.fits_criteria is not False)
        and (since is None or s.contact.last_met is None or s.contact.last_met < since)
        and all(word in hay for word in words)
    ]


class SuggestionsModel(QAbstractTableModel):
    """Rows are suggestions, best first; ``narrow`` changes which are shown."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[Suggestion] = []
        self._hay: list[str] = []
        self._hay_of: dict[int, tuple[tuple[str, ...], str]] = {}
        self._rows: list[Suggestion] = []
        self._unit = "km"
        self._narrowing = Narrowing()
        self._today = date.today()

    def set_suggestions(
        self,
        suggestions: Sequence[Suggestion],
        unit: str,
        today: date,
        narrowing: Narrowing | None = None,
    ) -> None:
        self._all, self._unit, self._today = list(suggestions), unit, today
        # Once per person, not per keystroke or radius step (the reasons do not change).
        cache = self._hay_of
        self._hay = []
        for s in self._all:
            known = cache.get(s.contact.id)
            # The same reasons object on a radius step: no tuple of strings compared.
            if known is not None and (known[0] is s.reasons or known[0] == s.reasons):
                hay = known[1]
            else:
                hay = _haystack(s)
                cache[s.contact.id] = (s.reasons, hay)
            self._hay.append(hay)
        self.narrow(narrowing if narrowing is not None else self._narrowing)

    def narrow(self, narrowing: Narrowing) -> None:
        self._narrowing = narrowing
        self.beginResetModel()
        today = self._today
        self._rows = _kept(self._all, self._hay, narrowing, today)
        self.endResetModel()

    def ranked(self) -> int:
        return len(self._all)

    def suggestion_at(self, row: int) -> Suggestion:
        return self._rows[row]

    def shown(self) -> list[Suggestion]:
        return list(self._rows)

    def row_of(self, contact_id: int | None) -> int:
        for row, s in enumerate(self._rows):
            if s.contact.id == contact_id:
                return row
        return -1

    def row_texts(self, row: int) -> tuple[str, ...]:
        """The text each cell of a row shows, by column: the table paints them from this
        (widgets/text_table.py) without asking ``data`` cell by cell, which was most of a
        radius step at 30,000 contacts."""
        return self._texts(self._rows[row])

    def _texts(self, s: Suggestion) -> tuple[str, str, str, str, str]:
        contact = s.contact
        return (
            contact.name,
            contact.company or "",
            format_km(s.distance_km, self._unit),
            contact.last_met.isoformat() if contact.last_met else "never",
            "; ".join(s.reasons),
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts(s)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == WHY:
            return "\n".join(s.reasons)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == DISTANCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

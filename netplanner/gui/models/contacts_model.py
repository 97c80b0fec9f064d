"""The contacts table model: a Qt view over a list of domain ``Contact`` objects.

It filters and sorts by itself instead of through a QSortFilterProxyModel: a proxy calls
back into Python once per row on every keystroke, while here a keystroke is one list
comprehension over precomputed lowercase text, which keeps filtering 30,000 contacts well
inside a frame. Only the visible cells are ever formatted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from netplanner.domain.entities import Contact, RelationshipStage
from netplanner.domain.geo import distance_km, format_km
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.models.contact_filter import filter_words

Index = QModelIndex | QPersistentModelIndex

ContactRole = Qt.ItemDataRole.UserRole + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_CONTACT = int(ContactRole)
_ANSWERED = frozenset({_ALIGNMENT, _TOOLTIP, _CONTACT})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)

HEADERS = ("Name", "Company", "Position", "Location", "From home", "Last met", "Stage")
NAME, COMPANY, POSITION, LOCATION, DISTANCE, LAST_MET, STAGE = range(len(HEADERS))
STAGE_ORDER = {stage: n for n, stage in enumerate(RelationshipStage)}
RECENT_FILTERS = 32


def haystack(contact: ContactSummary) -> str:
    """The lowercase text the filter box searches: name, company, position, location, tags."""
    parts = (
        contact.first_name,
        contact.last_name,
        contact.company or "",
        contact.position or "",
        contact.location_text or "",
        contact.tags_text,
    )
    return "\x1f".join(parts).lower()


def matches(hay: str, words: Sequence[str]) -> bool:
    """Whether a haystack holds every word of a filter (the Map follows the same test)."""
    return all(word in hay for word in words)


def _needs(contact: ContactSummary) -> int:
    return 1 if contact.lat is None or contact.lon is None else 0


def _date_key(day: date | None) -> tuple[bool, int]:
    return (day is None, day.toordinal() if day is not None else 0)


def _distance_of(home: tuple[float, float] | None, contact: ContactSummary) -> float | None:
    if home is None or contact.lat is None or contact.lon is None:
        return None
    return distance_km(home[0], home[1], contact.lat, contact.lon)


def sort_keys(
    column: int, contacts: Sequence[ContactSummary], distance: Sequence[float | None]
) -> list[Any]:
    """Each contact's key for sorting by ``column``, computed once per sort, not per compare."""
    c = contacts
    if column == NAME:
        # One string per contact, "first\0last": it orders as the pair (first, last) does,
        # "\0" being below every letter, and compares three times faster than the pair.
        keys = [(x.first_name + "\x00" + x.last_name).lower() for x in c]
        if any("\x00" in x.first_name for x in c):  # a stray NUL: the pair is exact
            return [(x.first_name.lower(), x.last_name.lower()) for x in c]
        return keys
    if column == COMPANY:
        return [(x.company or "\uffff").lower() for x in c]
    if column == POSITION:
        return [(x.position or "\uffff").lower() for x in c]
    if column == LOCATION:
        return [(x.location_text or "\uffff").lower() for x in c]
    if column == DISTANCE:
        return [(d is None, d or 0.0) for d in distance]
    if column == LAST_MET:
        return [_date_key(x.last_met) for x in c]
    return [STAGE_ORDER.get(x.stage, 0) for x in c]


@dataclass(frozen=True)
class PreparedContacts:
    """Contacts with what the table filters and sorts them by, worked out off the GUI thread.

    Built by ``prepare`` on the read worker (plain Python, no Qt), so the GUI thread only
    swaps it in: at 30,000 contacts the haystacks and the sort are most of a load.
    """

    contacts: list[ContactSummary]
    home: tuple[float, float] | None
    units: str
    hay: list[str] | None  # None: not yet (the first table is painted without them)
    distance: list[float | None]
    order: list[int]
    sort_column: int
    descending: bool
    needing: int


def haystacks(contacts: Sequence[ContactSummary]) -> list[str]:
    """Each contact's ``haystack``, in one pass."""
    sep = "\x1f"
    return [
        sep.join(
            (c.first_name, c.last_name, c.company or "", c.position or "",
             c.location_text or "", c.tags_text)
        ).lower()
        for c in contacts
    ]  # fmt: skip


def prepare(
    contacts: Sequence[ContactSummary],
    home: tuple[float, float] | None = None,
    units: str = "km",
    sort_column: int = NAME,
    descending: bool = False,
    searchable: bool = True,
) -> PreparedContacts:
    """``searchable=False`` leaves the haystacks for later (``set_haystacks``, or the first
    filter): the window's first table is painted without waiting for them."""
    listed = list(contacts)
    hay = haystacks(listed) if searchable else None
    distance: list[float | None] = (
        [_distance_of(home, c) for c in listed] if home is not None else [None] * len(listed)
    )
    keys = sort_keys(sort_column, listed, distance)
    order = sorted(range(len(listed)), key=keys.__getitem__, reverse=descending)
    needing = sum(1 for c in listed if c.lat is None or c.lon is None)
    return PreparedContacts(
        listed, home, units, hay, distance, order, sort_column, descending, needing
    )


class ContactTableModel(QAbstractTableModel):
    """Rows are contacts; columns are the fields people scan a network by.

    Attributes:
        filtered: emitted with (shown, total) after the rows shown changed.
    """

    filtered = Signal(int, int)

    def __init__(self, contacts: Sequence[ContactSummary] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._contacts: list[ContactSummary] = []
        self._hay: list[str] | None = []  # None: not worked out yet (``_searchable``)
        self._distance: list[float | None] = []
        self._order: list[int] = []  # all indexes, in the current sort order
        self._rows: list[int] = []  # the indexes shown, in order
        self._home: tuple[float, float] | None = None
        self._units = "km"
        self._words: list[str] = []
        self._needs_location = False
        self._only: frozenset[int] | None = None  # just these contacts (those that do not fit)
        self._notes: dict[int, str] = {}  # why, shown as the name's tooltip
        self._sort_column = NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._needing = 0
        self._row_of_id: dict[int, int] = {}  # contact id -> index, made when first asked
        # The rows of the filter texts typed lately (words, inbox only), in sort order.
        self._recent: dict[tuple[tuple[str, ...], bool], list[int]] = {}
        if contacts:
            self.set_contacts(contacts)

    # Loading ---------------------------------------------------------------------------
    def set_contacts(
        self,
        contacts: Sequence[ContactSummary],
        home: tuple[float, float] | None = None,
        units: str = "km",
    ) -> None:
        """Show these contacts, with distances from ``home`` (lat, lon) in ``units``."""
        self.set_prepared(prepare(contacts, home, units, *self.sorting))

    @property
    def sorting(self) -> tuple[int, bool]:
        """(column, descending) of the current sort, for ``prepare`` on a worker."""
        return self._sort_column, self._sort_order == Qt.SortOrder.DescendingOrder

    def set_prepared(self, prepared: PreparedContacts) -> None:
        """Show contacts prepared by ``prepare`` (re-sorted if the sort changed meanwhile)."""
        self.beginResetModel()
        self._contacts = prepared.contacts
        self._home = prepared.home
        self._units = prepared.units
        self._hay = prepared.hay
        self._distance = prepared.distance
        self._order = prepared.order
        self._needing = prepared.needing
        self._row_of_id = {}
        if (prepared.sort_column, prepared.descending) != self.sorting:
            self._order = list(range(len(self._contacts)))
            self._sort_order_in_place()
        self._rows = self._matching(self._order)
        self._shown_afresh()
        self.endResetModel()
        self.filtered.emit(len(self._rows), len(self._contacts))

    def _distance_of(self, contact: ContactSummary) -> float | None:
        return _distance_of(self._home, contact)

    def unsearched(self) -> list[ContactSummary] | None:
        """A copy of the contacts shown while their haystacks are still to be worked out
        (off the GUI thread, for ``set_haystacks``); None once they are."""
        return list(self._contacts) if self._hay is None else None

    def set_haystacks(self, contacts: list[ContactSummary], hay: list[str]) -> None:
        """Haystacks worked out for ``contacts`` (from ``unsearched``): taken only while none
        are there and the contacts shown are still those (an edit meanwhile: not taken)."""
        if self._hay is None and len(hay) == len(contacts) and contacts == self._contacts:
            self._hay = hay

    def _searchable(self) -> list[str]:
        if self._hay is None:
            self._hay = haystacks(self._contacts)  # filtered before the worker made them
        return self._hay

    # Filtering -------------------------------------------------------------------------
    def set_filter(self, text: str, needs_location: bool | None = None) -> None:
        """Show the contacts whose text holds every word of ``text`` (case-insensitive)."""
        words = filter_words(text)
        needs = self._needs_location if needs_location is None else needs_location
        narrowing = (
            needs == self._needs_location
            and len(words) >= len(self._words)
            and all(old in new for old, new in zip(self._words, words, strict=False))
        )
        self._words, self._needs_location = words, needs
        key = (tuple(words), needs)
        rows = self._recent.get(key)
        if rows is None:
            # Typing more only narrows: search the rows already shown, not all of them;
            # deleting comes back to a text typed a moment ago, whose rows are kept.
            rows = self._matching(self._rows if narrowing else self._order)
            if len(self._recent) >= RECENT_FILTERS:
                del self._recent[next(iter(self._recent))]
            self._recent[key] = rows
        if rows is not self._rows:
            self._show_rows(rows)
        self.filtered.emit(len(self._rows), len(self._contacts))

    def _show_rows(self, rows: list[int]) -> None:
        """Show ``rows`` instead of the rows shown: all of those removed, these inserted.

        Not a model reset: a reset also makes the view's column header repaint whole
        (nothing in it changed), a sixth of a keystroke's time at 30,000 contacts; the
        rows, the selection and the scrolling end up as after a reset.
        """
        root = QModelIndex()
        if self._rows:
            self.beginRemoveRows(root, 0, len(self._rows) - 1)
            self._rows = []
            self.endRemoveRows()
        if rows:
            self.beginInsertRows(root, 0, len(rows) - 1)
            self._rows = rows
            self.endInsertRows()

    def _shown_afresh(self) -> None:
        """The rows were worked out anew (new contacts, sort or scope): forget the others."""
        self._recent = {(tuple(self._words), self._needs_location): self._rows}

    def set_only(self, notes: dict[int, str] | None) -> None:
        """Show only the contacts in ``notes`` (None: all), each with its note as the tooltip
        of its name: the contacts that do not fit the criteria, and why."""
        self._only = None if notes is None else frozenset(notes)
        self._notes = dict(notes or {})
        self.beginResetModel()
        self._rows = self._matching(self._order)
        self._shown_afresh()
        self.endResetModel()
        self.filtered.emit(len(self._rows), len(self._contacts))

    def note_of(self, contact_id: int | None) -> str | None:
        return self._notes.get(contact_id) if contact_id is not None else None

    def _matching(self, candidates: Iterable[int]) -> list[int]:
        words, contacts = self._words, self._contacts
        rows = list(candidates)
        if self._only is not None:
            only = self._only
            rows = [i for i in rows if contacts[i].id in only]
        if self._needs_location:
            rows = [i for i in rows if contacts[i].lat is None or contacts[i].lon is None]
        if not words:
            return rows
        hay = self._searchable()
        for word in words:
            if len(rows) * 4 > len(hay):
                # Most rows still in: test every haystack in the order they lie in memory,
                # then keep the rows' order; reading them in the rows' (sorted) order would
                # miss the CPU's caches on nearly every one, at 30,000 twice as slow.
                held = [word in text for text in hay]
                rows = [i for i in rows if held[i]]
            else:
                rows = [i for i in rows if word in hay[i]]
        return rows

    @property
    def filter_words(self) -> list[str]:
        return list(self._words)

    @property
    def needs_location(self) -> bool:
        return self._needs_location

    # Sorting ---------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == (self._sort_column, self._sort_order) and self._sorted():
            return  # the view asks again when its header is set up: nothing to do
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self._sort_order_in_place()
        shown = set(self._rows)
        self._rows = [i for i in self._order if i in shown]
        self._shown_afresh()
        self.layoutChanged.emit()

    def _sort_order_in_place(self) -> None:
        keys = sort_keys(self._sort_column, self._contacts, self._distance)
        self._order.sort(
            key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder
        )

    def _sorted(self) -> bool:
        return len(self._order) == len(self._contacts)

    # Editing the list ------------------------------------------------------------------
    def replace_contact(self, saved: Contact) -> None:
        """Show the saved version of one contact (after an edit)."""
        self._replace(ContactSummary.of(saved))

    def apply_changes(self, found: Iterable[Contact], gone: Iterable[int]) -> None:
        """Show the stored state of changed contacts: replace, add back, or drop them."""
        fresh = {c.id: ContactSummary.of(c) for c in found if c.id is not None}
        dropped = set(gone)
        known = {c.id for c in self._contacts}
        if not dropped and all(i in known for i in fresh):
            for contact in fresh.values():
                self._replace(contact)
            return
        keep = [fresh.pop(c.id, c) for c in self._contacts if c.id not in dropped]
        self._reload_keeping_view([*keep, *fresh.values()])

    def _replace(self, contact: ContactSummary) -> None:
        for i, current in enumerate(self._contacts):
            if current.id == contact.id:
                self._needing += _needs(contact) - _needs(current)
                self._contacts[i] = contact
                if self._hay is not None:
                    self._hay[i] = haystack(contact)
                self._recent = {}  # any text's rows may hold it or not now
                self._distance[i] = self._distance_of(contact)
                if i in self._rows:
                    row = self._rows.index(i)
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
                return

    def remove_ids(self, ids: Iterable[int]) -> None:
        """Drop contacts (after a delete) without reloading the rest."""
        gone = set(ids)
        keep = [c for c in self._contacts if c.id not in gone]
        self._reload_keeping_view(keep)

    def add_contacts(self, contacts: Iterable[Contact]) -> None:
        """Show contacts again (after an undo) without reloading the rest."""
        self._reload_keeping_view([*self._contacts, *map(ContactSummary.of, contacts)])

    def _reload_keeping_view(self, contacts: list[ContactSummary]) -> None:
        words, needs = self._words, self._needs_location
        self.set_contacts(contacts, self._home, self._units)
        self._words, self._needs_location = [], False
        self.set_filter(" ".join(words), needs)

    # Reading ---------------------------------------------------------------------------
    def contact_at(self, row: int) -> ContactSummary:
        return self._contacts[self._rows[row]]

    def row_of(self, contact_id: int | None) -> int:
        """The row showing this contact, or -1."""
        if contact_id is None:
            return -1
        if not self._row_of_id and self._contacts:
            self._row_of_id = {c.id: i for i, c in enumerate(self._contacts)}
        i = self._row_of_id.get(contact_id)
        if i is None or self._contacts[i].id != contact_id:
            return -1
        try:
            return self._rows.index(i)
        except ValueError:
            return -1

    def key_at(self, row: int) -> int | None:
        """A key for the contact in ``row`` that finds it again after the filter or the sort
        changed (not after the contacts are shown anew); None for no row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_key(self, key: int | None) -> int:
        """The row showing the contact of ``key`` (from ``key_at``), or -1."""
        if key is None:
            return -1
        try:
            return self._rows.index(key)
        except ValueError:
            return -1

    def total(self) -> int:
        return len(self._contacts)

    def needing_location(self) -> int:
        """How many contacts have no coordinates yet (the inbox count)."""
        return self._needing

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def row_texts(self, row: int) -> tuple[str, ...]:
        """The text each cell of a row shows, by column: the table paints them from this
        without asking ``data`` cell by cell."""
        return self._texts_of(self._rows[row])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A painted cell asks for a dozen roles: those the table answers are checked first
        # and as plain ints, the rest return at once. The table paints most rows itself
        # from ``row_texts`` and the alignment (widgets/text_table.py): a role that changes
        # how a cell looks (font, colour, icon) must be painted there too.
        if role == _DISPLAY:
            return self._display(self._rows[index.row()], index.column())
        if role not in _ANSWERED or not index.isValid():
            return None
        i = self._rows[index.row()]
        if role == _ALIGNMENT:
            return _RIGHT if index.column() == DISTANCE else None
        if role == _CONTACT:
            return self._contacts[i]
        if index.column() == NAME and self._notes:
            note = self._notes.get(self._contacts[i].id)
            return f"Does not fit your criteria: {note}" if note else None
        return None

    def _display(self, i: int, column: int) -> str:
        return self._texts_of(i)[column]

    def _texts_of(self, i: int) -> tuple[str, ...]:
        """The texts of contact ``i``'s cells, in the order of HEADERS."""
        contact = self._contacts[i]
        km = self._distance[i]
        return (
            contact.name,
            contact.company or "",
            contact.position or "",
            contact.location_text or "",
            "" if km is None else format_km(km, self._units),
            contact.last_met.isoformat() if contact.last_met else "",
            contact.stage.value.capitalize(),
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == DISTANCE:
            if self._home is None:
                return "Set your home in Settings to see how far away each contact is."
            return "Great-circle distance from your home"
        return None

"""New contacts a column at a time, for the bulk path of an import.

A first import of a 30,000-row export creates 30,000 people who match no one: building a
Contact object for each, only for storage to take the fields out again, was a fifth of the
import. A parser that reads a table hands its rows as columns instead, and the import
writes them as they are; Contact objects are built only where rows must be merged,
checked or looked at one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from netplanner.domain.entities import Contact

_BLANK = Contact(first_name="").__dict__
_LIST_FIELDS = tuple(name for name, value in _BLANK.items() if isinstance(value, list))


@dataclass(frozen=True)
class ContactColumns:
    """New contacts as one list per field they set, row by row (the lists of list fields
    each the row's own); every other field holds a new contact's default."""

    columns: dict[str, list[Any]]
    count: int

    def __post_init__(self) -> None:
        if "first_name" not in self.columns:
            raise TypeError("contacts need a first_name column (Contact's one required field)")
        unknown = self.columns.keys() - _BLANK.keys()
        if unknown:
            raise TypeError(f"Contact has no field {sorted(unknown)}")
        if any(len(values) != self.count for values in self.columns.values()):
            raise ValueError("every column holds one value per contact")

    def __len__(self) -> int:
        return self.count

    def contacts(self, rows: Sequence[int] | None = None) -> list[Contact]:
        """A Contact per row, or per one of ``rows`` (their numbers, in order, each once):
        new objects each time, as what is built may be changed."""
        names = list(self.columns)
        lists = [name for name in _LIST_FIELDS if name not in self.columns]
        columns: Iterable[list[Any]] = self.columns.values()
        if rows is not None and len(rows) < self.count:  # as many rows: all of them
            columns = [list(map(values.__getitem__, rows)) for values in columns]
        blank = _BLANK
        built: list[Contact] = []
        for row in zip(*columns, strict=True):
            fields = blank.copy()
            for name in lists:
                fields[name] = []
            fields.update(zip(names, row, strict=True))
            contact = Contact.__new__(Contact)
            contact.__dict__ = fields
            built.append(contact)
        return built

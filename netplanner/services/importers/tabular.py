"""Reading CSV exports: finding the header under a preamble, rows with their line numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from netplanner.services.importers.records import ImportFileError

# How many records may come before the header (LinkedIn puts a "Notes:" paragraph there).
MAX_PREAMBLE_RECORDS = 20

csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class Table:
    """A CSV file's header and an iterator over its rows as (first line, cells)."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    header_line: int
    # The columns a parser asked for: the rest are reported as not read.
    used: set[int] = field(default_factory=set)

    def column(self, *names: str) -> int | None:
        """The index of the first of ``names`` present in the header (case-insensitive).

        The column found counts as read (see ``unmapped``).
        """
        lowered = [h.strip().lower() for h in self.header]
        for name in names:
            if name.lower() in lowered:
                index = lowered.index(name.lower())
                self.used.add(index)
                return index
        return None

    def unmapped(self) -> list[str]:
        """The named columns no field takes, in header order, so none is dropped silently."""
        seen: set[str] = set()
        names: list[str] = []
        for index, name in enumerate(self.header):
            name = name.strip()
            if name and index not in self.used and name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
        return names


def _normalised_text(text: str) -> str:
    if "\n" not in text and "\r" in text:  # classic Mac line ends
        return text.replace("\r", "\n")
    return text


def header_cells(text: str) -> Iterator[list[str]]:
    """The first records of a CSV text, for format detection."""
    reader = csv.reader(io.StringIO(_normalised_text(text[:65536]), newline=""))
    try:
        for count, record in enumerate(reader):
            if count >= MAX_PREAMBLE_RECORDS:
                return
            yield [cell.strip().lstrip("\ufeff") for cell in record]
    except csv.Error:
        return


def read_table(
    text: str, name: str, kind: str, is_header: Callable[[Sequence[str]], bool]
) -> Table:
    """The table in ``text`` whose header satisfies ``is_header``; ``ImportFileError`` if none."""
    text = _normalised_text(text)
    if text.count('"') % 2:
        raise ImportFileError(
            f"The file {name} ends inside a quoted value; it looks truncated or damaged."
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    last = 0
    try:
        for count, record in enumerate(reader):
            start, last = last + 1, reader.line_num
            if count >= MAX_PREAMBLE_RECORDS:
                break
            cells = [cell.strip().lstrip("\ufeff") for cell in record]
            if cells and is_header(cells):
                return Table(cells, _rows(reader, last, name), start)
    except csv.Error as exc:
        raise ImportFileError(f"The file {name} is not a readable CSV file: {exc}.") from exc
    raise ImportFileError(f"The file {name} is not {kind}: its column header is missing.")


def _rows(reader: Any, last: int, name: str) -> Iterator[tuple[int, list[str]]]:
    previous = last
    try:
        for record in reader:
            yield previous + 1, record
            previous = reader.line_num
    except csv.Error as exc:
        raise ImportFileError(
            f"The file {name} is damaged near line {previous + 1}: {exc}."
        ) from exc


def cell(row: Sequence[str], index: int | None) -> str:
    """The stripped cell at ``index``, or "" where the column is absent or the row short."""
    if index is None or index >= len(row):
        return ""
    return row[index].strip()

"""The read-only table every workspace lists its records in, set up one way."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def record_table(
    parent: QWidget,
    object_name: str,
    accessible_name: str,
    model: QAbstractItemModel,
    widths: Sequence[int] = (),
    *,
    many: bool = False,
    table: QTableView | None = None,
) -> QTableView:
    """A table of records: whole rows selected (``many``: several at once), nothing edited
    in place, one line of fixed height a row, and Tab leaving it for the next control rather
    than moving from cell to cell; the last column stretches, the others start at ``widths``.
    ``table``: a view of a QTableView subclass to set up so, instead of a new QTableView."""
    table = QTableView(parent) if table is None else table
    table.setObjectName(object_name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if many
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    rows = table.verticalHeader()
    rows.setVisible(False)
    # Fixed row heights: the view never measures every row (30,000 contacts).
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table

"""The contacts table paints its rows itself (for speed at 30,000 contacts): what the user
sees must be, pixel for pixel, what QTableView's own painting shows."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyleFactory

from netplanner.domain.entities import RelationshipStage
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.main_window import MainWindow
from netplanner.gui.models.contacts_model import DISTANCE, NAME
from netplanner.gui.widgets.text_table import PlainTextTableView
from netplanner.services.context import AppContext


def _painted(table: PlainTextTableView, plain: bool, fresh: bool = True) -> QImage:
    table.plain_painting = plain
    if fresh:
        table.forget_layouts()
    viewport = table.viewport()
    image = viewport.grab().toImage()
    if plain:  # and a second time from the kept layouts
        again = viewport.grab().toImage()
        assert again == image
    table.plain_painting = True
    return image


def _differing(a: QImage, b: QImage) -> int:
    """How many pixels differ (counted only when the images differ: it takes a while)."""
    assert a.size() == b.size()
    if a == b:
        return 0
    return sum(
        1 for y in range(a.height()) for x in range(a.width()) if a.pixel(x, y) != b.pixel(x, y)
    )


def assert_painted_as_qt_paints(table: PlainTextTableView, least_rows: int = 5) -> None:
    QApplication.processEvents()
    ours = _painted(table, plain=True)
    assert table.rows_painted_plainly >= least_rows  # not all left to QTableView
    assert _differing(ours, _painted(table, plain=False)) == 0


def recolour(
    table: PlainTextTableView, roles: tuple[QPalette.ColorRole, ...], *colours: tuple[str, ...]
) -> None:
    """Give ``roles`` these colours, one tuple each for the active, inactive and disabled
    groups."""
    palette = table.palette()
    groups = (
        QPalette.ColorGroup.Active,
        QPalette.ColorGroup.Inactive,
        QPalette.ColorGroup.Disabled,
    )
    for group, chosen in zip(groups, colours, strict=True):
        for role, colour in zip(roles, chosen, strict=True):
            palette.setColor(group, role, QColor(colour))
    table.setPalette(palette)


@pytest.fixture
def table(window: MainWindow) -> PlainTextTableView:
    window.resize(1280, 800)
    QApplication.processEvents()
    table = window.contacts.table
    assert isinstance(table, PlainTextTableView)
    return table


def test_rows_look_as_qt_paints_them_focused_or_not_and_selected(
    window: MainWindow, table: PlainTextTableView
) -> None:
    assert_painted_as_qt_paints(table)
    table.setFocus()
    window.contacts.select_row(2)
    assert_painted_as_qt_paints(table)
    selection = table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.select(window.contacts.model.index(5, 0), flags)
    assert_painted_as_qt_paints(table)
    window.contacts.filter_box.setFocus()
    window.contacts.filter_box.setText("a")
    assert_painted_as_qt_paints(table)


def test_scrolled_sorted_moved_narrow_and_disabled_tables_look_the_same(
    window: MainWindow, table: PlainTextTableView
) -> None:
    table.verticalScrollBar().setValue(37)
    assert_painted_as_qt_paints(table)
    table.sortByColumn(DISTANCE, Qt.SortOrder.DescendingOrder)  # right-aligned distances
    assert_painted_as_qt_paints(table)
    table.horizontalHeader().moveSection(1, 4)
    table.horizontalScrollBar().setValue(15)
    assert_painted_as_qt_paints(table)
    for column, width in ((NAME, 70), (2, 22), (DISTANCE, 9)):  # elided, even to nothing
        table.setColumnWidth(column, width)
    assert_painted_as_qt_paints(table)
    table.setEnabled(False)
    assert_painted_as_qt_paints(table)
    table.setEnabled(True)
    table.setShowGrid(False)
    table.setAlternatingRowColors(False)
    assert_painted_as_qt_paints(table)


@pytest.mark.parametrize("style", ["Fusion", "Windows"])
def test_names_in_any_script_look_the_same(
    window: MainWindow, table: PlainTextTableView, style: str, qtbot: Any
) -> None:
    names = [
        ("محمد", "العلي"),
        ("יעל", "כהן (Yael)"),
        ("张", "伟"),
        ("Zoë", "Ne\u0301meth"),
        ("Aiko 🌸", "Tanaka"),
        ("Two\nlines", "Name"),
        ("Tab\there", "Name"),
        ("Bartholomew-Maximilian", "Featherstonehaugh-Wolfeschlegelsteinhausen"),
        ("", ""),
    ]
    people = [
        ContactSummary(
            id=n + 1,
            first_name=first,
            last_name=last,
            company="Société Générale" if n % 2 else None,
            position="Ingeniera de datos" if n % 3 else "",
            location_text="Zürich, Switzerland" if n % 2 else "القاهرة",
            lat=47.4 if n % 2 else None,
            lon=8.5 if n % 2 else None,
            tags_text="",
            stage=RelationshipStage.NEW,
            last_met=date(2026, 3, n + 1) if n % 2 else None,
        )
        for n, (first, last) in enumerate(names)
    ]
    original, chosen = table.style(), QStyleFactory.create(style)  # both kept alive here
    table.setStyle(chosen)
    try:
        window.contacts.model.set_contacts(people, home=(52.5, 13.4))
        assert_painted_as_qt_paints(table)
        table.setFocus()
        window.contacts.select_row(5)
        assert_painted_as_qt_paints(table)
    finally:
        table.setStyle(original)


def test_an_edited_contact_is_painted_anew(
    window: MainWindow, table: PlainTextTableView, demo_context: AppContext
) -> None:
    model = window.contacts.model
    before = _painted(table, plain=True)  # the layouts of these rows are kept now
    contact = demo_context.contacts.get(model.contact_at(4).id)
    model.replace_contact(dataclasses.replace(contact, first_name="Wilhelmina", company="Zeta"))
    assert model.data(model.index(4, NAME)).startswith("Wilhelmina")
    after = _painted(table, plain=True, fresh=False)
    assert _differing(after, before) > 0
    assert _differing(after, _painted(table, plain=False)) == 0


@pytest.mark.parametrize(("points", "row_height"), [(7, 24), (8, 25), (11, 25), (12, 29)])
def test_other_font_sizes_row_heights_and_palettes_look_the_same(
    window: MainWindow, table: PlainTextTableView, points: int, row_height: int
) -> None:
    font = table.font()
    font.setPointSize(points)  # text and rows of odd and even heights: centred the same
    table.setFont(font)
    table.verticalHeader().setDefaultSectionSize(row_height)
    recolour(
        table,
        (QPalette.ColorRole.Text, QPalette.ColorRole.AlternateBase),
        ("#202080", "#e0f0e0"),
        ("#802020", "#f0e0e0"),
        ("#808080", "#e0e0f0"),
    )
    assert_painted_as_qt_paints(table)
    window.contacts.filter_box.setFocus()
    assert_painted_as_qt_paints(table)
    table.setEnabled(False)
    assert_painted_as_qt_paints(table)


def test_a_style_sheet_or_another_style_is_left_to_qt(table: PlainTextTableView) -> None:
    table.setStyleSheet("QTableView::item { padding: 6px; color: #a03030; }")
    QApplication.processEvents()
    table.viewport().grab()
    assert table.rows_painted_plainly == 0  # the style sheet's look, as Qt paints it
    table.setStyleSheet("")
    original, proxy = table.style(), QProxyStyle(QStyleFactory.create("Fusion"))
    table.setStyle(proxy)
    try:
        table.viewport().grab()
        assert table.rows_painted_plainly == 0
    finally:
        table.setStyle(original)
    table.viewport().grab()
    assert table.rows_painted_plainly > 0


def test_the_header_shows_the_selection_as_it_ends_after_each_keystroke(
    window: MainWindow, table: PlainTextTableView
) -> None:
    if window.devicePixelRatio() != 1:
        pytest.skip("the screen is grabbed in device pixels here")
    header = table.horizontalHeader()
    screen = window.windowHandle().screen()

    def shown_on_screen() -> QImage:
        table.viewport().repaint()  # everything due is painted, as after a keystroke
        corner = header.mapTo(window, header.rect().topLeft())
        return screen.grabWindow(
            window.winId(), corner.x(), corner.y(), header.width(), header.height()
        ).toImage()

    def painted_afresh() -> QImage:
        return header.grab().toImage().convertToFormat(shown_on_screen().format())

    assert header.highlightSections()  # sections of the selected row are drawn as such
    contacts = window.contacts
    for step in (
        lambda: contacts.select_row(3),
        lambda: contacts.filter_box.setText(contacts.model.contact_at(3).first_name[:2]),
        lambda: contacts.filter_box.setText("no contact is called this"),
        lambda: contacts.filter_box.setText("a"),
        lambda: table.clearSelection(),
        lambda: contacts.filter_box.setText("an"),
    ):
        step()
        assert shown_on_screen() == painted_afresh()


def test_selected_rows_are_painted_here_in_the_highlight_as_qt_paints_them(
    window: MainWindow, table: PlainTextTableView
) -> None:
    contacts = window.contacts
    contacts.filter_box.setFocus()  # the table without the focus: no focus frame anywhere
    contacts.select_row(1)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    table.selectionModel().select(contacts.model.index(4, 0), flags)
    rows_shown = table.rowAt(table.viewport().height() - 1) + 1 or contacts.model.rowCount()
    assert_painted_as_qt_paints(table, least_rows=rows_shown)  # every row, the selected too
    recolour(
        table,
        (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText),
        ("#3050c0", "#ffffe0"),
        ("#c05030", "#e0ffff"),
        ("#909090", "#303030"),
    )
    assert_painted_as_qt_paints(table, least_rows=rows_shown)
    table.setEnabled(False)
    assert_painted_as_qt_paints(table, least_rows=rows_shown)
    table.setEnabled(True)
    table.setFocus()  # now the current row has the focus frame: Qt paints that one
    assert_painted_as_qt_paints(table, least_rows=rows_shown - 1)

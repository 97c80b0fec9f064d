"""A table view that paints plain text cells itself, in one Python call per paint.

QTableView paints a cell by asking the model for a dozen roles and letting the style lay the
text out afresh, every cell of every paint: at 30,000 contacts that was most of a filter
keystroke (about 11 ms of the 18). This view asks the model for each cell's text directly,
keeps the laid-out text of the cells shown lately, and draws what QCommonStyle would draw
for a cell: the alternate row colour (the highlight for a selected row), the text with the
style's margins, alignment and elision, the grid. Rows that look different (partly
selected, current while the table has the focus, under the mouse, or holding text the
style treats specially) are left to QTableView's own painting,
as is everything when the style, direction or settings are ones this was not checked
against, so the table looks the same pixel for pixel (a test compares both).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, cast

from PySide6.QtCore import QItemSelection, QLineF, QModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QRegion,
    QStaticText,
    QTextLayout,
    QTextOption,
    QTransform,
)
from PySide6.QtWidgets import (
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

# Styles whose unselected cells are painted as QCommonStyle paints them (checked by a test);
# with any other style, a proxy or a style sheet, the view paints as QTableView does.
PLAIN_STYLES = frozenset({"QFusionStyle", "QWindowsStyle"})
# Texts and rows laid out lately, kept for the next paints (a text about 1 KB): enough for
# typing back and forth through a filter, few enough to cost a few MB at most.
TEXTS_KEPT = 2048
ROWS_KEPT = 1024
# Text the style lays out in ways of its own (line and paragraph breaks, tabs, controls).
_SPECIAL_TEXT = re.compile("[\x00-\x1f\x7f\x85\x9c\u2028\u2029]")
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_VCENTER = int(Qt.AlignmentFlag.AlignVCenter.value)
_BOTTOM = int(Qt.AlignmentFlag.AlignBottom.value)
_ENABLED = QStyle.StateFlag.State_Enabled
_ACTIVE = QStyle.StateFlag.State_Active


class PlainTextRows(Protocol):
    """A model whose cells show only their display text, aligned per column: no fonts,
    colours, icons or check boxes (those would have to be painted here too)."""

    def row_texts(self, row: int) -> Sequence[str]:
        """The text of each cell of ``row``, by (logical) column."""
        ...


# A cell's text laid out, and how far below the cell's top it is drawn.
Laid = tuple[QStaticText, int]
# A row's texts laid out, each with where it is drawn from the row's top left.
RowLaid = list[tuple[QStaticText, QPointF]]


class PlainTextTableView(QTableView):
    """A QTableView over a ``PlainTextRows`` model that paints its plain rows quickly."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The viewport made here, as QAbstractScrollArea makes its own: PySide's first
        # wrapping of a QWidget made by C++ resolves every lazily loaded widget class
        # (about 10 ms at start); this one is already wrapped.
        viewport = QWidget(self)
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)
        self.plain_painting = True  # False: every row as QTableView paints it
        default = self.horizontalHeader()
        header = SelectionAwareHeader(Qt.Orientation.Horizontal, self)
        header.setSectionsClickable(default.sectionsClickable())
        header.setHighlightSections(default.highlightSections())
        self.setHorizontalHeader(header)
        self.rows_painted_plainly = 0  # by the last paint (a test checks they were)
        # (text, text width, alignment, cell height) -> laid out, None: for the style to paint.
        self._layouts: dict[tuple[str, int, int, int], Laid | None] = {}
        # A row's texts and height -> each text laid out and where it goes in the row.
        self._rows_laid: dict[tuple[tuple[str, ...], int], RowLaid | None] = {}
        self._laid_for: tuple[object, ...] = ()  # font and columns they were laid out for

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.model()
        self.rows_painted_plainly = 0
        if not self._paints_plainly(model):
            super().paintEvent(event)
            return
        native = self._paint_plain_rows(event.rect(), cast(PlainTextRows, model))
        if not native.isEmpty():
            super().paintEvent(QPaintEvent(native))

    def _paints_plainly(self, model: object) -> bool:
        rows = self.verticalHeader()
        return (
            self.plain_painting
            and callable(getattr(model, "row_texts", None))
            and self.style().metaObject().className() in PLAIN_STYLES
            and self.isLeftToRight()
            and not self.wordWrap()
            and self.textElideMode() != Qt.TextElideMode.ElideNone
            and self.rootIndex() == QModelIndex()
            and not rows.sectionsHidden()
            and not rows.sectionsMoved()
            and type(self.itemDelegate()) is QStyledItemDelegate
            and all(
                self.itemDelegateForColumn(column) is None
                for column in range(self.horizontalHeader().count())
            )
        )

    def _paint_plain_rows(self, dirty: QRect, model: PlainTextRows) -> QRegion:
        """Paint the plain rows in ``dirty``; the region of the others, for QTableView."""
        native = QRegion()
        rows, columns = self.verticalHeader(), self.horizontalHeader()
        count = rows.count()
        if count == 0 or columns.count() == 0:
            return native
        grid = 1 if self.showGrid() else 0
        # As QTableView: nothing past the last row and column.
        left = dirty.left()
        right = min(dirty.right(), columns.length() - columns.offset() - 1)
        bottom = min(dirty.bottom(), rows.length() - rows.offset() - 1)
        top_row = rows.visualIndexAt(dirty.top())
        if right < left or bottom < dirty.top() or top_row < 0:
            return native
        last_row = rows.visualIndexAt(bottom)
        last_row = count - 1 if last_row < 0 else last_row
        # What QTableView hands its delegate for every cell.
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        style = self.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        cells = self._visible_cells(left, right, top_row, grid, option)
        if not cells:
            return native
        group = _color_group(option.state)
        alternate = option.palette.brush(group, QPalette.ColorRole.AlternateBase)
        grid_color = QColor.fromRgba(
            style.styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self) & 0xFFFFFFFF
        )
        # One rectangle a row where the grid lines cover what lies between the cells.
        whole_rows = not grid or grid_color.alpha() == 255
        cells_left = cells[0][1]
        cells_width = cells[-1][1] + cells[-1][2] - cells_left
        texts_at = [(column, x + margin, width - 2 * margin, a) for column, x, width, a in cells]
        laid_for = (option.font.key(), *texts_at)
        if self._laid_for[:1] != laid_for[:1]:
            self._layouts.clear()
        if laid_for != self._laid_for:
            self._rows_laid.clear()
            self._laid_for = laid_for
        rows_laid = self._rows_laid
        special, selected = self._special_rows(top_row, last_row)
        fills: list[QRect] = []
        texts: list[tuple[int, RowLaid]] = []
        # Selected rows: the highlight over their cells, their text in the highlighted colour.
        marked: list[QRect] = []
        marked_texts: list[tuple[int, RowLaid]] = []
        # [top, bottom, each row's bottom...] of each run of rows painted here, for the grid.
        spans: list[list[int]] = []
        alternating = self.alternatingRowColors()
        for row in range(top_row, last_row + 1):
            y = rows.sectionViewportPosition(row)
            height = rows.sectionSize(row) - grid
            key = (tuple(model.row_texts(row)), height)
            laid = rows_laid[key] if key in rows_laid else self._lay_out_row(key, texts_at, option)
            if row in special or laid is None:
                native += QRect(left, y, right - left + 1, height + grid)
                continue
            self.rows_painted_plainly += 1
            if row in selected:
                marked_texts.append((y, laid))
                filled: list[QRect] | None = marked
            else:
                texts.append((y, laid))
                filled = fills if alternating and row & 1 else None
            if filled is not None:
                if whole_rows:
                    filled.append(QRect(cells_left, y, cells_width, height))
                else:
                    filled += [QRect(x, y, width, height) for _c, x, width, _a in cells]
            end = y + height + grid - 1
            if spans and spans[-1][1] == y - 1:
                spans[-1][1] = end
                spans[-1].append(end)
            else:
                spans.append([y, end, end])

        painter = QPainter(self.viewport())
        palette = option.palette
        for rects, brush in (
            (fills, alternate),
            (marked, palette.brush(group, QPalette.ColorRole.Highlight)),
        ):
            if rects:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(brush)
                painter.drawRects(rects)
                painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setFont(option.font)
        for rows_of_text, role in (
            (texts, QPalette.ColorRole.Text),
            (marked_texts, QPalette.ColorRole.HighlightedText),
        ):
            if not rows_of_text:
                continue
            painter.setPen(palette.color(group, role))
            for y, laid in rows_of_text:
                painter.translate(0, y)
                for static, at in laid:
                    painter.drawStaticText(at, static)
                painter.translate(0, -y)
        if grid and spans:
            style_of_grid = self.gridStyle()
            if style_of_grid == Qt.PenStyle.SolidLine:
                # The pixels QTableView's one-pixel pen covers, filled at once.
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(grid_color)
                painter.drawRects(_grid_rects(spans, cells, left, right))
            else:
                painter.setPen(QPen(grid_color, 1, style_of_grid))
                painter.drawLines(_grid_lines(spans, cells, left, right))
        painter.end()
        return native

    def _lay_out_row(
        self,
        key: tuple[tuple[str, ...], int],
        texts_at: list[tuple[int, int, int, int]],
        option: QStyleOptionViewItem,
    ) -> RowLaid | None:
        """Lay out a row's texts (None: one of them is for the style to lay out) and keep
        them for the next paints."""
        shown, height = key
        layouts = self._layouts
        laid: RowLaid | None = []
        for column, x, width, alignment in texts_at:
            text = shown[column]
            if not text:
                continue
            text_key = (text, width, alignment, height)
            if text_key in layouts:
                cell = layouts[text_key]
            else:
                cell = layouts[text_key] = _laid_out(*text_key, option)
            if cell is None or laid is None:
                laid = None
                break
            laid.append((cell[0], QPointF(x, cell[1])))
        _make_room(layouts, TEXTS_KEPT)
        _make_room(self._rows_laid, ROWS_KEPT)
        self._rows_laid[key] = laid
        return laid

    def _visible_cells(
        self, left: int, right: int, row: int, grid: int, option: QStyleOptionViewItem
    ) -> list[tuple[int, int, int, int]]:
        """(column, x, width, alignment) of each column shown between ``left`` and ``right``,
        in the order shown; the alignment the model gives its cells (asked of one row)."""
        columns = self.horizontalHeader()
        first = columns.visualIndexAt(left)
        last = columns.visualIndexAt(right)
        first = 0 if first < 0 else first
        last = columns.count() - 1 if last < 0 else last
        model = self.model()
        default = int(option.displayAlignment.value)
        cells: list[tuple[int, int, int, int]] = []
        for visual in range(first, last + 1):
            column = columns.logicalIndex(visual)
            if columns.isSectionHidden(column):
                continue
            aligned = model.data(model.index(row, column), _ALIGNMENT)
            alignment = int(aligned) if aligned is not None else default
            x = columns.sectionViewportPosition(column)
            cells.append((column, x, columns.sectionSize(column) - grid, alignment))
        return cells

    def _special_rows(self, top_row: int, last_row: int) -> tuple[set[int], set[int]]:
        """Rows QTableView paints differently: those left to it (the current row while the
        table has the focus, the row under the mouse), and the selected rows painted here
        in the highlight (QCommonStyle fills a selected table row and nothing more)."""
        special: set[int] = set()
        selected: set[int] = set()
        selection = self.selectionModel()
        root = QModelIndex()
        if selection is not None and selection.hasSelection():
            for row in range(top_row, last_row + 1):
                if selection.rowIntersectsSelection(row, root):
                    if not selection.isRowSelected(row, root):
                        special.add(row)  # some cells of it only
                    else:
                        selected.add(row)
        current = self.currentIndex()
        viewport = self.viewport()
        if current.isValid() and (self.hasFocus() or viewport.hasFocus()):
            special.add(current.row())  # with the focus frame
        if viewport.testAttribute(Qt.WidgetAttribute.WA_Hover) and viewport.underMouse():
            special.add(self.rowAt(viewport.mapFromGlobal(QCursor.pos()).y()))
        return special, selected - special

    def forget_layouts(self) -> None:
        """Drop the laid-out text kept (a test paints it afresh)."""
        self._layouts.clear()
        self._rows_laid.clear()


class SelectionAwareHeader(QHeaderView):
    """A header that repaints for a selection change only if it shows it differently.

    QHeaderView repaints every section a changed selection spans: for a table that selects
    whole rows, all of it, on every filter keystroke (the selected row moves). What it
    draws of the selection is only which sections hold some of it (highlighted) and which
    are selected whole; when neither changed, that repaint would draw the same pixels.
    While ``selection_held``, the selection may pass through other states unrepainted: only
    where it ends is compared with what the header shows.
    """

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self._shown: tuple[object, ...] | None = None  # what it shows of the selection
        self._held = 0
        self._changed_while_held = False

    def selectionChanged(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        if self._held:
            self._changed_while_held = True
            return
        shown = self._selection_shown()
        if shown != self._shown:
            self._shown = shown
            super().selectionChanged(selected, deselected)

    @contextmanager
    def selection_held(self) -> Iterator[None]:
        """Repaint for the selection as it is at the end, not for each change on the way."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._changed_while_held:
                self._changed_while_held = False
                shown = self._selection_shown()
                if shown != self._shown:
                    self._shown = shown
                    self.viewport().update()

    def _selection_shown(self) -> tuple[object, ...]:
        selection = self.selectionModel()
        highlight = self.highlightSections()
        if selection is None or not selection.hasSelection():
            return (highlight,)
        root = self.rootIndex()
        sections = range(self.count())
        if self.orientation() == Qt.Orientation.Horizontal:
            whole = tuple(selection.isColumnSelected(c, root) for c in sections)
            held = tuple(selection.columnIntersectsSelection(c, root) for c in sections)
        else:
            whole = tuple(selection.isRowSelected(r, root) for r in sections)
            held = tuple(selection.rowIntersectsSelection(r, root) for r in sections)
        return (highlight, whole, held if highlight else None)


def _make_room(kept: dict[Any, Any], most: int) -> None:
    """Forget the older half of what is kept once it holds ``most``."""
    if len(kept) >= most:
        for stale in list(kept)[: most // 2]:
            del kept[stale]


def _color_group(state: QStyle.StateFlag) -> QPalette.ColorGroup:
    """The palette group QCommonStyle paints an item in, from the view's item state."""
    if not state & _ENABLED:
        return QPalette.ColorGroup.Disabled
    return QPalette.ColorGroup.Active if state & _ACTIVE else QPalette.ColorGroup.Inactive


def _laid_out(
    text: str, width: int, alignment: int, height: int, option: QStyleOptionViewItem
) -> Laid | None:
    """The text laid out on one line as QCommonStyle lays out an item's text, elided as it
    elides it, and its top within the cell; None for text the style lays out in a way of
    its own (breaks, tabs, control characters, too narrow a column)."""
    if _SPECIAL_TEXT.search(text):
        return None
    text_option = QTextOption()
    text_option.setWrapMode(QTextOption.WrapMode.ManualWrap)
    text_option.setTextDirection(Qt.LayoutDirection.LeftToRight)
    text_option.setAlignment(Qt.AlignmentFlag(alignment))
    font = option.font
    layout = _one_line(text, text_option, font, width)
    if layout.lineAt(0).naturalTextWidth() > width:
        elided = QFontMetrics(font).elidedText(text, option.textElideMode, width)
        layout = _one_line(elided, text_option, font, width)
        if layout.lineAt(0).naturalTextWidth() > width:
            return None  # too narrow even for "…": the style clips it to the cell
    shown = _rounded(layout.boundingRect().height())
    # Kept as static text, a fifth of the memory of the layout and drawn a little faster.
    static = QStaticText(layout.text())
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.setTextOption(text_option)
    static.setTextWidth(width)
    static.prepare(QTransform(), font)
    return static, _aligned(height, shown, alignment)


def _one_line(text: str, option: QTextOption, font: QFont, width: int) -> QTextLayout:
    layout = QTextLayout(text, font)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(width)
    line.setPosition(QPointF(0, 0))
    layout.endLayout()
    return layout


def _rounded(value: float) -> int:
    """``value`` rounded as qRound rounds it (halves away from zero)."""
    return math.floor(value + 0.5) if value >= 0 else -math.floor(-value + 0.5)


def _halved(value: int) -> int:
    """``value / 2`` as C++ divides ints (toward zero)."""
    return value // 2 if value >= 0 else -((-value) // 2)


def _aligned(space: int, height: int, alignment: int) -> int:
    """The text's top within its cell, as QStyle::alignedRect places it."""
    if alignment & _VCENTER == _VCENTER:
        return _halved(space) - _halved(height)
    if alignment & _BOTTOM == _BOTTOM:
        return space - height
    return 0


def _grid_lines(
    spans: list[list[int]], cells: list[tuple[int, int, int, int]], left: int, right: int
) -> list[QLineF]:
    """The lines QTableView draws over the rows painted here: along each row's last pixel
    row, and right of each column; on pixel centres, as its pen draws them."""
    lines: list[QLineF] = []
    for _top, _bottom, *row_bottoms in spans:
        for y in row_bottoms:
            lines.append(QLineF(left + 0.5, y + 0.5, right + 0.5, y + 0.5))
    for top, bottom, *_rows in spans:
        for _column, x, width, _alignment in cells:
            lines.append(QLineF(x + width + 0.5, top + 0.5, x + width + 0.5, bottom + 0.5))
    return lines


def _grid_rects(
    spans: list[list[int]], cells: list[tuple[int, int, int, int]], left: int, right: int
) -> list[QRect]:
    """The pixels of ``_grid_lines`` drawn with a solid pen (square caps reach each end)."""
    rects: list[QRect] = []
    for _top, _bottom, *row_bottoms in spans:
        for y in row_bottoms:
            rects.append(QRect(left, y, right - left + 1, 1))
    for top, bottom, *_rows in spans:
        for _column, x, width, _alignment in cells:
            rects.append(QRect(x + width, top, 1, bottom - top + 1))
    return rects

"""The debrief after a meeting: what you shared, what you heard, what you promised.

Every field maps to one of ``Debrief``'s; saving records them all at once through
``DebriefService.record``, which marks the meeting done and moves last met and the stage,
or refuses (a meeting still to come, or cancelled) with its own sentence, and nothing is
saved. Opening a meeting that has a debrief shows it, and saving again edits it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.entities import FollowUp
from netplanner.gui.operations import OpHost
from netplanner.gui.operations.debrief import (
    DebriefForm,
    DebriefServices,
    complete_follow_up,
    read_debrief,
    save_debrief,
)
from netplanner.services.debrief import DebriefResult


@dataclass(frozen=True)
class _Field:
    key: str  # the Debrief field
    label: str  # with its mnemonic; without it, the accessible name
    long: bool  # a few lines rather than one


SHARED = (
    _Field("food_drink", "&Food and drink", False),
    _Field("service", "The ser&vice", False),
    _Field("weather_journey", "The &weather or the journey", False),
    _Field("in_common", "What you both &liked", False),
    _Field("disliked", "What you both &disliked", False),
)
HEARD = (
    _Field("business", "Their &business", True),
    _Field("ambitions", "Their ambi&tions", True),
    _Field("challenges", "Their &challenges", True),
    _Field("learned", "What you lea&rned", True),
    _Field("notes", "&Notes", True),
)
RATINGS = ("Not rated", "1 – poor", "2 – so-so", "3 – fine", "4 – good", "5 – excellent")

TEXT, DUE, STATE = range(3)
IDS = Qt.ItemDataRole.UserRole  # on the text item: the stored follow-ups the row stands for
FOLLOW_UP_DAYS = 7  # a new follow-up is due a week from today unless changed


def _plain(label: str) -> str:
    return label.replace("&", "")


def when_text(local: datetime) -> str:
    """'Monday 16 November 2026, 15:00' for a local datetime."""
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}"


class DebriefDialog(QDialog):
    """The debrief form of one meeting; ``saved(meeting_id)`` once it is stored."""

    saved = Signal(int)

    def __init__(
        self,
        host: OpHost,
        services: DebriefServices,
        meeting_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.services = services
        self.meeting_id = meeting_id
        self.today = today or date.today()
        self.form_data: DebriefForm | None = None
        self._initial: tuple[object, ...] | None = None
        self._saving = False
        # Asked once before typed text is thrown away; tests replace it.
        self.confirm_discard: Callable[[], bool] = self._ask_discard
        self.setWindowTitle("Debrief")
        self.setObjectName("debrief-dialog")
        self.setMinimumWidth(640)

        self.meeting = QLabel("Reading the meeting…", self)
        self.meeting.setObjectName("debrief-meeting")
        self.meeting.setAccessibleName("Meeting")
        self.meeting.setWordWrap(True)
        self.meeting.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        shared = QGroupBox("The shared experience", self)
        shared.setObjectName("debrief-shared")
        shared_form = QFormLayout(shared)
        for spec in SHARED:
            shared_form.addRow(spec.label, self._edit(spec))
        heard = QGroupBox("What you heard and learned", self)
        heard.setObjectName("debrief-heard")
        heard_form = QFormLayout(heard)
        for spec in HEARD:
            heard_form.addRow(spec.label, self._edit(spec))
        self.rating = QComboBox(self)
        self.rating.setObjectName("debrief-rating")
        self.rating.setAccessibleName("How it went")
        self.rating.addItems(RATINGS)
        self.rating.setToolTip("Venues of meetings that went well rank higher in the planner.")
        shared_form.addRow("&How it went", self.rating)

        self.follow_ups = QTableWidget(0, 3, self)
        self.follow_ups.setObjectName("debrief-follow-ups")
        self.follow_ups.setAccessibleName("Follow-ups")
        self.follow_ups.setHorizontalHeaderLabels(["Follow-up", "Due", "State"])
        header = self.follow_ups.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DUE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.ResizeToContents)
        self.follow_ups.verticalHeader().hide()
        self.follow_ups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.follow_ups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.follow_ups.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.follow_ups.setTabKeyNavigation(False)  # Tab leaves the table, as in a form
        self.follow_ups.setMinimumHeight(110)
        self.follow_ups.itemSelectionChanged.connect(self._update_buttons)
        self.follow_ups_empty = QLabel(
            "No follow-ups. Add what you promised, or want to do, with a due date.", self
        )
        self.follow_ups_empty.setObjectName("debrief-follow-ups-empty")
        self.follow_ups_empty.setWordWrap(True)
        follow_ups_label = QLabel("F&ollow-ups (due dates as 2026-12-10)", self)
        follow_ups_label.setBuddy(self.follow_ups)
        self.add_button = self._button("&Add", "debrief-add-follow-up", "Add follow-up")
        self.add_button.clicked.connect(self.add_follow_up)
        self.edit_button = self._button("&Edit", "debrief-edit-follow-up", "Edit follow-up")
        self.edit_button.clicked.connect(self.edit_follow_up)
        self.remove_button = self._button("Re&move", "debrief-remove-follow-up", "Remove follow-up")
        self.remove_button.clicked.connect(self.remove_follow_up)
        self.done_button = self._button("Mar&k done", "debrief-follow-up-done", "Mark done")
        self.done_button.clicked.connect(self.mark_done)
        row_buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.done_button):
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)

        self.error = QLabel(self)
        self.error.setObjectName("debrief-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(highlight);")
        self.error.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("debrief-buttons")
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("&Save")
        save.setObjectName("debrief-save")
        save.setAccessibleName("Save")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("debrief-cancel")
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        body = QWidget(self)
        body.setObjectName("debrief-body")
        columns = QHBoxLayout()
        columns.addWidget(shared, 1)
        columns.addWidget(heard, 1)
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(columns)
        inner.addWidget(follow_ups_label)
        inner.addWidget(self.follow_ups)
        inner.addWidget(self.follow_ups_empty)
        inner.addLayout(row_buttons)
        scroll = QScrollArea(self)
        scroll.setObjectName("debrief-scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.meeting)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._set_ready(False)
        self.edits["food_drink"].setFocus()
        read_debrief(host, services, meeting_id).success(self._show).failure(
            self._read_failed
        ).run()

    # Building -------------------------------------------------------------------------

    def _edit(self, spec: _Field) -> QLineEdit | QPlainTextEdit:
        edit: QLineEdit | QPlainTextEdit
        if spec.long:
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(56)
        else:
            edit = QLineEdit(self)
        edit.setObjectName(f"debrief-{spec.key.replace('_', '-')}")
        edit.setAccessibleName(_plain(spec.label))
        self.edits[spec.key] = edit
        return edit

    def _button(self, text: str, name: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)  # Enter in a field saves the form, not adds a row
        return button

    def _set_ready(self, ready: bool) -> None:
        for widget in (*self.edits.values(), self.rating, self.follow_ups, self.add_button):
            widget.setEnabled(ready)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ready)
        self._update_buttons()

    # Reading --------------------------------------------------------------------------

    def _show(self, form: DebriefForm) -> None:
        self.form_data = form
        heading = form.heading
        where = f" at {heading.where}" if heading.where else ""
        self.meeting.setText(
            f"Meeting with {heading.who}, {when_text(heading.local_start)} "
            f"({heading.meeting.tzid} time){where}."
        )
        self.setWindowTitle(f"Debrief: {heading.who}")
        debrief = form.debrief
        for key, edit in self.edits.items():
            value = getattr(debrief, key) if debrief is not None else None
            if isinstance(edit, QLineEdit):
                edit.setText(value or "")
            else:
                edit.setPlainText(value or "")
        rating = debrief.rating if debrief is not None else None
        self.rating.setCurrentIndex(rating or 0)
        self.follow_ups.setRowCount(0)
        for group in _grouped(form.follow_ups):
            self._add_row(group[0].text, group[0].due, [f.id for f in group if f.id], group)
        self._set_ready(True)
        self._initial = self._state()

    def _read_failed(self, message: str) -> None:
        self.meeting.setText("This meeting could not be read.")
        self.show_error(message)

    # Follow-ups -----------------------------------------------------------------------

    def _add_row(
        self, text: str, due: date | None, ids: list[int], stored: list[FollowUp] | None = None
    ) -> int:
        row = self.follow_ups.rowCount()
        self.follow_ups.insertRow(row)
        done = bool(stored) and all(f.done for f in stored or [])
        text_item = QTableWidgetItem(text)
        text_item.setData(IDS, ids)
        due_item = QTableWidgetItem(due.isoformat() if due else "")
        state_item = QTableWidgetItem("Done" if done else "Open" if ids else "New")
        fixed = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if ids:  # the service keeps stored follow-ups by their text: only the date changes
            text_item.setFlags(fixed)
        if done:
            due_item.setFlags(fixed)
        state_item.setFlags(fixed)
        self.follow_ups.setItem(row, TEXT, text_item)
        self.follow_ups.setItem(row, DUE, due_item)
        self.follow_ups.setItem(row, STATE, state_item)
        self._update_buttons()
        return row

    def _row_ids(self, row: int) -> list[int]:
        item = self.follow_ups.item(row, TEXT)
        ids = item.data(IDS) if item is not None else None
        return list(ids) if ids else []

    def _current_row(self) -> int:
        rows = self.follow_ups.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _update_buttons(self) -> None:
        row = self._current_row()
        ready = self.form_data is not None and not self._saving
        stored = row >= 0 and bool(self._row_ids(row))
        state = self.follow_ups.item(row, STATE) if row >= 0 else None
        done = state is not None and state.text() == "Done"
        self.edit_button.setEnabled(ready and row >= 0 and not done)
        self.remove_button.setEnabled(ready and row >= 0 and not stored)
        self.done_button.setEnabled(ready and stored and not done)
        self.follow_ups_empty.setVisible(self.follow_ups.rowCount() == 0)

    def add_follow_up(self) -> None:
        """A new row due in a week, its text being edited."""
        row = self._add_row("", self.today + timedelta(days=FOLLOW_UP_DAYS), [])
        self.follow_ups.selectRow(row)
        self._edit_cell(row, TEXT)

    def edit_follow_up(self) -> None:
        """Edit the selected row in place: its text when new, else its due date."""
        row = self._current_row()
        if row < 0:
            return
        column = TEXT if not self._row_ids(row) else DUE
        current = self.follow_ups.currentItem()
        if (
            current is not None
            and current.row() == row
            and current.column() in (TEXT, DUE)
            and current.flags() & Qt.ItemFlag.ItemIsEditable
        ):
            column = current.column()
        self._edit_cell(row, column)

    def _edit_cell(self, row: int, column: int) -> None:
        item = self.follow_ups.item(row, column)
        if item is not None:
            self.follow_ups.setCurrentItem(item)
            self.follow_ups.setFocus()
            self.follow_ups.editItem(item)

    def remove_follow_up(self) -> None:
        """Remove a follow-up not saved yet (stored ones are marked done instead)."""
        row = self._current_row()
        if row >= 0 and not self._row_ids(row):
            self.follow_ups.removeRow(row)
        self._update_buttons()

    def mark_done(self) -> None:
        """Mark the selected stored follow-up done, at once (it is its own write)."""
        row = self._current_row()
        ids = self._row_ids(row) if row >= 0 else []
        if not ids:
            return

        def done(_follow_ups: list[FollowUp]) -> None:
            # Found again by its ids: rows may have been added or removed meanwhile.
            rows = [r for r in range(self.follow_ups.rowCount()) if self._row_ids(r) == ids]
            if not rows:
                return
            row = rows[0]
            for column in (DUE, STATE):
                item = self.follow_ups.item(row, column)
                if item is not None:
                    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
            state = self.follow_ups.item(row, STATE)
            if state is not None:
                state.setText("Done")
            self._update_buttons()
            text = self.follow_ups.item(row, TEXT)
            self.host.show_message(f"Done: {text.text() if text else 'the follow-up'}.")

        complete_follow_up(self.host, self.services, ids).success(done).failure(
            self.show_error
        ).run()

    # Saving ---------------------------------------------------------------------------

    def fields(self) -> dict[str, object]:
        """Every field as typed ("" clears one recorded before) and the rating, if any."""
        values: dict[str, object] = {}
        for key, edit in self.edits.items():
            values[key] = edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
        values["rating"] = self.rating.currentIndex() or None
        return values

    def _rows(self) -> list[tuple[str, str, list[int]]]:
        rows = []
        for row in range(self.follow_ups.rowCount()):
            text = self.follow_ups.item(row, TEXT)
            due = self.follow_ups.item(row, DUE)
            rows.append(
                (
                    text.text().strip() if text else "",
                    due.text().strip() if due else "",
                    self._row_ids(row),
                )
            )
        return rows

    def _state(self) -> tuple[object, ...]:
        return (tuple(sorted(self.fields().items())), tuple((t, d) for t, d, _ in self._rows()))

    @property
    def dirty(self) -> bool:
        """True when the user typed something since the form was read."""
        return self._initial is not None and self._state() != self._initial

    def follow_ups_to_save(self) -> list[tuple[str, date | None]]:
        """New follow-ups, and stored ones whose due date changed; a bad date raises."""
        wanted: list[tuple[str, date | None]] = []
        initial = dict(((t, tuple(ids)), d) for t, d, ids in self._initial_rows())
        for text, due_text, ids in self._rows():
            if not text and not due_text and not ids:
                continue  # a row added and left empty
            try:
                due = date.fromisoformat(due_text) if due_text else None
            except ValueError:
                raise ValueError(
                    f'The due date "{due_text}" is not a date; write it as '
                    f"{(self.today + timedelta(days=FOLLOW_UP_DAYS)).isoformat()}."
                ) from None
            if ids and initial.get((text, tuple(ids))) == due_text:
                continue  # stored and unchanged
            wanted.append((text, due))
        return wanted

    def _initial_rows(self) -> list[tuple[str, str, list[int]]]:
        form = self.form_data
        if form is None:
            return []
        return [
            (g[0].text, g[0].due.isoformat() if g[0].due else "", [f.id for f in g if f.id])
            for g in _grouped(form.follow_ups)
        ]

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        if self.form_data is None or self._saving:
            return
        try:
            follow_ups = self.follow_ups_to_save()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.error.hide()
        self._saving = True
        self._set_ready(False)

        def saved(result: DebriefResult) -> None:
            self._saving = False
            heading = self.form_data.heading if self.form_data else None
            who = heading.who if heading else f"meeting {self.meeting_id}"
            self.host.show_message(f"Saved the debrief of your meeting with {who}.")
            self.saved.emit(self.meeting_id)
            super(DebriefDialog, self).accept()

        def failed(message: str) -> None:
            self._saving = False
            self._set_ready(True)
            self.show_error(message)

        save_debrief(self.host, self.services, self.meeting_id, self.fields(), follow_ups).success(
            saved
        ).failure(failed).run()

    def reject(self) -> None:
        """Close without saving; typed text is thrown away only when the user says so."""
        if self._saving:
            return
        if self.dirty and not self.confirm_discard():
            return
        super().reject()

    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Discard the debrief?",
            "What you typed in this debrief is not saved. Discard it?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


def _grouped(follow_ups: list[FollowUp]) -> list[list[FollowUp]]:
    """Follow-ups of one promise together: the service keeps one for each contact met."""
    groups: dict[tuple[str, date | None], list[FollowUp]] = {}
    for follow_up in follow_ups:
        groups.setdefault((follow_up.text, follow_up.due), []).append(follow_up)
    return list(groups.values())

"""Move a meeting: a new date and time in the meeting's own zone, and how long it lasts.

The dialog only collects the new start and duration; the workspace saves them as an
operation and the dialog stays open with the reason in one sentence when the time is
refused (one a clock change skips or repeats, with both instants named).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.errors import InputError
from netplanner.domain.localtime import local_to_utc, utc_to_local
from netplanner.domain.today import zone_city
from netplanner.services.meetings import MAX_DURATION_MIN

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _qdatetime(moment: datetime) -> QDateTime:
    return QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
    )


def _naive(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class RescheduleDialog(QDialog):
    """The new time; ``save_handler(dialog)`` stores it and returns False to stay open."""

    def __init__(
        self,
        start_local: datetime,
        duration_min: int,
        tzid: str,
        home_tzid: str,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tzid = tzid
        self.home_tzid = home_tzid
        self.setWindowTitle("Reschedule meeting")
        self.setObjectName("reschedule-dialog")
        self.setMinimumWidth(420)
        self.setAccessibleName("Reschedule meeting")
        self.save_handler: Callable[[RescheduleDialog], bool] | None = None

        self.heading = QLabel(title, self)
        self.heading.setObjectName("reschedule-heading")
        self.heading.setWordWrap(True)
        self.heading.setVisible(bool(title))
        self.start = QDateTimeEdit(_qdatetime(start_local), self)
        self.start.setObjectName("reschedule-start")
        self.start.setAccessibleName(f"Start, {zone_city(tzid)} time")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.duration = QSpinBox(self)
        self.duration.setObjectName("reschedule-duration")
        self.duration.setAccessibleName("Duration in minutes")
        self.duration.setRange(1, MAX_DURATION_MIN)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" min")
        self.duration.setValue(max(1, min(duration_min, MAX_DURATION_MIN)))
        self.yours = QLabel(self)
        self.yours.setObjectName("reschedule-your-time")
        self.yours.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("reschedule-error")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow(f"&Start ({zone_city(tzid)} time)", self.start)
        form.addRow("&Duration", self.duration)
        form.addRow("", self.yours)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.start.dateTimeChanged.connect(lambda _v: self._show_your_time())
        self._show_your_time()
        self.start.setFocus()

    def start_local(self) -> datetime:
        """The new start as a wall-clock time in the meeting's zone."""
        return _naive(self.start.dateTime())

    def duration_min(self) -> int:
        return int(self.duration.value())

    def _show_your_time(self) -> None:
        """The new start at home too, so a call across zones is planned at a sane hour."""
        if self.home_tzid == self.tzid:
            self.yours.setText("")
            self.yours.hide()
            return
        try:
            instant = local_to_utc(self.start_local(), self.tzid)
        except InputError:
            self.yours.setText("A clock change skips or repeats this time there.")
        else:
            home = utc_to_local(instant, self.home_tzid)
            day = f"{home.day} {_MONTHS[home.month - 1]}"  # English, whatever the locale
            self.yours.setText(f"That is {home:%H:%M} on {day} your time ({self.home_tzid}).")
        self.yours.show()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        self.error.hide()
        if self.save_handler is not None and not self.save_handler(self):
            return
        super().accept()

    def finish_saving(self) -> None:
        """Close after a save the handler finished later (on a worker)."""
        self.setEnabled(True)
        super().accept()

"""Locate contacts: geocoding with progress and Cancel, and the online-consent question."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.progress import ProgressSink
from netplanner.gui.tasks import Lane, Task, TaskRunner

CONSENT_TEXT = (
    "<p><b>{missing:,} contacts could not be placed with the offline gazetteer.</b></p>"
    "<p>NetPlanner can ask an online service for these places. If you turn this on:</p>"
    "<ul>"
    "<li><b>What is sent:</b> only the location text as written, e.g. “Springfield, IL”. "
    "Never names, companies, emails or notes.</li>"
    "<li><b>To whom:</b> Nominatim, the search service of OpenStreetMap "
    "(nominatim.openstreetmap.org), or the provider you set in Settings.</li>"
    "<li><b>Under which policy:</b> the Nominatim usage policy (at most one request per "
    "second, an identifying User-Agent). Each place is asked once and remembered. Results "
    "are © OpenStreetMap contributors, ODbL.</li>"
    "</ul>"
    "<p>It stays off unless you turn it on; you can change this later in Settings.</p>"
)


class Geocoder(Protocol):
    """What the dialog needs from ``context.geocoding``."""

    def geocode_all(self, online: bool, progress: ProgressSink) -> Any: ...


class OnlineConsentDialog(QDialog):
    """Explains what online geocoding would send, to whom and why; off unless checked."""

    def __init__(self, missing: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Look up places online?")
        self.setMinimumWidth(520)
        text = QLabel(CONSENT_TEXT.format(missing=missing), self)
        text.setWordWrap(True)
        self.allow = QCheckBox("Look up these places online (Nominatim / OpenStreetMap)", self)
        self.allow.setObjectName("consent-allow-online")
        self.allow.setChecked(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.allow)
        layout.addWidget(buttons)

    def online_allowed(self) -> bool:
        return self.result() == QDialog.DialogCode.Accepted and self.allow.isChecked()


class LocateDialog(QDialog):
    """Runs ``geocode_all`` on the worker with a progress bar and Cancel; shows the outcome.

    Attributes:
        located: a run finished; its report is ``self.report``.
    """

    located = Signal()

    def __init__(
        self, geocoder: Geocoder, runner: TaskRunner, online: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Locate contacts")
        self.setMinimumWidth(480)
        self.geocoder = geocoder
        self.runner = runner
        self.online = online
        self.task: Task[Any] | None = None
        self.report: Any = None
        where = (
            "the offline gazetteer, then online for what it does not know"
            if online
            else "the offline gazetteer (nothing leaves this computer)"
        )
        self.title = QLabel(f"Finding every contact's place with {where}.", self)
        self.title.setWordWrap(True)
        self.status = QLabel("Starting…", self)
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        online = self.online
        # Online lookups wait on a server for a second each: they run in the network lane,
        # so edits made meanwhile are not held back.
        lane = Lane.NETWORK if online else Lane.WRITE
        task: Task[Any] = self.runner.task("Locate contacts", self._done, self._failed, lane)
        task.progressed.connect(self._on_progress)
        task.cancelled.connect(self._cancelled)
        self.task = task
        self.runner.start(task, lambda progress: self.geocoder.geocode_all(online, progress))

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.status.setText(message or f"{done:,} of {total:,} places")

    def cancel(self) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()
            self.status.setText("Stopping after the current place…")
        else:
            self.reject()

    def _finish(self, text: str) -> None:
        self.task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(text)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    def _done(self, report: object) -> None:
        self.report = report
        located = getattr(report, "located", 0)
        not_found = getattr(report, "not_found", 0)
        failed = getattr(report, "failed", 0)
        requests = getattr(report, "requests", 0)
        text = f"<b>{located:,} contacts located.</b> "
        text += f"{not_found:,} could not be placed." if not_found else "Every place was found."
        text += f" {failed:,} lookups failed and are tried again next time." if failed else ""
        text += f" Online requests: {requests:,}." if self.online else " Nothing was sent online."
        self._finish(text)
        self.located.emit()

    def _failed(self, message: str) -> None:
        self._finish(f"Locating stopped: {message}")

    def _cancelled(self) -> None:
        self._finish("Locating cancelled. Run it again at any time to continue.")

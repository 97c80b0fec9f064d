"""The briefing before meeting someone: who they are, what you shared, what to ask.

The view is for the user alone, so it shows private notes (the contact's and the
debriefs'), marked as such. What leaves the window, *Copy* (text that may be pasted to
others) and *Save as PDF…* (a file that may be forwarded), leaves them out; the calendar
event carries no briefing at all.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.entities import Contact, FollowUp, RelationshipStage
from netplanner.domain.errors import NetPlannerError
from netplanner.gui.operations import OpHost
from netplanner.gui.operations.debrief import (
    BriefingServices,
    complete_follow_up,
    read_briefing,
    save_briefing_pdf,
)
from netplanner.services.briefing import Briefing, MeetingMemory

SHARED_LABELS = (
    ("food_drink", "Food and drink"),
    ("service", "The service"),
    ("weather_journey", "The weather or the journey"),
    ("in_common", "You both liked"),
    ("disliked", "You both disliked"),
    ("learned", "What you learned"),
)
STAGES = {
    RelationshipStage.NEW: "a new connection",
    RelationshipStage.CONTACTED: "contacted, not met yet",
    RelationshipStage.MET: "met",
    RelationshipStage.RELATIONSHIP: "an established relationship",
}


def _day(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _when(memory: MeetingMemory) -> str:
    local = memory.local_start
    venue = f" at {memory.venue}" if memory.venue else ""
    return f"{_day(local)}, {local:%H:%M} ({memory.meeting.tzid} time){venue}"


@dataclass
class Section:
    """A heading, its lines, and sub-blocks (one per meeting) of a title and lines each."""

    title: str
    lines: list[str] = field(default_factory=list)
    blocks: list[tuple[str, list[str]]] = field(default_factory=list)
    bullets: bool = False


def _who(contact: Contact, private: bool) -> list[str]:
    lines = []
    role = " at ".join(part for part in (contact.position, contact.company) if part)
    if role:
        lines.append(role)
    if contact.industry:
        lines.append(f"Industry: {contact.industry}")
    if contact.location_text:
        zone = f" ({contact.timezone})" if contact.timezone else ""
        lines.append(f"Lives in {contact.location_text}{zone}")
    connected = f"Connected since {_day(contact.connected_on)}" if contact.connected_on else ""
    stage = f"stage: {STAGES.get(contact.stage, str(contact.stage))}"
    lines.append(f"{connected}; {stage}" if connected else stage.capitalize())
    if contact.last_met:
        lines.append(f"Last met on {_day(contact.last_met)}")
    if contact.interests:
        lines.append("Interests: " + ", ".join(contact.interests))
    if contact.past_experience:
        lines.append("Before: " + "; ".join(contact.past_experience))
    if private and contact.notes:
        lines.append(f"Your notes (private): {contact.notes}")
    return lines


def briefing_sections(
    briefing: Briefing, meeting_id: int | None, today: date, *, private: bool
) -> list[Section]:
    """The briefing in order; ``private`` adds the user's own notes."""
    sections = [Section("Who they are", _who(briefing.contact, private))]
    coming = [m for m in briefing.upcoming if meeting_id is None or m.meeting.id == meeting_id]
    if coming:
        title = "Your coming meeting" if meeting_id is not None else "Coming up"
        sections.append(Section(title, [_when(m) for m in coming], bullets=True))
    past = Section(f"Your meetings ({len(briefing.meetings)})")
    for memory in briefing.meetings:
        debrief = memory.debrief
        lines: list[str] = []
        if debrief is None:
            lines.append("Not debriefed.")
        else:
            for key, label in SHARED_LABELS:
                value = getattr(debrief, key)
                if value:
                    lines.append(f"{label}: {value}")
            if debrief.rating:
                lines.append(f"How it went: {debrief.rating} of 5")
            if private and debrief.notes:
                lines.append(f"Your notes (private): {debrief.notes}")
            if not lines:
                lines.append("Debriefed, with nothing about the experience written down.")
        past.blocks.append((_when(memory), lines))
    if not briefing.meetings:
        past.lines.append("You have not met yet: plan a coffee, and debrief it afterwards.")
    sections.append(past)
    heard = briefing.last_heard
    sections.append(
        Section(
            "What you last heard",
            [
                f"Their business: {heard.business or 'not known yet'}",
                f"Their ambitions: {heard.ambitions or 'not known yet'}",
                f"Their challenges: {heard.challenges or 'not known yet'}",
            ],
        )
    )
    sections.append(
        Section(
            f"Open follow-ups ({len(briefing.follow_ups)})",
            [follow_up_text(f, today) for f in briefing.follow_ups] or ["Nothing open."],
            bullets=bool(briefing.follow_ups),
        )
    )
    sections.append(Section("Questions worth asking", list(briefing.questions), bullets=True))
    return sections


def follow_up_text(follow_up: FollowUp, today: date) -> str:
    if follow_up.due is None:
        return follow_up.text
    late = ", overdue" if follow_up.due < today else ""
    return f"{follow_up.text} (due {_day(follow_up.due)}{late})"


def briefing_html(name: str, sections: list[Section], note: str | None = None) -> str:
    """The sections as HTML; every text from the user is escaped."""
    e = html.escape
    parts = [f"<h1>{e(name)}</h1>"]
    if note:
        parts.append(f"<p><i>{e(note)}</i></p>")
    for section in sections:
        parts.append(f"<h2>{e(section.title)}</h2>")
        if section.bullets:
            parts.append(
                "<ul>" + "".join(f"<li>{e(line)}</li>" for line in section.lines) + "</ul>"
            )
        elif section.lines:
            parts.append("<p>" + "<br>".join(e(line) for line in section.lines) + "</p>")
        for title, lines in section.blocks:
            parts.append(f"<h3>{e(title)}</h3>")
            parts.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in lines) + "</ul>")
    return "\n".join(parts)


def briefing_text(name: str, sections: list[Section]) -> str:
    """The sections as plain text, for the clipboard."""
    out = [name]
    for section in sections:
        out += ["", section.title]
        out += [f"- {line}" if section.bullets else line for line in section.lines]
        for title, lines in section.blocks:
            out.append(f"  {title}")
            out += [f"    - {line}" for line in lines]
    return "\n".join(out) + "\n"


class BriefingDialog(QDialog):
    """The briefing of one contact (and, when given, their coming meeting)."""

    def __init__(
        self,
        host: OpHost,
        services: BriefingServices,
        contact_id: int,
        meeting_id: int | None = None,
        parent: QWidget | None = None,
        *,
        now: datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.services = services
        self.contact_id = contact_id
        self.meeting_id = meeting_id
        self.now = now or datetime.now(UTC)
        self.briefing: Briefing | None = None
        # Where to save the PDF (None: the user changed their mind); tests replace it.
        self.ask_path: Callable[[str], Path | None] = self._choose_path
        self.setWindowTitle("Briefing")
        self.setObjectName("briefing-dialog")
        self.resize(720, 640)

        self.view = QTextBrowser(self)
        self.view.setObjectName("briefing-text")
        self.view.setAccessibleName("Briefing")
        self.view.setOpenLinks(False)
        self.view.setPlaceholderText("Reading the briefing…")

        self.follow_ups_box = QGroupBox("Open follow-ups", self)
        self.follow_ups_box.setObjectName("briefing-follow-ups")
        self.follow_ups_box.setAccessibleName("Open follow-ups")
        self.follow_ups_layout = QVBoxLayout(self.follow_ups_box)
        self.follow_up_buttons: dict[int, QPushButton] = {}

        self.error = QLabel(self)
        self.error.setObjectName("briefing-error")
        self.error.setWordWrap(True)
        self.error.hide()

        self.buttons = QDialogButtonBox(self)
        self.buttons.setObjectName("briefing-buttons")
        self.pdf_button = self._button("Save as &PDF…", "briefing-save-pdf", "Save as PDF…")
        self.pdf_button.clicked.connect(self.save_pdf)
        self.copy_button = self._button("&Copy", "briefing-copy", "Copy")
        self.copy_button.clicked.connect(self.copy)
        self.buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("briefing-close")
        close.setAccessibleName("Close")
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.follow_ups_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._set_ready(False)
        self.refresh()

    def _button(self, text: str, name: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        return button

    def _set_ready(self, ready: bool) -> None:
        self.pdf_button.setEnabled(ready)
        self.copy_button.setEnabled(ready)

    def refresh(self) -> None:
        """Read the briefing again (after a follow-up is done, or a debrief saved)."""
        read_briefing(self.host, self.services, self.contact_id, self.now).success(
            self._show
        ).failure(self.show_error).run()

    def sections(self, *, private: bool) -> list[Section]:
        assert self.briefing is not None
        return briefing_sections(self.briefing, self.meeting_id, self.now.date(), private=private)

    def html(self, *, private: bool) -> str:
        assert self.briefing is not None
        briefing = self.briefing
        has_notes = bool(briefing.contact.notes) or any(
            m.debrief is not None and m.debrief.notes for m in briefing.meetings
        )
        note = (
            "Your private notes are shown here only: Copy and the PDF leave them out."
            if private and has_notes
            else None
        )
        return briefing_html(self.briefing.contact.name, self.sections(private=private), note)

    def text(self) -> str:
        """What Copy puts on the clipboard: the briefing without private notes."""
        assert self.briefing is not None
        return briefing_text(self.briefing.contact.name, self.sections(private=False))

    def _show(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self.setWindowTitle(f"Briefing: {briefing.contact.name}")
        scroll = self.view.verticalScrollBar().value()
        self.view.setHtml(self.html(private=True))
        self.view.verticalScrollBar().setValue(scroll)
        self._show_follow_ups(briefing.follow_ups)
        self._set_ready(True)

    def _show_follow_ups(self, follow_ups: list[FollowUp]) -> None:
        while self.follow_ups_layout.count():
            item = self.follow_ups_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.follow_up_buttons = {}
        if not follow_ups:
            empty = QLabel("No open follow-ups. Add them in a meeting's debrief.", self)
            empty.setObjectName("briefing-no-follow-ups")
            self.follow_ups_layout.addWidget(empty)
            return
        today = self.now.date()
        for follow_up in follow_ups:
            row = QWidget(self.follow_ups_box)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(follow_up_text(follow_up, today), row)
            label.setWordWrap(True)
            button = QPushButton("Mark done", row)
            button.setObjectName(f"briefing-follow-up-done-{follow_up.id}")
            button.setAccessibleName(f"Mark done: {follow_up.text}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, fid=follow_up.id: self.mark_done(fid))
            line.addWidget(label, 1)
            line.addWidget(button)
            self.follow_ups_layout.addWidget(row)
            if follow_up.id is not None:
                self.follow_up_buttons[follow_up.id] = button

    def mark_done(self, follow_up_id: int | None) -> None:
        """Mark one follow-up done; the briefing is read again."""
        if follow_up_id is None:
            return

        def done(follow_ups: list[FollowUp]) -> None:
            self.host.show_message(f"Done: {follow_ups[0].text}." if follow_ups else "Done.")
            self.refresh()

        complete_follow_up(self.host, self.services, [follow_up_id]).success(done).failure(
            self.show_error
        ).run()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def copy(self) -> None:
        if self.briefing is None:
            return
        QGuiApplication.clipboard().setText(self.text())
        self.host.show_message("Copied the briefing (without your private notes).")

    def save_pdf(self) -> None:
        """Save the briefing, without private notes, as an A4 PDF where the user says."""
        if self.briefing is None:
            return
        name = self.briefing.contact.name
        path = self.ask_path(f"Briefing {name}.pdf")
        if path is None:
            return
        try:
            save_briefing_pdf(self.html(private=False), path)
        except NetPlannerError as exc:
            self.show_error(str(exc))
            return
        self.error.hide()
        self.host.show_message(f"Saved the briefing of {name} to {path}.")

    def _choose_path(self, suggested: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the briefing as PDF", str(Path.home() / suggested), "PDF (*.pdf)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

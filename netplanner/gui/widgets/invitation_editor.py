"""The "what to write" part of the meeting planner: a drafted invitation, checked as you type.

The draft comes from a template and what is known of the contact; the check marks the
phrases that read like a sales pitch or are all about the sender without changing the
user's text (extra selections), and lists the reasons below it. Once the user has edited
the text, a new place or time no longer overwrites it: "Draft again" is offered instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from urllib.parse import quote

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.entities import Contact
from netplanner.domain.message_check import MessageWarning
from netplanner.services.invitations import (
    InvitationDraft,
    InvitationFacts,
    InvitationTemplate,
    default_template,
    invitation_subject,
)

CHECK_DELAY_MS = 150  # long enough not to check on every key of a fast typist
ALL_WELL = "Reads like a personal invitation."
NOTHING_YET = "Nothing to check yet: choose a place and a time, and the invitation is drafted."
RULE_OF_THUMB = (
    "Rule of thumb: ask about them — their business, their ambitions and their challenges. "
    "Name the place and a few times, and leave the pitch out."
)
KEPT = "You have edited the text, so it was kept for the new place and time."
# Marks: a pitch gets a red wave on a light background, words about the sender an amber wave.
PITCH_COLOUR = QColor(198, 40, 40)
PITCH_BACKGROUND = QColor(198, 40, 40, 56)
SELF_COLOUR = QColor(230, 140, 0)


class InvitationDrafting(Protocol):
    """What the editor needs of the invitation service (``InvitationService`` is one)."""

    def facts_for(self, contact: Contact) -> InvitationFacts: ...

    def draft_from_facts(
        self,
        facts: InvitationFacts,
        place_name: str,
        day: date,
        times: Sequence[datetime],
        city: str | None = None,
        template: InvitationTemplate | None = None,
    ) -> InvitationDraft: ...

    def check(self, text: str) -> list[MessageWarning]: ...


@dataclass(frozen=True)
class _Occasion:
    contact: Contact
    facts: InvitationFacts
    place_name: str
    day: date
    times: tuple[datetime, ...]
    city: str | None


def mailto(address: str | None, subject: str, body: str) -> str:
    """A ``mailto:`` URL (RFC 6068): UTF-8 percent-encoded, line breaks as ``%0D%0A``."""
    crlf = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    to = quote(address.strip(), safe="@") if address else ""
    return f"mailto:{to}?subject={quote(subject, safe='')}&body={quote(crlf, safe='')}"


def _utf16_offset(text: str, index: int) -> int:
    """Qt counts positions in UTF-16 units; Python in code points (they differ for emoji)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _plural(count: int) -> str:
    return f"{count} warning" + ("" if count == 1 else "s")


class InvitationEditor(QWidget):
    """A template choice, the invitation text, the message check and a rule of thumb.

    Attributes:
        checked: the number of warnings, after each check.
    """

    checked = Signal(int)

    def __init__(self, invitations: InvitationDrafting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("invitation-editor")
        self._invitations = invitations
        self._occasion: _Occasion | None = None
        self._drafted = ""  # the text of the last draft; anything else is the user's
        self._warnings: list[MessageWarning] = []

        self.template = QComboBox(self)
        self.template.setObjectName("invitation-template")
        self.template.setAccessibleName("Template")
        for kind in InvitationTemplate:
            self.template.addItem(kind.label, kind)
        template_label = QLabel("&Template:", self)
        template_label.setObjectName("invitation-template-label")
        template_label.setBuddy(self.template)
        self.template.currentIndexChanged.connect(self._on_template)

        self.draft_again = QPushButton("&Draft again", self)
        self.draft_again.setObjectName("invitation-draft-again")
        self.draft_again.setAccessibleName("Draft again")
        self.draft_again.setToolTip("Replace the text with a new draft (Ctrl+Z brings it back)")
        self.draft_again.clicked.connect(self._redraft)
        self.kept = QLabel(KEPT, self)
        self.kept.setObjectName("invitation-kept")
        self.kept.setWordWrap(True)
        self.draft_again.hide()
        self.kept.hide()

        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("invitation-text")
        self.editor.setAccessibleName("Invitation")
        self.editor.setTabChangesFocus(True)  # an invitation has no tabs; keep Tab for moving
        self.editor.setPlaceholderText(
            "Choose a place and a time, and the invitation is drafted here."
        )

        self.check_label = QLabel(NOTHING_YET, self)
        self.check_label.setObjectName("invitation-check")
        self.check_label.setAccessibleName("Message check")
        self.check_label.setWordWrap(True)
        self.check_label.setTextFormat(Qt.TextFormat.PlainText)

        self.rule = QLabel(RULE_OF_THUMB, self)
        self.rule.setObjectName("invitation-rule-of-thumb")
        self.rule.setAccessibleName("Rule of thumb")
        self.rule.setWordWrap(True)
        small = self.rule.font()
        small.setPointSizeF(max(small.pointSizeF() * 0.9, 7.0))
        self.rule.setFont(small)

        self._timer = QTimer(self)
        self._timer.setObjectName("invitation-check-timer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self._run_check)
        self.editor.textChanged.connect(self._timer.start)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(template_label)
        top.addWidget(self.template)
        top.addStretch(1)
        top.addWidget(self.draft_again)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.kept)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.check_label)
        layout.addWidget(self.rule)
        self.setTabOrder(self.template, self.editor)
        self.setTabOrder(self.editor, self.draft_again)
        self._show_check()

    # The API the meeting planner uses.

    def set_occasion(
        self,
        contact: Contact,
        place_name: str,
        day: date,
        times: Sequence[datetime],
        city: str | None,
    ) -> None:
        """Draft for this place and time, unless the text was edited since the last draft."""
        same_person = self._occasion is not None and (
            self._occasion.contact.id == contact.id and self._occasion.contact.name == contact.name
        )
        facts = self._invitations.facts_for(contact)
        self._occasion = _Occasion(contact, facts, place_name, day, tuple(times), city)
        if not same_person:
            self._choose_template(default_template(facts))
        if self._edited():
            self.draft_again.show()
            self.kept.show()
            self._run_check()
        else:
            self._redraft()

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Show ``text`` as the user's own (a saved invitation): a new occasion keeps it."""
        self.editor.setPlainText(text)
        self._run_check()

    def subject(self) -> str:
        """``Coffee in Lisbon on Thursday 3 December?``; empty before an occasion is set."""
        if self._occasion is None:
            return ""
        return invitation_subject(self._occasion.day, self._occasion.city)

    def warnings(self) -> list[MessageWarning]:
        """The warnings for the text as it is now (a check still waiting runs first)."""
        if self._timer.isActive():
            self._run_check()
        return list(self._warnings)

    def current_template(self) -> InvitationTemplate:
        kind = self.template.currentData()
        return kind if isinstance(kind, InvitationTemplate) else InvitationTemplate.FIRST_COFFEE

    # Inside.

    def _edited(self) -> bool:
        text = self.editor.toPlainText()
        return bool(text.strip()) and text != self._drafted

    def _choose_template(self, kind: InvitationTemplate) -> None:
        index = self.template.findData(kind)
        if index >= 0 and index != self.template.currentIndex():
            self.template.blockSignals(True)
            self.template.setCurrentIndex(index)
            self.template.blockSignals(False)

    def _on_template(self, _index: int) -> None:
        if self._occasion is not None:
            self._redraft()  # an explicit choice; Ctrl+Z restores edited text

    def _redraft(self) -> None:
        occasion = self._occasion
        if occasion is None:
            return
        draft = self._invitations.draft_from_facts(
            occasion.facts,
            occasion.place_name,
            occasion.day,
            occasion.times,
            occasion.city,
            self.current_template(),
        )
        self._drafted = draft.text
        if self._edited():
            # Through a cursor, not setPlainText, so the edited text stays on the undo stack.
            cursor = QTextCursor(self.editor.document())
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(draft.text)
            cursor.endEditBlock()
        else:
            self.editor.setPlainText(draft.text)
        self.draft_again.hide()
        self.kept.hide()
        self._run_check()

    def _run_check(self) -> None:
        self._timer.stop()
        text = self.editor.toPlainText()
        self._warnings = self._invitations.check(text) if text.strip() else []
        self._mark(text)
        self._show_check()
        self.checked.emit(len(self._warnings))

    def _mark(self, text: str) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        document = self.editor.document()
        for warning in self._warnings:
            style = QTextCharFormat()
            style.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            if warning.kind == "pitch":
                style.setUnderlineColor(PITCH_COLOUR)
                style.setBackground(PITCH_BACKGROUND)
            else:
                style.setUnderlineColor(SELF_COLOUR)
            style.setToolTip(warning.message)
            for start, end in warning.spans:
                cursor = QTextCursor(document)
                cursor.setPosition(_utf16_offset(text, start))
                cursor.setPosition(_utf16_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = style
                selections.append(selection)
        self.editor.setExtraSelections(selections)

    def _show_check(self) -> None:
        count = len(self._warnings)
        if not self.editor.toPlainText().strip():
            shown, heard = NOTHING_YET, "No text yet."
        elif count == 0:
            shown, heard = ALL_WELL, f"No warnings: {ALL_WELL[:1].lower()}{ALL_WELL[1:]}"
        else:
            shown = "\n".join(f"• {w.message}" for w in self._warnings)
            heard = f"{_plural(count)}: " + " ".join(w.message for w in self._warnings)
        self.check_label.setText(shown)
        self.check_label.setAccessibleDescription(heard)
        self.editor.setAccessibleDescription(heard)

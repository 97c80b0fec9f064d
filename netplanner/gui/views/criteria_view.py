"""The Criteria page of Network: who belongs, edited with a live count of what it would do.

Each keystroke restarts a short timer; when it fires the draft is parsed (a criterion that
could match nothing is refused with one sentence) and judged on the read worker against the
contacts and invitations read once, and only the newest answer is shown. Nothing is stored
until Save.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.changes import Changes
from netplanner.domain.entities import ConnectionCriteria
from netplanner.domain.errors import InputError
from netplanner.gui.operations.criteria import (
    LIST_LABELS,
    CriteriaOutcome,
    CriteriaReading,
    CriteriaServices,
    CriteriaTexts,
    format_radius,
    judge_draft,
    parse_draft,
    parse_radius,
    read_criteria,
    save_criteria,
    texts_of,
)
from netplanner.gui.widgets.spoken_label import SpokenLabel
from netplanner.gui.workspaces.base import WorkspaceHost

DEBOUNCE_MS = 150
STALE_COUNT = "Fix the problem above to see what these criteria do."
CONTACT_ROLE = Qt.ItemDataRole.UserRole

# Field key -> (label with its mnemonic, placeholder).
_FIELDS: dict[str, tuple[str, str]] = {
    "avoid_industries": ("&Industries to avoid", "e.g. Staffing & Recruiting, Gambling"),
    "avoid_titles": ("Job &titles to avoid", "e.g. recruiter, sales representative"),
    "wanted_job_types": ("Job t&ypes wanted", "e.g. engineer, founder"),
    "wanted_companies": ("Compa&nies wanted", "e.g. Siemens, Bosch"),
    "wanted_areas": ("&Areas", "places or countries, e.g. Bavaria, DE"),
}


class CriteriaView(QWidget):
    """The connection criteria editor; ``reload()`` reads them, Save stores them."""

    def __init__(
        self, host: WorkspaceHost, services: CriteriaServices, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.services = services
        self.setObjectName("network-criteria")
        self.setAccessibleName("Criteria")
        self._reading: CriteriaReading | None = None
        self._stored_texts: CriteriaTexts | None = None
        self._units = "km"
        self._outcome: CriteriaOutcome | None = None

        intro = QLabel(
            "Who belongs in your network. Someone in an industry or with a title to avoid does "
            "not fit; when you name job types, companies or areas wanted, they must match one. "
            "The count below follows as you type; nothing is stored until you save.",
            self,
        )
        intro.setObjectName("criteria-intro")
        intro.setWordWrap(True)

        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, (label_text, placeholder) in _FIELDS.items():
            edit = QLineEdit(self)
            edit.setObjectName(f"criteria-{key.replace('_', '-')}")
            edit.setAccessibleName(LIST_LABELS[key])
            edit.setAccessibleDescription("Comma-separated; empty for none.")
            edit.setPlaceholderText(placeholder + " (comma-separated)")
            edit.setClearButtonEnabled(True)
            label = QLabel(label_text, self)
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.edits[key] = edit

        self.radius = QLineEdit(self)
        self.radius.setObjectName("criteria-radius")
        self.radius.setAccessibleName("Radius around home")
        self.radius.setPlaceholderText("anywhere")
        self.radius.setMaximumWidth(120)
        self.radius_unit = QLabel("km", self)
        self.radius_unit.setObjectName("criteria-radius-unit")
        radius_hint = QLabel("around your home; empty for anywhere", self)
        radius_hint.setObjectName("criteria-radius-hint")
        radius_hint.setEnabled(False)
        radius_row = QHBoxLayout()
        radius_row.addWidget(self.radius)
        radius_row.addWidget(self.radius_unit)
        radius_row.addWidget(radius_hint, 1)
        radius_label = QLabel("Radius around &home", self)
        radius_label.setBuddy(self.radius)
        form.addRow(radius_label, radius_row)

        self.photo = QCheckBox("A &photo is required", self)
        self.photo.setObjectName("criteria-require-photo")
        self.photo.setAccessibleName("A photo is required")
        form.addRow("", self.photo)

        self.error = SpokenLabel(self)
        self.error.setObjectName("criteria-error")
        self.error.setAccessibleName("Problem with the criteria")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()

        self.count = SpokenLabel("Reading your contacts and invitations…", self)
        self.count.setObjectName("criteria-count")
        self.count.setAccessibleName("What these criteria do")
        self.count.setWordWrap(True)
        font = self.count.font()
        font.setBold(True)
        self.count.setFont(font)
        self.state = QLabel("", self)
        self.state.setObjectName("criteria-state")

        examples_label = QLabel("For &example, who would not fit:", self)
        self.examples = QListWidget(self)
        self.examples.setObjectName("criteria-examples")
        self.examples.setAccessibleName("Who would not fit")
        self.examples.setAccessibleDescription("Press Enter on a contact to open it in Contacts.")
        self.examples.setWordWrap(True)
        self.examples.setMaximumHeight(160)
        self.examples.itemActivated.connect(self._open_example)
        examples_label.setBuddy(self.examples)

        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName("criteria-save")
        self.save_button.setAccessibleName("Save")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("&Revert", self)
        self.revert_button.setObjectName("criteria-revert")
        self.revert_button.setAccessibleName("Revert")
        self.revert_button.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.count)
        layout.addWidget(examples_label)
        layout.addWidget(self.examples)
        layout.addLayout(buttons)
        layout.addStretch(1)

        # Revert stands left of Save, so Tab reaches it first.
        QWidget.setTabOrder(self.examples, self.revert_button)
        QWidget.setTabOrder(self.revert_button, self.save_button)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.recount)
        for edit in (*self.edits.values(), self.radius):
            edit.textChanged.connect(self._edited)
            edit.returnPressed.connect(self.save)
        self.photo.toggled.connect(self._edited)
        self._update_buttons()

    # The interface every Network view has ---------------------------------------------
    def reload(self) -> None:
        """Read the stored criteria and everyone they judge, then show the count."""
        read_criteria(self.host, self.services).success(self._show_reading).run()

    def on_changes(self, changes: Changes) -> None:
        if changes.initiator is self and not changes.everything:
            return  # our own save: ``_saved`` reads again
        if (
            changes.everything or changes.criteria or changes.contacts or changes.home
            or changes.invitations or changes.settings
        ):  # fmt: skip
            self.reload()

    def set_services(self, services: CriteriaServices) -> None:
        """Another database: forget its criteria and any draft, and read the new ones."""
        self.services = services
        self._reading = None
        self._stored_texts = None
        self._outcome = None
        self._fill(CriteriaTexts())
        self.examples.clear()
        self.count.setText("Reading your contacts and invitations…")
        self.reload()

    def actions_for_menu(self) -> list[QAction]:
        return []

    # Editing ----------------------------------------------------------------------------
    def texts(self) -> CriteriaTexts:
        """What the editor says now."""
        lists = {key: edit.text() for key, edit in self.edits.items()}
        return CriteriaTexts(
            **lists, radius=self.radius.text(), require_photo=self.photo.isChecked()
        )

    @property
    def dirty(self) -> bool:
        """True when the editor differs from the stored criteria."""
        stored = self._stored_texts
        return stored is not None and self.texts().normalized() != stored.normalized()

    def _fill(self, texts: CriteriaTexts) -> None:
        for key, edit in self.edits.items():
            edit.setText(getattr(texts, key))
        self.radius.setText(texts.radius)
        self.photo.setChecked(texts.require_photo)
        self._timer.stop()  # the caller counts at once

    def _edited(self) -> None:
        self._update_buttons()
        self._timer.start()

    def _update_buttons(self) -> None:
        dirty = self.dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.state.setText("Not saved yet." if dirty else "")

    def _draft(self) -> ConnectionCriteria | None:
        """The draft, or None with the reason shown."""
        home_known = self._reading.home_known if self._reading is not None else True
        try:
            draft = parse_draft(self.texts(), self._units, home_known)
        except InputError as exc:
            self._refuse(str(exc))
            return None
        self.error.hide()
        return draft

    def recount(self) -> None:
        """Judge the draft as it stands (the timer calls this ~150 ms after the last key)."""
        self._timer.stop()
        draft = self._draft()
        if draft is None or self._reading is None:
            return
        judge_draft(self.host, self._reading, draft).success(self._show_outcome).run()

    def save(self) -> None:
        """Store the draft; a criterion that could match nothing is refused, nothing saved."""
        self._timer.stop()
        draft = self._draft()
        if draft is None or self._reading is None or not self.dirty:
            return  # Enter with nothing changed writes nothing
        save_criteria(self.host, self.services, draft, initiator=self).success(self._saved).failure(
            self._show_error
        ).run()

    def revert(self) -> None:
        """Back to the stored criteria."""
        if self._stored_texts is None:
            return
        self._fill(self._stored_texts)
        self._update_buttons()
        self.recount()

    # Showing ----------------------------------------------------------------------------
    def _show_reading(self, reading: CriteriaReading) -> None:
        keep_draft = self.dirty
        if keep_draft and reading.units != self._units:
            self._convert_radius(self._units, reading.units)
        self._reading = reading
        self._units = reading.units
        self.radius_unit.setText(reading.units)
        self.radius.setAccessibleDescription(f"In {reading.units}; empty for anywhere.")
        self._stored_texts = texts_of(reading.stored, reading.units)
        if not keep_draft:
            self._fill(self._stored_texts)
        self._update_buttons()
        self.recount()

    def _convert_radius(self, old: str, new: str) -> None:
        """Keep a typed radius the same distance when the units change under a draft."""
        try:
            km = parse_radius(self.radius.text(), old, home_known=True)
        except InputError:
            return
        self.radius.setText(format_radius(km, new))

    def _show_outcome(self, outcome: CriteriaOutcome) -> None:
        self._outcome = outcome
        self.count.setText(outcome.text + ".")
        self.examples.clear()
        if not outcome.examples:
            item = QListWidgetItem("Everyone fits these criteria.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.examples.addItem(item)
        for example in outcome.examples:
            item = QListWidgetItem(example.text)
            item.setData(CONTACT_ROLE, example.contact_id)
            if example.anew:
                item.setToolTip("Fits the saved criteria; would not fit these.")
            self.examples.addItem(item)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _refuse(self, message: str) -> None:
        """A draft that could match nothing: say why, and show no count that is not its own."""
        self._show_error(message)
        self._outcome = None
        self.count.setText(STALE_COUNT)
        self.examples.clear()

    def _saved(self, _stored: ConnectionCriteria) -> None:
        self.host.show_message("Criteria saved.")
        self._stored_texts = None  # the reading that follows fills the editor from the store
        self.reload()

    def _open_example(self, item: QListWidgetItem) -> None:
        contact_id = item.data(CONTACT_ROLE)
        if isinstance(contact_id, int):
            self.host.open_contact(contact_id)

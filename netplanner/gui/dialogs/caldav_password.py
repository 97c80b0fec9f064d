"""Ask the CalDAV password, and whether to keep it in the system keyring.

The password goes to the caller and nowhere else: never to a file or the settings. When
the system has a keyring, "Remember in the system keyring" offers to keep it there (the
workspace stores it only once the server has accepted it).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from netplanner.settings import CalDAVSettings


class CalDAVPasswordDialog(QDialog):
    """The password for the calendar set up in the settings."""

    def __init__(
        self,
        settings: CalDAVSettings,
        keyring_available: bool,
        parent: QWidget | None = None,
        refused: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("CalDAV password")
        self.setObjectName("caldav-password-dialog")
        self.setMinimumWidth(420)
        self.setAccessibleName("CalDAV password")
        who = f"{settings.username} at {settings.url}" if settings.username else settings.url
        intro = "The server refused the password last time. " if refused else ""
        self.intro = QLabel(f"{intro}The password for {who}:", self)
        self.intro.setObjectName("caldav-password-intro")
        self.intro.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("caldav-password")
        self.password.setAccessibleName("CalDAV password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("&Remember in the system keyring", self)
        self.remember.setObjectName("caldav-remember")
        self.remember.setAccessibleName("Remember in the system keyring")
        self.remember.setVisible(keyring_available)
        self.remember.setEnabled(keyring_available)
        self.note = QLabel(
            "It is kept for this session only, never in a file."
            if not keyring_available
            else "Otherwise it is kept for this session only, never in a file.",
            self,
        )
        self.note.setObjectName("caldav-password-note")
        self.note.setWordWrap(True)
        self.note.setEnabled(False)
        self.error = QLabel(self)
        self.error.setObjectName("caldav-password-error")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Password", self.password)
        form.addRow("", self.remember)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def secret(self) -> str:
        return self.password.text()

    def wants_remembering(self) -> bool:
        return self.remember.isEnabled() and self.remember.isChecked()

    def accept(self) -> None:
        if not self.password.text():
            self.error.setText("Type the password, or cancel to publish later.")
            self.error.show()
            return
        super().accept()

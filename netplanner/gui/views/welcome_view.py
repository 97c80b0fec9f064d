"""The first-run page: what to do when there are no contacts yet."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomeView(QWidget):
    """Offers the two ways in: import your own contacts, or explore the demo network.

    Attributes:
        import_requested: the user wants to import files.
        demo_requested: the user wants to look around with the demo network.
    """

    import_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("<h1>Welcome to NetPlanner</h1>", self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Explicit line breaks rather than word wrap: a centred label that wraps loses lines.
        text = QLabel(
            "Bring in your connections to see where they are, who is near you<br>"
            "or on your next trip, and where to meet them.<br><br>"
            "NetPlanner reads a LinkedIn export (Connections.csv), vCard files (.vcf)<br>"
            "and Google or Outlook CSV files. Everything stays on this computer.",
            self,
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton("Import your contacts…", self)
        self.import_button.setDefault(True)
        self.import_button.setMinimumHeight(40)
        self.import_button.clicked.connect(self.import_requested)
        self.demo_button = QPushButton("Explore the demo network", self)
        self.demo_button.setMinimumHeight(40)
        self.demo_button.clicked.connect(self.demo_requested)
        hint = QLabel("You can also drop files onto this window.", self)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setEnabled(False)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(16)
        for button in (self.import_button, self.demo_button):
            button.setMinimumWidth(280)
            column.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(8)
        column.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(column)
        layout.addStretch(2)

"""A row of toggle buttons, one of which is on: a filter that says what it is.

Used where a tab bar would do visually, but a tab bar's accessible name is always its
current tab's text; here the group has its own name ("Which contacts") and each button
says what it shows, with its state, to a screen reader.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget


class ChoiceBar(QWidget):
    """Exclusive choices; ``currentChanged(index)`` when the user (or code) picks another.

    Attributes:
        currentChanged: the index of the choice now on.
    """

    currentChanged = Signal(int)

    def __init__(self, name: str, choices: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.buttons: list[QToolButton] = []
        for index, text in enumerate(choices):
            button = QToolButton(self)
            button.setText(text)
            button.setCheckable(True)
            button.setAutoRaise(True)
            self.group.addButton(button, index)
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
        if self.buttons:
            self.buttons[0].setChecked(True)
        self.group.idToggled.connect(self._on_toggled)

    def _on_toggled(self, index: int, on: bool) -> None:
        if on:
            self.currentChanged.emit(index)

    def count(self) -> int:
        return len(self.buttons)

    def currentIndex(self) -> int:
        return self.group.checkedId()

    def setCurrentIndex(self, index: int) -> None:
        if 0 <= index < len(self.buttons) and index != self.currentIndex():
            self.buttons[index].setChecked(True)

    def tabText(self, index: int) -> str:
        return self.buttons[index].text()

    def setTabText(self, index: int, text: str) -> None:
        self.buttons[index].setText(text)

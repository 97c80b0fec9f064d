"""A label whose text a screen reader hears, even once the label has a name of its own.

Qt exposes a QLabel's text as its accessible name only while it has none; a label named
"Meeting status" is read out as just that. This one also puts its text, as plain words, in
the accessible description whenever it changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QLabel


class SpokenLabel(QLabel):
    """A QLabel that keeps its accessible description equal to its (plain) text."""

    def setText(self, text: str) -> None:
        super().setText(text)
        rich = "<" in text and self.textFormat() != Qt.TextFormat.PlainText
        plain = QTextDocumentFragment.fromHtml(text).toPlainText() if rich else text
        self.setAccessibleDescription(" ".join(plain.split()))

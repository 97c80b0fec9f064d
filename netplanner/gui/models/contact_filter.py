"""The Contacts filter as shared view state: Contacts types into it, Map follows it.

The window owns one and hands it to both workspaces, so neither knows of the other.
No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def filter_words(text: str) -> list[str]:
    """The words a filter text asks for, in the form the haystacks are kept in."""
    return text.lower().split()


@dataclass
class ContactFilter:
    """The filter text and who listens to it."""

    text: str = ""
    _listeners: list[Callable[[str], None]] = field(default_factory=list)

    def on_change(self, listener: Callable[[str], None]) -> None:
        self._listeners.append(listener)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            for listener in self._listeners:
                listener(text)

    @property
    def words(self) -> list[str]:
        return filter_words(self.text)

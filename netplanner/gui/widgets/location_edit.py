"""A place field with completion from the offline gazetteer and a choice when it is ambiguous.

Typing "Mun" offers "Munich, Bavaria, Germany"; Enter accepts the best match, or shows the
candidates when the text could mean several places (Enter again takes the highlighted one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netplanner.domain.places import LocateResult, PlaceMatch

MatchRole = Qt.ItemDataRole.UserRole + 2
MAX_CANDIDATES = 8
# Another place counts as a real alternative when it is at least this large next to the best:
# "Springfield" or "Portland" ask, "Berlin" or "London" (far larger than any namesake) do not.
RIVAL_SHARE = 0.1


def needs_choice(options: list[PlaceMatch]) -> bool:
    """True when the text could well mean more than one of ``options`` (best first)."""
    if len(options) < 2:
        return False
    best, rival = options[0], options[1]
    if not best.population or not rival.population:
        return True
    return rival.population >= RIVAL_SHARE * best.population


# Asks for the completions of a prefix and answers later (from a worker); see LocationEdit.
CompleteLater = Callable[[str, Callable[[list[PlaceMatch]], None]], None]


class PlaceLookup(Protocol):
    """What the field needs from the gazetteer (``context.locator``)."""

    def locate(self, text: str) -> LocateResult: ...

    def complete(self, prefix: str, limit: int = 10) -> list[PlaceMatch]: ...


class _CandidateList(QListWidget):
    """The candidates of an ambiguous place; Enter picks, Escape goes back to the text."""

    picked = Signal(QListWidgetItem)
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.picked.emit(self.currentItem())
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class LocationEdit(QWidget):
    """Location text with completion; emits ``committed(text, match or None)`` on Enter.

    Attributes:
        committed: the text and the ``PlaceMatch`` chosen for it (None when not found).
    """

    committed = Signal(str, object)

    def __init__(
        self,
        lookup: PlaceLookup | None = None,
        parent: QWidget | None = None,
        complete_later: CompleteLater | None = None,
    ) -> None:
        super().__init__(parent)
        self.lookup = lookup
        # With ``complete_later`` the gazetteer is asked off the GUI thread, keystroke by
        # keystroke; an answer for text the user has typed past is dropped.
        self.complete_later = complete_later
        self._matches: dict[str, PlaceMatch] = {}
        self._edited = False
        self._just_chosen = False
        self._pending: tuple[str, PlaceMatch | None] | None = None
        self._flush_scheduled = False
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("City or country, e.g. Munich")
        self.line.setClearButtonEnabled(True)
        for action in self.line.findChildren(QAction):
            action.setText("Clear the location")  # the clear button, as a screen reader says it
        self._names = QStringListModel(self)
        self.completer = QCompleter(self._names, self)
        # The gazetteer already matched alternate names ("München"), so Qt must not re-filter.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(8)
        self.completer.activated[str].connect(self._on_completion_chosen)  # type: ignore[index]
        self.line.setCompleter(self.completer)
        self.line.textEdited.connect(self._refresh_completions)
        self.line.returnPressed.connect(self.resolve)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.candidates = _CandidateList(self)
        self.candidates.setAccessibleName("Places this could mean")
        self.candidates.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.candidates.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.candidates.setUniformItemSizes(True)
        self.candidates.picked.connect(self._on_candidate_picked)
        self.candidates.itemActivated.connect(self._on_candidate_picked)
        self.candidates.escaped.connect(self._back_to_text)
        self.candidates.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addWidget(self.hint)
        layout.addWidget(self.candidates)

    def text(self) -> str:
        return self.line.text()

    def set_text(self, text: str) -> None:
        """Show a stored value without treating it as an edit."""
        self.line.setText(text)
        self._edited = False
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()
        self._hide_candidates()

    def _refresh_completions(self, text: str) -> None:
        self._edited = True
        self._hide_candidates()
        prefix = text.strip()
        if self.lookup is None or len(prefix) < 2:
            self._names.setStringList([])
            return
        if self.complete_later is not None:
            self.complete_later(prefix, lambda found: self._show_completions(prefix, found, True))
        else:
            self._show_completions(prefix, self.lookup.complete(prefix, 8), False)

    def _show_completions(self, prefix: str, matches: list[PlaceMatch], later: bool) -> None:
        if self.line.text().strip() != prefix:
            return  # typed on meanwhile: a newer answer is coming
        self._matches = {m.name: m for m in matches}
        self._names.setStringList(list(self._matches))
        if later and matches and self.line.hasFocus():
            self.completer.complete()  # show the popup with what arrived

    def _on_completion_chosen(self, name: str) -> None:
        match = self._matches.get(name)
        if match is not None:
            self.line.setText(name)
            self._just_chosen = True
            QTimer.singleShot(0, self._clear_just_chosen)
            self._commit(name, match)

    def _clear_just_chosen(self) -> None:
        self._just_chosen = False

    def resolve(self) -> None:
        """Enter: take the place the text means, or show the candidates if it means several."""
        if self._just_chosen:
            return  # Enter on a completion already committed it; do not commit twice
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()
        text = self.line.text().strip()
        if not text and not self._edited:
            return  # Enter in an empty, untouched field changes nothing
        if not text or self.lookup is None:
            self._commit(text, None)
            return
        if text in self._matches:
            self._commit(text, self._matches[text])
            return
        result = self.lookup.locate(text)
        options = _distinct([result.best, *result.candidates])
        if needs_choice(options):
            self._show_candidates(options[:MAX_CANDIDATES])
        elif options:
            self._commit(text, options[0])
        else:
            self._commit(text, None)
            self.hint.setText(f"“{text}” is not in the gazetteer; kept as text.")
            self.hint.show()

    def _show_candidates(self, options: list[PlaceMatch]) -> None:
        self.candidates.clear()
        for match in options:
            item = QListWidgetItem(match.name)
            people = f": {match.population:,} inhabitants" if match.population else ""
            item.setToolTip(f"{match.name}{people}")
            item.setData(MatchRole, match)
            self.candidates.addItem(item)
        self.candidates.setCurrentRow(0)
        row_height = self.candidates.fontMetrics().height() + 8
        self.candidates.setFixedHeight(row_height * min(len(options), 5) + 4)
        self.hint.setText("Which one do you mean? ↑↓ to choose, Enter to take it.")
        self.hint.show()
        self.candidates.show()
        self.candidates.setFocus()

    def _on_candidate_picked(self, item: QListWidgetItem) -> None:
        match = item.data(MatchRole)
        if isinstance(match, PlaceMatch):
            text = self.line.text().strip()
            self._commit(text, match)

    def _back_to_text(self) -> None:
        self._hide_candidates()
        self.line.setFocus()

    def _hide_candidates(self) -> None:
        self.candidates.hide()
        self.hint.hide()

    def _commit(self, text: str, match: PlaceMatch | None) -> None:
        """Emit the choice once, after the key press has been handled in full.

        One Enter can reach both the completer (its highlighted place) and the line edit
        (the typed text), in either order. Collapsing them into one answer keeps the inbox
        from moving on twice and saving the second answer on the next contact.
        """
        self._edited = False
        self._hide_candidates()
        if self._pending is not None and self._pending[1] is not None:
            return  # one answer per key press: the first place found stands
        self._pending = (text, match)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            QTimer.singleShot(0, self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        pending, self._pending = self._pending, None
        if pending is not None:
            self.committed.emit(pending[0], pending[1])


def _distinct(matches: list[PlaceMatch | None]) -> list[PlaceMatch]:
    """Matches without repeats (the best one is often also among the candidates)."""
    seen: set[tuple[str, float, float]] = set()
    out: list[PlaceMatch] = []
    for match in matches:
        if match is None:
            continue
        key = (match.name, round(match.lat, 3), round(match.lon, 3))
        if key not in seen:
            seen.add(key)
            out.append(match)
    return out

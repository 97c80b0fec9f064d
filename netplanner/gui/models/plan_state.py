"""What the Plan workspace is looking at: the place chosen and the contact selected.

A plain model with listeners (napari's ``Dims`` pattern): the suggestions table and the map
both follow it, and either can change it, without knowing of each other. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

NOW = 0  # the "where" key for now (home or the current location); trips use their ids


@dataclass
class PlanState:
    """The place (``NOW`` or a trip id) and the selected contact, with change listeners."""

    where: int | None = None
    selected: int | None = None
    _where_listeners: list[Callable[[int | None], None]] = field(default_factory=list)
    _selected_listeners: list[Callable[[int | None], None]] = field(default_factory=list)

    def on_where(self, listener: Callable[[int | None], None]) -> None:
        self._where_listeners.append(listener)

    def on_selected(self, listener: Callable[[int | None], None]) -> None:
        self._selected_listeners.append(listener)

    def set_where(self, where: int | None) -> None:
        if where != self.where:
            self.where = where
            self.selected = None
            for listener in self._where_listeners:
                listener(where)

    def select(self, contact_id: int | None) -> None:
        if contact_id != self.selected:
            self.selected = contact_id
            for listener in self._selected_listeners:
                listener(contact_id)

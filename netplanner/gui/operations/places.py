"""Place completion off the GUI thread, for the Location fields."""

from __future__ import annotations

from collections.abc import Callable

from netplanner.domain.places import PlaceMatch
from netplanner.domain.progress import ProgressSink
from netplanner.gui.operations import OpHost, QueryOp
from netplanner.gui.widgets.location_edit import CompleteLater, PlaceLookup

COMPLETIONS = 8


def complete_place(host: OpHost, lookup: PlaceLookup, prefix: str) -> QueryOp[list[PlaceMatch]]:
    """The places whose names start with ``prefix``; only the latest keystroke's answer counts."""

    def read(_progress: ProgressSink) -> list[PlaceMatch]:
        return lookup.complete(prefix, COMPLETIONS)

    return QueryOp(host, "Complete a place", read, latest="place-completion")


def completer_for(host: OpHost, lookup: Callable[[], PlaceLookup | None]) -> CompleteLater:
    """A ``LocationEdit`` completer that asks the gazetteer on the read worker."""

    def complete_later(prefix: str, answer: Callable[[list[PlaceMatch]], None]) -> None:
        found = lookup()
        if found is not None:
            complete_place(host, found, prefix).success(answer).failure(lambda _m: None).run()

    return complete_later

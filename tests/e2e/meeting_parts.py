"""Dialogs of the meeting loop as a screen reader meets them: found by title, read, answered.

Built on AtspiClient's public calls only. A dialog is a top-level object of the application
named by its window title; Qt's own (non-native) file dialog is answered by typing the path
into its file-name field and pressing its accept button, as a keyboard user would.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from tests.e2e.atspi_client import REACTION_TIMEOUT, AtspiClient, Node, wait_for

# How long a file the window writes gets to appear (a PDF is laid out first).
WRITE_TIMEOUT = 15.0


def dialog(ui: AtspiClient, title: str, timeout: float = 2 * REACTION_TIMEOUT) -> Node:
    """The showing dialog whose window title is ``title``."""
    return wait_for(
        lambda: next(iter(ui.find(title, "dialog", showing=True, limit=1)), None),
        timeout,
        lambda: (
            f"a dialog titled {title!r}; the top-level objects are:\n"
            + "\n".join(node.line() for node in ui.children([]))
        ),
    )


def dialog_starting(ui: AtspiClient, prefix: str, timeout: float = 2 * REACTION_TIMEOUT) -> Node:
    """The showing dialog whose title starts with ``prefix`` ("Debrief: …" once it has read)."""

    def found() -> Node | None:
        for node in ui.children([]):
            if node.role == "dialog" and node.showing and node.name.startswith(prefix):
                return node
        return None

    return wait_for(
        found,
        timeout,
        lambda: (
            f"a dialog titled {prefix!r}…; the top-level objects are:\n"
            + "\n".join(node.line() for node in ui.children([]))
        ),
    )


def wait_gone(ui: AtspiClient, title: str, timeout: float = REACTION_TIMEOUT) -> None:
    """Wait until no showing dialog is titled ``title``."""
    wait_for(
        lambda: not ui.find(title, "dialog", showing=True, limit=1),
        timeout,
        f"the dialog {title!r} to close",
    )


def wait_enabled(ui: AtspiClient, node: Node, timeout: float = REACTION_TIMEOUT) -> Node:
    """The control, once it is sensitive (a button waiting for a read to finish)."""

    def enabled() -> Node | None:
        now = ui.describe(node)
        return now if "sensitive" in now.states else None

    return wait_for(
        enabled,
        timeout,
        f"{node.role} {node.name!r} to become enabled",
    )


def wait_says(
    ui: AtspiClient,
    node: Node,
    wanted: Callable[[str], bool],
    what: str,
    timeout: float = REACTION_TIMEOUT,
) -> str:
    """What the object says (text, else description, else name) once ``wanted`` holds."""

    def said() -> str | None:
        text = ui.text_of(node)
        return text if wanted(text) else None

    return wait_for(
        said,
        timeout,
        lambda: f"{node.name!r} to say {what}; it says {ui.text_of(node)!r}",
    )


def choose_item(ui: AtspiClient, listing: Node, index: int = 0) -> Node:
    """Select item ``index`` of a list and return it as it was (its name is its text)."""
    items = wait_for(
        lambda: ui.children(listing) or None, REACTION_TIMEOUT, f"items in {listing.name!r}"
    )
    assert index < len(items), f"{listing.name!r} has {len(items)} items, not {index + 1}"
    ui.select_child(listing, index)
    wait_for(
        lambda: any(n.path == items[index].path for n in ui.selected_children(listing)),
        REACTION_TIMEOUT,
        f"item {index} of {listing.name!r} to be selected",
    )
    return items[index]


def wait_row(
    ui: AtspiClient,
    table: Node,
    cells: dict[int, str],
    what: str,
    timeout: float = 2 * REACTION_TIMEOUT,
) -> int:
    """The first row whose cells read ``cells`` ({column: text}), once the table has it."""

    def found() -> tuple[int] | None:  # a tuple, so that row 0 counts as found
        for row in range(ui.row_count(table)):
            if all(ui.table_cell(table, row, col) == text for col, text in cells.items()):
                return (row,)
        return None

    return wait_for(found, timeout, what)[0]


def save_through_file_dialog(
    ui: AtspiClient, title: str, path: Path, timeout: float = WRITE_TIMEOUT
) -> None:
    """Answer Qt's save dialog titled ``title`` with ``path`` and wait for the file."""
    chooser = dialog(ui, title)
    field = wait_for(
        lambda: next(
            (
                node
                for node in ui.find(role="text", within=chooser, showing=True)
                if node.object_name == "fileNameEdit" or "file name" in node.name.lower()
            ),
            None,
        ),
        REACTION_TIMEOUT,
        lambda: f"the file-name field of {title!r}:\n{ui.dump(chooser, showing_only=True)}",
    )
    ui.set_text(field, str(path))
    accept = wait_enabled(ui, ui.wait_find("Save", "push button", within=chooser, showing=True))
    ui.press(accept)
    wait_gone(ui, title)
    wait_for(
        lambda: path.exists() and path.stat().st_size > 0,
        timeout,
        f"{path} to be written",
    )
    time.sleep(0.1)  # the writer may still be flushing the last bytes


def status_bar_says(
    ui: AtspiClient, wanted: Callable[[str], bool], what: str, timeout: float = REACTION_TIMEOUT
) -> str:
    """The window's status-bar message once ``wanted`` holds (the label is named by its text).

    The frame is looked up inside the wait: a dialog closing or a workspace being built while
    the tree is walked makes one walk fail with a vanished object, and the next one succeeds.
    """

    def bar() -> Node:
        frame = ui.find_one("NetPlanner", "frame", showing=True)
        return ui.find_one("Status", "status bar", within=frame)

    def message() -> str | None:
        for node in ui.find(role="label", within=bar()):
            if wanted(node.name):
                return node.name
        return None

    def explain() -> str:
        return f"the status bar to say {what}; it holds:\n{ui.dump(bar())}"

    return wait_for(message, timeout, explain)


def type_keys(ui: AtspiClient, text: str) -> None:
    """Type ``text`` key by key into whatever has the focus (lowercase, digits and spaces)."""
    for char in text:
        if char.isupper() or char == "+":
            raise ValueError(f"type_keys types plain keys only, not {char!r}")
        ui.key(char)

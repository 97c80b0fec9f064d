"""The parts of the NetPlanner window the tests use, found by their accessible names.

The names are the window's contract with screen readers (DESIGN.md, "The window"): a test that
cannot find one here fails with the window's tree, so the missing name is easy to see.
"""

from __future__ import annotations

from tests.e2e.atspi_client import (
    ITEM_ROLES,
    REACTION_TIMEOUT,
    AtspiClient,
    AtspiError,
    Node,
    wait_for,
)

SIDEBAR = "Workspaces"
# Roles a workspace page can have: a container, not the sidebar item, menu, heading or list
# that shares its title.
PAGE_ROLES = {"filler", "panel", "grouping", "section", "scroll pane", "split pane", "form"}


def sidebar(ui: AtspiClient) -> Node:
    return ui.wait_find(SIDEBAR, "list")


def workspace_titles(ui: AtspiClient) -> list[str]:
    """The sidebar's items, in order."""
    return [item.name for item in ui.children(sidebar(ui)) if item.role in ITEM_ROLES]


def workspace_page(ui: AtspiClient, title: str) -> Node | None:
    """The showing page named ``title``, if it is the one shown."""
    for node in ui.find(title, showing=True):
        if node.role in PAGE_ROLES:
            return node
    return None


def wait_for_workspace(ui: AtspiClient, title: str, timeout: float = REACTION_TIMEOUT) -> Node:
    return wait_for(
        lambda: workspace_page(ui, title),
        timeout,
        lambda: f"the workspace {title!r} to show; what shows is:\n{ui.dump(showing_only=True)}",
    )


def show_workspace(ui: AtspiClient, title: str) -> Node:
    """Select ``title`` in the sidebar, as a screen reader does; returns its page."""
    titles = workspace_titles(ui)
    if title not in titles:
        raise AtspiError(f"the sidebar has no {title!r}; it has {titles}")
    ui.select_child(sidebar(ui), titles.index(title))
    return wait_for_workspace(ui, title)


def contact_name_label(ui: AtspiClient, page: Node) -> Node:
    return ui.wait_find("Contact name", within=page, showing=True)


def wait_for_contact_name(
    ui: AtspiClient, page: Node, expected: str, timeout: float = 2 * REACTION_TIMEOUT
) -> None:
    """Wait until the detail panel's "Contact name" reads ``expected``."""
    label = contact_name_label(ui, page)

    def explain() -> str:
        reads = ui.text_of(label)
        hint = (
            " (a QLabel given an accessible name exposes no text: set its accessible "
            "description to the text too, or use a read-only QLineEdit)"
            if reads == label.name
            else ""
        )
        return f"'Contact name' to read {expected!r}; it reads {reads!r}{hint}"

    wait_for(lambda: ui.text_of(label) == expected, timeout, explain)


def contacts_table(ui: AtspiClient, page: Node) -> Node:
    """The "Contacts" table, once the worker has filled it."""
    table = ui.wait_find("Contacts", "table", within=page)
    wait_for(lambda: ui.row_count(table) > 0, 15, "the contacts table to fill")
    return table


def name_in(text: str, names: set[str]) -> str | None:
    """The longest of ``names`` that ``text`` mentions (so "Ana Lima" wins over "Ana")."""
    for name in sorted(names, key=len, reverse=True):
        if name in text:
            return name
    return None

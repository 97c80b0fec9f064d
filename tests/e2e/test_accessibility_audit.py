"""Every control a person can reach, in every workspace, has a name a screen reader can say."""

from __future__ import annotations

from tests.e2e.atspi_client import CONTROL_ROLES, ITEM_ROLES, AtspiClient, AtspiError, Node
from tests.e2e.running_app import RunningApp
from tests.e2e.window_parts import show_workspace, workspace_titles

# The least each workspace must have, so an empty page does not pass the audit by having
# nothing to audit.
EXPECTED_WORKSPACES = ["Today", "Contacts"]


def unnamed_controls(nodes: list[Node]) -> list[Node]:
    """Showing controls one can focus or act on, and showing items, that say nothing."""
    offenders = []
    for node in nodes:
        if not node.showing or node.name.strip():
            continue
        if node.role in ITEM_ROLES:
            if not (node.text or "").strip():
                offenders.append(node)
        elif node.role in CONTROL_ROLES and (
            "focusable" in node.states or set(node.actions) - {"SetFocus"}
        ):
            offenders.append(node)
    return offenders


def audit(ui: AtspiClient, title: str) -> list[str]:
    """What is wrong in one workspace, one line each; it must show to be audited."""
    try:
        show_workspace(ui, title)
    except (AssertionError, AtspiError) as exc:
        return [f"{title}: selecting it in the sidebar did not show it ({str(exc)[:300]})"]
    return [f"{title}: {node.line().strip()}" for node in unnamed_controls(ui.tree())]


def test_every_control_in_every_workspace_has_an_accessible_name(window: RunningApp) -> None:
    ui = window.ui
    titles = workspace_titles(ui)
    assert set(EXPECTED_WORKSPACES) <= set(titles), titles

    problems = [line for title in titles for line in audit(ui, title)]

    assert not problems, "controls without an accessible name:\n" + "\n".join(problems)

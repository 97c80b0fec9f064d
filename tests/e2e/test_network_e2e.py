"""Network in the real window, as a screen reader drives it (issue 13, "Done when").

The demo's pending invitations judged with their reasons; a criterion changed in the editor
moves the counts before anything is saved; an invitation accepted and added as a contact is
in Contacts once and leaves the pending list (adding it again is pinned by the unit tests).
"""

from __future__ import annotations

import re

from tests.e2e.atspi_client import REACTION_TIMEOUT, AtspiClient, Node, wait_for
from tests.e2e.meeting_parts import wait_enabled, wait_says
from tests.e2e.running_app import RunningApp
from tests.e2e.window_parts import contacts_table, show_workspace

COUNTS = re.compile(r"(\d+) of (\d+) invitations fit; (\d+) of your (\d+) contacts would not")


def _page(ui: AtspiClient, page: Node, name: str) -> None:
    ui.press(ui.wait_find(name, within=page, showing=True, role="check box"))


def _invitations(ui: AtspiClient) -> tuple[Node, Node]:
    page = show_workspace(ui, "Network")
    _page(ui, page, "Invitations")
    table = ui.wait_find("Invitations", "table", within=page, showing=True)
    wait_for(lambda: ui.row_count(table) >= 40, 2 * REACTION_TIMEOUT, "about 50 invitations")
    return page, table


def test_invitations_are_judged_and_criteria_move_the_counts_live(window: RunningApp) -> None:
    ui = window.ui
    page, table = _invitations(ui)
    verdict, why = ui.column_of(table, "Verdict"), ui.column_of(table, "Why")
    rows = ui.row_count(table)
    verdicts = [ui.table_cell(table, r, verdict) for r in range(rows)]
    assert verdicts[0] == "Fits"
    assert "Does not fit" in verdicts
    first_misfit = verdicts.index("Does not fit")
    assert all(v == "Fits" for v in verdicts[:first_misfit])  # fits first
    assert "you avoid" in ui.table_cell(table, first_misfit, why)
    fitting = first_misfit
    count = ui.wait_find("Invitations count", within=page, showing=True)
    assert f"{rows} pending invitations: {fitting} fit" in ui.text_of(count)

    _page(ui, page, "Criteria")
    said = ui.wait_find("What these criteria do", within=page, showing=True)
    before = COUNTS.search(wait_says(ui, said, COUNTS.search, "the counts"))
    assert before is not None and int(before[1]) == fitting and int(before[2]) == rows
    industries = ui.wait_find("Industries to avoid", "text", within=page, showing=True)
    typed = ui.text_of(industries)
    ui.set_text(industries, typed + ", Software")
    after = COUNTS.search(
        wait_says(
            ui,
            said,
            lambda text: bool((m := COUNTS.search(text)) and int(m[3]) > int(before[3])),
            "more contacts that would not fit",
        )
    )
    assert after is not None and int(after[4]) == int(before[4])
    ui.press(wait_enabled(ui, ui.wait_find("Revert", "push button", within=page)))
    wait_says(ui, said, lambda text: text.startswith(before[0]), "the stored criteria's counts")


def test_an_accepted_invitation_becomes_one_contact(window: RunningApp) -> None:
    ui = window.ui
    page, table = _invitations(ui)
    who = ui.column_of(table, "Who")
    name = ui.table_cell(table, 0, who).split("\n")[0].split(" · ")[0]
    ui.select_row(table, 0)
    ui.press(wait_enabled(ui, ui.wait_find("Accept", "push button", within=page)))
    add = wait_enabled(ui, ui.wait_find("Add as contact", "push button", within=page))
    ui.press(add)

    def contacts_named() -> int:
        contacts = show_workspace(ui, "Contacts")
        ui.set_text(ui.wait_find("Filter contacts", "text", within=contacts), name)
        listing = contacts_table(ui, contacts)
        column = ui.column_of(listing, "Name")
        return sum(ui.table_cell(listing, r, column) == name for r in range(ui.row_count(listing)))

    wait_for(lambda: contacts_named() == 1, 2 * REACTION_TIMEOUT, f"{name} in Contacts once")
    # Decided, it has left the pending list.
    page, table = _invitations(ui)
    names = [ui.table_cell(table, r, who) for r in range(ui.row_count(table))]
    assert not any(n.startswith(name) for n in names), f"{name} is still pending"

"""The contacts workspace as a user sees it: the table, the filter, editing, undo of delete."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from netplanner.gui.main_window import MainWindow
from netplanner.gui.models.contacts_model import COMPANY, DISTANCE, NAME
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.workspaces.contacts import EMPTY_PAGE, INBOX, TABLE_PAGE
from netplanner.services.context import AppContext


def cell(window: MainWindow, row: int, column: int) -> str:
    model = window.contacts.model
    return str(model.data(model.index(row, column)))


def test_table_shows_the_demo_network_sorted_by_name(window: MainWindow) -> None:
    model = window.contacts.model
    assert window.contacts.pages.currentIndex() == TABLE_PAGE
    assert model.rowCount() == 150
    names = [cell(window, row, NAME) for row in range(model.rowCount())]
    assert names == sorted(names, key=str.lower)
    assert window.contacts.count_label.text() == "150 contacts"
    assert window.contacts.scope.tabText(0) == "All contacts (150)"


def test_sorting_by_a_column_reorders_rows(window: MainWindow) -> None:
    window.contacts.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    companies = [cell(window, row, 1).lower() for row in range(window.contacts.model.rowCount())]
    assert companies == sorted(companies, reverse=True)


def test_filter_narrows_as_the_user_types(window: MainWindow, qtbot: Any) -> None:
    box = window.contacts.filter_box
    qtbot.keyClicks(box, "lag")
    lagos = window.contacts.model.rowCount()
    assert 0 < lagos < 150
    for row in range(lagos):
        contact = window.contacts.model.contact_at(row)
        text = " ".join(
            [
                contact.name,
                contact.company or "",
                contact.position or "",
                contact.location_text or "",
            ]
        ).lower()
        assert "lag" in text or any("lag" in t.lower() for t in contact.tags)
    qtbot.keyClicks(box, "os nimbus")
    assert window.contacts.model.rowCount() <= lagos
    assert window.contacts.count_label.text().endswith("of 150")
    box.clear()
    assert window.contacts.model.rowCount() == 150


def test_filter_keeps_the_selected_contact_while_it_is_shown(
    window: MainWindow, qtbot: Any
) -> None:
    contacts = window.contacts
    contacts.select_row(40)
    chosen = contacts.current_contact()
    assert chosen is not None
    qtbot.keyClicks(contacts.filter_box, chosen.last_name[:3].lower())
    assert contacts.current_contact() == chosen
    assert contacts.detail.contact is not None and contacts.detail.contact.id == chosen.id
    contacts.filter_box.setText("no contact is called this")
    assert contacts.model.rowCount() == 0 and contacts.current_contact() is None
    contacts.filter_box.setText(chosen.last_name[:3].lower())
    assert contacts.table.currentIndex().row() == 0  # the first row, once it was gone
    contacts.filter_box.clear()
    assert contacts.model.rowCount() == 150


def test_filter_finds_contacts_by_tag(window: MainWindow, demo_context: AppContext) -> None:
    contact = demo_context.contacts.get(window.contacts.model.contact_at(3).id)
    window.contacts.select_row(3)
    window.contacts.save_edit(_with(contact, tags=["zeppelin-club"]), ["tags"])
    window.contacts.filter_box.setText("zeppelin")
    assert window.contacts.model.rowCount() == 1
    assert window.contacts.model.contact_at(0).id == contact.id


def _with(contact: Any, **changes: Any) -> Any:
    import dataclasses

    return dataclasses.replace(contact, **changes)


def test_editing_a_field_saves_it_and_marks_it_as_hand_edited(
    window: MainWindow, demo_context: AppContext, qtbot: Any
) -> None:
    window.contacts.select_row(0)
    chosen = window.contacts.current_contact()
    assert chosen is not None and chosen.id is not None
    company = window.contacts.detail.line("company")
    company.setFocus()
    company.selectAll()
    qtbot.keyClicks(company, "Acme Robotics")
    qtbot.keyClick(company, Qt.Key.Key_Return)
    stored = demo_context.contacts.get(chosen.id)
    assert stored.company == "Acme Robotics"
    assert "company" in stored.edited_fields
    assert cell(window, 0, 1) == "Acme Robotics"
    # Ctrl+Z takes the edit back too.
    window.undo_action.trigger()
    assert demo_context.contacts.get(chosen.id).company == chosen.company


def test_edit_of_tags_and_interests_splits_on_commas(
    window: MainWindow, demo_context: AppContext
) -> None:
    window.contacts.select_row(1)
    chosen = window.contacts.current_contact()
    assert chosen is not None and chosen.id is not None
    tags = window.contacts.detail.line("tags")
    tags.setText("investor,  mentor ,")
    tags.editingFinished.emit()
    interests = window.contacts.detail.line("interests")
    interests.setText("sailing, jazz")
    interests.editingFinished.emit()
    stored = demo_context.contacts.get(chosen.id)
    assert stored.tags == ["investor", "mentor"]
    assert stored.interests == ["sailing", "jazz"]


def test_a_bad_date_is_explained_and_not_saved(
    window: MainWindow, demo_context: AppContext
) -> None:
    window.contacts.select_row(0)
    chosen = window.contacts.current_contact()
    assert chosen is not None and chosen.id is not None
    field = window.contacts.detail.line("last_met")
    field.setText("last tuesday")
    field.editingFinished.emit()
    assert "YYYY-MM-DD" in window.contacts.detail.error.text()
    assert demo_context.contacts.get(chosen.id).last_met == chosen.last_met


def test_delete_asks_once_and_ctrl_z_brings_contacts_back(
    window: MainWindow, demo_context: AppContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    with_follow_ups = next(
        c
        for c in demo_context.contacts.search()
        if demo_context.follow_up_repo.for_contact(c.id or 0)
    )
    window.contacts.select_contact(with_follow_ups.id)
    follow_ups = demo_context.follow_up_repo.for_contact(with_follow_ups.id or 0)
    window.delete_action.trigger()
    assert len(asked) == 1 and with_follow_ups.name in asked[0]
    assert window.contacts.model.rowCount() == 149
    assert demo_context.contacts.count() == 149
    assert window.contacts.model.row_of(with_follow_ups.id) == -1
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert demo_context.contacts.count() == 150
    assert window.contacts.model.row_of(with_follow_ups.id) >= 0
    restored = demo_context.follow_up_repo.for_contact(with_follow_ups.id or 0)
    assert [f.text for f in restored] == [f.text for f in follow_ups]


def test_delete_is_not_done_when_the_user_says_no(
    window: MainWindow, demo_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.contacts.select_row(0)
    window.delete_action.trigger()
    assert demo_context.contacts.count() == 150


def test_first_run_offers_import_and_demo(empty_window: MainWindow) -> None:
    assert empty_window.contacts.pages.currentIndex() == EMPTY_PAGE
    assert empty_window.contacts.welcome.import_button.text() == "Import your contacts…"
    assert empty_window.contacts.welcome.demo_button.text() == "Explore the demo network"
    assert not empty_window.locate_action.isEnabled()


def test_explore_demo_opens_the_demo_network_and_leaves_the_users_database_empty(
    empty_window: MainWindow, context: AppContext
) -> None:
    empty_window.contacts.welcome.demo_button.click()
    assert empty_window.contacts.pages.currentIndex() == TABLE_PAGE
    assert empty_window.contacts.model.rowCount() == 150
    assert "demo" in empty_window.windowTitle()
    assert context.contacts.count() == 0


def test_column_layout_and_geometry_are_remembered(
    demo_context: AppContext, qtbot: Any, tmp_path: Path
) -> None:
    state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    first = MainWindow(demo_context, TaskRunner(synchronous=True), state)
    qtbot.addWidget(first)
    first.contacts.table.setColumnWidth(NAME, 321)
    first.contacts.table.horizontalHeader().moveSection(DISTANCE, 0)
    first.resize(1100, 700)
    first.close()
    second = MainWindow(demo_context, TaskRunner(synchronous=True), state)
    qtbot.addWidget(second)
    assert second.contacts.table.columnWidth(NAME) == 321
    assert second.contacts.table.horizontalHeader().visualIndex(DISTANCE) == 0


def test_inbox_lists_contacts_without_coordinates(
    window: MainWindow, demo_context: AppContext
) -> None:
    contact = demo_context.contacts.search()[5]
    demo_context.contacts.set_location(contact, "", None)
    window.contacts.reload()
    window.contacts.scope.setCurrentIndex(INBOX)
    assert window.contacts.model.rowCount() == 1
    assert window.contacts.model.contact_at(0).id == contact.id
    assert window.contacts.scope.tabText(INBOX) == "Needs a location (1)"


def test_distance_from_home_uses_the_users_units(
    window: MainWindow, demo_context: AppContext
) -> None:
    berliner = next(
        c for c in demo_context.contacts.search() if (c.location_text or "").startswith("Berlin")
    )
    row = window.contacts.model.row_of(berliner.id)
    assert cell(window, row, DISTANCE).endswith(" km")
    assert float(cell(window, row, DISTANCE).split()[0].replace(",", "")) < 60
    lagos = window.contacts.model.row_of(
        next(
            c for c in demo_context.contacts.search() if (c.location_text or "").startswith("Lagos")
        ).id
    )
    km = float(cell(window, lagos, DISTANCE).split()[0].replace(",", ""))
    assert 4900 < km < 5500  # Berlin to Lagos is about 5,200 km
    demo_context.settings.units = "mi"
    window.contacts.reload()
    miles = float(cell(window, lagos, DISTANCE).split()[0].replace(",", ""))
    assert abs(miles - km / 1.609344) < 2


def test_with_the_threaded_runner_delete_and_undo_go_through_the_worker(
    demo_context: AppContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    win = MainWindow(demo_context, TaskRunner())
    qtbot.addWidget(win)
    win.show()
    win.show_workspace("contacts")
    qtbot.waitUntil(lambda: win.contacts.model.rowCount() == 150, timeout=10_000)
    win.contacts.select_row(0)
    gone = win.contacts.model.contact_at(0)
    win.delete_action.trigger()
    qtbot.waitUntil(lambda: win.contacts.model.row_of(gone.id) == -1, timeout=10_000)
    assert demo_context.contacts.count() == 149
    win.undo_action.trigger()  # queued on the same worker as the delete
    qtbot.waitUntil(lambda: win.contacts.model.row_of(gone.id) >= 0, timeout=10_000)
    assert demo_context.contacts.get(gone.id).name == gone.name, "back with its own id"
    assert demo_context.contacts.count() == 150
    win.close()


def test_does_not_fit_my_criteria_lists_the_misfits_with_why(
    window: MainWindow, demo_context: AppContext
) -> None:
    from netplanner.domain.changes import Changes
    from netplanner.gui.workspaces.contacts import MISFITS

    misfits = {
        v.contact.id: v.verdict.reasons
        for v in demo_context.criteria.evaluate_contacts()
        if not v.verdict.fits
    }
    assert misfits, "the demo's criteria leave some contacts out"
    contacts = window.contacts
    contacts.scope.setCurrentIndex(MISFITS)
    assert contacts.model.rowCount() == len(misfits)
    assert contacts.scope.tabText(MISFITS) == f"Does not fit my criteria ({len(misfits)})"
    first = contacts.model.contact_at(0)
    reason = misfits[first.id][0]
    tip = contacts.model.index(0, NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Does not fit your criteria:") and reason in tip
    contacts.select_row(0)
    assert contacts.detail.misfit.isVisibleTo(contacts) and reason in contacts.detail.misfit.text()
    assert reason in contacts.detail.misfit.accessibleDescription()
    # Criteria that avoid nothing leave nobody out, and the list follows the announcement.
    demo_context.criteria.set(avoid_industries=[], avoid_titles=[], wanted_job_types=[],
                              wanted_companies=[], wanted_areas=[], radius_km=None,
                              require_photo=False)  # fmt: skip
    window.announce(Changes(criteria=True))
    assert contacts.model.rowCount() == 0
    contacts.scope.setCurrentIndex(0)
    assert contacts.model.rowCount() == demo_context.contact_repo.count()
    assert not contacts.detail.misfit.isVisibleTo(contacts)


def test_deleting_back_through_a_filter_shows_what_it_showed_and_follows_edits(
    window: MainWindow, demo_context: AppContext
) -> None:
    """Rows of texts typed a moment ago are kept, but never outlive a change of a contact."""
    box = window.contacts.filter_box
    model = window.contacts.model

    def shown() -> list[int]:
        return [model.contact_at(row).id for row in range(model.rowCount())]

    box.setText("a")
    shown_for_a = shown()
    box.setText("an")
    box.setText("ana")
    box.setText("an")
    box.setText("a")
    assert shown() == shown_for_a and len(shown_for_a) > 10
    box.setText("zebedee")
    assert shown() == []
    box.setText("")
    someone = demo_context.contacts.get(shown()[0])
    renamed = dataclasses.replace(someone, first_name="Zebedee")
    model.replace_contact(demo_context.contacts.update(renamed, ["first_name"]))
    box.setText("zebedee")
    assert shown() == [someone.id]


def test_the_filter_shows_every_contact_holding_all_words_in_the_sort_order() -> None:
    import random

    from netplanner.domain.entities import RelationshipStage
    from netplanner.domain.summaries import ContactSummary
    from netplanner.gui.models.contacts_model import ContactTableModel, haystack

    rng = random.Random(3)
    people = [
        ContactSummary(
            id=n + 1,
            first_name=rng.choice(["Ana", "Ben", "Chen"]),
            last_name=f"{rng.choice(['Silva', 'Kim'])} {n}",
            company=rng.choice(["Stripe", None]),
            position=rng.choice(["Engineer", "Founder", "Head of Sales"]),
            location_text=rng.choice(["Lisbon", "Berlin", None]),
            lat=None,
            lon=None,
            tags_text="",
            stage=RelationshipStage.NEW,
            last_met=None,
        )
        for n in range(400)
    ]
    model = ContactTableModel(people)
    model.sort(COMPANY, Qt.SortOrder.DescendingOrder)
    everyone = [model.contact_at(row) for row in range(model.rowCount())]
    typed = ""
    for word in ["l", "li", "lis", "lisbon", "lisbon e", "lisbon en", "lisbon eng", "x"]:
        for text in (word, typed, word + " s", "a", ""):  # narrowing, widening, both
            model.set_filter(text)
            wanted = text.lower().split()
            expected = [c for c in everyone if all(w in haystack(c) for w in wanted)]
            assert [model.contact_at(row) for row in range(model.rowCount())] == expected
        typed = word

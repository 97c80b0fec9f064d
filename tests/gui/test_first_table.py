"""The first table as the app starts it: read from the file on the worker, painted before
its filter texts exist, and filtering, sorting and editing just the same."""

from __future__ import annotations

import gc
from typing import Any

from PySide6.QtCore import Qt

from netplanner.app import open_window
from netplanner.domain.entities import Contact
from netplanner.domain.summaries import ContactSummary
from netplanner.gui.models.contacts_model import ContactTableModel, prepare
from netplanner.services.context import AppContext, build_context


def names(model: ContactTableModel) -> list[str]:
    return [model.contact_at(row).name for row in range(model.rowCount())]


def summaries(demo_context: AppContext) -> list[ContactSummary]:
    return demo_context.contact_repo.list_for_table()


def test_a_table_shown_before_its_filter_texts_filters_as_one_shown_with_them(
    demo_context: AppContext,
) -> None:
    contacts = summaries(demo_context)
    early, full = ContactTableModel(), ContactTableModel()
    early.set_prepared(prepare(contacts, searchable=False))
    full.set_prepared(prepare(contacts))
    assert early.unsearched() is not None and full.unsearched() is None
    for text in ("", "ber", "berlin eng", "zzz"):
        early.set_filter(text)
        full.set_filter(text)
        assert names(early) == names(full), text
    assert early.unsearched() is None  # the first filter made them


def test_filter_texts_made_meanwhile_for_contacts_since_edited_are_not_taken(
    demo_context: AppContext,
) -> None:
    from netplanner.gui.models.contacts_model import haystacks

    model = ContactTableModel()
    model.set_prepared(prepare(summaries(demo_context), searchable=False))
    shown = model.unsearched()
    assert shown is not None
    made = haystacks(shown)  # as the worker makes them
    edited = demo_context.contacts.get(model.contact_at(0).id)
    edited.company = "Quetzalcoatl Systems"
    model.replace_contact(edited)  # an edit saved meanwhile
    model.set_haystacks(shown, made)
    model.set_filter("quetzalcoatl")
    assert names(model) == [edited.name]


def test_the_window_opened_as_the_app_starts_shows_every_contact_and_filters(
    demo_context: AppContext, qtbot: Any
) -> None:
    writer = build_context(demo_context.paths.data_dir)
    writer.contact_repo.add(Contact(first_name="Ödön", last_name="Horváth", tags=["ünï"]))
    writer.close()
    assert not demo_context.database_open  # at this schema: read from the file first
    window = open_window(demo_context)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    window.show_workspace("contacts")
    model = window.contacts.model
    qtbot.waitUntil(lambda: model.rowCount() == 151, timeout=10_000)
    keys = [(c.first_name.lower(), c.last_name.lower()) for c in map(model.contact_at, range(151))]
    assert keys == sorted(keys)
    qtbot.waitUntil(lambda: model.unsearched() is None, timeout=10_000)
    window.contacts.filter_box.setText("ünï")
    assert names(model) == ["Ödön Horváth"]
    window.contacts.filter_box.setText("berlin")
    assert len(names(model)) == len(demo_context.contacts.search("berlin"))
    qtbot.waitUntil(gc.isenabled, timeout=10_000)  # paused only while the window started
    window.close()


def test_the_collector_paused_for_the_start_runs_again_if_the_window_closes_first(
    demo_context: AppContext, qtbot: Any
) -> None:
    window = open_window(demo_context)
    assert window is not None
    qtbot.addWidget(window)
    assert not gc.isenabled()  # the first list is still on its way
    window.close()
    assert gc.isenabled()


def test_sorting_by_name_orders_as_first_then_last_name_case_blind() -> None:
    from netplanner.domain.entities import RelationshipStage
    from netplanner.gui.models.contacts_model import NAME

    people = [
        ("Anab", "Zed"), ("Ana", "Zed"), ("ana", "Adams"), ("Émile", "Zola"), ("émile", "Abel"),
        ("ΟΔΥΣΣΕΥΣ", "Σ"), ("οδυσσευς", "α"), ("", "Nameless"), ("Ana", ""), ("Zoë", "Ng"),
        ("Ana", "\x00"), ("Ana", "b"),
    ]  # fmt: skip
    stray_nul = [("Ana\x00b", "X"), ("Ana", "Y")]  # "\0" in a first name: sorted as pairs
    for names in (people, people + stray_nul):
        contacts = [
            ContactSummary(
                n, f, last, None, None, None, None, None, "", RelationshipStage.NEW, None
            )
            for n, (f, last) in enumerate(names)
        ]
        model = ContactTableModel()
        model.set_prepared(prepare(contacts))
        model.sort(NAME, Qt.SortOrder.DescendingOrder)
        model.sort(NAME)
        shown = [(c.first_name, c.last_name) for c in map(model.contact_at, range(len(names)))]
        assert shown == sorted(names, key=lambda p: (p[0].lower(), p[1].lower()))

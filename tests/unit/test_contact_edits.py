"""Hand edits, delete and restore, and the fast table listing of ContactService."""

from __future__ import annotations

import pytest

from netplanner.domain.entities import Contact, FollowUp, LocationStatus
from netplanner.domain.errors import InputError
from netplanner.domain.places import PlaceMatch
from netplanner.services.context import AppContext


def test_update_saves_only_the_changed_fields_and_remembers_them(context: AppContext) -> None:
    stored = context.contact_repo.add(Contact("Ada", "Lovelace", company="Engines"))
    edited = Contact(
        "Ada", "Lovelace", company="Analytical Engines", notes="not saved", id=stored.id
    )
    saved = context.contacts.update(edited, ["company"])
    assert saved.company == "Analytical Engines"
    assert saved.notes is None, "fields not named as changed are left alone"
    assert saved.edited_fields == ["company"]
    again = context.contacts.update(edited, ["company"])
    assert again.edited_fields == ["company"]


def test_a_contact_without_any_name_is_refused(context: AppContext) -> None:
    stored = context.contact_repo.add(Contact("Ada"))
    with pytest.raises(InputError):
        context.contacts.update(Contact("", "", id=stored.id), ["first_name"])


def test_delete_then_restore_brings_back_ids_and_follow_ups(context: AppContext) -> None:
    ada = context.contact_repo.add(Contact("Ada", photo=b"\x89PNG..."))
    assert ada.id is not None
    context.follow_up_repo.add(FollowUp(contact_id=ada.id, text="Send the paper"))
    deleted = context.contacts.delete([ada.id])
    assert context.contacts.count() == 0
    assert context.follow_up_repo.for_contact(ada.id) == []
    context.contacts.restore(deleted)
    back = context.contacts.get(ada.id)
    assert back.photo == b"\x89PNG..."
    assert [f.text for f in context.follow_up_repo.for_contact(ada.id)] == ["Send the paper"]


def test_set_location_marks_a_manual_choice(context: AppContext) -> None:
    stored = context.contact_repo.add(Contact("Ada"))
    munich = PlaceMatch("Munich, Bavaria, Germany", 48.14, 11.58, "DE", "Bavaria", "Europe/Berlin")
    saved = context.contacts.set_location(stored, "München", munich)
    assert (saved.lat, saved.timezone) == (48.14, "Europe/Berlin")
    assert saved.location_status == LocationStatus.MANUAL
    assert saved.edited_fields == ["location"]


def test_table_listing_carries_what_the_filter_needs(context: AppContext) -> None:
    context.contact_repo.add_many(
        [
            Contact("Jonas", "Müller", tags=["München", "investor"], location_text="Munich"),
            Contact("Ana", tags=[]),
        ]
    )
    rows = {row.first_name: row for row in context.contacts.list_for_table()}
    assert "München" in rows["Jonas"].tags_text and "investor" in rows["Jonas"].tags_text
    assert rows["Ana"].tags_text == ""
    assert rows["Jonas"].name == "Jonas Müller"

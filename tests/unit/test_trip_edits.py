"""Editing, deleting and restoring trips; what the Plan workspace narrows by; the "Now" request."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import update

from netplanner.domain.errors import InputError, NotFoundError
from netplanner.domain.ranking import Suggestion
from netplanner.services.context import AppContext
from netplanner.storage.models import ContactRow

TODAY = date(2026, 11, 26)


@pytest.fixture
def demo(demo_context: AppContext) -> AppContext:
    demo_context.planner.today = lambda: TODAY
    return demo_context


def lisbon_trip_id(context: AppContext) -> int:
    return next(t.id for t in context.planner.list_trips() if t.timezone == "Europe/Lisbon") or 0


# Edit -----------------------------------------------------------------------------------
def test_edit_changes_only_what_is_given(demo: AppContext) -> None:
    trip_id = lisbon_trip_id(demo)
    before = demo.planner.get_trip(trip_id)
    after = demo.planner.update_trip(trip_id, end=date(2026, 12, 14), notes="Web Summit week")
    assert (after.id, after.start_date, after.end_date) == (trip_id, before.start_date,
                                                            date(2026, 12, 14))  # fmt: skip
    assert (after.name, after.place_text, after.base_address) == (
        before.name, before.place_text, before.base_address,
    )  # fmt: skip
    assert after.notes == "Web Summit week"
    assert demo.planner.get_trip(trip_id) == after


def test_moving_a_trip_renames_a_default_name_and_replaces_the_base(demo: AppContext) -> None:
    trip_id = lisbon_trip_id(demo)
    moved = demo.planner.update_trip(trip_id, place="Porto", base="")
    assert (moved.place_text, moved.timezone, moved.country_code) == (
        "Porto, Portugal", "Europe/Lisbon", "PT",
    )  # fmt: skip
    assert moved.name == "Porto December 2026"
    assert (moved.base_address, moved.base_lat, moved.base_lon) == (None, None, None)
    named = demo.planner.update_trip(trip_id, name="  Porto   offsite ")
    assert named.name == "Porto offsite"
    assert demo.planner.update_trip(trip_id, name="").name == "Porto December 2026"


def test_edit_refuses_bad_input_and_writes_nothing(demo: AppContext) -> None:
    trip_id = lisbon_trip_id(demo)
    before = demo.planner.get_trip(trip_id)
    with pytest.raises(InputError, match="wrong order"):
        demo.planner.update_trip(trip_id, end=date(2026, 12, 1))
    with pytest.raises(NotFoundError, match="No place called 'Lisbonn'"):
        demo.planner.update_trip(trip_id, place="Lisbonn")
    with pytest.raises(NotFoundError, match="no trip with id 999"):
        demo.planner.update_trip(999, name="x")
    assert demo.planner.get_trip(trip_id) == before


def test_add_trip_keeps_notes(demo: AppContext) -> None:
    trip = demo.planner.add_trip("Berlin", date(2027, 3, 1), date(2027, 3, 2), notes=" fair ")
    assert demo.planner.get_trip(trip.id or 0).notes == "fair"


# Delete and restore ---------------------------------------------------------------------
def test_delete_then_restore_gives_back_the_id_and_the_meetings(demo: AppContext) -> None:
    trip_id = lisbon_trip_id(demo)
    trip = demo.planner.get_trip(trip_id)
    meeting = demo.meetings.add([1], datetime(2026, 12, 9, 10, 0), trip_id=trip_id)
    deleted = demo.planner.delete_trip(trip_id)
    assert deleted.trip == trip and deleted.meeting_ids == (meeting.id,)
    assert trip_id not in [t.id for t in demo.planner.list_trips()]
    assert demo.meetings.get(meeting.id or 0).trip_id is None
    with pytest.raises(NotFoundError):
        demo.planner.delete_trip(trip_id)
    restored = demo.planner.restore_trip(deleted)
    assert restored == trip
    assert demo.meetings.get(meeting.id or 0).trip_id == trip_id


def test_restore_when_the_id_was_taken_gives_a_new_one(demo: AppContext) -> None:
    last = max(t.id or 0 for t in demo.planner.list_trips())
    deleted = demo.planner.delete_trip(last)
    squatter = demo.planner.add_trip("Berlin", date(2027, 3, 1), date(2027, 3, 2))
    restored = demo.planner.restore_trip(deleted)
    assert squatter.id == last and restored.id not in (None, last)
    assert restored.name == deleted.trip.name


# What the Plan workspace narrows by -----------------------------------------------------
def test_suggestion_fields_agree_with_the_reasons(demo: AppContext) -> None:
    found = demo.planner.suggest(demo.planner.request_for_trip(lisbon_trip_id(demo)), limit=None)
    assert found and any(s.is_target for s in found)
    for s in found:
        assert s.is_target == any("one of your target companies" in r for r in s.reasons)
        if any(r.startswith("does not fit your criteria") for r in s.reasons):
            assert s.fits_criteria is False
        if any(r.startswith("fits your criteria") for r in s.reasons):
            assert s.fits_criteria is True
        assert s.last_met == s.contact.last_met
    joao = found[0]
    assert joao.contact.name == "João Silva" and joao.is_target and joao.fits_criteria


def test_without_criteria_nobody_is_judged(demo: AppContext) -> None:
    demo.planner.inputs.criteria = lambda: None  # type: ignore[method-assign]
    found = demo.planner.suggest(demo.planner.request_for_trip(lisbon_trip_id(demo)), limit=5)
    assert found and all(s.fits_criteria is None for s in found)
    assert Suggestion(found[0].contact, 1.0, 1.0, ()).fits_criteria is None


# The hint for empty results --------------------------------------------------------------
def test_unlocated_hint_counts_the_contacts_of_the_country(demo: AppContext) -> None:
    request = demo.planner.request_for_trip(lisbon_trip_id(demo))
    assert demo.planner.unlocated_hint(request).total == 0
    texts = {2: "Lisboa, Portugal", 3: "ÉVORA, PORTUGAL", 4: "porto pt", 5: "Faro, PT",
             6: "Berlin, Deutschland", 7: None, 8: "Portugalete, Spain"}  # fmt: skip
    with demo.db.session() as session:
        for contact_id, text in texts.items():
            session.execute(
                update(ContactRow)
                .where(ContactRow.id == contact_id)
                .values(lat=None, lon=None, location_text=text)
            )
    hint = demo.planner.unlocated_hint(request)
    assert (hint.in_country, hint.country_name, hint.total) == (3, "Portugal", 7)
    berlin = demo.planner.request_at("Berlin")
    assert demo.planner.unlocated_hint(berlin).in_country == 1  # "Deutschland" is Germany
    nowhere = demo.planner.request_at("Berlin")
    nowhere = type(nowhere)(**{**nowhere.__dict__, "country_code": None})
    assert demo.planner.unlocated_hint(nowhere) == type(hint)(0, None, 7)


# Now ------------------------------------------------------------------------------------
def test_now_is_the_current_location_else_home(demo: AppContext) -> None:
    home = demo.locations.get_home()
    assert home is not None
    request = demo.planner.request_now()
    assert request is not None and (request.lat, request.lon) == (home.lat, home.lon)
    assert (request.start, request.end, request.label) == (TODAY, date(2026, 12, 2), "home")
    demo.locations.set_current("Lisbon")
    assert demo.locations.where_am_i().kind == "current"  # type: ignore[union-attr]
    now = demo.planner.request_now(days=3)
    assert now is not None and now.country_code == "PT" and now.label == "where you are"
    assert now.end == date(2026, 11, 28)
    assert demo.locations.clear_current() is True
    assert demo.locations.clear_current() is False
    assert demo.locations.where_am_i() == home


def test_now_without_home_or_current_location_is_none(context: AppContext) -> None:
    assert context.planner.request_now() is None
    with pytest.raises(InputError):
        context.planner.request_now(days=0)

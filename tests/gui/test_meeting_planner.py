"""The meeting planner as a user meets it: João Silva on the Lisbon trip of the demo."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from netplanner.domain.entities import MeetingStatus
from netplanner.gui.dialogs.meeting_planner import MeetingPlannerDialog
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.widgets.invitation_editor import InvitationEditor
from netplanner.services.context import AppContext
from tests.gui.hosts import RecordingHost

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # the demo's today, in the morning


def joao_id(context: AppContext) -> int:
    found = [c.id for c in context.contact_repo.list() if c.name == "João Silva"]
    assert found and found[0] is not None
    return found[0]


def lisbon_id(context: AppContext) -> int:
    trips = [t.id for t in context.planner.list_trips() if t.name == "Lisbon December 2026"]
    assert trips and trips[0] is not None
    return trips[0]


@pytest.fixture
def host(runner: TaskRunner) -> RecordingHost:
    return RecordingHost(runner)


@pytest.fixture
def planner(demo_context: AppContext, host: RecordingHost, qtbot: Any) -> MeetingPlannerDialog:
    """The planner for João Silva on the Lisbon trip, as the window opens it."""
    dialog = MeetingPlannerDialog(
        host, demo_context, joao_id(demo_context), lisbon_id(demo_context),
        now=NOW, publish=lambda _id: None,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def invitation_box(dialog: MeetingPlannerDialog) -> QPlainTextEdit:
    found = [w for w in dialog.findChildren(QPlainTextEdit) if w.accessibleName() == "Invitation"]
    assert len(found) == 1
    return found[0]


def message_check(dialog: MeetingPlannerDialog) -> QLabel:
    found = [w for w in dialog.findChildren(QLabel) if w.accessibleName() == "Message check"]
    assert len(found) == 1
    return found[0]


def editor(dialog: MeetingPlannerDialog) -> InvitationEditor:
    assert isinstance(dialog.editor, InvitationEditor)
    return dialog.editor


def set_when(dialog: MeetingPlannerDialog, day: date, hour: int, minute: int) -> None:
    dialog.when.setDateTime(
        QDateTime(
            QDate(day.year, day.month, day.day),
            QTime(hour, minute),
            QTimeZone(QTimeZone.Initialization.UTC),
        )
    )


def meetings_of(context: AppContext) -> list[Any]:
    return context.meetings.list(contact_id=joao_id(context))


def test_the_card_names_joao_his_company_and_the_title_says_whom(
    planner: MeetingPlannerDialog,
) -> None:
    assert planner.windowTitle() == "Plan a coffee with João Silva"
    assert planner.objectName() == "meeting-planner"
    card = planner.card.text()
    assert "João Silva" in card and "Nimbus Cloud" in card
    assert "wine" in card  # an interest
    assert "Lisbon" in card  # where he is


def test_the_first_venue_is_selected_and_shows_both_distances(
    planner: MeetingPlannerDialog,
) -> None:
    assert planner.venues.accessibleName() == "Venues"
    assert planner.venues.count() > 0
    assert planner.venues.currentRow() == 0
    first = planner.venues.item(0).text()
    assert first.startswith("The Daily Cup Lisbon — you 1.7 km · João 4.4 km")
    # It was rated well after past meetings, and says so.
    assert "you rated it 5.0 of 5 after past meetings there" in first
    # The map shows every venue, João and the midpoint.
    labels = {p.label for p in planner.map.points}
    assert {"The Daily Cup Lisbon", "João Silva", "halfway"} <= labels


def test_free_times_fall_inside_the_trip_and_show_both_zones(
    planner: MeetingPlannerDialog,
) -> None:
    assert planner.times.accessibleName() == "Free times"
    assert planner.times.count() > 0 and planner.times.currentRow() == 0
    for slot in planner.slots:
        assert date(2026, 12, 8) <= slot.start.date() <= date(2026, 12, 12)
    first = planner.times.item(0).text()
    assert first.startswith("Tue 8 Dec 09:00 Lisbon time · 10:00 your time (Berlin)")
    assert planner.local_start() == datetime(2026, 12, 8, 9, 0)


def test_the_drafted_message_passes_and_a_pitch_is_flagged(
    planner: MeetingPlannerDialog,
) -> None:
    box = invitation_box(planner)
    assert box.objectName() == "invitation-text"
    text = editor(planner).text()
    assert text == box.toPlainText()
    assert text.startswith("Hi João,") and "The Daily Cup Lisbon" in text
    assert editor(planner).warnings() == []
    assert message_check(planner).text() == "Reads like a personal invitation."
    assert planner.copy_button.toolTip() == ""
    box.setPlainText(text + "\nOur product can boost your sales.")
    assert [w.kind for w in editor(planner).warnings()] == ["pitch"]
    assert "sales pitch" in message_check(planner).text()
    assert planner.copy_button.toolTip() == "The message check has a warning."
    assert editor(planner).subject().startswith("Coffee in Lisbon")


def test_choosing_another_time_or_venue_redrafts_until_the_user_edits(
    planner: MeetingPlannerDialog,
) -> None:
    box = invitation_box(planner)
    planner.times.setCurrentRow(1)  # 12:00 the same day
    assert "12:00" in box.toPlainText().split("?")[1]
    assert planner.venues.count() > 1
    planner.venues.setCurrentRow(1)
    second = planner.current_venue()
    assert second is not None and second.name in box.toPlainText()
    assert "The Daily Cup Lisbon" not in box.toPlainText()
    box.setPlainText("Hi João, a coffee on Wednesday?")
    planner.times.setCurrentRow(3)
    assert box.toPlainText() == "Hi João, a coffee on Wednesday?"
    planner.venues.setCurrentRow(0)
    assert editor(planner).text() == "Hi João, a coffee on Wednesday?"


def test_save_stores_one_proposed_meeting_at_the_slot_and_announces_it(
    planner: MeetingPlannerDialog, demo_context: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    before = meetings_of(demo_context)
    with qtbot.waitSignal(planner.saved) as saved:
        planner.save_button.click()
    after = meetings_of(demo_context)
    assert len(after) == len(before) + 1
    meeting = next(m for m in after if m.id == saved.args[0])
    assert meeting.status == MeetingStatus.PROPOSED
    assert (
        meeting.start_utc == planner.slots[0].start_utc == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    )
    assert (meeting.end_utc - meeting.start_utc).total_seconds() == 3600
    assert meeting.tzid == "Europe/Lisbon"
    assert meeting.trip_id == lisbon_id(demo_context)
    assert meeting.venue_id == planner.current_venue().id  # type: ignore[union-attr]
    assert meeting.invitation_text == editor(planner).text().strip()
    assert host.announced[-1].meetings == {meeting.id}
    assert joao_id(demo_context) in host.announced[-1].contacts
    assert "Saved as proposed" in planner.status.text()
    # Saving again with nothing changed stores nothing new.
    planner.save_button.click()
    assert len(meetings_of(demo_context)) == len(after)


def test_a_saved_meeting_keeps_its_own_time_free_when_the_venue_changes(
    planner: MeetingPlannerDialog, demo_context: AppContext, qtbot: Any
) -> None:
    booked = planner.slots[0].start_utc
    with qtbot.waitSignal(planner.saved):
        planner.save_button.click()
    planner.venues.setCurrentRow(1)  # the times are read again for the other venue
    assert booked in [s.start_utc for s in planner.slots]  # its own time does not block it
    # Another meeting booked at that time does block it.
    other = planner.meeting
    assert other is not None
    planner.meeting = None
    planner.venues.setCurrentRow(0)
    assert booked not in [s.start_utc for s in planner.slots]
    planner.meeting = other


def test_export_writes_one_vevent_at_the_lisbon_instant(
    planner: MeetingPlannerDialog, demo_context: AppContext, tmp_path: Path
) -> None:
    target = tmp_path / "coffee.ics"
    asked: list[str] = []
    planner.ask_path = lambda suggested: asked.append(suggested) or target  # type: ignore[func-returns-value]
    planner.export_button.click()
    assert asked == ["coffee-joão-silva.ics"]
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    start = events[0]["DTSTART"]
    assert start.params["TZID"] == "Europe/Lisbon"
    assert start.dt.astimezone(UTC) == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    # The export saved the meeting first, once.
    assert [m.status for m in meetings_of(demo_context)] == [MeetingStatus.PROPOSED]


def test_publish_saves_first_then_hands_over_the_meeting(
    demo_context: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    published: list[int] = []
    dialog = MeetingPlannerDialog(
        host, demo_context, joao_id(demo_context), lisbon_id(demo_context),
        now=NOW, publish=published.append,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.publish_button.click()
    assert published and published[0] in {m.id for m in meetings_of(demo_context)}


def test_publish_is_hidden_without_a_publisher(
    demo_context: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    dialog = MeetingPlannerDialog(
        host, demo_context, joao_id(demo_context), lisbon_id(demo_context), now=NOW,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.publish_button.isVisible()


def test_a_venue_without_a_name_is_refused_in_one_sentence(
    planner: MeetingPlannerDialog, demo_context: AppContext
) -> None:
    venues_before = len(demo_context.venue_repo.list())
    planner.add_venue_button.click()
    planner.venue_address.setText("Rua Garrett 120, Lisbon")
    planner.save_venue_button.click()
    assert planner.error.isVisible() or planner.error.text()
    assert planner.error.text() == "A new venue needs a name."
    assert len(demo_context.venue_repo.list()) == venues_before


def test_a_venue_added_at_a_map_point_is_saved_and_ranked(
    planner: MeetingPlannerDialog, demo_context: AppContext
) -> None:
    planner.place_new_venue(38.7411, -9.1420)  # a click on the small map
    assert planner.venue_form.isVisibleTo(planner)
    planner.venue_name.setText("Pastelaria Versailles")
    planner.save_venue_button.click()
    assert planner.error.text() == ""
    stored = [v for v in demo_context.venue_repo.list() if v.name == "Pastelaria Versailles"]
    assert len(stored) == 1 and stored[0].timezone == "Europe/Lisbon"
    assert planner.current_venue() is not None
    assert planner.current_venue().name == "Pastelaria Versailles"  # type: ignore[union-attr]
    assert "Pastelaria Versailles" in planner.venues.currentItem().text()


def test_a_time_the_clocks_skip_is_refused_with_both_instants(
    demo_context: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    # A trip across the spring change: 2027-03-28 01:30 does not exist in Lisbon.
    trip = demo_context.planner.add_trip("Lisbon", date(2027, 3, 26), date(2027, 3, 30))
    dialog = MeetingPlannerDialog(
        host, demo_context, joao_id(demo_context), trip.id, now=NOW,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    before = len(meetings_of(demo_context))
    set_when(dialog, date(2027, 3, 28), 1, 30)
    dialog.save_button.click()
    message = dialog.error.text()
    assert "does not exist in Europe/Lisbon" in message
    assert "2027-03-28T00:30:00Z" in message and "2027-03-28T01:30:00Z" in message
    assert message.count(".") <= 2  # one sentence (the decimal-free instants use no dots)
    assert len(meetings_of(demo_context)) == before


def test_a_duration_of_zero_or_over_a_day_and_a_day_off_the_trip_are_refused(
    planner: MeetingPlannerDialog, demo_context: AppContext
) -> None:
    before = len(meetings_of(demo_context))
    planner.duration.setValue(0)
    planner.save_button.click()
    assert planner.error.text().startswith("A coffee lasts between 1 and 1440 minutes")
    planner.duration.setValue(24 * 60 + 1)
    planner.save_button.click()
    assert "not 1441" in planner.error.text()
    planner.duration.setValue(60)
    set_when(planner, date(2026, 12, 20), 10, 0)
    planner.save_button.click()
    assert "outside your trip Lisbon December 2026" in planner.error.text()
    assert len(meetings_of(demo_context)) == before


def test_search_online_is_off_unless_the_settings_allow_it(
    planner: MeetingPlannerDialog,
) -> None:
    assert not planner.search_online.isEnabled()
    assert "Settings" in planner.search_online.toolTip()


def test_e_mail_carries_the_subject_and_the_body(planner: MeetingPlannerDialog) -> None:
    url = planner.mailto_url()
    assert url.startswith("mailto:?subject=Coffee%20in%20Lisbon")
    assert "body=Hi%20Jo%C3%A3o" in url


def test_now_plans_around_home_for_the_coming_days(
    demo_context: AppContext, host: RecordingHost, qtbot: Any
) -> None:
    dialog = MeetingPlannerDialog(
        host, demo_context, joao_id(demo_context), None, now=NOW,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.start is not None and dialog.start.place is not None
    assert dialog.start.place.label == "home"
    assert dialog.windowTitle() == "Plan a coffee with João Silva"
    # Berlin to Lisbon is no coffee distance, and the planner says so.
    assert "km away from you; a coffee means one of you travels" in dialog.venue_notes.text()
    assert dialog.slots
    for slot in dialog.slots:
        assert date(2026, 11, 26) <= slot.start.date() <= date(2026, 12, 2)


def test_cafes_found_online_ask_consent_once_and_a_chosen_one_is_saved_with_its_point(
    demo_context: AppContext, host: RecordingHost, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netplanner.domain.entities import Venue
    from netplanner.services.venues import OverpassClient

    asked: list[tuple[float, float]] = []

    def cafes_around(_client: Any, lat: float, lon: float, _radius_m: int) -> list[Venue]:
        asked.append((lat, lon))
        return [
            Venue("Café Halfway", lat + 0.001, lon, "Rua Nova 1, Lisbon",
                  source="openstreetmap", source_key="node/42"),
        ]  # fmt: skip

    monkeypatch.setattr(OverpassClient, "cafes_around", cafes_around)
    demo_context.settings.venues.online = True
    monkeypatch.setattr(MeetingPlannerDialog, "_online_consented", False)
    dialog = MeetingPlannerDialog(
        host, demo_context, joao_id(demo_context), lisbon_id(demo_context), now=NOW,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    consents: list[bool] = []
    dialog.ask_online_consent = lambda: consents.append(True) or True  # type: ignore[func-returns-value]
    assert dialog.search_online.isEnabled()
    dialog.search_online.click()
    dialog.search_online.click()
    assert consents == [True]  # asked the first time only
    assert len(asked) == 2
    rows = [dialog.venues.item(r).text() for r in range(dialog.venues.count())]
    row = next(n for n, text in enumerate(rows) if text.startswith("Café Halfway"))
    assert "© OpenStreetMap contributors" in rows[row]
    assert "© OpenStreetMap contributors" in dialog.venue_notes.text()
    dialog.venues.setCurrentRow(row)
    dialog.save_button.click()
    (meeting,) = meetings_of(demo_context)
    venue = demo_context.venue_repo.get(meeting.venue_id)  # type: ignore[arg-type]
    assert venue.name == "Café Halfway" and venue.source == "openstreetmap"
    assert venue.lat is not None and abs(venue.lat - (asked[0][0] + 0.001)) < 1e-9


def test_with_the_threaded_runner_the_answers_arrive_and_save_stores_once(
    demo_context: AppContext, qtbot: Any
) -> None:
    threaded = TaskRunner()
    host = RecordingHost(threaded)
    dialog = MeetingPlannerDialog(
        host, demo_context, joao_id(demo_context), lisbon_id(demo_context), now=NOW,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.times.count() > 0, timeout=10_000)
    assert dialog.venues.currentRow() == 0 and dialog.times.currentRow() == 0
    dialog.save_button.click()
    dialog.save_button.click()  # disabled while the first save runs
    qtbot.waitUntil(lambda: dialog.meeting is not None, timeout=10_000)
    assert len(meetings_of(demo_context)) == 1
    assert threaded.close()

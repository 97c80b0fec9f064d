"""The Meetings workspace on the demo network: the list, its filters, every action, CalDAV.

A small host stands in for the window (it announces changes back to the workspace, as the
window does); publishing runs against a real Radicale started for this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
import keyring
import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QLineEdit

from netplanner.domain.changes import Changes
from netplanner.domain.entities import MeetingStatus
from netplanner.gui.dialogs.caldav_password import CalDAVPasswordDialog
from netplanner.gui.dialogs.reschedule_dialog import RescheduleDialog
from netplanner.gui.models.meetings_model import CALENDAR, DEBRIEF, STATUS, WHEN, YOUR_TIME
from netplanner.gui.tasks import TaskRunner
from netplanner.gui.workspaces.meetings import MeetingsWorkspace
from netplanner.services.context import AppContext
from netplanner.services.meetings import VenueChoice
from netplanner.settings import CalDAVSettings
from tests.gui.hosts import RecordingHost
from tests.radicale_server import PASSWORD, USER, Radicale, free_port, running_radicale

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # the demo's today, at noon
LISBON_TRIP = 1


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    """An in-memory keyring: no test reads or writes the real one."""
    secrets: dict[tuple[str, str], str] = {}
    monkeypatch.setattr(keyring, "get_password", lambda s, u: secrets.get((s, u)))
    monkeypatch.setattr(keyring, "set_password", lambda s, u, p: secrets.__setitem__((s, u), p))
    return secrets


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture
def host(runner: TaskRunner) -> RecordingHost:
    return RecordingHost(runner)


@pytest.fixture
def workspace(demo_context: AppContext, host: RecordingHost, qtbot: Any) -> MeetingsWorkspace:
    ws = MeetingsWorkspace(host, demo_context, now=lambda: NOW)
    host.listener = ws.on_changes
    qtbot.addWidget(ws)
    ws.resize(1280, 700)
    ws.show()
    return ws


def _cell(ws: MeetingsWorkspace, row: int, column: int) -> str:
    return str(ws.model.index(row, column).data())


def _column(ws: MeetingsWorkspace, column: int) -> list[str]:
    return [_cell(ws, r, column) for r in range(ws.model.rowCount())]


def _ids(ws: MeetingsWorkspace) -> list[int]:
    return [row.meeting_id for row in ws.model.rows()]


def _choose(combo: Any, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def _lisbon_meeting(context: AppContext) -> int:
    meeting = context.meetings.add(
        [1], datetime(2026, 12, 9, 15, 0), tz="Europe/Lisbon", trip_id=LISBON_TRIP,
        venue=VenueChoice(name="Café A Brasileira", address="Rua Garrett 120, Lisboa"),
    )  # fmt: skip
    assert meeting.id is not None
    return meeting.id


def _event(path: Path, uid: str | None = None) -> Any:
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    return next(e for e in events if uid is None or str(e["UID"]) == uid)


def _caldav(context: AppContext, url: str) -> None:
    settings = context.settings
    settings.caldav = CalDAVSettings(url=url, username=USER)
    context.update_settings(settings)


def test_upcoming_come_first_and_past_ones_are_greyed_with_debrief_due(
    workspace: MeetingsWorkspace,
) -> None:
    ws = workspace
    assert ws.table.accessibleName() == "Meetings"
    assert _ids(ws)[:2] == [21, 22]  # the two still to come, soonest first
    assert ws.count.text() == "25 meetings: 2 upcoming, 23 past, 3 debriefs due."
    # The three past meetings without a debrief say so; the 20 debriefed ones do not.
    debriefs = dict(zip(_ids(ws), _column(ws, DEBRIEF), strict=True))
    assert [mid for mid, text in debriefs.items() if text == "Debrief due"] == [23, 24, 25]
    assert debriefs[1] == "Debriefed" and debriefs[21] == ""
    # London at 10:00 is 11:00 at home in Berlin.
    row = _ids(ws).index(22)
    assert _cell(ws, row, WHEN) == "Thu 3 Dec 10:00 London"
    assert _cell(ws, row, YOUR_TIME) == "11:00"
    assert _cell(ws, _ids(ws).index(1), WHEN).startswith("Wed 29 Oct 2025 ")
    grey = ws.model.index(_ids(ws).index(23), 0).data(Qt.ItemDataRole.ForegroundRole)
    assert grey is not None  # past
    assert ws.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None  # upcoming


def test_status_and_trip_filters_narrow_the_rows_and_the_count(
    workspace: MeetingsWorkspace, demo_context: AppContext
) -> None:
    ws = workspace
    _choose(ws.status_filter, "Debrief due")
    assert _ids(ws) == [23, 24, 25]
    assert ws.count.text() == "3 of 25 meetings shown."
    _choose(ws.status_filter, "Upcoming")
    assert _ids(ws) == [21, 22]

    lisbon = _lisbon_meeting(demo_context)
    ws.reload()
    _choose(ws.status_filter, "All")
    _choose(ws.trip_filter, "Lisbon December 2026")
    assert _ids(ws) == [lisbon]
    assert ws.count.text() == "1 of 26 meetings shown."
    _choose(ws.status_filter, "Proposed")
    assert _ids(ws) == [lisbon]
    _choose(ws.status_filter, "Cancelled")
    assert ws.model.rowCount() == 0
    assert ws.body.currentWidget() is ws.empty
    assert ws.empty.text().startswith("No meeting matches these filters.")


def test_confirm_changes_the_stored_status_and_tells_every_screen(
    workspace: MeetingsWorkspace, demo_context: AppContext, host: RecordingHost
) -> None:
    ws = workspace
    meeting_id = _lisbon_meeting(demo_context)
    ws.show_meeting(meeting_id)  # not read yet: read first, then selected
    assert ws.selected_row() is not None and ws.selected_row().meeting_id == meeting_id
    assert ws.buttons["Confirm"].isEnabled()
    ws.buttons["Confirm"].click()
    assert demo_context.meetings.get(meeting_id).status == MeetingStatus.CONFIRMED
    assert meeting_id in host.announced[-1].meetings and 1 in host.announced[-1].contacts
    assert _cell(ws, _ids(ws).index(meeting_id), STATUS) == "confirmed"
    assert not ws.buttons["Confirm"].isEnabled()  # confirmed already


def test_reschedule_moves_the_start_and_raises_the_sequence_in_the_ics(
    workspace: MeetingsWorkspace, demo_context: AppContext, tmp_path: Path
) -> None:
    ws = workspace
    meeting_id = _lisbon_meeting(demo_context)
    ws.show_meeting(meeting_id)
    dialog = ws.reschedule_selected()
    assert dialog is not None and dialog.isVisible()
    # 01:30 on 28 March 2027 does not exist in Lisbon (the clocks go forward): refused.
    dialog.start.setDateTime(QDateTime(QDate(2027, 3, 28), QTime(1, 30)))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible() and dialog.error.isVisibleTo(dialog)
    assert "Europe/Lisbon" in dialog.error.text()
    assert demo_context.meetings.get(meeting_id).sequence == 0  # nothing half-saved

    dialog.start.setDateTime(QDateTime(QDate(2026, 12, 10), QTime(16, 30)))
    dialog.duration.setValue(45)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.isVisible()
    stored = demo_context.meetings.get(meeting_id)
    assert stored.start_utc == datetime(2026, 12, 10, 16, 30, tzinfo=UTC)  # Lisbon is UTC
    assert (stored.end_utc - stored.start_utc).total_seconds() == 45 * 60
    assert _cell(ws, _ids(ws).index(meeting_id), WHEN) == "Thu 10 Dec 16:30 Lisbon"

    target = tmp_path / "one.ics"
    ws.ask_path = lambda _name: target
    ws.export_meeting_action.trigger()
    event = _event(target)
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2026, 12, 10, 16, 30, tzinfo=UTC)


def test_cancel_asks_once_and_the_exported_ics_says_cancelled(
    workspace: MeetingsWorkspace, demo_context: AppContext, tmp_path: Path
) -> None:
    ws = workspace
    ws.show_meeting(22)
    questions: list[str] = []
    ws.ask_confirm = lambda q: questions.append(q) or False
    ws.buttons["Cancel meeting"].click()
    assert demo_context.meetings.get(22).status == MeetingStatus.CONFIRMED  # said no

    ws.ask_confirm = lambda q: questions.append(q) or True
    ws.buttons["Cancel meeting"].click()
    assert len(questions) == 2 and "Cancel the coffee with" in questions[-1]
    assert demo_context.meetings.get(22).status == MeetingStatus.CANCELLED
    assert _cell(ws, _ids(ws).index(22), STATUS) == "cancelled"
    assert not ws.buttons["Cancel meeting"].isEnabled()

    target = tmp_path / "cancelled.ics"
    ws.ask_path = lambda _name: target
    ws.export_ics("meeting")
    assert str(_event(target)["STATUS"]) == "CANCELLED"


def test_export_all_writes_one_event_per_meeting_and_a_trip_only_its_own(
    workspace: MeetingsWorkspace, demo_context: AppContext, tmp_path: Path, host: RecordingHost
) -> None:
    ws = workspace
    lisbon = _lisbon_meeting(demo_context)
    ws.reload()
    asked: list[str] = []
    everything = tmp_path / "all.ics"
    ws.ask_path = lambda name: asked.append(name) or everything
    ws.export_all_action.trigger()
    events = icalendar.Calendar.from_ical(everything.read_bytes()).walk("VEVENT")
    uids = sorted(str(e["UID"]) for e in events)
    assert uids == sorted(m.uid for m in demo_context.meetings.list()) and len(uids) == 26
    assert host.messages[-1] == f"Wrote 26 meetings to {everything}."

    ws.show_meeting(lisbon)
    trip = tmp_path / "trip.ics"
    ws.ask_path = lambda name: asked.append(name) or trip
    ws.export_trip_action.trigger()
    events = icalendar.Calendar.from_ical(trip.read_bytes()).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [demo_context.meetings.get(lisbon).uid]
    assert asked == ["meetings.ics", f"trip-{LISBON_TRIP}-meetings.ics"]

    ws.ask_path = lambda _name: None  # the file dialog cancelled: nothing written
    ws.export_all_action.trigger()
    assert host.messages[-1] == f"Wrote 1 meeting to {trip}."


def test_publish_is_offered_only_once_caldav_is_set_up(
    workspace: MeetingsWorkspace, demo_context: AppContext, radicale: Radicale
) -> None:
    ws = workspace
    ws.show_meeting(21)
    assert not ws.buttons["Publish"].isEnabled()
    assert "Settings" in ws.buttons["Publish"].toolTip()
    _caldav(demo_context, radicale.calendar)
    ws.on_changes(Changes(settings=True))
    assert ws.buttons["Publish"].isEnabled() and not ws.buttons["Unpublish"].isEnabled()


def test_publish_to_radicale_marks_it_published_and_unpublish_removes_it(
    workspace: MeetingsWorkspace,
    demo_context: AppContext,
    radicale: Radicale,
    memory_keyring: dict[tuple[str, str], str],
) -> None:
    ws = workspace
    _caldav(demo_context, radicale.calendar)
    meeting_id = _lisbon_meeting(demo_context)
    ws.show_meeting(meeting_id)
    asked: list[bool] = []

    def give_password() -> str:
        asked.append(True)
        ws._remember_asked = True  # as if "Remember in the system keyring" were ticked
        return PASSWORD

    ws.ask_password = give_password
    ws.buttons["Publish"].click()
    stored = demo_context.meetings.get(meeting_id)
    assert stored.caldav_href is not None and stored.caldav_href.startswith(radicale.calendar)
    assert radicale.request("GET", stored.caldav_href)[0] == 200
    assert _cell(ws, _ids(ws).index(meeting_id), CALENDAR) == "Published"
    assert not ws.error.isVisibleTo(ws)
    assert list(memory_keyring.values()) == [PASSWORD]  # kept there, once accepted
    assert PASSWORD not in Path(demo_context.paths.settings_file).read_text()

    # The password is not asked again: from memory now, and from the keyring next session.
    demo_context.caldav_password = None
    ws.buttons["Unpublish"].click()
    assert asked == [True]
    assert radicale.request("GET", stored.caldav_href)[0] == 404
    assert demo_context.meetings.get(meeting_id).caldav_href is None
    assert _cell(ws, _ids(ws).index(meeting_id), CALENDAR) == "Not published"


def test_a_refused_password_or_a_closed_port_says_one_sentence_and_keeps_it_local(
    workspace: MeetingsWorkspace, demo_context: AppContext, radicale: Radicale, host: RecordingHost
) -> None:
    ws = workspace
    _caldav(demo_context, radicale.calendar)
    meeting_id = _lisbon_meeting(demo_context)
    ws.show_meeting(meeting_id)
    ws.ask_password = lambda: "wrong"
    ws.publish(meeting_id)
    text = ws.error.text()
    assert ws.error.isVisibleTo(ws) and ws.error.objectName() == "meetings-error"
    assert "refused the user name or password" in text and "not published" in text
    assert text.endswith(".") and ". " not in text  # one sentence
    assert host.messages[-1] == text
    assert demo_context.meetings.get(meeting_id).caldav_href is None
    assert demo_context.caldav_password is None  # the refused one is forgotten
    assert _cell(ws, _ids(ws).index(meeting_id), CALENDAR) == "Not published"

    _caldav(demo_context, f"http://127.0.0.1:{free_port()}/{USER}/meetings/")
    ws.ask_password = lambda: PASSWORD
    ws.publish(meeting_id)
    text = ws.error.text()
    assert "cannot be reached" in text and "not published" in text
    assert demo_context.meetings.get(meeting_id).caldav_href is None

    ws.ask_password = lambda: None  # the password dialog cancelled: nothing is tried
    demo_context.caldav_password = None
    ws.publish(meeting_id)
    assert host.messages[-1] == "Did not publish: no CalDAV password was given."


def test_debrief_briefing_and_open_contact_go_to_the_host_for_the_selected_meeting(
    workspace: MeetingsWorkspace, host: RecordingHost
) -> None:
    ws = workspace
    ws.show_meeting(21)  # still to come: a briefing, no debrief yet
    assert not ws.buttons["Debrief"].isEnabled()
    ws.buttons["Briefing"].click()
    assert host.calls[-1] == ("brief_contact", (132, 21))

    ws.show_meeting(23)  # over, no debrief
    assert ws.buttons["Debrief"].isEnabled()
    ws.buttons["Debrief"].click()
    assert host.calls[-1] == ("debrief_meeting", (23,))
    ws.buttons["Open contact"].click()
    assert host.calls[-1] == ("open_contact", (135, "details"))
    assert {a.text() for a in ws.actions_for_menu()} >= {"&Debrief…", "&Briefing…", "&Confirm"}


def test_show_meeting_clears_filters_that_hide_it(workspace: MeetingsWorkspace) -> None:
    ws = workspace
    _choose(ws.status_filter, "Upcoming")
    ws.show_meeting(1)
    assert ws.status_filter.currentText() == "All"
    assert ws.selected_row() is not None and ws.selected_row().meeting_id == 1
    assert "Debriefed" in ws.details.text()


def test_password_dialog_hides_what_is_typed_and_offers_the_keyring_only_when_there_is_one(
    qtbot: Any,
) -> None:
    settings = CalDAVSettings(url="https://cal.example.org/sam/meetings/", username="sam")
    dialog = CalDAVPasswordDialog(settings, keyring_available=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    assert "sam at https://cal.example.org/sam/meetings/" in dialog.intro.text()
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.error.text().startswith("Type the password")
    dialog.password.setText("pw")
    dialog.remember.setChecked(True)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible() and dialog.secret() == "pw" and dialog.wants_remembering()

    without = CalDAVPasswordDialog(settings, keyring_available=False)
    qtbot.addWidget(without)
    without.show()
    assert not without.remember.isVisible() and not without.wants_remembering()


def test_reschedule_dialog_shows_the_new_time_at_home_too(qtbot: Any) -> None:
    dialog = RescheduleDialog(datetime(2026, 12, 3, 10, 0), 60, "Europe/London", "Europe/Berlin")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.yours.text() == "That is 11:00 on 3 Dec your time (Europe/Berlin)."
    dialog.start.setDateTime(QDateTime(QDate(2026, 12, 3), QTime(23, 30)))
    assert dialog.yours.text() == "That is 00:30 on 4 Dec your time (Europe/Berlin)."
    assert dialog.start.accessibleName() == "Start, London time"


def test_with_the_threaded_runner_publish_runs_once_and_the_list_follows(
    demo_context: AppContext, radicale: Radicale, qtbot: Any
) -> None:
    threaded = TaskRunner()
    host = RecordingHost(threaded)
    _caldav(demo_context, radicale.calendar)
    demo_context.caldav_password = PASSWORD  # asked earlier in the session
    meeting_id = _lisbon_meeting(demo_context)
    ws = MeetingsWorkspace(host, demo_context, now=lambda: NOW)
    host.listener = ws.on_changes
    qtbot.addWidget(ws)
    ws.show()
    ws.show_meeting(meeting_id)
    qtbot.waitUntil(lambda: ws.selected_row() is not None, timeout=10_000)
    ws.buttons["Publish"].click()
    assert not ws.buttons["Publish"].isEnabled()  # while the server is asked
    ws.publish(meeting_id)  # a second publish at once is not sent
    qtbot.waitUntil(
        lambda: _cell(ws, _ids(ws).index(meeting_id), CALENDAR) == "Published", timeout=10_000
    )
    assert not ws.error.isVisibleTo(ws)
    assert host.messages[-1] == "Published the meeting in the calendar."
    assert threaded.close()

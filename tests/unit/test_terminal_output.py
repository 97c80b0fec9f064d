"""Whatever text is stored, the terminal only shows it, and calendar files keep their shape.

Issue 14, defect 10 and the property the issue asks for: text written straight into every
field (as an older version or another program could have stored it) never puts a control
character, escape sequence or bidi override on the terminal from any command, and never
changes the number of events or of their properties in an exported .ics.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netplanner.services.context import AppContext
from tests.conftest import Cli

# What a terminal would obey rather than show (tabs and line feeds are only layout).
_OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

_HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(["\x1b]0;owned\x07", "\x1b[31m", "\x9b2J", "\u202e", "\r", "\n",
                         "\x00", "\x08", "\u2028", "END:VEVENT", "BEGIN:VEVENT\r\n",
                         "ATTENDEE:mailto:x@y", ";", ",", "\\"]),
        st.characters(codec="utf-8"),
    ),
    min_size=1,
    max_size=20,
).map("".join)  # fmt: skip

# Every stored text the commands below print or export, for the demo's first meeting.
_FIELDS = (
    ("contacts", "first_name", 1), ("contacts", "last_name", 1), ("contacts", "company", 1),
    ("contacts", "position", 1), ("contacts", "location_text", 1),
    ("venues", "name", 2), ("venues", "address", 2), ("meetings", "invitation_text", 1),
    ("debriefs", "food_drink", 1), ("debriefs", "in_common", 1), ("debriefs", "business", 1),
    ("debriefs", "ambitions", 1), ("debriefs", "challenges", 1), ("debriefs", "learned", 1),
    ("follow_ups", "text", 1), ("target_companies", "name", 1),
)  # fmt: skip

_COMMANDS = (
    ("contacts",), ("contacts", "--json"), ("meetings",), ("meetings", "--json"),
    ("brief", "1"), ("targets", "list"),
)  # fmt: skip


def _shape(data: bytes) -> tuple[int, list[tuple[str, int]]]:
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    counts: dict[str, int] = {}
    for event in events:
        for name, _ in event.property_items(recursive=False):
            counts[str(name)] = counts.get(str(name), 0) + 1
    return len(events), sorted(counts.items())


def _store_raw(database: Path, text: str) -> None:
    connection = sqlite3.connect(database)
    try:
        for table, column, row in _FIELDS:
            # A letter first: text that is only controls is cleaned to nothing, and an empty
            # invitation rightly has no DESCRIPTION.
            connection.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", ("X" + text, row))
        connection.commit()
    finally:
        connection.close()


@pytest.fixture
def template(demo_context: AppContext, tmp_path: Path) -> Path:
    demo_context.close()
    copy = tmp_path / "template.sqlite"
    shutil.copy2(demo_context.paths.database_file, copy)
    return copy


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=_HOSTILE)
def test_stored_text_never_commands_the_terminal_nor_reshapes_a_calendar(
    cli: Cli, template: Path, demo_context: AppContext, tmp_path: Path, text: str
) -> None:
    database = demo_context.paths.database_file
    shutil.copy2(template, database)
    _store_raw(database, "plain")  # every field set, so the same properties are there
    plain = tmp_path / "plain.ics"
    assert cli("export", "ics", "--meeting", "1", "-o", str(plain)).code == 0
    expected = _shape(plain.read_bytes())

    _store_raw(database, text)
    odd = tmp_path / "odd.ics"
    exported = cli("export", "ics", "--meeting", "1", "-o", str(odd))
    assert exported.code == 0, exported.stderr
    assert _shape(odd.read_bytes()) == expected

    for args in _COMMANDS:
        result = cli(*args)
        assert result.code == 0, (args, result.stderr)
        shown = result.stdout + result.stderr
        assert not _OBEYED.search(shown), (args, shown)
        if "--json" in args:
            assert result.json() is not None  # and still JSON

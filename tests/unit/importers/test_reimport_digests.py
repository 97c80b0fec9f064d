"""Re-importing rows a contact already holds: left alone, never merged in the wrong order.

Each contact an import writes remembers the digest of the one row it came from; any other
write to the contact forgets it. A re-import leaves the contacts whose row is unchanged
alone, and must end exactly where merging every row again would.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netplanner.domain.entities import Contact
from netplanner.domain.errors import CancelledError
from netplanner.domain.progress import CancelToken
from netplanner.services.context import AppContext, build_context
from netplanner.storage.repositories.imports import BULK_INSERT_ROWS, ImportRepository
from tests.unit.importers.helpers import CONNECTIONS_HEADER, DATA, by_name, write


def _row(first: str, slug: str, position: str = "Engineer", company: str = "Acme") -> str:
    return f"{first},Lee,https://www.linkedin.com/in/{slug},,{company},{position},01 Jan 2024\n"


def _connections(tmp: Path, *rows: str, name: str = "Connections.csv") -> Path:
    return write(tmp, name, 'Notes:\n"hello"\n\n' + CONNECTIONS_HEADER + "".join(rows))


def _refuse_loading(*_: Any) -> Any:
    raise AssertionError("the stored contacts were read to merge rows they already hold")


def test_an_unchanged_reimport_counts_everyone_unchanged_and_merges_nothing(
    tmp_path: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _connections(tmp_path, *(_row(f"P{i}", f"p{i}") for i in range(40)))
    assert context.importer.run([path])[0].created == 40
    stamps = {c.id: c.updated_at for c in context.contact_repo.list()}
    backups = len(context.backups.listing())
    monkeypatch.setattr(ImportRepository, "load_contacts", _refuse_loading)

    report = context.importer.run([path])[0]

    assert (report.created, report.updated, report.unchanged) == (0, 0, 40)
    assert {c.id: c.updated_at for c in context.contact_repo.list()} == stamps
    assert len(context.backups.listing()) == backups  # nothing to write, nothing to back up


def test_vcards_and_address_books_are_left_alone_too(
    context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [DATA / "contacts.vcf", DATA / "google.csv", DATA / "outlook.csv"]
    context.importer.run(files)
    monkeypatch.setattr(ImportRepository, "load_contacts", _refuse_loading)
    reports = context.importer.run(files)
    assert [(r.created, r.updated) for r in reports] == [(0, 0)] * 3
    assert [r.unchanged for r in reports] == [4, 2, 2]


def test_a_hand_edit_makes_the_row_merge_again_and_the_edit_stays(
    tmp_path: Path, context: AppContext
) -> None:
    path = _connections(tmp_path, _row("Ana", "ana"), _row("Ben", "ben"))
    context.importer.run([path])
    ana = by_name(context)["Ana Lee"]
    ana.position = "CTO"
    context.contacts.update(ana, ["position"])
    assert len(context.importer.repo.import_marks()) == 1  # Ben's row only

    report = context.importer.run([path])[0]

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert by_name(context)["Ana Lee"].position == "CTO"
    assert len(context.importer.repo.import_marks()) == 2  # merged, unchanged: held again


def test_geocoding_a_contact_makes_its_row_merge_again(context: AppContext) -> None:
    context.importer.run([DATA / "contacts.vcf"])
    before = context.importer.repo.import_marks()
    stamps = {c.id: c.updated_at for c in context.contact_repo.list()}
    context.geocoding.geocode_all()
    placed = {c.id for c in context.contact_repo.list() if c.updated_at != stamps[c.id]}
    assert placed, "the fixture has a card the gazetteer places"
    assert set(context.importer.repo.import_marks().values()) == set(before.values()) - placed


def test_a_changed_row_is_merged_and_the_others_are_left_alone(
    tmp_path: Path, context: AppContext
) -> None:
    rows = [_row(f"P{i}", f"p{i}") for i in range(10)]
    context.importer.run([_connections(tmp_path, *rows)])
    rows[3] = _row("P3", "p3", position="Director")
    report = context.importer.run([_connections(tmp_path, *rows, _row("New", "new"))])[0]
    assert (report.created, report.updated, report.unchanged) == (1, 1, 9)
    assert by_name(context)["P3 Lee"].position == "Director"


@pytest.mark.parametrize("held_first", [True, False])
def test_a_held_row_and_another_row_for_the_same_person_merge_in_file_order(
    tmp_path: Path, context: AppContext, held_first: bool
) -> None:
    original = _row("Ana", "ana", position="Engineer")
    context.importer.run([_connections(tmp_path, original)])
    other = _row("Ana", "ana", position="Manager")
    rows = [original, other] if held_first else [other, original]
    report = context.importer.run([_connections(tmp_path, *rows)])[0]
    # Merging every row in order: the last row's position wins.
    expected = "Manager" if held_first else "Engineer"
    assert by_name(context)["Ana Lee"].position == expected
    assert (report.updated, report.unchanged) == ((1, 0) if held_first else (0, 1))


def test_a_row_seen_twice_in_one_import_is_never_held(tmp_path: Path, context: AppContext) -> None:
    path = _connections(tmp_path, _row("Ana", "ana"), _row("Ana", "ana"))
    context.importer.run([path])
    assert context.importer.repo.import_marks() == {}
    assert context.importer.run([path])[0].unchanged == 1


def _indexes(context: AppContext) -> list[tuple[str, str]]:
    with sqlite3.connect(context.db.sqlite_path) as connection:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' "
            "AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
    return [(str(name), str(sql)) for name, sql in rows]


def _bulk(tmp: Path) -> Path:
    rows = [_row(f"P{i}", f"p{i}") for i in range(BULK_INSERT_ROWS)]
    return _connections(tmp, *rows)


def test_a_bulk_import_leaves_the_contact_indexes_as_they_were(
    tmp_path: Path, context: AppContext
) -> None:
    context.contacts.count()  # creates the schema
    indexes = _indexes(context)
    assert len(indexes) >= 3
    context.importer.run([_bulk(tmp_path)])
    assert _indexes(context) == indexes
    with sqlite3.connect(context.db.sqlite_path) as connection:
        plan = connection.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE profile_url = ?", ("x",)
        ).fetchall()
    assert "ix_contacts_profile_url" in str(plan)


class _CancelWhileSaving(CancelToken):
    def __init__(self) -> None:
        super().__init__()
        self.saving = 0

    def report(self, done: int, total: int, message: str = "") -> None:
        if message == "Saving contacts":
            self.saving += 1

    def cancelled(self) -> bool:
        return self.saving >= 2


def test_cancelling_a_bulk_import_keeps_the_indexes_and_writes_nothing(
    tmp_path: Path, context: AppContext
) -> None:
    context.contacts.count()
    indexes = _indexes(context)
    with pytest.raises(CancelledError):
        context.importer.run([_bulk(tmp_path)], _CancelWhileSaving())
    assert context.contacts.count() == 0
    assert _indexes(context) == indexes


# Merging with and without held rows ends in the same place -------------------------------
_SLUGS = ["ana", "ben", "cy"]
_rows = st.lists(
    st.tuples(
        st.sampled_from(_SLUGS),
        st.sampled_from(["Engineer", "Manager", ""]),
        st.sampled_from(["Acme", "Initech"]),
    ),
    min_size=1,
    max_size=5,
)
_steps = st.lists(
    st.one_of(
        st.tuples(st.just("import"), _rows),
        st.tuples(st.just("edit"), st.sampled_from(_SLUGS)),
    ),
    min_size=1,
    max_size=6,
)


def _state(context: AppContext) -> list[tuple[object, ...]]:
    return sorted(
        (c.first_name, c.profile_url, c.company, c.position, tuple(c.edited_fields))
        for c in context.contact_repo.list()
    )


def _apply(context: AppContext, folder: Path, steps: list[Any]) -> list[tuple[int, int, int]]:
    counts = []
    for number, (kind, value) in enumerate(steps):
        if kind == "import":
            text = "".join(_row(s.title(), s, p, c) for s, p, c in value)
            path = _connections(folder, text, name=f"step{number}.csv")
            report = context.importer.run([path])[0]
            counts.append((report.created, report.updated, report.unchanged))
            continue
        contact: Contact | None = by_name(context).get(f"{value.title()} Lee")
        if contact is not None:
            contact.company = "Hand Edited"
            context.contacts.update(contact, ["company"])
    return counts


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=_steps)
def test_holding_rows_ends_where_merging_every_row_again_would(
    tmp_path_factory: pytest.TempPathFactory, steps: list[Any]
) -> None:
    folder = tmp_path_factory.mktemp("steps")
    held = build_context(folder / "held")
    merged = build_context(folder / "merged")
    merged.importer.repo.import_marks = dict  # type: ignore[method-assign]
    try:
        assert _apply(held, folder, steps) == _apply(merged, folder, steps)
        assert _state(held) == _state(merged)
    finally:
        held.close()
        merged.close()


def test_merging_again_after_a_held_row_keeps_a_network_export_whole(
    tmp_path: Path, demo_context: AppContext
) -> None:
    """The second pass reads the files anew: the first one changed the records it merged."""
    from netplanner.services.data_export import DataExporter

    DataExporter(demo_context.importer.repo).export_json(tmp_path / "network.json")
    meetings = len(demo_context.meetings.list())
    target = build_context(tmp_path / "target")
    try:
        original = _row("Ana", "ana", position="Engineer")
        target.importer.run([_connections(tmp_path, original)])
        rows = _connections(tmp_path, _row("Ana", "ana", position="Manager"), original)
        target.importer.run([tmp_path / "network.json", rows])
        assert by_name(target)["Ana Lee"].position == "Engineer"
        assert len(target.meetings.list()) == meetings
        assert all(m.contact_ids for m in target.meetings.list())
    finally:
        target.close()

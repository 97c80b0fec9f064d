"""Merging, idempotence, one transaction, dry runs, cancellation and progress."""

from __future__ import annotations

import base64
import dataclasses
import threading
from pathlib import Path

import pytest

from netplanner.domain.entities import Contact, LocationStatus
from netplanner.domain.errors import CancelledError
from netplanner.domain.progress import CancelToken
from netplanner.services.context import AppContext, build_context
from netplanner.services.importers import ImportFileError
from netplanner.services.importers.service import ImportService
from netplanner.storage.repositories.imports import (
    CONTACT_TEXT_LIMITS,
    ImportBatch,
    ImportRepository,
)
from tests.unit.importers.helpers import CONNECTIONS_HEADER, DATA, by_name, write

ALL_FIXTURES = [
    DATA / "Connections.csv",
    DATA / "Invitations.csv",
    DATA / "contacts.vcf",
    DATA / "google.csv",
    DATA / "outlook.csv",
]


def _connections(tmp: Path, *rows: str, name: str = "Connections.csv") -> Path:
    return write(
        tmp, name, 'Notes:\n"LinkedIn says hello"\n\n' + CONNECTIONS_HEADER + "".join(rows)
    )


def test_importing_every_fixture_creates_each_person_once(context: AppContext) -> None:
    reports = context.importer.run(ALL_FIXTURES)
    assert [r.created for r in reports] == [6, 3, 4, 2, 2]
    assert context.contacts.count() == 14


def test_reimport_of_same_files_creates_and_changes_nothing(context: AppContext) -> None:
    context.importer.run(ALL_FIXTURES)
    before = context.contact_repo.list(with_photos=True)
    again = context.importer.run(ALL_FIXTURES)
    assert [(r.created, r.updated) for r in again] == [(0, 0)] * 5
    assert [r.unchanged for r in again] == [6, 3, 4, 2, 2]
    assert context.contact_repo.list(with_photos=True) == before


def test_same_profile_url_updates_the_person(tmp_path: Path, context: AppContext) -> None:
    url = "https://www.linkedin.com/in/ana-ferreira"
    context.importer.run([_connections(tmp_path, f"Ana,Ferreira,{url},,Farfetch,PM,20 Jan 2024\n")])
    moved = _connections(
        tmp_path, f"Ana,Ferreira,{url.upper()}/,,Stripe,Director,20 Jan 2024\n", name="new.csv"
    )
    report = context.importer.run([moved])[0]
    assert (report.created, report.updated) == (0, 1)
    ana = by_name(context)["Ana Ferreira"]
    assert (ana.company, ana.position) == ("Stripe", "Director")


def test_namesakes_at_one_company_with_different_urls_stay_two_people(
    tmp_path: Path, context: AppContext
) -> None:
    path = _connections(
        tmp_path,
        "John,Smith,https://www.linkedin.com/in/john-smith-1,,Acme,Engineer,01 Jan 2024\n",
        "John,Smith,https://www.linkedin.com/in/john-smith-2,,Acme,Designer,01 Jan 2024\n",
    )
    assert context.importer.run([path])[0].created == 2
    assert context.contacts.count() == 2


def test_name_and_company_match_only_where_one_record_has_no_key(
    tmp_path: Path, context: AppContext
) -> None:
    context.importer.run(
        [
            _connections(
                tmp_path, "Ana,Ferreira,https://www.linkedin.com/in/ana,,Farfetch,PM,20 Jan 2024\n"
            )
        ]
    )
    # An Outlook card with no email and no URL, same name and company: the same person.
    outlook = write(
        tmp_path,
        "outlook.csv",
        "First Name,Last Name,Company,Job Title,E-mail Address,"
        "Business City,Business Country/Region\n"
        "Ana,Ferreira,Farfetch,,,Lisbon,Portugal\n",
    )
    report = context.importer.run([outlook])[0]
    assert (report.created, report.updated) == (0, 1)
    ana = by_name(context)["Ana Ferreira"]
    assert ana.location_text == "Lisbon, Portugal"
    assert ana.profile_url == "https://www.linkedin.com/in/ana"


KNOWN_BY_NAME = (
    "outlook.csv",
    "First Name,Last Name,Company,Job Title,E-mail Address,"
    "Business City,Business Country/Region\n"
    "Ana,Ferreira,Farfetch,,,Lisbon,Portugal\n",
)
KNOWN_BY_URL = (
    "first.csv",
    'Notes:\n"LinkedIn says hello"\n\n'
    + CONNECTIONS_HEADER
    + "Ana,Ferreira,https://www.linkedin.com/in/ana,,Farfetch,PM,\n",
)


@pytest.mark.parametrize("known", [KNOWN_BY_NAME, KNOWN_BY_URL], ids=["no key", "url"])
def test_a_known_person_among_new_connections_is_merged_not_created(
    tmp_path: Path, context: AppContext, known: tuple[str, str]
) -> None:
    # Stored first: Ana by name and company only (a card without key), or by her URL.
    context.importer.run([write(tmp_path, *known)])
    rows = [f"New,Person{i},https://www.linkedin.com/in/new-{i},,Co,PM,\n" for i in range(5)]
    rows.insert(2, "Ana,Ferreira,https://www.linkedin.com/in/ana/,,Farfetch,CTO,20 Jan 2024\n")
    report = context.importer.run([_connections(tmp_path, *rows, name="later.csv")])[0]
    assert (report.created, report.updated) == (5, 1)
    people = by_name(context)
    assert len(people) == 6
    ana = people["Ana Ferreira"]
    assert (ana.profile_url, ana.position) == ("https://www.linkedin.com/in/ana", "CTO")


def test_the_same_email_is_the_same_person_across_formats(
    tmp_path: Path, context: AppContext
) -> None:
    context.importer.run([DATA / "Connections.csv"])
    vcard = write(
        tmp_path,
        "m.vcf",
        "BEGIN:VCARD\nVERSION:3.0\nN:Dubois;Marie-Claire\nEMAIL:MARIE.DUBOIS@example.fr\n"
        "ADR;TYPE=WORK:;;;Paris;;;France\nUID:abc-1\nEND:VCARD\n",
    )
    report = context.importer.run([vcard])[0]
    assert (report.created, report.updated) == (0, 1)
    marie = next(c for c in context.contact_repo.list() if c.last_name == "Dubois")
    assert marie.location_text == "Paris, France"
    assert marie.first_name == "Marie-Claire"


def test_people_of_one_file_are_found_by_a_later_file_of_the_same_import(
    tmp_path: Path, context: AppContext
) -> None:
    """New people are left out of the merge index only in the last file with people: a
    later file of the same import still finds them."""
    connections = _connections(
        tmp_path,
        "Marie,Dubois,https://www.linkedin.com/in/md,marie@example.fr,BNP,CTO,12 Dec 2019\n",
        "Ana,Lee,https://www.linkedin.com/in/ana-lee,,Acme,Founder,20 Jan 2024\n",
    )
    vcard = write(
        tmp_path,
        "m.vcf",
        "BEGIN:VCARD\nVERSION:3.0\nN:Dubois;Marie\nEMAIL:MARIE@example.fr\n"
        "ADR;TYPE=WORK:;;;Paris;;;France\nUID:abc-1\nEND:VCARD\n",
    )
    first, second = context.importer.run([connections, vcard])
    assert (first.created, second.created, second.updated) == (2, 0, 1)
    people = by_name(context)
    assert sorted(people) == ["Ana Lee", "Marie Dubois"]
    assert people["Marie Dubois"].location_text == "Paris, France"


def test_the_last_file_s_new_people_are_stored_in_order_and_known_again(
    tmp_path: Path, context: AppContext
) -> None:
    """The last file with people (an Invitations.csv after it has none) is stored as read,
    in its order, and importing it again changes nothing."""
    rows = [
        f"P{i},Lee,https://www.linkedin.com/in/p-{i},,Acme,Founder,20 Jan 2024\n" for i in range(5)
    ]
    files = [_connections(tmp_path, *rows), DATA / "Invitations.csv"]
    reports = context.importer.run(files)
    assert [(r.created, r.updated) for r in reports] == [(5, 0), (3, 0)]
    stored = context.contact_repo.list()
    assert [c.first_name for c in sorted(stored, key=lambda c: c.id or 0)] == [
        f"P{i}" for i in range(5)
    ]
    assert len(context.importer.repo.import_marks()) == 5  # each row's digest is kept
    again = context.importer.run(files)
    assert [(r.created, r.updated, r.unchanged) for r in again] == [(0, 0, 5), (0, 0, 3)]


def test_fields_edited_by_hand_are_never_overwritten(tmp_path: Path, context: AppContext) -> None:
    context.importer.run([DATA / "Connections.csv"])
    ana = by_name(context)["Ana Ferreira"]
    ana.company = "Farfetch Portugal (my note)"
    ana.edited_fields = ["company"]
    context.contact_repo.update(ana)
    changed = _connections(
        tmp_path,
        "Ana,Ferreira,https://www.linkedin.com/in/ana-ferreira-1a2b3c,,Zalando,CPO,20 Jan 2024\n",
    )
    context.importer.run([changed])
    ana = by_name(context)["Ana Ferreira"]
    assert ana.company == "Farfetch Portugal (my note)"
    assert ana.position == "CPO"


def test_a_location_chosen_by_hand_survives_an_import(tmp_path: Path, context: AppContext) -> None:
    context.importer.run([DATA / "google.csv"])
    sofia = by_name(context)["Sofia Rossi"]
    sofia.location_text, sofia.lat, sofia.lon = "Turin", 45.07, 7.69
    sofia.location_status = LocationStatus.MANUAL
    context.contact_repo.update(sofia)
    assert context.importer.run([DATA / "google.csv"])[0].updated == 0
    assert by_name(context)["Sofia Rossi"].location_text == "Turin"


def test_two_rows_for_one_person_in_one_file_give_one_contact(
    tmp_path: Path, context: AppContext
) -> None:
    row = "Ana,Ferreira,https://www.linkedin.com/in/ana,ana@example.pt,Farfetch,PM,20 Jan 2024\n"
    path = _connections(tmp_path, row, row.replace(",PM,", ",Senior PM,"))
    first = context.importer.run([path])[0]
    assert (first.created, context.contacts.count()) == (1, 1)
    assert by_name(context)["Ana Ferreira"].position == "Senior PM"
    again = context.importer.run([path])[0]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_dry_run_reports_and_writes_nothing(context: AppContext) -> None:
    reports = context.importer.preview(ALL_FIXTURES)
    assert [r.created for r in reports] == [6, 3, 4, 2, 2]
    assert context.contacts.count() == 0
    assert ImportRepository(context.db).invitation_keys() == set()


def test_one_bad_file_means_nothing_of_the_import_is_written(
    tmp_path: Path, context: AppContext
) -> None:
    bad = write(tmp_path, "bad.csv", "just some text\n")
    with pytest.raises(ImportFileError, match=r"bad.csv"):
        context.importer.run([DATA / "Connections.csv", bad])
    assert context.contacts.count() == 0


class _CancelAfter(CancelToken):
    """Cancels once the write has begun (after ``calls`` checks)."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.calls = calls
        self.reports: list[tuple[int, int, str]] = []

    def cancelled(self) -> bool:
        self.calls -= 1
        return self.calls < 0

    def report(self, done: int, total: int, message: str = "") -> None:
        self.reports.append((done, total, message))


def test_cancelling_during_the_write_leaves_the_database_as_it_was(
    tmp_path: Path, context: AppContext
) -> None:
    context.importer.run([DATA / "google.csv"])
    before = context.contact_repo.list()
    rows = [
        f"P{i},Q{i},https://www.linkedin.com/in/p{i},,Co,Role,01 Jan 2024\n" for i in range(4500)
    ]
    path = _connections(tmp_path, *rows)
    token = _CancelAfter(calls=6)  # reading and merging pass, the second write chunk cancels
    with pytest.raises(CancelledError):
        context.importer.run([path], token)
    assert any(message == "Saving contacts" for _, _, message in token.reports)
    assert context.contact_repo.list() == before


def test_progress_is_reported_while_importing(context: AppContext) -> None:
    token = _CancelAfter(calls=10_000)
    context.importer.run(ALL_FIXTURES, token)
    messages = [message for _, _, message in token.reports]
    assert messages[0].startswith("Reading") and messages[-1] == "Saved"


def test_loaded_merge_state_matches_the_stored_contacts(context: AppContext) -> None:
    context.importer.run(ALL_FIXTURES)
    loaded = [c for c, _ in ImportRepository(context.db).load_contacts()]
    stored = sorted(context.contact_repo.list(), key=lambda c: c.id or 0)
    for contact in stored:
        contact.photo = contact.created_at = contact.updated_at = None
    assert loaded == stored


def test_the_portable_core_path_writes_the_same_as_the_sqlite_fast_path(
    context: AppContext, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Databases other than SQLite (PostgreSQL) take the SQLAlchemy Core path."""
    context.importer.run(ALL_FIXTURES)
    fast = sorted(context.contact_repo.list(), key=lambda c: c.id or 0)
    monkeypatch.setattr(ImportRepository, "_raw", property(lambda self: False))
    other = build_context(data_dir / "portable")
    try:
        other.importer.run(ALL_FIXTURES)
        portable = sorted(other.contact_repo.list(), key=lambda c: c.id or 0)
        loaded = [c for c, _ in other.importer.repo.load_contacts()]
        again = other.importer.run(ALL_FIXTURES)
        changed = _connections(
            data_dir,
            "Ana,Ferreira,https://www.linkedin.com/in/ana-ferreira-1a2b3c,,Farfetch,CPO,"
            "20 Jan 2024\n",
        )
        assert other.importer.run([changed])[0].updated == 1
        assert by_name(other)["Ana Ferreira"].position == "CPO"
    finally:
        other.close()
    skip = {"created_at", "updated_at"}

    def strip(contacts: list[Contact]) -> list[dict[str, object]]:
        return [{k: v for k, v in vars(c).items() if k not in skip} for c in contacts]

    assert strip(portable) == strip(fast)
    assert strip(loaded) == strip([dataclasses.replace(c, photo=None) for c in portable])
    assert all(c.created_at is None for c in loaded)
    assert [(r.created, r.updated) for r in again] == [(0, 0)] * 5


def _card(photo: bytes) -> str:
    encoded = base64.b64encode(photo).decode()
    return (
        f"BEGIN:VCARD\nVERSION:3.0\nFN:Pia Photo\nUID:pia\nPHOTO;ENCODING=b:{encoded}\nEND:VCARD\n"
    )


def test_a_new_photo_updates_and_the_same_photo_changes_nothing(
    tmp_path: Path, context: AppContext
) -> None:
    context.importer.run([write(tmp_path, "a.vcf", _card(b"\xff\xd8old-photo"))])
    same_length = write(tmp_path, "b.vcf", _card(b"\xff\xd8new-photo"))
    assert context.importer.run([same_length])[0].updated == 1
    assert (
        context.contact_repo.get(by_name(context)["Pia Photo"].id or 0).photo
        == b"\xff\xd8new-photo"
    )
    again = context.importer.run([same_length])[0]
    assert (again.updated, again.unchanged) == (0, 1)


def test_a_text_longer_than_the_database_holds_is_cut_with_a_warning(
    tmp_path: Path, context: AppContext
) -> None:
    long_position = "Chief " + "Very " * 100 + "Officer"
    path = _connections(tmp_path, f"Ana,Ferreira,,,Farfetch,{long_position},20 Jan 2024\n")
    report = context.importer.run([path])[0]
    assert by_name(context)["Ana Ferreira"].position == long_position[:300]
    assert report.warnings == [(5, "the position was cut to 300 characters")]
    assert report.warning_texts() == ["line 5: the position was cut to 300 characters"]
    assert report.to_json()["warnings"] == [
        {"line": 5, "reason": "the position was cut to 300 characters"}
    ]


def test_only_the_row_too_long_is_cut_and_warned_about(tmp_path: Path, context: AppContext) -> None:
    long_company = "Acme " * 80
    path = _connections(
        tmp_path,
        "Ana,Ferreira,,,Farfetch,Engineer,20 Jan 2024\n"
        f"Rui,Costa,,,{long_company},Founder,21 Jan 2024\n"
        "Eva,Lima,,,Stripe,Designer,22 Jan 2024\n",
    )
    report = context.importer.run([path])[0]
    people = by_name(context)
    limit = CONTACT_TEXT_LIMITS["company"]
    assert report.warnings == [(6, f"the company was cut to {limit} characters")]
    assert people["Rui Costa"].company == long_company.strip()[:limit]
    assert (people["Ana Ferreira"].company, people["Eva Lima"].company) == ("Farfetch", "Stripe")


def test_a_profile_url_longer_once_written_in_full_is_cut_too(
    tmp_path: Path, context: AppContext
) -> None:
    """The row is shorter than the URL limit, but its URL gains "https://www." when read:
    the longest text the parser reports counts that in."""
    slug = "a" * 474
    path = _connections(tmp_path, f"A,B,linkedin.com/in/{slug},,,,\n")
    assert len(path.read_text().splitlines()[-1]) < CONTACT_TEXT_LIMITS["profile_url"]
    report = context.importer.run([path])[0]
    limit = CONTACT_TEXT_LIMITS["profile_url"]
    assert report.warnings == [
        (5, f"the profile url was cut to {limit} characters"),
        (5, f"the source key was cut to {limit} characters"),
    ]
    assert by_name(context)["A B"].profile_url == f"https://www.linkedin.com/in/{slug}"[:limit]


def test_an_import_runs_on_a_worker_thread_as_the_gui_runs_it(context: AppContext) -> None:
    token = CancelToken()
    results: list[object] = []
    worker = threading.Thread(
        target=lambda: results.append(context.importer.run(ALL_FIXTURES, token))
    )
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert context.contacts.count() == 14
    assert token.last[2] == "Saved"


def test_a_text_every_row_shares_is_stored_as_written(tmp_path: Path, context: AppContext) -> None:
    """A column the rows share is written into the statement once: quotes stay quotes."""
    rows = [
        f'Ana{i},Lee,https://www.linkedin.com/in/ana-{i},,"O\'Brien, Smith & Co",Founder,'
        "20 Jan 2024\n"
        for i in range(3)
    ]
    context.importer.run([_connections(tmp_path, *rows)])
    stored = context.contact_repo.list()
    assert [c.company for c in stored] == ["O'Brien, Smith & Co"] * 3
    assert {(c.position, c.source, c.stage.value, c.location_status) for c in stored} == {
        ("Founder", "linkedin", "new", LocationStatus.UNRESOLVED)
    }


def test_a_parser_naming_its_fields_stores_what_reading_every_field_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the fields a parser names are read on the way to the database: the same rows
    come out as when every field is read."""
    from netplanner.services.importers import linkedin

    source = _connections(
        tmp_path,
        "Ana,Lee,https://www.linkedin.com/in/ana-lee,ana@example.com,Acme,Founder,20 Jan 2024\n",
        "Ben,Okafor,https://www.linkedin.com/in/ben-o,,Grab,CTO,03 Mar 2023\n",
    )
    hints: list[frozenset[str] | None] = []
    write = ImportRepository.write

    def spy(repo: ImportRepository, batch: ImportBatch, *args: object, **kwargs: object) -> object:
        hints.append(batch.create_fields)
        return write(repo, batch, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ImportRepository, "write", spy)
    # Row by row (where the columns cannot be written as they are, see test_column_path).
    monkeypatch.setattr(ImportService, "_as_columns", staticmethod(lambda *_: False))

    def stored(folder: str) -> list[dict[str, object]]:
        context = build_context(tmp_path / folder)
        try:
            context.importer.run([source])
            keep = ("id", "created_at", "updated_at")
            return [
                {k: v for k, v in vars(c).items() if k not in keep}
                for c in context.contact_repo.list()
            ]
        finally:
            context.close()

    named = stored("named")
    fields = linkedin.CONNECTION_FIELDS
    monkeypatch.setattr(linkedin, "CONNECTION_FIELDS", None)
    every = stored("every field")
    assert hints == [fields, None]  # the second read every field
    assert len(named) == 2 and named[0]["source_key"] == "https://www.linkedin.com/in/ana-lee"
    assert every == named

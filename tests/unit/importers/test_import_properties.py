"""Property tests: any bytes fail cleanly and write nothing; exports round-trip."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netplanner.domain.entities import Contact, LocationStatus
from netplanner.services.context import AppContext, build_context
from netplanner.services.data_export import DataExporter
from netplanner.services.importers import FORMATS, ImportFileError
from tests.unit.importers.helpers import CONNECTIONS_HEADER

HEADERS = {
    "linkedin": CONNECTIONS_HEADER.encode(),
    "linkedin-invitations": b"From,To,Sent At,Message,Direction\n",
    "vcard": b"BEGIN:VCARD\r\nVERSION:3.0\r\n",
    "google": b"First Name,Last Name,Organization Name,E-mail 1 - Value\n",
    "outlook": b"First Name,Last Name,Company,E-mail Address\n",
    "thunderbird": b"First Name,Last Name,Primary Email\n",
    "netplanner-json": b'{"format": "netplanner", "version": 1, "contacts": [',
}
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _counts(context: AppContext) -> tuple[int, int]:
    return context.contacts.count(), len(context.importer.repo.invitation_keys())


@FUZZ
@given(fmt=st.sampled_from(["auto", *FORMATS]), data=st.binary(max_size=600))
def test_arbitrary_bytes_raise_only_the_import_error_and_write_nothing(
    context: AppContext, fmt: str, data: bytes
) -> None:
    path = Path(context.paths.data_dir) / "fuzz.bin"
    path.write_bytes(data)
    before = _counts(context)
    try:
        context.importer.run([path], fmt=fmt)
    except ImportFileError:
        assert _counts(context) == before


@FUZZ
@given(fmt=st.sampled_from(FORMATS), tail=st.binary(max_size=600))
def test_a_real_header_followed_by_garbage_fails_cleanly(
    context: AppContext, fmt: str, tail: bytes
) -> None:
    path = Path(context.paths.data_dir) / "fuzz.txt"
    path.write_bytes(HEADERS[fmt] + tail)
    before = _counts(context)
    try:
        reports = context.importer.run([path], fmt=fmt)
    except ImportFileError:
        assert _counts(context) == before
    else:
        assert reports[0].format == fmt


# Any text a person could have written: no surrogates, and none of the control characters
# and bidi overrides that imports keep out of the database (domain.sanity.clean_text).
_BIDI = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=_BIDI),
    max_size=30,
)
_optional = st.none() | _text.filter(bool)


@st.composite
def _contacts(draw: st.DrawFn) -> list[Contact]:
    count = draw(st.integers(min_value=0, max_value=8))
    result = []
    for i in range(count):
        located = draw(st.booleans())
        result.append(
            Contact(
                first_name=draw(_text),
                last_name=draw(_text),
                company=draw(_optional),
                position=draw(_optional),
                notes=draw(_optional),
                emails=[f"person{i}@example.org"] if draw(st.booleans()) else [],
                phones=draw(st.lists(_text.filter(str.strip), max_size=2, unique=True)),
                profile_url=f"https://www.linkedin.com/in/person-{i}"
                if draw(st.booleans())
                else None,
                tags=draw(st.lists(_text.filter(str.strip), max_size=3, unique=True)),
                connected_on=draw(st.none() | st.dates(date(2003, 1, 1), date(2030, 12, 31))),
                location_text=draw(_optional),
                lat=draw(st.floats(-90, 90)) if located else None,
                lon=draw(st.floats(-180, 180)) if located else None,
                location_status=LocationStatus.FOUND if located else LocationStatus.UNRESOLVED,
                photo=draw(st.none() | st.binary(min_size=1, max_size=40)),
                source="generated",
                source_key=f"key-{i}",
            )
        )
    return result


def _comparable(contacts: list[Contact]) -> list[dict[str, object]]:
    skip = {"id", "created_at", "updated_at"}
    rows = [{k: v for k, v in dataclasses.asdict(c).items() if k not in skip} for c in contacts]
    return sorted(rows, key=lambda row: str(row["source_key"]))


@settings(max_examples=12, deadline=None)
@given(contacts=_contacts())
def test_a_generated_contact_list_round_trips_through_export_and_import(
    contacts: list[Contact],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = build_context(folder / "a")
        target = build_context(folder / "b")
        try:
            source.contact_repo.add_many(contacts)
            DataExporter(source.importer.repo).export_json(folder / "out.json")
            report = target.importer.run([folder / "out.json"])[0]
            assert (report.created, report.skipped) == (len(contacts), [])
            assert _comparable(target.contact_repo.list(with_photos=True)) == _comparable(
                source.contact_repo.list(with_photos=True)
            )
            again = source.importer.run([folder / "out.json"])[0]
            assert (again.created, again.updated) == (0, 0)
        finally:
            source.close()
            target.close()

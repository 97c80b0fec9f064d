"""Zip exports (LinkedIn's data export, Google Takeout) imported whole, and unsafe zips refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from netplanner.services.context import AppContext
from netplanner.services.importers import ImportFileError
from netplanner.services.importers.archive import ArchiveReport
from tests.conftest import Cli
from tests.unit.importers.helpers import CONNECTIONS_HEADER, DATA, by_name

NOTES = 'Notes:\n"When exporting your connection data, some e-mail addresses are missing."\n\n'
PROFILE = (
    "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
    "Geo Location,Twitter Handles,Websites,Instant Messengers\n"
    'Sam,Taylor,,,,"Founder, Example",,Software,,"Berlin, Germany",,,\n'
)
CONNECTIONS = (
    NOTES
    + CONNECTIONS_HEADER
    + "Ana,Ferreira,https://www.linkedin.com/in/anaferreira,,Stripe,Engineer,12 Mar 2021\n"
    + "Jonas,Müller,https://www.linkedin.com/in/jonasmueller,,Spotify,PM,01 Feb 2020\n"
)
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kim;Grace;;;\r\nFN:Grace Kim\r\nEND:VCARD\r\n"


def make_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def linkedin_zip(tmp_path: Path, name: str = "Basic_LinkedInDataExport_11-20-2026.zip") -> Path:
    return make_zip(
        tmp_path / name,
        {
            "Connections.csv": CONNECTIONS,
            "Invitations.csv": (DATA / "Invitations.csv").read_bytes(),
            "Profile.csv": PROFILE,
            "Messages.csv": "CONVERSATION ID,FROM,TO,DATE,CONTENT\n1,Ana,Sam,2024-01-01,Hi\n",
            "Positions.csv": "Company Name,Title,Description,Location,Started On,Finished On\n",
            "Rich_Media.csv": "Date/Time,Media Description,Media Link\n",
        },
    )


def test_a_linkedin_export_zip_imports_connections_and_invitations_each_reported(
    context: AppContext, tmp_path: Path
) -> None:
    path = linkedin_zip(tmp_path)
    reports = context.importer.run([path])
    archive, *members = reports
    assert isinstance(archive, ArchiveReport)
    assert [(r.file, r.format) for r in members] == [
        (f"{path}:Connections.csv", "linkedin"),
        (f"{path}:Invitations.csv", "linkedin-invitations"),
    ]
    assert members[0].created == 2
    assert members[1].created == 3
    assert {"Ana Ferreira", "Jonas Müller"} <= set(by_name(context))
    assert archive.members_read == ["Connections.csv", "Invitations.csv", "Profile.csv"]
    assert [m for m, _ in archive.members_not_read] == [
        "Messages.csv",
        "Positions.csv",
        "Rich_Media.csv",
    ]
    assert archive.warning_texts() == [
        "not read (not a contacts export NetPlanner reads): "
        "Messages.csv, Positions.csv, Rich_Media.csv"
    ]


def test_profile_csv_gives_the_users_own_name_and_place(
    context: AppContext, tmp_path: Path
) -> None:
    archive = context.importer.preview([linkedin_zip(tmp_path)])[0]
    assert isinstance(archive, ArchiveReport) and archive.profile is not None
    assert archive.profile.name == "Sam Taylor"
    assert archive.profile.location == "Berlin, Germany"
    assert archive.to_json()["profile"] == {
        "first_name": "Sam",
        "last_name": "Taylor",
        "location": "Berlin, Germany",
    }
    assert "Sam Taylor" not in by_name(context)  # the user is not their own contact


def test_reimporting_the_zip_creates_nothing(context: AppContext, tmp_path: Path) -> None:
    path = linkedin_zip(tmp_path)
    context.importer.run([path])
    again = context.importer.run([path])
    assert sum(r.created + r.updated for r in again) == 0
    assert sum(r.unchanged for r in again) == 5


def test_a_google_takeout_zip_imports_every_label_vcf(context: AppContext, tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "takeout-20261120T101010Z-001.zip",
        {
            "Takeout/Contacts/My Contacts/My Contacts.vcf": VCARD,
            "Takeout/Contacts/Friends/Friends.vcf": VCARD.replace("Grace", "Lena"),
            "Takeout/Contacts/Friends/photo.jpg": b"\xff\xd8\xff\xe0 not really a photo",
            "Takeout/archive_browser.html": "<html></html>",
        },
    )
    reports = context.importer.run([path])
    assert [r.file for r in reports[1:]] == [
        f"{path}:Takeout/Contacts/My Contacts/My Contacts.vcf",
        f"{path}:Takeout/Contacts/Friends/Friends.vcf",
    ]
    assert {"Grace Kim", "Lena Kim"} <= set(by_name(context))
    assert reports[0].warning_texts() == [
        "not read (not a contacts export NetPlanner reads): photo.jpg, archive_browser.html"
    ]


def test_a_takeout_zip_without_the_takeout_folder_is_read_too(
    context: AppContext, tmp_path: Path
) -> None:
    path = make_zip(tmp_path / "contacts.zip", {"Contacts/Family/Family.vcf": VCARD})
    context.importer.run([path])
    assert "Grace Kim" in by_name(context)


def test_a_zip_is_recognised_by_content_not_name(context: AppContext, tmp_path: Path) -> None:
    renamed = linkedin_zip(tmp_path, "export.dat")
    assert len(context.importer.preview([renamed])) == 3


def test_a_member_that_holds_nothing_is_listed_the_rest_imported(
    context: AppContext, tmp_path: Path
) -> None:
    path = make_zip(
        tmp_path / "Complete_LinkedInDataExport_11-20-2026.zip",
        {
            "Connections.csv": CONNECTIONS,
            "Invitations.csv": "From,To,Sent At,Message,Direction\n",
        },
    )
    archive, connections = context.importer.run([path])
    assert connections.created == 2
    assert archive.warning_texts() == ["not read (holds no invitations): Invitations.csv"]


def _refused(context: AppContext, path: Path) -> str:
    before = len(context.contact_repo.list())
    with pytest.raises(ImportFileError) as caught:
        context.importer.run([path])
    assert len(context.contact_repo.list()) == before  # nothing written
    message = str(caught.value)
    assert message.count(". ") == 0 and "\n" not in message  # one sentence
    return message


def test_a_member_path_outside_the_archive_is_refused(context: AppContext, tmp_path: Path) -> None:
    for bad in ("../evil.vcf", "/etc/evil.vcf", "Contacts/../../evil.vcf", "C:/evil.vcf"):
        path = make_zip(tmp_path / "bad.zip", {"Connections.csv": CONNECTIONS, bad: VCARD})
        assert "outside the archive" in _refused(context, path)


def test_a_zip_bomb_member_is_refused_before_it_is_unpacked(
    context: AppContext, tmp_path: Path
) -> None:
    # 40 MB of one byte deflates to about 40 KB: a ratio of 1,000.
    path = make_zip(
        tmp_path / "bomb.zip", {"Connections.csv": CONNECTIONS, "x.csv": b"a" * 40_000_000}
    )
    assert "packed more than 100 times" in _refused(context, path)


def test_a_member_bigger_than_an_import_accepts_is_refused(
    context: AppContext, tmp_path: Path
) -> None:
    context.importer.max_bytes = 100_000
    path = make_zip(tmp_path / "big.zip", {"Connections.csv": CONNECTIONS, "big.vcf": VCARD * 3000})
    assert "more than the 0 MB an import accepts" in _refused(context, path)


def test_a_zip_with_too_many_members_is_refused(context: AppContext, tmp_path: Path) -> None:
    path = make_zip(tmp_path / "many.zip", {f"card{i}.vcf": VCARD for i in range(2001)})
    assert "2,001 files" in _refused(context, path)


def test_a_damaged_zip_is_refused(context: AppContext, tmp_path: Path) -> None:
    path = linkedin_zip(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "zip archive" in _refused(context, path)


def test_a_zip_with_nothing_to_import_is_refused(context: AppContext, tmp_path: Path) -> None:
    path = make_zip(tmp_path / "notes.zip", {"notes.txt": "hello", "a.pdf": b"%PDF-1.4"})
    assert _refused(context, path) == (
        f"The zip archive {path} holds no contacts NetPlanner reads (notes.txt, a.pdf)."
    )


def test_a_failing_member_leaves_the_whole_zip_unwritten(
    context: AppContext, tmp_path: Path
) -> None:
    """One transaction: a later file of the same import that fails undoes the zip too."""
    path = linkedin_zip(tmp_path)
    with pytest.raises(ImportFileError):
        context.importer.run([path, tmp_path / "missing.csv"])
    assert context.contact_repo.list() == []


def test_the_cli_lists_each_member_and_offers_the_profile_place_as_home(
    cli: Cli, tmp_path: Path
) -> None:
    path = linkedin_zip(tmp_path)
    result = cli("import", str(path))
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path} (zip): read Connections.csv, Invitations.csv, Profile.csv."
    assert (
        f"{path}:Connections.csv (linkedin): 2 created, 0 updated, 0 unchanged, 0 skipped." in lines
    )
    assert lines[-1] == (
        "Your profile says you are in Berlin, Germany: set it as your home in Settings "
        "(netplanner gui, Settings, Home)."
    )
    documents = cli("--json", "import", "--dry-run", str(path)).json()
    assert documents[0]["members_not_read"][0] == {
        "member": "Messages.csv",
        "reason": "not a contacts export NetPlanner reads",
    }


def test_the_cli_does_not_offer_a_home_when_one_is_set(
    cli: Cli, context: AppContext, tmp_path: Path
) -> None:
    context.locations.set_home("Lisbon")
    context.close()  # the CLI opens the database itself
    result = cli("import", str(linkedin_zip(tmp_path)))
    assert result.code == 0, result.stderr
    assert "Your profile says" not in result.stdout

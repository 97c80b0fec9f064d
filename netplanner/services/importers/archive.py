"""Reading a zip export (LinkedIn's data export, Google Takeout) safely into named members.

LinkedIn delivers ``Basic_LinkedInDataExport_MM-DD-YYYY.zip`` (Connections.csv,
Invitations.csv, Profile.csv and files NetPlanner has no use for); Google Takeout a zip
with ``Takeout/Contacts/<label>/<label>.vcf``. The archive is read in memory, never
extracted, and refused as a whole (one sentence) when it looks like a zip bomb or names a
path outside itself: such a file is not an export, whatever else it holds.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from netplanner.services.importers.records import ImportFileError, ImportReport, ParsedFile
from netplanner.services.importers.tabular import header_cells, read_table

FORMAT = "zip"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty archive
# Limits against zip bombs. A LinkedIn Complete export holds about 60 files and Takeout one
# .vcf per label: 2,000 members is far beyond either, and keeps the central directory small.
MAX_MEMBERS = 2_000
# CSV and vCard text deflates 3-20 times; past 100 times a big member is built to explode
# (deflate reaches about 1,000). Small members (headers, empty tables) may compress better.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
# All members together, unpacked: a few times what one file may be (Complete exports
# carry messages and the like NetPlanner does not read, but is told the size of).
TOTAL_FACTOR = 4
# Members whose name says they are no text (Takeout's photos, LinkedIn's media): not opened.
_NOT_TEXT = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".pdf", ".html", ".htm",
    ".mp4", ".mov", ".mp3", ".zip", ".gz", ".7z", ".docx", ".xlsx", ".pptx",
}  # fmt: skip
_PROFILE_HEADER = {"first name", "last name", "geo location", "headline"}
NOT_AN_EXPORT = "not a contacts export NetPlanner reads"

MemberParser = Callable[[bytes, str], ParsedFile]


def is_zip(path: Path) -> bool:
    """Whether the file's content is a zip archive (by its first bytes, never its name)."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) in ZIP_MAGIC
    except OSError:
        return False  # missing or unreadable: the ordinary read says so


@dataclass(frozen=True)
class OwnProfile:
    """The user's own LinkedIn profile (Profile.csv): their name and where they say they are."""

    first_name: str
    last_name: str
    location: str | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class ArchiveReport(ImportReport):
    """The zip's own report: which members were read, which not and why, the own profile.

    Each member read has its own ``ImportReport`` (file ``<zip>:<member>``) after this one.
    """

    members_read: list[str] = field(default_factory=list)
    members_not_read: list[tuple[str, str]] = field(default_factory=list)
    profile: OwnProfile | None = None

    def to_json(self) -> dict[str, object]:
        document = super().to_json()
        document["members_read"] = list(self.members_read)
        document["members_not_read"] = [
            {"member": member, "reason": reason} for member, reason in self.members_not_read
        ]
        document["profile"] = (
            None
            if self.profile is None
            else {
                "first_name": self.profile.first_name,
                "last_name": self.profile.last_name,
                "location": self.profile.location,
            }
        )
        return document


@dataclass
class Archive:
    """A zip read: its report and each member parsed, named ``<zip>:<member>``."""

    report: ArchiveReport
    members: list[tuple[str, ParsedFile]]


def read_archive(path: Path, max_bytes: int, parse: MemberParser) -> Archive:
    """Every member of the zip that NetPlanner reads, parsed; the others listed as not read.

    ``parse`` reads one member's bytes as ``read`` reads a file (``ImportFileError`` when it
    cannot); a member that cannot be read is listed, while a zip that is unsafe, damaged
    or holds nothing to import raises ``ImportFileError``.
    """
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFileError(f"The file {name} cannot be read: {exc.strerror}.") from exc
    if size > max_bytes:
        raise ImportFileError(
            f"The file {name} is {size / 1e6:.0f} MB, more than the {max_bytes / 1e6:.0f} MB "
            "an import accepts."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_safe(name, infos, max_bytes)
            return _read_members(name, archive, infos, parse)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(f"The file {name} is a damaged zip archive ({exc}).") from exc
    except (OSError, EOFError, zipfile.LargeZipFile) as exc:
        raise ImportFileError(f"The file {name} is a zip archive that cannot be read.") from exc


def _check_safe(name: str, infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """Refuse the whole archive when it could explode or write outside itself."""
    if len(infos) > MAX_MEMBERS:
        raise ImportFileError(
            f"The file {name} holds {len(infos):,} files, more than the {MAX_MEMBERS:,} "
            "an export has; it is not imported."
        )
    total = 0
    for info in infos:
        member = info.filename
        parts = member.replace("\\", "/").split("/")
        if member.startswith(("/", "\\")) or ".." in parts or (parts[0][1:2] == ":"):
            raise ImportFileError(
                f"The file {name} names a path outside the archive ({member!r}); "
                "it is not imported."
            )
        if info.file_size > max_bytes:
            raise ImportFileError(
                f"The file {name} holds {member}, {info.file_size / 1e6:.0f} MB unpacked, more "
                f"than the {max_bytes / 1e6:.0f} MB an import accepts; it is not imported."
            )
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise ImportFileError(
                f"The file {name} holds {member}, packed more than {MAX_RATIO} times, "
                "as zip bombs are; it is not imported."
            )
        total += info.file_size
    if total > TOTAL_FACTOR * max_bytes:
        raise ImportFileError(
            f"The file {name} unpacks to {total / 1e6:.0f} MB, more than the "
            f"{TOTAL_FACTOR * max_bytes / 1e6:.0f} MB an import accepts; it is not imported."
        )


def _read_members(
    name: str, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], parse: MemberParser
) -> Archive:
    report = ArchiveReport(FORMAT, name)
    members: list[tuple[str, ParsedFile]] = []
    for info in infos:
        member = info.filename
        if info.is_dir() or _is_mac_metadata(member):
            continue  # folders, and the resource forks macOS adds: no data of the user's
        if PurePosixPath(member).suffix.lower() in _NOT_TEXT:
            report.members_not_read.append((member, NOT_AN_EXPORT))
            continue
        if info.flag_bits & 0x1:
            report.members_not_read.append((member, "it is encrypted"))
            continue
        label = f"{name}:{member}"
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
        if len(data) > info.file_size:  # the header lied about the size
            raise ImportFileError(
                f"The file {name} holds {member}, larger than its header says; it is not imported."
            )
        profile = _own_profile(data, label)
        if profile is not None:
            report.profile = report.profile or profile
            report.members_read.append(member)
            continue
        try:
            parsed = parse(data, label)
        except ImportFileError as exc:
            report.members_not_read.append((member, _reason(str(exc), label)))
            continue
        report.members_read.append(member)
        members.append((label, parsed))
    if not members:
        listed = ", ".join(m for m, _ in report.members_not_read[:5]) or "no file"
        more = len(report.members_not_read) - 5
        raise ImportFileError(
            f"The zip archive {name} holds no contacts NetPlanner reads "
            f"({listed}{f' and {more} more' if more > 0 else ''})."
        )
    _warn_not_read(report)
    return Archive(report, members)


def _is_mac_metadata(member: str) -> bool:
    parts = PurePosixPath(member).parts
    return "__MACOSX" in parts or (bool(parts) and parts[-1].startswith("._"))


def _reason(message: str, label: str) -> str:
    """An ImportFileError's sentence about a member, as a reason ('holds no contacts')."""
    if "is not a LinkedIn, vCard" in message or "is JSON but not" in message:
        return NOT_AN_EXPORT
    text = message.replace(f"The file {label} ", "").rstrip(".")
    return text


def _warn_not_read(report: ArchiveReport) -> None:
    """One warning per reason, naming the members (a Complete export has dozens)."""
    by_reason: dict[str, list[str]] = {}
    for member, reason in report.members_not_read:
        by_reason.setdefault(reason, []).append(PurePosixPath(member).name)
    for reason, names in by_reason.items():
        report.warn(0, f"not read ({reason}): {', '.join(names)}")


def _own_profile(data: bytes, label: str) -> OwnProfile | None:
    """The user's own profile when the member is LinkedIn's Profile.csv, else None."""
    if b"geo location" not in data[:4096].lower():
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not any(_is_profile_header(cells) for cells in header_cells(text)):
        return None
    try:
        table = read_table(text, label, "a LinkedIn Profile.csv", _is_profile_header)
    except ImportFileError:
        return None
    first_i, last_i = table.column("First Name"), table.column("Last Name")
    geo_i = table.column("Geo Location")
    for _line, row in table.rows:
        if not any(cell.strip() for cell in row):
            continue

        def at(index: int | None, row: list[str] = row) -> str:
            return row[index].strip() if index is not None and index < len(row) else ""

        return OwnProfile(at(first_i), at(last_i), at(geo_i) or None)
    return None


def _is_profile_header(cells: Sequence[str]) -> bool:
    return {c.lower() for c in cells} >= _PROFILE_HEADER

"""What a parser hands to the merge step and what an import reports back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import NamedTuple

from netplanner import __version__
from netplanner.domain.contact_columns import ContactColumns
from netplanner.domain.entities import Contact, Invitation
from netplanner.domain.errors import InputError
from netplanner.domain.network import NetworkSnapshot


class ImportFileError(InputError):
    """A file that cannot be imported at all; the message names the file and the problem."""


# Raised whenever parsing or merging changes what a row becomes, so that older digests
# stop matching (a new release changes them too).
DIGEST_VERSION = 1


def digest_prefix(fmt: str, *layout: object) -> str:
    """What every row digest of one file starts with: the format and how columns are read."""
    return f"{DIGEST_VERSION}\x1e{__version__}\x1e{fmt}\x1e{layout!r}\x1e"


def row_digest(prefix: str, cells: Sequence[str]) -> str:
    """The digest of one source row as read: the same row in the same layout, the same digest.

    Taken from the raw cells rather than the parsed contact: hashing 30,000 joined rows costs
    a few hundredths of a second, a representation of each contact ten times that."""
    return joined_digest(prefix, "\x1f".join(cells))


def joined_digest(prefix: str, joined: str) -> str:
    """``row_digest`` of cells already joined with U+001F."""
    return blake2b((prefix + joined).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class ParsedContact(NamedTuple):
    """One contact read from a file, with the line it starts on (for reports).

    ``digest`` identifies the source row (see ``row_digest``); None where a format has no
    stable row to name, and then the contact is always merged. A named tuple: one is made
    per row, and tuples are made in C.
    """

    line: int
    contact: Contact
    digest: str | None = None
    # The contact's ``merge_keys`` as the parser found them on the way (None: not found);
    # they stand only while the contact is as parsed.
    keys: list[str] | None = None


@dataclass(frozen=True)
class ParsedColumns:
    """A parser's new contacts a column at a time, with each row's line, digest and merge
    keys as ``ParsedContact`` has them: a file of 30,000 new people is written from these
    without a Contact object per row."""

    lines: list[int]
    values: ContactColumns
    digests: list[str | None]
    keys: list[list[str] | None]

    def __len__(self) -> int:
        return len(self.lines)

    def records(self, rows: Sequence[int] | None = None) -> list[ParsedContact]:
        """A record per row, or per one of ``rows`` (their numbers, in order, each once)."""
        if rows is None or len(rows) == len(self.lines):
            lines, digests, keys = self.lines, self.digests, self.keys
        else:
            lines = [self.lines[n] for n in rows]
            digests = [self.digests[n] for n in rows]
            keys = [self.keys[n] for n in rows]
        contacts = self.values.contacts(rows)
        return list(map(ParsedContact, lines, contacts, digests, keys))


@dataclass
class ParsedFile:
    """Everything one parser read from one file, before merging.

    A parser gives its contacts as ``contacts`` (a record each) or as ``columns``; asking for
    ``contacts`` builds the records from the columns once, and the columns are gone then
    (what is built may be changed, and the columns would no longer say it)."""

    format: str
    columns: ParsedColumns | None = None
    _contacts: list[ParsedContact] = field(default_factory=list, repr=False)
    invitations: list[tuple[int, Invitation]] = field(default_factory=list)
    snapshot: NetworkSnapshot | None = None  # the rest of a NetPlanner JSON export
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # (line, reason) of what was read but left out or changed; line 0: the whole file.
    warnings: list[tuple[int, str]] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)  # columns no field takes
    # True when no text of any contact holds a character ``clean_text`` would change, as
    # the parser found for the whole file at once: the per-record look is then skipped.
    texts_clean: bool = False
    # The only fields of ``contacts`` the parser may set (the rest keep a new contact's
    # values), when it says so: storing them then reads no other field. None: any field.
    fields: frozenset[str] | None = None
    # No text of any contact is longer than this, when the parser knows (a row's length
    # bounds its cells): the text limits above it need no look. None: unknown.
    longest_text: int | None = None

    @property
    def contacts(self) -> list[ParsedContact]:
        if self.columns is not None:
            self._contacts[:0] = self.columns.records()
            self.columns = None
        return self._contacts

    @property
    def only_columns(self) -> ParsedColumns | None:
        """The columns, when they hold every contact of the file (no record beside them)."""
        return None if self._contacts else self.columns

    @property
    def count(self) -> int:
        """How many contacts were read (the columns left as they are)."""
        return len(self._contacts) + (len(self.columns) if self.columns is not None else 0)

    def digests(self) -> list[str | None]:
        """Each contact's row digest (see ``ParsedContact``), the columns left as they are."""
        found = [item.digest for item in self._contacts]
        return self.columns.digests + found if self.columns is not None else found

    def skip(self, line: int, reason: str) -> None:
        self.skipped.append((line, reason))

    def warn(self, line: int, reason: str) -> None:
        self.warnings.append((line, reason))


@dataclass
class ImportReport:
    """The outcome of importing one file: counts, skipped rows and warnings."""

    format: str
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)

    def warn(self, line: int, reason: str) -> None:
        self.warnings.append((line, reason))

    def warning_texts(self) -> list[str]:
        """Each warning as a person reads it: 'line 5: the position was cut …'."""
        return [f"line {line}: {reason}" if line else reason for line, reason in self.warnings]

    def to_json(self) -> dict[str, object]:
        """The JSON object of CLI.md (plus ``file``, ``warnings`` and ``unmapped_columns``)."""
        return {
            "format": self.format,
            "file": self.file,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"line": line, "reason": reason} for line, reason in self.skipped],
            "warnings": [{"line": line, "reason": reason} for line, reason in self.warnings],
            "unmapped_columns": list(self.unmapped_columns),
        }

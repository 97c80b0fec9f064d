"""What a parser hands to the merge step and what an import reports back."""

from __future__ import annotations

from dataclasses import dataclass, field

from netplanner.domain.entities import Contact, Invitation
from netplanner.domain.errors import InputError
from netplanner.domain.network import NetworkSnapshot


class ImportFileError(InputError):
    """A file that cannot be imported at all; the message names the file and the problem."""


@dataclass
class ParsedContact:
    """One contact read from a file, with the line it starts on (for reports)."""

    line: int
    contact: Contact


@dataclass
class ParsedFile:
    """Everything one parser read from one file, before merging."""

    format: str
    contacts: list[ParsedContact] = field(default_factory=list)
    invitations: list[tuple[int, Invitation]] = field(default_factory=list)
    snapshot: NetworkSnapshot | None = None  # the rest of a NetPlanner JSON export
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # (line, reason) of what was read but left out or changed; line 0: the whole file.
    warnings: list[tuple[int, str]] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)  # columns no field takes

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

"""Exporting the user's data: the whole network as JSON, the contacts as CSV.

The JSON is NetPlanner's own import format. The CSV is safe to open in a spreadsheet:
cells that a spreadsheet would run as a formula are neutralised. Both hold every contact, so
both are written private (0600) and atomically (``storage.atomic_files``).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from netplanner.domain.entities import Contact
from netplanner.services.importers.netplanner_json import snapshot_to_document
from netplanner.storage.atomic_files import check_target, write_private_atomically
from netplanner.storage.repositories.imports import ImportRepository

CSV_COLUMNS = (
    "First Name",
    "Last Name",
    "Company",
    "Position",
    "Industry",
    "Emails",
    "Phones",
    "Profile URL",
    "Location",
    "Latitude",
    "Longitude",
    "Time Zone",
    "Tags",
    "Connected On",
    "Notes",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """The cell text with a leading apostrophe where a spreadsheet would see a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _contact_cells(contact: Contact) -> list[str]:
    values = [
        contact.first_name,
        contact.last_name,
        contact.company or "",
        contact.position or "",
        contact.industry or "",
        "; ".join(contact.emails),
        "; ".join(contact.phones),
        contact.profile_url or "",
        contact.location_text or "",
        "" if contact.lat is None else f"{contact.lat:.6f}",
        "" if contact.lon is None else f"{contact.lon:.6f}",
        contact.timezone or "",
        "; ".join(contact.tags),
        contact.connected_on.isoformat() if contact.connected_on else "",
        contact.notes or "",
    ]
    # Coordinates may be negative numbers, which are not formulas; everything else is text.
    return [v if i in (9, 10) else spreadsheet_safe(v) for i, v in enumerate(values)]


class DataExporter:
    """Writes the network to files."""

    def __init__(self, repo: ImportRepository) -> None:
        self.repo = repo

    def export_json(self, path: Path | str) -> dict[str, int]:
        """Write everything to ``path`` (0600, whole or not at all); returns the counts."""
        path = check_target(path)  # before the work of building the document
        snapshot = self.repo.load_snapshot()
        document = snapshot_to_document(snapshot, datetime.now(UTC), self.repo.invitations())
        data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        write_private_atomically(path, data)
        return {key: len(value) for key, value in document.items() if isinstance(value, list)}

    def export_csv(self, path: Path | str) -> int:
        """Write the contacts to ``path`` as CSV (UTF-8 with BOM, for spreadsheets), 0600."""
        path = check_target(path)
        contacts = self.repo.load_snapshot().contacts
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for contact in contacts:
            writer.writerow(_contact_cells(contact))
        write_private_atomically(path, buffer.getvalue().encode("utf-8-sig"))
        return len(contacts)

"""Google Contacts CSV (the current export: UTF-8 with a BOM, several values joined by " ::: ")."""

from __future__ import annotations

from collections.abc import Sequence

from netplanner.domain.entities import Contact
from netplanner.services.importers.normalise import (
    best_place_text,
    clean_emails,
    clean_list,
    first_and_middle,
    linkedin_profile,
    split_full_name,
    stand_in_name,
)
from netplanner.services.importers.records import (
    ParsedContact,
    ParsedFile,
    digest_prefix,
    row_digest,
)
from netplanner.services.importers.tabular import Table, cell, read_table

FORMAT = "google"


def is_google_header(cells: Sequence[str]) -> bool:
    lowered = {c.lower() for c in cells}
    return bool(
        lowered & {"organization name", "organization 1 - name", "e-mail 1 - value", "given name"}
    )


def _numbered(table: Table, template: str, limit: int = 6) -> list[int]:
    found = []
    for n in range(1, limit + 1):
        index = table.column(template.format(n=n))
        if index is not None:
            found.append(index)
    return found


def _values(row: Sequence[str], indexes: list[int]) -> list[str]:
    values: list[str] = []
    for index in indexes:
        values.extend(cell(row, index).split(":::"))
    return [v.strip() for v in values if v.strip()]


def parse_google(text: str, name: str) -> ParsedFile:
    """Contacts from a Google Contacts CSV export."""
    table = read_table(text, name, "a Google Contacts CSV export", is_google_header)
    first_i = table.column("First Name", "Given Name")
    middle_i = table.column("Middle Name", "Additional Name")
    last_i = table.column("Last Name", "Family Name")
    full_i = table.column("Name")
    org_i = table.column("Organization Name", "Organization 1 - Name")
    title_i = table.column("Organization Title", "Organization 1 - Title")
    notes_i = table.column("Notes")
    labels_i = table.column("Labels", "Group Membership")
    emails = _numbered(table, "E-mail {n} - Value")
    phones = _numbered(table, "Phone {n} - Value")
    websites = _numbered(table, "Website {n} - Value")
    city_i = table.column("Address 1 - City")
    region_i = table.column("Address 1 - Region")
    country_i = table.column("Address 1 - Country")
    formatted_i = table.column("Address 1 - Formatted")
    parsed = ParsedFile(FORMAT)
    parsed.unmapped_columns = table.unmapped()
    prefix = digest_prefix(FORMAT, table.header)
    for line, row in table.rows:
        if not row or not any(c.strip() for c in row):
            continue
        first = first_and_middle(cell(row, first_i), cell(row, middle_i))
        last = cell(row, last_i)
        if not first and not last:
            full = cell(row, full_i)
            first, last = split_full_name(full)
        company = cell(row, org_i).split(":::")[0].strip() or None
        mails = clean_emails(_values(row, emails))
        if not first and not last:
            first = stand_in_name(company, mails) or ""
            if not first:
                parsed.skip(line, "the row has no name, company or email")
                continue
        profile = next(
            (p for p in (linkedin_profile(u) for u in _values(row, websites)) if p), None
        )
        labels = [
            label
            for label in _values(row, [labels_i] if labels_i is not None else [])
            if not label.startswith("*")
        ]
        contact = Contact(
            first_name=first,
            last_name=last,
            company=company,
            position=cell(row, title_i).split(":::")[0].strip() or None,
            emails=mails,
            phones=clean_list(_values(row, phones)),
            profile_url=profile,
            notes=cell(row, notes_i) or None,
            location_text=best_place_text(
                [cell(row, i).split(":::")[0] for i in (city_i, region_i, country_i)],
                cell(row, formatted_i).split(":::")[0],
            ),
            tags=clean_list(labels),
            source=FORMAT,
        )
        parsed.contacts.append(ParsedContact(line, contact, row_digest(prefix, row)))
    return parsed

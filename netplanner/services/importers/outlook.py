"""Outlook CSV, which Outlook writes in the Windows ANSI code page (cp1252) by default."""

from __future__ import annotations

from collections.abc import Sequence

from netplanner.domain.entities import Contact
from netplanner.services.importers.normalise import (
    clean_emails,
    clean_list,
    first_and_middle,
    linkedin_profile,
    place_text,
    stand_in_name,
)
from netplanner.services.importers.records import (
    ParsedContact,
    ParsedFile,
    digest_prefix,
    row_digest,
)
from netplanner.services.importers.tabular import cell, read_table

FORMAT = "outlook"


# Columns only Outlook writes: "First Name" and "Job Title" are in many other address books'
# exports (Thunderbird's among them), so they do not make a header Outlook's.
_OUTLOOK_COLUMNS = frozenset(
    {
        "e-mail address",
        "e-mail 2 address",
        "e-mail 3 address",
        "e-mail display name",
        "business phone",
        "business street",
        "business city",
        "business country/region",
        "home country/region",
    }
)


def is_outlook_header(cells: Sequence[str]) -> bool:
    return not _OUTLOOK_COLUMNS.isdisjoint(c.lower() for c in cells)


def parse_outlook(text: str, name: str) -> ParsedFile:
    """Contacts from an Outlook CSV export."""
    table = read_table(text, name, "an Outlook CSV export", is_outlook_header)
    first_i = table.column("First Name")
    middle_i = table.column("Middle Name")
    last_i = table.column("Last Name")
    company_i = table.column("Company")
    title_i = table.column("Job Title")
    notes_i = table.column("Notes")
    categories_i = table.column("Categories")
    web_i = table.column("Web Page")
    email_is = [
        i
        for i in (
            table.column("E-mail Address"),
            table.column("E-mail 2 Address"),
            table.column("E-mail 3 Address"),
        )
        if i is not None
    ]
    phone_is = [
        i
        for i in (
            table.column("Business Phone"),
            table.column("Mobile Phone"),
            table.column("Home Phone"),
            table.column("Other Phone"),
        )
        if i is not None
    ]
    # Outlook writes "Country/Region"; older versions and hand-made files "Country".
    business = [
        table.column("Business City"),
        table.column("Business State"),
        table.column("Business Country/Region", "Business Country"),
    ]
    home = [
        table.column("Home City"),
        table.column("Home State"),
        table.column("Home Country/Region", "Home Country"),
    ]
    parsed = ParsedFile(FORMAT)
    parsed.unmapped_columns = table.unmapped()
    prefix = digest_prefix(FORMAT, table.header)
    for line, row in table.rows:
        if not row or not any(c.strip() for c in row):
            continue
        first = first_and_middle(cell(row, first_i), cell(row, middle_i))
        last = cell(row, last_i)
        company = cell(row, company_i) or None
        mails = clean_emails([cell(row, i) for i in email_is])
        if not first and not last:
            first = stand_in_name(company, mails) or ""
            if not first:
                parsed.skip(line, "the row has no name, company or email")
                continue
        location = place_text(*(cell(row, i) for i in business)) or place_text(
            *(cell(row, i) for i in home)
        )
        categories = cell(row, categories_i).replace(";", ",").split(",")
        contact = Contact(
            first_name=first,
            last_name=last,
            company=company,
            position=cell(row, title_i) or None,
            emails=mails,
            phones=clean_list([cell(row, i) for i in phone_is]),
            profile_url=linkedin_profile(cell(row, web_i)),
            notes=cell(row, notes_i) or None,
            location_text=location,
            tags=clean_list(categories),
            source=FORMAT,
        )
        parsed.contacts.append(ParsedContact(line, contact, row_digest(prefix, row)))
    return parsed

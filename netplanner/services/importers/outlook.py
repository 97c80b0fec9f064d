"""Outlook CSV, which Outlook writes in the Windows ANSI code page (cp1252) by default."""

from __future__ import annotations

from collections.abc import Sequence

from netplanner.domain.entities import Contact
from netplanner.services.importers.normalise import (
    clean_emails,
    clean_list,
    linkedin_profile,
    place_text,
)
from netplanner.services.importers.records import ParsedContact, ParsedFile
from netplanner.services.importers.tabular import cell, read_table

FORMAT = "outlook"


def is_outlook_header(cells: Sequence[str]) -> bool:
    lowered = {c.lower() for c in cells}
    return "first name" in lowered and bool(
        lowered & {"e-mail address", "business city", "business phone", "job title"}
    )


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
    business = [table.column(f"Business {p}") for p in ("City", "State", "Country/Region")]
    home = [table.column(f"Home {p}") for p in ("City", "State", "Country/Region")]
    parsed = ParsedFile(FORMAT)
    for line, row in table.rows:
        if not row or not any(c.strip() for c in row):
            continue
        first = " ".join(p for p in (cell(row, first_i), cell(row, middle_i)) if p)
        last = cell(row, last_i)
        company = cell(row, company_i) or None
        mails = clean_emails([cell(row, i) for i in email_is])
        if not first and not last:
            if not company and not mails:
                parsed.skip(line, "the row has no name, company or email")
                continue
            first = company or mails[0]
        address = [cell(row, i) for i in business]
        if not any(address):
            address = [cell(row, i) for i in home]
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
            location_text=place_text(*address),
            tags=clean_list(categories),
            source=FORMAT,
        )
        parsed.contacts.append(ParsedContact(line, contact))
    return parsed

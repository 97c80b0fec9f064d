"""Thunderbird's address book CSV, and the many address books that write the same columns.

Thunderbird names its columns in the language of its interface; the English (with the UK
build's "Organisation", "County" and "Post Code") and German names are known here. A plain
CSV with a name column and an email, phone or company column ("First Name, Last Name,
Email, Company") is read the same way, so such a file is imported instead of refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from netplanner.domain.entities import Contact
from netplanner.services.importers.normalise import (
    clean_emails,
    clean_list,
    first_and_middle,
    linkedin_profile,
    place_text,
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

FORMAT = "thunderbird"

# Each field's column names, English then German, then the generic spellings of other tools.
FIRST = ("First Name", "Vorname", "Given Name", "First")
MIDDLE = ("Middle Name",)
LAST = ("Last Name", "Nachname", "Surname", "Family Name", "Last")
DISPLAY = ("Display Name", "Anzeigename", "Full Name", "Name")
EMAILS = (
    ("Primary Email", "Primäre E-Mail-Adresse", "Email", "E-mail", "Email Address", "Mail"),
    ("Secondary Email", "Sekundäre E-Mail-Adresse", "Email 2", "Other Email"),
)
PHONES = (
    ("Work Phone", "Tel. dienstlich", "Business Phone", "Phone", "Telephone"),
    ("Mobile Number", "Mobil-Tel.-Nr.", "Mobile Phone", "Mobile", "Cell Phone"),
    ("Home Phone", "Tel. privat"),
)
ORGANIZATION = ("Organization", "Organisation", "Company")
JOB_TITLE = ("Job Title", "Arbeitstitel", "Position")
NOTES = ("Notes", "Notizen")
WEB_PAGES = (("Web Page 1", "Webseite 1", "Web Page", "Website"), ("Web Page 2", "Webseite 2"))
WORK_ADDRESS = (
    ("Work City", "Dienstlich: Ort"),
    ("Work State", "Work County", "Dienstlich: Bundesland"),
    ("Work Country", "Dienstlich: Land"),
)
HOME_ADDRESS = (
    ("Home City", "Privat: Ort", "City"),
    ("Home State", "Home County", "Privat: Bundesland", "State", "Region"),
    ("Home Country", "Privat: Land", "Country"),
)
# Columns only Thunderbird (in one of its languages) writes.
_THUNDERBIRD_COLUMNS = frozenset(
    name.lower()
    for name in (
        "Primary Email",
        "Secondary Email",
        "Display Name",
        "Screen Name",
        "Mobile Number",
        "Primäre E-Mail-Adresse",
        "Sekundäre E-Mail-Adresse",
        "Anzeigename",
        "Mobil-Tel.-Nr.",
    )
)
_NAME_COLUMNS = frozenset(n.lower() for n in (*FIRST, *LAST, *DISPLAY))
_DETAIL_COLUMNS = frozenset(
    n.lower() for n in (*sum(EMAILS, ()), *sum(PHONES, ()), *ORGANIZATION, *JOB_TITLE)
)


def is_thunderbird_header(cells: Sequence[str]) -> bool:
    """Thunderbird's header, or any header with a name column and a contact detail column."""
    lowered = {c.lower() for c in cells}
    if not lowered.isdisjoint(_THUNDERBIRD_COLUMNS):
        return True
    return not lowered.isdisjoint(_NAME_COLUMNS) and not lowered.isdisjoint(_DETAIL_COLUMNS)


def _columns(table: Table, groups: Sequence[Sequence[str]]) -> list[int | None]:
    return [table.column(*names) for names in groups]


def parse_thunderbird(text: str, name: str) -> ParsedFile:
    """Contacts from a Thunderbird (or similar) address book CSV."""
    table = read_table(
        text, name, "a Thunderbird or address book CSV export", is_thunderbird_header
    )
    first_i, middle_i, last_i = table.column(*FIRST), table.column(*MIDDLE), table.column(*LAST)
    display_i = table.column(*DISPLAY)
    email_is = _columns(table, EMAILS)
    phone_is = _columns(table, PHONES)
    org_i, title_i = table.column(*ORGANIZATION), table.column(*JOB_TITLE)
    notes_i = table.column(*NOTES)
    web_is = _columns(table, WEB_PAGES)
    work = _columns(table, WORK_ADDRESS)
    home = _columns(table, HOME_ADDRESS)
    parsed = ParsedFile(FORMAT)
    parsed.unmapped_columns = table.unmapped()
    prefix = digest_prefix(FORMAT, table.header)
    for line, row in table.rows:
        if not row or not any(c.strip() for c in row):
            continue
        first = first_and_middle(cell(row, first_i), cell(row, middle_i))
        last = cell(row, last_i)
        if not first and not last:
            full = " ".join(cell(row, display_i).split())
            first, last = split_full_name(full)
        company = cell(row, org_i) or None
        mails = clean_emails([cell(row, i) for i in email_is])
        if not first and not last:
            first = stand_in_name(company, mails) or ""
            if not first:
                parsed.skip(line, "the row has no name, company or email")
                continue
        location = place_text(*(cell(row, i) for i in work)) or place_text(
            *(cell(row, i) for i in home)
        )
        contact = Contact(
            first_name=first,
            last_name=last,
            company=company,
            position=cell(row, title_i) or None,
            emails=mails,
            phones=clean_list([cell(row, i) for i in phone_is]),
            profile_url=next(
                (p for p in (linkedin_profile(cell(row, i)) for i in web_is) if p), None
            ),
            notes=cell(row, notes_i) or None,
            location_text=location,
            source=FORMAT,
        )
        parsed.contacts.append(ParsedContact(line, contact, row_digest(prefix, row)))
    return parsed

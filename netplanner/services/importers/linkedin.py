"""LinkedIn's data export: Connections.csv and Invitations.csv.

Connections.csv starts with a ``Notes:`` paragraph and a blank line before its header;
members who opted out of the export appear as rows blank but for the date. It has no
location column, so imported contacts wait for a location.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from netplanner.domain.contact_columns import ContactColumns
from netplanner.domain.entities import Invitation
from netplanner.services.importers.normalise import (
    email_key,
    linkedin_profile,
    parse_date,
    parse_datetime,
    safe_but_line_ends,
)
from netplanner.services.importers.records import (
    ParsedColumns,
    ParsedFile,
    digest_prefix,
    joined_digest,
)
from netplanner.services.importers.tabular import cell, read_table

CONNECTIONS = "linkedin"
INVITATIONS = "linkedin-invitations"
# What ``parse_connections`` sets of a contact (``ParsedFile.fields``): its columns below.
CONNECTION_FIELDS = frozenset(
    {
        "first_name", "last_name", "company", "position", "emails", "profile_url",
        "connected_on", "source", "source_key",
    }
)  # fmt: skip


def is_connections_header(cells: Sequence[str]) -> bool:
    lowered = {c.lower() for c in cells}
    return {"first name", "last name", "connected on"} <= lowered


def is_invitations_header(cells: Sequence[str]) -> bool:
    lowered = {c.lower() for c in cells}
    return {"from", "to", "sent at", "direction"} <= lowered


def parse_connections(text: str, name: str) -> ParsedFile:
    """Contacts from a Connections.csv; rows without a name are skipped with the reason."""
    table = read_table(text, name, "a LinkedIn Connections.csv export", is_connections_header)
    first_i = table.column("First Name")
    last_i = table.column("Last Name")
    url_i = table.column("URL", "Profile URL")
    email_i = table.column("Email Address", "E-mail Address")
    company_i = table.column("Company")
    position_i = table.column("Position")
    date_i = table.column("Connected On")
    parsed = ParsedFile(CONNECTIONS, fields=CONNECTION_FIELDS)
    # Rows are padded so every column, even one this export lacks, can be read by index.
    width = len(table.header)
    first_i, last_i, url_i, email_i, company_i, position_i, date_i = (
        width if index is None else index
        for index in (first_i, last_i, url_i, email_i, company_i, position_i, date_i)
    )
    padding = [""] * (width + 1)
    prefix = digest_prefix(CONNECTIONS, table.header)
    # Every text below is one cell, stripped: none needs cleaning if the file's text holds
    # no unsafe character, no cell a line break, no URL an escape that could decode to one.
    clean = safe_but_line_ends(text)
    longest = len(CONNECTIONS)  # the source, and below the longest row: no cell is longer
    # Each date read once: 30,000 connections made over the years share a few thousand days.
    dates: dict[str, date | None] = {}
    # Per row: line, first and last name, company, position, emails, profile URL, date,
    # digest and merge keys (None where not found).
    read: list[tuple[Any, ...]] = []
    for line, row in table.rows:
        count = len(row)
        if count == width:
            row.append("")
        elif count < width:
            if not any(row):
                continue  # a blank line
            row.extend(padding[: width + 1 - count])
        else:
            row = [*row[:width], ""]
        first, last = row[first_i].strip(), row[last_i].strip()
        raw_url = row[url_i].strip()
        if not first and not last:
            reason = (
                "the row has no name (LinkedIn leaves out members who hide their data)"
                if not raw_url
                else "the row has a profile URL but no name"
            )
            parsed.skip(line, reason)
            continue
        joined = "\x1f".join(row)
        if len(joined) > longest:
            longest = len(joined)
        if clean and ("\n" in joined or "\r" in joined or "%" in raw_url):
            clean = False
        url = linkedin_profile(raw_url) if raw_url else None
        if raw_url and url is None:
            parsed.warn(line, f"{raw_url!r} is not a LinkedIn profile URL")
        email = row[email_i].strip()
        address = email_key(email) if email else None
        raw_date = row[date_i].strip()
        if raw_date in dates:
            connected = dates[raw_date]
        else:
            connected = dates[raw_date] = parse_date(raw_date) if raw_date else None
        if raw_date and connected is None:
            parsed.warn(line, f"the date {raw_date!r} was not understood")
        # ``merge_keys`` of the contact, from what is at hand (a URL that held an escape is
        # read again there: decoding it twice may not give the same).
        keys = None
        if "%" not in raw_url:
            keys = [f"url:{url.lower()}", f"src:{CONNECTIONS}:{url}"] if url else []
            if address:
                keys.append("email:" + address)
        read.append(
            (
                line,
                first,
                last,
                row[company_i].strip() or None,
                row[position_i].strip() or None,
                [email] if address else [],
                url,
                connected,
                joined_digest(prefix, joined),
                keys,
            )
        )
    if read:
        # A tuple per row, made in C, turned into columns at once: a Contact object per row
        # was a fifth of a 30,000-row import (see ``ContactColumns``).
        (
            lines,
            first_names,
            last_names,
            companies,
            positions,
            emails,
            urls,
            dates_on,
            digests,
            keys_of,
        ) = map(list, zip(*read, strict=True))
        values = ContactColumns(
            {
                "first_name": first_names,
                "last_name": last_names,
                "company": companies,
                "position": positions,
                "emails": emails,
                "profile_url": urls,
                "connected_on": dates_on,
                "source": [CONNECTIONS] * len(read),
                "source_key": urls[:],
            },
            len(read),
        )
        parsed.columns = ParsedColumns(lines, values, digests, keys_of)
    parsed.texts_clean = clean
    # A profile URL may gain its scheme and host ("linkedin.com/in/x" reads as
    # "https://www.linkedin.com/in/x"); nothing else is longer than its cell.
    parsed.longest_text = longest + len("https://www.")
    return parsed


def parse_invitations(text: str, name: str) -> ParsedFile:
    """Pending connection requests from an Invitations.csv."""
    table = read_table(text, name, "a LinkedIn Invitations.csv export", is_invitations_header)
    from_i = table.column("From")
    to_i = table.column("To")
    sent_i = table.column("Sent At")
    message_i = table.column("Message")
    direction_i = table.column("Direction")
    inviter_i = table.column("inviterProfileUrl", "Inviter Profile Url")
    invitee_i = table.column("inviteeProfileUrl", "Invitee Profile Url")
    parsed = ParsedFile(INVITATIONS)
    for line, row in table.rows:
        if not row or not any(c.strip() for c in row):
            continue
        sender, recipient = cell(row, from_i), cell(row, to_i)
        direction = cell(row, direction_i).upper()
        if not sender or not recipient:
            parsed.skip(line, "the invitation names no sender or no recipient")
            continue
        if direction not in ("INCOMING", "OUTGOING"):
            parsed.skip(
                line, f"the direction {direction or '(empty)'!r} is neither INCOMING nor OUTGOING"
            )
            continue
        raw_sent = cell(row, sent_i)
        sent_at = parse_datetime(raw_sent)
        if raw_sent and sent_at is None:
            parsed.warn(line, f"the time {raw_sent!r} was not understood")
        inviter = cell(row, inviter_i)
        invitee = cell(row, invitee_i)
        invitation = Invitation(
            from_name=sender,
            to_name=recipient,
            direction=direction,
            sent_at=sent_at,
            message=cell(row, message_i) or None,
            inviter_profile_url=linkedin_profile(inviter) or inviter or None,
            invitee_profile_url=linkedin_profile(invitee) or invitee or None,
            source_key="|".join((direction, sender, recipient, raw_sent)),
        )
        parsed.invitations.append((line, invitation))
    return parsed

"""Recognising an export by its content, never by its file name."""

from __future__ import annotations

from collections.abc import Callable

from netplanner.services.importers import google, linkedin, outlook, thunderbird, vcard
from netplanner.services.importers.netplanner_json import (
    FORMAT as NETPLANNER_JSON,
)
from netplanner.services.importers.netplanner_json import (
    looks_like_netplanner,
    parse_netplanner_json,
)
from netplanner.services.importers.records import ImportFileError, ParsedFile
from netplanner.services.importers.tabular import header_cells

Parser = Callable[[str, str], ParsedFile]

PARSERS: dict[str, Parser] = {
    linkedin.CONNECTIONS: linkedin.parse_connections,
    linkedin.INVITATIONS: linkedin.parse_invitations,
    vcard.FORMAT: vcard.parse_vcard,
    google.FORMAT: google.parse_google,
    outlook.FORMAT: outlook.parse_outlook,
    thunderbird.FORMAT: thunderbird.parse_thunderbird,
    NETPLANNER_JSON: parse_netplanner_json,
}
FORMATS = tuple(PARSERS)
_CSV_CHECKS = (
    (linkedin.CONNECTIONS, linkedin.is_connections_header),
    (linkedin.INVITATIONS, linkedin.is_invitations_header),
    (google.FORMAT, google.is_google_header),
    (outlook.FORMAT, outlook.is_outlook_header),
    # Last: it also takes any header with a name and an email, phone or company column.
    (thunderbird.FORMAT, thunderbird.is_thunderbird_header),
)


def detect_format(text: str, name: str) -> str:
    """The format of an export's text; ``ImportFileError`` naming the file if it is none."""
    stripped = text.lstrip()
    if looks_like_netplanner(stripped):
        return NETPLANNER_JSON
    if stripped[:11].upper() == "BEGIN:VCARD":
        return vcard.FORMAT
    for cells in header_cells(text):
        for fmt, is_header in _CSV_CHECKS:
            if is_header(cells):
                return fmt
    if stripped.startswith(("{", "[")):
        raise ImportFileError(f"The file {name} is JSON but not a NetPlanner export.")
    raise ImportFileError(
        f"The file {name} is not a LinkedIn, vCard, Google, Outlook, Thunderbird or NetPlanner "
        "export."
    )
